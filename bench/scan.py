"""Scan benchmark: first scan, rescans and peak memory against the floors of the same run.

    .venv/bin/python bench/scan.py [--files 100000]

On a synthetic library of empty files (bench/synthetic.py), in one run:

1. the floors: a bare os.scandir walk that stats every file, and the same walk
   that also takes every file's sampled checksum (checksum_compute: what a scan
   that read every file would have to do at least);
2. the first scan, with its split (walk, fingerprint, recognition, database,
   Plex check, plan) and the files it read;
3. unchanged rescans, alternated with bare walks (medians of five): as a scan
   finds them (the walk's digest matches, no row is read) and with the digest
   forgotten (every row read and compared, as after a row changed elsewhere);
4. a rescan after 10 files were touched (4 renamed, 3 added, 3 deleted), with
   how many files it planned again.

Targets for 100,000 files: unchanged rescan <= 1.5x the bare walk; first scan
<= 3x the walk with sampled reads; a rescan touching 10 files plans 10 files
again; peak RSS <= 300 MB. The machine's load is printed beside the figures.
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
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def bare_walk(root: str, read: Callable[[str], object] | None = None) -> int:
    """The floor: list every folder with os.scandir, stat every file (and `read` it)."""
    count = 0
    stack = [root]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir():
                    stack.append(entry.path)
                else:
                    entry.stat()
                    if read is not None:
                        read(entry.path)
                    count += 1
    return count


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def load() -> str:
    with open("/proc/loadavg") as handle:
        return "load " + " ".join(handle.read().split()[:3])


def touch_ten(root: str, paths: list[str]) -> None:
    """Rename 4 files, add 3, delete 3: ten files a rescan must plan again (videos
    without subtitles, which would follow their video into the plan)."""
    sidecars = {path.rsplit(".", 2)[0] for path in paths if path.endswith(".srt")}  # x.en.srt
    episodes = [
        path
        for path in paths
        if " - s" in path and path.endswith(".mkv") and path.rsplit(".", 1)[0] not in sidecars
    ]
    step = len(episodes) // 11
    picked = episodes[step::step][:10]
    for path in picked[:4]:
        stem, ext = os.path.splitext(path)
        os.rename(path, f"{stem} (renamed){ext}")
    for n, path in enumerate(picked[4:7]):
        folder = os.path.dirname(path)
        with open(os.path.join(folder, f"Added.S40E{n + 1:02}.mkv"), "wb"):
            pass
    for path in picked[7:]:
        os.unlink(path)


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
    from library.models import Library, MediaFile
    from library.services.checksum import checksum_compute
    from library.services.scan import library_scan

    call_command("migrate", verbosity=0)
    root = os.path.join(work, "media")
    started = time.perf_counter()
    written = synthetic_library(root, args.files)
    print(f"generated {written:,} files in {time.perf_counter() - started:.1f} s under {root}")
    print(f"start: {load()}")

    walked = bare_walk(root)  # warms the page cache: every timing below sees the same disk
    read_walks = [timed(lambda: bare_walk(root, checksum_compute)) for _ in range(3)]
    read_walk_s = statistics.median(read_walks)
    library = Library.objects.create(name="Bench", root_path=root)
    print(f"floors measured: {load()}")

    started = time.perf_counter()
    first = library_scan(library=library)
    first_s = time.perf_counter() - started
    rss_first = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"first scan done: {load()}")

    # Alternate the two, five times each, and compare medians: the machine
    # may be busy with other work, and this keeps both under the same load.
    walks, rescans, compared = [], [], []
    for _ in range(5):
        walks.append(timed(lambda: bare_walk(root)))
        library.refresh_from_db()  # as the scan command would load it
        started = time.perf_counter()
        again = library_scan(library=library)
        rescans.append(time.perf_counter() - started)
        Library.objects.filter(pk=library.pk).update(listing_digest="")
        library.refresh_from_db()
        started = time.perf_counter()
        library_scan(library=library)
        compared.append(time.perf_counter() - started)
    walk_s, rescan_s = statistics.median(walks), statistics.median(rescans)
    compared_s = statistics.median(compared)

    paths = sorted(MediaFile.objects.values_list("path", flat=True))
    touch_ten(root, paths)
    library.refresh_from_db()
    started = time.perf_counter()
    touched = library_scan(library=library)
    touched_s = time.perf_counter() - started
    rss_end = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rescans done: {load()}")

    rows = first.new
    print()
    print(f"bare walk (scandir+stat)  : {walk_s:7.2f} s ({walked:,} files, median of 5)")
    print(
        f"bare walk + sampled reads : {read_walk_s:7.2f} s (checksum_compute of each, median of 3)"
    )
    print(
        f"first scan                : {first_s:7.2f} s ({rows:,} new, {rows / first_s:,.0f} files/s, "
        f"{first.read:,} files read)"
    )
    for phase, seconds in first.phases.items():
        print(f"  {phase:<24}: {seconds:7.2f} s")
    scan_only = first_s - first.phases["plan"]
    print(f"  first scan without plan : {scan_only:7.2f} s")
    print(
        f"rescan (unchanged)        : {rescan_s:7.2f} s ({again.unchanged:,} unchanged, "
        f"{rows / rescan_s:,.0f} files/s, median of 5)"
    )
    print(f"  rows read and compared  : {compared_s:7.2f} s (digest forgotten, median of 5)")
    print(
        f"rescan (10 files touched) : {touched_s:7.2f} s ({touched.moved} moved, {touched.new} new, "
        f"{touched.missing} missing; {touched.replanned} files planned again; "
        f"{touched.read} files read)"
    )
    print(f"  {touched.headline()}")
    for phase, seconds in touched.phases.items():
        print(f"  {phase:<24}: {seconds:7.2f} s")
    print()
    print(f"rescan / bare walk                   : {rescan_s / walk_s:5.2f}x  (target <= 1.5x)")
    print(f"  with the rows read and compared    : {compared_s / walk_s:5.2f}x")
    print(f"first scan / walk + reads            : {first_s / read_walk_s:5.2f}x  (target <= 3x)")
    print(f"first scan without plan / walk+reads : {scan_only / read_walk_s:5.2f}x")
    print(f"touched rescan / bare walk           : {touched_s / walk_s:5.2f}x")
    print(f"files planned again after touching 10: {touched.replanned}  (target 10)")
    print(
        f"peak RSS                             : {rss_first:5.0f} MB after the first scan, "
        f"{rss_end:.0f} MB at the end (whole process, Django included; target <= 300 MB)"
    )
    print(
        f"recognised as UNKNOWN                : "
        f"{MediaFile.objects.filter(media_type='UNKNOWN').count():,} of {rows:,}"
    )
    print(f"end: {load()}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
