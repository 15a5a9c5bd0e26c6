"""Name rules for absolute numbering, the anime way: "Title - 07", ranges,
"[group][title][year][episode]" fansub layouts, "Title S2 [05]"."""

from __future__ import annotations

import re

from .recognition_parse import (
    MAX_ABSOLUTE_RANGE,
    NameParse,
    episodes_expand,
    latin_title,
    show_title_parts,
)
from .recognition_text import episode_title_clean, first_tech_offset, is_tech, title_clean

# One " - " candidate: "07", "OVA 2", "12.5", "03v2", "101-140", "01 ~ 10", "12 END".
_DASH_NUMBER_RE = re.compile(
    r"(?:(?P<kind>e|ep|episode|ova|oad|sp|special)\s*)?(?P<episode>\d{1,4})"
    r"(?:\.(?P<half>5))?(?:v\d{1,2})?(?:\s*[-~]\s*(?P<last>\d{1,4})(?:v\d{1,2})?)?"
    r"(?:\s+(?:end|final|fin))?",
    re.IGNORECASE,
)
_SPECIAL_ONLY_RE = re.compile(
    # Only brackets may follow: "Law & Order - Special Victims Unit" is a title.
    r"^(?P<title>.+?)\s+-\s+(?:ova|oad|special)(?P<rest>(?:\s*[\[(].*)?)$",
    re.IGNORECASE,
)
SPECIAL_WORD_RE = re.compile(r"(?<![a-z])(?:ova|oad|specials?)(?![a-z])", re.IGNORECASE)
_ANIME_WORD_RE = re.compile(r"(?<![a-z])(?:ova|oad)(?![a-z])", re.IGNORECASE)
_DASH_RE = re.compile(r"\s+-\s+")
# What may follow the number: nothing, a bracket, an episode title after " - ",
# or release tokens. Words ("- 100 Bridges - 01") mean the number is title.
_CLEAN_END_RE = re.compile(r"^(?:\s*$|\s*[\[({]|\s+-\s|\s*-\s*$)")
# A field of a bracket layout that is the episode: "05", "12END", "101 Fin", "第05话", "512集".
_EPISODE_FIELD_RE = re.compile(
    r"^(?:第\s*)?(?P<episode>\d{1,4})(?:\s*[-~]\s*(?P<last>\d{1,4}))?(?:v\d)?"
    r"\s*(?:end|fin|完|完结|集|话|話|回)?$",
    re.IGNORECASE,
)
_YEAR_FIELD_RE = re.compile(r"^(?:19|20)\d\d$")
_FIELDS_RE = re.compile(r"[\[【]([^\]】]*)[\]】]|([^\[\]【】]+)")
# Fields that announce rather than name: "10月新番", "★04月新番★", "国漫" stays (a title wins).
_NOTICE_FIELD_RE = re.compile(r"新番|★|字幕|月番|合集|\bEND\b", re.IGNORECASE)
_SEASON_PACK_RE = re.compile(
    r"^(?P<title>.+?)[\s._-]+s(?P<season>\d{1,2})(?![0-9]|e\d)", re.IGNORECASE
)
_BRACKET_NUMBER_RE = re.compile(
    r"^(?P<title>[^\[\]{}【】]+?)\s*[\[{【](?:第\s*)?(?P<episode>\d{1,4})(?:v\d)?"
    r"(?:\s*(?:end|fin|完|集|话|話))?[\]}】](?P<rest>.*)$",
    re.IGNORECASE,
)
_YEAR_NUMBER_RE = re.compile(
    r"^(?P<title>.+?)[\s._-]+(?P<year>(?:19|20)\d\d)[\s._-]+(?P<episode>\d{1,3})"
    r"(?P<rest>(?:[\s._-].*)?)$"
)
_TITLE_RANGE_RE = re.compile(
    r"^(?P<title>.+?)[\s._]+\(?(?P<first>\d{1,4})\s*[-~]\s*(?P<last>\d{1,4})\)?(?P<rest>(?:[\s._].*)?)$"
)
_YEARS_RE = re.compile(r"(?:19|20)\d\d")
# A fansub name numbered without " - ": "Title 001 (BD 1080p)", "Title #512", "Title-01[720p]".
_GROUPED_NUMBER_RE = re.compile(
    r"^(?P<title>.*?[^\d\s#-])(?:\s+#?|\s*#|-)(?P<episode>\d{1,4})(?:v\d{1,2})?(?P<rest>(?:[\s\[(].*)?)$"
)
# "Title 001 [1080p]", "Title 05": a zero-padded number ending a spaced title ("Apollo 13"
# and "Ocean's 11" are not padded, so they stay titles).
_PADDED_NUMBER_RE = re.compile(
    r"^(?P<title>.*?[^\d\s])\s+(?P<episode>0\d{1,3})(?P<rest>(?:[\s\[(].*)?)$"
)
_FILM_WORDS = frozenset({"movie", "film", "gekijouban", "gekijōban"})
_NUMBERED_WORDS = frozenset({"season", "saison", "staffel", "part", "vol", "volume", "cour"})
# "Title S12 500": a season marker, then the number (no dash).
_SEASON_NUMBER_RE = re.compile(
    r"^(?P<title>.+?)[\s._]+s(?P<season>\d{1,2})[\s._]+(?P<episode>\d{1,4})(?P<rest>(?:[\s._].*)?)$",
    re.IGNORECASE,
)


