"""The Plex check: does each video's *current* path already follow Plex's naming rules?

It reads paths and the last scan's recognition only (no disk access, nothing
renamed), so it can run on every library page. The rules are Plex's own:

- a movie sits in its own folder whose name carries the year: `Heat (1995)/…`;
- an episode sits in a season folder (`Season 01`, `Season 1`; `Specials` or
  `Season 00` for specials) and its name carries an episode code (`s01e02`,
  `s01e01-e02`) or, for dated shows, the air date (`2024-03-05`);
- an extra sits in one of Plex's extras folders (`Trailers/`, `Featurettes/`, …)
  or ends with Plex's suffix (`-trailer`);
- a split file has at most 8 parts (`pt1` … `pt8`);
- an id tag is well formed: `{tmdb-123}`, `{tvdb-123}`, `{imdb-tt0133093}`.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import QuerySet

from library.models import Library, MediaFile, MediaType
from library.services.naming import (
    ANIME_TYPES,
    EXTRA_FOLDER_NAMES,
    EXTRA_SUFFIX,
    TV_TYPES,
    tags_malformed,
)
from library.services.paths import path_relative


class Problem(models.TextChoices):
    """What keeps a path from Plex's rules; the label is what the user reads."""

    NOT_RECOGNISED = "not_recognised", "not recognised"
    MOVIE_NOT_IN_FOLDER = "movie_not_in_folder", "movie not in its own folder"
    MOVIE_FOLDER_NO_YEAR = "movie_folder_no_year", "movie folder without a year"
    NO_SEASON_FOLDER = "no_season_folder", "episode not in a season folder"
    SPECIAL_NOT_IN_SEASON_00 = "special_not_in_season_00", "special not in Season 00"
    NO_EPISODE_CODE = "no_episode_code", "episode name without an episode code"
    EXTRA_MISPLACED = "extra_misplaced", "extra not where Plex looks for extras"
    TOO_MANY_PARTS = "too_many_parts", "part above 8"
    MALFORMED_ID = "malformed_id", "malformed id tag"


_SEASON_FOLDER = re.compile(r"^season\s*(\d+)$", re.I)
_SPECIALS_FOLDER = re.compile(r"^specials?$", re.I)
_EPISODE_CODE = re.compile(r"s\d{1,4}e\d{1,4}(?:-?e\d{1,4})*|\d{4}-\d{2}-\d{2}", re.I)
_YEAR_IN_FOLDER = re.compile(r"\((?:18|19|20)\d\d\)")
_PART = re.compile(r"[\s._-](?:cd|dvd|part|pt|disc|disk)[\s._-]?(\d+)$", re.I)


@dataclass(frozen=True)
class FileProblems:
    media: MediaFile
    problems: tuple[Problem, ...]


@dataclass
class PlexCheck:
    """Counts by problem over the checked videos, and each file that has one."""

    checked: int = 0
    counts: Counter[Problem] = field(default_factory=Counter)
    files: list[FileProblems] = field(default_factory=list)


def path_problems(media_type: str, extra_type: str, relative: str) -> list[Problem]:
    """Problems of one video at `relative` (its path inside the library, with `/`)."""
    *folders, name = relative.split("/")
    stem = os.path.splitext(name)[0]
    problems = [Problem.MALFORMED_ID] if tags_malformed(relative) else []
    part = _PART.search(stem)
    if part and int(part.group(1)) > 8:
        problems.append(Problem.TOO_MANY_PARTS)
    if extra_type:
        # An extra follows its own rules: Plex finds it by folder or suffix, not name.
        in_folder = bool(folders) and folders[-1].casefold() in EXTRA_FOLDER_NAMES
        if not in_folder and not EXTRA_SUFFIX.search(stem):
            problems.append(Problem.EXTRA_MISPLACED)
        return problems
    if media_type == MediaType.UNKNOWN:
        problems.append(Problem.NOT_RECOGNISED)
    elif media_type == MediaType.MOVIE:
        if not folders:
            problems.append(Problem.MOVIE_NOT_IN_FOLDER)
        elif not _YEAR_IN_FOLDER.search(folders[-1]):
            problems.append(Problem.MOVIE_FOLDER_NO_YEAR)
    elif media_type in TV_TYPES | ANIME_TYPES:
        parent = folders[-1] if folders else ""
        season = _SEASON_FOLDER.match(parent)
        special = media_type in {MediaType.TV_SPECIAL, MediaType.ANIME_SPECIAL}
        if not season and not _SPECIALS_FOLDER.match(parent):
            problems.append(Problem.NO_SEASON_FOLDER)
        elif special and season and int(season.group(1)) != 0:
            problems.append(Problem.SPECIAL_NOT_IN_SEASON_00)
        if not _EPISODE_CODE.search(stem):
            problems.append(Problem.NO_EPISODE_CODE)
    return problems


def plex_check_counts(library: Library) -> tuple[int, list[tuple[str, int]]]:
    """The last scan's Plex check: (files Plex may misread, [(problem label, count)]).

    The scan stores the counts, so pages read them without checking 100,000 paths.
    """
    stored = library.last_scan_summary.get("plex_check") or {}
    counts = stored.get("counts") or {}
    labelled = sorted(
        ((Problem(key).label, n) for key, n in counts.items() if key in Problem.values),
        key=lambda pair: -pair[1],
    )
    return int(stored.get("files", 0)), labelled


def _videos(library: Library) -> QuerySet[MediaFile]:
    return MediaFile.objects.filter(library=library, kind=MediaFile.Kind.VIDEO, missing=False)


def _relative(root: str, path: str) -> str:
    return path_relative(path, root).replace(os.sep, "/")


def library_plex_check(*, library: Library) -> PlexCheck:
    """Every video of `library` (as last scanned, missing files left out) against Plex's rules."""
    result = PlexCheck()
    root = os.path.normpath(library.root_path)
    videos = _videos(library).only("library_id", "path", "media_type", "extra_type")
    for media in videos.order_by("path").iterator():
        result.checked += 1
        problems = path_problems(media.media_type, media.extra_type, _relative(root, media.path))
        if problems:
            result.counts.update(problems)
            result.files.append(FileProblems(media, tuple(problems)))
    return result


def plex_check_tally(*, library: Library) -> dict[str, Any]:
    """What a scan stores for the pages (plex_check_counts reads it): the counts of
    library_plex_check, without loading each video's row."""
    root = os.path.normpath(library.root_path)
    checked, files, counts = 0, 0, Counter[Problem]()
    rows = _videos(library).values_list("path", "media_type", "extra_type")
    for path, media_type, extra_type in rows.iterator(chunk_size=5000):
        checked += 1
        problems = path_problems(media_type, extra_type, _relative(root, path))
        if problems:
            files += 1
            counts.update(problems)
    return {
        "checked": checked,
        "files": files,
        "counts": {str(problem): n for problem, n in counts.items()},
    }


def plex_check_store(library: Library) -> None:
    """Count the Plex check again and keep it with the last scan's summary: after an apply
    or a rollback, whose moved paths a rescan finds unchanged and would not count."""
    summary = {**library.last_scan_summary, "plex_check": plex_check_tally(library=library)}
    Library.objects.filter(pk=library.pk).update(last_scan_summary=summary)
    library.last_scan_summary = summary
