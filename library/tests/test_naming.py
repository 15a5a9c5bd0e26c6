from __future__ import annotations

import datetime
import os

import pytest
from django import forms

from library.errors import TemplateError
from library.models import MediaFile, MediaType
from library.services.naming import (
    component_sanitise,
    media_target,
    naming_templates,
    template_validate,
)
from library.services.recognition import recognise
from plexomatic_site.settings_store import setting_definition, settings_update

TEMPLATES = {
    "tv": "{title}[ ({year})]/Season {season}/{title}[ ({year})] - {episode_code}[ - {episode_title}]",
    "anime": "{title}[ ({year})]/Season {season}/{title}[ ({year})] - {episode_code}[ - {episode_title}]",
    "movie": "{title}[ ({year})]/{title}[ ({year})]",
}


def target(**fields) -> str | None:
    video = fields.pop("video", None)
    fields.setdefault("name", "x.mkv")
    result = media_target(MediaFile(**fields), templates=TEMPLATES, video=video)
    return None if result is None else result.relative


def tv(**fields) -> dict:
    values = {"media_type": MediaType.TV_SHOW, "title": "Show", "year": 2019, "season": 1}
    values.update(fields)
    return values


def test_tv_episode_gets_plex_path_with_title():
    assert (
        target(**tv(episode=2, episodes=[2], episode_title="Pilot"))
        == "Show (2019)/Season 01/Show (2019) - s01e02 - Pilot.mkv"
    )


def test_missing_year_and_title_leave_no_empty_brackets():
    assert target(**tv(year=None, episode=3)) == "Show/Season 01/Show - s01e03.mkv"


def test_multi_episode_file_is_named_with_a_range():
    assert target(**tv(episode=1, episodes=[1, 2, 3])).endswith("Show (2019) - s01e01-e03.mkv")


def test_specials_go_to_season_00():
    result = target(**tv(media_type=MediaType.TV_SPECIAL, season=0, episode=4))
    assert result == "Show (2019)/Season 00/Show (2019) - s00e04.mkv"


def test_date_based_episode_uses_the_air_date_and_year_season():
    result = target(**tv(season=None, air_date=datetime.date(2024, 3, 5)))
    assert result == "Show (2019)/Season 2024/Show (2019) - 2024-03-05.mkv"


def test_a_dated_episode_keeps_the_season_its_folder_gave():
    result = target(**tv(season=8, air_date=datetime.date(2011, 11, 15)))
    assert result == "Show (2019)/Season 08/Show (2019) - 2011-11-15.mkv"


def test_anime_by_season_and_episode():
    result = target(media_type=MediaType.ANIME, title="Frieren", season=1, episode=5)
    assert result == "Frieren/Season 01/Frieren - s01e05.mkv"


def test_anime_by_absolute_number_goes_to_season_one():
    result = target(media_type=MediaType.ANIME, title="One Piece", absolute_episode=1071)
    assert result == "One Piece/Season 01/One Piece - s01e1071.mkv"


def test_movie_path_and_optional_tmdb_tag():
    assert target(media_type=MediaType.MOVIE, title="Heat", year=1995, name="heat.MKV") == (
        "Heat (1995)/Heat (1995).mkv"
    )
    templates = {**TEMPLATES, "movie": "{title}[ ({year})][ {tmdb}]/{title}[ ({year})]"}
    movie = MediaFile(
        media_type=MediaType.MOVIE, title="Heat", year=1995, tmdb_id=949, name="h.mkv"
    )
    assert (
        media_target(movie, templates=templates).relative
        == "Heat (1995) {tmdb-949}/Heat (1995).mkv"
    )
    movie.tmdb_id = None
    assert media_target(movie, templates=templates).relative == "Heat (1995)/Heat (1995).mkv"


def test_tvdb_tag_in_show_folder():
    templates = {**TEMPLATES, "tv": "{title} {tvdb}/Season {season}/{title} - {episode_code}"}
    media = MediaFile(**tv(episode=1, tvdb_id=81189), name="a.mkv")
    assert media_target(media, templates=templates).relative == (
        "Show {tvdb-81189}/Season 01/Show - s01e01.mkv"
    )


