"""Name rules for TV numbering: SxxEyy and NxM markers, dates, scene codes,
episode-only markers and the words other languages use for them.

Each rule takes the cleaned name text and returns a NameParse (with its rule
name) or None; recognition_names runs them in order.
"""

from __future__ import annotations

import datetime
import re

from library.services.recognition_parse import (
    DATE_PATTERN,
    MAX_ABSOLUTE_RANGE,
    NameParse,
    TitleParts,
    episode_parse,
    episodes_expand,
    show_title_parts,
)
from library.services.recognition_text import (
    episode_title_clean,
    first_tech_offset,
    is_tech,
    title_clean,
)

_SE_RE = re.compile(
    r"(?<![a-z0-9])s(?P<season>\d{1,4})(?:[\s._-]|\]\s?\[)?(?:e|ep)(?P<episode>\d{1,5})"
    r"(?P<more>(?:[\s._]?-?[\s._]?(?:e|ep)\d{1,5}(?!\d)|-\d{1,4}(?![0-9a-z])"
    r"|[\s._]*-?[\s._]*s\d{1,4}[\s._-]?e\d{1,5}(?!\d)"
    r"|[\s._]*[+&][\s._]*(?:s\d{1,4}[\s._-]?)?e\d{1,5}(?!\d))*)(?!\d)",
    re.IGNORECASE,
)
# "towns02e03": a marker glued to the title; two-digit season and episode only,
# so words that merely end in "s" and a number stay words.
_SE_GLUED_RE = re.compile(
    r"(?<=[a-z])s(?P<season>\d{2})e(?P<episode>\d{2,3})(?P<more>(?:e\d{2,3})*)(?![0-9])",
    re.IGNORECASE,
)
# "Season 2 Episode 5", "Season 2 - Ep 5", and the same words in German, French,
# Spanish, Italian, Turkish, Russian: "Staffel 2 Folge 5", "Saison 2 Épisode 5",
# "Temporada 2 Capitulo 5".
_SE_WORDS_RE = re.compile(
    r"(?<![a-z0-9])(?:season|staffel|saison|temporada|stagione|sezon|сезон)[\s._-]?"
    r"(?P<season>\d{1,3})[\s._,-]*"
    r"(?:episode|ep|folge|[ée]pisode|episodio|cap[ií]tulo|b[öo]l[üu]m|серия|эпизод)[\s._-]?"
    r"(?P<episode>\d{1,4})(?P<more>(?:\s*[-~&]\s*\d{1,4}(?!\d))*)(?!\d)",
    re.IGNORECASE,
)
# "2x05", "2011x04", "3x9-3x10", "1x04-x06", "3x01.3x02"; a four-digit season is a
# year (never a resolution such as 1280x720).
_NX_RE = re.compile(
    r"(?<![a-z0-9])(?P<season>\d{1,2}|(?:19|20)\d\d)x(?P<episode>\d{1,3})"
    r"(?P<more>(?:(?:x|-x?|[\s._]*[-+&]?[\s._]*(?:\d{1,2}|(?:19|20)\d\d)x)\d{1,3}(?![0-9a-z]))*)"
    r"(?![0-9a-z])",
    re.IGNORECASE,
)
# Display widths: "1920x800" is a resolution, not season 1920.
_WIDTHS = frozenset({1920, 2048})
_REPEATED_SEASON_RE = re.compile(r"(?:s\d{1,4}[\s._-]?(?=e)|\d{1,4}x(?=\d))", re.IGNORECASE)
# Three or more digits after the marker: Sonarr's anime absolute number(s),
# "S02E12 - 024 - Title", "S02E12-13 - 024-025", ".S02E12.024.HDTV".
_SONARR_ABSOLUTE_RE = re.compile(
    r"(?:\s+-\s+(?P<a>\d{3,4}(?:-\d{3,4})*)(?=\s+-\s|\s*\[)"
    r"|(?:\s+-\s+|[\s._]+)(?P<b>0\d{2,3})(?=[\s._-]|$)"
    r"|\s*\((?P<c>(?!(?:19|20)\d\d\))\d{3,4})\))"
)
# An absolute number written before the marker: "Title - 05 - S01E05", "Title 214 10x14".
_ABSOLUTE_BEFORE_RE = re.compile(r"^(?P<title>.+?)(?:\s+-\s+|\s+)(?P<number>\d{2,4})$")
_PLAIN_RANGE_RE = re.compile(r"-(\d{1,4})(?![0-9a-z])", re.IGNORECASE)
_AFTER_DATE_RE = re.compile(r"^[\s._)\]-]*" + DATE_PATTERN + r"(?![0-9])")
# A year with release tokens after it, or in parentheses; "S01E01 - 1923" is a title.
_AFTER_YEAR_RE = re.compile(
    r"^[\s._)\]-]*(?:\((?P<paren>(?:19|20)\d\d)\)|(?P<year>(?:19|20)\d\d)(?=[\s._-]+\S))"
)
_DATE_RE = re.compile(r"(?<![0-9])" + DATE_PATTERN + r"(?![0-9])")
# "11-02 The Title": the name opens with season-episode and has no show name.
_LEADING_CODE_RE = re.compile(r"^(?P<season>\d{1,2})-(?P<episode>\d{2})\s+(?P<rest>[^\d\s].*)$")
# Dutch "Se.2 afl.5", Spanish "Temporada 2 ... Cap.408", Turkish "12. Bölüm" / "12.BLM".
_DUTCH_RE = re.compile(
    r"(?<![a-z])se\.?\s?(?P<season>\d{1,2})[\s._]*afl\.?\s?(?P<episode>\d{1,3})"
    r"(?P<more>(?:-\d{1,3})*)(?![0-9])",
    re.IGNORECASE,
)
_CAPITULO_RE = re.compile(
    r"(?<![a-z])cap(?:[ií]tulo)?[\s._]*(?P<code>\d{1,4})(?:[\s._]*[-_][\s._]*(?P<last>\d{1,4}))?"
    r"(?![0-9])",
    re.IGNORECASE,
)
_TEMPORADA_RE = re.compile(r"[\s._-]*-?[\s._]*temporada[\s._]*(?P<season>\d{1,2})", re.IGNORECASE)
_BOLUM_RE = re.compile(
    r"[\s._-](?P<episode>\d{1,4})[\s.]*(?:b[öo]l[üu]m|blm)(?![a-z])", re.IGNORECASE
)
# Chinese and Japanese episode counters: "第05话", "第12話", "512集", "第3回".
_CJK_EPISODE_RE = re.compile(r"(?:第\s*)?(?P<episode>\d{1,4})\s*[话話集回]")
_PAREN_DATE_RE = re.compile(
    r"\(\s*(?P<d>[0-3]?\d)[./-](?P<m>[01]?\d)[./-](?P<y>(?:19|20)\d\d)\s*\)", re.IGNORECASE
)
# Episode-only markers: "E07", "EP06", "E1206", "Episode 99-100", "E07-E08".
_EPISODE_ONLY_RE = re.compile(
    r"(?<![a-z0-9'])(?:episodes?|episodio|[ée]pisode|eps?|e)[\s._]?(?P<episode>\d{1,4})"
    r"(?P<more>(?:\s*[-~]\s*(?:episode|ep|e)?\s*\d{1,4}(?!\d))*)(?![0-9a-z])",
    re.IGNORECASE,
)
# Miniseries parts: "Part01", "Part.Two", "Pt 3", "5of9".
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_PART_RE = re.compile(
    r"(?<![a-z0-9])(?:(?:part|pt)[\s._]?(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight"
    r"|nine|ten)|(?P<of>\d{1,2})[\s._]?of[\s._]?\d{1,2})(?![0-9a-z])",
    re.IGNORECASE,
)
_YEAR_TOKEN_RE = re.compile(r"(?<![0-9])(?:19|20)\d\d(?![0-9])")
# Scene codes: "Title.416.HDTV" (S4E16), "Title.305.306" (S3E05, S3E06), "Title.2014.1103",
# "Title.20506" (S2E05E06), "E.030405" (S03E04E05). Resolutions are not codes.
_SCENE_CODE_RE = re.compile(
    r"^(?P<title>.+?)[\s._-](?:(?P<year>(?:19|20)\d\d)[\s._-])?(?P<code>\d{3,6})"
    r"(?P<more>(?:[\s._](?!(?:19|20)\d\d(?!\d))\d{3,4})*)(?P<rest>[\s._-].*)?$"
)
_RESOLUTIONS = frozenset({"480", "576", "720", "1080", "2160", "4320"})
# "HDTVx264PROPERGRP": release tokens run together.
_TECH_PREFIX_RE = re.compile(r"(?:hdtv|pdtv|sdtv|web|bluray|bdrip|dvdrip|\d{3,4}p)", re.IGNORECASE)
_GROUP_TAIL_RE = re.compile(r"^-[A-Za-z0-9]+$")


