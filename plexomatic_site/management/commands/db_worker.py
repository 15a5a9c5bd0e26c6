"""`db_worker`: django-tasks-db's worker, for this machine's jobs (README, "Several workers").

It starts like serve's own worker: it refuses a database this code cannot
work on, releases the locks of jobs whose process died, and settles the
renames a crash interrupted in the libraries whose folder it sees (a NAS
worker settles its own). It takes tasks from this worker host's queues
(plexomatic_site.jobs.worker_queues) unless --queue-name says otherwise.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from plexomatic_site.commands import UserErrorsMixin
from plexomatic_site.jobs import jobs_release_stale, worker_queues
from plexomatic_site.startup import database_require_ready


class Command(UserErrorsMixin, DatabaseWorkerCommand):
    help = (
        "Run background jobs (scans, applies, rollbacks, backups asked for on the site) "
        "queued for any worker or for this worker host (PLEXOMATIC_WORKER_HOST)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name=",".join(worker_queues()))

    def prepare(self) -> None:
        database_require_ready()

    def handle(self, *args: Any, **options: Any) -> None:
        jobs_release_stale()
        call_command("recover", no_progress=True, verbosity=max(0, options["verbosity"] - 1))
        super().handle(*args, **options)