def test_unknown_or_untitled_files_get_no_target():
    assert target(media_type=MediaType.UNKNOWN, title="Something") is None
    assert target(**tv(title="  ", episode=1)) is None
    assert target(**tv(episode=None, episodes=[])) is None


def test_subtitle_follows_its_video_with_language_and_flags():
    video = MediaFile(**tv(episode=2, episode_title="Title"), name="v.mkv")
    result = target(
        kind=MediaFile.Kind.SUBTITLE, name="whatever.SRT", language="en", forced=True, video=video
    )
    assert result == "Show (2019)/Season 01/Show (2019) - s01e02 - Title.en.forced.srt"
    sdh = target(kind=MediaFile.Kind.SUBTITLE, name="x.srt", language="de", sdh=True, video=video)
    assert sdh.endswith("Title.de.sdh.srt")
    assert target(kind=MediaFile.Kind.SUBTITLE, name="x.srt") is None


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Mission: Impossible", "Mission - Impossible"),
        ('What? "Why" <now> *|*', "What 'Why' now -"),
        ("Tab\there\x00\x1f", "Tab here"),
        ("Trailing dots... ", "Trailing dots"),
        ("CON", "CON_"),
        ("aux.txt", "aux_.txt"),
        ("COM1", "COM1_"),
        ("..", "_"),
        ("", "_"),
    ],
)
def test_component_is_valid_on_windows_macos_and_linux(raw, clean):
    assert component_sanitise(raw) == clean


def test_long_component_is_shortened_to_255_bytes_keeping_the_extension():
    name = component_sanitise("é" * 300, keep_suffix=".en.forced.srt")
    assert name.endswith("é.en.forced.srt")
    assert len(name.encode()) <= 255
    name.encode().decode()  # cut at a character boundary


def test_a_slash_in_a_title_never_adds_a_folder():
    result = target(media_type=MediaType.MOVIE, title="AC/DC: Live", year=1992)
    assert result == "AC-DC - Live (1992)/AC-DC - Live (1992).mkv"


def test_a_title_of_dots_cannot_climb_out_of_the_library():
    result = target(media_type=MediaType.MOVIE, title="..", year=None)
    assert result == "_/_.mkv"


def test_template_with_unknown_placeholder_is_refused_listing_valid_ones():
    with pytest.raises(TemplateError) as error:
        template_validate("{title}/{sesaon}")
    assert "{sesaon}" in str(error.value)
    assert "{episode_code}" in str(error.value) and "{title}" in str(error.value)


@pytest.mark.parametrize(
    "template",
    ["", "{year}/x", "/{title}", "{title}//x", "{title}/../x", "{title}[ ({year})", "{title} {"],
)
def test_invalid_templates_are_refused(template):
    with pytest.raises(TemplateError):
        template_validate(template)


@pytest.mark.django_db
def test_templates_live_in_the_settings_store_with_validation():
    field = setting_definition("naming_movie_template").form_field()
    with pytest.raises(forms.ValidationError, match="Valid placeholders"):
        field.clean("{title} {bogus}")
    settings_update(values={"naming_movie_template": "{title}"})
    assert naming_templates()["movie"] == "{title}"
    assert "{episode_code}" in naming_templates()["tv"]


# The shipped defaults, as a new install has them.
DEFAULTS = {
    kind: setting_definition(f"naming_{kind}_template").default for kind in ("tv", "anime", "movie")
}


def movie(**fields) -> MediaFile:
    values = {"media_type": MediaType.MOVIE, "title": "Blade Runner", "year": 1982}
    values.update(fields)
    values.setdefault("name", "x.mkv")
    return MediaFile(**values)