def _expand(first: int, more: str, *, max_range: int | None = None) -> tuple[int, ...]:
    # A repeated marker ("S05E01.S05E02", "3x9-3x10") names the same season again.
    if not more:
        return (first,)
    more = _REPEATED_SEASON_RE.sub("", more)
    if max_range is None:
        return episodes_expand(first, more)
    return episodes_expand(first, more, max_range=max_range)


def _split_absolute_before(raw: str, *, grouped: bool) -> tuple[str, tuple[int, ...]]:
    """Title text and the absolute number written just before the marker (family 10):
    "Title - 05 - S01E05", "Title - 12 (S01E12)", and in a fansub name "Title 214 10x14".
    "Mob Psycho 100 - S02E05" keeps its number: no dash before it, a dash after it.
    """
    text = raw.rstrip(" _-([")
    if not text[-1:].isdigit():
        return raw, ()
    dashed = raw[len(text) :].strip(" _")[:1] in {"-", "(", "["}
    match = _ABSOLUTE_BEFORE_RE.match(text)
    if not match:
        return raw, ()
    before_dash = " - " in text[match.end("title") : match.start("number") + 1]
    if not (before_dash or (grouped and not dashed)):
        return raw, ()
    number = int(match.group("number"))
    # "Title 2010 S01E01" is a year.
    if 1900 <= number <= 2099:
        return raw, ()
    return match.group("title"), (number,)


