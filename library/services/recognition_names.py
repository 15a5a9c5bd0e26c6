"""The recognition fast path: compiled patterns for the common file-name shapes.

`name_parse` returns None when no shape matches confidently; the caller then
asks guessit. Each shape is tried in order, most specific first.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .recognition_text import (
    Tags,
    collapse_spaces,
    episode_title_clean,
    first_tech_offset,
    tags_extract,
    title_and_year,
    title_clean,
)

MAX_RANGE = 30  # "S01E01-E40" is two episodes, not forty

# "[SubsPlease] " or "【Group】"; a bracketed web address is a tracker tag, not a group.
_LEADING_GROUP_RE = re.compile(r"^\s*[\[【]([^\]】]{1,80})[\]】][\s._-]*")
_SITE_RE = re.compile(r"www\.|\.(?:com|org|net|to|se|me|cc|tv)\b", re.IGNORECASE)
_SITE_PREFIX_RE = re.compile(r"^\s*www\.\S+\s+-\s+", re.IGNORECASE)
_CRC_RE = re.compile(r"[\[(]([0-9A-Fa-f]{8})[\])]")

_SE_RE = re.compile(
    r"(?<![a-z0-9])s(?P<season>\d{1,3})[\s._-]?e(?P<episode>\d{1,4})"
    r"(?P<more>(?:[\s._]?-?[\s._]?e\d{1,4}(?!\d)|-\d{1,4}(?![0-9a-z]))*)(?!\d)",
    re.IGNORECASE,
)
_SE_WORDS_RE = re.compile(
    r"(?<![a-z0-9])season[\s._-]?(?P<season>\d{1,3})[\s._-]*episode[\s._-]?(?P<episode>\d{1,4})"
    r"(?P<more>)(?!\d)",
    re.IGNORECASE,
)
_NX_RE = re.compile(
    r"(?<![a-z0-9])(?P<season>\d{1,2})x(?P<episode>\d{2,3})"
    r"(?P<more>(?:[x-]\d{2,3}(?![0-9a-z]))*)(?![0-9a-z])",
    re.IGNORECASE,
)
# Three or more digits with more after them: "Show - S01E01 - 33" is titled "33".
_SONARR_ABSOLUTE_RE = re.compile(r"\s+-\s+(\d{3,4})(?=\s+-\s|\s*\[)")
_MORE_RE = re.compile(r"([^\d]+)(\d+)")
_DATE_RE = re.compile(
    r"(?<![0-9])(?P<y>(?:19|20)\d\d)[\s._-](?P<m>0[1-9]|1[0-2])[\s._-](?P<d>0[1-9]|[12]\d|3[01])"
    r"(?![0-9])"
)
_ABSOLUTE_RE = re.compile(
    r"^(?P<title>.+?)\s+-\s+(?:(?P<kind>e|ep|episode|ova|oad|sp|special)\s*)?"
    r"(?P<episode>\d{1,4})(?:v\d{1,2})?(?:\s*-\s*(?P<last>\d{1,4})(?:v\d{1,2})?)?"
    r"(?:\s+(?:end|final))?(?P<rest>(?:[\s\[(].*)?)$",
    re.IGNORECASE,
)
_SPECIAL_ONLY_RE = re.compile(
    r"^(?P<title>.+?)\s+-\s+(?:ova|oad|special)(?P<rest>(?:[\s\[(].*)?)$", re.IGNORECASE
)
_SPECIAL_WORD_RE = re.compile(r"(?<![a-z])(?:ova|oad|specials?)(?![a-z])", re.IGNORECASE)
_ANIME_WORD_RE = re.compile(r"(?<![a-z])(?:ova|oad)(?![a-z])", re.IGNORECASE)
_TITLE_SEASON_RE = re.compile(
    r"^(?P<title>.*?)[\s._-]+(?:s(?P<a>\d{1,2})|season\s*(?P<b>\d{1,2})"
    r"|(?P<c>\d{1,2})(?:st|nd|rd|th)\s+season|\(season\s*(?P<d>\d{1,2})\))$",
    re.IGNORECASE,
)
_TITLE_SPECIAL_RE = re.compile(r"^(?P<title>.*?)\s+(?:ova|oad|specials?)$", re.IGNORECASE)
_YEAR_RE = re.compile(r"(?<![0-9a-z])[(\[]?((?:19|20)\d\d)[)\]]?(?![0-9a-z])", re.IGNORECASE)
# Camera, phone and disc-structure names: nothing to recognise, and guessit
# reads their counters as episodes ("IMG_1234" -> S12E34).
_DEVICE_RE = re.compile(
    r"^(?:(?:img|vid|dsc[nf]?|mvi|mov|gopr|gh\d\d|gx\d\d|pxl|vts|dji|trim)[\s._-]*\d[\d_.-]*"
    r"|(?:screen recording|screen shot|screenshot) \d{4}-\d\d-\d\d at .*)$",
    re.IGNORECASE,
)
_BARE_RE = re.compile(
    r"^(?:(?:e|ep|episode)[\s._-]*)?(?P<episode>\d{1,3})(?:v\d)?"
    r"(?:(?:\s*-\s*|\.\s+|[\s_]+)(?P<rest>.*))?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class NameParse:
    """What one name says on its own, before folder names are taken into account.

    kind: "episode", "movie", "bare" (only a number: an episode inside a
    season folder) or "none" (guessit found nothing usable).
    """

    kind: str
    title: str = ""
    year: int | None = None
    season: int | None = None
    episodes: tuple[int, ...] = ()
    absolute_episode: int | None = None
    air_date: datetime.date | None = None
    episode_title: str = ""
    special: bool = False
    anime: bool = False
    tags: Tags = field(default_factory=Tags)


def episodes_expand(first: int, more: str) -> tuple[int, ...]:
    """Episode numbers from "E01" plus "E02E03" (a list) or "-03"/"-E03" (a range)."""
    numbers = [first]
    for separator, value in _MORE_RE.findall(more):
        number = int(value)
        previous = numbers[-1]
        if "-" in separator and previous < number <= previous + MAX_RANGE:
            numbers.extend(range(previous + 1, number + 1))
        elif number not in numbers:
            numbers.append(number)
    return tuple(numbers)


def release_group_strip(text: str) -> tuple[str, bool]:
    """Remove a leading "[Group]"; True when it was a fansub group (an anime sign)."""
    text = _SITE_PREFIX_RE.sub("", text)
    match = _LEADING_GROUP_RE.match(text)
    if not match:
        return text, False
    return text[match.end() :], not _SITE_RE.search(match.group(1))


def _episode_marker(text: str) -> NameParse | None:
    match = _SE_RE.search(text) or _SE_WORDS_RE.search(text) or _NX_RE.search(text)
    if not match:
        return None
    season = int(match.group("season"))
    title, year, _, special = _show_title_parts(text[: match.start()])
    rest = text[match.end() :]
    # Sonarr's anime naming adds the absolute number: "Show - S01E12 - 012 - Title".
    absolute = _SONARR_ABSOLUTE_RE.match(rest)
    if absolute:
        rest = rest[absolute.end() :]
    return NameParse(
        kind="episode",
        title=title,
        year=year,
        season=season,
        episodes=episodes_expand(int(match.group("episode")), match.group("more")),
        absolute_episode=int(absolute.group(1)) if absolute else None,
        episode_title=episode_title_clean(rest),
        special=special or season == 0,
        anime=absolute is not None,
    )


def _daily(text: str) -> NameParse | None:
    match = _DATE_RE.search(text)
    if not match:
        return None
    try:
        air_date = datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None
    return NameParse(
        kind="episode",
        title=title_clean(text[: match.start()]),
        air_date=air_date,
        episode_title=episode_title_clean(text[match.end() :]),
    )


def _show_title_parts(raw: str) -> tuple[str, int | None, int | None, bool]:
    """Title, year, season and special flag from "Title S2", "Title 2nd Season", "Title OVA"."""
    special = False
    raw = raw.rstrip(" _-")
    match = _TITLE_SPECIAL_RE.match(raw)
    if match:
        raw, special = match.group("title"), True
    season = None
    match = _TITLE_SEASON_RE.match(raw)
    if match:
        raw = match.group("title")
        season = int(match.group("a") or match.group("b") or match.group("c") or match.group("d"))
    title, year = title_and_year(raw)
    return title, year, season, special


def _absolute(text: str, *, grouped: bool) -> NameParse | None:
    """Anime style "Title - 12", "[Group] Title S2 - 03v2 [1080p]", "Title - OVA"."""
    if " - " not in text:
        return None
    match = _ABSOLUTE_RE.match(text)
    if match:
        number = int(match.group("episode"))
        # "Spider-Man - 2002" is a year, unless a fansub group says it is an episode.
        if not grouped and 1900 <= number <= 2099 and len(match.group("episode")) == 4:
            return None
        last = match.group("last")
        episodes = episodes_expand(number, f"-{last}" if last else "")
        kind = (match.group("kind") or "").lower()
    else:
        match = _SPECIAL_ONLY_RE.match(text)
        if not match:
            return None
        episodes, kind = (), "ova"
    title, year, season, special = _show_title_parts(match.group("title"))
    rest = match.group("rest")
    special_word = _SPECIAL_WORD_RE.search(rest)
    special = special or kind in {"ova", "oad", "sp", "special"} or bool(special_word)
    # OVA and OAD are anime words: a name that uses them is anime.
    anime = kind in {"ova", "oad"} or bool(_ANIME_WORD_RE.search(match.group("title") + rest))
    if special and season is None:
        season = 0
    episode_title = ""
    if rest.lstrip().startswith("-"):
        episode_title = episode_title_clean(rest.lstrip()[1:])
    return NameParse(
        kind="episode",
        title=title,
        year=year,
        season=season,
        episodes=episodes,
        absolute_episode=episodes[0] if episodes and season is None else None,
        episode_title=episode_title,
        special=special,
        anime=anime,
    )


def _movie(text: str) -> NameParse | None:
    limit = first_tech_offset(text)
    latest = datetime.date.today().year + 1
    best = None
    for match in _YEAR_RE.finditer(text):
        year = int(match.group(1))
        if match.start() >= limit:
            break
        if year > latest:
            continue  # "Blade Runner 2049" is a title
        title = title_clean(text[: match.start()])
        if title:
            best = NameParse(kind="movie", title=title, year=year)
    return best


def _device(text: str) -> NameParse | None:
    return NameParse(kind="none") if _DEVICE_RE.match(text) else None


def _bare(text: str) -> NameParse | None:
    match = _BARE_RE.match(text.strip())
    if not match:
        return None
    number = int(match.group("episode"))
    return NameParse(
        kind="bare",
        episodes=(number,),
        episode_title=episode_title_clean(match.group("rest") or ""),
    )


def _plain(text: str) -> NameParse | None:
    """Words only ("Family Trip", "Inception"): no number, release token or special
    word, so nothing for guessit to find that would make it an episode or movie."""
    if any(ch.isdigit() for ch in text) or _SPECIAL_WORD_RE.search(text):
        return None
    return NameParse(kind="none") if first_tech_offset(text) == len(text) else None


_SHAPES: tuple[Callable[[str], NameParse | None], ...] = (_device, _episode_marker, _daily)
_LATE_SHAPES: tuple[Callable[[str], NameParse | None], ...] = (_movie, _bare, _plain)


def name_parse(stem: str) -> NameParse | None:
    """Parse a file (or folder) name without extension, or None to ask guessit."""
    text, tags = tags_extract(stem)
    text, grouped = release_group_strip(text)
    text, crc_count = _CRC_RE.subn(" ", text)
    anime = grouped or crc_count > 0
    if " " not in text.strip() and "_" in text and grouped:
        text = text.replace("_", " ")  # "[Group]_Title_-_05_[720p]"
    text = collapse_spaces(text) if " " in text.strip() else text.strip()
    result = None
    for shape in _SHAPES:
        result = shape(text)
        if result:
            break
    else:
        result = _absolute(text, grouped=grouped)
        if result is None:
            for shape in _LATE_SHAPES:
                result = shape(text)
                if result:
                    break
    if result is None:
        return None
    return replace(result, anime=anime or result.anime, tags=tags)
