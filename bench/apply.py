"""Apply and rollback benchmark: files per second next to a bare os.rename loop.

    .venv/bin/python bench/apply.py [--files 10000] [--size 1048576] [--dir DIR]

Writes `--files` files of `--size` bytes (distinct content) into a temporary
library on one filesystem, with the rows and the stored plan a scan leaves
(size, mtime, sampled fingerprint), syncs them to disk, then, in the same run
and over the same files:

1. a bare os.rename loop (each file to a sibling name and back: the floor);
2. `library_apply`: plan, journal (sampled checksums, pending rows), no-clobber
   moves into Show (Year)/Season NN/ folders, database (the grouped commits,
   each after its folders are fsynced);
3. `operations_rollback` of that batch: checksum verification, moves back,
   database;
4. after each, the refresh of the stored plan, which runs as a PLAN job of its
   own once the moves are done (library.tasks.plan_follow): timed apart, not
   counted in the files/s.

Each run prints its seconds, files/s and ratio to the bare loop, then its
phases, in wall-clock and CPU seconds (every thread's: steadier than the wall
clock on a shared machine), with the load average before and after.

Target: at least 3,000 files/s for apply and for rollback. Everything is
deleted at the end.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET = 3_000
BARE = "bare os.rename loop"


def write_files(root: str, count: int, size: int) -> list[str]:
    """`count` release-style episode names over 100 shows, each file with its own content."""
    block = os.urandom(size)
    paths = []
    folder = os.path.join(root, "incoming")
    os.makedirs(folder)
    for n in range(count):
        path = os.path.join(folder, f"show.{n % 100:03d}.s01e{n // 100 + 1:03d}.1080p.mkv")
        with open(path, "wb") as handle:
            handle.write(n.to_bytes(8, "big") + block[8:])
        paths.append(path)
    return paths


def bare_rename_loop(paths: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds for one os.rename per file (each file is renamed away and
    back; the first half is counted)."""
    started, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        os.rename(path, path + ".bench")
    elapsed = time.perf_counter() - started, time.process_time() - cpu
    for path in paths:
        os.rename(path + ".bench", path)
    return elapsed


def clocks() -> tuple[float, float]:
    """Wall-clock seconds, and CPU seconds of every thread (steadier on a shared machine)."""
    return time.perf_counter(), time.process_time()


