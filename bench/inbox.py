"""Inbox import benchmark: files per second in each mode, next to a bare loop of the same
system calls, measured in the same run.

    .venv/bin/python bench/inbox.py [--releases 400] [--size 1048576] [--dir DIR]

For each mode (hardlink, move, copy) a fresh downloads folder of `--releases`
mixed releases (inbox/tests/downloads.py: episodes, season packs with a
subtitle, anime, films with subtitles, a featurette, a sample and an .nfo;
files of `--size` bytes) goes into two empty libraries (TV, Movies):

1. the floor: a bare loop of os.link / os.rename / a copy with fsync over the same
   files into one folder;
2. `inbox_import`: walk and recognise, plan, journal (sampled checksums, pending
   rows), the operations (no clobber, a copy verified, a link's inode checked),
   grouped commits, then the scan of the libraries that indexes the new files;
3. `operations_rollback` of that batch (verification, removal or move back,
   the libraries' rescan).

Each prints seconds, files/s and the ratio to its floor, with the load average
before and after. Everything is deleted at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _copy_synced(source: str, target: str) -> None:
    with open(source, "rb") as src, open(target, "xb") as dst:
        shutil.copyfileobj(src, dst, length=1024 * 1024)
        dst.flush()
        os.fsync(dst.fileno())


def floor(paths: list[str], into: str, mode: str) -> float:
    """Seconds for the bare system calls of `mode` over `paths`, into `into`."""
    calls: dict[str, Callable[[str, str], None]] = {
        "hardlink": os.link,
        "move": os.rename,
        "copy": _copy_synced,
    }
    do = calls[mode]
    os.makedirs(into)
    started = time.perf_counter()
    for n, path in enumerate(paths):
        do(path, os.path.join(into, f"{n}{os.path.splitext(path)[1]}"))
    elapsed = time.perf_counter() - started
    if mode == "move":  # put them back for the import
        for n, path in enumerate(paths):
            os.rename(os.path.join(into, f"{n}{os.path.splitext(path)[1]}"), path)
    shutil.rmtree(into)
    return elapsed


class Marks:
    """When the import's file operations ended (the libraries' scan follows)."""

    operations_done: float | None = None

    def progress(self, done: int, total: int | None = None, message: str = "") -> None:
        if message == "Importing files" and done == total and self.operations_done is None:
            self.operations_done = time.perf_counter()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=400)
    parser.add_argument("--size", type=int, default=1024 * 1024)
    parser.add_argument("--dir", help="Work folder (default: a temporary one).")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="plexomatic-bench-inbox-", dir=args.dir)
    os.environ["PLEXOMATIC_DATA_DIR"] = os.path.join(work, "data")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plexomatic_site.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from inbox.models import InboxFolder
    from inbox.services.inbox_import import inbox_import
    from inbox.tests.downloads import downloads_make
    from library.models import Library
    from library.services.rollback import operations_rollback

    call_command("migrate", verbosity=0)
    print(f"{args.releases} releases, files of {args.size} bytes, in {work}")
    try:
        for mode in ("hardlink", "move", "copy"):
            root = Path(work, mode)
            downloads = downloads_make(root / "downloads", releases=args.releases, size=args.size)
            paths = [str(downloads.root / relative) for relative in downloads.importable]
            os.sync()
            before = load()
            bare = floor(paths, str(root / "floor"), mode)
            libraries = []
            for name in ("TV", "Movies"):
                (root / name).mkdir()
                libraries.append(
                    Library.objects.create(name=f"{mode} {name}", root_path=str(root / name))
                )
            inbox = InboxFolder.objects.create(
                name=mode,
                path=str(downloads.root),
                mode=mode,
                tv_library=libraries[0],
                movie_library=libraries[1],
            )
            marks = Marks()
            started = time.perf_counter()
            result = inbox_import(inbox=inbox, progress=marks.progress)
            imported = time.perf_counter() - started
            scan = time.perf_counter() - (marks.operations_done or time.perf_counter())
            assert result.batch is not None and not result.failed, result.failed[:3]
            started = time.perf_counter()
            rolled = operations_rollback(
                operations=result.batch.operations.select_related("batch__library")
            )
            rollback = time.perf_counter() - started
            assert not rolled.problems, rolled.problems[:3]
            files = result.completed
            print(
                f"{mode:>8}: {files} files; bare loop {bare:.2f} s ({files / bare:,.0f} files/s); "
                f"import {imported:.2f} s ({files / imported:,.0f} files/s, "
                f"{imported / bare:.1f}x the loop; of which the libraries' scan {scan:.2f} s); "
                f"rollback {rollback:.2f} s ({files / rollback:,.0f} files/s); "
                f"load {before} -> {load()}"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
