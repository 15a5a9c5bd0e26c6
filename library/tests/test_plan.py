from __future__ import annotations

import os
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from library.models import MediaFile, MediaType
from library.services.apply import library_apply
from library.services.plan import Reason, path_marked, plan_build
from library.tests.factories import episode_make, library_make, media_make, tree
from plexomatic_site.settings_store import settings_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(tmp_path):
    return library_make(tmp_path / "tv")


def reasons(plan) -> dict[str, str]:
    return {os.path.basename(item.source): item.reason for item in plan.items}


def test_recognised_file_gets_its_target_inside_the_library(library):
    media = episode_make(library, "show.s01e02.mkv", episode_title="Pilot")
    (item,) = plan_build(library=library).items
    assert item.media == media and item.ready
    assert item.target == os.path.join(
        library.root_path, "Show (2019)", "Season 01", "Show (2019) - s01e02 - Pilot.mkv"
    )


def test_file_already_at_its_plex_name_is_left_alone(library):
    episode_make(library, "Show (2019)/Season 01/Show (2019) - s01e02.mkv")
    assert reasons(plan_build(library=library)) == {
        "Show (2019) - s01e02.mkv": Reason.ALREADY_CORRECT
    }


def test_every_reason_for_not_renaming_is_reported(library):
    media_make(library, "unknown.mkv")
    episode_make(library, "gone.mkv", episode=9, missing=True)
    episode_make(library, "vanished.mkv", episode=8)
    os.unlink(os.path.join(library.root_path, "vanished.mkv"))
    bad = episode_make(library, "bad-name.mkv", episode=7)
    MediaFile.objects.filter(pk=bad.pk).update(path_bytes=b"/tv/bad-\xff.mkv")
    orphan = media_make(library, "orphan.srt", kind=MediaFile.Kind.SUBTITLE, language="en")
    plan = plan_build(library=library)
    assert reasons(plan) == {
        "unknown.mkv": Reason.NOT_RECOGNISED,
        "gone.mkv": Reason.MISSING,
        "vanished.mkv": Reason.MISSING,
        "bad-name.mkv": Reason.NOT_UTF8,
        "orphan.srt": Reason.NOT_RECOGNISED,
    }
    assert orphan.pk in {i.media.pk for i in plan.items if "subtitle" in i.detail}


def test_two_files_wanting_one_name_are_a_collision(library):
    episode_make(library, "a.mkv")
    episode_make(library, "b.MKV")  # the same target: extensions are lower-cased
    plan = plan_build(library=library)
    assert {item.reason for item in plan.items} == {Reason.COLLISION}
    assert all("Also wanted by" in item.detail for item in plan.items)


def test_names_differing_only_in_case_collide(library):
    episode_make(library, "a.mkv", title="Show")
    episode_make(library, "b.mkv", title="SHOW")
    assert {item.reason for item in plan_build(library=library).items} == {Reason.COLLISION}


def test_target_taken_by_an_unrelated_file_is_reported(library):
    episode_make(library, "a.mkv")
    target = os.path.join(library.root_path, "Show (2019)", "Season 01", "Show (2019) - s01e02.mkv")
    os.makedirs(os.path.dirname(target))
    open(target, "wb").close()
    assert reasons(plan_build(library=library))["a.mkv"] == Reason.TARGET_EXISTS


def test_target_recorded_for_a_missing_row_is_not_used(library):
    episode_make(library, "a.mkv")
    media_make(
        library, "Show (2019)/Season 01/Show (2019) - s01e02.mkv", content=b"x", missing=True
    )
    os.unlink(os.path.join(library.root_path, "Show (2019)/Season 01/Show (2019) - s01e02.mkv"))
    assert reasons(plan_build(library=library))["a.mkv"] == Reason.TARGET_EXISTS


def test_swapped_names_are_a_cycle(library):
    movie = {"media_type": MediaType.MOVIE, "year": None}
    media_make(library, "A/A.mkv", title="B", **movie)
    media_make(library, "B/B.mkv", title="A", **movie)
    assert set(reasons(plan_build(library=library)).values()) == {Reason.CYCLE}


def test_a_chain_is_ordered_so_the_holder_moves_first(library):
    movie = {"media_type": MediaType.MOVIE, "year": None}
    first = media_make(library, "A/A.mkv", title="B", **movie)  # wants B/B.mkv
    second = media_make(library, "B/B.mkv", title="C", **movie)  # wants C/C.mkv (free)
    ready = plan_build(library=library).ready()
    assert [item.media for item in ready] == [second, first]


