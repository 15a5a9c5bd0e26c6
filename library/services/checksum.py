"""File checksums for the journal: identify a file without reading a whole video.

The default, `sample1:<size>:<hex>`, is SHA-256 over the file size and three
64 KiB blocks: the first, the one in the middle and the last (the whole file
when it is smaller than three blocks). Any change of length, header, index or
trailer changes it, at the cost of three reads whatever the file size. The
optional `sha256:<size>:<hex>` hashes the whole content. A bare 64-digit hex
value (what older tools store) is read as a whole-content SHA-256.

A file's identity (`file_identity`: inode, size, and modification and change
times in nanoseconds) says without a read that it is still the file it was: a
write changes the change time, and no program can set that one back.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from library.errors import UnknownChecksum
from plexomatic_site.queries import chunked

T = TypeVar("T")
R = TypeVar("R")

BLOCK = 64 * 1024
SAMPLED = "sample1"
FULL = "sha256"
_BARE_SHA256 = re.compile(r"[0-9a-f]{64}")
# Hashing releases the GIL and reads overlap on a NAS: a few threads help.
THREADS = 4
# Files per task handed to a thread: one task per file costs more than a sampled checksum.
RUN = 32


def _seek_read(fd: int, length: int, offset: int) -> bytes:
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, length)


_pread = getattr(os, "pread", _seek_read)  # Windows has no pread


def _read_at(fd: int, offset: int, length: int) -> bytes:
    """Up to `length` bytes from `offset` (fewer only at the end of the file)."""
    parts = []
    while length > 0:
        part = _pread(fd, length, offset)
        if not part:
            break
        parts.append(part)
        offset += len(part)
        length -= len(part)
    return b"".join(parts)


def _sampled(fd: int, size: int) -> str:
    digest = hashlib.sha256(str(size).encode() + b"\0")
    if size <= 3 * BLOCK:
        # The whole file, to its end (as read now, whatever fstat said).
        while part := os.read(fd, 3 * BLOCK):
            digest.update(part)
        return digest.hexdigest()
    for offset in (0, (size - BLOCK) // 2, size - BLOCK):
        digest.update(_read_at(fd, offset, BLOCK))
    return digest.hexdigest()


def checksum_compute(path: str, *, full: bool = False) -> str:
    if full:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            return f"{FULL}:{size}:{hashlib.file_digest(handle, 'sha256').hexdigest()}"
    # One descriptor and one pread per block: no buffered file object, no seeks.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        return f"{SAMPLED}:{size}:{_sampled(fd, size)}"
    finally:
        os.close(fd)


def checksum_matches(path: str, expected: str) -> bool:
    """Whether the file at `path` still has the checksum `expected` (raises OSError)."""
    if _BARE_SHA256.fullmatch(expected):
        return checksum_compute(path, full=True).rsplit(":", 1)[1] == expected
    kind, _, _ = expected.partition(":")
    if kind not in {SAMPLED, FULL}:
        raise UnknownChecksum(
            f"The checksum {expected[:20]!r} is in a format this version cannot verify."
        )
    return checksum_compute(path, full=kind == FULL) == expected


def file_identity(path: str) -> str:
    """What `os.stat` says of the file at `path` that only a change to it changes (raises
    OSError). The device is left out: a remount may renumber it."""
    return _identity(os.stat(path))


def _identity(stat: os.stat_result) -> str:
    return f"{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}"


# Linux stamps file times from its coarse clock (one tick, a few milliseconds, behind),
# CLOCK_REALTIME_COARSE, which the time module does not name.
_FILE_CLOCK = 5 if sys.platform == "linux" else None


def _file_clock_ns() -> int:
    return time.clock_gettime_ns(_FILE_CLOCK) if _FILE_CLOCK is not None else time.time_ns()


def _settled_before() -> int:
    """A time before which no later change can stamp a change time: the start of the
    file clock's next tick, waited for (elsewhere, of unknown tick: a second ago)."""
    if _FILE_CLOCK is None:
        return time.time_ns() - 1_000_000_000
    tick = _file_clock_ns()
    while (now := _file_clock_ns()) == tick:
        time.sleep(0.001)
    return now


def identities_settled(paths: Iterable[str]) -> list[str]:
    """Each file's identity, or '' where it cannot prove the file unchanged later: the
    file is gone, or a change in the same clock tick (or, on a filesystem that keeps
    whole seconds, the same two seconds) would leave its change time as it is."""
    before = _settled_before()
    identities = []
    for path in paths:
        try:
            stat = os.stat(path)
        except OSError:
            identities.append("")
            continue
        whole_seconds = stat.st_ctime_ns % 1_000_000_000 == 0
        limit = before - before % 2_000_000_000 if whole_seconds else before
        identities.append(_identity(stat) if stat.st_ctime_ns < limit else "")
    return identities


def checksum_all(function: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
    """`function` (which checksums) of each item, in order, computed on a few threads."""
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for run in pool.map(lambda run: [function(item) for item in run], chunked(items, RUN)):
            yield from run
