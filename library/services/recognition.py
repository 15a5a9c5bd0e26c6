"""Recognise TV episodes, movies and anime from a file's path in a library.

`recognise(relative_path)` reads the file name plus its folder names. Common
shapes go through compiled patterns (recognition_names); anything they cannot
place with confidence goes to guessit (recognition_guessit). Folder names are
parsed once per folder (lru_cache): a season folder's episodes share the work.

Rules worth knowing:

- Title: a Plex-style show folder ("Show Name (2019)", spaces, no release
  tokens) gives the show title when it has a year or id tag, when a season
  folder sits between it and the file, or when it names the same show as the
  file; a dotted release name becomes words ("The.Office.US" -> "The Office (US)").
- Anime: an episode is anime when its name starts with a fansub group in
  brackets ("[SubsPlease] ..."), carries a CRC32 tag ("[ABCD1234]"), is numbered
  only absolutely ("One Piece - 1071": Plex TV naming always has a season), or
  sits under a folder whose name says anime ("Anime/", "[Judas] Show (Batch)").
  An anime film is a MOVIE: Plex has no separate anime movie type.
- Specials: season 0 (S00E05, "Specials"/"Season 00" folders) or an OVA, OAD or
  special word makes TV_SPECIAL or ANIME_SPECIAL, with season 0.
- absolute_episode is set for names numbered absolutely ("Title - 12") when
  no season is given anywhere in the path (a season folder turns the number
  into an episode of that season), and for Sonarr's anime names that carry
  both ("Show - S01E12 - 012 - Title").
- Dates: "Show.2024.03.15.Guest" fills air_date; season stays empty unless a
  folder ("Season 2024") gives one.
- A name with no episode marker and no year is a MOVIE only when its folder is
  a movie folder ("Movie (2019)/movie.mkv"); otherwise it is UNKNOWN.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import babelfish

from library.models import MediaType

from .recognition_guessit import guessit_parse
from .recognition_names import NameParse, name_parse, release_group_strip
from .recognition_text import (
    SUBTITLE_EXTENSIONS,
    Tags,
    collapse_spaces,
    first_tech_offset,
    split_extension,
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
_PARENS_RE = re.compile(r"\(([^()]*)\)")
_YEAR_ONLY_RE = re.compile(r"(?:19|20)\d\d")
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
# File systems cap a name at 255 bytes; guessit's cost climbs steeply with
# length, so it never sees more than that of a longer (made-up) name.
_GUESSIT_MAX_CHARS = 255
_SUBS_FOLDER_NAME_RE = re.compile(r"(?:\d{1,3}[\s_.-]+)?([A-Za-z]{2,}(?:[-_][A-Za-z]{2,4})?)")
_SUBTITLE_FLAGS = {"forced": "forced", "foreign": "forced", "sdh": "sdh", "cc": "sdh"}


@dataclass(frozen=True, slots=True)
class Recognition:
    media_type: str
    title: str
    year: int | None
    season: int | None
    episodes: tuple[int, ...]
    absolute_episode: int | None
    air_date: datetime.date | None
    episode_title: str
    tmdb_id: int | None
    tvdb_id: int | None


@dataclass(frozen=True, slots=True)
class SubtitleInfo:
    language: str
    forced: bool
    sdh: bool


@dataclass(frozen=True, slots=True)
class _Folder:
    """What one folder name says. role: "season", "generic" or "named"."""

    role: str
    title: str = ""
    year: int | None = None
    season: int | None = None
    plex_style: bool = False
    anime: bool = False
    tags: Tags = field(default_factory=Tags)


@dataclass(frozen=True, slots=True)
class _Context:
    """What a file's folders say: the nearest named folder is the show or movie."""

    show: _Folder | None = None
    season: int | None = None
    season_between: bool = False
    anime: bool = False


@lru_cache(maxsize=16384)
def _folder_parse(name: str) -> _Folder:
    text, tags = tags_extract(strip_control(name))
    text = collapse_spaces(text)
    match = _SEASON_FOLDER_RE.match(text)
    if match:
        return _Folder(role="season", season=int(match.group("season")))
    if _SPECIALS_FOLDER_RE.match(text):
        return _Folder(role="season", season=0)
    folded = text.casefold()
    if folded in _GENERIC_FOLDERS:
        return _Folder(role="generic", anime="anime" in folded)
    text, grouped = release_group_strip(text)
    text = _BRACKETS_RE.sub(" ", text)
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
        return m.group(0) if _YEAR_ONLY_RE.fullmatch(inner) or not grouped else " "

    text = collapse_spaces(_PARENS_RE.sub(parenthesis, text))
    title, year = title_and_year(text[: first_tech_offset(text)])
    if not title:
        return _Folder(role="generic", anime=grouped)
    return _Folder(
        role="named",
        title=title,
        year=year,
        season=season,
        plex_style=plex_style,
        anime=grouped or "anime" in folded.split(),
        tags=tags,
    )