class Phases:
    """Wall and CPU seconds per phase of one run: the phases its progress messages name,
    with the grouped journal commits taken out of the phase they happen in."""

    def __init__(self, first: str, names: dict[str, str]) -> None:
        self.names = names  # progress message (its start) -> phase name
        self.marks: list[tuple[str, tuple[float, float]]] = [(first, clocks())]
        self.commits = [0.0, 0.0]

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        name = next((n for m, n in self.names.items() if message.startswith(m)), "")
        if name and self.marks[-1][0] != name:
            self.marks.append((name, clocks()))

    def timed(self, commit: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = clocks()
            try:
                return commit(*args, **kwargs)
            finally:
                for n, (now, then) in enumerate(zip(clocks(), started, strict=True)):
                    self.commits[n] += now - then

        return wrapper

    def report(self, label: str, count: int, bare_s: float) -> tuple[str, float]:
        """The run's line (seconds, files/s, ratio to the bare loop) and its split; seconds."""
        ended = clocks()
        spent: dict[str, list[float]] = {}
        for (name, at), (_, later) in itertools.pairwise([*self.marks, ("", ended)]):
            totals = spent.setdefault(name, [0.0, 0.0])
            for n in range(2):
                totals[n] += later[n] - at[n]
        spent["moves"] = [m - c for m, c in zip(spent["moves"], self.commits, strict=True)]
        wall = ended[0] - self.marks[0][1][0]
        cpu = ended[1] - self.marks[0][1][1]
        split = ", ".join(
            [f"{name} {w:.2f} s (CPU {c:.2f})" for name, (w, c) in spent.items()]
            + [f"commits {self.commits[0]:.2f} s (CPU {self.commits[1]:.2f})"]
        )
        return f"{line(label, wall, count, bare_s, cpu)}\n    {split}", wall


def plan_job_line(refresh: Callable[..., Any], library: Any) -> str:
    """The PLAN job that follows a run: its seconds and how many files it planned again."""
    started = clocks()
    summary = refresh(library)
    wall, cpu = (now - then for now, then in zip(clocks(), started, strict=True))
    return (
        f"\n    then the plan job: {wall:.2f} s (CPU {cpu:.2f}), "
        f"{summary.replanned:,} of {summary.checked:,} files planned again"
    )


def line(label: str, seconds: float, count: int, bare_s: float, cpu_s: float) -> str:
    ratio = f"  {seconds / bare_s:5.1f} x the bare loop" if label != BARE else ""
    return (
        f"{label:<20}: {seconds:7.2f} s  {count / seconds:8,.0f} files/s{ratio}  CPU {cpu_s:.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="How many files (10,000).")
    parser.add_argument("--size", type=int, default=1024 * 1024, help="Bytes per file (1 MiB).")
    parser.add_argument("--dir", default=None, help="Where to make the temporary library.")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="plexomatic-bench-apply-", dir=args.dir)
    os.environ["PLEXOMATIC_DATA_DIR"] = os.path.join(work, "data")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plexomatic_site.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from library.models import FileOperation, Library, MediaFile, MediaType
    from library.services import journal
    from library.services.apply import library_apply
    from library.services.checksum import checksum_compute
    from library.services.plan_store import plan_refresh
    from library.services.rollback import operations_rollback

    try:
        call_command("migrate", verbosity=0)
        root = os.path.join(work, "media")
        started = time.perf_counter()
        paths = write_files(root, args.files, args.size)
        library = Library.objects.create(name="Bench", root_path=root)
        MediaFile.objects.bulk_create(
            (
                MediaFile(
                    library=library,
                    path=path,
                    name=os.path.basename(path),
                    media_type=MediaType.TV_SHOW,
                    title=f"Show {n % 100:03d}",
                    year=2000 + n % 20,
                    season=1,
                    episode=n // 100 + 1,
                    episodes=[n // 100 + 1],
                    size=args.size,
                    mtime=os.stat(path).st_mtime,
                    fingerprint=checksum_compute(path),
                )
                for n, path in enumerate(paths)
            ),
            batch_size=1000,
        )
        plan_refresh(library)  # the stored plan a scan leaves
        count = len(paths)
        print(
            f"set-up              : {time.perf_counter() - started:7.2f} s  "
            f"({count:,} files of {args.size:,} bytes, their rows and stored plan)"
        )
        # The set-up's own write-back (10 GB by default) must not land in the timings.
        started = time.perf_counter()
        os.sync()
        print(f"os.sync             : {time.perf_counter() - started:7.2f} s")
        bare_rename_loop(paths)  # warm the page cache and dentries for every timing below
        bare_s, bare_cpu = bare_rename_loop(paths)
        print(f"load average        : {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(line(BARE, bare_s, count, bare_s, bare_cpu))

        flush = journal.JournalWriter.flush
        phases = Phases("plan", {"Checksumming": "journal", "Renaming": "moves"})
        journal.JournalWriter.flush = phases.timed(flush)  # type: ignore[method-assign]
        result = library_apply(library=library, progress=phases)
        applied, apply_s = phases.report("apply", count, bare_s)
        assert result.completed == count, result.job_summary()
        applied += plan_job_line(plan_refresh, library)

        operations = FileOperation.objects.filter(batch=result.batch).select_related(
            "batch__library"
        )
        phases = Phases("verify", {"Moving files back": "moves"})
        journal.JournalWriter.flush = phases.timed(flush)  # type: ignore[method-assign]
        undone = operations_rollback(operations=operations, progress=phases)
        rolled_back, rollback_s = phases.report("rollback", count, bare_s)
        journal.JournalWriter.flush = flush  # type: ignore[method-assign]
        assert undone.rolled_back == count, undone.job_summary()
        rolled_back += plan_job_line(plan_refresh, library)
        assert all(os.path.exists(path) for path in paths)

        print(applied)
        print(rolled_back)
        print(
            "    (commits: the grouped journal commits, each after an fsync of its folders; "
            "the plan job runs after the moves and is not in the files/s)"
        )
        print(f"load average        : {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        verdict = "met" if min(count / apply_s, count / rollback_s) >= TARGET else "NOT met"
        print(f"target >= {TARGET:,} files/s for apply and rollback: {verdict}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
