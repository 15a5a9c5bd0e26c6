from __future__ import annotations

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from library.models import Batch, FileOperation, Library, MediaFile, MediaType
from library.services import apply as apply_module
from library.services.apply import library_apply
from library.services.checksum import checksum_compute
from library.services.fileops import MOVE_LEAVES_ROOT
from library.services.locks import library_lock
from library.tests.factories import episode_make, library_make, media_make, tree
from library.tests.fs_conditions import disk_full_after, filesystem_at, read_only_folder
from plexomatic_site.jobs import jobs_claim
from plexomatic_site.models import JobKind
from plexomatic_site.settings_store import settings_update

pytestmark = pytest.mark.django_db

TARGET_2 = "Show (2019)/Season 01/Show (2019) - s01e02.mkv"


@pytest.fixture
def library(tmp_path):
    return library_make(tmp_path / "tv")


@pytest.fixture
def moves(monkeypatch):
    """Run a hook before each real move, to change the world mid-apply."""
    hooks: list = []
    real = apply_module.file_move

    def spy(**kwargs):
        if hooks:
            hooks.pop(0)(kwargs)
        real(**kwargs)

    monkeypatch.setattr(apply_module, "file_move", spy)
    return hooks


def test_apply_moves_files_journals_them_and_updates_the_media(library):
    media = episode_make(library, "incoming/show.s01e02.mkv")
    sub = media_make(
        library,
        "incoming/show.s01e02.en.srt",
        kind=MediaFile.Kind.SUBTITLE,
        video=media,
        language="en",
    )
    result = library_apply(library=library)
    assert result.completed == 2 and not result.failed
    assert tree(library.root_path) == {
        TARGET_2: b"incoming/show.s01e02.mkv",
        "Show (2019)/Season 01/Show (2019) - s01e02.en.srt": b"incoming/show.s01e02.en.srt",
    }
    media.refresh_from_db()
    sub.refresh_from_db()
    assert media.path == os.path.join(library.root_path, TARGET_2)
    assert media.name == "Show (2019) - s01e02.mkv"
    assert sub.path.endswith("Show (2019) - s01e02.en.srt")
    batch = Batch.objects.get()
    assert batch.library == library and batch == result.batch
    ops = FileOperation.objects.filter(batch=batch).order_by("id")
    assert [op.status for op in ops] == ["completed", "completed"]
    assert all(op.checksum.startswith("sample1:") and op.completed_at for op in ops)
    assert ops[0].operation_type == FileOperation.OperationType.MOVE
    assert not os.path.exists(os.path.join(library.root_path, "incoming"))


def test_folders_left_empty_are_kept_when_the_setting_is_off(library):
    settings_update(values={"remove_empty_folders": False})
    episode_make(library, "incoming/show.s01e02.mkv")
    library_apply(library=library)
    assert os.path.isdir(os.path.join(library.root_path, "incoming"))


def test_journal_is_committed_before_the_first_file_moves(library, moves):
    episode_make(library, "a.mkv", episode=1)
    episode_make(library, "b.mkv", episode=2)
    seen = []
    moves.append(
        lambda kwargs: seen.append(list(FileOperation.objects.values_list("status", "checksum")))
    )
    library_apply(library=library)
    assert len(seen[0]) == 2
    assert all(status == "pending" and checksum for status, checksum in seen[0])


def test_a_target_that_appears_mid_apply_is_not_overwritten_and_the_batch_goes_on(library, moves):
    episode_make(library, "a.mkv", episode=1)
    episode_make(library, "b.mkv", episode=2)
    squatter = os.path.join(library.root_path, TARGET_2)

    def create_squatter(kwargs):
        os.makedirs(os.path.dirname(squatter), exist_ok=True)
        with open(squatter, "wb") as handle:
            handle.write(b"someone else's")

    moves.append(create_squatter)
    result = library_apply(library=library)
    assert result.completed == 1
    (failed,) = result.failed
    assert failed.status == "failed" and "already exists" in failed.error
    assert Path(squatter).read_bytes() == b"someone else's"
    assert Path(library.root_path, "b.mkv").read_bytes() == b"b.mkv"


def test_file_changed_since_the_scan_is_not_moved(library):
    media = episode_make(library, "a.mkv", size=5, mtime=0)  # on disk: 5 bytes "a.mkv"
    with open(media.path, "ab") as handle:
        handle.write(b" edited")
    result = library_apply(library=library)
    (failed,) = result.failed
    assert "changed since it was scanned" in failed.error
    assert os.path.exists(media.path)


