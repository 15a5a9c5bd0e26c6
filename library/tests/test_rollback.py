from __future__ import annotations

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from library.models import Batch, FileOperation, MediaType
from library.services.apply import library_apply
from library.services.checksum import file_identity
from library.services.locks import library_lock
from library.services.rollback import operations_rollback
from library.tests.factories import episode_make, library_make, media_make, tree
from library.tests.fs_conditions import filesystem_at, read_only_folder
from plexomatic_site.jobs import jobs_claim
from plexomatic_site.models import JobKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(tmp_path):
    return library_make(tmp_path / "tv")


@pytest.fixture
def applied(library):
    """Three files renamed by one apply; the tree before the apply."""
    episode_make(library, "in/a.mkv", episode=1)
    episode_make(library, "in/b.mkv", episode=2)
    episode_make(library, "c.mkv", episode=3)
    before = tree(library.root_path)
    result = library_apply(library=library)
    assert result.completed == 3
    return result.batch, before


def rollback(*args: str) -> str:
    out, err = StringIO(), StringIO()
    try:
        call_command("rollback", *args, "--no-progress", stdout=out, stderr=err)
    finally:
        rollback.stderr = err.getvalue()  # type: ignore[attr-defined]
    return out.getvalue()


def test_batch_rollback_restores_every_file_and_path(library, applied):
    batch, before = applied
    out = rollback("--batch", str(batch.pk), "--yes")
    assert "Rolled back 3 of 3 operation(s)." in out
    assert tree(library.root_path) == before
    ops = FileOperation.objects.filter(batch=batch)
    assert {op.status for op in ops} == {"rolled_back"}
    assert all(op.rolled_back_at for op in ops)
    assert {op.media_file.path for op in ops} == {op.original_path for op in ops}
    assert not os.path.exists(os.path.join(library.root_path, "Show (2019)"))


def test_a_chain_unwinds_in_reverse_order(library):
    movie = {"media_type": MediaType.MOVIE, "year": None}
    media_make(library, "A/A.mkv", title="B", **movie)
    media_make(library, "B/B.mkv", title="C", **movie)
    before = tree(library.root_path)
    batch = library_apply(library=library).batch
    assert tree(library.root_path) == {"B/B.mkv": b"A/A.mkv", "C/C.mkv": b"B/B.mkv"}
    result = operations_rollback(operations=FileOperation.objects.filter(batch=batch))
    assert result.rolled_back == 2 and not result.problems
    assert tree(library.root_path) == before


def test_one_operation_can_be_rolled_back(library, applied):
    batch, _ = applied
    op = FileOperation.objects.filter(batch=batch).order_by("id").first()
    rollback("--operation", str(op.pk), "--yes")
    op.refresh_from_db()
    assert op.status == "rolled_back"
    assert Path(op.original_path).exists() and not Path(op.new_path).exists()
    assert FileOperation.objects.filter(batch=batch, status="completed").count() == 2


def test_changed_file_is_not_rolled_back(library, applied):
    batch, _ = applied
    op = FileOperation.objects.filter(batch=batch).order_by("id").first()
    Path(op.new_path).write_bytes(b"edited since")
    with pytest.raises(CommandError, match="Rolled back 2 of 3 operation\\(s\\); 1 could not be"):
        rollback("--batch", str(batch.pk), "--yes")
    assert "checksum mismatch" in rollback.stderr
    assert Path(op.new_path).read_bytes() == b"edited since"
    op.refresh_from_db()
    assert op.status == "completed"


def test_an_unchanged_file_is_known_by_its_identity_without_a_read(library, applied):
    """The journal keeps each moved file's identity: while it holds, a rollback trusts it
    (here the journaled checksum is made wrong, and the rollback still goes ahead)."""
    batch, before = applied
    ops = list(FileOperation.objects.filter(batch=batch))
    assert all(op.identity == file_identity(op.new_path) for op in ops)
    FileOperation.objects.filter(batch=batch).update(checksum="sample1:9:" + "0" * 64)
    result = operations_rollback(operations=FileOperation.objects.filter(batch=batch))
    assert result.rolled_back == 3 and not result.problems
    assert tree(library.root_path) == before


