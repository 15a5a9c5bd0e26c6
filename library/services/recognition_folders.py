"""What a file's folders say: a show or movie folder, a season folder, an extras
folder, or a folder that only organises a library ("TV", "Downloads").

Folder names are parsed once per folder (lru_cache): a season folder's episodes
share the work. The title comparisons here decide whether the show folder names
the show better than the file does.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from library.services.recognition_names import name_parse, release_group_strip
from library.services.recognition_parse import is_year, latin_only
from library.services.recognition_text import (
    Tags,
    collapse_spaces,
    first_tech_offset,
    strip_control,
    tags_extract,
    title_and_year,
)

_SEASON_FOLDER_RE = re.compile(
    r"^(?:season|series|saison|staffel|temporada|stagione|seizoen|sezon|säsong|sæson|s)"
    r"[\s._-]*(?P<season>\d{1,4})(?:\s*[(\[].*)?$",
    re.IGNORECASE,
)
_SPECIALS_FOLDER_RE = re.compile(r"^(?:season[\s._-]*)?specials?$", re.IGNORECASE)
_SEASON_PACK_RE = re.compile(
    r"^(?P<title>.+?)[\s._-]+(?:s(?P<a>\d{1,2})(?![0-9]|e\d)|season[\s._-]*(?P<b>\d{1,2})(?!\d)"
    r"|\(season[\s._-]*(?P<c>\d{1,2})\))",
    re.IGNORECASE,
)
_BRACKETS_RE = re.compile(r"\[[^\]]*\]")
_LEADING_BRACKETS_RE = re.compile(r"\s*(?:\[[^\]]*\])?")
_PARENS_RE = re.compile(r"\(([^()]*)\)")
# Folders that organise a library rather than name a show or movie.
_GENERIC_FOLDERS = frozenset(
    {
        "tv",
        "tv shows",
        "tv series",
        "television",
        "shows",
        "series",
        "movies",
        "movie",
        "films",
        "film",
        "anime",
        "anime series",
        "anime movies",
        "animation",
        "cartoons",
        "kids",
        "documentaries",
        "media",
        "videos",
        "video",
        "downloads",
        "download",
        "complete",
        "completed",
        "incoming",
        "library",
        "plex",
        "4k",
        "uhd",
        "subs",
        "subtitles",
        "sub",
    }
)


# Plex's extra types (the folder names and "-suffix" words it reads).
ExtraType = Literal[
    "",
    "behindthescenes",
    "deleted",
    "featurette",
    "interview",
    "scene",
    "short",
    "trailer",
    "other",
]
EXTRAS_FOLDERS: dict[str, ExtraType] = {
    "behind the scenes": "behindthescenes",
    "deleted scenes": "deleted",
    "featurettes": "featurette",
    "interviews": "interview",
    "scenes": "scene",
    "shorts": "short",
    "trailers": "trailer",
    "other": "other",
    "extras": "other",
}


@dataclass(frozen=True, slots=True)
class Folder:
    """What one folder name says. role: "season", "generic", "extras" or "named"."""

    role: Literal["season", "generic", "extras", "named"]
    title: str = ""
    year: int | None = None
    season: int | None = None
    plex_style: bool = False
    anime: bool = False
    tags: Tags = field(default_factory=Tags)
    extra: ExtraType = ""


@dataclass(frozen=True, slots=True)
class FolderContext:
    """What a file's folders say: the nearest named folder is the show or movie."""

    show: Folder | None = None
    season: int | None = None
    season_between: bool = False
    anime: bool = False
    extra: ExtraType = ""
    specials_folder: bool = False