# ".5" right after an episode marker, then the end, a title, a bracket or a release token.
_HALF_RE = re.compile(
    r"\.5(?=$|[ _\[(]| - |\.\d{3,4}[pi]\b|\.(?:hdtv|web|webrip|web-dl|bluray|x26[45])\b)",
    re.IGNORECASE,
)


def season_episode(text: str, *, grouped: bool = False) -> NameParse | None:
    """SxxEyy (repeated, ranged, glued), "Season 2 Episode 5" and NxM markers."""
    match = (
        _SE_RE.search(text)
        or _SE_WORDS_RE.search(text)
        or _NX_RE.search(text)
        or _SE_GLUED_RE.search(text)
    )
    if match and match.re is _NX_RE and int(match.group("season")) in _WIDTHS:
        match = _SE_GLUED_RE.search(text)
    if not match:
        return None
    season = int(match.group("season"))
    raw_title = text[: match.start()]
    raw_title, before = _split_absolute_before(raw_title, grouped=grouped)
    title, year, _, special = show_title_parts(raw_title)
    more, end = _plain_range_cut(match)
    rest = text[end:]
    absolute: tuple[int, ...] = before
    sonarr = _SONARR_ABSOLUTE_RE.match(rest)
    if sonarr:
        rest = rest[sonarr.end() :]
        found = sonarr.group("a") or sonarr.group("b") or sonarr.group("c")
        # Sonarr writes every absolute number of a multi-episode file: "024-025-026".
        absolute = tuple(int(n) for n in found.split("-"))
    episodes = _expand(int(match.group("episode")), more)
    fraction = ""
    half = _HALF_RE.match(rest) if len(episodes) == 1 else None
    if half:
        # "S01E12.5": a half episode (a recap, a special), never episode 12 titled "5".
        fraction, episodes, rest = f"{episodes[0]}.5", (), rest[half.end() :]
    rest, after_year, air_date = _after_marker(rest)
    return NameParse(
        kind="episode",
        title=title,
        year=year or after_year,
        season=season,
        episodes=episodes,
        episode_fraction=fraction,
        absolute_episodes=absolute,
        air_date=air_date,
        episode_title=episode_title_clean(rest),
        special=special or season == 0,
        anime=bool(absolute),
        rule="season_episode",
    )


def _match_date(match: re.Match[str]) -> datetime.date | None:
    """The date in a match's y, m and d groups; None when there is no such day (2021-02-30)."""
    try:
        return datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def _plain_range_cut(match: re.Match[str]) -> tuple[str, int]:
    """The marker's "more" part and where the marker ends, without a "-N" that is the
    episode title's first word: a range end is written as wide as the episode
    ("E06-08", "E1-4"), so "S04E05-7_Bridges" and "S12E13-3_Acts" end at the episode."""
    more = match.group("more")
    if not more or "more" not in match.re.groupindex:
        return more or "", match.end()
    width = len(match.group("episode"))
    for piece in _PLAIN_RANGE_RE.finditer(more):
        number = piece.group(1)
        if len(number) < width or int(number) <= int(match.group("episode")):
            return more[: piece.start()], match.start("more") + piece.start()
    return more, match.end()


