"""The recognition fast path: ordered, named rules for the common file-name shapes.

`name_parse` cleans a name (Plex tags, fansub group, CRC, alternative titles in
another script) and tries each rule of RULES in order, most specific first; the
first that answers decides and its name is kept as NameParse.rule. None means
no rule matched: the caller asks guessit. A rule marked not sure (its shape is
ambiguous: a scene code, a number after a year, a fansub film) is reconciled
with guessit by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from . import recognition_rules_anime as anime
from . import recognition_rules_episode as episode
from . import recognition_rules_movie as movie
from .recognition_parse import (
    NameParse,
    ParseKind,
    episodes_expand,
    release_group_strip,
)
from .recognition_text import Tags, collapse_spaces, tags_extract

__all__ = [
    "RULES",
    "LibraryKind",
    "NameParse",
    "ParseKind",
    "episodes_expand",
    "name_parse",
    "release_group_strip",
]

# The library a file sits in: a prior on ambiguous numbers.
LibraryKind = Literal["tv", "movies", "anime", "mixed"]

_CRC_RE = re.compile(r"[\[(]([0-9A-Fa-f]{8})[\])]")
_SEGMENTS_RE = re.compile(r"\s+[/|\uff5c]\s+|\s*\uff0f\s*")


@dataclass(frozen=True, slots=True)
class _Name:
    """A name cleaned for the rules, with what the cleaning saw."""

    text: str
    raw: str
    grouped: bool
    crc: bool
    library_kind: LibraryKind


@dataclass(frozen=True, slots=True)
class Rule:
    """One named shape: parse returns a NameParse or None (the next rule is tried)."""

    name: str
    parse: Callable[[_Name], NameParse | None]
    # Rules that read a bare number as an episode; a movies library skips them.
    numbers_only: bool = False
    # A cheap pattern the text must contain before the rule's own (costlier) patterns run:
    # most names stop at season_episode, but a film passes every rule before movie_year.
    hint: re.Pattern[str] | None = None


def _hint(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _is_latin_led(segment: str) -> bool:
    for ch in segment:
        if ch.isalpha():
            return ord(ch) <= 0x24F
    return False


def _alternatives_drop(text: str) -> str:
    """ "Река (S1E3) / River Town (S1E3) ...": keep from the Latin-script
    alternative on, so the marker found first belongs to the title kept (family 9)."""
    if ("/" not in text and "|" not in text and "\uff0f" not in text) or not _SEGMENTS_RE.search(
        text
    ):
        return text
    segments = _SEGMENTS_RE.split(text)
    for index, segment in enumerate(segments):
        if _is_latin_led(segment):
            if index == 0:
                return text
            return " / ".join(segments[index:])
    return text


RULES: tuple[Rule, ...] = (
    Rule("device", lambda n: movie.device(n.text)),
    Rule("bracket_fields", lambda n: anime.bracket_fields(n.raw)),
    Rule("season_episode", lambda n: episode.season_episode(n.text, grouped=n.grouped)),
    Rule("leading_code", lambda n: episode.leading_code(n.text)),
    Rule(
        "foreign_marker",
        lambda n: episode.foreign_marker(n.text),
        hint=_hint(r"afl|cap|b[öo]l[üu]m|blm|\d\s*[话話集回]"),
    ),
    Rule("daily", lambda n: episode.daily(n.text)),
    Rule(
        "absolute_dash",
        lambda n: anime.absolute_dash(
            n.text, grouped=n.grouped, anime_library=n.library_kind == "anime"
        ),
        numbers_only=True,
    ),
    Rule(
        "episode_only",
        lambda n: episode.episode_only(n.text),
        hint=_hint(r"(?<![a-z0-9])(?:e|eps?|episodes?|episodio|[ée]pisode)[\s._]?\d"),
    ),
    Rule(
        "title_bracket_number",
        lambda n: anime.title_bracket_number(n.text),
        numbers_only=True,
        hint=_hint(r"[\[{【](?:第\s*)?\d"),
    ),
    Rule(
        "season_then_number",
        lambda n: anime.season_then_number(n.text),
        numbers_only=True,
        hint=_hint(r"[\s._]s\d{1,2}[\s._]+\d"),
    ),
    Rule(
        "grouped_number",
        lambda n: anime.grouped_number(n.text, grouped=n.grouped or n.crc),
        numbers_only=True,
    ),
    Rule(
        "padded_number",
        lambda n: anime.padded_number(n.text),
        numbers_only=True,
        hint=_hint(r"\s0\d{1,3}(?:$|[\s\[(])"),
    ),
    Rule(
        "part_episode",
        lambda n: episode.part_episode(n.text),
        hint=_hint(r"(?<![a-z0-9])(?:part|pt)|\dof\d|\d[\s._]of[\s._]\d"),
    ),
    Rule(
        "scene_code",
        lambda n: episode.scene_code(n.text),
        numbers_only=True,
        hint=_hint(r"[._-]\d{3,6}(?:[._-]|$)"),
    ),
    Rule(
        "year_then_number",
        lambda n: anime.year_then_number(n.text),
        numbers_only=True,
        hint=_hint(r"(?:19|20)\d\d[\s._-]+\d{1,3}(?:[\s._-]|$)"),
    ),
    Rule(
        "title_range",
        lambda n: anime.title_range(n.text),
        numbers_only=True,
        hint=_hint(r"\d\s*[-~]\s*\d"),
    ),
    Rule("movie_year", lambda n: movie.movie_year(n.text)),
    Rule("fansub_film", lambda n: movie.fansub_film(n.text, grouped=n.grouped, crc=n.crc)),
    Rule("bare_number", lambda n: movie.bare(n.text), numbers_only=True),
    Rule("words_only", lambda n: movie.plain(n.text)),
)


@lru_cache(maxsize=16384)
def name_parse(stem: str, library_kind: LibraryKind = "mixed") -> NameParse | None:
    """Parse a file (or folder) name without extension, or None to ask guessit.

    Cached: a video and its subtitles share a stem, and a rescan asks again.
    """
    text, tags = tags_extract(stem)
    # The bracket-field layout reads the name before the group is cut off.
    raw = collapse_spaces(text) if text.lstrip()[:1] in ("[", "【") else text
    text, grouped = release_group_strip(text)
    if grouped:
        # "[Group]_[Other-Group]_Title_Ep04": a second group tag is no title either.
        text = release_group_strip(text.lstrip(" _"))[0]
    text, crc_count = _CRC_RE.subn(" ", text) if ("[" in text or "(" in text) else (text, 0)
    if grouped and "_" in text and " " not in text.split("[", 1)[0].strip():
        text = text.replace("_", " ")  # "[Group]_Title_-_05_[720p]"
    text = collapse_spaces(text) if " " in text.strip() else text.strip()
    text = _alternatives_drop(text)
    name = _Name(text=text, raw=raw, grouped=grouped, crc=crc_count > 0, library_kind=library_kind)
    for rule in RULES:
        if rule.numbers_only and library_kind == "movies":
            continue
        if rule.hint is not None and rule.hint.search(text) is None:
            continue
        result = rule.parse(name)
        if result is not None:
            return _finish(result, rule.name, tags, text, anime=grouped or crc_count > 0)
    return None


def _finish(result: NameParse, rule: str, tags: Tags, text: str, *, anime: bool) -> NameParse:
    """The rule's reading plus what the cleaning saw (one constructor call: cheaper
    than dataclasses.replace on the fast path)."""
    absolute = result.absolute_episodes
    if anime and result.kind == "episode" and result.season is None and not absolute:
        # A fansub release numbered without a season numbers absolutely ("[Grp] Title E12").
        absolute = result.episodes
    return NameParse(
        kind=result.kind,
        title=result.title,
        year=result.year,
        season=result.season,
        episodes=result.episodes,
        absolute_episodes=absolute,
        air_date=result.air_date,
        episode_title=result.episode_title,
        special=result.special,
        anime=anime or result.anime,
        tags=tags,
        rule=result.rule or rule,
        sure=result.sure,
        episode_fraction=result.episode_fraction,
        edition=tags.edition or result.edition,
        part=result.part,
        version=movie.version_of(text),
    )