def test_chain_onto_a_file_that_stays_is_blocked(library):
    movie = {"media_type": MediaType.MOVIE, "year": None}
    media_make(library, "A/A.mkv", title="B", **movie)
    stays = media_make(library, "B/B.mkv", title="C", **movie)
    plan = plan_build(
        library=library, media_ids=[m.pk for m in MediaFile.objects.exclude(pk=stays.pk)]
    )
    assert reasons(plan) == {"A.mkv": Reason.TARGET_EXISTS, "B.mkv": Reason.NOT_SELECTED}


def test_selection_limits_what_is_ready(library):
    a = episode_make(library, "a.mkv", episode=1)
    episode_make(library, "b.mkv", episode=2)
    plan = plan_build(library=library, media_ids=[a.pk])
    assert [item.media for item in plan.ready()] == [a]
    assert plan.counts()[Reason.NOT_SELECTED] == 1


def test_subtitle_follows_its_video_even_when_the_video_is_already_correct(library):
    video = episode_make(library, "Show (2019)/Season 01/Show (2019) - s01e02.mkv")
    media_make(
        library,
        "Show (2019)/Season 01/sub.srt",
        kind=MediaFile.Kind.SUBTITLE,
        video=video,
        language="en",
        forced=True,
    )
    ready = plan_build(library=library).ready()
    assert [os.path.basename(i.target) for i in ready] == ["Show (2019) - s01e02.en.forced.srt"]


def test_file_recorded_outside_its_library_is_never_planned(library, tmp_path):
    outside = tmp_path / "elsewhere" / "x.mkv"
    outside.parent.mkdir()
    outside.write_bytes(b"x")
    MediaFile.objects.create(
        library=library, path=str(outside), name="x.mkv", media_type=MediaType.MOVIE, title="X"
    )
    assert reasons(plan_build(library=library)) == {"x.mkv": Reason.OUTSIDE_ROOT}


def test_preview_command_lists_moves_and_reasons(library):
    episode_make(library, "show.s01e02.mkv")
    media_make(library, "noise.mkv")
    out = StringIO()
    call_command("preview", "--library", library.name, stdout=out)
    text = out.getvalue()
    assert "show.s01e02.mkv\n      -> Show (2019)/Season 01/Show (2019) - s01e02.mkv" in text
    assert "(adds year" in text  # what the rename does for Plex
    assert "[not recognised" in text
    assert text.strip().endswith(
        "1 file(s) to rename, 0 already correct, 1 not renamed, in 1 library."
    )
    assert os.path.exists(os.path.join(library.root_path, "show.s01e02.mkv"))


def test_preview_command_refuses_an_unknown_library(library):
    with pytest.raises(CommandError, match="no library named or numbered 'nope'"):
        call_command("preview", "--library", "nope")


def test_a_dangling_link_at_the_target_counts_as_taken(library):
    episode_make(library, "a.mkv")
    target = os.path.join(library.root_path, "Show (2019)", "Season 01", "Show (2019) - s01e02.mkv")
    os.makedirs(os.path.dirname(target))
    os.symlink("/nonexistent/elsewhere", target)
    (item,) = plan_build(library=library).items
    assert item.reason == Reason.TARGET_EXISTS and "will not be overwritten" in item.detail


@pytest.mark.parametrize(
    ("fields", "reason", "words"),
    [
        ({"extra_type": "trailer"}, Reason.EXTRA, "stays"),
        ({"episode_fraction": "12.5"}, Reason.NO_PLEX_NUMBER, "Episode 12.5 has no Plex number"),
        (
            {"conflict": "The folder says season 2, the name says S03."},
            Reason.CONFLICT,
            "the name says S03. Rename it by hand",
        ),
    ],
)
def test_extras_half_episodes_and_disagreeing_files_stay_with_a_reason(
    library, fields, reason, words
):
    video = episode_make(library, "show.s03e01.mkv", **fields)
    subtitle = episode_make(library, "show.s03e01.en.srt", kind="subtitle", video=video)
    plan = plan_build(library=library)
    for item in plan.items:
        assert item.reason == reason and words in item.detail and not item.ready
    assert {item.media for item in plan.items} == {video, subtitle}