@lru_cache(maxsize=16384)
def _context(folders: tuple[str, ...]) -> _Context:
    show = None
    season = None
    season_between = False
    anime = False
    for name in reversed(folders):
        folder = _folder_parse(name)
        anime = anime or folder.anime
        if show is not None or folder.role == "generic":
            continue
        if folder.role == "season":
            season = folder.season if season is None else season
            continue
        show = folder
        season_between = season is not None
        season = folder.season if season is None else season
    return _Context(show=show, season=season, season_between=season_between, anime=anime)


@lru_cache(maxsize=16384)
def _comparable(title: str) -> str:
    return "".join(ch for ch in title.casefold() if ch.isalnum())


def _related(first: str, second: str) -> bool:
    """One name contains the other and is not much shorter ("k" does not name "Monk")."""
    a, b = sorted((_comparable(first), _comparable(second)), key=len)
    return bool(a) and a in b and 2 * len(a) >= len(b)


def _folder_title_wins(show: _Folder, file_title: str, context: _Context) -> bool:
    """Does the show folder name the show better than the file name does?"""
    if not file_title:
        return True
    related = _related(show.title, file_title)
    if show.plex_style:
        tagged = show.year is not None or show.tags != Tags()
        return related or tagged or context.season_between
    return related and _lower_case_copy(file_title, show.title)


def _lower_case_copy(file_title: str, folder_title: str) -> bool:
    # A lower-case scene file name inside its properly written release folder.
    return file_title == file_title.lower() != folder_title


def _unknown(tags: Tags) -> Recognition:
    return Recognition(
        media_type=MediaType.UNKNOWN,
        title="",
        year=None,
        season=None,
        episodes=(),
        absolute_episode=None,
        air_date=None,
        episode_title="",
        tmdb_id=tags.tmdb_id,
        tvdb_id=tags.tvdb_id,
    )


def _build(parse: NameParse, context: _Context) -> Recognition:
    """Combine what the file name says with what its folders say."""
    show = context.show
    folder_tags = show.tags if show else Tags()
    tmdb_id = parse.tags.tmdb_id or folder_tags.tmdb_id
    tvdb_id = parse.tags.tvdb_id or folder_tags.tvdb_id
    if parse.kind in {"episode", "bare"}:
        title, year = parse.title, parse.year
        if show is not None and _folder_title_wins(show, parse.title, context):
            title, year = show.title, show.year or year
        season = parse.season if parse.season is not None else context.season
        special = parse.special or season == 0
        if special and season is None:
            season = 0
        if not title:
            return _unknown(Tags(tmdb_id=tmdb_id, tvdb_id=tvdb_id))
        # A season folder turns "Title - 12" into episode 12 of that season.
        from_folder = parse.season is None and season is not None
        absolute = None if from_folder else parse.absolute_episode
        # Numbering without a season is anime's way: Plex TV naming always has one.
        anime = parse.anime or context.anime or absolute is not None
        if anime:
            media_type = MediaType.ANIME_SPECIAL if special else MediaType.ANIME
        else:
            media_type = MediaType.TV_SPECIAL if special else MediaType.TV_SHOW
        return Recognition(
            media_type=media_type,
            title=title,
            year=year,
            season=season,
            episodes=parse.episodes,
            absolute_episode=absolute,
            air_date=parse.air_date,
            episode_title=parse.episode_title,
            tmdb_id=tmdb_id,
            tvdb_id=tvdb_id,
        )
    # The nearest named folder is a movie folder when it has a year and no season.
    movie_folder = show if show and show.year is not None and context.season is None else None
    if parse.kind == "movie":
        title, year = parse.title, parse.year
        if (
            movie_folder is not None
            and movie_folder.year == year
            and (movie_folder.plex_style or _lower_case_copy(title, movie_folder.title))
        ):
            title = movie_folder.title
    elif movie_folder is not None:
        title, year = movie_folder.title, movie_folder.year
    else:
        return _unknown(Tags(tmdb_id=tmdb_id, tvdb_id=tvdb_id))
    return Recognition(
        media_type=MediaType.MOVIE,
        title=title,
        year=year,
        season=None,
        episodes=(),
        absolute_episode=None,
        air_date=None,
        episode_title="",
        tmdb_id=tmdb_id,
        tvdb_id=tvdb_id,
    )


