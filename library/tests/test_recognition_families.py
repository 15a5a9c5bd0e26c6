"""Recognition by failure family (names written for these tests, in the shapes of
public release names), then the fields Plex reads besides title and numbers."""

from __future__ import annotations

import datetime

import pytest

from library.models import MediaType
from library.services.recognition import Recognition, recognise, recognise_with_source
from library.services.recognition_names import RULES, name_parse


def _numbers(path: str, **kwargs) -> tuple:
    got = recognise(path, **kwargs)
    return got.title, got.season, got.episodes


# 1. Anime titles carrying a season marker, then " - NN".
@pytest.mark.parametrize(
    "name",
    [
        "[Fansub] Mountain Climbers S3 - 11 [1080p].mkv",
        "[Fansub] Mountain Climbers 3rd Season - 11 (720p) [AABBCCDD].mkv",
        "[Fansub] Mountain Climbers (Season 3) - 11 [1080p].mkv",
        "Mountain Climbers S03 - 11.mkv",
        "Mountain Climbers S3 11 [1080p].mkv",
        "[Fansub] Mountain Climbers (S3) - 11 [1080p].mkv",
        "[Fansub] Mountain Climbers 3rd Season (2021) - 11 [1080p].mkv",
    ],
)
def test_family1_season_marker_in_an_anime_title(name):
    assert _numbers(name) == ("Mountain Climbers", 3, (11,))


# 2. East Asian fansub layouts, one field per bracket.
@pytest.mark.parametrize(
    ("name", "title", "episodes"),
    [
        ("[LeafSubs][Mountain Climbers][2021][07][1080p][CHS].mp4", "Mountain Climbers", (7,)),
        ("【LeafSubs】[山岳 · Mountain Climbers][09END][1080P].mp4", "Mountain Climbers", (9,)),
        ("[LeafSubs][山岳][第05话][GB][720P].mp4", "山岳", (5,)),
        ("[LeafSubs][10月新番][山岳][12 Fin][720P].mp4", "山岳", (12,)),
        (
            "[LeafSubs][国漫][山岳][Mountain Climbers][2020][101 END][1080P]",
            "Mountain Climbers",
            (101,),
        ),
        ("【LeafSubs】【山岳 Peak】【Mountain Climbers】【24】【GB】", "Mountain Climbers", (24,)),
        ("[LeafSubs] Mountain Climbers [08][1080p][HEVC].mkv", "Mountain Climbers", (8,)),
        ("[LeafSubs][Mountain_Climbers][03][GB][1080P]", "Mountain Climbers", (3,)),
        ("[LeafSubs][山岳][第01-12集][1080P]", "山岳", tuple(range(1, 13))),
    ],
)
def test_family2_bracket_field_layouts(name, title, episodes):
    got = recognise(name)
    assert (got.title, got.episodes) == (title, episodes)
    assert got.media_type == MediaType.ANIME  # a year field never makes it a film


def test_family2_a_year_field_is_the_shows_year():
    got = recognise("[LeafSubs][Mountain Climbers][2021][07][1080p].mp4")
    assert (got.year, got.absolute_episode) == (2021, 7)


# 3. No show title: the numbers stay, the folder gives the show.
@pytest.mark.parametrize(
    ("name", "season", "episodes"),
    [
        ("S02E03.Night.Train.720p.HDTV.x264-GRP.mkv", 2, (3,)),
        ("2x03 - Night Train.mkv", 2, (3,)),
        ("S05E01.S05E02.1080p.WEB.mkv", 5, (1, 2)),
        ("04-07 Night Train (HD).mp4", 4, (7,)),
        ("3x9.mkv", 3, (9,)),
        ("2011x04.avi", 2011, (4,)),
        ("[S03][E07] Night Train.mkv", 3, (7,)),
    ],
)
def test_family3_names_without_a_show_title_keep_their_numbers(name, season, episodes):
    got = recognise(name)
    assert (got.season, got.episodes) == (season, episodes)
    assert got.media_type == MediaType.TV_SHOW


def test_family3_the_show_folder_names_a_title_less_episode():
    got = recognise("River Town/Season 2/S02E03.Night.Train.720p.mkv")
    assert (got.title, got.season, got.episodes) == ("River Town", 2, (3,))
    assert got.episode_title == "Night Train"