def default_target(media: MediaFile) -> str:
    result = media_target(media, templates=DEFAULTS)
    assert result is not None
    return result.relative


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"tmdb_id": 78}, "Blade Runner (1982) {tmdb-78}/Blade Runner (1982) {tmdb-78}.mkv"),
        (
            {"imdb_id": "tt0083658"},
            "Blade Runner (1982) {imdb-tt0083658}/Blade Runner (1982) {imdb-tt0083658}.mkv",
        ),
        (
            {"edition": "Final Cut"},
            "Blade Runner (1982) {edition-Final Cut}/Blade Runner (1982) {edition-Final Cut}.mkv",
        ),
        (
            {"tmdb_id": 78, "edition": "Final Cut"},
            "Blade Runner (1982) {tmdb-78} {edition-Final Cut}/"
            "Blade Runner (1982) {tmdb-78} {edition-Final Cut}.mkv",
        ),
        ({"part": 1}, "Blade Runner (1982)/Blade Runner (1982) - pt1.mkv"),
        ({"version": "1080p"}, "Blade Runner (1982)/Blade Runner (1982) - 1080p.mkv"),
        ({"version": "4K", "part": 2}, "Blade Runner (1982)/Blade Runner (1982) - 4K - pt2.mkv"),
        ({}, "Blade Runner (1982)/Blade Runner (1982).mkv"),
    ],
)
def test_default_movie_template_keeps_every_tag_plex_reads(fields, expected):
    assert default_target(movie(**fields)) == expected


def test_default_tv_template_puts_ids_on_the_show_folder_and_the_part_last():
    media = MediaFile(**tv(episode=18, season=2, year=None, tvdb_id=81189, part=1), name="a.mkv")
    assert default_target(media) == "Show {tvdb-81189}/Season 02/Show - s02e18 - pt1.mkv"


@pytest.mark.parametrize("name", ["tmdb", "tvdb", "imdb", "edition", "part", "version"])
def test_every_tag_placeholder_drops_out_of_its_brackets_without_a_value(name):
    templates = {**TEMPLATES, "movie": f"{{title}}[ {{{name}}}]"}
    assert media_target(movie(), templates=templates).relative == "Blade Runner.mkv"


def test_a_malformed_imdb_id_is_not_written_as_a_tag():
    assert default_target(movie(imdb_id="nm123")) == "Blade Runner (1982)/Blade Runner (1982).mkv"


def test_a_malformed_id_tag_in_the_title_is_kept_as_text():
    result = default_target(movie(title="Heat {tmdb-abc}", year=1995))
    assert result == "Heat {tmdb-abc} (1995)/Heat {tmdb-abc} (1995).mkv"


def test_an_edition_with_characters_illegal_on_windows_is_sanitised():
    result = default_target(movie(edition='Director\'s Cut: "Special"? {v2}'))
    assert result == (
        "Blade Runner (1982) {edition-Director's Cut - 'Special' v2}/"
        "Blade Runner (1982) {edition-Director's Cut - 'Special' v2}.mkv"
    )


def test_tags_dropped_names_what_a_template_without_the_placeholder_would_lose():
    from library.services.naming import tags_dropped

    media = movie(tmdb_id=78, edition="Final Cut", part=2)
    assert tags_dropped(media, "{title}[ ({year})]/{title}") == [
        "{tmdb-78}",
        "{edition-Final Cut}",
        "pt2",
    ]
    assert tags_dropped(media, DEFAULTS["movie"]) == []


def test_a_long_name_is_shortened_in_the_title_never_in_the_tags_or_extension():
    media = movie(title="Very Long Title " * 30, tmdb_id=78, edition="Final Cut", version="4K")
    folder, name = default_target(media).split("/")
    for component in (folder, name):
        assert len(component.encode()) <= 255
        assert "(1982) {tmdb-78} {edition-Final Cut}" in component
    assert name.endswith("{edition-Final Cut} - 4K.mkv")
    assert name.startswith("Very Long Title Very Long")


def test_a_long_episode_title_gives_way_before_the_show_title():
    media = MediaFile(**tv(episode=1, episode_title="Word " * 80), name="a.mkv")
    name = default_target(media).split("/")[-1]
    assert len(name.encode()) <= 255
    assert name.startswith("Show (2019) - s01e01 - Word Word")
    assert name.endswith(".mkv")


def test_a_title_ending_in_dots_keeps_them_before_the_extension():
    media = MediaFile(
        **tv(title="Breaking Bad", year=None, episode=2, episode_title="Cat's in the Bag..."),
        name="a.mkv",
    )
    assert default_target(media) == (
        "Breaking Bad/Season 01/Breaking Bad - s01e02 - Cat's in the Bag....mkv"
    )


