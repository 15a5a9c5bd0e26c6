"""Benchmark `manage.py backup` against the sqlite3 CLI's `.backup` on a ~1 GB database.

    .venv/bin/python bench/backup.py [--size-mb 1024] [--rounds 2] [--keep DIR]

Generates a Plex-o-matic database (migrated, then a media-like table with
indexes filled fast with executemany) in a temporary data folder, then in
the same run:

1. times the sqlite3 command line's `.backup` of the live file;
2. times `manage.py backup --no-progress` on the same file;
3. runs `manage.py backup` again while another process commits a small write
   every 5 ms, and reports the longest time one of those commits took.

Targets (issue 3): our time at most 1.3x the CLI's; no write waits > 200 ms.
"""

from __future__ import annotations

import argparse
import multiprocessing
import multiprocessing.synchronize
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
SQLITE3 = shutil.which("sqlite3") or "/usr/bin/sqlite3"
ROW_BYTES = 345  # measured: what one row and its index entries take on disk


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env["PLEXOMATIC_DATA_DIR"] = str(data_dir)
    return env


def _timed_backup(data_dir: Path, note: str) -> float:
    """Wall time of one `manage.py backup`, whose file is then removed to save disk."""
    started = time.perf_counter()
    _manage(data_dir, "backup", "--no-progress", "--note", note)
    elapsed = time.perf_counter() - started
    for path in (data_dir / "backups").glob("plexomatic-*"):
        path.unlink()
    return elapsed


def _manage(data_dir: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=_env(data_dir),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def generate(db_path: Path, size_mb: int) -> None:
    """Fill the migrated database with media-like rows until it is ~size_mb."""
    rows = size_mb * 1024 * 1024 // ROW_BYTES
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA journal_mode=OFF")  # WAL again at the end
    db.execute("PRAGMA synchronous=OFF")
    db.execute(
        "CREATE TABLE bench_media (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, "
        "title TEXT NOT NULL, season INTEGER, episode INTEGER, size INTEGER NOT NULL, "
        "fingerprint TEXT NOT NULL, episode_title TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX bench_media_title ON bench_media (title, season, episode)")
    batch = 50_000
    db.execute("BEGIN")
    for start in range(0, rows, batch):
        db.executemany(
            "INSERT INTO bench_media VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    n,
                    f"/media/tv/Show {n // 2000:05d} (2019)/Season {n // 100 % 20:02d}/"
                    f"Show {n // 2000:05d} - s{n // 100 % 20:02d}e{n % 100:02d} - {n:09d}.mkv",
                    f"Show {n // 2000:05d}",
                    n // 100 % 20,
                    n % 100,
                    n * 7919 % 4_000_000_000,
                    f"{n * 2654435761 % 2**64:016x}{n:016x}",
                    f"An episode title that is long enough to be realistic {n:09d}",
                )
                for n in range(start, min(rows, start + batch))
            ),
        )
    db.execute("COMMIT")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()


def writer(
    db_path: str, stop: multiprocessing.synchronize.Event, result: multiprocessing.Queue
) -> None:
    """Commit one small row every 5 ms, like the site does; report commit latencies."""
    db = sqlite3.connect(db_path, timeout=20, isolation_level=None)
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE TABLE IF NOT EXISTS bench_writes (id INTEGER PRIMARY KEY, at REAL, pad TEXT)"
    )
    latencies: list[float] = []
    while not stop.is_set():
        started = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO bench_writes (at, pad) VALUES (?, ?)", (started, "x" * 200))
        db.execute("COMMIT")
        latencies.append(time.perf_counter() - started)
        time.sleep(0.005)
    db.close()
    result.put(latencies)


def _compression(path: Path, sample_bytes: int = 256 * 1024 * 1024) -> str:
    """Would compressing backups pay? zlib level 1 (the fastest) on a sample of the copy."""
    with open(path, "rb") as handle:
        sample = handle.read(sample_bytes)
    started = time.perf_counter()
    packed = zlib.compress(sample, 1)
    rate = len(sample) / (time.perf_counter() - started)
    return (
        f"compression (zlib level 1, {len(sample) / 1e6:.0f} MB sample): "
        f"{len(sample) / len(packed):.1f}x smaller at {rate / 1e6:.0f} MB/s, so "
        f"+{path.stat().st_size / rate:.2f} s on this file"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="Database size (default 1024).")
    parser.add_argument("--rounds", type=int, default=2, help="Timed runs of each (default 2).")
    parser.add_argument("--keep", type=Path, help="Use this folder and keep it afterwards.")
    args = parser.parse_args()

    data_dir = args.keep or Path(tempfile.mkdtemp(prefix="plexomatic-bench-backup-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    db_path = data_dir / "plexomatic.sqlite3"
    try:
        if not db_path.exists():
            print(f"Generating a {args.size_mb} MB database in {data_dir} …", flush=True)
            started = time.perf_counter()
            _manage(data_dir, "migrate", "-v0")
            generate(db_path, args.size_mb)
            print(f"  generated in {time.perf_counter() - started:.1f} s", flush=True)
        else:
            # A kept database from older code: `backup` refuses pending migrations.
            _manage(data_dir, "migrate", "-v0")
            for path in (data_dir / "backups").glob("plexomatic-*"):
                path.unlink()  # e.g. the pre-migration backup just taken
        size = db_path.stat().st_size
        print(f"Database: {size / 1e9:.2f} GB ({size:,} bytes); sqlite3 {sqlite3.sqlite_version}")

        cli_times, our_times, check_times = [], [], []
        compression = ""
        for _ in range(args.rounds):
            target = data_dir / "cli-copy.sqlite3"
            started = time.perf_counter()
            subprocess.run([SQLITE3, str(db_path), f".backup '{target}'"], check=True)
            cli_times.append(time.perf_counter() - started)
            # What our backup adds on top of a copy: the full integrity check.
            started = time.perf_counter()
            with sqlite3.connect(f"{target.as_uri()}?mode=ro", uri=True) as copy:
                assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            check_times.append(time.perf_counter() - started)
            if not compression:
                compression = _compression(target)
            target.unlink()
            our_times.append(_timed_backup(data_dir, "bench"))
        cli, ours = min(cli_times), min(our_times)
        print(f"sqlite3 .backup:     {', '.join(f'{t:.2f}' for t in cli_times)} s (best {cli:.2f})")
        print(
            f"manage.py backup:    {', '.join(f'{t:.2f}' for t in our_times)} s (best {ours:.2f})"
        )
        print(f"ratio (best/best):   {ours / cli:.2f}x  (target <= 1.30x)")
        print(
            f"of which unavoidable: PRAGMA integrity_check alone on the CLI's copy takes "
            f"{min(check_times):.2f} s ({min(check_times) / cli:.2f}x the CLI's whole backup)"
        )

        print(compression)

        stop = multiprocessing.Event()
        result: multiprocessing.Queue = multiprocessing.Queue()
        proc = multiprocessing.Process(target=writer, args=(str(db_path), stop, result))
        proc.start()
        time.sleep(1.0)  # the writer is up and committing
        with_writer = _timed_backup(data_dir, "bench, with a writer")
        time.sleep(0.5)
        stop.set()
        latencies = result.get(timeout=60)
        proc.join()
        print(f"manage.py backup with a concurrent writer: {with_writer:.2f} s")
        print(
            f"writer: {len(latencies)} commits, longest {max(latencies) * 1000:.1f} ms, "
            f"median {statistics.median(latencies) * 1000:.2f} ms (target: none > 200 ms)"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