def test_file_deleted_before_apply_is_reported_and_others_still_move(library, moves):
    episode_make(library, "a.mkv", episode=1)
    gone = episode_make(library, "b.mkv", episode=2)
    moves.append(lambda kwargs: os.unlink(gone.path))
    result = library_apply(library=library)
    (failed,) = result.failed
    assert failed.media_file == gone and "No such file" in failed.error
    gone.refresh_from_db()
    assert gone.path.endswith("b.mkv")


def test_file_deleted_before_the_plan_is_not_journaled(library):
    gone = episode_make(library, "a.mkv")
    os.unlink(gone.path)
    result = library_apply(library=library)
    assert result.batch is None and result.skipped == {"missing": 1}
    assert not FileOperation.objects.exists()


def test_read_only_folder_fails_that_file_only(library, tmp_path):
    locked = episode_make(library, "locked/a.mkv", episode=1)
    episode_make(library, "b.mkv", episode=2)
    with read_only_folder(tmp_path / "tv" / "locked"):
        result = library_apply(library=library)
    (failed,) = result.failed
    assert failed.media_file == locked
    assert "not permitted" in failed.error or "denied" in failed.error
    assert os.path.exists(locked.path) and result.completed == 1


def test_full_disk_on_a_cross_filesystem_move_loses_nothing(library, tmp_path):
    content = os.urandom(3 * 1024 * 1024)
    media = media_make(
        library, "movie.mkv", content=content, media_type=MediaType.MOVIE, title="Movie", year=2020
    )
    with filesystem_at(os.path.join(library.root_path, "Movie (2020)")) as far:
        with disk_full_after(2 * 1024 * 1024):
            result = library_apply(library=library)
        assert os.listdir(far) == []
    (failed,) = result.failed
    assert "too large" in failed.error.lower()
    assert Path(media.path).read_bytes() == content


def test_apply_command_requires_yes(library):
    episode_make(library, "a.mkv")
    with pytest.raises(CommandError, match="--yes"):
        call_command("apply", "--library", library.name)
    assert os.path.exists(os.path.join(library.root_path, "a.mkv"))


def test_apply_command_renames_and_prints_a_summary(library):
    episode_make(library, "a.mkv")
    out = StringIO()
    call_command("apply", "--library", str(library.pk), "--yes", "--no-progress", stdout=out)
    batch = Batch.objects.get()
    assert f"TV: 1 renamed (batch {batch.pk}), 0 failed." in out.getvalue()
    assert out.getvalue().strip().endswith("Renamed 1 file(s).")


def test_a_second_apply_of_the_same_library_is_refused(library):
    episode_make(library, "a.mkv")
    jobs_claim(kind=JobKind.APPLY, locks=[library_lock(library)])
    with pytest.raises(CommandError, match="already running"):
        call_command("apply", "--library", library.name, "--yes", "--no-progress")
    assert os.path.exists(os.path.join(library.root_path, "a.mkv"))


def test_apply_command_exits_non_zero_when_a_file_failed(library, moves):
    episode_make(library, "a.mkv")
    moves.append(lambda kwargs: os.unlink(kwargs["source"]))
    err = StringIO()
    with pytest.raises(CommandError, match="1 file\\(s\\) could not be renamed"):
        call_command("apply", "--yes", "--no-progress", stdout=StringIO(), stderr=err)
    assert "Not renamed:" in err.getvalue()


def test_a_move_the_database_refuses_is_undone_and_the_group_still_commits(library):
    first = episode_make(library, "a.mkv", episode=1)
    second = episode_make(library, "b.mkv", episode=2)
    # A row of another library already claims the second file's target path.
    other = Library.objects.create(name="Other", root_path=library.root_path + "-other")
    MediaFile.objects.create(
        library=other, path=os.path.join(library.root_path, TARGET_2), name="x.mkv"
    )
    result = library_apply(library=library)
    assert result.completed == 1
    (failed,) = result.failed
    assert failed.media_file == second and "database refused" in failed.error
    assert Path(second.path).read_bytes() == b"b.mkv"
    assert not Path(library.root_path, TARGET_2).exists()
    first.refresh_from_db()
    assert first.path.endswith("Show (2019) - s01e01.mkv") and Path(first.path).exists()


def test_a_subtitle_stays_with_its_video_when_the_video_cannot_move(library, moves):
    video = episode_make(library, "in/a.mkv")
    sub = media_make(
        library, "in/a.en.srt", kind=MediaFile.Kind.SUBTITLE, video=video, language="en"
    )
    moves.append(lambda kwargs: os.unlink(kwargs["source"]))  # the video vanishes
    result = library_apply(library=library)
    errors = {op.media_file_id: op.error for op in result.failed}
    assert "No such file" in errors[video.pk]
    assert errors[sub.pk] == "Not moved: its video could not be renamed."
    assert Path(sub.path).exists()


