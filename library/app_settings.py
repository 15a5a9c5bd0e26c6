"""The library app's settings: scanning and renaming (registered in LibraryConfig.ready)."""

from __future__ import annotations

from typing import Any

from django import forms

from library.errors import TemplateError
from library.services.naming import PLACEHOLDERS, template_validate
from plexomatic_site.forms import LinesField
from plexomatic_site.settings_store import Setting


def _validate_extensions(values: list[str]) -> None:
    bad = [v for v in values if not v.startswith(".") or len(v) < 2 or "/" in v or " " in v]
    if bad:
        raise forms.ValidationError(
            "Each extension starts with a dot and has no spaces or slashes: %(bad)s",
            params={"bad": ", ".join(bad)},
        )
    if not values:
        raise forms.ValidationError("List at least one extension.")


def _extensions_normalise(values: list[str]) -> list[str]:
    """Lower-case and sorted, so a scan compares suffixes cheaply."""
    return sorted({v.lower() for v in values})


def _validate_naming_template(value: str) -> None:
    try:
        template_validate(value)
    except TemplateError as exc:
        raise forms.ValidationError(str(exc)) from None


def _template_field(**kwargs: Any) -> forms.Field:
    return forms.CharField(max_length=500, strip=True, **kwargs)


# Plex's documented order: "Title (Year) {tmdb-…} {edition-…}". Every tag Plex reads has
# its placeholder, so the defaults never drop what a file's path already said (a template
# without one holds such files back: naming.tags_dropped). Show ids go on the show folder,
# where Plex reads them; the part label ends the name, where Plex looks for it.
_SHOW_FOLDER = "{title}[ ({year})][ {tmdb}][ {tvdb}][ {imdb}]"
_EPISODE_TEMPLATE = (
    f"{_SHOW_FOLDER}/Season {{season}}/{{title}}[ ({{year}})] - {{episode_code}}"
    "[ - {episode_title}][ {edition}][ - {version}][ - {part}]"
)
# Editions live on the folder and the file; versions of one film share its folder.
_MOVIE_NAME = "{title}[ ({year})][ {tmdb}][ {imdb}][ {edition}]"
_MOVIE_TEMPLATE = f"{_MOVIE_NAME}/{_MOVIE_NAME}[ - {{version}}][ - {{part}}]"


def _naming_setting(key: str, label: str, default: str, example: str) -> Setting:
    return Setting(
        key=key,
        label=label,
        help_text=(
            f"Path inside the library, without the extension; e.g. <code>{example}</code>. "
            f"Placeholders: {' '.join('{' + name + '}' for name in PLACEHOLDERS)}; a part in "
            "[square brackets] is left out when a placeholder in it has no value."
        ),
        default=default,
        group="Renaming",
        make_field=_template_field,
        validators=(_validate_naming_template,),
    )


_VIDEO_EXTENSIONS = [
    ".mkv",
    ".mp4",
    ".avi",
    ".m4v",
    ".mov",
    ".wmv",
    ".ts",
    ".m2ts",
    ".webm",
    ".mpg",
    ".mpeg",
    ".flv",
    ".ogm",
    ".divx",
]


def _extensions_setting(key: str, label: str, help_text: str, default: list[str]) -> Setting:
    return Setting(
        key=key,
        label=label,
        help_text=help_text,
        default=_extensions_normalise(default),
        group="Scanning",
        make_field=LinesField,
        validators=(_validate_extensions,),
        normalise=_extensions_normalise,
    )


SETTINGS: tuple[Setting, ...] = (
    _extensions_setting(
        "video_extensions",
        "Video extensions",
        "Files with these extensions are media files. One per line.",
        _VIDEO_EXTENSIONS,
    ),
    _extensions_setting(
        "subtitle_extensions",
        "Subtitle extensions",
        "Files with these extensions are subtitles that follow their video.",
        [".srt", ".ass", ".ssa", ".sub", ".idx", ".vtt", ".sup", ".smi"],
    ),
    Setting(
        key="ignore_patterns",
        label="Ignore patterns",
        help_text=(
            "Files and folders whose name matches one of these shell patterns are skipped "
            "(case-insensitive). One per line."
        ),
        default=[
            # Narrow on purpose: "sample*" would also hide "Sample Show". Extras
            # (Trailers/, -trailer) are scanned: recognised as extras, never renamed.
            "sample",
            "samples",
            "sample.*",
            "*.sample.*",
            "*-sample.*",
            ".*",
            # NAS and desktop folders that hold deleted or system files, not media.
            "@eadir",
            "#recycle",
            "@recycle",
            "#snapshot",
            "$recycle.bin",
            # Plex's own optimised copies: Plex manages them, never touch them.
            "plex versions",
        ],
        group="Scanning",
        make_field=LinesField,
        optional=True,
    ),
    Setting(
        key="remove_empty_folders",
        label="Remove folders left empty",
        help_text="After an apply, remove folders inside the library that the moves left empty.",
        default=True,
        group="Renaming",
        make_field=forms.BooleanField,
    ),
    _naming_setting(
        "naming_tv_template",
        "TV naming template",
        _EPISODE_TEMPLATE,
        "Show (2019)/Season 01/Show (2019) - s01e02 - Title",
    ),
    _naming_setting(
        "naming_anime_template",
        "Anime naming template",
        _EPISODE_TEMPLATE,
        "Show (2019)/Season 01/Show (2019) - s01e105",
    ),
    _naming_setting(
        "naming_movie_template",
        "Movie naming template",
        _MOVIE_TEMPLATE,
        "Movie (2020) {tmdb-603}/Movie (2020) {tmdb-603} - 1080p",
    ),
    Setting(
        key="checksum_full_content",
        label="Hash whole files",
        help_text=(
            "Journal a SHA-256 of every file's whole content instead of sampled blocks. "
            "Slower on large videos; the sampled checksum already catches a changed file."
        ),
        default=False,
        group="Renaming",
        make_field=forms.BooleanField,
    ),
)