def _after_marker(rest: str) -> tuple[str, int | None, datetime.date | None]:
    """A year or an air date written right after the marker is no episode title:
    "Show.S01E04.2021.1080p" (the show's year), "Show.S2016E14.2016-01-20" (the date)."""
    head = rest[:8]
    if "19" not in head and "20" not in head:
        return rest, None, None  # the common case, without two regex matches
    match = _AFTER_DATE_RE.match(rest)
    if match:
        air_date = _match_date(match)
        if air_date is None:
            return rest, None, None
        return rest[match.end() :], None, air_date
    match = _AFTER_YEAR_RE.match(rest)
    if match:
        return rest[match.end() :], int(match.group("paren") or match.group("year")), None
    return rest, None, None


def leading_code(text: str) -> NameParse | None:
    """ "11-02 The Title": season-episode first, no show name (the folder gives it)."""
    match = _LEADING_CODE_RE.match(text)
    if not match or first_tech_offset(match.group("rest")) == 0:
        return None
    season, episodes = int(match.group("season")), (int(match.group("episode")),)
    episode_title = episode_title_clean(match.group("rest"))
    return episode_parse("leading_code", "", None, season, episodes, episode_title=episode_title)


def daily(text: str) -> NameParse | None:
    match = _DATE_RE.search(text)
    if not match:
        return None
    air_date = _match_date(match)
    if air_date is None:
        return None
    title, episode_title = (
        title_clean(text[: match.start()]),
        episode_title_clean(text[match.end() :]),
    )
    return episode_parse(
        "daily", title, None, None, (), air_date=air_date, episode_title=episode_title
    )


def _paren_date(text: str) -> datetime.date | None:
    match = _PAREN_DATE_RE.search(text)
    return _match_date(match) if match else None


def _marker_search(pattern: re.Pattern[str], text: str) -> tuple[re.Match[str], TitleParts] | None:
    """The common preamble of the other-language markers: the first marker and the show's
    title parts from the text before it."""
    match = pattern.search(text)
    if not match:
        return None
    return match, show_title_parts(text[: match.start()])


def _dutch(text: str) -> NameParse | None:
    """ "Title Se.2 afl.5", "Title Se.2 afl.5-6-7"."""
    found = _marker_search(_DUTCH_RE, text)
    if found is None:
        return None
    match, (title, year, _, _) = found
    season = int(match.group("season"))
    episodes = _expand(int(match.group("episode")), match.group("more"))
    episode_title = episode_title_clean(text[match.end() :])
    return episode_parse(
        "foreign_marker", title, year, season, episodes, episode_title=episode_title
    )


def _capitulo(text: str) -> NameParse | None:
    """Spanish "Temporada 2 [Cap.408]": Cap.SEE is season S, episode EE."""
    match = _CAPITULO_RE.search(text)
    if not match:
        return None
    code = match.group("code")
    temporada = _TEMPORADA_RE.search(text)
    # "Cap.408" is season 4, episode 08; "Capitulo 5" needs the Temporada's season.
    if len(code) >= 3:
        season, first = int(code[:-2]), int(code[-2:])
    elif temporada:
        season, first = int(temporada.group("season")), int(code)
    else:
        return None
    last = match.group("last")
    episodes: tuple[int, ...] = (first,)
    if last:
        episodes = _expand(first, f"-{int(last[-2:]) if len(last) >= 3 else int(last)}")
    end = temporada.start() if temporada else match.start()
    raw = text[: min(end, match.start())].split("[", 1)[0]
    title, year, _, _ = show_title_parts(raw)
    return episode_parse("foreign_marker", title, year, season, episodes)


def _cjk(text: str) -> NameParse | None:
    """Chinese and Japanese counters: "Title 第05话", "Title 12話"."""
    found = _marker_search(_CJK_EPISODE_RE, text)
    if found is None or not found[1][0]:
        return None
    match, (title, year, season, _) = found
    return episode_parse("foreign_marker", title, year, season, (int(match.group("episode")),))


def _bolum(text: str) -> NameParse | None:
    """Turkish "Title 12. Bölüm (12.03.2021)", "Title 12.BLM": the date is an air date."""
    found = _marker_search(_BOLUM_RE, text)
    if found is None:
        return None
    match, (title, _, season, _) = found
    episodes = (int(match.group("episode")),)
    return episode_parse(
        "foreign_marker", title, None, season, episodes, air_date=_paren_date(text)
    )


def foreign_marker(text: str) -> NameParse | None:
    """Episode markers in other languages: Dutch, Spanish, Chinese/Japanese, Turkish."""
    for read in (_dutch, _capitulo, _cjk, _bolum):
        result = read(text)
        if result is not None:
            return result
    return None


