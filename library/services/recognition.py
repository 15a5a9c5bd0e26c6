"""Recognise TV episodes, movies and anime from a file's path in a library.

`recognise(relative_path, *, kind=None, library_kind="mixed")` reads the file
name plus its folder names. The name goes through ordered, named rules
(recognition_names runs them; recognition_rules_episode, _anime and _movie hold
them); the first rule that answers decides and its name is kept as
Recognition.rule. A name no rule places goes to guessit (recognition_guessit,
cached by name); a rule unsure of its shape (a scene code, a number after a
year, a fansub film) is reconciled with guessit's reading (`_reconcile`).
Folder names are parsed once per folder (lru_cache): a season folder's
episodes share the work.

Rules worth knowing:

- Title: a Plex-style show folder ("Show Name (2019)", spaces, no release
  tokens) gives the show title when it has a year or id tag, when a season
  folder sits between it and the file, or when it names the same show as the
  file (also as an abbreviation: "Law & Order - SVU" of "Law & Order - Special
  Victims Unit"); a dotted release name becomes words ("The.Office.US" -> "The
  Office (US)", country "US"). A title in two scripts keeps its Latin one. A
  name without a year takes the year of a folder naming the same show ("[Grp]
  Show (1998) (Season 1) [BD]/[Grp] Show - 01").
- Anime: an episode is anime when its name starts with a fansub group in
  brackets ("[SubsPlease] ..."), carries a CRC32 tag ("[ABCD1234]"), is numbered
  only absolutely ("One Piece - 1071": Plex TV naming always has a season), or
  sits under a folder whose name says anime ("Anime/", "[Judas] Show (Batch)"),
  or in an anime library. An anime film is a MOVIE: Plex has no anime movie type.
- Specials: season 0 (S00E05, "Specials"/"Season 00" folders) or an OVA, OAD or
  special word makes TV_SPECIAL or ANIME_SPECIAL, with season 0. Under a movie
  folder, "Specials" (like Plex's extras folders, "-trailer" suffixes and a name
  that is only an extra's word, "trailer.mkv") holds extras: Recognition.extra,
  with the movie's title and year.
- absolute_episode(s) are set for names numbered absolutely ("Title - 12") when
  no season is given anywhere in the path (a season folder turns the number
  into an episode of that season), and for names that carry both ("Show -
  S01E12 - 012 - Title", "[Grp] Show - 12 (S01E12)").
- Dates: "Show.2024.03.15.Guest" fills air_date; season stays empty unless a
  folder ("Season 2024") gives one.
- A name with no episode marker and no year is a MOVIE only when its folder is
  a movie folder ("Movie (2019)/movie.mkv"); otherwise it is UNKNOWN. A name
  with a marker but no show title ("S01E04") keeps its numbers; its show
  folder names the show.
- Folders and name disagreeing (Season 2 folder, S03 name) keep the name's
  reading and say so in Recognition.conflict.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import NamedTuple

import babelfish

from library.models import MediaType
from library.services.naming import EXTRA_SUFFIX_WORDS
from library.services.recognition_folders import (
    ExtraType,
    FolderContext,
    comparable,
    folder_context,
    folder_title_wins,
    lower_case_copy,
    title_conflict,
)
from library.services.recognition_guessit import guessit_parse
from library.services.recognition_names import LibraryKind, NameParse, name_parse
from library.services.recognition_rules_episode import split_label
from library.services.recognition_text import (
    SUBTITLE_EXTENSIONS,
    Tags,
    split_extension,
    strip_control,
    tags_extract,
)
from library.services.titles import case_clearly_wrong, title_case_fix

# File systems cap a name at 255 bytes; guessit's cost climbs steeply with
# length, so it never sees more than that of a longer (made-up) name.
_GUESSIT_MAX_CHARS = 255
_SUBS_FOLDER_NAME_RE = re.compile(r"(?:\d{1,3}[\s_.-]+)?([A-Za-z]{2,}(?:[-_][A-Za-z]{2,4})?)")
_SUBTITLE_FLAGS = {"forced": "forced", "foreign": "forced", "sdh": "sdh", "cc": "sdh"}


# Plex's "-trailer" suffix, read with spaces around the dash too ("Movie - trailer").
_EXTRA_SUFFIX_RE = re.compile(rf"\s*-\s*(?P<extra>{EXTRA_SUFFIX_WORDS})\d{{0,2}}$", re.IGNORECASE)
# A name that is only an extra's word ("trailer", "Featurette 2"): the folder names the film.
_EXTRA_NAME_RE = re.compile(rf"(?P<extra>{EXTRA_SUFFIX_WORDS})[\s._-]?\d{{0,2}}", re.IGNORECASE)
_NO_TAGS = Tags()
_EXTRA_SUFFIXES = frozenset(EXTRA_SUFFIX_WORDS.split("|"))
_COUNTRY_IN_TITLE_RE = re.compile(r"\((US|UK|AU|NZ|CA|GB)\)$")


@dataclass(frozen=True, slots=True)
class Recognition:
    """What a file is. The fields after tvdb_id were added later: they have defaults
    (existing callers keep working) and compare=False, so == still means "the same
    media" whatever the evidence, labels or extra details a reading carries.

    absolute_episodes: every absolute number ("101-140"); absolute_episode is the first.
    country: a country written beside the title ("US"); the title keeps Plex's "(US)".
    imdb_id: "tt0133093" from "{imdb-tt0133093}" in the name or a folder.
    edition: "{edition-…}" or an edition word ("Director's Cut", "Extended Edition").
    part: a split film's or episode's part (cd1, disc2, part3, pt1: 1..8).
    version: a multi-version label as written ("1080p", "4K", "2160p Remux").
    extra: Plex's extra type ("trailer", "featurette", ... "other"), or "".
    episode_fraction: a half episode as written ("12.5"); episodes stay empty.
    rule: the rule that decided ("season_episode", "absolute_dash", "guessit", ...).
    name_said / folder_said: what the file name and its folders said, in short.
    conflict: a sentence when folder and name disagree (the name's reading is kept).
    """

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
    absolute_episodes: tuple[int, ...] = field(default=(), compare=False)
    country: str = field(default="", compare=False)
    imdb_id: str | None = field(default=None, compare=False)
    edition: str = field(default="", compare=False)
    part: int | None = field(default=None, compare=False)
    version: str = field(default="", compare=False)
    extra: ExtraType = field(default="", compare=False)
    episode_fraction: str = field(default="", compare=False)
    rule: str = field(default="", compare=False)
    name_said: str = field(default="", compare=False)
    folder_said: str = field(default="", compare=False)
    conflict: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class SubtitleInfo:
    language: str
    forced: bool
    sdh: bool


def _unknown(tags: Tags, *, rule: str = "") -> Recognition:
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
        imdb_id=tags.imdb_id,
        edition=tags.edition,
        rule=rule,
    )


def _name_said(parse: NameParse) -> str:
    """A short text of what the file name alone says."""
    if parse.kind == "none":
        return "nothing recognisable"
    parts: list[str] = [parse.kind]
    if parse.title:
        parts.append(repr(parse.title))
    if parse.year:
        parts.append(f"({parse.year})")
    if parse.season is not None:
        parts.append(f"season {parse.season}")
    if parse.episodes:
        parts.append("episode " + ",".join(str(e) for e in parse.episodes))
    if parse.absolute_episodes:
        parts.append("absolute " + ",".join(str(e) for e in parse.absolute_episodes))
    if parse.air_date:
        parts.append(parse.air_date.isoformat())
    return " ".join(parts)


@lru_cache(maxsize=4096)
def _folder_said(context: FolderContext) -> str:
    parts: list[str] = []
    if context.show is not None:
        year = f" ({context.show.year})" if context.show.year else ""
        parts.append(f"{context.show.title!r}{year}")
    if context.season is not None:
        parts.append(f"season {context.season}")
    if context.extra:
        parts.append(f"extras ({context.extra})")
    if context.anime:
        parts.append("anime")
    return " ".join(parts)


def _conflict(parse: NameParse, context: FolderContext, folder_title_used: bool) -> str:
    """A sentence when folders and name disagree; the name's numbers are kept."""
    notes = []
    # A special's s00 wins over its season folder: Plex files it under Specials by the name.
    if parse.season and context.season is not None and parse.season != context.season:
        notes.append(f"folder says season {context.season} but name says season {parse.season}")
    show = context.show
    # A folder with an id tag names its show for Plex, whatever a file inside says.
    identified = show is not None and (show.tags.tvdb_id or show.tags.tmdb_id or show.tags.imdb_id)
    if folder_title_used and show is not None and parse.title and not identified:
        title_note = title_conflict(show.title, parse.title)
        if title_note:
            notes.append(title_note)
    return "; ".join(notes)


def _country(title: str) -> str:
    match = _COUNTRY_IN_TITLE_RE.search(title)
    return match.group(1) if match else ""


class _Details(NamedTuple):
    """The evidence and labels every Recognition of one name carries."""

    imdb_id: str | None
    edition: str
    version: str
    extra: ExtraType
    rule: str
    name_said: str
    folder_said: str


def _recognition(
    details: _Details,
    tags: Tags,
    media_type: str,
    title: str,
    year: int | None,
    *,
    season: int | None = None,
    episodes: tuple[int, ...] = (),
    absolute: tuple[int, ...] = (),
    air_date: datetime.date | None = None,
    episode_title: str = "",
    part: int | None = None,
    episode_fraction: str = "",
    conflict: str = "",
) -> Recognition:
    # One constructor call (dataclasses.replace costs a tenth of the fast path).
    return Recognition(
        media_type=media_type,
        title=title,
        year=year,
        season=season,
        episodes=episodes,
        absolute_episode=absolute[0] if absolute else None,
        air_date=air_date,
        episode_title=episode_title,
        tmdb_id=tags.tmdb_id,
        tvdb_id=tags.tvdb_id,
        absolute_episodes=absolute,
        country=_country(title),
        imdb_id=details.imdb_id,
        edition=details.edition,
        part=part,
        version=details.version,
        extra=details.extra,
        episode_fraction=episode_fraction,
        rule=details.rule,
        name_said=details.name_said,
        folder_said=details.folder_said,
        conflict=conflict,
    )


def _build(
    parse: NameParse,
    context: FolderContext,
    *,
    library_kind: LibraryKind = "mixed",
    extra: ExtraType = "",
) -> Recognition:
    """Combine what the file name says with what its folders say."""
    show = context.show
    tags = parse.tags
    if (show is not None and show.tags != _NO_TAGS) or (parse.edition and not tags.edition):
        folder_tags = show.tags if show else _NO_TAGS
        tags = Tags(
            tmdb_id=parse.tags.tmdb_id or folder_tags.tmdb_id,
            tvdb_id=parse.tags.tvdb_id or folder_tags.tvdb_id,
            imdb_id=parse.tags.imdb_id or folder_tags.imdb_id,
            edition=parse.edition or parse.tags.edition or folder_tags.edition,
        )
    extra = extra or context.extra
    details = _Details(
        imdb_id=tags.imdb_id,
        edition=tags.edition,
        version=parse.version,
        extra=extra,
        rule=parse.rule,
        name_said=_name_said(parse),
        folder_said=_folder_said(context),
    )
    if extra and show is not None and parse.kind != "episode":
        # An extra's title and year are its movie's or show's, from the folder.
        parse = NameParse(kind="movie" if show.year and context.season is None else "none")
    if parse.kind in {"episode", "bare"} and not extra:
        title, year = parse.title, parse.year
        folder_title_used = show is not None and folder_title_wins(show, parse.title, context)
        if show is not None and folder_title_used:
            title, year = show.title, show.year or year
        elif show is not None and year is None and comparable(show.title) == comparable(title):
            # "[Grp] Show (1998) (Season 1) [BD]/[Grp] Show - 01": the name keeps its own
            # spelling, and the folder naming the same show gives the year it lacks.
            year = show.year
        season = parse.season if parse.season is not None else context.season
        special = parse.special or season == 0
        if special and season is None:
            season = 0
        # "S01E04" alone still says which episode (family 3: in a Plex library the
        # show folder names the show); a bare "12" or "E1" with no title says too little.
        numbered = bool(parse.episodes or parse.episode_fraction) and parse.season is not None
        if not title and not (numbered and parse.kind == "episode"):
            return _recognition(details, tags, MediaType.UNKNOWN, "", None)
        # A season folder turns "Title - 12" into episode 12 of that season.
        from_folder = parse.season is None and season is not None
        absolute = () if from_folder else parse.absolute_episodes
        # Numbering without a season is anime's way: Plex TV naming always has one.
        anime = parse.anime or context.anime or bool(absolute) or library_kind == "anime"
        if anime:
            media_type = MediaType.ANIME_SPECIAL if special else MediaType.ANIME
        else:
            media_type = MediaType.TV_SPECIAL if special else MediaType.TV_SHOW
        episode_title, part = split_label(parse.episode_title)
        episode_title = _episode_title_case(parse.title, episode_title)
        return _recognition(
            details,
            tags,
            media_type,
            title,
            year,
            season=season,
            episodes=parse.episodes,
            absolute=absolute,
            air_date=parse.air_date,
            episode_title=episode_title,
            part=part,
            episode_fraction=parse.episode_fraction,
            conflict=_conflict(parse, context, folder_title_used),
        )
    # The nearest named folder is a movie folder when it has a year and no season.
    # ("Movie (2019)/Specials/x.mkv": a movie's Specials folder holds extras, not season 0.)
    no_season = context.season is None or (bool(extra) and context.specials_folder)
    movie_folder = show if show and show.year is not None and no_season else None
    if extra and show is not None and movie_folder is None:
        # A show's extra: the show, no episode.
        media_type = MediaType.ANIME if context.anime else MediaType.TV_SHOW
        return _recognition(details, tags, media_type, show.title, show.year)
    if parse.kind == "movie":
        title, year = parse.title, parse.year
        if (
            movie_folder is not None
            and (movie_folder.year == year or extra)
            and (movie_folder.plex_style or lower_case_copy(title, movie_folder.title) or extra)
        ):
            title, year = movie_folder.title, movie_folder.year
    elif movie_folder is not None:
        title, year = movie_folder.title, movie_folder.year
    else:
        return _recognition(details, tags, MediaType.UNKNOWN, "", None)
    return _recognition(details, tags, MediaType.MOVIE, title, year, part=parse.part)


def _episode_title_case(title: str, episode_title: str) -> str:
    """The episode title, its case fixed when the name was typed in the wrong case as a
    whole ("the.office.us.s03e01.gay.witch.hunt", "SHOGUN.S01E02.SERVANTS.OF.TWO.MASTERS").
    Decided here, from the name as typed: a curated "Mr. Robot - s01e01 - eps1.0_hellofriend"
    keeps its lower case, and a renamed file, read again, keeps what was written."""
    if episode_title and case_clearly_wrong(f"{title} {episode_title}"):
        return title_case_fix(episode_title)
    return episode_title


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


def _same_numbers(first: NameParse, second: NameParse) -> bool:
    return (
        first.kind == second.kind
        and first.season == second.season
        and set(first.episodes) == set(second.episodes)
    )


def _reconcile(fast: NameParse, file_name: str) -> NameParse:
    """A rule unsure of its shape meets guessit's reading of the same name.

    Agreement (or guessit finding nothing) keeps the rule's reading. guessit wins
    only where it read something the rule cannot: a film year where the rule
    read numbering ("Fahrenheit.451.1966"), or a season and episode where the
    rule saw a film.
    """
    guess = guessit_parse(file_name[-_GUESSIT_MAX_CHARS:])
    if guess.kind == "none" or _same_numbers(fast, guess):
        return fast
    if (fast.kind == "episode" and guess.kind == "movie" and guess.year and fast.year is None) or (
        fast.kind == "movie" and guess.kind == "episode" and guess.season is not None
    ):
        return replace(guess, rule=f"guessit over {fast.rule}", version=fast.version)
    return fast


def recognise_with_source(
    relative_path: str,
    *,
    fast_path: bool = True,
    kind: str | None = None,
    library_kind: LibraryKind = "mixed",
) -> tuple[Recognition, str]:
    """recognise(), also saying which parser answered: "fast" or "guessit".

    fast_path=False sends every name to guessit (with the same folder rules),
    which is how the benchmark checks that the fast path costs no accuracy.
    """
    folders, stem, extension = _path_split(relative_path, kind)
    if not stem:
        return _unknown(Tags(), rule="empty name"), "fast"
    context = folder_context(folders)
    # Cheap test first: nearly every release name has a "-", few end in an extra's word.
    tail = stem.rpartition("-")[2].strip().lower().rstrip("0123456789")
    suffix = _EXTRA_SUFFIX_RE.search(stem) if tail in _EXTRA_SUFFIXES else None
    extra: ExtraType = ""
    if suffix and suffix.start() > 0:
        # "Movie (2019)-trailer": Plex's extra suffix; the rest names the movie.
        extra = suffix.group("extra").lower()  # type: ignore[assignment]
        stem = stem[: suffix.start()]
    elif not context.extra and (alone := _EXTRA_NAME_RE.fullmatch(stem)):
        # "Movie (2019)/trailer.mkv": a name that is only the extra's word (an extras
        # folder's kind wins, as it does for Plex).
        extra = alone.group("extra").lower()  # type: ignore[assignment]
    elif context.specials_folder and context.show and context.show.year and not context.extra:
        extra = "other"  # "Movie (2019)/Specials/...": a movie has no season 0
    file_name = f"{stem}.{extension}" if extension else stem
    parse: NameParse | None = None
    if fast_path:
        parse = name_parse(stem, library_kind)
        if parse is not None and parse.kind == "episode" and extra == "other" and not suffix:
            extra = ""  # an episode in a Specials folder is a special, not an extra
        if parse is None and context.show and context.show.year and context.season is None:
            # "Movie (2019)/movie.mkv": the folder says what the file is.
            parse = NameParse(kind="none", tags=tags_extract(stem)[1], rule="movie_folder")
        if parse is not None and not parse.sure:
            parse = _reconcile(parse, file_name)
        # A bare number ("05 - Title") is an episode of the folders' show: of its season
        # folder, or (season unknown) of a named show folder; alone it is guessit's.
        placed = context.season is not None or (context.show is not None and not extra)
        if parse is not None and (parse.kind != "bare" or placed):
            recognition = _build(parse, context, library_kind=library_kind, extra=extra)
            if recognition.title or parse.kind == "none" or recognition.episodes or extra:
                return recognition, "fast"
    bare_title = parse.episode_title if parse is not None and parse.kind == "bare" else ""
    parse = guessit_parse(file_name[-_GUESSIT_MAX_CHARS:])
    if bare_title and parse.title == bare_title:
        # "E05 - Night Train": guessit took the episode title for the show (family 3).
        parse = replace(parse, title="", rule="guessit without the episode title")
    if library_kind == "movies" and parse.kind == "episode" and parse.season is None:
        # A movies library never takes a bare number for an episode.
        parse = replace(parse, kind="movie" if parse.title else "none", episodes=())
    return _build(parse, context, library_kind=library_kind, extra=extra), "guessit"


def recognise(
    relative_path: str, *, kind: str | None = None, library_kind: LibraryKind = "mixed"
) -> Recognition:
    """What a file is, from its path relative to the library root ('/'-separated).

    kind: "video" or "subtitle" when the caller knows (see _path_split).
    library_kind: "tv", "movies", "anime" or "mixed" (the default), a prior on
    ambiguous numbers: a movies library never reads a bare number as an episode,
    an anime library reads "Title - 07" (even "- 2002") as an episode and files
    episodes as anime.
    """
    return recognise_with_source(relative_path, kind=kind, library_kind=library_kind)[0]


@lru_cache(maxsize=1024)
def language_tag(token: str) -> str:
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
        elif not language and (code := language_tag(token)):
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
        language = language_tag(match.group(1))
    info = SubtitleInfo(language=language, forced="forced" in flags, sdh="sdh" in flags)
    return ".".join(parts[:kept]), info


def subtitle_info(file_name: str) -> SubtitleInfo:
    """Language and forced/SDH flags from a subtitle name ("Movie.en.forced.srt")."""
    stem, _ = split_extension(strip_control(file_name.rsplit("/", 1)[-1]))
    return _subtitle_split(stem)[1]
