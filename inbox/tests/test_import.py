"""Importing a real downloads folder into real libraries, and rolling it back."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from inbox.models import InboxFolder
from inbox.services import inbox_import as importing
from inbox.services.inbox_import import inbox_import, inbox_plan_make
from inbox.tests.downloads import Downloads, downloads_make
from library.models import Batch, FileOperation, Library, MediaFile
from library.services.rollback import operations_rollback
from plexomatic_site.settings_store import settings_update

Kind = FileOperation.OperationType


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every file under root: relative path -> (content hash, inode)."""
    found = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
            found[os.path.relpath(path, root)] = (digest, os.lstat(path).st_ino)
    return found


@pytest.fixture
def libraries(db, tmp_path) -> tuple[Library, Library]:
    (tmp_path / "tv").mkdir()
    (tmp_path / "movies").mkdir()
    return (
        Library.objects.create(name="TV", root_path=str(tmp_path / "tv")),
        Library.objects.create(name="Movies", root_path=str(tmp_path / "movies"), kind="movies"),
    )


@pytest.fixture
def downloads(tmp_path) -> Downloads:
    return downloads_make(tmp_path / "downloads", releases=12)


def inbox_make(downloads: Downloads, libraries: tuple[Library, Library], mode: str) -> InboxFolder:
    tv, movies = libraries
    return InboxFolder.objects.create(
        name="Downloads", path=str(downloads.root), mode=mode, tv_library=tv, movie_library=movies
    )


@pytest.mark.parametrize("mode", ["hardlink", "move", "copy"])
def test_import_lands_with_plex_names_and_rolls_back_to_the_starting_state(
    downloads, libraries, mode
):
    tv, movies = libraries
    before = snapshot(downloads.root)
    inbox = inbox_make(downloads, libraries, mode)
    result = inbox_import(inbox=inbox)

    assert result.failed == []
    assert result.completed == len(downloads.importable)
    batch = result.batch
    assert batch is not None and batch.kind == Batch.Kind.IMPORT
    assert batch.source_folder == str(downloads.root)
    operations = list(batch.operations.order_by("pk"))
    assert {op.operation_type for op in operations} == {mode}
    tv_root, movie_root = Path(tv.root_path), Path(movies.root_path)
    # Plex names, subtitles with their flags beside their video, extras in their folder.
    assert (tv_root / "Amber Road/Season 01/Amber Road - s01e01.mkv").is_file()
    assert (tv_root / "Bright Road/Season 02/Bright Road - s02e03.mkv").is_file()
    assert (tv_root / "Bright Road/Season 02/Bright Road - s02e01.en.srt").is_file()
    assert (movie_root / "Delta Road (1993)/Delta Road (1993).de.forced.srt").is_file()
    assert (movie_root / "Delta Road (1993)/Featurettes/Making of Delta Road.mkv").is_file()
    for op in operations:
        source = before[os.path.relpath(op.original_path, downloads.root)]
        landed = os.lstat(op.new_path)
        assert snapshot(Path(op.new_path).parent)[os.path.basename(op.new_path)][0] == source[0]
        if mode == "hardlink":
            assert landed.st_ino == source[1]
        if mode == "copy":
            assert landed.st_ino != source[1] and os.path.exists(op.original_path)
        if mode == "move":
            assert not os.path.lexists(op.original_path)
    # Samples, junk and files still being written stay in the inbox.
    for relative in downloads.left + downloads.growing:
        assert (downloads.root / relative).exists(), relative
    # The libraries were scanned: the new files have their rows.
    assert MediaFile.objects.filter(library=tv).count() > 0
    assert not MediaFile.objects.filter(path__contains=str(downloads.root)).exists()

    rolled = operations_rollback(operations=batch.operations.select_related("batch__library"))
    assert rolled.problems == []
    assert rolled.rolled_back == len(operations)
    after = snapshot(downloads.root)
    if mode == "move":  # moved back: same content, new inodes are fine
        after = {k: (v[0], before[k][1]) for k, v in after.items()}
    assert after == before
    assert snapshot(tv_root) == {} and snapshot(movie_root) == {}
    assert not MediaFile.objects.exclude(missing=True).exists()


def test_growing_file_and_partial_download_are_left_alone(downloads, libraries):
    settings_update(values={"inbox_settle_seconds": 120})
    plan = inbox_plan_make(inbox_make(downloads, libraries, "hardlink"))
    settling = {os.path.relpath(p, downloads.root) for p in plan.collected.settling}
    assert settling == set(downloads.growing)
    planned = {os.path.relpath(i.plan.source, downloads.root) for i in plan.items}
    assert planned.isdisjoint(downloads.growing)


