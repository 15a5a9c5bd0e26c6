"""The import preview as the rename preview's workbench: filters, pages, and a selection
over every page that the import keeps to (the page's script is tested in the browser)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from inbox.models import InboxFolder
from inbox.tests.downloads import downloads_make
from library.models import Library
from library.services.plan import Reason
from plexomatic_site.models import Job

PACK = "Bright.Road.S02.1080p.BluRay.x264-GRP"
EPISODE = "Amber.Road.S01E01.1080p.WEB-DL.x264-GRP/Amber.Road.S01E01.1080p.WEB-DL.x264-GRP.mkv"
PACK_E01 = f"{PACK}/Bright.Road.S02E01.1080p.BluRay.x264-GRP.mkv"
PACK_E01_SUBTITLE = f"{PACK}/Bright.Road.S02E01.1080p.BluRay.x264-GRP.en.srt"
PACK_E02 = f"{PACK}/Bright.Road.S02E02.1080p.BluRay.x264-GRP.mkv"
PACK_E03 = f"{PACK}/Bright.Road.S02E03.1080p.BluRay.x264-GRP.mkv"
EVERY = [EPISODE, PACK_E01, PACK_E01_SUBTITLE, PACK_E02, PACK_E03]


@pytest.fixture
def inbox(db, tmp_path) -> InboxFolder:
    """An episode and a season pack of three with a subtitle, beside a growing file and a
    partial download, imported by hard link into one library."""
    (tmp_path / "tv").mkdir()
    tv = Library.objects.create(name="TV", root_path=str(tmp_path / "tv"))
    downloads = downloads_make(tmp_path / "downloads", releases=2)
    assert sorted(downloads.importable) == sorted(EVERY)
    return InboxFolder.objects.create(name="Downloads", path=str(downloads.root), library=tv)


def ticked(page: str) -> list[str]:
    """The files the preview lists with a checkbox, in page order."""
    return re.findall(r'<input type="checkbox" name="file" value="([^"]*)"', page)


def still_in_inbox(inbox: InboxFolder) -> set[str]:
    root = Path(inbox.path)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def imported(inbox: InboxFolder) -> list[str]:
    assert inbox.library is not None
    root = Path(inbox.library.root_path)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_every_file_is_ticked_and_the_stays_are_listed_after_the_imports(logged_in, inbox):
    page = logged_in.get(f"/inbox/{inbox.pk}/").content.decode()
    assert ticked(page) == sorted(EVERY)
    assert page.index("<h2>Into TV</h2>") < page.index("<h2>Stays in the inbox</h2>")
    assert 'data-field="file"' in page and 'data-matching="5"' in page


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("status=import", sorted(EVERY)),
        ("q=bright.road.s02e0", sorted([PACK_E01, PACK_E01_SUBTITLE, PACK_E02, PACK_E03])),
        ("q=Amber Road - s01e01", [EPISODE]),  # the new path is searched too
        ("status=stays", []),
    ],
)
def test_the_filters_list_what_they_say(logged_in, inbox, query, listed):
    page = logged_in.get(f"/inbox/{inbox.pk}/?{query}").content.decode()
    assert ticked(page) == listed
    if query == "status=stays":
        assert "partial download" in page and "still being written" in page


def test_a_filter_of_garbage_is_refused_with_the_form(logged_in, inbox):
    response = logged_in.get(f"/inbox/{inbox.pk}/?status=nonsense")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_preview_pages_and_keeps_its_filters_in_the_links(logged_in, inbox, monkeypatch):
    from inbox import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    first = logged_in.get(f"/inbox/{inbox.pk}/?status=import").content.decode()
    third = logged_in.get(f"/inbox/{inbox.pk}/?status=import&page=3").content.decode()
    assert ticked(first) == sorted(EVERY)[:2] and ticked(third) == sorted(EVERY)[4:]
    assert 'href="?status=import&amp;page=2"' in first
    assert 'data-matching="5"' in third  # the selection spans every page


def _post(client, inbox, data):
    return client.post(f"/inbox/{inbox.pk}/import/", data, follow=True)


def test_every_match_but_the_unticked_is_imported_and_a_subtitle_stays_with_its_video(
    logged_in, inbox, immediate_tasks
):
    _post(logged_in, inbox, {"selection": "matching", "ids": json.dumps([PACK_E01])})
    assert {PACK_E01, PACK_E01_SUBTITLE} <= still_in_inbox(inbox)
    assert imported(inbox) == [
        "Amber Road/Season 01/Amber Road - s01e01.mkv",
        "Bright Road/Season 02/Bright Road - s02e02.mkv",
        "Bright Road/Season 02/Bright Road - s02e03.mkv",
    ]
    # One job per lock the import holds (the inbox's and the library's), one summary.
    assert {job.summary["completed"] for job in Job.objects.filter(kind="import")} == {3}


def test_only_the_ticked_ids_are_imported(logged_in, inbox, immediate_tasks):
    response = _post(logged_in, inbox, {"selection": "ids", "ids": json.dumps([PACK_E02])})
    assert "Importing 1 file(s) of “Downloads”" in response.content.decode()
    assert imported(inbox) == ["Bright Road/Season 02/Bright Road - s02e02.mkv"]


def test_select_all_keeps_to_the_filters_the_preview_showed(logged_in, inbox, immediate_tasks):
    _post(logged_in, inbox, {"selection": "matching", "ids": "[]", "q": "Amber"})
    assert imported(inbox) == ["Amber Road/Season 01/Amber Road - s01e01.mkv"]


def test_without_the_script_the_ticked_files_of_the_page_are_imported(
    logged_in, inbox, immediate_tasks
):
    _post(logged_in, inbox, {"scope": "page", "file": [PACK_E01, PACK_E01_SUBTITLE]})
    assert imported(inbox) == [
        "Bright Road/Season 02/Bright Road - s02e01.en.srt",
        "Bright Road/Season 02/Bright Road - s02e01.mkv",
    ]


def test_import_all_imports_every_ready_file(logged_in, inbox, immediate_tasks):
    _post(logged_in, inbox, {"scope": "all"})
    assert len(imported(inbox)) == 5


@pytest.mark.parametrize(
    "data",
    [
        {"selection": "ids", "ids": f"{EPISODE},{PACK_E02}"},  # not JSON
        {"selection": "ids", "ids": json.dumps([""])},
        {"selection": "ids", "ids": json.dumps(["bad\x00name"])},
        {"selection": "ids", "ids": json.dumps([1])},
        {"selection": "every"},
        {"selection": "matching", "status": "nonsense"},
    ],
)
def test_a_selection_of_garbage_changes_nothing(logged_in, inbox, data):
    response = _post(logged_in, inbox, data)
    assert response.status_code == 200
    assert "That import request was not valid; reload the preview." in response.content.decode()
    assert not Job.objects.exists() and imported(inbox) == []


@pytest.mark.parametrize(
    "data",
    [
        {"selection": "ids", "ids": "[]"},
        {"selection": "matching", "ids": json.dumps(EVERY)},
        {"scope": "page"},
    ],
)
def test_nothing_selected_says_so(logged_in, inbox, data):
    response = _post(logged_in, inbox, data)
    assert "No file is selected: tick the files to import." in response.content.decode()
    assert not Job.objects.exists() and imported(inbox) == []


def test_import_inbox_only_imports_the_files_named(inbox, capsys):
    call_command("import_inbox", "Downloads", "--yes", "--only", EPISODE, "--no-progress")
    out = capsys.readouterr().out
    assert imported(inbox) == ["Amber Road/Season 01/Amber Road - s01e01.mkv"]
    assert f"stays: {PACK_E02} ({Reason.NOT_SELECTED.label})" in out


def test_import_inbox_only_names_a_path_that_is_not_there(inbox, capsys):
    call_command("import_inbox", "Downloads", "--yes", "--only", "Amber.Road.mkv", "--no-progress")
    assert (
        "Amber.Road.mkv was picked, but is not a finished media file of the inbox; nothing was "
        "done with it." in capsys.readouterr().err
    )
    assert imported(inbox) == []