def test_a_folder_name_ending_in_dots_loses_them_as_windows_requires():
    assert default_target(movie(title="What If...?", year=None)) == "What If/What If....mkv"


def test_titles_are_normalised_in_folders_and_files_alike():
    assert default_target(movie(title="law & order: svu", year=None)) == (
        "Law & Order - SVU/Law & Order - SVU.mkv"
    )


@pytest.mark.parametrize("template", ["{title} {edtion}", "{title} {imbd}"])
def test_template_with_a_misspelt_tag_placeholder_lists_the_new_ones(template):
    with pytest.raises(TemplateError) as error:
        template_validate(template)
    for name in ("{tmdb}", "{tvdb}", "{imdb}", "{edition}", "{part}", "{version}"):
        assert name in str(error.value)


@pytest.mark.parametrize("template", DEFAULTS.values())
def test_default_templates_are_valid(template):
    template_validate(template)


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("{title}[ ({year})", "Square brackets must come in pairs"),
        ("{title}] [{year}", "Square brackets must come in pairs"),
        ("{title}[ [{year}]]", "cannot be nested"),
        ("{title} {edition", "Curly braces are only for placeholders"),
    ],
)
def test_unbalanced_brackets_are_refused_with_the_list_of_valid_placeholders(template, words):
    with pytest.raises(TemplateError) as error:
        template_validate(template)
    assert words in str(error.value)
    assert "Valid placeholders: {title}, {year}" in str(error.value)
    assert "{edition}, {part}, {version}." in str(error.value)


def test_default_tv_template_keeps_every_show_id_on_the_show_folder():
    media = MediaFile(
        **tv(episode=1, tmdb_id=1399, tvdb_id=121361, imdb_id="tt0944947"), name="a.mkv"
    )
    assert default_target(media) == (
        "Show (2019) {tmdb-1399} {tvdb-121361} {imdb-tt0944947}/Season 01/Show (2019) - s01e01.mkv"
    )


def test_default_tv_template_names_versions_of_an_episode_apart():
    one = MediaFile(**tv(episode=1, version="1080p"), name="a.mkv")
    other = MediaFile(**tv(episode=1, version="4K"), name="b.mkv")
    assert default_target(one).endswith("Show (2019) - s01e01 - 1080p.mkv")
    assert default_target(other).endswith("Show (2019) - s01e01 - 4K.mkv")


@pytest.mark.parametrize(
    ("path", "name"),
    [
        # The show's own style: kept.
        (
            "Mr. Robot (2015)/Season 01/Mr. Robot - S01E01 - eps1.0_hellofriend.mov.mkv",
            "Mr. Robot (2015) - s01e01 - eps1.0_hellofriend.mov.mkv",
        ),
        # The whole name typed in lower case or shouted: fixed.
        (
            "game.of.thrones.s08e06.the.iron.throne.mkv",
            "Game of Thrones - s08e06 - The Iron Throne.mkv",
        ),
        (
            "The Office (US)/Season 03/the.office.us.s03e01.gay.witch.hunt.720p.web.mkv",
            "The Office (US) - s03e01 - Gay Witch Hunt.mkv",
        ),
        (
            "SHOGUN.2024.S01E02.SERVANTS.OF.TWO.MASTERS.1080p.WEB.H264-ETHEL.mkv",
            # One word in capitals may be the title's style (titles.case_clearly_wrong).
            "SHOGUN (2024) - s01e02 - Servants of Two Masters.mkv",
        ),
    ],
)
def test_an_episode_title_keeps_its_case_unless_the_whole_name_was_typed_wrong(path, name):
    got = recognise(path)
    media = MediaFile(
        media_type=got.media_type,
        title=got.title,
        year=got.year,
        season=got.season,
        episodes=list(got.episodes),
        episode=got.episodes[0],
        episode_title=got.episode_title,
        name=os.path.basename(path),
    )
    assert os.path.basename(default_target(media)) == name