def movie_make(library, relative: str, **fields: Any) -> MediaFile:
    values: dict[str, Any] = {"media_type": MediaType.MOVIE, "title": "Blade Runner", "year": 1982}
    values.update(fields)
    return media_make(library, relative, **values)


def targets(plan) -> dict[str, str]:
    return {os.path.basename(item.source): item.target_display for item in plan.items}


def test_editions_versions_and_parts_of_one_film_in_one_folder_get_distinct_targets(library):
    folder = "Blade Runner 1982"
    movie_make(library, f"{folder}/br.final.cut.mkv", edition="Final Cut")
    movie_make(library, f"{folder}/br.directors.cut.mkv", edition="Director's Cut")
    movie_make(library, f"{folder}/br.1080p.mkv", version="1080p")
    movie_make(library, f"{folder}/br.4k.mkv", version="4K")
    movie_make(library, f"{folder}/br.cd1.mkv", part=1)
    movie_make(library, f"{folder}/br.cd2.mkv", part=2)
    plan = plan_build(library=library)
    assert {item.reason for item in plan.items} == {Reason.READY}
    assert targets(plan) == {
        "br.final.cut.mkv": "Blade Runner (1982) {edition-Final Cut}/"
        "Blade Runner (1982) {edition-Final Cut}.mkv",
        "br.directors.cut.mkv": "Blade Runner (1982) {edition-Director's Cut}/"
        "Blade Runner (1982) {edition-Director's Cut}.mkv",
        "br.1080p.mkv": "Blade Runner (1982)/Blade Runner (1982) - 1080p.mkv",
        "br.4k.mkv": "Blade Runner (1982)/Blade Runner (1982) - 4K.mkv",
        "br.cd1.mkv": "Blade Runner (1982)/Blade Runner (1982) - pt1.mkv",
        "br.cd2.mkv": "Blade Runner (1982)/Blade Runner (1982) - pt2.mkv",
    }


def test_a_template_mapping_two_files_to_one_name_is_a_collision_before_anything_moves(library):
    movie_make(library, "a/br.1080p.mkv", version="1080p")
    movie_make(library, "b/br.4k.mkv", version="4K")
    # {version} in brackets that never fill (no movie has a tvdb id): both render the same.
    settings_update(values={"naming_movie_template": "{title}/{title}[ {tvdb} {version}]"})
    plan = plan_build(library=library)
    assert {item.reason for item in plan.items} == {Reason.COLLISION}
    before = tree(library.root_path)
    result = library_apply(library=library)
    assert tree(library.root_path) == before
    assert result.skipped == {"collision": 2}


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"tmdb_id": 604}, "would drop {tmdb-604}, which Plex reads: add {tmdb}"),
        ({"edition": "Final Cut"}, "would drop {edition-Final Cut}"),
        ({"part": 2}, "would drop pt2"),
        ({"version": "4K"}, "would drop 4K"),
        ({"imdb_id": "tt0083658"}, "add {imdb} to the template"),
    ],
)
def test_a_template_without_a_tag_the_file_has_holds_it_back(library, fields, words):
    movie_make(library, "Blade Runner (1982) x/br.mkv", **fields)
    templates = {"tv": "{title}", "anime": "{title}", "movie": "{title}[ ({year})]/{title}"}
    (item,) = plan_build(library=library, templates=templates).items
    assert item.reason == Reason.TAG_DROPPED and words in item.detail


def test_a_tag_found_in_the_folder_is_kept_in_the_target_and_said(library):
    movie_make(library, "Blade Runner (1982) {tmdb-78}/br.mkv", tmdb_id=78)
    (item,) = plan_build(library=library).items
    assert item.target_display == "Blade Runner (1982) {tmdb-78}/Blade Runner (1982) {tmdb-78}.mkv"
    assert "keeps {tmdb-78}" in item.effects


def test_an_episode_without_a_number_stays_with_what_to_do(library):
    episode_make(library, "Show/show.pilot.mkv", episode=None, season=None)
    (item,) = plan_build(library=library).items
    assert item.reason == Reason.NO_EPISODE_NUMBER
    assert "add one (s01e02; a special s00e01)" in item.detail