def test_family3_an_episode_title_never_becomes_the_show():
    got = recognise("River Town/E05 - Night Train.mkv")
    assert (got.title, got.season, got.episodes, got.episode_title) == (
        "River Town",
        None,
        (5,),
        "Night Train",
    )
    assert recognise("E05 - Night Train.mkv").title != "Night Train"
    assert recognise("Episode 5 - Night Train.mkv").title != "Night Train"


@pytest.mark.parametrize("name", ["12.mkv", "E1.mkv", "Season 2/05.mkv"])
def test_family3_a_bare_number_alone_says_too_little(name):
    assert recognise(name).media_type == MediaType.UNKNOWN


# 4. Multi-episode notations.
@pytest.mark.parametrize(
    ("name", "episodes"),
    [
        ("River.Town.S02E01.S02E02.720p.mkv", (1, 2)),
        ("River Town - S02E01 - S02E02 - Double.mkv", (1, 2)),
        ("River.Town.S02E01E02E03.720p.mkv", (1, 2, 3)),
        ("River Town - 3x01_3x02 - Double.mkv", (1, 2)),
        ("River Town - 3x01-3x02 - Double.mkv", (1, 2)),
        ("River Town - 2011x07 - 2011x08.mkv", (7, 8)),
        ("River Town 1x04-x06 Triple.mkv", (4, 5, 6)),
        ("River Town - S04 Ep2001 - Ep2003.mkv", (2001, 2002, 2003)),
        ("[Grp] River Town - 01 ~ 12 [1080p].mkv", tuple(range(1, 13))),
        ("[Grp] River Town - 101-160 [1080p].mkv", tuple(range(101, 161))),
        ("[Grp] River Town (501-540) (WEB 1080p).mkv", tuple(range(501, 541))),
        ("River Town 1-24 (Dubbed) [720p].mkv", tuple(range(1, 25))),
        ("River Town (2014) Episode 40-41 [1080p].mkv", (40, 41)),
    ],
)
def test_family4_every_episode_of_a_multi_episode_name(name, episodes):
    assert recognise(name).episodes == episodes


def test_family4_an_absolute_range_is_kept_whole():
    got = recognise("[Grp] River Town - 101-160 [1080p].mkv")
    assert got.absolute_episodes == tuple(range(101, 161))
    assert got.absolute_episode == 101


# 5. Numbers without an SxxEyy marker.
@pytest.mark.parametrize(
    ("name", "season", "episodes"),
    [
        ("River.Town.512.hdtv-grp.mkv", 5, (12,)),
        ("River.Town.305.306.hdtv-grp.mkv", 3, (5, 6)),
        ("River.Town.2014.1103.hdtv-grp.mkv", 11, (3,)),
        ("River.Town.20506.hdtv-grp.mp4", 2, (5, 6)),
        ("River Town EP09 1080p WEB.mkv", None, (9,)),
        ("River Town E1311 Die Brücke 2021 GERMAN 1080p WEB.mkv", None, (1311,)),
        ("River Town 2019 07 1080p.mkv", None, (7,)),
        ("River Town 007 [1080p].mkv", None, (7,)),
        ("River Town - Episodes 7-8 [1080p].mkv", None, (7, 8)),
    ],
)
def test_family5_numbers_without_a_marker(name, season, episodes):
    got = recognise(name)
    assert (got.title, got.season, got.episodes) == ("River Town", season, episodes)


def test_family5_an_unpadded_number_ending_a_title_is_no_episode_rule():
    assert name_parse("Apollo 13") is None  # guessit's to read, as before


def test_family5_resolutions_and_film_years_are_not_scene_codes():
    assert name_parse("River.Town.720") is None  # (guessit itself reads S7E20)
    film = recognise("Fahrenheit.451.1966.1080p.BluRay.mkv")
    assert (film.media_type, film.title, film.year) == (MediaType.MOVIE, "Fahrenheit 451", 1966)