def test_a_same_size_rewrite_with_its_time_restored_is_still_caught(library, applied):
    """Size and modified time put back: the change time still moved, so the identity no
    longer holds and the checksum decides."""
    batch, _ = applied
    op = FileOperation.objects.filter(batch=batch).order_by("id").first()
    stat = os.stat(op.new_path)
    content = Path(op.new_path).read_bytes()
    Path(op.new_path).write_bytes(bytes(reversed(content)))
    os.utime(op.new_path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert os.stat(op.new_path).st_size == stat.st_size
    result = operations_rollback(operations=[op])
    assert result.problems[0].reason.endswith("(checksum mismatch); not moved.")
    assert Path(op.new_path).read_bytes() == bytes(reversed(content))


def test_a_full_content_checksum_is_always_read(library, applied):
    """Whoever chose whole-content checksums asked for the content to be read."""
    batch, _ = applied
    op = FileOperation.objects.filter(batch=batch).order_by("id").first()
    op.checksum = "sha256:9:" + "0" * 64
    result = operations_rollback(operations=[op])
    assert result.problems[0].reason.endswith("(checksum mismatch); not moved.")


def test_rollback_never_overwrites_a_file_at_the_original_path(library, applied):
    batch, _ = applied
    op = FileOperation.objects.filter(batch=batch).order_by("id").first()
    Path(op.original_path).parent.mkdir(parents=True, exist_ok=True)
    Path(op.original_path).write_bytes(b"new arrival")
    with pytest.raises(CommandError):
        rollback("--batch", str(batch.pk), "--yes")
    assert "was not overwritten" in rollback.stderr
    assert Path(op.original_path).read_bytes() == b"new arrival"
    assert Path(op.new_path).exists()


def test_file_gone_from_its_new_path_is_reported(library, applied):
    batch, _ = applied
    op = FileOperation.objects.filter(batch=batch).first()
    os.unlink(op.new_path)
    result = operations_rollback(operations=[op])
    assert result.problems[0].reason.startswith("The file is no longer at")


def test_unknown_operation_and_batch_are_refused(library, applied):
    with pytest.raises(CommandError, match=r"There is no operation 9999\."):
        rollback("--operation", "9999", "--yes")
    with pytest.raises(CommandError, match=r"There is no batch 9999\."):
        rollback("--batch", "9999", "--yes")


def test_already_rolled_back_is_refused_with_its_time(library, applied):
    batch, _ = applied
    rollback("--batch", str(batch.pk), "--yes")
    op = FileOperation.objects.filter(batch=batch).first()
    with pytest.raises(CommandError, match=f"Operation {op.pk} was already rolled back on"):
        rollback("--operation", str(op.pk), "--yes")
    with pytest.raises(CommandError, match="no completed operation left"):
        rollback("--batch", str(batch.pk), "--yes")


def test_rollback_requires_yes_and_one_target(library, applied):
    batch, before = applied
    with pytest.raises(CommandError, match="--yes"):
        rollback("--batch", str(batch.pk))
    with pytest.raises(CommandError):
        rollback("--yes")
    assert tree(library.root_path) != before


def test_rollback_waits_for_the_library_lock(library, applied):
    batch, _ = applied
    jobs_claim(kind=JobKind.SCAN, locks=[library_lock(library)])
    with pytest.raises(CommandError, match="already running"):
        rollback("--batch", str(batch.pk), "--yes")


def test_operation_outside_every_library_is_refused(library, tmp_path):
    outside = tmp_path / "elsewhere" / "x.mkv"
    outside.parent.mkdir()
    outside.write_bytes(b"x")
    batch = Batch.objects.create(kind=Batch.Kind.IMPORT)
    op = FileOperation.objects.create(
        batch=batch,
        original_path=str(tmp_path / "elsewhere" / "orig.mkv"),
        new_path=str(outside),
        status="completed",
        completed_at="2024-01-01T00:00:00Z",
        checksum="sample1:1:x",
    )
    result = operations_rollback(operations=[op])
    assert "not inside a library" in result.problems[0].reason
    assert outside.exists()


def test_rollback_does_not_move_a_file_through_a_folder_link_leading_outside(
    library, applied, tmp_path
):
    batch, _ = applied
    outside = tmp_path / "outside"
    outside.mkdir()
    in_folder = os.path.join(library.root_path, "in")
    assert not os.path.exists(in_folder)  # removed once empty by the apply
    os.symlink(outside, in_folder)
    operations_rollback(operations=FileOperation.objects.filter(batch=batch))
    assert os.listdir(outside) == []
    by_name = {op.original_path.rsplit("/", 1)[1]: op for op in batch.operations.all()}
    assert by_name["a.mkv"].status == by_name["b.mkv"].status == "completed"
    assert by_name["c.mkv"].status == "rolled_back"


def test_rollback_across_filesystems_out_of_a_read_only_folder_leaves_one_copy(library):
    episode_make(library, "in/a.mkv", episode=1)
    renamed = "Show (2019)/Season 01/Show (2019) - s01e01.mkv"
    with filesystem_at(os.path.join(library.root_path, "Show (2019)")) as far:
        applied = library_apply(library=library)
        assert applied.completed == 1 and tree(library.root_path) == {renamed: b"in/a.mkv"}
        with read_only_folder(far / "Season 01"):
            result = operations_rollback(operations=applied.batch.operations.all())
        assert result.rolled_back == 0
        (problem,) = result.problems
        assert "not permitted" in problem.reason or "denied" in problem.reason
        # No second copy at the original path, and no `in` folder made for it.
        assert tree(library.root_path) == {renamed: b"in/a.mkv"}
        assert not os.path.exists(os.path.join(library.root_path, "in"))
        assert applied.batch.operations.get().status == "completed"
