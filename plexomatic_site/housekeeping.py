"""Housekeeping: the job history and the task queue are pruned, so neither grows for ever.

Run daily by `serve` (HousekeepingThread) and by `manage.py housekeeping`.
How much is kept is two settings: `job_history_days` and
`job_history_max_rows`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from plexomatic_site.models import Job
from plexomatic_site.periodic import PeriodicThread
from plexomatic_site.settings_store import settings_current

logger = logging.getLogger(__name__)

# Rows deleted per statement: each delete is a short write, so a first prune
# of a large history never holds the database's write lock for long.
DELETE_BATCH = 1000
HOUSEKEEPING_EVERY = 24 * 3600.0


@dataclass(frozen=True)
class Pruned:
    jobs: int
    task_results: int
    keep_days: int
    keep_rows: int


def _delete_in_batches(doomed: QuerySet) -> int:
    """Delete what `doomed` selects, DELETE_BATCH rows at a time; returns how many.

    The rows are read first, so a prune that finds nothing writes nothing;
    in no order, so each read stops at its first DELETE_BATCH rows instead
    of sorting every match.
    """
    deleted = 0
    while pks := list(doomed.order_by().values_list("pk", flat=True)[:DELETE_BATCH]):
        deleted += doomed.model._base_manager.filter(pk__in=pks).delete()[0]
    return deleted


def _beyond_newest(finished: QuerySet, *, keep_rows: int, newest_first: str) -> Q:
    """The rows after the newest `keep_rows` in `newest_first` order (then by pk).

    The boundary row is read once: each batch's query then compares with it
    rather than ranking the whole table again.
    """
    boundary = (
        finished.order_by(f"-{newest_first}", "-pk")
        .values_list(newest_first, "pk")[keep_rows - 1 : keep_rows]
        .first()
    )
    if boundary is None:  # no more rows than that
        return Q(pk__in=[])
    at, pk = boundary
    return Q(**{f"{newest_first}__lt": at}) | Q(**{newest_first: at, "pk__lt": pk})


def jobs_prune(*, cutoff: datetime, keep_rows: int) -> int:
    """Delete finished jobs created before `cutoff` or beyond the newest `keep_rows`.

    Never a queued or running job (it holds a lock), nor the latest job of a
    lock (each library's, the backups'): the pages that show "last scan" or
    the last backup attempt keep something to show.
    """
    finished = Job.objects.exclude(status__in=Job.ACTIVE)
    latest_per_lock = list(
        Job.objects.values("lock_key").annotate(latest=Max("id")).values_list("latest", flat=True)
    )
    beyond = _beyond_newest(finished, keep_rows=keep_rows, newest_first="created_at")
    doomed = finished.filter(Q(created_at__lt=cutoff) | beyond).exclude(pk__in=latest_per_lock)
    return _delete_in_batches(doomed)


def task_results_prune(*, cutoff: datetime, keep_rows: int) -> int:
    """Delete finished task-queue rows finished before `cutoff` or beyond the newest `keep_rows`.

    They hold a job's arguments (an apply's whole previewed plan) and result;
    the job's own record is its Job row. Ready and running tasks are never touched.
    """
    finished = DBTaskResult.objects.finished()
    beyond = _beyond_newest(finished, keep_rows=keep_rows, newest_first="finished_at")
    return _delete_in_batches(finished.filter(Q(finished_at__lt=cutoff) | beyond))


def housekeeping_run(*, now: datetime | None = None) -> Pruned:
    """Prune the job history and the task queue as the settings say."""
    values = settings_current()
    days, rows = values["job_history_days"], values["job_history_max_rows"]
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return Pruned(
        jobs=jobs_prune(cutoff=cutoff, keep_rows=rows),
        task_results=task_results_prune(cutoff=cutoff, keep_rows=rows),
        keep_days=days,
        keep_rows=rows,
    )


class HousekeepingThread(PeriodicThread):
    """Runs housekeeping in `serve`: at start, then once a day."""

    def __init__(self, *, every: float = HOUSEKEEPING_EVERY) -> None:
        super().__init__(name="plexomatic-housekeeping", every=every)

    def run_due(self) -> None:
        pruned = housekeeping_run()
        if pruned.jobs or pruned.task_results:
            logger.info(
                "Housekeeping pruned %d finished job(s) and %d task-queue row(s)",
                pruned.jobs,
                pruned.task_results,
            )