# 6. Markers in other languages or words.
@pytest.mark.parametrize(
    ("name", "season", "episodes"),
    [
        ("River Town 14. Bölüm 720p.mkv", None, (14,)),
        ("River Town 14.BLM (12.03.2021) 720p.mkv", None, (14,)),
        ("River Town Se.2 afl.5.mkv", 2, (5,)),
        ("River Town Se.2 afl.5-6-7 [VTM].mkv", 2, (5, 6, 7)),
        ("River Town - Temporada 3 [HDTV][Cap.305][Castellano].avi", 3, (5,)),
        ("River.Town.Part.Three.720p.HDTV.x264.mkv", 1, (3,)),
        ("River.Town.Part04.720p.HDTV.x264.mkv", 1, (4,)),
        ("River.Town.3of6.720p.HDTV.x264.mkv", 1, (3,)),
        ("River.Town.Staffel.2.Folge.5.German.mkv", 2, (5,)),
        ("River Town Saison 2 Épisode 5.mkv", 2, (5,)),
        ("River Town - Season 2 - Ep 5-6.mkv", 2, (5, 6)),
        ("[Grp] River Town 第5话 [1080p].mkv", None, (5,)),
    ],
)
def test_family6_markers_in_other_words(name, season, episodes):
    assert _numbers(name) == ("River Town", season, episodes)


def test_family6_a_date_in_brackets_is_an_air_date_not_a_year():
    got = recognise("River Town 14.BLM (12.03.2021) 720p.mkv")
    assert (got.year, got.air_date) == (None, datetime.date(2021, 3, 12))


def test_family6_a_part_without_release_tokens_is_not_an_episode():
    assert recognise("Tutorial - Part 1.mp4").media_type == MediaType.UNKNOWN
    assert recognise("Dune.Part.Two.2024.1080p.mkv").media_type == MediaType.MOVIE


# 7. Year or country beside the title.
def test_family7_year_and_country_are_split_off():
    got = recognise("River.Town.2015.S03E02.720p.mkv")
    assert (got.title, got.year, got.season, got.episodes) == ("River Town", 2015, 3, (2,))
    got = recognise("River_Town_UK_s02e04_hdtv.avi")
    assert (got.title, got.country, got.season, got.episodes) == ("River Town (UK)", "UK", 2, (4,))
    got = recognise("River Town US S02E04.mkv")
    assert (got.title, got.country) == ("River Town (US)", "US")
    got = recognise("River.Town.2010.US.S02E04.mkv")
    assert (got.title, got.year, got.country) == ("River Town (US)", 2010, "US")


# 8. Title boundaries.
@pytest.mark.parametrize(
    ("name", "title", "episode_title"),
    [
        ("River Town - S01E05 - 42 Lies.mkv", "River Town", "42 Lies"),
        ("RiverTown-S04E05-7_Bridges_of_Night.mkv", "RiverTown", "7 Bridges of Night"),
        ("River Town - S02E01 - Special Delivery.mkv", "River Town", "Special Delivery"),
    ],
)
def test_family8_numbers_in_episode_titles_stay_title(name, title, episode_title):
    got = recognise(name)
    assert (got.title, got.episodes, got.episode_title) == (
        title,
        (5,) if "5" in name else (1,),
        episode_title,
    )
    assert got.season != 0


def test_family8_a_title_holding_a_dash_and_a_number():
    got = recognise("[Grp] River Town - 100 Bridges - 03 (1080p) [AABBCCDD].mkv")
    assert (got.title, got.episodes) == ("River Town - 100 Bridges", (3,))
    got = recognise("[Grp] River Town - The Old Bridge (201-230) (BD 1080p).mkv")
    assert (got.title, got.episodes[0], got.episodes[-1]) == (
        "River Town - The Old Bridge",
        201,
        230,
    )


def test_family8_special_in_an_episode_title_is_no_special():
    got = recognise("River Town - 050 - Special Guest Arrives.mkv")
    assert (got.media_type, got.season, got.episodes) == (MediaType.ANIME, None, (50,))


def test_family8_a_year_in_parentheses_is_never_season_and_episode():
    got = recognise("The Crown Affair (1897).mkv")
    assert (got.media_type, got.title, got.year, got.season) == (
        MediaType.MOVIE,
        "The Crown Affair",
        1897,
        None,
    )


