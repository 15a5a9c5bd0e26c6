"""A library pinned to a worker host: the form, and a worker that cannot reach the folder."""

from __future__ import annotations

import os
from io import StringIO

import pytest
from django.core.management import call_command

from library.forms import LibraryForm
from library.models import Batch, FileOperation, Library
from library.services.checksum import checksum_compute
from library.services.locks import library_lock
from library.services.recovery import operations_recover
from library.tasks import FolderNotHere, scan_library
from library.tests.conftest import make_files
from library.tests.factories import library_make, media_make
from plexomatic_site.jobs import job_enqueue
from plexomatic_site.models import Job, JobKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _alpha(settings):
    settings.PLEXOMATIC_WORKER_HOST = "alpha"


def _form(root: str, host: str) -> LibraryForm:
    return LibraryForm({"name": "Films", "root_path": root, "worker_host": host, "kind": "mixed"})


def test_a_folder_only_another_host_sees_is_accepted_but_not_one_this_host_should_see(tmp_path):
    missing = str(tmp_path / "on-the-nas")
    here = _form(missing, "alpha")
    assert not here.is_valid()
    assert here.errors["root_path"] == [f"{missing} does not exist."]
    assert not _form(missing, "").is_valid()
    elsewhere = _form(missing, " NAS1 ")
    assert elsewhere.is_valid(), elsewhere.errors
    library = elsewhere.save()
    assert (library.root_path, library.worker_host) == (missing, "nas1")


def test_the_other_rules_of_a_folder_still_hold_for_another_host(tmp_path):
    library_make(tmp_path / "tv")
    inside = _form(str(tmp_path / "tv" / "films"), "nas1")
    assert not inside.is_valid()
    assert "lies inside the library “TV”" in inside.errors["root_path"][0]
    assert not _form("relative/path", "nas1").is_valid()


def test_a_worker_host_that_is_no_host_name_is_refused(tmp_path):
    form = _form(str(tmp_path), "nas 1,nas2")
    assert not form.is_valid()
    assert form.errors["worker_host"] == [
        "Use the worker's host name: letters, digits, dots, hyphens or underscores."
    ]


def _scan(library: Library) -> Job:
    job = job_enqueue(
        kind=JobKind.SCAN, locks=[library_lock(library)], task=scan_library, library_id=library.pk
    )
    job.refresh_from_db()
    return job


def test_a_worker_that_cannot_read_the_folder_fails_the_job_in_one_sentence(
    tmp_path, immediate_tasks
):
    library = library_make(tmp_path / "tv")
    (tmp_path / "tv").rmdir()  # the disk is not mounted on this worker's host
    job = _scan(library)
    assert (job.status, job.hostname) == (Job.Status.FAILED, "alpha")
    assert job.error == (
        f"Library “TV”'s folder {tmp_path / 'tv'} cannot be read on worker host alpha, so "
        "nothing was changed; mount it there, or set the library's worker host to the machine "
        "that has it."
    )
    assert not library.media_files.exists()


def test_a_job_queued_before_the_library_was_pinned_elsewhere_changes_nothing(tmp_path):
    library = library_make(tmp_path / "tv")
    make_files(tmp_path / "tv", ["Show - S01E01.mkv"])
    job = _scan(library)  # waits in "default", for any worker
    Library.objects.filter(pk=library.pk).update(worker_host="nas1")
    with pytest.raises(FolderNotHere):
        scan_library.call(job_ids=[job.pk], library_id=library.pk)  # as alpha's worker does
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == (
        "Library “TV” is now pinned to worker host nas1, and this worker is alpha, so nothing "
        "was changed; start it again."
    )
    assert not library.media_files.exists()


def test_a_pinned_library_is_scanned_by_its_own_host(tmp_path, immediate_tasks):
    library = library_make(tmp_path / "tv")
    library.worker_host = "alpha"
    library.save()
    make_files(tmp_path / "tv", ["Show - S01E01.mkv"])
    job = _scan(library)
    assert (job.status, job.hostname, library.media_files.count()) == (
        Job.Status.SUCCEEDED,
        "alpha",
        1,
    )


def test_recovery_leaves_a_library_pinned_elsewhere_to_its_own_host(tmp_path, settings):
    library = library_make(tmp_path / "tv")
    media = media_make(library, "a.mkv")
    operation = FileOperation.objects.create(
        batch=Batch.objects.create(library=library),
        media_file=media,
        original_path=media.path,
        new_path=str(tmp_path / "tv" / "b.mkv"),
        checksum=checksum_compute(media.path),
    )
    # Here the folder is an empty mount point: every file would look lost.
    os.remove(media.path)
    Library.objects.filter(pk=library.pk).update(worker_host="nas1")
    err = StringIO()
    call_command("recover", "--no-progress", stdout=StringIO(), stderr=err)
    assert err.getvalue().strip() == (
        "Skipped libraries pinned to another worker host: TV; its db_worker settles them "
        "when it starts."
    )
    operation.refresh_from_db()
    assert (operation.status, operation.needs_attention) == ("pending", False)
    # On nas1 itself it is settled (here: the file is at neither path, so flagged).
    settings.PLEXOMATIC_WORKER_HOST = "nas1"
    assert operations_recover().flagged == 1
