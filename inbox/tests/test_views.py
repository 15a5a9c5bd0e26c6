"""The Inbox page and its import button."""

from __future__ import annotations

import os
import re

import pytest

from inbox.models import InboxFolder
from inbox.tests.downloads import downloads_make
from library.models import Batch, Library
from plexomatic_site.models import Job


@pytest.fixture
def inbox(db, tmp_path) -> InboxFolder:
    (tmp_path / "tv").mkdir()
    tv = Library.objects.create(name="TV", root_path=str(tmp_path / "tv"))
    downloads = downloads_make(tmp_path / "downloads", releases=1)
    return InboxFolder.objects.create(name="Downloads", path=str(downloads.root), library=tv)


def test_the_page_lists_inboxes_with_an_import_button(
    logged_in, inbox, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = logged_in.get("/inbox/")
    page = response.content.decode()
    assert "Downloads" in page and inbox.path in page and "Hard link" in page
    assert f'action="/inbox/{inbox.pk}/import/"' in page


def test_the_page_says_when_there_is_no_inbox(logged_in, db):
    assert "No inbox yet." in logged_in.get("/inbox/").content.decode()


def test_anonymous_users_are_sent_to_log_in(client, inbox):
    assert client.get("/inbox/").url.startswith("/login/")
    assert client.post(f"/inbox/{inbox.pk}/import/").url.startswith("/login/")


def test_import_needs_a_post(logged_in, inbox):
    assert logged_in.get(f"/inbox/{inbox.pk}/import/").status_code == 405
    assert logged_in.post("/inbox/999/import/").status_code == 404


def test_the_button_runs_the_import_as_a_job(logged_in, inbox, immediate_tasks):
    response = logged_in.post(f"/inbox/{inbox.pk}/import/")
    # One job per lock: the inbox's and its library's.
    jobs = list(Job.objects.filter(kind="import").order_by("pk"))
    assert len(jobs) == 2 and {job.status for job in jobs} == {"succeeded"}, jobs[0].error
    assert response.url == f"/jobs/{jobs[0].pk}/"
    batch = Batch.objects.get(kind="import")
    assert batch.operations.filter(status="completed").count() == 1
    assert "1 imported" in logged_in.get(response.url).content.decode()


def test_a_busy_inbox_is_refused_with_a_sentence(logged_in, inbox):
    from inbox.locks import import_locks
    from plexomatic_site.jobs import jobs_claim
    from plexomatic_site.models import JobKind

    jobs_claim(kind=JobKind.SCAN, locks=import_locks(inbox)[1:])
    response = logged_in.post(f"/inbox/{inbox.pk}/import/", follow=True)
    assert "was not imported" in response.content.decode()
    assert not Batch.objects.exists()


def test_the_form_refuses_an_inbox_inside_a_library_and_one_without_a_library(db, tmp_path):
    from inbox.forms import InboxFolderForm

    (tmp_path / "tv" / "downloads").mkdir(parents=True)
    tv = Library.objects.create(name="TV", root_path=str(tmp_path / "tv"))
    form = InboxFolderForm(
        {"name": "In", "path": str(tmp_path / "tv" / "downloads"), "mode": "move", "library": tv.pk}
    )
    assert not form.is_valid()
    assert "lies inside the library “TV”" in form.errors["path"][0]
    (tmp_path / "downloads").mkdir()
    form = InboxFolderForm({"name": "In", "path": str(tmp_path / "downloads"), "mode": "move"})
    assert not form.is_valid()
    assert "Choose the library to import into" in form.non_field_errors()[0]
    form = InboxFolderForm(
        {"name": "In", "path": str(tmp_path / "downloads") + "/", "mode": "copy", "library": tv.pk}
    )
    assert form.is_valid(), form.errors
    assert form.save().path == str(tmp_path / "downloads")


def test_the_admin_adds_an_inbox(admin_client, db):
    assert admin_client.get("/admin/inbox/inboxfolder/add/").status_code == 200


def _text(page: str) -> str:
    """The page without its tags: a path's changed part is marked up inside the path."""
    return re.sub(r"<[^>]+>", "", page)


def test_the_preview_shows_each_file_and_where_it_goes(logged_in, inbox):
    page = logged_in.get(f"/inbox/{inbox.pk}/").content.decode()
    text = _text(page)
    assert (
        "Amber.Road.S01E01.1080p.WEB-DL.x264-GRP/Amber.Road.S01E01.1080p.WEB-DL.x264-GRP.mkv"
        in text
    )
    assert "Amber Road/Season 01/Amber Road - s01e01.mkv" in text
    assert "1 to import" in text


def test_the_preview_is_the_rename_previews_workbench_with_the_imports_columns(logged_in, inbox):
    """The same stats header and row cells as the rename preview (includes/plan_stats.html,
    includes/plan_cells.html): changed parts marked, a badge per file saying how it is
    imported (the mode) or why it stays."""
    page = logged_in.get(f"/inbox/{inbox.pk}/").content.decode()
    assert page.count('<ul class="plan-stats">') == 1
    assert '<th scope="col">If the library has it</th>' in page
    assert "<ins>" in page and "<del>" in page  # the changed part of each path
    assert '<span class="badge ok">Hard link</span>' in page
    rows = {
        m.group(1): _text(m.group(0))
        for m in re.finditer(
            r"<tr data-row>.*?<code class=\"path\">(.*?)</code>.*?</tr>", page, re.S
        )
    }
    growing = next(row for path, row in rows.items() if "Juniper.Road.S01E05" in _text(path))
    partial = next(row for path, row in rows.items() if _text(path).endswith(".mkv.part"))
    assert "still being written" in growing and "settle time" in growing
    assert "partial download" in partial
    text = _text(page)
    assert "Staying: still being written 1 · partial download 1 · sample, junk or hidden 1." in text


def test_the_preview_of_a_refused_inbox_says_why(logged_in, inbox):
    inbox.path = "/nowhere/at/all"
    inbox.save()
    response = logged_in.get(f"/inbox/{inbox.pk}/", follow=True)
    assert "does not exist" in response.content.decode()


def test_a_duplicate_is_imported_as_the_preview_chose(logged_in, inbox, immediate_tasks):
    from pathlib import Path

    existing = (
        Path(inbox.library.root_path) / "Amber Road/Season 01/Amber Road - s01e01 - 2160p.mkv"
    )
    existing.parent.mkdir(parents=True)
    existing.write_bytes(b"already here, in 2160p" * 100)
    from library.services.scan import library_scan

    library_scan(library=inbox.library)
    page = logged_in.get(f"/inbox/{inbox.pk}/").content.decode()
    field = (
        "choice:Amber.Road.S01E01.1080p.WEB-DL.x264-GRP/Amber.Road.S01E01.1080p.WEB-DL.x264-GRP.mkv"
    )
    assert f'name="{field}"' in page
    assert '<option value="skip" selected>' in page  # the setting's rule: the old one is better
    logged_in.post(f"/inbox/{inbox.pk}/import/", {field: "keep_both"})
    kept = existing.with_name("Amber Road - s01e01 - 1080p.mkv")
    assert kept.exists() and existing.read_bytes() == b"already here, in 2160p" * 100


def test_an_import_batch_shows_on_the_history_pages_and_rolls_back(
    logged_in, inbox, immediate_tasks
):
    from inbox.services.inbox_import import inbox_import

    batch = inbox_import(inbox=inbox).batch
    page = logged_in.get(f"/history/batch/{batch.pk}/")
    assert page.status_code == 200
    assert "Amber Road - s01e01.mkv" in page.content.decode()
    assert logged_in.get("/history/").status_code == 200
    logged_in.post(f"/history/batch/{batch.pk}/rollback/", {"confirm": "on"})
    (operation,) = batch.operations.all()
    assert operation.status == "rolled_back"
    assert not os.path.exists(operation.new_path) and os.path.exists(operation.original_path)