# 9. Alternative titles in two scripts.
@pytest.mark.parametrize(
    "name",
    [
        "Река \uff0f River Town \uff0f S1E3 (2020) WEB-DL 1080p.mkv",
        "Река (S1E3) \uff0f River Town (S1E3) (2020) WEB-DL 1080p.mkv",
        "河流小镇.River.Town.S01E03.2021.1080p.WEB-DL.mkv",
        "Река | River Town - S01E03.mkv",
    ],
)
def test_family9_the_latin_script_title_is_kept(name):
    assert _numbers(name) == ("River Town", 1, (3,))


def test_family9_a_title_in_one_script_is_kept_whole():
    assert recognise("河流小镇 - S01E03.mkv").title == "河流小镇"


# 10. An absolute number beside an SxxEyy marker.
@pytest.mark.parametrize(
    ("name", "absolute"),
    [
        ("[Grp] River Town - 24 - S02E12 - Hello [1080p].mkv", (24,)),
        ("[Grp] River Town - 24 (S02E12) - (WEB 1080p) [AABBCCDD].mkv", (24,)),
        ("[Grp] River Town 24 2x12 [720p].mkv", (24,)),
        ("[Grp]River.Town.S02E12.024.HDTV-720p.mkv", (24,)),
        ("[Grp] River Town S02E12 (024) [1080p].mkv", (24,)),
        ("[Grp] River Town (2019) - S02E12-13 - 024-025 - Hello HDTV-720p.mkv", (24, 25)),
    ],
)
def test_family10_absolute_number_next_to_a_marker(name, absolute):
    got = recognise(name)
    assert (got.title, got.season, got.episodes[0], got.absolute_episodes) == (
        "River Town",
        2,
        12,
        absolute,
    )


def test_family10_a_number_ending_the_title_stays_title():
    assert recognise("Mob Psycho 100 - S02E05.mkv").title == "Mob Psycho 100"
    assert recognise("River Town 24 - S01E01.mkv").title == "River Town 24"


# 11. Movies.
@pytest.mark.parametrize(
    ("name", "title", "year", "edition"),
    [
        (
            "Some.Film.EXTENDED.EDITION.2012.German.DL.720p.mkv",
            "Some Film",
            2012,
            "Extended Edition",
        ),
        ("Some.Film.DIRECTORS.CUT.1999.1080p.BluRay.mkv", "Some Film", 1999, "Director's Cut"),
        ("Ein.Film.aus.dem.Norden.German.2011.PAL.DVDR.mkv", "Ein Film aus dem Norden", 2011, ""),
        ("Some.Film.Final.Cut.1982.mkv", "Some Film", 1982, "Final Cut"),
        ("Some.Film.AKA.Other.Film.2016.1080p.mkv", "Some Film", 2016, ""),
    ],
)
def test_family11_edition_and_language_words_are_not_title(name, title, year, edition):
    got = recognise(name)
    assert (got.media_type, got.title, got.year, got.edition) == (
        MediaType.MOVIE,
        title,
        year,
        edition,
    )


@pytest.mark.parametrize(
    ("name", "title"),
    [
        (
            "[Grp] Starlight Voyage - The Lost Moon [BD 1080p FLAC] [1A2B3C4D].mkv",
            "Starlight Voyage - The Lost Moon",
        ),
        ("[Grp] 7 Days of Rain (BDRip 1920x1080 Hi10 FLAC) [1A2B3C4D].mkv", "7 Days of Rain"),
        ("[Grp] Starlight Voyage v2 [1A2B3C4D].mkv", "Starlight Voyage"),
        ("[Grp] Starlight Voyage - Movie 2 [BD 1080p][1A2B3C4D].mkv", "Starlight Voyage - Movie 2"),
    ],
)
def test_family11_fansub_films_without_a_year(name, title):
    got = recognise(name)
    assert (got.media_type, got.title, got.year, got.episodes) == (MediaType.MOVIE, title, None, ())


# 12. A date beside an S/E marker with a year-sized season or a long episode.
@pytest.mark.parametrize(
    ("name", "season", "episode", "air_date"),
    [
        ("River.Town.S2018E10.2018-03-04.mkv", 2018, 10, datetime.date(2018, 3, 4)),
        ("River Town - S33 E9012 - 2019-05-06.mkv", 33, 9012, datetime.date(2019, 5, 6)),
        ("River Town 2019 05 06 S33E9012.mkv", 33, 9012, None),
    ],
)
def test_family12_the_date_does_not_swallow_the_marker(name, season, episode, air_date):
    got = recognise(name)
    assert (got.title, got.season, got.episodes) == ("River Town", season, (episode,))
    if air_date:
        assert got.air_date == air_date