def _path_split(relative_path: str, kind: str | None = None) -> tuple[tuple[str, ...], str, str]:
    """Folder names, the file stem (subtitle language tags removed) and the extension.

    kind ("video" or "subtitle") is given by a caller that already knows the
    last suffix is a media extension (the scan kept the file for it, so an
    extension added on the Settings page counts too); without it, only the
    usual extensions are taken for one.
    """
    parts = [part for part in relative_path.split("/") if part.strip()]
    if not parts:
        return (), "", ""
    name = strip_control(parts[-1])
    if kind is None:
        stem, extension = split_extension(name)
        subtitle = extension in SUBTITLE_EXTENSIONS
    else:
        stem, dot, suffix = name.rpartition(".")
        stem, extension = (stem, suffix.lower()) if dot and stem else (name, "")
        subtitle = kind == "subtitle"
    if subtitle:
        stem = _subtitle_split(stem)[0]
    return tuple(parts[:-1]), stem, extension


def recognise_with_source(
    relative_path: str, *, fast_path: bool = True, kind: str | None = None
) -> tuple[Recognition, str]:
    """recognise(), also saying which parser answered: "fast" or "guessit".

    fast_path=False sends every name to guessit (with the same folder rules),
    which is how the benchmark checks that the fast path costs no accuracy.
    """
    folders, stem, extension = _path_split(relative_path, kind)
    if not stem:
        return _unknown(Tags()), "fast"
    context = _context(folders)
    if fast_path:
        parse = name_parse(stem)
        if parse is None and context.show and context.show.year and context.season is None:
            # "Movie (2019)/movie.mkv": the folder says what the file is.
            parse = NameParse(kind="none", tags=tags_extract(stem)[1])
        if parse is not None and (parse.kind != "bare" or context.season is not None):
            recognition = _build(parse, context)
            if recognition.title or parse.kind == "none":
                return recognition, "fast"
    file_name = f"{stem}.{extension}" if extension else stem
    return _build(guessit_parse(file_name[-_GUESSIT_MAX_CHARS:]), context), "guessit"


def recognise(relative_path: str, *, kind: str | None = None) -> Recognition:
    """What a file is, from its path relative to the library root ('/'-separated).

    kind: "video" or "subtitle" when the caller knows (see _path_split).
    """
    return recognise_with_source(relative_path, kind=kind)[0]


def recognise_guessit_only(relative_path: str) -> Recognition:
    """guessit alone on the whole path, mapped the same way (the benchmark's baseline)."""
    folders, stem, extension = _path_split(relative_path)
    if not stem:
        return _unknown(Tags())
    path = "/".join([*folders, f"{stem}.{extension}" if extension else stem])
    return _build(guessit_parse(path), _Context())


@lru_cache(maxsize=1024)
def _language(token: str) -> str:
    """An IETF tag ("en", "pt-BR") for a language code or name, or ""."""
    lowered = token.lower()
    attempts: list[tuple[Callable[[str], babelfish.Language], str]] = []
    if len(token) == 2:
        attempts.append((babelfish.Language.fromalpha2, lowered))
    elif len(token) == 3:
        attempts += [(babelfish.Language.fromalpha3b, lowered), (babelfish.Language, lowered)]
    elif "-" in token or "_" in token:
        language, _, region = token.replace("_", "-").partition("-")
        attempts.append((babelfish.Language.fromietf, f"{language.lower()}-{region}"))
    elif token.isalpha():
        attempts.append((babelfish.Language.fromname, token.capitalize()))
    for convert, value in attempts:
        try:
            tag = str(convert(value))
        except (ValueError, babelfish.Error):
            continue
        return "" if tag == "und" else tag
    return ""


def _subtitle_split(stem: str) -> tuple[str, SubtitleInfo]:
    """Split "Movie (2019).en.forced" into the video's stem and the subtitle's flags."""
    parts = stem.split(".")
    language = ""
    flags: set[str] = set()
    hearing_impaired_code = False  # "hi" is Hindi unless another language is named
    kept = len(parts)
    while kept > 1 and len(parts) - kept < 4:
        token = parts[kept - 1]
        lowered = token.lower()
        if lowered in _SUBTITLE_FLAGS:
            flags.add(_SUBTITLE_FLAGS[lowered])
        elif lowered == "hi" and not hearing_impaired_code and not language:
            hearing_impaired_code = True
        elif lowered == "default":
            pass
        elif not language and (code := _language(token)):
            language = code
        else:
            break
        kept -= 1
    if hearing_impaired_code:
        if language:
            flags.add("sdh")
        else:
            language = "hi"
    if len(parts) == 1 and (match := _SUBS_FOLDER_NAME_RE.fullmatch(stem)):
        # A release's Subs folder names files by language alone: "2_English.srt".
        language = _language(match.group(1))
    info = SubtitleInfo(language=language, forced="forced" in flags, sdh="sdh" in flags)
    return ".".join(parts[:kept]), info


def subtitle_info(file_name: str) -> SubtitleInfo:
    """Language and forced/SDH flags from a subtitle name ("Movie.en.forced.srt")."""
    stem, _ = split_extension(strip_control(file_name.rsplit("/", 1)[-1]))
    return _subtitle_split(stem)[1]