def _tech_or_end(rest: str) -> bool:
    """Is what follows a number only brackets or release tokens (or nothing)?"""
    stripped = rest.strip(" ._-")
    if not stripped or stripped[0] in "[({":
        return True
    return first_tech_offset(stripped) == 0


def absolute_dash(text: str, *, grouped: bool, anime_library: bool = False) -> NameParse | None:
    """Anime style "Title - 12", "[Group] Title S2 - 03v2 [1080p]", "Title - 01 ~ 10".

    The number is the first " - " candidate that ends cleanly, so a title holding
    " - " and a number ("Title - 100 Bridges - 01") keeps them.
    """
    if " - " not in text:
        return None
    for dash in _DASH_RE.finditer(text):
        match = _DASH_NUMBER_RE.match(text, dash.end())
        if not match:
            continue
        rest = text[match.end() :]
        if not _CLEAN_END_RE.match(rest) and not _tech_or_end(rest):
            continue
        number = int(match.group("episode"))
        # "Spider-Man - 2002" is a year, unless a fansub group (or the library) says episode.
        is_year = 1900 <= number <= 2099 and len(match.group("episode")) == 4
        if is_year and not (grouped or anime_library):
            return None
        last = match.group("last")
        episodes = episodes_expand(number, f"-{last}" if last else "", max_range=MAX_ABSOLUTE_RANGE)
        kind = (match.group("kind") or "").lower()
        return _dash_parse(text[: dash.start()], rest, episodes, kind, match.group("half"))
    match = _SPECIAL_ONLY_RE.match(text)
    if not match:
        return None
    return _dash_parse(match.group("title"), match.group("rest"), (), "ova", None)


def _dash_parse(
    raw_title: str, rest: str, episodes: tuple[int, ...], kind: str, half: str | None
) -> NameParse:
    title, year, season, special = show_title_parts(raw_title)
    episode_title = ""
    notes = rest
    if rest.lstrip().startswith("-"):
        # An episode title may hold "Special" ("- 040 - Special Guest"); only notes count.
        episode_title = episode_title_clean(rest.lstrip()[1:])
        notes = ""
    special_word = SPECIAL_WORD_RE.search(notes)
    special = special or kind in {"ova", "oad", "sp", "special"} or bool(special_word)
    # OVA and OAD are anime words: a name that uses them is anime.
    anime = kind in {"ova", "oad"} or bool(_ANIME_WORD_RE.search(raw_title + notes))
    if special and season is None:
        season = 0
    fraction = ""
    if half and episodes:
        # "Title - 12.5" is a half episode (a recap or special), not episode 12.
        fraction, episodes = f"{episodes[0]}.{half}", ()
    return NameParse(
        kind="episode",
        title=title,
        year=year,
        season=season,
        episodes=episodes,
        absolute_episodes=episodes if season is None else (),
        episode_title=episode_title,
        special=special,
        anime=anime,
        rule="absolute_dash",
        episode_fraction=fraction,
    )