@lru_cache(maxsize=16384)
def folder_parse(name: str) -> Folder:
    text, tags = tags_extract(strip_control(name))
    text = collapse_spaces(text)
    match = _SEASON_FOLDER_RE.match(text)
    if match:
        return Folder(role="season", season=int(match.group("season")))
    if _SPECIALS_FOLDER_RE.match(text):
        return Folder(role="season", season=0)
    folded = text.casefold()
    if folded in EXTRAS_FOLDERS:
        return Folder(role="extras", extra=EXTRAS_FOLDERS[folded])
    if folded in _GENERIC_FOLDERS:
        return Folder(role="generic", anime="anime" in folded)
    text, grouped = release_group_strip(text)
    # Brackets hold release notes, except a leading one that is the title ("[REC] (2007)").
    leading = None if grouped else _LEADING_BRACKETS_RE.match(text)
    lead = leading.group() if leading else ""
    text = lead + _BRACKETS_RE.sub(" ", text[len(lead) :])
    plex_style = (
        not grouped
        and first_tech_offset(text) == len(text)
        and (" " in text.strip() or "." not in text)
    )
    season = None
    match = _SEASON_PACK_RE.match(text)
    if match:
        text = match.group("title")
        season = int(match.group("a") or match.group("b") or match.group("c"))
    else:
        # A single-episode release folder ("Show.S01E01.1080p-GRP") names its show.
        episode = name_parse(text)
        if episode is not None and episode.kind == "episode" and episode.title:
            text = f"{episode.title} ({episode.year})" if episode.year else episode.title
            season = episode.season

    def parenthesis(m: re.Match[str]) -> str:
        inner = m.group(1).strip()
        # A fansub batch folder's notes ("(Batch)", "(Dual Audio)") are not title.
        return m.group(0) if is_year(inner) or not grouped else " "

    text = collapse_spaces(_PARENS_RE.sub(parenthesis, text))
    title, year = title_and_year(text[: first_tech_offset(text)])
    if not title:
        return Folder(role="generic", anime=grouped)
    return Folder(
        role="named",
        title=title,
        year=year,
        season=season,
        plex_style=plex_style,
        anime=grouped or "anime" in folded.split(),
        tags=tags,
    )


@lru_cache(maxsize=16384)
def folder_context(folders: tuple[str, ...]) -> FolderContext:
    show = None
    season = None
    season_between = False
    anime = False
    extra: ExtraType = ""
    specials_folder = False
    for name in reversed(folders):
        folder = folder_parse(name)
        anime = anime or folder.anime
        if show is not None or folder.role == "generic":
            continue
        if folder.role == "extras":
            extra = extra or folder.extra
            continue
        if folder.role == "season":
            specials_folder = specials_folder or (season is None and folder.season == 0)
            season = folder.season if season is None else season
            continue
        show = folder
        season_between = season is not None
        season = folder.season if season is None else season
    return FolderContext(
        show=show,
        season=season,
        season_between=season_between,
        anime=anime,
        extra=extra,
        specials_folder=specials_folder,
    )


@lru_cache(maxsize=16384)
def comparable(title: str) -> str:
    # Composed first: macOS writes "é" as "e" and an accent, which is not alphanumeric.
    return "".join(ch for ch in unicodedata.normalize("NFC", title).casefold() if ch.isalnum())


def related(first: str, second: str) -> bool:
    """One name contains the other and is not much shorter ("k" does not name "Monk")."""
    a, b = sorted((comparable(first), comparable(second)), key=len)
    return bool(a) and a in b and 2 * len(a) >= len(b)


_WORDS_RE = re.compile(r"[^\W_]+")


def abbreviates(short: str, long: str) -> bool:
    """Is short a shortened form of long? "Law & Order - SVU" of "Law & Order - Special
    Victims Unit": every word is the next word of long or the initials of the next words."""
    short_words = [w.casefold() for w in _WORDS_RE.findall(short)]
    long_words = [w.casefold() for w in _WORDS_RE.findall(long)]
    if not short_words or len(short_words) >= len(long_words) + 1:
        return False
    at = 0
    shortened = False
    for word in short_words:
        if at < len(long_words) and long_words[at] == word:
            at += 1
            continue
        initials = "".join(w[0] for w in long_words[at : at + len(word)])
        if len(word) >= 2 and initials == word:
            at += len(word)
            shortened = True
            continue
        return False
    return shortened and at == len(long_words)


def folder_title_wins(show: Folder, file_title: str, context: FolderContext) -> bool:
    """Does the show folder name the show better than the file name does?"""
    if not file_title:
        return True
    if show.plex_style:
        tagged = show.year is not None or show.tags != Tags()
        if tagged or context.season_between:
            return True
    elif not lower_case_copy(file_title, show.title):
        return False
    return related(show.title, file_title) or abbreviates(file_title, show.title)


def lower_case_copy(file_title: str, folder_title: str) -> bool:
    # A lower-case scene file name inside its properly written release folder.
    return file_title == file_title.lower() != folder_title


@lru_cache(maxsize=4096)
def title_conflict(folder_title: str, file_title: str) -> str:
    # Cached: a season's episodes repeat the same pair.
    if (
        comparable(folder_title) == comparable(file_title)
        or related(folder_title, file_title)
        or abbreviates(file_title, folder_title)
        # "오징어 게임" and "Squid Game": one show's names in two scripts cannot be compared.
        or latin_only(folder_title) != latin_only(file_title)
    ):
        return ""
    return f"folder names {folder_title!r} but name says {file_title!r}"
