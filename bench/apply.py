"""Apply and rollback benchmark: files per second next to a bare os.rename loop.

    .venv/bin/python bench/apply.py [--files 10000] [--size 1048576] [--dir DIR]

Writes `--files` files of `--size` bytes (distinct content) into a temporary
library on one filesystem, then, in the same run and over the same files:

1. a bare os.rename loop (each file to a sibling name and back: the floor);
2. `library_apply` (plan, journal with sampled checksums, no-clobber moves
   into Show (Year)/Season NN/ folders, database updates);
3. `operations_rollback` of that batch (checksum verification, moves back).

Target: at least 1,000 files/s for apply and for rollback. Everything is
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


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


def bare_rename_loop(paths: list[str]) -> float:
    """Seconds for one os.rename per file (each file is renamed away and back; half counted)."""
    started = time.perf_counter()
    for path in paths:
        os.rename(path, path + ".bench")
    elapsed = time.perf_counter() - started
    for path in paths:
        os.rename(path + ".bench", path)
    return elapsed


class PhaseTimer:
    """A progress callback that records when each phase (message) starts."""

    def __init__(self) -> None:
        self.marks: list[tuple[str, float]] = []

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        if not self.marks or self.marks[-1][0] != message:
            self.marks.append((message, time.perf_counter()))

    def report(self, started: float, ended: float) -> str:
        points = [("Planning", started), *self.marks, ("end", ended)]
        return ", ".join(
            f"{name.lower()} {later - at:.2f} s"
            for (name, at), (_, later) in itertools.pairwise(points)
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
    from library.services.apply import library_apply
    from library.services.rollback import operations_rollback

    try:
        call_command("migrate", verbosity=0)
        root = os.path.join(work, "media")
        started = time.perf_counter()
        paths = write_files(root, args.files, args.size)
        print(
            f"wrote {len(paths):,} files of {args.size:,} bytes in "
            f"{time.perf_counter() - started:.1f} s under {root}"
        )
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
                )
                for n, path in enumerate(paths)
            ),
            batch_size=1000,
        )
        # The set-up's own write-back (10 GB by default) must not land in the timings.
        os.sync()
        bare_rename_loop(paths)  # warm the page cache and dentries for every timing below
        bare_s = bare_rename_loop(paths)

        timer = PhaseTimer()
        started = time.perf_counter()
        result = library_apply(library=library, progress=timer)
        apply_s = time.perf_counter() - started
        assert result.completed == len(paths), result.job_summary()
        apply_phases = timer.report(started, started + apply_s)

        operations = FileOperation.objects.filter(batch=result.batch).select_related(
            "batch__library"
        )
        timer = PhaseTimer()
        started = time.perf_counter()
        undone = operations_rollback(operations=operations, progress=timer)
        rollback_s = time.perf_counter() - started
        assert undone.rolled_back == len(paths), undone.job_summary()
        assert all(os.path.exists(path) for path in paths)
        rollback_phases = timer.report(started, started + rollback_s)

        count = len(paths)
        print(f"bare os.rename loop : {bare_s:7.2f} s  {count / bare_s:10,.0f} files/s")
        print(f"apply               : {apply_s:7.2f} s  {count / apply_s:10,.0f} files/s")
        print(f"    ({apply_phases})")
        print(f"rollback            : {rollback_s:7.2f} s  {count / rollback_s:10,.0f} files/s")
        print(f"    ({rollback_phases})")
        verdict = "met" if min(count / apply_s, count / rollback_s) >= 1000 else "NOT met"
        print(f"target >= 1,000 files/s for apply and rollback: {verdict}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
