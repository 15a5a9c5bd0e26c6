from __future__ import annotations

import errno
import hashlib
import os
import subprocess

import pytest

from library.errors import UnknownChecksum
from library.models import Batch, FileOperation
from library.services import fileops
from library.services.checksum import BLOCK, checksum_compute, checksum_matches
from library.services.fileops import (
    file_move,
    folders_remove_empty,
    rename_no_clobber,
    temp_path_for,
)
from library.services.paths import is_within
from library.tests.fs_conditions import disk_full_after, other_filesystem, read_only_folder


def write(path, content: bytes) -> str:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(content)
    return str(path)


def read(path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def test_rename_refuses_to_overwrite_and_both_files_survive(tmp_path):
    a = write(tmp_path / "a", b"A")
    b = write(tmp_path / "b", b"B")
    with pytest.raises(FileExistsError):
        rename_no_clobber(a, b)
    assert read(a) == b"A" and read(b) == b"B"


def test_rename_moves_the_file(tmp_path):
    a = write(tmp_path / "a", b"A")
    rename_no_clobber(a, str(tmp_path / "c"))
    assert not os.path.exists(a) and read(tmp_path / "c") == b"A"


def test_link_fallback_also_never_overwrites(tmp_path, monkeypatch):
    # As on a kernel or filesystem without renameat2.
    monkeypatch.setattr(fileops, "_renameat2", None)
    a = write(tmp_path / "a", b"A")
    b = write(tmp_path / "b", b"B")
    with pytest.raises(FileExistsError):
        rename_no_clobber(a, b)
    rename_no_clobber(a, str(tmp_path / "c"))
    assert read(tmp_path / "c") == b"A" and not os.path.exists(a) and read(b) == b"B"


def test_move_creates_folders(tmp_path):
    a = write(tmp_path / "a", b"A")
    target = str(tmp_path / "x" / "y" / "a")
    file_move(source=a, target=target, checksum=checksum_compute(a), token="t")
    assert read(target) == b"A"


def test_a_move_whose_source_is_gone_leaves_no_folder_behind(tmp_path):
    target = str(tmp_path / "Show (2019)" / "Season 01" / "a.mkv")
    with pytest.raises(FileNotFoundError):
        file_move(source=str(tmp_path / "gone.mkv"), target=target, checksum="", token="t")
    assert os.listdir(tmp_path) == []


@pytest.fixture
def far(tmp_path):
    with other_filesystem(tmp_path) as folder:
        yield folder


def test_move_across_filesystems_copies_verifies_then_deletes(tmp_path, far):
    (tmp_path / "far").symlink_to(far)
    source = write(tmp_path / "a.mkv", os.urandom(300_000))
    content = read(source)
    target = str(tmp_path / "far" / "Show" / "a.mkv")
    file_move(source=source, target=target, checksum=checksum_compute(source), token="t1")
    assert read(target) == content
    assert not os.path.exists(source)
    assert os.listdir(os.path.dirname(target)) == ["a.mkv"]  # no temporary copy left


def test_cross_filesystem_move_refuses_an_existing_target(tmp_path, far):
    (tmp_path / "far").symlink_to(far)
    source = write(tmp_path / "a.mkv", b"mine")
    target = write(far / "a.mkv", b"theirs")
    with pytest.raises(FileExistsError):
        file_move(
            source=source,
            target=str(tmp_path / "far" / "a.mkv"),
            checksum=checksum_compute(source),
            token="t2",
        )
    assert read(source) == b"mine" and read(target) == b"theirs"
    assert sorted(os.listdir(far)) == ["a.mkv"]


def test_cross_filesystem_move_on_a_full_disk_loses_nothing(tmp_path, far):
    (tmp_path / "far").symlink_to(far)
    content = os.urandom(3 * 1024 * 1024)
    source = write(tmp_path / "big.mkv", content)
    checksum = checksum_compute(source)
    target = str(tmp_path / "far" / "big.mkv")
    with disk_full_after(1024 * 1024), pytest.raises(OSError) as error:
        file_move(source=source, target=target, checksum=checksum, token="t3")
    assert error.value.errno == errno.EFBIG
    assert read(source) == content
    assert os.listdir(far) == []


def test_copy_that_does_not_match_the_journal_checksum_is_discarded(tmp_path, far):
    (tmp_path / "far").symlink_to(far)
    source = write(tmp_path / "a.mkv", b"changed after journaling")
    with pytest.raises(OSError, match="checksum mismatch"):
        file_move(
            source=source,
            target=str(tmp_path / "far" / "a.mkv"),
            checksum="sample1:3:00",
            token="t4",
        )
    assert read(source) == b"changed after journaling"
    assert not os.path.exists(temp_path_for(str(far / "a.mkv"), "t4"))


def test_empty_folders_are_removed_up_to_but_never_the_root(tmp_path):
    root = tmp_path / "root"
    (root / "Show" / "Season 01").mkdir(parents=True)
    (root / "Kept").mkdir()
    write(root / "Kept" / "file", b"x")
    removed = folders_remove_empty(
        root=str(root), folders=[str(root / "Show" / "Season 01"), str(root / "Kept")]
    )
    assert removed == 2
    assert sorted(os.listdir(root)) == ["Kept"]
    assert folders_remove_empty(root=str(root), folders=[str(root)]) == 0
    assert root.is_dir()


@pytest.mark.parametrize(
    ("path", "inside"),
    [
        ("/media/tv/Show/a.mkv", True),
        ("/media/tv", True),
        ("/media/tv/../movies/a.mkv", False),
        ("/media/tvshows/a.mkv", False),
        ("/etc/passwd", False),
        ("/media/tv/", True),
        ("/media/tv/./Show/../a.mkv", True),
        ("/media/t", False),
        ("/media/tv.mkv", False),
        ("/media", False),
    ],
)
def test_is_within_normalises_before_comparing(path, inside):
    assert is_within(path, "/media/tv") is inside
    assert is_within(path, "/media/tv/") is inside


def test_everything_is_within_the_filesystem_root():
    assert is_within("/media/tv/a.mkv", "/") and is_within("/", "/")


def test_sampled_checksum_sees_size_and_sampled_blocks(tmp_path):
    data = bytearray(os.urandom(1024 * 1024))
    path = write(tmp_path / "v", bytes(data))
    original = checksum_compute(path)
    assert original.startswith("sample1:1048576:")
    assert checksum_matches(path, original)
    data[len(data) // 2] ^= 0xFF  # inside the middle block
    write(tmp_path / "v", bytes(data))
    assert not checksum_matches(path, original)
    write(tmp_path / "v", bytes(data) + b"!")
    assert not checksum_matches(path, original)


@pytest.mark.parametrize("size", [0, 5, 3 * BLOCK, 3 * BLOCK + 1, 1_000_003])
def test_sampled_checksum_is_sha256_of_the_size_and_three_blocks(tmp_path, size):
    # The documented format: what scans stored as fingerprints must keep matching.
    data = os.urandom(size)
    path = write(tmp_path / "v", data)
    middle = (size - BLOCK) // 2
    sampled = (
        data
        if size <= 3 * BLOCK
        else data[:BLOCK] + data[middle : middle + BLOCK] + data[size - BLOCK :]
    )
    expected = hashlib.sha256(str(size).encode() + b"\0" + sampled).hexdigest()
    assert checksum_compute(path) == f"sample1:{size}:{expected}"
    whole = hashlib.sha256(data).hexdigest()
    assert checksum_compute(path, full=True) == f"sha256:{size}:{whole}"


def test_full_checksum_sees_every_byte(tmp_path):
    data = bytearray(1024 * 1024)
    path = write(tmp_path / "v", bytes(data))
    sampled, full = checksum_compute(path), checksum_compute(path, full=True)
    data[300_000] = 1  # between the sampled blocks
    write(tmp_path / "v", bytes(data))
    assert checksum_matches(path, sampled)  # documented: sampling misses this
    assert not checksum_matches(path, full)


def test_bare_sha256_is_read_as_whole_content_and_unknown_formats_are_refused(tmp_path):
    path = write(tmp_path / "v", b"hello")
    assert checksum_matches(path, hashlib.sha256(b"hello").hexdigest())
    with pytest.raises(UnknownChecksum):
        checksum_matches(path, "md5:abc")


def test_cross_filesystem_move_out_of_a_read_only_folder_leaves_no_second_copy(tmp_path, far):
    (tmp_path / "far").symlink_to(far)
    content = os.urandom(300_000)
    source = write(tmp_path / "locked" / "a.mkv", content)
    target = str(tmp_path / "far" / "Show" / "a.mkv")
    with read_only_folder(tmp_path / "locked"), pytest.raises(OSError) as error:
        file_move(source=source, target=target, checksum=checksum_compute(source), token="t5")
    assert error.value.errno in {errno.EPERM, errno.EACCES, errno.EROFS}
    assert read(source) == content
    # Neither the copy nor the folder the move made for it is left behind.
    assert os.listdir(far) == []


def test_link_fallback_out_of_a_read_only_folder_removes_the_new_link(tmp_path, monkeypatch):
    monkeypatch.setattr(fileops, "_renameat2", None)
    source = write(tmp_path / "locked" / "a.mkv", b"A")
    target = str(tmp_path / "Show" / "Season 01" / "a.mkv")
    with read_only_folder(tmp_path / "locked"), pytest.raises(OSError):
        file_move(source=source, target=target, checksum=checksum_compute(source), token="t6")
    assert read(source) == b"A" and os.stat(source).st_nlink == 1
    assert not os.path.exists(tmp_path / "Show")


def test_undo_leaves_a_file_that_replaced_the_copy_alone(tmp_path, far, monkeypatch):
    # Someone puts their own file at the target between our rename and the failed unlink.
    (tmp_path / "far").symlink_to(far)
    source = write(tmp_path / "a.mkv", b"mine")
    target = str(tmp_path / "far" / "a.mkv")
    real_unlink = os.unlink

    def unlink(path, *args, **kwargs):
        if os.fspath(path) == source:
            real_unlink(target)
            write(target, b"theirs")
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(fileops.os, "unlink", unlink)
    with pytest.raises(PermissionError):
        file_move(source=source, target=target, checksum=checksum_compute(source), token="t7")
    assert read(source) == b"mine" and read(target) == b"theirs"


def test_a_failed_move_removes_only_the_folders_it_created(tmp_path, far):
    (tmp_path / "far").symlink_to(far)
    (far / "Lost").mkdir()
    source = write(tmp_path / "big.mkv", os.urandom(3 * 1024 * 1024))
    target = str(tmp_path / "far" / "Lost" / "Season 01" / "Extras" / "big.mkv")
    with disk_full_after(1024 * 1024), pytest.raises(OSError):
        file_move(source=source, target=target, checksum=checksum_compute(source), token="t8")
    assert os.listdir(far) == ["Lost"] and os.listdir(far / "Lost") == []


def test_empty_folders_behind_a_link_leading_outside_the_root_are_kept(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    (outside / "Season 01").mkdir(parents=True)
    root.mkdir()
    (root / "Show").symlink_to(outside)
    removed = folders_remove_empty(root=str(root), folders=[str(root / "Show" / "Season 01")])
    assert removed == 0 and (outside / "Season 01").is_dir()


def test_when_neither_the_source_nor_the_new_link_can_be_removed_the_error_says_both_exist(
    tmp_path, monkeypatch
):
    if os.geteuid() != 0:
        pytest.skip("needs root to make a folder immutable (chattr)")
    monkeypatch.setattr(fileops, "_renameat2", None)
    source = write(tmp_path / "locked" / "a.mkv", b"A")
    target = str(tmp_path / "also-locked" / "a.mkv")
    os.makedirs(os.path.dirname(target))
    real_link = os.link

    def link_then_lock(src, dst, **kwargs):
        real_link(src, dst, **kwargs)
        subprocess.run(["chattr", "+i", os.path.dirname(dst)], check=True)

    monkeypatch.setattr(fileops.os, "link", link_then_lock)
    try:
        with read_only_folder(tmp_path / "locked"), pytest.raises(OSError) as error:
            file_move(source=source, target=target, checksum=checksum_compute(source), token="t9")
    finally:
        subprocess.run(["chattr", "-i", os.path.dirname(target)], check=True)
    assert "could not be removed either" in str(error.value) and "both now exist" in str(
        error.value
    )
    assert read(source) == b"A" and read(target) == b"A"


def test_a_move_is_committed_only_after_its_folders_are_synced(tmp_path, monkeypatch, db):
    from library.services import fileops, journal

    source, target = tmp_path / "in" / "a.mkv", tmp_path / "out" / "b.mkv"
    source.parent.mkdir()
    target.parent.mkdir()
    source.write_bytes(b"a")
    events: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        events.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    real_commit = journal.transaction.atomic

    def atomic(*args, **kwargs):
        events.append("commit")
        return real_commit(*args, **kwargs)

    monkeypatch.setattr(fileops.os, "fsync", fsync)
    monkeypatch.setattr(journal.transaction, "atomic", atomic)
    operation = FileOperation.objects.create(
        batch=Batch.objects.create(), original_path=str(source), new_path=str(target)
    )
    fileops.rename_no_clobber(str(source), str(target))
    journal.operation_complete(operation)
    operation.refresh_from_db()
    assert operation.status == FileOperation.Status.COMPLETED
    assert events[:3] in (
        [str(source.parent), str(target.parent), "commit"],
        [str(target.parent), str(source.parent), "commit"],
    )


def test_a_group_of_moves_is_committed_only_after_all_their_folders_are_synced(
    tmp_path, monkeypatch, db
):
    from library.services import fileops, journal

    operations, folders = [], set()
    for n in range(3):
        source, target = tmp_path / f"in{n}" / "a.mkv", tmp_path / f"out{n}" / "a.mkv"
        write(source, b"a")
        file_move(source=str(source), target=str(target), checksum="", token=f"t{n}")
        folders |= {str(source.parent), str(target.parent)}
        operations.append(
            FileOperation.objects.create(
                batch=Batch.objects.create(), original_path=str(source), new_path=str(target)
            )
        )
    events: list[str] = []
    real_fsync, real_atomic = os.fsync, journal.transaction.atomic

    def fsync(fd: int) -> None:
        events.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    def atomic(*args, **kwargs):
        events.append("commit")
        return real_atomic(*args, **kwargs)

    monkeypatch.setattr(fileops.os, "fsync", fsync)
    monkeypatch.setattr(journal.transaction, "atomic", atomic)
    writer = journal.JournalWriter(completed=True, refused=lambda op, exc: None)
    for operation in operations:
        writer.add(operation)
    assert events == []  # a group of three is not committed yet
    writer.flush()
    assert set(events[:-1]) == folders and len(events) == len(folders) + 1
    assert events[-1] == "commit"
    assert {op.status for op in FileOperation.objects.all()} == {FileOperation.Status.COMPLETED}
