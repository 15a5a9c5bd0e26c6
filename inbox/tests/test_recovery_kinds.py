"""Crash recovery of an import's copies and links, settled from what is on disk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.utils import timezone

from library.models import Batch, FileOperation, Library
from library.services.checksum import checksum_compute
from library.services.fileops import temp_path_for
from library.services.recovery import operations_recover


@pytest.fixture
def setup(db, tmp_path) -> tuple[Path, Library]:
    inbox, root = tmp_path / "downloads", tmp_path / "tv"
    inbox.mkdir()
    root.mkdir()
    (inbox / "show.s01e01.mkv").write_bytes(b"episode" * 1000)
    return inbox, Library.objects.create(name="TV", root_path=str(root))


def journaled(setup: tuple[Path, Library], kind: str, **fields) -> FileOperation:
    inbox, library = setup
    source = inbox / "show.s01e01.mkv"
    batch = Batch.objects.create(library=library, kind="import", source_folder=str(inbox))
    return FileOperation.objects.create(
        batch=batch,
        original_path=str(source),
        new_path=os.path.join(library.root_path, "Show", "Show - s01e01.mkv"),
        operation_type=kind,
        checksum=checksum_compute(str(source)),
        **fields,
    )


def made(operation: FileOperation, how: str) -> Path:
    new = Path(operation.new_path)
    new.parent.mkdir(parents=True, exist_ok=True)
    if how == "link":
        os.link(operation.original_path, new)
    elif how == "symlink":
        os.symlink(operation.original_path, new)
    elif how == "copy":
        new.write_bytes(Path(operation.original_path).read_bytes())
    else:
        new.write_bytes(b"someone else's file")
    return new


@pytest.mark.parametrize(
    ("kind", "how"), [("hardlink", "link"), ("copy", "copy"), ("symlink", "symlink")]
)
def test_a_finished_copy_or_link_completes_and_the_original_stays(setup, kind, how):
    operation = journaled(setup, kind)
    made(operation, how)
    assert operations_recover().completed == 1
    operation.refresh_from_db()
    assert operation.status == "completed"
    assert os.path.exists(operation.original_path) and os.path.lexists(operation.new_path)


@pytest.mark.parametrize("kind", ["hardlink", "copy", "symlink"])
def test_a_copy_or_link_never_made_fails_with_the_original_in_place(setup, kind):
    operation = journaled(setup, kind)
    if kind == "copy":  # a half-written copy beside the target is ours: removed
        temp = Path(temp_path_for(operation.new_path, f"op{operation.pk}"))
        temp.parent.mkdir(parents=True)
        temp.write_bytes(b"epis")
    assert operations_recover().not_moved == 1
    operation.refresh_from_db()
    assert operation.status == "failed" and "Interrupted before" in operation.error
    assert not operation.needs_attention
    assert os.path.exists(operation.original_path)
    if kind == "copy":
        assert not os.listdir(os.path.dirname(operation.new_path))


def test_another_file_at_the_target_is_flagged_and_kept(setup):
    operation = journaled(setup, "hardlink")
    other = made(operation, "other")
    assert operations_recover().flagged == 1
    operation.refresh_from_db()
    assert operation.needs_attention and "not the copy or link" in operation.error
    assert other.read_bytes() == b"someone else's file"


def test_an_interrupted_removal_by_rollback_is_settled(setup):
    now = timezone.now()
    removed = journaled(
        setup, "hardlink", status="completed", completed_at=now, rollback_started_at=now
    )
    assert operations_recover().rolled_back == 1
    removed.refresh_from_db()
    assert removed.status == "rolled_back"
    kept = journaled(setup, "copy", status="completed", completed_at=now, rollback_started_at=now)
    made(kept, "copy")
    assert operations_recover().not_moved == 1
    kept.refresh_from_db()
    assert kept.status == "completed" and kept.rollback_started_at is None
