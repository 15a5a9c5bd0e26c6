"""Rules the database enforces, raced by eight real processes on their own connections.

On SQLite every writer queues for the file's one write lock; on PostgreSQL
they really run side by side, so these are the tests that show the job
locks and the settings store hold on a server (both suites run them).
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Callable
from functools import partial
from multiprocessing.synchronize import Barrier

import pytest
from django.db import connection, connections

from plexomatic_site.jobs import JobBusy, LockKey, jobs_claim
from plexomatic_site.models import ConfigurationHistory, Job, JobKind
from plexomatic_site.settings_store import setting_get, settings_update

pytestmark = pytest.mark.django_db(transaction=True)

RACERS = 8
ROUNDS = 4


def _racer(
    work: Callable[[int], str], number: int, barrier: Barrier, results: multiprocessing.Queue
) -> None:
    try:
        connection.ensure_connection()  # connected first: the race is on the work itself
        barrier.wait(timeout=60)
        results.put(work(number))
        # Alive until every racer is done: a claim by a finished process
        # would be released as stale (its pid is gone) and taken again.
        barrier.wait(timeout=60)
    except BaseException as exc:
        results.put(f"error: {type(exc).__name__}: {exc}")
        barrier.abort()
    finally:
        connections.close_all()


def race(work: Callable[[int], str]) -> Counter[str]:
    """Run `work(n)` in RACERS forked processes released at once; count what they returned."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(RACERS)
    results: multiprocessing.Queue = context.Queue()
    # A forked child must not share the parent's socket to the server.
    connections.close_all()
    processes = [
        context.Process(target=_racer, args=(work, number, barrier, results))
        for number in range(RACERS)
    ]
    for process in processes:
        process.start()
    outcomes = Counter(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    return outcomes


def _claim_one_of_two_libraries(number: int) -> str:
    key = LockKey("library", 1 + number % 2)
    try:
        jobs_claim(kind=JobKind.SCAN, locks=[key])
    except JobBusy:
        return f"busy {key}"
    return f"claimed {key}"


def test_eight_processes_racing_for_two_locks_get_one_job_each():
    for _ in range(ROUNDS):
        outcomes = race(_claim_one_of_two_libraries)
        assert outcomes == {
            "claimed library:1": 1,
            "claimed library:2": 1,
            "busy library:1": 3,
            "busy library:2": 3,
        }
        active = Job.objects.filter(status__in=Job.ACTIVE)
        assert sorted(active.values_list("lock_key", flat=True)) == ["library:1", "library:2"]
        active.update(status=Job.Status.SUCCEEDED)
    assert Job.objects.count() == 2 * ROUNDS


def _set_keep_count(first: int, number: int) -> str:
    settings_update(values={"backup_keep_count": first + number})
    return "stored"


def test_eight_processes_changing_one_setting_leave_one_active_row_and_lose_nothing():
    for round_number in range(1, ROUNDS + 1):
        first = 100 * round_number  # values no earlier round stored: each one is a change
        assert race(partial(_set_keep_count, first)) == {"stored": RACERS}
        rows = ConfigurationHistory.objects.filter(config_key="backup_keep_count")
        assert rows.filter(active=True).count() == 1
        # The default the first change replaced, then one row per change.
        assert rows.count() == 1 + RACERS * round_number
        assert setting_get("backup_keep_count") in range(first, first + RACERS)
