from __future__ import annotations

import pytest

from library.models import MediaFile, MediaType
from library.services.plex_check import Problem, library_plex_check, plex_check_tally
from library.tests.factories import episode_make, library_make, media_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(tmp_path):
    return library_make(tmp_path / "media")


def problems_of(library) -> dict[str, tuple[Problem, ...]]:
    return {item.media.name: item.problems for item in library_plex_check(library=library).files}


def movie_make(library, relative: str, **fields) -> MediaFile:
    return media_make(library, relative, media_type=MediaType.MOVIE, title="Heat", **fields)


def test_a_library_already_in_plex_form_has_no_problems(library):
    movie_make(library, "Heat (1995) {tmdb-949}/Heat (1995) {tmdb-949}.mkv", year=1995)
    movie_make(library, "Heat (1995) {tmdb-949}/Trailers/Teaser.mkv", extra_type="trailer")
    movie_make(
        library, "Heat (1995) {tmdb-949}/Heat (1995)-featurette.mkv", extra_type="featurette"
    )
    movie_make(library, "Heat (1995)/Heat (1995) - pt2.mkv", part=2)
    episode_make(library, "Show (2019)/Season 01/Show (2019) - s01e02.mkv")
    episode_make(library, "Show (2019)/Season 1/Show - s01e01-e02.mkv", episodes=[1, 2])
    episode_make(library, "Show (2019)/Specials/Show - s00e01.mkv", media_type="TV_SPECIAL")
    episode_make(library, "Daily/Season 2024/Daily - 2024-03-05.mkv", episode=None)
    result = library_plex_check(library=library)
    assert result.checked == 8
    assert result.files == [] and not result.counts


def test_subtitles_and_missing_files_are_not_checked(library):
    video = movie_make(library, "heat.mkv", missing=True)
    media_make(library, "heat.en.srt", kind="subtitle", video=video)
    assert library_plex_check(library=library).checked == 0


@pytest.mark.parametrize(
    ("relative", "fields", "problems"),
    [
        ("heat.1995.mkv", {"media_type": MediaType.MOVIE}, (Problem.MOVIE_NOT_IN_FOLDER,)),
        ("Heat/Heat.mkv", {"media_type": MediaType.MOVIE}, (Problem.MOVIE_FOLDER_NO_YEAR,)),
        ("Show/show.s01e02.mkv", {}, (Problem.NO_SEASON_FOLDER,)),
        ("Show/Season 01/Show - Pilot.mkv", {}, (Problem.NO_EPISODE_CODE,)),
        (
            "Show/Season 01/Show - s00e01.mkv",
            {"media_type": MediaType.TV_SPECIAL},
            (Problem.SPECIAL_NOT_IN_SEASON_00,),
        ),
        (
            "Heat (1995)/heat-trailer-final.mkv",
            {"extra_type": "trailer"},
            (Problem.EXTRA_MISPLACED,),
        ),
        (
            "Heat (1995)/Heat (1995) - pt9.mkv",
            {"media_type": MediaType.MOVIE},
            (Problem.TOO_MANY_PARTS,),
        ),
        (
            "Heat (1995) {tmdb-abc}/Heat (1995).mkv",
            {"media_type": MediaType.MOVIE},
            (Problem.MALFORMED_ID,),
        ),
        (
            "Heat (1995) {imdb-123}/Heat (1995).mkv",
            {"media_type": MediaType.MOVIE},
            (Problem.MALFORMED_ID,),
        ),
        ("whatever.mkv", {"media_type": MediaType.UNKNOWN}, (Problem.NOT_RECOGNISED,)),
    ],
)
def test_each_break_of_plex_rules_is_named(library, relative, fields, problems):
    values = {"media_type": MediaType.TV_SHOW, "title": "X", **fields}
    media_make(library, relative, **values)
    assert list(problems_of(library).values()) == [problems]


def test_problems_are_counted_over_the_library(library):
    episode_make(library, "show.s01e01.mkv", episode=1)
    episode_make(library, "show.s01e02.mkv", episode=2)
    movie_make(library, "heat.mkv")
    counts = library_plex_check(library=library).counts
    assert counts == {Problem.NO_SEASON_FOLDER: 2, Problem.MOVIE_NOT_IN_FOLDER: 1}


def test_the_check_reads_the_database_in_one_query(library, django_assert_num_queries):
    for n in range(5):
        episode_make(library, f"show.s01e{n:02d}.mkv", episode=n)
    with django_assert_num_queries(1):
        library_plex_check(library=library)


def test_the_tally_a_scan_stores_counts_what_the_full_check_finds(library):
    episode_make(library, "show.s01e01.mkv", episode=1)
    episode_make(library, "Show/Season 01/Show - Pilot.mkv", episode=None)
    episode_make(library, "Show (2019)/Season 01/Show (2019) - s01e02.mkv")
    movie_make(library, "heat.mkv")
    movie_make(library, "Heat (1995)/heat-trailer-final.mkv", extra_type="trailer")
    movie_make(library, "gone.mkv", missing=True)
    full = library_plex_check(library=library)
    assert plex_check_tally(library=library) == {
        "checked": full.checked,
        "files": len(full.files),
        "counts": {str(problem): n for problem, n in full.counts.items()},
    }
    assert (full.checked, len(full.files)) == (5, 4)


def test_the_plan_job_after_an_apply_counts_the_renamed_paths(media_root):
    """A rescan finds renamed files unchanged and does not count them again: the PLAN
    job that follows the apply does, or the page would keep the old problems."""
    from library.models import Library
    from library.services.apply import library_apply
    from library.services.plan_store import plan_and_check
    from library.services.plex_check import plex_check_counts
    from library.services.scan import library_scan
    from library.tests.conftest import make_files

    make_files(media_root, ["the.wire.s01e01.mkv", "the.wire.s01e02.mkv"])
    library = Library.objects.create(name="TV", root_path=str(media_root))
    library_scan(library=library)
    assert plex_check_counts(library)[0] == 2  # episodes outside a season folder
    assert library_apply(library=library).completed == 2
    plan_and_check(library)
    library_scan(library=library)
    library.refresh_from_db()
    assert plex_check_counts(library) == (0, [])