def test_file_that_grows_after_planning_is_not_imported(downloads, libraries, monkeypatch):
    inbox = inbox_make(downloads, libraries, "copy")
    growing = downloads.root / downloads.importable[0]
    planned = importing.inbox_plan_make

    def plan_then_grow(*args, **kwargs):
        plan = planned(*args, **kwargs)
        with open(growing, "ab") as handle:
            handle.write(b"more bytes arriving")
        return plan

    monkeypatch.setattr(importing, "inbox_plan_make", plan_then_grow)
    result = inbox_import(inbox=inbox)
    (failed,) = result.failed
    assert failed.original_path == str(growing)
    assert "changed since it was scanned" in failed.error
    assert result.completed == len(downloads.importable) - 1
    assert growing.exists()


def test_vanished_file_fails_alone_and_the_batch_goes_on(downloads, libraries, monkeypatch):
    inbox = inbox_make(downloads, libraries, "move")
    # An episode with no subtitle, so only it fails.
    vanishing = downloads.root / downloads.importable[0]
    planned = importing.inbox_plan_make

    def plan_then_vanish(*args, **kwargs):
        plan = planned(*args, **kwargs)
        vanishing.unlink()
        return plan

    monkeypatch.setattr(importing, "inbox_plan_make", plan_then_vanish)
    result = inbox_import(inbox=inbox)
    (failed,) = result.failed
    assert failed.original_path == str(vanishing)
    assert "Could not read the file" in failed.error
    assert result.completed == len(downloads.importable) - 1


def test_target_appearing_between_plan_and_apply_is_never_overwritten(
    downloads, libraries, monkeypatch
):
    tv, _ = libraries
    inbox = inbox_make(downloads, libraries, "hardlink")
    target = Path(tv.root_path) / "Amber Road/Season 01/Amber Road - s01e01.mkv"
    planned = importing.inbox_plan_make

    def plan_then_occupy(*args, **kwargs):
        plan = planned(*args, **kwargs)
        target.parent.mkdir(parents=True)
        target.write_bytes(b"the user's own file")
        return plan

    monkeypatch.setattr(importing, "inbox_plan_make", plan_then_occupy)
    result = inbox_import(inbox=inbox)
    (failed,) = result.failed
    assert "already exists and was not overwritten" in failed.error
    assert target.read_bytes() == b"the user's own file"
    assert (downloads.root / downloads.importable[0]).exists()
    assert result.completed == len(downloads.importable) - 1


def test_hardlink_across_filesystems_copies_and_says_so(db, tmp_path, monkeypatch):
    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("needs /dev/shm on another filesystem than the test folder")
    # The only second filesystem here is under /dev, which folder validation refuses as a
    # system folder (tested above); the files and the link attempt below are real.
    monkeypatch.setattr(importing, "inbox_check", lambda inbox: None)
    inbox_root = shm / f"plexomatic-inbox-{os.getpid()}-{tmp_path.name}"
    try:
        downloads = downloads_make(inbox_root / "downloads", releases=1)
        (tmp_path / "tv").mkdir()
        tv = Library.objects.create(name="TV", root_path=str(tmp_path / "tv"))
        inbox = InboxFolder.objects.create(
            name="Shm", path=str(downloads.root), mode="hardlink", library=tv
        )
        plan = inbox_plan_make(inbox)
        (item,) = plan.ready()
        assert item.kind == Kind.COPY
        assert "a hard link cannot cross filesystems" in item.note
        result = inbox_import(inbox=inbox)
        (operation,) = result.batch.operations.all()
        assert operation.operation_type == Kind.COPY
        assert os.path.exists(operation.original_path) and os.path.exists(operation.new_path)
        rolled = operations_rollback(operations=[operation])
        assert rolled.rolled_back == 1 and not os.path.exists(operation.new_path)
    finally:
        shutil.rmtree(inbox_root, ignore_errors=True)


def test_rollback_keeps_a_copy_whose_original_is_gone(downloads, libraries):
    result = inbox_import(inbox=inbox_make(downloads, libraries, "copy"))
    operation = result.batch.operations.order_by("pk").first()
    os.unlink(operation.original_path)
    rolled = operations_rollback(operations=[operation])
    (problem,) = rolled.problems
    assert "original is no longer" in problem.reason
    assert os.path.exists(operation.new_path)