# New fields.
def test_imdb_id_from_the_name_or_a_folder():
    assert recognise("The Film (2010) {imdb-tt1234567}.mkv").imdb_id == "tt1234567"
    got = recognise("The Film (2010) {imdb-tt1234567}/The Film (2010).mkv")
    assert (got.imdb_id, got.title) == ("tt1234567", "The Film")
    assert recognise("The Film (2010) {imdb-12}.mkv").imdb_id is None


def test_edition_tag_and_words():
    got = recognise("The Film (2010)/The Film (2010) {edition-Director's Cut}.mkv")
    assert (got.title, got.edition) == ("The Film", "Director's Cut")
    assert recognise("The.Film.2010.EXTENDED.CUT.1080p.mkv").edition == "Extended Cut"
    assert recognise("The Film (2010) IMAX 2160p.mkv").edition == "IMAX"
    assert recognise("The.Film.2010.Theatrical.1080p.mkv").title == "The Film"


@pytest.mark.parametrize(
    ("path", "part"),
    [
        ("The Film (2010)/The Film (2010) - cd2.mkv", 2),
        ("The Film (2010)/The Film (2010) - disc1.mkv", 1),
        ("The Film (2010)/The Film (2010) - pt3.mkv", 3),
        ("The.Film.2010.part1.1080p.mkv", 1),
        ("The Film (2010).mkv", None),
        ("Back.to.the.Film.Part.2.1989.mkv", None),
    ],
)
def test_split_parts(path, part):
    got = recognise(path)
    assert (got.media_type, got.part) == (MediaType.MOVIE, part)
    assert not any(word in got.title.lower() for word in ("cd2", "disc", "pt3", "part1"))


@pytest.mark.parametrize(
    ("path", "version"),
    [
        ("The Film (2010)/The Film (2010) - 4K.mkv", "4K"),
        ("The Film (2010)/The Film (2010) - 1080p Remux.mkv", "1080p Remux"),
        # A release's resolution is not a version label the user gave.
        ("The.Film.2010.2160p.WEB-DL.mkv", ""),
        ("The Film (2010).mkv", ""),
    ],
)
def test_version_labels(path, version):
    got = recognise(path)
    assert (got.title, got.year, got.version) == ("The Film", 2010, version)


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("The Film (2010)/Trailers/Teaser One.mkv", "trailer"),
        ("The Film (2010)/Behind The Scenes/Making it.mkv", "behindthescenes"),
        ("The Film (2010)/Deleted Scenes/Lost Ending.mkv", "deleted"),
        ("The Film (2010)/Featurettes/Stunts.mkv", "featurette"),
        ("The Film (2010)/Interviews/Director.mkv", "interview"),
        ("The Film (2010)/Scenes/Opening.mkv", "scene"),
        ("The Film (2010)/Shorts/Short One.mkv", "short"),
        ("The Film (2010)/Other/Gag Reel.mkv", "other"),
        ("The Film (2010)/Extras/Gag Reel.mkv", "other"),
        ("The Film (2010)/Specials/Premiere Night.mkv", "other"),
        ("The Film (2010)/The Film (2010)-trailer.mkv", "trailer"),
        ("The Film (2010)/Opening Night-featurette.mkv", "featurette"),
        ("The Film (2010)/The Film (2010) - behindthescenes.mkv", "behindthescenes"),
        # A name that is only the extra's word, as releases ship a film's trailer.
        ("The Film (2010)/trailer.mkv", "trailer"),
        ("The.Film.2010.1080p.BluRay.x264-GRP/Trailer 2.mkv", "trailer"),
        ("The Film (2010)/featurette.mkv", "featurette"),
        # An extras folder's kind wins over the name.
        ("The Film (2010)/Featurettes/trailer.mkv", "featurette"),
    ],
)
def test_extras_take_their_movies_title(path, extra):
    got = recognise(path)
    assert (got.media_type, got.title, got.year, got.extra) == (
        MediaType.MOVIE,
        "The Film",
        2010,
        extra,
    )


