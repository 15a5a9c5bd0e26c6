"""Plex naming: the path a recognised media file should have inside its library.

A naming template is a relative path with `/` between folders, written
without the file extension (it is appended). `{placeholder}` is replaced by a
value; a part in square brackets, such as `[ ({year})]`, is kept only when
every placeholder inside it has a value, so a movie without a year is named
`Movie.mkv`, not `Movie ().mkv`. Each rendered folder and file name is then
made valid on Windows, macOS and Linux (see `component_sanitise`), with
titles normalised once by `library.services.titles`.

Plex's tags ({tmdb-603}, {imdb-tt0133093}, {edition-Final Cut}) and its part
and version labels come from the file's current path (the recogniser reads
them). A template without the placeholder for a tag the file has would drop
what Plex reads: such a file is held back by the plan (`tags_dropped`), never
renamed without it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

from library.errors import TemplateError
from library.models import ExtraType, MediaFile, MediaType
from library.services.titles import name_characters_fix, title_normalise
from plexomatic_site.settings_store import settings_current

PLACEHOLDERS: dict[str, str] = {
    "title": "show or movie title",
    "year": "release year (e.g. 2019)",
    "season": "season number, two digits (Season 00 holds specials; the year for dated shows)",
    "episode_code": "s01e02, s01e01-e02 for several episodes, or 2024-03-05 for dated shows",
    "episode_title": "episode title",
    "absolute": "absolute episode number, three digits (anime)",
    "tmdb": "TMDB tag such as {tmdb-603}",
    "tvdb": "TVDB tag such as {tvdb-81189}",
    "imdb": "IMDb tag such as {imdb-tt0133093}",
    "edition": "edition tag such as {edition-Final Cut}",
    "part": "part of a split file: pt1 … pt8",
    "version": "version label of one of several files of a film, such as 1080p or 4K",
}
IMDB_ID = re.compile(r"tt\d{7,10}")

_PLACEHOLDER = re.compile(r"\{([^{}\[\]]*)\}")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_SECTION_OR_PLACEHOLDER = re.compile(r"\[([^\[\]]*)\]|\{([^{}\[\]]*)\}")
# Characters Windows refuses in a name (macOS refuses ':' in Finder, Linux '/').
_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"COM{n}" for n in "123456789¹²³"]
    + [f"LPT{n}" for n in "123456789¹²³"]
)
MAX_COMPONENT_BYTES = 255
# Plex's extras folders, by extra type, and the suffix it reads at the end of a name.
EXTRA_FOLDERS: dict[str, str] = {
    ExtraType.TRAILER: "Trailers",
    ExtraType.FEATURETTE: "Featurettes",
    ExtraType.BEHIND_THE_SCENES: "Behind The Scenes",
    ExtraType.DELETED: "Deleted Scenes",
    ExtraType.INTERVIEW: "Interviews",
    ExtraType.SCENE: "Scenes",
    ExtraType.SHORT: "Shorts",
    ExtraType.OTHER: "Other",
}
# "Extras/" is not Plex's, but common: an extra there belongs to the film above it too.
EXTRA_FOLDER_NAMES = frozenset(name.casefold() for name in EXTRA_FOLDERS.values()) | {"extras"}
# Plex's extra suffixes: the extra types' words, numbered when there are several
# ("-deleted1"). Plex reads them glued to the name; the recogniser is more lenient.
EXTRA_SUFFIX_WORDS = "|".join(t for t in ExtraType.values if t)
EXTRA_SUFFIX = re.compile(rf"-(?:{EXTRA_SUFFIX_WORDS})\d{{0,2}}$", re.I)
TV_TYPES = frozenset({MediaType.TV_SHOW, MediaType.TV_SPECIAL})
ANIME_TYPES = frozenset({MediaType.ANIME, MediaType.ANIME_SPECIAL})


def template_validate(template: str) -> None:
    """Refuse a template that could not name every file safely, with a sentence why."""
    if not template.strip():
        raise TemplateError("A naming template cannot be empty.")
    valid = f"Valid placeholders: {', '.join('{' + n + '}' for n in PLACEHOLDERS)}."
    unknown = sorted({name for name in _PLACEHOLDER.findall(template) if name not in PLACEHOLDERS})
    if unknown:
        raise TemplateError(
            f"Unknown placeholder(s): {', '.join('{' + n + '}' for n in unknown)}. {valid}"
        )
    stripped = _OPTIONAL.sub(lambda m: m.group(1), template)
    if any(c in stripped for c in "[]"):
        raise TemplateError(f"Square brackets must come in pairs and cannot be nested. {valid}")
    if any(c in _PLACEHOLDER.sub("", stripped) for c in "{}"):
        raise TemplateError(f"Curly braces are only for placeholders such as {{title}}. {valid}")
    if "{title}" not in template:
        raise TemplateError("A naming template must contain {title}.")
    if template.startswith("/") or "\\" in template:
        raise TemplateError("Write the template as a relative path with / between folders.")
    parts = template.split("/")
    if any(not part.strip() or part.strip() in {".", ".."} for part in parts):
        raise TemplateError("Every folder in the template needs a name (no empty, . or .. parts).")


@lru_cache(maxsize=65536)  # a pure function of its arguments, called for every name
def component_sanitise(
    name: str, *, keep_suffix: str = "", limit: int = MAX_COMPONENT_BYTES
) -> str:
    """One folder or file name that Windows, macOS and Linux all accept.

    Illegal characters get their stand-in (`titles.name_characters_fix`:
    `Title: Sub` becomes `Title - Sub`), trailing dots and spaces are removed
    from the end of the whole name only (Windows refuses them there; a title
    ending in `...` before `.mkv` is valid), Windows device names (CON, COM1,
    …) are suffixed with `_`, and the name is shortened to 255 bytes of UTF-8
    at a character boundary, keeping `keep_suffix` (the extension, with a
    sidecar's `.en.forced`) whole.
    """
    name = name_characters_fix(name)
    if not keep_suffix:
        name = name.rstrip(". ")
    if not name.strip(". "):
        name = "_"
    first, dot, rest = name.partition(".")
    if first.upper() in _WINDOWS_RESERVED:
        # Windows reserves these names whatever the extension.
        name = f"{first}_{dot}{rest}"
    budget = limit - len(keep_suffix.encode())
    if len(name.encode()) > budget:
        name = name.encode()[:budget].decode(errors="ignore").rstrip(" ")
        if not keep_suffix:
            name = name.rstrip(". ")
        name = name or "_"
    return name + keep_suffix


def _render_part(part: str, values: dict[str, str]) -> str:
    def fill(text: str) -> str:
        return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), text)

    def section(match: re.Match[str]) -> str:
        if match.group(2) is not None:
            return values.get(match.group(2), "")
        names = _PLACEHOLDER.findall(match.group(1))
        return fill(match.group(1)) if all(values.get(name) for name in names) else ""

    # One pass, so a value such as "{tmdb-603}" is never read as a placeholder.
    return _SECTION_OR_PLACEHOLDER.sub(section, part)


def _tag_value(value: str) -> str:
    # Inside {edition-…} a brace would end the tag early; the rest as any name.
    return name_characters_fix(value.replace("{", "").replace("}", "")).strip(" .")


def tags_of(media: MediaFile) -> dict[str, str]:
    """What Plex reads from a file's path besides title, year and numbers, rendered."""
    imdb = media.imdb_id.strip() if media.imdb_id else ""
    edition = _tag_value(media.edition or "")
    version = _tag_value(media.version or "")
    return {
        "tmdb": f"{{tmdb-{media.tmdb_id}}}" if media.tmdb_id else "",
        "tvdb": f"{{tvdb-{media.tvdb_id}}}" if media.tvdb_id else "",
        # A malformed IMDb id is not a tag Plex reads; naming it would look like one.
        "imdb": f"{{imdb-{imdb}}}" if IMDB_ID.fullmatch(imdb) else "",
        "edition": f"{{edition-{edition}}}" if edition else "",
        "part": f"pt{media.part}" if media.part else "",
        "version": version,
    }


# Anything written like a Plex id tag; tags_malformed keeps those Plex cannot read.
_ID_TAG_LIKE = re.compile(r"\{(tmdb|tvdb|imdb)-([^{}]*)\}", re.IGNORECASE)


def tags_malformed(text: str) -> list[str]:
    """Id tags in `text` that Plex would not read (`{tmdb-abc}`); they stay as text."""
    bad = []
    for match in _ID_TAG_LIKE.finditer(text):
        kind, value = match.group(1).lower(), match.group(2)
        valid = IMDB_ID.fullmatch(value) if kind == "imdb" else value.isdigit()
        if not valid:
            bad.append(match.group())
    return bad


# Tags Plex reads in a folder or file name, well formed.
_PLEX_TAG = re.compile(r"\{(?:tmdb-\d+|tvdb-\d+|imdb-tt\d{7,10}|edition-[^{}]+)\}", re.IGNORECASE)


def tags_in_path(text: str) -> list[str]:
    """The Plex tags (`{tmdb-604}`, `{edition-Final Cut}`) written in a path."""
    return _PLEX_TAG.findall(text)


def tags_dropped(media: MediaFile, template: str) -> list[str]:
    """The tags `media` has that `template` has no placeholder for (so would drop)."""
    used = set(_PLACEHOLDER.findall(template))
    return [value for name, value in tags_of(media).items() if value and name not in used]


def _episode_code(media: MediaFile, season: int) -> str:
    if media.air_date and media.episode is None and not media.episodes:
        return media.air_date.isoformat()
    numbers = {int(e) for e in (media.episodes or [])}
    if media.episode is not None:
        numbers.add(media.episode)
    episodes = sorted(numbers)
    if not episodes and media.absolute_episode is not None:
        episodes = [media.absolute_episode]
    code = f"s{season:02d}e{episodes[0]:02d}"
    if len(episodes) > 1:
        code += f"-e{episodes[-1]:02d}"
    return code


def naming_values(media: MediaFile) -> dict[str, str] | None:
    """Placeholder values for a video, or None when it is not recognised well enough."""
    if not media.title.strip() or media.media_type == MediaType.UNKNOWN:
        return None
    values = {
        "title": title_normalise(media.title),
        "year": str(media.year) if media.year else "",
        **tags_of(media),
        # An episode title's case was fixed when it was read, if the whole name was typed
        # in the wrong case (recognition._episode_title_case): lower case can be the show's
        # style (Mr. Robot's "eps1.0_hellofriend"), which only the name as typed tells.
        "episode_title": title_normalise(media.episode_title, fix_case=False),
        "absolute": f"{media.absolute_episode:03d}" if media.absolute_episode else "",
        "season": "",
        "episode_code": "",
    }
    if media.media_type == MediaType.MOVIE:
        return values
    has_episode = media.episode is not None or bool(media.episodes)
    if media.media_type in ANIME_TYPES and not has_episode and media.absolute_episode:
        # Absolute numbering: Plex's absolute order reads the whole run as season 1.
        season = 1
    elif not has_episode and media.air_date:
        # A dated episode goes in its year's season, unless its season folder said
        # otherwise (Plex's own "The Colbert Report (2005)/Season 08/… - 2011-11-15").
        season = media.season if media.season is not None else media.air_date.year
    elif has_episode:
        season = media.season if media.season is not None else 1
    else:
        return None
    if media.media_type in {MediaType.TV_SPECIAL, MediaType.ANIME_SPECIAL}:
        season = 0
    values["season"] = f"{season:02d}"
    values["episode_code"] = _episode_code(media, season)
    return values


def naming_templates() -> dict[str, str]:
    """The current templates from the settings store, keyed tv / anime / movie."""
    current = settings_current()
    return {kind: current[f"naming_{kind}_template"] for kind in ("tv", "anime", "movie")}


def template_for(media: MediaFile, templates: dict[str, str]) -> str:
    if media.media_type == MediaType.MOVIE:
        return templates["movie"]
    if media.media_type in ANIME_TYPES:
        return templates["anime"]
    return templates["tv"]


def extension_of(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def sidecar_suffix(sidecar: MediaFile) -> str:
    """`.en.forced.srt`: language, forced and SDH flags, then the extension."""
    # The language as recognised, an IETF tag: "en", "pt-BR" (its region in capitals).
    flags = [sidecar.language] if sidecar.language else []
    if sidecar.forced:
        flags.append("forced")
    if sidecar.sdh:
        flags.append("sdh")
    suffix = "".join(f".{_ILLEGAL.sub('', flag).strip('. ')}" for flag in flags if flag)
    return suffix + extension_of(sidecar.name)


@dataclass(frozen=True)
class Target:
    relative: str  # relative to the library root, with os.sep

    def absolute(self, root: str) -> str:
        return os.path.normpath(os.path.join(root, self.relative))


@lru_cache(maxsize=1024)
def _placeholders(part: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_PLACEHOLDER.findall(part)))


def _component_render(part: str, values: dict[str, str], suffix: str) -> str:
    """One rendered and sanitised name; too long, it is shortened in its titles only.

    The episode title gives way first, then the title, so the tags, codes and
    extension Plex reads survive whole (a name cut at 255 bytes could lose `}`).
    """
    used = tuple(values.get(name, "") for name in _placeholders(part))
    return _component_of(part, used, suffix)


# A pure function of the placeholders' values: a show's and a season's folder are
# rendered once for all their episodes.
@lru_cache(maxsize=16384)
def _component_of(part: str, used: tuple[str, ...], suffix: str) -> str:
    values = dict(zip(_placeholders(part), used, strict=True))

    def full(values: dict[str, str]) -> str:
        return component_sanitise(_render_part(part, values), keep_suffix=suffix, limit=1 << 30)

    name = full(values)
    for key in ("episode_title", "title"):
        excess = len(name.encode()) - MAX_COMPONENT_BYTES
        if excess <= 0 or f"{{{key}}}" not in part:
            continue
        # Each occurrence of the value is cut: a title written twice gives way twice.
        excess = -(-excess // part.count(f"{{{key}}}"))
        value = values[key].encode()
        shortened = value[: max(len(value) - excess, 1)].decode(errors="ignore").rstrip(" .-")
        values = {**values, key: shortened or values[key][:1]}
        name = full(values)
    # Still too long (only a template of long literal text): the byte cut of component_sanitise.
    return component_sanitise(name, keep_suffix="") if not suffix else _cut(name, suffix)


def _cut(name: str, suffix: str) -> str:
    return component_sanitise(name[: -len(suffix)], keep_suffix=suffix)


def video_target(video: MediaFile, templates: dict[str, str], suffix: str) -> Target | None:
    """The target of a video's file (suffix: its extension) or of its sidecar."""
    values = naming_values(video)
    if values is None:
        return None
    parts = template_for(video, templates).split("/")
    names = [_component_render(part, values, "") for part in parts[:-1]]
    names.append(_component_render(parts[-1], values, suffix))
    return Target(os.path.join(*names))


def media_target(
    media: MediaFile, *, templates: dict[str, str], video: MediaFile | None = None
) -> Target | None:
    """Where `media` belongs: a video by its own fields, a sidecar beside its video."""
    if media.kind == MediaFile.Kind.SUBTITLE:
        if video is None:
            return None
        return video_target(video, templates, sidecar_suffix(media))
    return video_target(media, templates, extension_of(media.name))
