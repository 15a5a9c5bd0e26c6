"""The recognition fallback: guessit's answer mapped onto a NameParse.

guessit costs milliseconds a name, so it only sees what the fast path could
not place with confidence (and the benchmark's guessit-only baseline).
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache
from typing import Any

from guessit import guessit

from .recognition_parse import NameParse, ParseKind, latin_title, release_group_strip
from .recognition_text import tags_extract

_DASH_RE = re.compile(r"[\s.]-[\s.]")
# guessit's words for a special or an original video animation.
_SPECIAL_DETAILS = frozenset({"Special", "Omake"})
_SPECIAL_OTHER = frozenset({"Original Animated Video", "Original Animation DVD"})
# A movie guess without a year needs one of these before we call it a movie.
_RELEASE_KEYS = ("screen_size", "source", "video_codec", "audio_codec", "release_group")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first_int(value: Any) -> int | None:
    values = [v for v in _as_list(value) if isinstance(v, int)]
    return values[0] if values else None


@lru_cache(maxsize=8192)
def guessit_parse(text: str) -> NameParse:
    """guessit on a name or a relative path, mapped onto the same fields as the fast path.

    Cached by name: a rescan, the reconciliation step and the benchmark ask again.
    """
    guess = guessit(text)
    _, tags = tags_extract(text)
    file_name = text.rsplit("/", 1)[-1]
    _, grouped = release_group_strip(file_name)
    title = latin_title(str(guess.get("title", "")))
    if "country" in guess and title:
        title = f"{title} ({guess['country'].alpha2})"
    season = _first_int(guess.get("season"))
    episodes = tuple(v for v in _as_list(guess.get("episode")) if isinstance(v, int))
    air_date = guess.get("date") if isinstance(guess.get("date"), datetime.date) else None
    details = set(_as_list(guess.get("episode_details")))
    other = set(_as_list(guess.get("other")))
    special = season == 0 or bool(details & _SPECIAL_DETAILS) or bool(other & _SPECIAL_OTHER)
    if special and season is None:
        season = 0
    year = _first_int(guess.get("year"))
    is_episode = guess.get("type") == "episode" or special
    kind: ParseKind
    if is_episode and (episodes or air_date or season is not None):
        kind = "episode"
    elif not is_episode and title and (year or any(key in guess for key in _RELEASE_KEYS)):
        kind = "movie"
    else:
        kind = "none"
    # "[Group] Title - 12" is anime's absolute numbering; "Drama.E01" is a plain episode.
    anime_style = grouped or "crc32" in guess or _DASH_RE.search(file_name) is not None
    absolute_numbering = kind == "episode" and season is None and episodes and anime_style
    return NameParse(
        kind=kind,
        title=title,
        year=year,
        season=season,
        episodes=episodes,
        absolute_episodes=episodes if absolute_numbering else (),
        air_date=air_date,
        episode_title=str(guess.get("episode_title", "")),
        special=special,
        anime=grouped or "crc32" in guess,
        tags=tags,
        rule="guessit",
    )
