"""Workers on several machines: real `db_worker` processes with their own worker host names,
against one real PostgreSQL server, each taking its own libraries' jobs and no one else's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
# The slowest part is Django starting in each process, on a loaded machine.
DEADLINE = 90


def _env(url: str, host: str, data_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SECRET_KEY", "PLEXOMATIC_TEST_DATABASE_URL"}
    }
    data_dir.mkdir(exist_ok=True)
    env.update(
        DATABASE_URL=url,
        PLEXOMATIC_DATA_DIR=str(data_dir),
        PLEXOMATIC_WORKER_HOST=host,
        DEBUG="false",
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(url: str, host: str, tmp_path: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=_env(url, host, tmp_path / host),
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _shell(url: str, host: str, tmp_path: Path, code: str) -> str:
    return _manage(url, host, tmp_path, "shell", "--no-imports", "-c", code)


def _rows(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as connection:
        return connection.execute(sql).fetchall()


def _wait_for(url: str, sql: str, *, until: int) -> None:
    """Until `sql` counts `until` rows, or fail."""
    deadline = time.monotonic() + DEADLINE
    while _rows(url, sql)[0][0] != until:
        assert time.monotonic() < deadline, f"timed out waiting for: {sql}"
        time.sleep(0.3)


@pytest.fixture
def database(postgres_database, tmp_path) -> str:
    _manage(postgres_database, "web", tmp_path, "migrate", "--no-input")
    return postgres_database


@pytest.fixture
def workers(database, tmp_path) -> Iterator[dict[str, subprocess.Popen]]:
    """Starts `db_worker` as host alpha and as host beta when called; stops them after."""
    started: dict[str, subprocess.Popen] = {}

    def start() -> dict[str, subprocess.Popen]:
        for host in ("alpha", "beta"):
            log = (tmp_path / f"{host}.log").open("w")
            started[host] = subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval=0.2"],
                cwd=BASE_DIR,
                env=_env(database, host, tmp_path / host),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return started

    yield start  # type: ignore[misc]
    for process in started.values():
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


QUEUE_EVERYTHING = """
from django.utils import timezone
from backups.tasks import take_backup
from library.models import Library
from library.services.locks import library_lock
from library.tasks import scan_library
from plexomatic_site.jobs import LockKey, job_enqueue
from plexomatic_site.models import Job, JobKind

for name, root, host in {libraries!r}:
    library = Library.objects.create(name=name, root_path=root, worker_host=host)
    job_enqueue(kind=JobKind.SCAN, locks=[library_lock(library)], task=scan_library,
                library_id=library.pk)
job_enqueue(kind=JobKind.BACKUP, locks=[LockKey.BACKUP], task=take_backup, note="web's own")

# Jobs left by processes that died: what each worker's start-up may release.
now, long_ago = timezone.now(), timezone.now() - timezone.timedelta(hours=1)
for lock, host, beat in [(9001, "alpha", now), (9002, "gamma", now), (9003, "gamma", long_ago)]:
    Job.objects.create(kind=JobKind.SCAN, lock_key=f"library:{{lock}}", status="running",
                       hostname=host, pid={dead_pid}, started_at=beat, heartbeat_at=beat)
