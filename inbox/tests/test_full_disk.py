"""A copy import into a library on a full disk: a real 2 MiB tmpfs (we run as root).

The film does not fit and fails mid-file with ENOSPC; the episode after it does:
the film's partial copy is removed, its source is untouched, the episode lands,
and the journal holds no pending operation.
"""

from __future__ import annotations

import hashlib
import os
import subprocess

import pytest

from inbox.models import InboxFolder
from inbox.services.inbox_import import inbox_import
from inbox.tests.downloads import SETTLED_MTIME
from library.models import FileOperation, Library

Status = FileOperation.Status


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MiB filesystem of its own, unmounted afterwards."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def _write(path, size: int) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(os.urandom(size))
    os.utime(path, (SETTLED_MTIME, SETTLED_MTIME))
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_copy_that_fills_the_disk_fails_alone_and_leaves_nothing_behind(db, tmp_path, small_disk):
    library = Library.objects.create(name="Library", root_path=str(small_disk), kind="mixed")
    downloads = tmp_path / "downloads"
    film = downloads / "A.Big.Film.1999.1080p.BluRay.x264-GRP" / "A.Big.Film.1999.mkv"
    episode = downloads / "Zed.Road.S01E01.720p.HDTV.x264-GRP.mkv"
    film_sum, episode_sum = _write(film, 3 * 1024 * 1024), _write(episode, 256 * 1024)
    inbox = InboxFolder.objects.create(
        name="Downloads", path=str(downloads), mode="copy", library=library
    )

    result = inbox_import(inbox=inbox)

    assert result.completed == 1
    [failed] = result.failed
    assert failed.original_path == str(film) and failed.status == Status.FAILED
    assert failed.error == (
        "Not done: the target's disk is full (no space left on device); nothing of it is left there."
    )
    # The partial copy is gone; the source is as it was; the episode landed whole.
    landed = [os.path.join(d, n) for d, _, names in os.walk(small_disk) for n in names]
    assert len(landed) == 1 and landed[0].endswith("Zed Road - s01e01.mkv"), landed
    with open(landed[0], "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == episode_sum
    assert hashlib.sha256(film.read_bytes()).hexdigest() == film_sum
    assert episode.exists()
    assert not FileOperation.objects.filter(status=Status.PENDING).exists()
    assert result.batch is not None
    assert set(result.batch.operations.values_list("status", flat=True)) == {
        Status.COMPLETED,
        Status.FAILED,
    }
