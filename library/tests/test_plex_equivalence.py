"""Two spellings Plex reads alike are one name: a curated one is not respelled."""

from __future__ import annotations

import pytest

from library.services.plex_equivalence import plex_equivalent


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # Tag order is unimportant to Plex.
        (
            "Alien (1979) {edition-Director's Cut} {tmdb-348}/Alien (1979) {tmdb-348}.mkv",
            "Alien (1979) {tmdb-348} {edition-Director's Cut}/Alien (1979) {tmdb-348}.mkv",
        ),
        # Bracketed info is ignored.
        (
            "Show/Season 01/Show - s01e01 - Pilot [1080p Bluray].mkv",
            "Show/Season 01/Show - s01e01 - Pilot.mkv",
        ),
        # Every part label stacks alike.
        ("Memento (2000)/Memento (2000) - part1.mkv", "Memento (2000)/Memento (2000) - pt1.mkv"),
        ("Film/Film - cd2.en.srt", "Film/Film - pt2.en.srt"),
        ("Film/Film - disc 1.avi", "Film/Film - pt1.avi"),
        # Two- and three-letter language codes.
        ("Amélie (2001)/Amélie (2001).eng.srt", "Amélie (2001)/Amélie (2001).en.srt"),
        ("Film/Film.fre.forced.srt", "Film/Film.fr.forced.srt"),
        ("Film/Film.pt-br.srt", "Film/Film.pt-BR.srt"),
        ("Film  (2000)/Film (2000).mkv", "Film (2000)/Film (2000).mkv"),
        # Season folders and episode codes by their numbers.
        ("Show/Season 1/Show - s01e01.mkv", "Show/Season 01/Show - s01e01.mkv"),
        ("Show/Specials/Show - S00E001.mkv", "Show/Season 00/Show - s00e01.mkv"),
        ("Show/Season 01/Show - S01E01E02.mkv", "Show/Season 01/Show - s01e01-e02.mkv"),
        # Composed and decomposed Unicode.
        (
            "Ame\u0301lie (2001)/Ame\u0301lie (2001).mkv",
            "Am\u00e9lie (2001)/Am\u00e9lie (2001).mkv",
        ),
        # Folders above the template's, and a tag the file name already carries.
        ("TV/Kids/Show/Season 01/Show - s01e01.mkv", "Show/Season 01/Show - s01e01.mkv"),
        (
            "Thing (1982)/Thing (1982) {imdb-tt0084787}.mkv",
            "Thing (1982) {imdb-tt0084787}/Thing (1982) {imdb-tt0084787}.mkv",
        ),
    ],
)
def test_spellings_plex_reads_alike_are_equivalent(first, second):
    assert plex_equivalent(first, second)


@pytest.mark.parametrize(
    "current",
    ["Heat (1995).mkv", "Movies/Heat (1995).mkv", "Crime Collection/Heat (1995)/Heat (1995).mkv"],
)
def test_a_movie_may_sit_outside_its_own_folder(current):
    assert plex_equivalent(current, "Heat (1995)/Heat (1995).mkv", movie=True)
    assert not plex_equivalent("Heat (1995).mkv", "Heat (1995)/Heat (1995).mkv")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # Case is fixed on purpose; tags, numbers, parts, languages and folders count.
        ("the big lebowski (1998)/x.mkv", "The Big Lebowski (1998)/x.mkv"),
        ("Heat (1995) {tmdb-949}/Heat.mkv", "Heat (1995)/Heat.mkv"),
        ("Heat (1995) {TMDB-949}/Heat.mkv", "Heat (1995) {tmdb-949}/Heat.mkv"),
        ("Film/Film - cd1.mkv", "Film/Film - pt2.mkv"),
        ("Film/Film.eng.srt", "Film/Film.fr.srt"),
        ("Film/Film.pt-BR.srt", "Film/Film.pt-PT.srt"),
        ("Show/Show - s01e01.mkv", "Show/Season 01/Show - s01e01.mkv"),
        ("Show/Season 2/Show - s01e01.mkv", "Show/Season 01/Show - s01e01.mkv"),
        ("Show/Season 01/Show - s01e02.mkv", "Show/Season 01/Show - s01e01.mkv"),
        ("Heat (1995) {tmdb-949}/Heat (1995).mkv", "Heat (1995)/Heat (1995).mkv"),
        ("Film/Film.mkv", "Film/Film.mp4"),
        ("Show/Season 01/Show - s01e01 [Pilot].mkv", "Show/Season 01/Show - s01e01 - Pilot.mkv"),
    ],
)
def test_names_plex_reads_differently_are_not(first, second):
    assert not plex_equivalent(first, second)