@pytest.mark.parametrize(
    ("relative", "fields", "effect"),
    [
        ("show.s01e02.mkv", {}, "adds year"),
        ("show.s01e02.mkv", {}, "moves to Season 01"),
        (
            "Show (2019)/show.s00e02.mkv",
            {"media_type": "TV_SPECIAL", "season": 0},
            "moves to Season 00",
        ),
        ("show.s01e02.mkv", {"title": "show"}, "title written as Show"),
    ],
)
def test_the_plex_effect_of_a_move_is_said_in_words(library, relative, fields, effect):
    episode_make(library, relative, **fields)
    (item,) = plan_build(library=library).items
    assert item.ready and effect in item.effects


def test_an_edition_moving_into_its_own_folder_says_so(library):
    movie_make(library, "Blade Runner (1982)/br {edition-Final Cut}.mkv", edition="Final Cut")
    (item,) = plan_build(library=library).items
    assert "edition folder" in item.effects and "keeps {edition-Final Cut}" in item.effects


def test_a_malformed_id_tag_the_reading_dropped_holds_the_file_back(library):
    movie_make(library, "Heat {tmdb-abc} (1995)/heat.mkv", title="Heat", year=1995)
    (item,) = plan_build(library=library).items
    assert item.reason == Reason.MALFORMED_TAG
    assert item.detail.startswith("{tmdb-abc} is not an id Plex reads: correct it")


@pytest.mark.parametrize("name", ["Show - s02e18 - pt1.mkv", "show.s02e18.cd2.mkv"])
def test_a_part_label_the_scan_did_not_read_holds_the_file_back(library, name):
    episode_make(library, f"Show/Season 02/{name}", season=2, episode=18)
    (item,) = plan_build(library=library).items
    assert item.reason == Reason.TAG_DROPPED and "but the scan did not read it" in item.detail


