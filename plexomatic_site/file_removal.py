"""Removing a file of gigabytes (a backup, an upload) without stalling the site's commits.

Unlinking a 1.25 GB backup frees all its blocks in one filesystem journal
commit, and on a filesystem mounted with `discard` trims them there too. A
SQLite commit of the site that fsyncs (its checkpoint) waits behind it:
measured on ext4 (discard), a writer committing every 5 ms waited 390 to 515 ms.
Shrunk 64 MiB at a time with an fsync after each step, the same removal took
as long (0.9 s) and the writer's longest wait was 36 to 93 ms.

No step is seen by anybody: the name goes first, in one unlink, and the file
is shrunk through a descriptor to an inode no name points to any more. A
crash part-way leaves an orphan inode, which the filesystem frees itself.

Deliberately standard library only: the benchmarks use it outside Django.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

STEP_BYTES = 64 * 1024 * 1024


def file_remove(path: Path, *, missing_ok: bool = False) -> None:
    """Delete `path` as `Path.unlink` does, a big regular file a step at a time.

    Only a file with no other hard link is shrunk (another name would lose
    its data); a symbolic link is removed itself, never its target.
    """
    if os.name != "posix":  # an open file cannot be unlinked there
        path.unlink(missing_ok=missing_ok)
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        if missing_ok:
            return
        raise
    except OSError:  # a symbolic link (ELOOP), a folder, a read-only file: as unlink does
        path.unlink(missing_ok=missing_ok)
        return
    try:
        os.unlink(path)
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode) and info.st_nlink == 0:
            size = info.st_size
            while size > STEP_BYTES:  # from the end, one durable step at a time
                size -= STEP_BYTES
                os.ftruncate(fd, size)
                os.fsync(fd)
    finally:
        os.close(fd)