def _field_title(fields: list[str]) -> str:
    """The title among a layout's fields: the first Latin-script one, else the last."""
    mixed = ""
    for value in fields:
        latin = latin_title(value)
        if latin and all(ord(ch) <= 0x24F for ch in latin if ch.isalpha()):
            if latin == value or not any(ord(ch) > 0x24F for ch in value if ch.isalpha()):
                return latin
            mixed = mixed or latin
    return mixed or (fields[-1] if fields else "")


def bracket_fields(raw: str) -> NameParse | None:
    """East Asian fansub layouts, one field per bracket (family 2):
    "[Group][Title][2019][05][1080p]", "【Group】[中文/Latin Title][12END]",
    "[Group] Title S2 [05][1080p]". A year field is the show's year, never a film's.
    """
    if raw[:1] not in "[【":
        return None
    fields = [
        (m.group(1) if m.group(1) is not None else m.group(2)).strip(" ._")
        for m in _FIELDS_RE.finditer(raw)
    ]
    bracketed = [m.group(1) is not None for m in _FIELDS_RE.finditer(raw)]
    if len(fields) < 3:
        return None
    episode_at = None
    episodes: tuple[int, ...] = ()
    year = None
    for index in range(1, len(fields)):
        value = fields[index]
        if not bracketed[index]:
            continue
        if _YEAR_FIELD_RE.match(value):
            year = year or int(value)
            continue
        match = _EPISODE_FIELD_RE.match(value)
        if match:
            first, last = int(match.group("episode")), match.group("last")
            episodes = episodes_expand(
                first, f"-{last}" if last else "", max_range=MAX_ABSOLUTE_RANGE
            )
            episode_at = index
            break
    if episode_at is None:
        return None
    candidates = [
        value
        for value in fields[1:episode_at]
        if value and not _YEAR_FIELD_RE.match(value) and not _NOTICE_FIELD_RE.search(value)
    ]
    title_text = _field_title(candidates).replace("_", " ")
    title, title_year, season, special = show_title_parts(title_text)
    # A release name written after the layout ("[第01-12集].Title.S01.2022...") names the
    # show in Latin script when the fields before only hold it in another script.
    tail = " ".join(
        v
        for v, b in zip(fields[episode_at + 1 :], bracketed[episode_at + 1 :], strict=True)
        if not b
    )
    pack = _SEASON_PACK_RE.match(tail.strip(" ._"))
    if pack and not any(ord(ch) <= 0x24F and ch.isalpha() for ch in title):
        title = title_clean(pack.group("title"))
        season = int(pack.group("season"))
    if not title:
        return None
    return NameParse(
        kind="episode",
        title=title,
        year=title_year or year,
        season=season,
        episodes=episodes,
        absolute_episodes=episodes if season is None else (),
        special=special,
        rule="bracket_fields",
    )


def title_bracket_number(text: str) -> NameParse | None:
    """ "Title S2 [05][1080p]", "Title (2010) {01} Episode Title": the number in brackets."""
    match = _BRACKET_NUMBER_RE.match(text)
    if not match:
        return None
    number = match.group("episode")
    if len(number) == 4 and _YEARS_RE.fullmatch(number):
        return None
    title, year, season, special = show_title_parts(match.group("title"))
    if not title:
        return None
    episodes = (int(number),)
    return NameParse(
        kind="episode",
        title=title,
        year=year,
        season=season,
        episodes=episodes,
        absolute_episodes=episodes if season is None else (),
        episode_title=episode_title_clean(match.group("rest")),
        special=special,
        rule="title_bracket_number",
    )