def test_split_episodes_keep_their_parts_apart_and_settle_in_one_apply(library):
    from library.services.scan import library_scan

    for name in ("Show - s02e18 - pt1.mkv", "Show - s02e18 - pt2.mkv", "show.s02e19.cd1.mkv"):
        path = os.path.join(library.root_path, "Show", "incoming", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(name.encode())
    library_scan(library=library)
    plan = plan_build(library=library)
    assert sorted(targets(plan).values()) == [
        "Show/Season 02/Show - s02e18 - pt1.mkv",
        "Show/Season 02/Show - s02e18 - pt2.mkv",
        "Show/Season 02/Show - s02e19 - pt1.mkv",
    ]
    assert {"part 1 of a split file", "part 2 of a split file"} <= {
        effect for item in plan.items for effect in item.effects
    }
    library_apply(library=library)
    library_scan(library=library)
    assert plan_build(library=library).ready() == []


def test_a_show_folder_id_without_a_year_is_read_and_kept(library):
    from library.services.scan import library_scan

    path = os.path.join(library.root_path, "The Wire {tvdb-79126}", "S1", "the.wire.s01e01.mkv")
    os.makedirs(os.path.dirname(path))
    open(path, "wb").close()
    library_scan(library=library)
    (item,) = plan_build(library=library).items
    assert item.target_display == "The Wire {tvdb-79126}/Season 01/The Wire - s01e01.mkv"
    assert "keeps {tvdb-79126}" in item.effects


def test_a_curated_spelling_stays_and_its_subtitle_joins_it(library):
    name = "Alien (1979) {edition-Director's Cut} {tmdb-348}"
    video = movie_make(
        library,
        f"{name}/{name} - cd1.mkv",
        title="Alien",
        year=1979,
        tmdb_id=348,
        edition="Director's Cut",
        part=1,
    )
    media_make(library, f"{name}/alien.eng.srt", kind="subtitle", video=video, language="en")
    plan = plan_build(library=library)
    assert reasons(plan) == {
        f"{name} - cd1.mkv": Reason.ALREADY_CORRECT,
        "alien.eng.srt": Reason.READY,
    }
    # Beside the video's own spelling (tag order, cd1), not the template's.
    assert targets(plan)["alien.eng.srt"] == f"{name}/{name} - cd1.en.srt"


def test_a_malformed_id_tag_is_kept_as_text_and_flagged(library):
    movie_make(library, "Heat {tmdb-abc} (1995)/heat.mkv", title="Heat {tmdb-abc}", year=1995)
    (item,) = plan_build(library=library).items
    assert item.target_display == "Heat {tmdb-abc} (1995)/Heat {tmdb-abc} (1995).mkv"
    assert "{tmdb-abc} is not a valid id: Plex ignores it" in item.effects


def test_the_changed_part_of_each_path_is_marked(library):
    episode_make(library, "Show (2019)/Season 01/show.s01e02.mkv")
    (item,) = plan_build(library=library).items
    assert item.source_marked == ("Show (2019)/Season 01/", "show.", "s01e02.mkv")
    assert item.target_marked == ("Show (2019)/Season 01/", "Show (2019) - ", "s01e02.mkv")


def test_a_tag_in_the_path_that_the_target_lacks_holds_the_file_back(library):
    # The row has no edition (an older scan did not read it); the path still says it.
    movie_make(library, "Alien (1979)/Alien (1979) {edition-Director's Cut}.mkv", title="Alien")
    (item,) = plan_build(library=library).items
    assert item.reason == Reason.TAG_DROPPED
    assert "would drop {edition-Director's Cut}, which Plex reads" in item.detail


def test_a_subtitle_is_held_back_with_its_video_when_a_tag_would_be_lost(library):
    video = movie_make(library, "Heat {tmdb-949}/heat.mkv", title="Heat", year=1995)
    media_make(library, "Heat {tmdb-949}/heat.en.srt", kind="subtitle", video=video, language="en")
    assert {item.reason for item in plan_build(library=library).items} == {Reason.TAG_DROPPED}


def heat_make(library, relative: str, **fields: Any) -> MediaFile:
    return movie_make(library, relative, title="Heat", year=1995, **fields)


def test_extras_follow_their_film_into_plex_extras_folders(library):
    heat_make(library, "Heat.1995.1080p/heat.1995.1080p.mkv")
    heat_make(library, "Heat.1995.1080p/Trailers/Teaser.mkv", extra_type="trailer")
    heat_make(library, "Heat.1995.1080p/Making Of-featurette.mkv", extra_type="featurette")
    heat_make(library, "Heat.1995.1080p/Extras/Heat (1995).mkv", extra_type="deleted")
    plan = plan_build(library=library)
    assert {item.reason for item in plan.items} == {Reason.READY}
    assert targets(plan) == {
        "heat.1995.1080p.mkv": "Heat (1995)/Heat (1995).mkv",
        "Teaser.mkv": "Heat (1995)/Trailers/Teaser.mkv",
        "Making Of-featurette.mkv": "Heat (1995)/Making Of-featurette.mkv",
        # An extra named like its film never takes the film's name.
        "Heat (1995).mkv": "Heat (1995)/Deleted Scenes/Heat (1995).mkv",
    }
    library_apply(library=library)
    assert set(tree(library.root_path)) == {
        os.path.join("Heat (1995)", "Heat (1995).mkv"),
        os.path.join("Heat (1995)", "Trailers", "Teaser.mkv"),
        os.path.join("Heat (1995)", "Making Of-featurette.mkv"),
        os.path.join("Heat (1995)", "Deleted Scenes", "Heat (1995).mkv"),
    }


def test_an_extra_already_where_plex_looks_is_correct_and_a_loose_one_moves_in(library):
    heat_make(library, "Heat (1995)/Heat (1995).mkv")
    heat_make(library, "Heat (1995)/Trailers/Teaser.mkv", extra_type="trailer")
    heat_make(library, "Heat (1995)/Heat (1995)-trailer.mkv", extra_type="trailer")
    heat_make(library, "Heat (1995)/interview with Mann.mkv", extra_type="interview")
    plan = plan_build(library=library)
    assert reasons(plan) == {
        "Heat (1995).mkv": Reason.ALREADY_CORRECT,
        "Teaser.mkv": Reason.ALREADY_CORRECT,
        "Heat (1995)-trailer.mkv": Reason.ALREADY_CORRECT,
        "interview with Mann.mkv": Reason.READY,
    }
    assert (
        targets(plan)["interview with Mann.mkv"] == "Heat (1995)/Interviews/interview with Mann.mkv"
    )


@pytest.mark.parametrize(
    ("films", "words"),
    [
        ([], "no film or show in its folder"),
        (["a.mkv", "b.mkv"], "Its film stays (collision)"),
    ],
)
def test_an_extra_stays_when_its_film_cannot_lead_it(library, films, words):
    for name in films:
        heat_make(library, f"Heat.1995/{name}")
    heat_make(library, "Heat.1995/Trailers/Teaser.mkv", extra_type="trailer")
    extra = {os.path.basename(i.source): i for i in plan_build(library=library).items}["Teaser.mkv"]
    assert extra.reason == Reason.EXTRA and words in extra.detail


def test_an_extra_stays_when_its_folder_holds_several_films(library):
    heat_make(library, "Heat.1995/heat.mkv")
    heat_make(library, "Heat.1995/heat.dc.mkv", edition="Director's Cut")
    heat_make(library, "Heat.1995/Trailers/Teaser.mkv", extra_type="trailer")
    extra = {os.path.basename(i.source): i for i in plan_build(library=library).items}["Teaser.mkv"]
    assert extra.reason == Reason.EXTRA and "Several films or shows share" in extra.detail


def test_an_extra_stays_when_its_film_is_not_selected(library):
    heat_make(library, "Heat.1995/heat.mkv")
    trailer = heat_make(library, "Heat.1995/Trailers/Teaser.mkv", extra_type="trailer")
    plan = plan_build(library=library, media_ids=[trailer.pk])
    assert reasons(plan) == {"heat.mkv": Reason.NOT_SELECTED, "Teaser.mkv": Reason.EXTRA}


def test_an_extra_stays_when_its_films_target_turns_out_taken(library):
    heat_make(library, "Heat.1995/heat.mkv")
    heat_make(library, "Heat.1995/Trailers/Teaser.mkv", extra_type="trailer")
    taken = os.path.join(library.root_path, "Heat (1995)", "Heat (1995).mkv")
    os.makedirs(os.path.dirname(taken))
    open(taken, "wb").close()
    plan = plan_build(library=library)
    assert reasons(plan) == {"heat.mkv": Reason.TARGET_EXISTS, "Teaser.mkv": Reason.EXTRA}
    assert plan.ready() == []


def test_an_extra_with_subtitles_stays_with_them(library):
    heat_make(library, "Heat.1995/heat.mkv")
    trailer = heat_make(library, "Heat.1995/Trailers/Teaser.mkv", extra_type="trailer")
    media_make(library, "Heat.1995/Trailers/Teaser.en.srt", kind="subtitle", video=trailer)
    plan = plan_build(library=library)
    assert reasons(plan)["Teaser.mkv"] == Reason.EXTRA
    assert reasons(plan)["Teaser.en.srt"] == Reason.EXTRA


def test_plex_versions_is_never_planned(library, tmp_path):
    from library.services.scan import library_scan

    versions = os.path.join(library.root_path, "Heat (1995)", "Plex Versions", "TV", "Heat.mp4")
    os.makedirs(os.path.dirname(versions))
    open(versions, "wb").close()
    library_scan(library=library)
    assert not plan_build(library=library).items


def test_show_extras_follow_the_renamed_show_and_its_seasons(library):
    episode_make(library, "the.show/Season 1/show.s01e01.mkv", episode=1)
    episode_make(library, "the.show/Season 1/show.s01e02.mkv")
    episode_make(library, "the.show/Season 2/show.s02e01.mkv", season=2, episode=1)
    extras = {
        "the.show/Featurettes/Making Of.mkv": "featurette",
        "the.show/Season 1/Extras/Bloopers.mkv": "other",
        "the.show/Season 2/Deleted Scenes/Cut.mkv": "deleted",
        "the.show/Season 2/Cast Interview-interview.mkv": "interview",
        "the.show/trailer.mkv": "trailer",
    }
    for relative, kind in extras.items():
        episode_make(library, relative, extra_type=kind, episode=None)
    plan = plan_build(library=library)
    assert {item.reason for item in plan.items} == {Reason.READY}
    found = targets(plan)
    assert {name: found[os.path.basename(name)] for name in extras} == {
        "the.show/Featurettes/Making Of.mkv": "Show (2019)/Featurettes/Making Of.mkv",
        "the.show/Season 1/Extras/Bloopers.mkv": "Show (2019)/Season 01/Other/Bloopers.mkv",
        "the.show/Season 2/Deleted Scenes/Cut.mkv": "Show (2019)/Season 02/Deleted Scenes/Cut.mkv",
        # Plex's suffix is kept beside the episodes; a loose extra goes into its folder.
        "the.show/Season 2/Cast Interview-interview.mkv": (
            "Show (2019)/Season 02/Cast Interview-interview.mkv"
        ),
        "the.show/trailer.mkv": "Show (2019)/Trailers/trailer.mkv",
    }
    making_of = next(i for i in plan.items if i.media.name == "Making Of.mkv")
    assert making_of.effects == ["follows its show into Show (2019)/Featurettes"]
    library_apply(library=library)
    assert all(item.reason == Reason.ALREADY_CORRECT for item in plan_build(library=library).items)


def test_a_show_extra_stays_while_an_episode_of_its_show_stays(library):
    episode_make(library, "the.show/Season 1/show.s01e02.mkv")
    episode_make(library, "the.show/Season 2/show.special.mkv", episode=None, season=2)
    episode_make(library, "the.show/Featurettes/Making Of.mkv", extra_type="featurette")
    extra = {i.media.name: i for i in plan_build(library=library).items}["Making Of.mkv"]
    assert extra.reason == Reason.EXTRA
    assert extra.detail == (
        "An episode of its show (show.special.mkv) stays (no episode number), so it stays too."
    )


def test_a_season_extra_follows_only_the_episodes_beside_it(library):
    # Season 2's episodes are held back; Season 1's extras still follow Season 1.
    episode_make(library, "the.show/Season 1/show.s01e02.mkv")
    episode_make(library, "the.show/Season 2/show.x.mkv", episode=None, season=2)
    episode_make(library, "the.show/Season 1/Featurettes/A.mkv", extra_type="featurette")
    episode_make(library, "the.show/Season 2/Featurettes/B.mkv", extra_type="featurette")
    plan = plan_build(library=library)
    assert reasons(plan) == {
        "show.s01e02.mkv": Reason.READY,
        "show.x.mkv": Reason.NO_EPISODE_NUMBER,
        "A.mkv": Reason.READY,
        "B.mkv": Reason.EXTRA,
    }
    assert targets(plan)["A.mkv"] == "Show (2019)/Season 01/Featurettes/A.mkv"


def test_an_extra_stays_when_a_film_and_a_show_share_its_folder(library):
    episode_make(library, "Mixed/show.s01e02.mkv")
    heat_make(library, "Mixed/heat.mkv")
    heat_make(library, "Mixed/Trailers/Teaser.mkv", extra_type="trailer")
    extra = {i.media.name: i for i in plan_build(library=library).items}["Teaser.mkv"]
    assert extra.reason == Reason.EXTRA and "Several films or shows share" in extra.detail


def test_an_upper_case_id_tag_is_read_and_written_in_plex_form(library):
    movie_make(library, "Heat (1995) {TMDB-949}/heat.mkv", title="Heat", year=1995, tmdb_id=949)
    (item,) = plan_build(library=library).items
    assert item.ready
    assert item.target_display == "Heat (1995) {tmdb-949}/Heat (1995) {tmdb-949}.mkv"


def test_an_extra_keeps_the_plex_extras_folder_it_was_in(library):
    heat_make(library, "Heat.1995/heat.mkv")
    heat_make(library, "Heat.1995/featurettes/Official Trailer.mkv", extra_type="trailer")
    plan = plan_build(library=library)
    assert targets(plan)["Official Trailer.mkv"] == "Heat (1995)/featurettes/Official Trailer.mkv"


@pytest.mark.parametrize(
    ("old", "new", "marked"),
    [
        # A changed episode tag is marked whole, not as the one digit that differs.
        (
            "a.s01e001.mkv",
            "A - s01e01.mkv",
            (("", "a.s01e001", ".mkv"), ("", "A - s01e01", ".mkv")),
        ),
        (
            "Show (2019)/Season 01/show.s01e02.mkv",
            "Show (2019)/Season 01/Show (2019) - s01e02.mkv",
            (
                ("Show (2019)/Season 01/", "show.", "s01e02.mkv"),
                ("Show (2019)/Season 01/", "Show (2019) - ", "s01e02.mkv"),
            ),
        ),
        (
            "Film 2019.mkv",
            "Film (2019).mkv",
            (("Film ", "2019", ".mkv"), ("Film ", "(2019)", ".mkv")),
        ),
        ("same.mkv", "same.mkv", (("same.mkv", "", ""), ("same.mkv", "", ""))),
        ("x.mkv", "", (("x.mkv", "", ""), ("", "", ""))),
    ],
)
def test_path_marked_marks_what_differs_between_whole_words(old, new, marked):
    assert path_marked(old, new) == marked
