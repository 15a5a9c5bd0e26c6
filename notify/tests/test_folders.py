"""Which folders Plex is asked to scan: each changed folder once, as Plex sees it."""

from __future__ import annotations

import pytest

from library.tests.factories import library_make
from notify import folders
from notify.folders import Refresh, folders_changed, refreshes_plan
from notify.models import PlexSection

pytestmark = pytest.mark.django_db


@pytest.fixture
def tv(tmp_path):
    library = library_make(tmp_path / "tv")
    PlexSection.objects.create(
        key="3", title="TV", locations=["/data/tv"], library=library, plex_root="/data/tv"
    )
    return library


def test_both_folders_of_a_move_changed_and_each_is_listed_once():
    moves = [
        ("/tv/old/a.mkv", "/tv/Show (2019)/Season 01/a.mkv"),
        ("/tv/old/b.mkv", "/tv/Show (2019)/Season 01/b.mkv"),
    ]
    assert folders_changed(moves) == ["/tv/Show (2019)/Season 01", "/tv/old"]


def test_folders_are_seen_through_the_mount_point_plex_uses(tv, tmp_path):
    show = tmp_path / "tv" / "Show (2019)" / "Season 01"
    show.mkdir(parents=True)
    assert refreshes_plan([str(show)]) == ([Refresh("3", "/data/tv/Show (2019)/Season 01")], [])


def test_a_folder_inside_another_listed_one_is_covered_by_it(tv, tmp_path):
    show = tmp_path / "tv" / "Show (2019)"
    (show / "Season 01").mkdir(parents=True)
    (tmp_path / "tv" / "Show (2019) Extras").mkdir()
    planned, _ = refreshes_plan(
        [str(show / "Season 01"), str(show), str(tmp_path / "tv" / "Show (2019) Extras")]
    )
    assert planned == [
        Refresh("3", "/data/tv/Show (2019)"),
        Refresh("3", "/data/tv/Show (2019) Extras"),
    ]


def test_a_removed_folder_is_scanned_through_its_nearest_folder_on_disk(tv, tmp_path):
    (tmp_path / "tv" / "Show").mkdir()
    planned, _ = refreshes_plan([str(tmp_path / "tv" / "Show" / "Season 01")])
    assert planned == [Refresh("3", "/data/tv/Show")]


def test_a_folder_of_a_library_no_section_holds_is_a_problem(tv, tmp_path):
    movies = library_make(tmp_path / "movies", "Movies")
    planned, problems = refreshes_plan([movies.root_path])
    assert planned == []
    assert problems == [
        f"{movies.root_path}: no Plex section holds this folder; map its library on the Plex page."
    ]


def test_a_folder_outside_every_library_is_left_out(tv, tmp_path):
    # An import's inbox: files left it, but Plex holds no such folder.
    inbox = tmp_path / "downloads"
    inbox.mkdir()
    assert refreshes_plan([str(inbox)]) == ([], [])


def test_many_folders_of_one_section_are_one_scan_of_its_folder(tv, tmp_path, monkeypatch):
    monkeypatch.setattr(folders, "MAX_REFRESHES_PER_SECTION", 3)
    shows = [tmp_path / "tv" / f"Show {n}" for n in range(4)]
    for show in shows:
        show.mkdir()
    planned, _ = refreshes_plan(str(show) for show in shows)
    assert planned == [Refresh("3", "/data/tv")]
    planned, _ = refreshes_plan(str(show) for show in shows[:3])
    assert len(planned) == 3
