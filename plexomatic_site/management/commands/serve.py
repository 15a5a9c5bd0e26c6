"""`serve`: everything `make run` needs, in one process."""

from __future__ import annotations

import errno
import signal
import tempfile
import threading
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.core.wsgi import get_wsgi_application
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from waitress.server import BaseWSGIServer, MultiSocketServer, create_server

from backups.scheduler import BackupScheduler
from inbox.scheduler import InboxScheduler
from plexomatic_site import __version__
from plexomatic_site.commands import PlexomaticCommand
from plexomatic_site.database import database_optimize
from plexomatic_site.housekeeping import HousekeepingThread
from plexomatic_site.jobs import jobs_release_stale, worker_queues

# Room for the multipart envelope around an upload of the largest allowed size.
UPLOAD_ENVELOPE_BYTES = 1024 * 1024


def server_create(*, host: str, port: int, threads: int) -> BaseWSGIServer | MultiSocketServer:
    """The waitress server for the site, listening but not yet serving.

    waitress refuses bodies over 1 GiB by default with a bare 413; backup
    uploads may be larger, and the site itself says why one is too large.
    waitress buffers a large body in an anonymous temporary file before the
    site sees it: in the data folder's tmp/, like Django's own upload buffer.
    """
    tempfile.tempdir = str(settings.FILE_UPLOAD_TEMP_DIR)
    return create_server(
        get_wsgi_application(),
        host=host,
        port=port,
        threads=threads,
        ident="plexomatic",
        max_request_body_size=settings.PLEXOMATIC_BACKUP_UPLOAD_MAX_BYTES + UPLOAD_ENVELOPE_BYTES,
    )


def _raise_system_exit(signum: int, frame: FrameType | None) -> None:
    # waitress's loop treats SystemExit as "shut down cleanly".
    raise SystemExit(0)


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
            "--threads", type=int, default=8, help="Request-handling threads (default: 8)."
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not run background jobs (nor scheduled backups) in this process.",
        )

    def handle(
        self, *args: Any, host: str, port: int, threads: int, no_worker: bool, **options: Any
    ) -> None:
        verbosity = options["verbosity"]
        signal.signal(signal.SIGTERM, _raise_system_exit)
        if not 1 <= port <= 65535:
            raise CommandError(f"--port {port} is not a TCP port; use a number from 1 to 65535.")
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
            server.run()
        finally:
            self.stdout.write("Shutting down…")
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
