"""Filesystem conditions that are hard to make: a read-only folder, another
filesystem, a full disk. Context managers, so tests say where they start and end."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def read_only_folder(folder: Path | str) -> Iterator[None]:
    """Nothing can be added to or removed from `folder`, even by root (which ignores
    permission bits, hence the immutable attribute)."""
    folder = Path(folder)
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    else:
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        yield
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(stat.S_IRWXU)


@contextmanager
def other_filesystem(near: Path | str) -> Iterator[Path]:
    """A folder on another filesystem than `near` (tmpfs at /dev/shm), or skip."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(near).st_dev:
        pytest.skip("needs /dev/shm on a filesystem of its own")
    folder = Path(tempfile.mkdtemp(dir=shm, prefix="plexomatic-test-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def disk_full_after(size: int) -> Iterator[None]:
    """Writes past `size` bytes into any file fail (EFBIG), as on a full disk."""
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, old_limit[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)


@contextmanager
def filesystem_at(folder: Path | str) -> Iterator[Path]:
    """A small tmpfs mounted at `folder` (created), so a move inside one library folder
    crosses filesystems without a link leading outside it; skips where mount is refused."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64m", "plexomatic-test", str(folder)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip("needs permission to mount a tmpfs")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)
