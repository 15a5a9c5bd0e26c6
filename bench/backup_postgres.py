"""Benchmark backups on PostgreSQL against the pipeline an administrator would script.

    .venv/bin/python bench/backup_postgres.py [--size-mb 64] [--rounds 3]

Builds a SQLite database of about --size-mb (as bench/backup.py does), starts
a throwaway PostgreSQL server (tests/postgres_cluster.py), moves the data
there with `manage.py db_transfer` (timed), then --rounds times each:

1. the pipeline with the same checks: `pg_dump --format=custom`,
   `pg_restore --list`, `createdb` + `pg_restore --single-transaction` into a
   scratch database + `dropdb`, `sha256sum`;
2. `manage.py backup --no-progress` on PostgreSQL, with its phases (dump,
   check = restore into a scratch database and count, hash alongside);
3. `manage.py backup --no-progress` on the SQLite original, for scale.

Then one `manage.py restore` of a PostgreSQL backup. Prints figures and the
ratio ours/pipeline; it does not assert.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))

from bench.backup import FILES_PER_MB, OPERATIONS_PER_MB, SHA256SUM, ours  # noqa: E402
from bench.pages import build  # noqa: E402
from tests.postgres_cluster import postgres_cluster  # noqa: E402


def _load() -> str:
    return "load " + " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _tool_env(url: str) -> dict[str, str]:
    """libpq's environment for the tools: no password on their command line."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return {
        **os.environ,
        "PGHOST": parts.hostname or "",
        "PGPORT": str(parts.port),
        "PGUSER": parts.username or "",
        "PGPASSWORD": parts.password or "",
        "PGDATABASE": parts.path.lstrip("/"),
    }


def pipeline(url: str, dump: Path) -> float:
    env = _tool_env(url)
    started = time.perf_counter()
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}"], env=env, check=True)
    subprocess.run(["pg_restore", "--list", str(dump)], env=env, check=True, capture_output=True)
    subprocess.run(["createdb", "bench_scratch"], env=env, check=True)
    subprocess.run(
        ["pg_restore", "--no-owner", "--single-transaction", "-d", "bench_scratch", str(dump)],
        env=env,
        check=True,
    )
    subprocess.run(["dropdb", "bench_scratch"], env=env, check=True)
    subprocess.run([SHA256SUM, str(dump)], check=True, capture_output=True)
    elapsed = time.perf_counter() - started
    dump.unlink()
    return elapsed


def _manage(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=64, help="Database size (64).")
    parser.add_argument("--rounds", type=int, default=3, help="Timed rounds of each (3).")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="plexomatic-bench-pgbackup-"))
    work.chmod(0o700)
    backups = work / "backups"
    backups.mkdir(mode=0o700)
    lite = work / "plexomatic.sqlite3"
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    base.update(PLEXOMATIC_DATA_DIR=str(work), PLEXOMATIC_BACKUP_DIR=str(backups))
    sqlite_env = {**base, "DATABASE_URL": f"sqlite:///{lite}"}
    try:
        _manage(sqlite_env, "migrate", "-v0")
        build(lite, files=args.size_mb * FILES_PER_MB, operations=args.size_mb * OPERATIONS_PER_MB)
        _compare(work, base, sqlite_env, rounds=args.rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _compare(work: Path, base: dict[str, str], sqlite_env: dict[str, str], *, rounds: int) -> None:
    lite, backups = work / "plexomatic.sqlite3", work / "backups"
    with postgres_cluster() as cluster:
        url = cluster.database_url()
        pg_env = {**base, "DATABASE_URL": url}
        moved = _manage(sqlite_env, "db_transfer", url, "--no-progress")
        size = subprocess.run(
            ["psql", "-Atc", "SELECT pg_size_pretty(pg_database_size(current_database()))"],
            env=_tool_env(url),
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        print(
            f"SQLite {lite.stat().st_size / 1e6:.0f} MB -> PostgreSQL {size}: "
            f"db_transfer {moved:.1f} s; {os.cpu_count()} cores [{_load()}]",
            flush=True,
        )
        theirs, ours_pg, ours_lite = [], [], []
        for _ in range(rounds):
            theirs.append(pipeline(url, work / "pipeline.pgdump"))
            ours_pg.append(ours(pg_env, backups))
            ours_lite.append(ours(sqlite_env, backups))
            print(
                f"  pipeline {theirs[-1]:.2f} s, ours on PostgreSQL {ours_pg[-1].total:.2f} s "
                f"({ours_pg[-1].phases}), ours on SQLite {ours_lite[-1].total:.2f} s [{_load()}]",
                flush=True,
            )
        mine = statistics.median(o.total for o in ours_pg)
        print(
            f"Median: pipeline {statistics.median(theirs):.2f} s, ours {mine:.2f} s "
            f"(ratio {mine / statistics.median(theirs):.2f}x), SQLite "
            f"{statistics.median(o.total for o in ours_lite):.2f} s"
        )
        _manage(pg_env, "backup", "--no-progress", "-v0")
        (dump,) = backups.glob("plexomatic-*-manual.pgdump")
        restored = _manage(
            pg_env, "restore", dump.name, "--yes", "--allow-no-admin", "--no-progress"
        )
        print(f"manage.py restore of that backup: {restored:.2f} s [{_load()}]")


if __name__ == "__main__":
    main()
