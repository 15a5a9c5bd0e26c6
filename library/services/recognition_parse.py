"""What one name says on its own (NameParse) and the helpers the name rules share.

The rules themselves live in recognition_rules_episode (season/episode
markers, scene codes, other languages), recognition_rules_anime (fansub
layouts, absolute numbering) and recognition_rules_movie (years, fansub films);
recognition_names runs them in order.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from library.services.recognition_text import Tags, strong_tech_offset, title_and_year

# "episode": numbered (or dated) TV/anime; "movie": a film; "bare": only a number
# (an episode inside a season folder); "none": nothing usable (guessit's answer too).
ParseKind = Literal["episode", "movie", "bare", "none"]

MAX_RANGE = 30  # "S01E01-E40" is two episodes, not forty
# Anime batches number absolutely and run long ("101-140", "(1201-1250)").
MAX_ABSOLUTE_RANGE = 400
# show_title_parts: title, year, season and special flag.
TitleParts = tuple[str, int | None, int | None, bool]

# "[SubsPlease] " or "【Group】"; a bracketed web address is a tracker tag, not a group.
_LEADING_GROUP_RE = re.compile(r"^\s*[\[【]([^\]】]{1,80})[\]】][\s._-]*")
# What follows a bracketed title, not a group's release: nothing, or the year in parentheses.
_TITLE_LEFT_RE = re.compile(r"^\s*(?:$|\((?:19|20)\d\d\))")
_SITE_RE = re.compile(r"www\.|\.(?:com|org|net|to|se|me|cc|tv)\b", re.IGNORECASE)
_MARKER_FIELD_RE = re.compile(
    r"^\s*(?:s\d{1,4}(?:[\s._-]?e\d{1,5})?|e\d{1,5}|\d{1,2}x\d{1,3})\s*$", re.IGNORECASE
)
_SITE_PREFIX_RE = re.compile(r"^\s*www\.\S+\s+-\s+", re.IGNORECASE)
_MORE_RE = re.compile(r"([^\d]+)(\d+)")
_TITLE_SPECIAL_RE = re.compile(r"^(?P<title>.*?)\s+(?:ova|oad|specials?)$", re.IGNORECASE)
_TITLE_SEASON_RE = re.compile(
    r"^(?P<title>.*?)[\s._-]+(?:s(?P<a>\d{1,2})|season\s*(?P<b>\d{1,2})"
    r"|(?P<c>\d{1,2})(?:st|nd|rd|th)\s+season|\((?:season\s*|s)(?P<d>\d{1,2})\))$",
    re.IGNORECASE,
)
# A year, month and day ("2019.05.06"), in groups y, m and d.
DATE_PATTERN = r"(?P<y>(?:19|20)\d\d)[\s._-](?P<m>0[1-9]|1[0-2])[\s._-](?P<d>0[1-9]|[12]\d|3[01])"
# A date written before the marker ("Show 2019 05 06 S33E9012") is not title.
_TRAILING_DATE_RE = re.compile(r"[\s._-]+" + DATE_PATTERN + "$")
# Words that say what kind of release it is, not which show: "Title (Mini-Series)".
_TYPE_WORDS_RE = re.compile(
    r"[\s._-]*[(\[](?:mini-?series?|miniserie|tv[\s._-]?series|serie|series|tv)[)\]]",
    re.IGNORECASE,
)
_TRAILING_COUNTRY_RE = re.compile(r"^(?P<base>.*\S)\s+\(?(?P<country>US|UK|AU|NZ|CA|GB)\)?$")
# "Title (2021/S01E03/...)": a year left open by fields inside one parenthesis.
_OPEN_YEAR_RE = re.compile(r"\s*\(\s*((?:19|20)\d\d)$")
# "OVA", "OAD", "Special(s)" as a word: a special episode.
SPECIAL_WORD_RE = re.compile(r"(?<![a-z])(?:ova|oad|specials?)(?![a-z])", re.IGNORECASE)
_LONE_YEAR_RE = re.compile(r"(?:19|20)\d\d")
# Separators between a title's alternatives in two scripts ("Река / River", "河流·River").
ALTERNATIVES_RE = re.compile(r"\s*[/|·\uff0f\uff5c]\s*|\s+_\s+|(?<=[^\x00-\u024f])_(?=[A-Za-z])")


@dataclass(frozen=True, slots=True)
class NameParse:
    """What one name says on its own, before folder names are taken into account.

    rule names the rule that decided; sure is False for rules that read a shape
    guessit may read better (scene codes, a number after a year): the caller
    reconciles those with guessit.
    """

    kind: ParseKind
    title: str = ""
    year: int | None = None
    season: int | None = None
    episodes: tuple[int, ...] = ()
    absolute_episodes: tuple[int, ...] = ()
    air_date: datetime.date | None = None
    episode_title: str = ""
    special: bool = False
    anime: bool = False
    tags: Tags = field(default_factory=Tags)
    rule: str = ""
    sure: bool = True
    episode_fraction: str = ""
    edition: str = ""
    part: int | None = None
    version: str = ""

    @property
    def absolute_episode(self) -> int | None:
        return self.absolute_episodes[0] if self.absolute_episodes else None


def episode_parse(
    rule: str,
    title: str,
    year: int | None,
    season: int | None,
    episodes: tuple[int, ...],
    *,
    absolute: bool = False,
    episode_title: str = "",
    special: bool = False,
    anime: bool = False,
    air_date: datetime.date | None = None,
    episode_fraction: str = "",
    sure: bool = True,
) -> NameParse:
    """A numbered episode as one rule read it. absolute: the rule reads the anime way,
    so numbers written without a season are absolute ("Title - 12")."""
    return NameParse(
        kind="episode",
        title=title,
        year=year,
        season=season,
        episodes=episodes,
        absolute_episodes=episodes if absolute and season is None else (),
        air_date=air_date,
        episode_title=episode_title,
        special=special,
        anime=anime,
        rule=rule,
        sure=sure,
        episode_fraction=episode_fraction,
    )


def is_year(number: str) -> bool:
    """Is a number written alone a year ("2019"), not an episode or a count?"""
    return _LONE_YEAR_RE.fullmatch(number) is not None


def episodes_expand(first: int, more: str, *, max_range: int = MAX_RANGE) -> tuple[int, ...]:
    """Episode numbers from "E01" plus "E02E03" (a list) or "-03"/"-E03"/"~03" (a range)."""
    numbers = [first]
    for separator, value in _MORE_RE.findall(more):
        number = int(value)
        previous = numbers[-1]
        if ("-" in separator or "~" in separator) and previous < number <= previous + max_range:
            numbers.extend(range(previous + 1, number + 1))
        elif number not in numbers:
            numbers.append(number)
    return tuple(numbers)


def release_group_strip(text: str) -> tuple[str, bool]:
    """Remove a leading "[Group]"; True when it was a fansub group (an anime sign)."""
    if "www." in text[:12].lower():
        text = _SITE_PREFIX_RE.sub("", text)
    if text.lstrip()[:1] not in ("[", "【"):
        return text, False
    match = _LEADING_GROUP_RE.match(text)
    if not match or _MARKER_FIELD_RE.match(match.group(1)):
        return text, False  # "[S03][E07] Title": a bracketed marker is no group
    if _TITLE_LEFT_RE.match(text[match.end() :]):
        return text, False  # "[REC] (2007)", "[Oshi no Ko] (2023) - s01e01": the title
    return text[match.end() :], not _SITE_RE.search(match.group(1))


def is_latin_letter(ch: str) -> bool:
    return ch.isalpha() and ord(ch) <= 0x24F


def latin_only(text: str) -> bool:
    """Whether every letter of `text` is Latin (a text without letters counts as Latin)."""
    return _scripts(text)[1] == 0


def _scripts(text: str) -> tuple[int, int]:
    """(Latin letters, other letters) in text."""
    latin = other = 0
    for ch in text:
        if ch.isalpha():
            if ord(ch) <= 0x24F:
                latin += 1
            else:
                other += 1
    return latin, other


def latin_title(title: str) -> str:
    """Keep the Latin-script title of a title written in two scripts (family 9).

    "Река / River Town" and "河流小镇 River Town" keep the
    Latin part; a title in one script ("千と千尋の神隠し", "Amélie") is kept whole.
    """
    if title.isascii():
        return title
    latin, other = _scripts(title)
    if not latin or not other:
        return title
    parts = [part for part in ALTERNATIVES_RE.split(title) if part.strip()]
    pure = [part for part in parts if _scripts(part)[1] == 0 and _scripts(part)[0]]
    if len(parts) > 1 and pure:
        return pure[0].strip(" _-:")
    # Side by side: drop the words in the other script at either end.
    words = title.split()
    while words and _scripts(words[0])[1]:
        words.pop(0)
    while words and _scripts(words[-1])[1]:
        words.pop()
    if words and _scripts(" ".join(words))[0]:
        return " ".join(words).strip(" _-:")
    # One word mixing both ("河流Alpha"): its Latin run.
    runs = re.findall(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f0-9' !?.:-]*", title)
    return max(runs, key=len).strip() if runs else title


@lru_cache(maxsize=8192)
def show_title_parts(raw: str) -> TitleParts:
    """Title, year, season and special flag from "Title S2", "Title 2nd Season", "Title OVA".

    Cached: every episode of a show repeats the same text before its marker.
    """
    special = False
    cut = strong_tech_offset(raw)
    raw = (raw[:cut] if cut else raw).rstrip(" _-([/\uff0f")
    # The substitutions are guarded by cheap tests: this runs for nearly every name.
    if "(" in raw or "[" in raw:
        raw = _OPEN_YEAR_RE.sub(r" (\1)", _TYPE_WORDS_RE.sub("", raw))
    if raw[-1:].isdigit():
        raw = _TRAILING_DATE_RE.sub("", raw)
    match = _TITLE_SPECIAL_RE.match(raw)
    if match:
        raw, special = match.group("title"), True
    season = None
    year = None
    match = _TITLE_SEASON_RE.match(raw)
    if match is None and (raw[-1:] in ")]" or raw[-1:].isdigit()):
        # "Title 2nd Season (2021)": the year written after the season marker.
        before_year, year = title_and_year(raw)
        match = _TITLE_SEASON_RE.match(before_year) if year else None
        raw = before_year if match else raw
        year = year if match else None
    if match:
        raw = match.group("title")
        season = int(match.group("a") or match.group("b") or match.group("c") or match.group("d"))
    title, title_year = title_and_year(raw)
    year = year or title_year
    title, year = _country_split(title, year)
    return latin_title(title), year, season, special


def _country_split(title: str, year: int | None) -> tuple[str, int | None]:
    """ "River Town US" -> "River Town (US)", Plex's form (family 7); a year written
    before the country ("River Town 2010 US") is the show's year."""
    match = _TRAILING_COUNTRY_RE.match(title)
    if not match:
        return title, year
    base = match.group("base")
    if year is None:
        base, year = title_and_year(base)
    return f"{base} ({match.group('country')})", year