"""


def _dead_pid() -> int:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    return dead.pid


def test_each_library_is_scanned_by_its_own_host_and_the_sites_jobs_stay_home(
    database, workers, tmp_path
):
    media = tmp_path / "media"
    for relative in ("alpha/Show - S01E01.mkv", "beta/Film (2001).mkv", "beta/Film (2002).mkv"):
        (media / relative).parent.mkdir(parents=True, exist_ok=True)
        (media / relative).write_bytes(b"video")
    (media / "shared").mkdir()
    (media / "shared/Other - S02E03.mkv").write_bytes(b"video")
    libraries = [
        ("Alpha TV", str(media / "alpha"), "alpha"),
        ("Beta Films", str(media / "beta"), "beta"),
        ("Shared", str(media / "shared"), ""),
        # Pinned to beta, whose machine has not mounted it.
        ("Unplugged", str(media / "unplugged"), "beta"),
    ]
    _shell(
        database,
        "web",
        tmp_path,
        QUEUE_EVERYTHING.format(libraries=libraries, dead_pid=_dead_pid()),
    )

    processes = workers()
    _wait_for(
        database,
        "SELECT count(*) FROM plexomatic_site_job WHERE kind = 'scan' AND lock_key NOT LIKE "
        "'library:900_' AND status IN ('succeeded', 'failed')",
        until=4,
    )
    for process in processes.values():
        process.send_signal(signal.SIGTERM)
    assert [process.wait(timeout=30) for process in processes.values()] == [0, 0]

    jobs = dict(
        (subject, (status, hostname, error))
        for subject, status, hostname, error in _rows(
            database, "SELECT subject, status, hostname, error FROM plexomatic_site_job"
        )
        if subject
    )
    assert jobs.pop("library “Alpha TV”") == ("succeeded", "alpha", "")
    assert jobs.pop("library “Beta Films”") == ("succeeded", "beta", "")
    shared = jobs.pop("library “Shared”")
    assert shared[0] == "succeeded" and shared[1] in {"alpha", "beta"}
    assert jobs.pop("library “Unplugged”") == (
        "failed",
        "beta",
        f"Library “Unplugged”'s folder {media / 'unplugged'} cannot be read on worker host "
        "beta, so nothing was changed; mount it there, or set the library's worker host to the "
        "machine that has it.",
    )
    assert jobs == {}
    # The backup waits for a worker of the host whose site queued it (web), not alpha or beta.
    assert _rows(
        database, "SELECT status, hostname FROM plexomatic_site_job WHERE kind = 'backup'"
    ) == [("queued", "")]
    counts = _rows(
        database,
        "SELECT l.name, count(m.id) FROM library_library l "
        "LEFT JOIN library_mediafile m ON m.library_id = l.id GROUP BY l.name ORDER BY l.name",
    )
    assert counts == [("Alpha TV", 1), ("Beta Films", 2), ("Shared", 1), ("Unplugged", 0)]
    # A pid is checked on its own host only: alpha released its own dead job; gamma's
    # (a pid that means nothing here) only once its heartbeat had been silent too long.
    left = _rows(
        database,
        "SELECT lock_key, status FROM plexomatic_site_job WHERE lock_key LIKE 'library:900_' "
        "ORDER BY lock_key",
    )
    assert left == [
        ("library:9001", "failed"),
        ("library:9002", "running"),
        ("library:9003", "failed"),
    ]


SILENT_JOB = """
import time
from django.db import transaction
from library.summaries import RollbackSummary
from plexomatic_site.jobs import LockKey, job_run, jobs_claim
from plexomatic_site.models import JobKind

def silent(*, progress):
    with transaction.atomic():  # nothing it writes is seen elsewhere until it ends
        time.sleep(12)
    return RollbackSummary(rolled_back=0)

job_run(jobs_claim(kind=JobKind.ROLLBACK, locks=[LockKey("library", 1)]), silent)
"""


def test_a_job_silent_inside_a_transaction_still_beats_so_no_other_host_releases_it(
    database, tmp_path
):
    runner = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SILENT_JOB],
        cwd=BASE_DIR,
        env=_env(database, "alpha", tmp_path / "alpha"),
    )
    try:
        _wait_for(
            database,
            "SELECT count(*) FROM plexomatic_site_job WHERE status = 'running' "
            "AND heartbeat_at > started_at + interval '1 second'",
            until=1,
        )
        released = _shell(
            database,
            "beta",
            tmp_path,
            "from plexomatic_site import jobs\n"
            "from datetime import timedelta\n"
            # Twice the heartbeat's interval: a job that beats is never this silent.
            "jobs.STALE_AFTER = timedelta(seconds=4)\n"
            "print(jobs.jobs_release_stale())",
        )
        assert released.strip() == "0"
        assert runner.wait(timeout=DEADLINE) == 0
    finally:
        if runner.poll() is None:
            runner.kill()
    assert _rows(database, "SELECT status, hostname FROM plexomatic_site_job") == [
        ("succeeded", "alpha")
    ]
