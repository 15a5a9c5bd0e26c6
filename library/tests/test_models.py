"""Every rule the database enforces is proved at the database level."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from library.models import Batch, FileOperation, Library, MediaFile

pytestmark = pytest.mark.django_db


# Overrides library/tests/conftest.py's: these rules need a fixed root path, no folder on disk.
@pytest.fixture
def library():
    return Library.objects.create(name="TV", root_path="/media/tv")


@pytest.fixture
def batch(library):
    return Batch.objects.create(library=library)


def _fails(**kwargs) -> None:
    model = kwargs.pop("model")
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**kwargs)


def test_seed_example_query_works(library):
    MediaFile.objects.create(
        library=library,
        path="/media/tv/Show/Season 01/Show - s01e02.mkv",
        name="Show - s01e02.mkv",
        media_type="TV_SHOW",
        title="Show",
        season=1,
        episode=2,
    )
    MediaFile.objects.create(
        library=library, path="/media/tv/Film.mkv", name="Film.mkv", media_type="MOVIE"
    )
    found = [(f.name, f.season) for f in MediaFile.objects.filter(media_type="TV_SHOW")]
    assert found == [("Show - s01e02.mkv", 1)]


def test_media_path_is_unique(library):
    MediaFile.objects.create(library=library, path="/media/tv/a.mkv", name="a.mkv")
    _fails(model=MediaFile, library=library, path="/media/tv/a.mkv", name="a.mkv")


def test_media_type_outside_choices_is_refused(library):
    _fails(
        model=MediaFile, library=library, path="/media/tv/b.mkv", name="b.mkv", media_type="PODCAST"
    )


def test_media_size_cannot_be_negative(library):
    _fails(model=MediaFile, library=library, path="/media/tv/c.mkv", name="c.mkv", size=-1)


def test_media_season_cannot_be_negative(library):
    _fails(model=MediaFile, library=library, path="/media/tv/d.mkv", name="d.mkv", season=-1)


def test_media_needs_an_existing_library():
    # Foreign keys are checked when the transaction commits; check now.
    with pytest.raises(IntegrityError), transaction.atomic():
        MediaFile.objects.create(library_id=999, path="/x/e.mkv", name="e.mkv")
        connection.check_constraints(table_names=["library_mediafile"])


def test_library_root_and_name_are_unique(library):
    _fails(model=Library, name="Other", root_path="/media/tv")
    _fails(model=Library, name="TV", root_path="/media/other")


@pytest.mark.parametrize("path", ["media/tv", "/media/tv/", "/media/../tv", "/media//tv"])
def test_library_root_must_be_absolute_and_normalised(path):
    with pytest.raises(ValidationError) as excinfo:
        Library(name="X", root_path=path).full_clean()
    assert "root_path" in excinfo.value.message_dict


def test_operation_status_and_type_are_constrained(batch):
    common = {"model": FileOperation, "batch": batch, "original_path": "/a", "new_path": "/b"}
    _fails(**common, status="lost")
    _fails(**common, operation_type="delete")


def test_completed_operation_needs_a_completion_time(batch):
    _fails(model=FileOperation, batch=batch, original_path="/a", new_path="/b", status="completed")
    FileOperation.objects.create(
        batch=batch,
        original_path="/a",
        new_path="/b",
        status="completed",
        completed_at=timezone.now(),
    )


def test_rolled_back_operation_needs_a_rollback_time(batch):
    _fails(
        model=FileOperation, batch=batch, original_path="/a", new_path="/b", status="rolled_back"
    )


def test_operation_cannot_move_a_file_onto_itself(batch):
    _fails(model=FileOperation, batch=batch, original_path="/a", new_path="/a")


def test_batch_with_operations_cannot_be_deleted(batch):
    FileOperation.objects.create(batch=batch, original_path="/a", new_path="/b")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM library_batch WHERE id = %s", [batch.pk])
        connection.check_constraints(table_names=["library_fileoperation"])


def test_timestamps_are_utc(library):
    assert library.created_at.utcoffset().total_seconds() == 0


def test_media_kind_is_video_or_subtitle(library):
    _fails(model=MediaFile, library=library, path="/media/tv/f.nfo", name="f.nfo", kind="nfo")


def test_an_imported_operation_is_stored_once(batch):
    FileOperation.objects.create(batch=batch, original_path="/a", new_path="/b", source_key="db:1")
    _fails(model=FileOperation, batch=batch, original_path="/c", new_path="/d", source_key="db:1")
    # Operations of our own have no source key, and there can be many of them.
    FileOperation.objects.create(batch=batch, original_path="/e", new_path="/f")
    FileOperation.objects.create(batch=batch, original_path="/g", new_path="/h")
