from __future__ import annotations

import os

import pytest

from plexomatic_site import file_removal
from plexomatic_site.file_removal import STEP_BYTES, file_remove

posix_only = pytest.mark.skipif(os.name != "posix", reason="shrinking needs POSIX unlink")


@posix_only
def test_a_big_file_is_gone_at_once_then_shrunk_from_the_end_in_steps(tmp_path, monkeypatch):
    big = tmp_path / "backup.sqlite3"
    with big.open("wb") as handle:  # sparse: no disk used
        handle.truncate(3 * STEP_BYTES + 5)
    seen: list[tuple[int, bool]] = []
    real_ftruncate = os.ftruncate

    def ftruncate(fd: int, length: int) -> None:
        seen.append((length, big.exists()))
        real_ftruncate(fd, length)

    monkeypatch.setattr(file_removal.os, "ftruncate", ftruncate)
    file_remove(big)
    assert not big.exists()
    # Every step happened after the name was gone: nobody saw a half-shrunk file.
    assert seen == [(2 * STEP_BYTES + 5, False), (STEP_BYTES + 5, False), (5, False)]


@posix_only
def test_a_file_with_another_hard_link_keeps_its_data_under_that_name(tmp_path):
    data = os.urandom(1024) * 1024
    original = tmp_path / "backup.sqlite3"
    original.write_bytes(data)
    other = tmp_path / "copy-made-with-ln.sqlite3"
    os.link(original, other)
    file_remove(original)
    assert not original.exists() and other.read_bytes() == data


def test_a_symbolic_link_is_removed_and_its_target_kept(tmp_path):
    target = tmp_path / "target.sqlite3"
    target.write_bytes(b"keep me")
    link = tmp_path / "link.sqlite3"
    link.symlink_to(target)
    file_remove(link)
    assert not link.is_symlink() and target.read_bytes() == b"keep me"


def test_missing_and_unremovable_paths_fail_as_unlink_does(tmp_path):
    file_remove(tmp_path / "gone", missing_ok=True)
    with pytest.raises(FileNotFoundError):
        file_remove(tmp_path / "gone")
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(OSError):
        file_remove(folder)
    assert folder.is_dir()


def test_a_read_only_small_file_is_removed(tmp_path):
    small = tmp_path / "manifest.json"
    small.write_text("{}")
    small.chmod(0o400)
    file_remove(small)
    assert not small.exists()