def test_an_extra_stays_with_its_film_when_the_film_cannot_move(library, moves):
    film = media_make(
        library, "Heat.1995/heat.mkv", media_type=MediaFile.MediaType.MOVIE, title="Heat", year=1995
    )
    trailer = media_make(
        library,
        "Heat.1995/Trailers/Teaser.mkv",
        media_type=MediaFile.MediaType.MOVIE,
        title="Heat",
        year=1995,
        extra_type="trailer",
    )
    moves.append(lambda kwargs: os.unlink(kwargs["source"]))  # the film vanishes first
    result = library_apply(library=library)
    errors = {op.media_file_id: op.error for op in result.failed}
    assert "No such file" in errors[film.pk]
    assert errors[trailer.pk] == "Not moved: its film or show could not be renamed."
    assert Path(trailer.path).exists()


def scanned(media: MediaFile) -> MediaFile:
    """Record size, mtime and the sampled fingerprint as the scanner does."""
    stat = os.stat(media.path)
    media.size, media.mtime = stat.st_size, stat.st_mtime
    media.fingerprint = checksum_compute(media.path)
    media.save()
    return media


def test_same_size_rewrite_with_the_old_mtime_is_caught_by_the_checksum(library):
    media = scanned(episode_make(library, "a.mkv", content=b"original content"))
    stat = os.stat(media.path)
    with open(media.path, "r+b") as handle:
        handle.write(b"REWRITTEN")
    os.utime(media.path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    result = library_apply(library=library)
    (failed,) = result.failed
    assert failed.error == (
        "The file changed since it was scanned (checksum mismatch); scan the library again."
    )
    assert Path(media.path).read_bytes() == b"REWRITTENcontent"
    assert tree(library.root_path) == {"a.mkv": b"REWRITTENcontent"}


def test_the_scan_fingerprint_check_reads_each_file_once(library, monkeypatch):
    media = scanned(episode_make(library, "a.mkv", content=b"x" * 500_000))
    calls = []
    real = apply_module.checksum_compute

    def counting(path, **kwargs):
        calls.append(path)
        return real(path, **kwargs)

    monkeypatch.setattr(apply_module, "checksum_compute", counting)
    result = library_apply(library=library)
    assert result.completed == 1 and calls == [media.path]
    assert FileOperation.objects.get().checksum == media.fingerprint


def test_a_folder_link_leading_outside_the_library_is_neither_source_nor_target(library, tmp_path):
    outside = tmp_path / "outside"
    (outside / "theirs").mkdir(parents=True)
    (outside / "theirs" / "a.mkv").write_bytes(b"not in the library")
    os.symlink(outside / "theirs", os.path.join(library.root_path, "linked"))
    os.symlink(outside, os.path.join(library.root_path, "Show (2019)"))
    source_via_link = episode_make(library, "linked/a.mkv", episode=1)
    into_link = episode_make(library, "b.mkv", episode=2)
    result = library_apply(library=library)
    assert {op.media_file for op in result.failed} == {source_via_link, into_link}
    assert {op.error for op in result.failed} == {MOVE_LEAVES_ROOT}
    assert tree(outside) == {"theirs/a.mkv": b"not in the library"}
    assert Path(into_link.path).read_bytes() == b"b.mkv"


def test_summary_counts_only_picked_files_that_were_blocked(library):
    picked = episode_make(library, "a.mkv", episode=1)
    episode_make(library, "b.mkv", episode=2)  # ready, not picked
    episode_make(library, "Show (2019)/Season 01/Show (2019) - s01e03.mkv", episode=3)
    blocked = episode_make(library, "d.mkv", episode=4)
    media_make(library, "notes.mkv")  # not recognised, so it had no checkbox
    squatter = Path(library.root_path, "Show (2019)/Season 01/Show (2019) - s01e04.mkv")
    squatter.write_bytes(b"someone else's")
    result = library_apply(
        library=library,
        previewed={
            picked.pk: "Show (2019)/Season 01/Show (2019) - s01e01.mkv",
            blocked.pk: "Show (2019)/Season 01/Show (2019) - s01e04.mkv",
        },
    )
    assert result.completed == 1
    assert result.skipped == {"target exists": 1}
    assert result.job_summary().skipped == {"target exists": 1}
