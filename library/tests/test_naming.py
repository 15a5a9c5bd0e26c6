from __future__ import annotations

import datetime

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
        ('What? "Why" <now> *|*', "What- -Why- -now- ---"),
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
