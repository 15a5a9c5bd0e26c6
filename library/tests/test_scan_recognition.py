"""What the scan stores from recognition: Plex's tags, extras, evidence, the library kind."""

from __future__ import annotations

import pytest

from library.models import Library, MediaFile
from library.services import scan
from library.services.scan import library_scan
from library.tests.conftest import make_files

pytestmark = pytest.mark.django_db


def _row(name: str) -> MediaFile:
    return MediaFile.objects.get(name=name)


def test_the_scan_stores_what_plex_reads_in_names_and_folders(library, media_root):
    make_files(
        media_root,
        [
            "Blade Runner (1982) {imdb-tt0083658}/Blade Runner (1982) {edition-Final Cut}.mkv",
            "Heat (1995)/Heat (1995) - cd2.mkv",
            "Heat (1995)/Heat (1995) - 1080p.mkv",
            "Heat (1995)/Trailers/Teaser.mkv",
            "Alien (1979)/Alien (1979)-featurette.mkv",
        ],
    )
    library_scan(library=library)
    blade = _row("Blade Runner (1982) {edition-Final Cut}.mkv")
    assert (blade.title, blade.year, blade.imdb_id, blade.edition) == (
        "Blade Runner",
        1982,
        "tt0083658",
        "Final Cut",
    )
    assert blade.recognition_rule and blade.name_said
    assert _row("Heat (1995) - cd2.mkv").part == 2
    assert _row("Heat (1995) - 1080p.mkv").version == "1080p"
    teaser = _row("Teaser.mkv")
    assert (teaser.extra_type, teaser.title, teaser.year) == ("trailer", "Heat", 1995)
    assert _row("Alien (1979)-featurette.mkv").extra_type == "featurette"


def test_a_half_episode_and_a_disagreeing_folder_are_kept_as_such(library, media_root):
    make_files(
        media_root,
        ["Show/Season 01/Show - S01E12.5.mkv", "Show/Season 02/Show - S03E04.mkv"],
    )
    library_scan(library=library)
    half = _row("Show - S01E12.5.mkv")
    assert half.episode_fraction == "12.5" and half.episodes == []
    disagreeing = _row("Show - S03E04.mkv")
    assert disagreeing.conflict and "2" in disagreeing.conflict and "3" in disagreeing.conflict


def test_the_library_kind_is_the_prior_and_a_change_rereads_every_name(
    library, media_root, monkeypatch
):
    make_files(media_root, ["Akira - 07.mkv"])
    library.kind = Library.Kind.MOVIES
    library.save()
    library_scan(library=library)
    assert _row("Akira - 07.mkv").episodes == []  # a movies library: never an episode

    library.kind = Library.Kind.ANIME
    library.save()
    summary = library_scan(library=library)
    row = _row("Akira - 07.mkv")
    assert summary.unchanged == 1 and summary.recognised_again == 1
    assert row.media_type == MediaFile.MediaType.ANIME and 7 in (
        row.episodes or [row.absolute_episode]
    )

    # Nothing changed since: names are not read again.
    calls: list[str] = []
    real = scan.recognise
    monkeypatch.setattr(scan, "recognise", lambda rel, **kw: calls.append(rel) or real(rel, **kw))
    assert library_scan(library=library).recognised_again == 0 and calls == []


def test_an_upgraded_recogniser_rereads_names_once(library, media_root, monkeypatch):
    make_files(media_root, ["Show/Season 01/Show - S01E01.mkv"])
    library_scan(library=library)
    MediaFile.objects.update(title="stale reading", recognition_rule="")
    monkeypatch.setattr(scan, "RECOGNITION_VERSION", scan.RECOGNITION_VERSION + 1)
    summary = library_scan(library=library)
    assert summary.recognised_again == 1 and "recognised anew" in summary.headline()
    assert _row("Show - S01E01.mkv").title == "Show"


def test_an_extra_links_to_its_movie_on_its_page(library, media_root, logged_in):
    make_files(media_root, ["Heat (1995)/Heat (1995).mkv", "Heat (1995)/Trailers/Teaser.mkv"])
    library_scan(library=library)
    teaser, movie = _row("Teaser.mkv"), _row("Heat (1995).mkv")
    html = logged_in.get(f"/libraries/{library.pk}/media/{teaser.pk}/").content.decode()
    assert "Trailer of" in html and f"/libraries/{library.pk}/media/{movie.pk}/" in html