def test_a_shows_specials_folder_still_holds_specials():
    got = recognise("River Town (2019)/Specials/River Town - S00E01 - Pilot Cut.mkv")
    assert (got.media_type, got.season, got.episodes, got.extra) == (
        MediaType.TV_SPECIAL,
        0,
        (1,),
        "",
    )


def test_an_extras_folder_without_its_movie_is_unknown():
    got = recognise("Extras/Deleted Scenes.mkv")
    assert (got.media_type, got.extra) == (MediaType.UNKNOWN, "other")


def test_fractional_episodes_are_not_episode_and_title():
    got = recognise("[Grp] River Town - 12.5 [1080p].mkv")
    assert (got.title, got.episodes, got.episode_fraction, got.episode_title) == (
        "River Town",
        (),
        "12.5",
        "",
    )


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("River Town/Season 01/River Town - S01E12.5.mkv", ""),
        ("River.Town.S01E12.5.720p.WEB.mkv", ""),
        ("River Town - S01E12.5 - The Recap.mkv", "The Recap"),
    ],
)
def test_a_half_episode_after_a_season_marker_is_a_half_episode(path, title):
    got = recognise(path)
    assert (got.season, got.episodes, got.episode_fraction, got.episode_title) == (
        1,
        (),
        "12.5",
        title,
    )
    # A title that starts with a number after the marker is still a title.
    assert recognise("River.Town.S01E02.5.Reasons.mkv").episodes == (2,)


def test_rule_and_evidence():
    got = recognise("River Town (2019)/Season 2/River Town - S03E04.mkv")
    assert got.rule == "season_episode"
    assert "season 3" in got.name_said and "season 2" in got.folder_said
    assert got.conflict == "folder says season 2 but name says season 3"
    assert got.season == 3  # the name's reading is kept, the conflict said
    assert recognise("River Town (2019)/Season 3/River Town - S03E04.mkv").conflict == ""
    assert recognise("[Grp] River Town - 07 [1080p].mkv").rule == "absolute_dash"


def test_new_fields_do_not_change_equality():
    got = recognise("The Film (2010) - 4K.mkv")
    plain = Recognition(
        media_type=got.media_type,
        title=got.title,
        year=got.year,
        season=None,
        episodes=(),
        absolute_episode=None,
        air_date=None,
        episode_title="",
        tmdb_id=None,
        tvdb_id=None,
    )
    assert got.version == "4K" and got == plain


# Folder context.
@pytest.mark.parametrize(
    "path",
    [
        "Law & Order - Special Victims Unit/Season 01/Law & Order - SVU - S01E01.mkv",
        "Law & Order - Special Victims Unit/Law & Order - SVU - S01E01.mkv",
    ],
)
def test_the_show_folder_wins_over_an_abbreviation(path):
    got = recognise(path)
    assert (got.title, got.season, got.episodes, got.conflict) == (
        "Law & Order - Special Victims Unit",
        1,
        (1,),
        "",
    )


def test_a_season_folder_fixes_the_season_of_an_episode_number():
    got = recognise("River Town (2019)/Season 2/07 - Night.mkv")
    assert (got.title, got.year, got.season, got.episodes) == ("River Town", 2019, 2, (7,))


# Library kind prior.
def test_a_movies_library_never_reads_a_bare_number_as_an_episode():
    for name in ["River Town - 07.mkv", "River Town 2019 07 1080p.mkv", "05 - Night.mkv"]:
        assert recognise(name, library_kind="movies").episodes == ()
    assert recognise("River Town S01E02.mkv", library_kind="movies").episodes == (2,)


def test_an_anime_library_reads_a_dash_number_as_an_episode():
    assert recognise("River Town - 2002.mkv").episodes == ()
    got = recognise("River Town - 2002.mkv", library_kind="anime")
    assert (got.media_type, got.episodes) == (MediaType.ANIME, (2002,))
    assert recognise("River Town S01E02.mkv", library_kind="anime").media_type == MediaType.ANIME