def year_then_number(text: str) -> NameParse | None:
    """ "Title 2018 06 720p": a bare number after a year is an episode (not sure)."""
    match = _YEAR_NUMBER_RE.match(text)
    if not match or not _tech_or_end(match.group("rest")):
        return None
    title, _, season, _ = show_title_parts(match.group("title"))
    if not title:
        return None
    episodes = (int(match.group("episode")),)
    return NameParse(
        kind="episode",
        title=title,
        year=int(match.group("year")),
        season=season,
        episodes=episodes,
        absolute_episodes=episodes if season is None else (),
        rule="year_then_number",
        sure=False,
    )


def title_range(text: str) -> NameParse | None:
    """ "Title 1-24 (Dubbed)", "Title (1201-1250) (WEB 1080p)": a batch of episodes."""
    match = _TITLE_RANGE_RE.match(text)
    if not match or not _tech_or_end(match.group("rest")):
        return None
    first, last = match.group("first"), match.group("last")
    if _YEARS_RE.fullmatch(first) and _YEARS_RE.fullmatch(last):
        return None  # "2001-2005" is a run of years
    low, high = int(first), int(last)
    if not low < high <= low + MAX_ABSOLUTE_RANGE:
        return None
    title, year, season, _ = show_title_parts(match.group("title"))
    if not title or is_tech(title.split()[-1]):
        return None
    episodes = tuple(range(low, high + 1))
    return NameParse(
        kind="episode",
        title=title,
        year=year,
        season=season,
        episodes=episodes,
        absolute_episodes=episodes if season is None else (),
        rule="title_range",
    )


def grouped_number(text: str, *, grouped: bool) -> NameParse | None:
    """A fansub release numbered without " - ": "[Group] Title 001 (BD 1080p)"."""
    if not grouped:
        return None
    match = _GROUPED_NUMBER_RE.match(text)
    if not match or not _tech_or_end(match.group("rest")):
        return None
    number = match.group("episode")
    if len(number) == 4 and _YEARS_RE.fullmatch(number):
        return None
    title, year, season, special = show_title_parts(match.group("title"))
    if not title:
        return None
    last_word = title.split()[-1].casefold().rstrip(".")
    if last_word in _NUMBERED_WORDS:
        return None  # "Season 2", "Vol. 3", "Part 2": not an episode number
    if last_word in _FILM_WORDS:
        # "[Grp] Title - Movie 2 [BD]": the second film, not episode 2.
        return NameParse(kind="movie", title=f"{title} {number}", year=year, rule="fansub_film")
    episodes = (int(number),)
    return NameParse(
        kind="episode",
        title=title,
        year=year,
        season=season,
        episodes=episodes,
        absolute_episodes=episodes if season is None else (),
        special=special,
        rule="grouped_number",
    )


def season_then_number(text: str) -> NameParse | None:
    """ "Title S12 500 [1080p]": the number after a season marker is its episode."""
    match = _SEASON_NUMBER_RE.match(text)
    if not match or not _tech_or_end(match.group("rest")):
        return None
    title, year, _, special = show_title_parts(match.group("title"))
    if not title:
        return None
    return NameParse(
        kind="episode",
        title=title,
        year=year,
        season=int(match.group("season")),
        episodes=(int(match.group("episode")),),
        special=special,
        rule="season_then_number",
    )


def padded_number(text: str) -> NameParse | None:
    """ "Title 001 [1080p]": a zero-padded number after a spaced title is its episode."""
    if " " not in text:
        return None
    match = _PADDED_NUMBER_RE.match(text)
    if not match or not _tech_or_end(match.group("rest")):
        return None
    title, year, season, special = show_title_parts(match.group("title"))
    if not title:
        return None
    episodes = (int(match.group("episode")),)
    return NameParse(
        kind="episode",
        title=title,
        year=year,
        season=season,
        episodes=episodes,
        absolute_episodes=episodes if season is None else (),
        special=special,
        rule="padded_number",
    )
