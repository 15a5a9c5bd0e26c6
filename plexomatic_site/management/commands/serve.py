"""`serve`: everything `make run` needs, in one process."""

from __future__ import annotations

import errno
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from backups.scheduler import BackupScheduler
from inbox.scheduler import InboxScheduler
from plexomatic_site import __version__
from plexomatic_site.commands import PlexomaticCommand
from plexomatic_site.database import database_optimize
from plexomatic_site.environment import MAX_WEB_PROCESSES
from plexomatic_site.housekeeping import HousekeepingThread
from plexomatic_site.jobs import jobs_release_stale, worker_queues
from plexomatic_site.web_processes import (
    WebProcesses,
    raise_system_exit,
    server_create,
    server_sockets,
)


class Command(PlexomaticCommand):
    help = (
        "Start Plex-o-matic: check and migrate the database, collect static files, then serve "
        "the site with waitress and run background jobs (scans, applies, scheduled backups)."
    )
    requires_system_checks = "__all__"
    # serve sets the database up itself (it migrates).
    needs_database = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default=settings.PLEXOMATIC_HOST,
            help="Address to listen on (default: PLEXOMATIC_HOST).",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=settings.PLEXOMATIC_PORT,
            help="Port to listen on (default: PLEXOMATIC_PORT).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=8,
            help="Request-handling threads in each web process (default: 8).",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=settings.PLEXOMATIC_WEB_PROCESSES,
            help="Processes serving the site, this one included "
            "(default: PLEXOMATIC_WEB_PROCESSES, or 2 with two cores or more).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not run background jobs (nor scheduled backups) in this process.",
        )

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        threads: int,
        processes: int,
        no_worker: bool,
        **options: Any,
    ) -> None:
        verbosity = options["verbosity"]
        signal.signal(signal.SIGTERM, raise_system_exit)
        if not 1 <= port <= 65535:
            raise CommandError(f"--port {port} is not a TCP port; use a number from 1 to 65535.")
        if not 1 <= processes <= MAX_WEB_PROCESSES:
            raise CommandError(
                f"--processes {processes} is not a number of processes; "
                f"use 1 to {MAX_WEB_PROCESSES}."
            )
        call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1))
        call_command("collectstatic", interactive=False, verbosity=max(0, verbosity - 1))
        # Jobs of a process that died (SIGKILL, power cut) no longer hold locks.
        jobs_release_stale()
        call_command("recover", no_progress=True, verbosity=max(0, verbosity - 1))
        # Fresh statistics for the query planner where they have gone stale.
        database_optimize()

        try:
            server = server_create(host=host, port=port, threads=threads)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CommandError(
                    f"Port {port} on {host} is already in use; set PLEXOMATIC_PORT to a free port."
                ) from None
            raise CommandError(f"Cannot listen on {host}:{port}: {exc.strerror}.") from None

        web = WebProcesses()
        background = [] if no_worker else self._start_background()
        # Scheduled backups run beside the worker; --no-worker turns both off.
        # Housekeeping (pruning old job records) is not a job: it always runs.
        periodic = [
            HousekeepingThread(),
            *([] if no_worker else [BackupScheduler(), InboxScheduler()]),
        ]
        for thread in periodic:
            thread.start()
        shown_host = f"[{host}]" if ":" in host else host
        self.stdout.write(
            self.style.SUCCESS(
                f"Plex-o-matic {__version__} is running at http://{shown_host}:{port}/"
            )
            + f"  (data in {settings.DATA_DIR}; press Ctrl-C to stop)"
        )
        self.stdout.flush()
        try:
            web.start(count=processes - 1, sockets=server_sockets(server), threads=threads)
            server.run()
        finally:
            self.stdout.write("Shutting down…")
            web.stop()
            self._stop_background(background)
            for thread in periodic:
                thread.stop()
            server.close()
        self.stdout.write("Stopped.")

    def _stop_background(self, background: list[tuple[Worker, threading.Thread]]) -> None:
        """Let a running job finish; a second Ctrl-C or SIGTERM stops at once.

        A scan or apply stopped half-way is safe (the journal and recovery
        settle it at the next start), but finishing it is kinder.
        """
        for worker, _thread in background:
            worker.running = False
        if any(worker.running_task for worker, _thread in background):
            self.stdout.write("Waiting for the running job to finish (Ctrl-C to stop now)…")
            self.stdout.flush()
        try:
            for _worker, thread in background:
                while thread.is_alive():
                    thread.join(timeout=0.5)
        except (KeyboardInterrupt, SystemExit):
            self.stdout.write(
                "Stopped without waiting; the interrupted job is settled when serve starts again."
            )

    def _start_background(self) -> list[tuple[Worker, threading.Thread]]:
        """The django-tasks database worker, in a thread of this process: it takes the
        jobs any worker may run and this worker host's own, never another host's."""
        worker = Worker(
            queue_names=worker_queues(),
            interval=1,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"serve-{get_random_string(12)}",
            excluded_queue_names=[],
        )
        thread = threading.Thread(target=worker.run, name="plexomatic-worker", daemon=True)
        thread.start()
        return [(worker, thread)]
