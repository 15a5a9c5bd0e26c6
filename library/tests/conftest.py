"""Fixtures for filesystem conditions that are hard to make: a read-only folder,
another filesystem, a full disk."""

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


@pytest.fixture
def read_only():
    """Make a folder unwritable, even for root (which ignores permission bits)."""
    made: list[Path] = []

    def make(folder: Path) -> None:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "+i", str(folder)], check=True)
        else:
            folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
        made.append(folder)

    yield make
    for folder in made:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(stat.S_IRWXU)


@pytest.fixture
def other_filesystem(tmp_path) -> Iterator[Path]:
    """A folder on another filesystem than tmp_path (tmpfs at /dev/shm)."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("needs /dev/shm on a filesystem of its own")
    folder = Path(tempfile.mkdtemp(dir=shm, prefix="plexomatic-test-"))
    yield folder
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
