"""Benchmark `manage.py backup` against what a careful administrator scripts with sqlite3.

    .venv/bin/python bench/backup.py [--size-mb 1024] [--db PATH] [--rounds 3]
        [--loaded-backups 20] [--writer-pause-ms 5] [--writer-alone 30]

Builds a Plex-o-matic database of about --size-mb (migrated, then the app's
own tables filled in bulk: libraries, media files, batches and file
operations, as bench/pages.py builds them), or reuses the one at --db (built
there when missing, kept afterwards). Then, in one run, --rounds times each:

1. the administrator's pipeline, each step timed:
   `sqlite3 DB ".backup COPY"`, `sqlite3 COPY "PRAGMA integrity_check"`,
   `sha256sum COPY`;
2. `manage.py backup --no-progress` (a subprocess, the real command), with
   its phase split (copy, check, and the hash and fsync alongside the check,
   publish) read from the debug line it logs when LOG_LEVEL=DEBUG.

It prints the ratios ours/pipeline and our copy/the CLI's `.backup`. Then
another process commits one file operation per small transaction every
--writer-pause-ms, alone for --writer-alone seconds (what the machine itself
makes it wait), then throughout --loaded-backups backups back to back; it
prints the longest time any of those writes waited, alone, per backup and
overall, with the backup phase each long wait fell in.

Targets (issue 13): ours <= 1.0x the pipeline; copy <= 1.1x the CLI's
`.backup`; no write waits > 200 ms. The bench prints figures; it does not assert.
"""

from __future__ import annotations

import argparse
import multiprocessing
import multiprocessing.synchronize
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))

from bench.pages import build  # noqa: E402
from plexomatic_site.file_removal import file_remove  # noqa: E402

SQLITE3 = shutil.which("sqlite3") or "/usr/bin/sqlite3"
SHA256SUM = shutil.which("sha256sum") or "/usr/bin/sha256sum"
# Measured: 20,000 media files and 200,000 operations make 64 MB.
FILES_PER_MB, OPERATIONS_PER_MB = 312, 3125
# The line backups.services.snapshot logs at DEBUG once a backup is published.
PHASES = re.compile(
    r"copy (?P<copy>[\d.]+) s, check (?P<check>[\d.]+) s \(alongside it: hash "
    r"(?P<hash>[\d.]+) s, fsync (?P<fsync>[\d.]+) s\), publish (?P<publish>[\d.]+) s"
)
PHASE_NAMES = ("copy", "check", "hash", "fsync", "publish")
LONG_WAIT = 0.1  # writes that waited longer than this are listed with their phase
TARGET_RATIO, TARGET_COPY_RATIO, TARGET_STALL = 1.0, 1.1, 0.2


@dataclass
class Ours:
    total: float
    phases: dict[str, float]
    # When the phases line arrived: the end of publishing (perf_counter).
    published_at: float
    # When the process had exited: the bench then removed its files.
    exited_at: float


def _load() -> str:
    return "load " + " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _warm(db_path: Path) -> None:
    """The database in the page cache before each copy, as on a busy server.

    Some machines page out file pages unused for seconds (DAMON reclaim);
    without this, whichever copy follows a long check reads from disk.
    """
    _timed("cat", str(db_path))


def _timed(*command: str) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def pipeline(db_path: Path, copy: Path) -> dict[str, float]:
    """The administrator's script, each step timed; the copy stays for the caller to remove."""
    times = {"backup": _timed(SQLITE3, str(db_path), f".backup '{copy}'")}
    started = time.perf_counter()
    checked = subprocess.run(
        [SQLITE3, str(copy), "PRAGMA integrity_check"], check=True, capture_output=True, text=True
    )
    times["check"] = time.perf_counter() - started
    if checked.stdout.strip() != "ok":
        raise SystemExit(f"sqlite3's integrity_check of its copy failed: {checked.stdout[:200]}")
    times["sha256sum"] = _timed(SHA256SUM, str(copy))
    times["total"] = sum(times.values())
    return times