@pytest.mark.parametrize(
    ("path", "year"),
    [
        # A fansub batch folder names the show with its year; the file name without.
        ("[EMBER] River Town (1998) (Season 1) [BDRip] [1080p]/[EMBER] River Town - 01.mkv", 1998),
        ("[Grp] River Town (2019) [BD 1080p]/[Grp] River Town - 07 [1080p].mkv", 2019),
        # The name's own year stands; a folder naming another show gives none.
        ("[Grp] River Town (2019) [BD]/[Grp] River Town (2020) - 07.mkv", 2020),
        ("[Grp] Hill Road (2019) (Season 1) [BD]/[Grp] River Town - 07.mkv", None),
    ],
)
def test_a_folder_naming_the_same_show_gives_the_year_the_name_lacks(path, year):
    got = recognise(path, library_kind="anime")
    assert (got.media_type, got.title, got.year) == (MediaType.ANIME, "River Town", year)


# Design: named rules, reconciliation.
def test_rules_are_named_and_ordered():
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert names.index("season_episode") < names.index("absolute_dash") < names.index("movie_year")


def test_guessit_overrules_an_unsure_rule_where_it_reads_more():
    # A fansub name without a number looks like a film; guessit sees the season pack.
    got = recognise("[Grp] River Town Season 2 [BD 1080p].mkv")
    assert (got.media_type, got.title, got.season, got.episodes) == (
        MediaType.ANIME,
        "River Town",
        2,
        (),
    )
    assert got.rule == "guessit over fansub_film"


def test_an_unsure_rule_is_reconciled_with_guessit():
    # A scene code agreed with guessit stays the rule's reading; a film year wins over it.
    assert name_parse("River.Town.512.hdtv-grp").sure is False
    got, source = recognise_with_source("River.Town.512.hdtv-grp.mkv")
    assert (source, got.rule, got.season, got.episodes) == ("fast", "scene_code", 5, (12,))


# Bad input: always a Recognition, never an exception (hypothesis is not installed in
# this virtualenv, so this is a fixed battery rather than a property test).
BAD_NAMES = [
    "",
    "/",
    "////",
    ".mkv",
    "...mkv",
    "_.mkv",
    "0.mkv",
    "12.mkv",
    "1234567",
    "99999999999999999999.mkv",
    "[]",
    "[][][]",
    "[[[[[[.mkv",
    "((((((.mkv",
    "】【】【.mkv",
    "[SubsPlease]",
    "[SubsPlease].mkv",
    "- - - -.mkv",
    "~ ~ ~.mkv",
    "a" * 251 + ".mkv",
    "é" * 127 + ".mkv",
    "S01E01" * 40 + ".mkv",
    "[Grp]" * 50 + ".mkv",
    "\x00\x01\x02\x7f.mkv",
    "Show\x00Name\tS01E01.mkv",
    "Кино 映画 فيلم 영화.mkv",
    "\udce9\udce9.mkv",
    "S9999E99999.mkv",
    "1x1x1x1x1x1.mkv",
    "Title - 0000.mkv",
    "Title 1-999999.mkv",
    "Title (Season 2) - .mkv",
    "{imdb-tt0133093}.mkv",
    "{edition-}.mkv",
    "{tmdb-}{tvdb-x}.mkv",
    "-trailer.mkv",
    "Trailers/-trailer.mkv",
    "Show (2019)/Season 1/Season 2/S03E01.mkv",
    "Season 1/Season 2/Specials/Extras/x.mkv",
    "Movie (2019)/Season 3/Movie (2019).mkv",
    "[Grp][][][][05][].mkv",
    "【】【】[第集][END]",
    "Title - 12.5.5.mkv",
    "Title S2 [].mkv",
    "Река \uff0f \uff0f \uff0f.mkv",
]


@pytest.mark.parametrize("path", BAD_NAMES)
@pytest.mark.parametrize("library_kind", ["mixed", "tv", "movies", "anime"])
def test_bad_input_gets_a_recognition(path, library_kind):
    got = recognise(path, library_kind=library_kind)
    assert isinstance(got, Recognition)
    assert got.media_type in MediaType.values
    assert "\x00" not in got.title and "\n" not in got.title


def test_folders_contradicting_the_file_are_reported_not_resolved():
    got = recognise("Show (2019)/Season 1/Season 2/S03E01.mkv")
    assert got.season == 3
    assert "season 3" in got.conflict
