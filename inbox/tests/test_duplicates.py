"""An import meets an episode or film the library already has: keep both, replace, skip."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.utils import timezone

from inbox.models import InboxFolder
from inbox.services.inbox_import import inbox_import, inbox_plan_make
from inbox.services.inbox_plan import resolution_of
from inbox.services.recycle import RECYCLE_FOLDER, recycle_empty, recycle_stamp
from library.models import FileOperation, Library, MediaFile
from library.services.recovery import operations_recover
from library.services.rollback import operations_rollback
from library.services.scan import library_scan
from plexomatic_site.settings_store import settings_update

EPISODE = "Amber.Road.S01E01.1080p.WEB-DL.x264-GRP"
PLEX_NAME = "Amber Road/Season 01/Amber Road - s01e01.mkv"


@pytest.fixture
def tv(db, tmp_path) -> Library:
    (tmp_path / "tv").mkdir()
    return Library.objects.create(name="TV", root_path=str(tmp_path / "tv"), kind="tv")


@pytest.fixture
def inbox(tv, tmp_path) -> InboxFolder:
    release = tmp_path / "downloads" / EPISODE
    release.mkdir(parents=True)
    (release / f"{EPISODE}.mkv").write_bytes(b"the new 1080p release" * 100)
    (release / f"{EPISODE}.en.srt").write_bytes(b"1\n00:00:01,000 --> 00:00:02,000\nHi\n")
    old = time.time() - 3600
    for path in release.iterdir():
        os.utime(path, (old, old))
    return InboxFolder.objects.create(
        name="Downloads", path=str(tmp_path / "downloads"), mode="hardlink", library=tv
    )


def existing(tv: Library, relative: str = PLEX_NAME, content: bytes = b"old") -> Path:
    path = Path(tv.root_path) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    library_scan(library=tv)
    return path


def test_resolution_is_read_from_release_names():
    assert resolution_of("Show.S01E01.1080p.WEB-DL") == 1080
    assert resolution_of("Film.2019.2160p.UHD") == 2160
    assert resolution_of("Film 4K Remux") == 2160
    assert resolution_of("Show - s01e01") == 0


def test_better_release_replaces_the_old_file_which_rollback_restores(tv, inbox):
    old = existing(tv)
    result = inbox_import(inbox=inbox)
    assert [op.error for op in result.failed] == []
    kinds = [op.operation_type for op in result.batch.operations.order_by("pk")]
    assert kinds == ["recycle", "hardlink", "hardlink"]
    recycle = result.batch.operations.get(operation_type="recycle")
    assert f"/{RECYCLE_FOLDER}/" in recycle.new_path
    assert Path(recycle.new_path).read_bytes() == b"old"
    assert old.read_bytes() == b"the new 1080p release" * 100
    assert (Path(tv.root_path) / RECYCLE_FOLDER / ".plexignore").read_text().endswith("*\n")
    # The scan skips the recycle folder.
    assert not MediaFile.objects.filter(path__contains=RECYCLE_FOLDER, missing=False).exists()

    rolled = operations_rollback(operations=result.batch.operations.select_related("batch"))
    assert rolled.problems == []
    assert old.read_bytes() == b"old"
    assert not Path(recycle.new_path).exists()
    assert (Path(inbox.path) / EPISODE / f"{EPISODE}.mkv").exists()


def test_worse_release_is_skipped_with_its_subtitle(tv, inbox):
    old = existing(tv, "Amber Road/Season 01/Amber Road - s01e01 - 2160p.mkv", b"x" * 10)
    plan = inbox_plan_make(inbox)
    assert plan.ready() == []
    video = next(i for i in plan.items if i.plan.media.kind == "video")
    assert video.existing == str(old) and video.choice == "skip"
    assert "has it already" in video.plan.detail
    subtitle = next(i for i in plan.items if i.plan.media.kind == "subtitle")
    assert "Its video stays" in subtitle.plan.detail


def test_keep_both_names_a_second_plex_version(tv, inbox):
    settings_update(values={"inbox_duplicate_rule": "keep_both"})
    old = existing(tv)
    result = inbox_import(inbox=inbox)
    assert result.failed == []
    assert old.read_bytes() == b"old"
    folder = old.parent
    assert (folder / "Amber Road - s01e01 - 1080p.mkv").exists()
    assert (folder / "Amber Road - s01e01 - 1080p.en.srt").exists()


def test_a_duplicate_under_another_name_is_found_by_its_row(tv, inbox):
    old = existing(tv, "Amber Road/Season 01/Amber.Road.S01E01.720p.HDTV.avi")
    settings_update(values={"inbox_duplicate_rule": "skip"})
    plan = inbox_plan_make(inbox)
    video = next(i for i in plan.items if i.plan.media.kind == "video")
    assert video.existing == str(old)
    assert plan.ready() == []


def test_the_per_file_choice_wins_over_the_setting(tv, inbox):
    settings_update(values={"inbox_duplicate_rule": "skip"})
    existing(tv)
    choices = {f"{EPISODE}/{EPISODE}.mkv": "keep_both"}
    plan = inbox_plan_make(inbox, choices=choices)
    video = next(i for i in plan.ready() if i.plan.media.kind == "video")
    assert video.plan.target.endswith("Amber Road - s01e01 - 1080p.mkv")


def test_interrupted_replace_is_recovered_from_the_disk(tv, inbox, monkeypatch):
    """A crash right after the old file went to the recycle folder, before the new one
    arrived: recovery completes the recycle and leaves the import as not done."""
    from library.services import apply

    old = existing(tv)
    real = apply.file_link

    def crash(**kwargs):
        raise KeyboardInterrupt  # the process dies here, journal rows still pending

    monkeypatch.setattr(apply, "file_link", crash)
    with pytest.raises(KeyboardInterrupt):
        inbox_import(inbox=inbox)
    monkeypatch.setattr(apply, "file_link", real)
    # The recycle move's completion may not have been committed yet either.
    FileOperation.objects.filter(operation_type="recycle").update(
        status="pending", completed_at=None
    )
    recovered = operations_recover()
    assert recovered.completed == 1 and recovered.not_moved == 2
    recycle = FileOperation.objects.get(operation_type="recycle")
    assert recycle.status == "completed" and Path(recycle.new_path).read_bytes() == b"old"
    assert not old.exists()
    rolled = operations_rollback(operations=[recycle])
    assert rolled.problems == [] and old.read_bytes() == b"old"


def test_recycle_folder_is_emptied_after_the_retention(tmp_path):
    root = tmp_path / "tv"
    stale = root / RECYCLE_FOLDER / "20200101-000000"
    fresh = root / RECYCLE_FOLDER / recycle_stamp(timezone.now())
    unnamed = root / RECYCLE_FOLDER / "by hand"
    for folder in (stale, fresh, unnamed):
        folder.mkdir(parents=True)
        (folder / "a.mkv").write_bytes(b"a")
    # By the name's time, not the folder's mtime (just now, for all three).
    assert recycle_empty(str(root), days=30) == 1
    assert not stale.exists() and fresh.exists() and unnamed.exists()
    long_ago = time.time() - 40 * 86400
    os.utime(unnamed, (long_ago, long_ago))
    assert recycle_empty(str(root), days=30) == 1 and not unnamed.exists()
    assert recycle_empty(str(root), days=0) == 0