def test_rollback_keeps_a_hardlink_replaced_by_another_file(downloads, libraries):
    result = inbox_import(inbox=inbox_make(downloads, libraries, "hardlink"))
    operation = result.batch.operations.order_by("pk").first()
    os.unlink(operation.new_path)
    Path(operation.new_path).write_bytes(b"someone else's file")
    rolled = operations_rollback(operations=[operation])
    (problem,) = rolled.problems
    assert "no longer the same file" in problem.reason
    assert Path(operation.new_path).read_bytes() == b"someone else's file"


def test_symlink_mode_links_and_unlinks(downloads, libraries):
    result = inbox_import(inbox=inbox_make(downloads, libraries, "symlink"))
    operation = result.batch.operations.order_by("pk").first()
    assert os.readlink(operation.new_path) == operation.original_path
    rolled = operations_rollback(operations=result.batch.operations.all())
    assert rolled.problems == []
    assert not os.path.lexists(operation.new_path) and os.path.exists(operation.original_path)


@pytest.mark.parametrize("mode", ["hardlink", "copy"])
def test_importing_again_adds_nothing(downloads, libraries, mode):
    inbox = inbox_make(downloads, libraries, mode)
    inbox_import(inbox=inbox)
    again = inbox_import(inbox=inbox)
    assert again.batch is None and again.completed == 0
    # Recognised as the files already imported (same inode, or same content), not as
    # duplicates to replace.
    imported = {os.path.relpath(i.plan.source, downloads.root) for i in again.plan.left()}
    assert imported >= set(downloads.importable)
    assert {
        i.plan.detail.split(":")[0]
        for i in again.plan.left()
        if os.path.relpath(i.plan.source, downloads.root) in downloads.importable
    } == {"Already imported"}


def test_inbox_inside_a_library_or_holding_one_is_refused(libraries, tmp_path):
    from inbox.services.folders import inbox_path_clean

    tv, _ = libraries
    inside = Path(tv.root_path) / "downloads"
    inside.mkdir()
    with pytest.raises(ValidationError, match="lies inside the library “TV”"):
        inbox_path_clean(str(inside), mode="move")
    with pytest.raises(ValidationError, match=r"contains the library “(TV|Movies)”"):
        inbox_path_clean(str(tmp_path), mode="move")
    with pytest.raises(ValidationError, match="does not exist"):
        inbox_path_clean(str(tmp_path / "nowhere"), mode="copy")


def test_unreadable_inbox_is_refused(libraries, tmp_path):
    from inbox.services.folders import inbox_path_clean

    if os.geteuid() == 0:
        pytest.skip("root reads every folder")
    folder = tmp_path / "locked"
    folder.mkdir(mode=0)
    try:
        with pytest.raises(ValidationError, match="cannot be read"):
            inbox_path_clean(str(folder), mode="copy")
    finally:
        folder.chmod(0o755)


def test_import_refuses_a_library_created_inside_the_inbox_since(downloads, libraries):
    inbox = inbox_make(downloads, libraries, "move")
    nested = downloads.root / "Library"
    nested.mkdir()
    Library.objects.create(name="Nested", root_path=str(nested))
    before = snapshot(downloads.root)
    with pytest.raises(ValidationError, match="contains the library “Nested”"):
        inbox_import(inbox=inbox)
    assert snapshot(downloads.root) == before


def test_command_dry_run_prints_the_plan_and_changes_nothing(downloads, libraries, capsys):
    inbox_make(downloads, libraries, "move")
    before = snapshot(downloads.root)
    call_command("import_inbox", "Downloads", "--dry-run")
    out = capsys.readouterr().out
    assert "move: Amber.Road.S01E01.1080p.WEB-DL.x264-GRP/" in out
    assert "Amber Road - s01e01.mkv" in out
    assert "still being written: " in out
    assert snapshot(downloads.root) == before
    assert not Batch.objects.exists()


def test_command_refuses_without_yes_and_names_unknown_inboxes(downloads, libraries):
    inbox_make(downloads, libraries, "move")
    with pytest.raises(CommandError, match="add --yes"):
        call_command("import_inbox", "Downloads")
    with pytest.raises(CommandError, match="no inbox named or numbered 'Nope'"):
        call_command("import_inbox", "Nope", "--yes")
    with pytest.raises(CommandError, match="PATH=CHOICE"):
        call_command("import_inbox", "--yes", "--choose", "a.mkv=destroy")


def test_command_imports_with_yes(downloads, libraries, capsys):
    inbox_make(downloads, libraries, "hardlink")
    call_command("import_inbox", "--yes", "--no-progress")
    out = capsys.readouterr().out
    assert f"Imported {len(downloads.importable)} file(s)." in out
