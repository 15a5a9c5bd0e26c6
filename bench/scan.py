"""Scan benchmark: first scan, rescan and peak memory on a synthetic library.

    .venv/bin/python bench/scan.py [--files 100000]

Prints first-scan and rescan times, files per second, the rescan time as a
ratio to a bare os.scandir walk of the same tree, and peak memory (RSS).
Targets for 100,000 files: rescan <= 2x the bare walk, first scan < 120 s,
peak memory < 500 MB.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def bare_walk(root: str) -> int:
    """The floor: list every folder with os.scandir and stat every file."""
    count = 0
    stack = [root]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir():
                    stack.append(entry.path)
                else:
                    entry.stat()
                    count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="plexomatic-bench-scan-")
    os.environ["PLEXOMATIC_DATA_DIR"] = os.path.join(work, "data")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plexomatic_site.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from bench.synthetic import synthetic_library
    from library.models import Library, LibraryPlan, MediaFile
    from library.services.plan_store import plan_refresh
    from library.services.scan import library_scan

    call_command("migrate", verbosity=0)
    root = os.path.join(work, "media")
    started = time.perf_counter()
    written = synthetic_library(root, args.files)
    print(f"generated {written:,} files in {time.perf_counter() - started:.1f} s under {root}")

    library = Library.objects.create(name="Bench", root_path=root)
    bare_walk(root)  # warm the page cache so every timing below sees the same disk state

    started = time.perf_counter()
    first = library_scan(library=library)
    first_s = time.perf_counter() - started
    rss_after_first = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # Alternate the two, three times each, and compare medians: the machine
    # may be busy with other work, and this keeps both under the same load.
    walks, rescans = [], []
    for _ in range(3):
        started = time.perf_counter()
        walked = bare_walk(root)
        walks.append(time.perf_counter() - started)
        library.refresh_from_db()  # as the scan command would load it
        started = time.perf_counter()
        again = library_scan(library=library)
        rescans.append(time.perf_counter() - started)
    walk_s, rescan_s = statistics.median(walks), statistics.median(rescans)

    # The first scan ends by storing the library's rename plan: its share, timed alone.
    LibraryPlan.objects.filter(library=library).delete()
    started = time.perf_counter()
    planned = plan_refresh(library)
    plan_s = time.perf_counter() - started

    rows = MediaFile.objects.count()
    print(f"bare os.scandir walk+stat : {walk_s:7.2f} s ({walked:,} files, median of 3)")
    print(
        f"first scan                : {first_s:7.2f} s ({first.new:,} new, {rows / first_s:,.0f} files/s)"
    )
    print(
        f"  of which the full plan  : {plan_s:7.2f} s ({planned.replanned:,} files planned and stored)"
    )
    print(
        f"rescan (unchanged)        : {rescan_s:7.2f} s ({again.unchanged:,} unchanged, {rows / rescan_s:,.0f} files/s)"
    )
    print(f"rescan / bare walk        : {rescan_s / walk_s:7.2f}x   (target <= 2x)")
    print(
        f"peak RSS after first scan : {rss_after_first:7.0f} MB  (whole process, Django included; target < 500 MB)"
    )
    print(
        f"recognised as UNKNOWN     : {MediaFile.objects.filter(media_type='UNKNOWN').count():,} of {rows:,}"
    )
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