def ours(env: dict[str, str], backups: Path) -> Ours:
    """One `manage.py backup`, its phases from its debug line; its files are then removed
    the way the site prunes a backup (file_remove)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "backup", "--no-progress"],
        cwd=BASE_DIR,
        env={**env, "LOG_LEVEL": "DEBUG"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    phases: dict[str, float] = {}
    published_at = 0.0
    errors = []
    for line in process.stderr:
        if match := PHASES.search(line):
            published_at = time.perf_counter()
            phases = {name: float(match[name]) for name in PHASE_NAMES}
        else:
            errors.append(line)
    if process.wait() != 0 or not phases:
        raise SystemExit("manage.py backup failed:\n" + "".join(errors[-20:]))
    exited_at = time.perf_counter()
    for path in backups.glob("plexomatic-*"):
        file_remove(path)
    return Ours(
        total=exited_at - started, phases=phases, published_at=published_at, exited_at=exited_at
    )


def writer(
    db_path: str,
    pause: float,
    ready: multiprocessing.synchronize.Event,
    stop: multiprocessing.synchronize.Event,
    result: multiprocessing.Queue,
) -> None:
    """Commit one file operation per transaction, as the site does; report each wait.

    The connection is set up as the site's (WAL, synchronous=NORMAL, busy
    timeout); the rows go into a batch of their own, deleted at the end.
    """
    db = sqlite3.connect(db_path, timeout=20, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
        db.execute(f"PRAGMA {pragma}")
    db.execute("PRAGMA journal_size_limit=67108864")
    now = "2026-01-01 00:00:00.000000"
    batch = db.execute(
        "INSERT INTO library_batch (kind, note, created_at, library_id, created_by_id, "
        "source_folder) VALUES ('apply', 'bench writer', ?, NULL, NULL, '') RETURNING id",
        (now,),
    ).fetchone()[0]
    # (started, seconds in all, seconds to BEGIN, seconds to COMMIT), perf_counter
    waits: list[tuple[float, float, float, float]] = []
    n = 0
    ready.set()
    while not stop.is_set():
        n += 1
        started = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        begun = time.perf_counter()
        db.execute(
            "INSERT INTO library_fileoperation (batch_id, media_file_id, original_path, "
            "new_path, operation_type, checksum, status, error, created_at, completed_at, "
            "rolled_back_at, needs_attention, source_key, identity) VALUES (?, 1, ?, ?, "
            "'rename', 'sample1:1000000000:abc', 'completed', '', ?, ?, NULL, 0, '', '')",
            (batch, f"/bench/writer/in/{n:08d}.mkv", f"/bench/writer/out/{n:08d}.mkv", now, now),
        )
        committing = time.perf_counter()
        db.execute("COMMIT")
        ended = time.perf_counter()
        waits.append((started, ended - started, begun - started, ended - committing))
        time.sleep(pause)
    db.execute("DELETE FROM library_fileoperation WHERE batch_id = ?", (batch,))
    db.execute("DELETE FROM library_batch WHERE id = ?", (batch,))
    db.close()
    result.put(waits)


def _phase_at(moment: float, backup: Ours) -> str:
    """Which phase of `backup` was running at `moment` (publishing ends at published_at)."""
    if moment >= backup.exited_at:
        return "the bench removing it, as pruning would"
    if moment >= backup.published_at:
        return "after publishing: index, pruning, exit"
    end = backup.published_at
    for name in ("publish", "check", "copy"):
        if moment >= end - backup.phases[name]:
            return f"{name}, {moment - end + backup.phases[name]:.2f} s in"
        end -= backup.phases[name]
    return "startup"


def loaded(
    db_path: Path, env: dict[str, str], backups: Path, count: int, pause: float, alone: float
) -> None:
    # Spawned, not forked: a forked child would inherit this process's SQLite state.
    context = multiprocessing.get_context("spawn")
    ready, stop = context.Event(), context.Event()
    result: multiprocessing.Queue = context.Queue()
    proc = context.Process(target=writer, args=(str(db_path), pause, ready, stop, result))
    proc.start()
    runs: list[tuple[float, float, Ours]] = []
    try:
        ready.wait(timeout=60)
        # The writer alone first: what this machine makes it wait without any backup.
        time.sleep(alone)
        for _ in range(count):
            started = time.perf_counter()
            taken = ours(env, backups)
            runs.append((started, time.perf_counter(), taken))
    finally:
        stop.set()  # never leave the writer running, even when a backup failed
        waits: list[tuple[float, float, float, float]] = result.get(timeout=120)
        proc.join()

    print(
        f"\nWith a writer committing every {pause * 1000:.0f} ms ({len(waits):,} commits), "
        f"{count} backups back to back [{_load()}]:"
    )
    first = runs[0][0]
    before = sorted(s for t, s, *_ in waits if t < first)
    print(
        f"  the writer alone for {alone:.0f} s first: longest waits "
        f"{', '.join(f'{s * 1000:.0f}' for s in before[-3:])} ms"
    )
    long_waits: list[str] = []
    worst = []
    for number, (start, end, taken) in enumerate(runs, 1):
        during = [wait for wait in waits if start <= wait[0] <= end]
        worst.append(max((wait[1] for wait in during), default=0.0))
        long_waits += [
            f"{s * 1000:.0f} ms (BEGIN {begin * 1000:.0f}, COMMIT {commit * 1000:.0f}) in "
            f"backup {number} ({_phase_at(t, taken)})"
            for t, s, begin, commit in during
            if s > LONG_WAIT
        ]
    totals = [taken.total for _, _, taken in runs]
    print(
        f"  backups: {statistics.median(totals):.2f} s median, {max(totals):.2f} s longest; "
        f"longest write wait per backup (ms): {', '.join(f'{w * 1000:.0f}' for w in worst)}"
    )
    print(f"  writes waiting > {LONG_WAIT * 1000:.0f} ms: {'; '.join(long_waits) or 'none'}")
    print(
        f"  longest write wait: {max(worst) * 1000:.1f} ms, median of all waits "
        f"{statistics.median(wait[1] for wait in waits) * 1000:.2f} ms "
        f"(target <= {TARGET_STALL * 1000:.0f} ms)"
    )


def _compression(copy: Path, sample_bytes: int = 256 * 1024 * 1024) -> str:
    """Would compressing backups pay? zlib level 1 (the fastest) on a sample of a copy.

    Never of the live file: closing a descriptor of it would drop this
    process's SQLite locks on it.
    """
    with open(copy, "rb") as handle:
        sample = handle.read(sample_bytes)
    started = time.perf_counter()
    packed = zlib.compress(sample, 1)
    rate = len(sample) / (time.perf_counter() - started)
    return (
        f"compression (zlib level 1, {len(sample) / 1e6:.0f} MB sample): "
        f"{len(sample) / len(packed):.1f}x smaller at {rate / 1e6:.0f} MB/s, so "
        f"+{copy.stat().st_size / rate:.2f} s on this file"
    )


def _seconds(values: list[float]) -> str:
    return f"{statistics.median(values):6.2f} s median ({', '.join(f'{v:.2f}' for v in values)})"


def compare(db_path: Path, env: dict[str, str], backups: Path, rounds: int) -> None:
    copy = backups.parent / "cli-copy.sqlite3"
    results: list[tuple[dict[str, float], Ours]] = []
    compression = ""
    for number in range(1, rounds + 1):
        _warm(db_path)
        theirs = pipeline(db_path, copy)
        compression = compression or _compression(copy)
        copy.unlink()
        _warm(db_path)
        results.append((theirs, ours(env, backups)))
        print(f"  round {number} done [{_load()}]", flush=True)
    print("\nThe administrator's pipeline:")
    for step, label in [("backup", ".backup"), ("check", "integrity_check"), ("sha256sum", "")]:
        print(f"  sqlite3 {label or 'sha256sum':16} {_seconds([p[step] for p, _ in results])}")
    print(f"  pipeline total          {_seconds([p['total'] for p, _ in results])}")
    print("manage.py backup:")
    for name in PHASE_NAMES:
        print(f"  {name:23} {_seconds([o.phases[name] for _, o in results])}")
    print(f"  total (the command)     {_seconds([o.total for _, o in results])}")
    ratios = [o.total / p["total"] for p, o in results]
    copies = [o.phases["copy"] / p["backup"] for p, o in results]
    print(
        f"ours / pipeline:         {statistics.median(ratios):.2f}x median "
        f"({', '.join(f'{r:.2f}' for r in ratios)}; target <= {TARGET_RATIO:.1f}x)"
    )
    print(
        f"our copy / CLI .backup:  {statistics.median(copies):.2f}x median "
        f"({', '.join(f'{r:.2f}' for r in copies)}; target <= {TARGET_COPY_RATIO:.1f}x)"
    )
    print(compression)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="Database size (1024).")
    parser.add_argument("--db", type=Path, help="Reuse this database (built there if missing).")
    parser.add_argument(
        "--rounds", type=int, default=3, help="Timed rounds of each (3; 0: only the loaded half)."
    )
    parser.add_argument(
        "--loaded-backups", type=int, default=20, help="Backups under a writer (20)."
    )
    parser.add_argument(
        "--writer-pause-ms", type=float, default=5.0, help="Writer's pause between commits (5)."
    )
    parser.add_argument(
        "--writer-alone", type=float, default=30.0, help="Seconds of the writer alone first (30)."
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="plexomatic-bench-backup-"))
    work.chmod(0o700)  # the site's own check warns about a folder others can read
    db_path = (args.db or work / "plexomatic.sqlite3").resolve()
    backups = work / "backups"
    backups.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env.update(
        PLEXOMATIC_DATA_DIR=str(work),
        DATABASE_URL=f"sqlite:///{db_path}",
        PLEXOMATIC_BACKUP_DIR=str(backups),
    )
    try:
        fresh = not db_path.exists()
        started = time.perf_counter()
        # A kept database from older code is migrated: `backup` refuses pending migrations.
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=BASE_DIR, env=env, check=True
        )
        for path in backups.glob("plexomatic-*"):
            path.unlink()  # the pre-migration backup a kept database may just have had
        if fresh:
            print(f"Building a {args.size_mb} MB database at {db_path} …", flush=True)
            build(
                db_path,
                files=args.size_mb * FILES_PER_MB,
                operations=args.size_mb * OPERATIONS_PER_MB,
            )
            print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
        with closing(sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)) as db:
            counts = [
                db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("library_mediafile", "library_fileoperation")
            ]
        size = db_path.stat().st_size
        print(
            f"Database: {size / 1e9:.2f} GB, {counts[0]:,} media files, {counts[1]:,} "
            f"operations; sqlite3 {sqlite3.sqlite_version}; {os.cpu_count()} cores [{_load()}]",
            flush=True,
        )
        if args.rounds:
            compare(db_path, env, backups, args.rounds)
        if args.loaded_backups:
            loaded(
                db_path,
                env,
                backups,
                args.loaded_backups,
                args.writer_pause_ms / 1000,
                args.writer_alone,
            )
        with closing(sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)) as db:
            print(
                f"The database afterwards: quick_check {db.execute('PRAGMA quick_check').fetchone()[0]}"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