def episode_only(text: str) -> NameParse | None:
    """ "Show.E07", "Show EP06", "Show E1206 Title", "Show (2011) Episode 99-100": no season."""
    limit = -1
    for match in _EPISODE_ONLY_RE.finditer(text):
        limit = first_tech_offset(text) if limit < 0 else limit
        if match.start() >= limit:
            return None
        if _YEAR_TOKEN_RE.fullmatch(match.group("episode")):
            continue  # "S.W.A.T.2017": a year
        title, year, season, special = show_title_parts(text[: match.start()])
        if not title:
            continue
        episodes = _expand(
            int(match.group("episode")), match.group("more"), max_range=MAX_ABSOLUTE_RANGE
        )
        rest = text[match.end() :]
        rest = _YEAR_TOKEN_RE.split(rest, 1)[0] if _YEAR_TOKEN_RE.search(rest) else rest
        episode_title = episode_title_clean(rest)
        return episode_parse(
            "episode_only",
            title,
            year,
            season,
            episodes,
            episode_title=episode_title,
            special=special,
        )
    return None


def part_episode(text: str) -> NameParse | None:
    """A miniseries part in a release name ("Title Part01 720p HDTV", "Title.5of9.HDTV").

    Only when a release token follows and no year is written (a year makes
    "Dune.Part.Two.2024" a film); a plain "Tutorial - Part 1" is no episode.
    """
    match = _PART_RE.search(text)
    if not match or _YEAR_TOKEN_RE.search(text):
        return None
    rest = text[match.end() :]
    if first_tech_offset(rest) == len(rest):
        return None
    value = (match.group("n") or match.group("of")).lower()
    number = _NUMBER_WORDS.get(value) or int(value)
    title, _, season, _ = show_title_parts(text[: match.start()])
    if not title:
        return None
    season = season if season is not None else 1
    episode_title = episode_title_clean(rest)
    return episode_parse(
        "part_episode", title, None, season, (number,), episode_title=episode_title
    )


def _code_numbers(code: str) -> tuple[int, tuple[int, ...]] | None:
    """Season and episodes of a scene code: 416, 1103, 20506, 030405."""
    if len(code) == 3:
        return int(code[0]), (int(code[1:]),)
    if len(code) == 4:
        return int(code[:2]), (int(code[2:]),)
    if len(code) == 5:
        return int(code[0]), (int(code[1:3]), int(code[3:]))
    return int(code[:2]), (int(code[2:4]), int(code[4:]))


def scene_code(text: str) -> NameParse | None:
    """Dotted release names numbered by a scene code instead of SxxEyy (not sure:
    "Fahrenheit.451" is a title, so the caller reconciles with guessit)."""
    if " " in text:
        return None
    match = _SCENE_CODE_RE.match(text)
    if not match:
        return None
    code, rest = match.group("code"), match.group("rest") or ""
    if code in _RESOLUTIONS or (len(code) == 4 and _YEAR_TOKEN_RE.fullmatch(code)):
        return None
    tokens = [t for t in re.split(r"[\s._]+", rest) if t]
    if tokens and not (
        is_tech(tokens[0]) or _TECH_PREFIX_RE.match(tokens[0]) or _GROUP_TAIL_RE.match(rest)
    ):
        return None
    decoded = _code_numbers(code)
    if decoded is None:
        return None
    season, episodes = decoded
    for extra in re.findall(r"\d{3,4}", match.group("more")):
        more = _code_numbers(extra)
        if more and more[0] == season:
            episodes += more[1]
    if 0 in episodes or len(set(episodes)) != len(episodes):
        return None
    title = title_clean(match.group("title"))
    if not title:
        return None
    year = int(match.group("year")) if match.group("year") else None
    return episode_parse("scene_code", title, year, season, episodes, sure=False)


# A split episode's label ends its name ("Show - s02e18 - pt1"; Plex stacks up to 8).
# "part" counts only written as one word ("part2"): "Part 2" is a two-parter's title.
_SPLIT_LABEL_RE = re.compile(
    r"(?:^|[\s._-]+)(?:(?:cd|disc|disk|dvd|pt)[\s._-]?|part)(?P<part>[1-8])$", re.IGNORECASE
)


def split_label(episode_title: str) -> tuple[str, int | None]:
    """("Title", 2) from an episode title that ends with a split file's label ("Title - pt2")."""
    match = _SPLIT_LABEL_RE.search(episode_title)
    if match is None:
        return episode_title, None
    return episode_title[: match.start()].rstrip(" ._-"), int(match.group("part"))
