"""Typed application settings kept in ConfigurationHistory.

Each setting is declared once here with its type, default and form field.
Values are stored as JSON text; reading a setting that was never changed
gives its default. Changing one deactivates the active row and adds a new
one inside one transaction, so the history is complete and revertable.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import transaction

from plexomatic_site.models import ConfigurationHistory

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class LinesField(forms.CharField):
    """A list of strings edited as one item per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        return _lines(super().to_python(value) or "")


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


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    help_text: str
    default: Any
    group: str
    make_field: Callable[..., forms.Field]
    validators: tuple[Callable[[Any], None], ...] = field(default=())
    # An empty value is allowed (a list with nothing in it).
    optional: bool = False
    # Applied before storing, so equal values compare equal.
    normalise: Callable[[Any], Any] = field(default=lambda value: value)

    def form_field(self) -> forms.Field:
        return self.make_field(
            label=self.label,
            help_text=self.help_text,
            validators=list(self.validators),
            required=not self.optional and self.make_field is not forms.BooleanField,
        )

    def display(self, value: Any) -> str:
        if isinstance(value, list):
            return ", ".join(value) if value else "(none)"
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)


def _validate_naming_template(value: str) -> None:
    # Imported here: the settings store loads before the library app's models.
    from library.services.naming import TemplateError, template_validate

    try:
        template_validate(value)
    except TemplateError as exc:
        raise forms.ValidationError(str(exc)) from None


def _template_field(**kwargs: Any) -> forms.Field:
    return forms.CharField(max_length=500, strip=True, **kwargs)


_EPISODE_TEMPLATE = (
    "{title}[ ({year})]/Season {season}/{title}[ ({year})] - {episode_code}[ - {episode_title}]"
)


def _naming_setting(key: str, label: str, default: str, example: str) -> Setting:
    return Setting(
        key=key,
        label=label,
        help_text=(
            f"Path inside the library, without the extension; e.g. <code>{example}</code>. "
            "Placeholders: {title} {year} {season} {episode_code} {episode_title} {absolute} "
            "{tmdb} {tvdb}; a part in [square brackets] is left out when a placeholder in it "
            "has no value."
        ),
        default=default,
        group="Renaming",
        make_field=_template_field,
        validators=(_validate_naming_template,),
    )


def _int_field(minimum: int, maximum: int) -> Callable[..., forms.Field]:
    def make(**kwargs: Any) -> forms.Field:
        return forms.IntegerField(min_value=minimum, max_value=maximum, **kwargs)

    return make


def _retention(prefix: str, what: str, *, count: int, days: int) -> tuple[Setting, Setting]:
    """The two retention settings of one kind of backup: how many, and how old."""
    return (
        Setting(
            key=f"{prefix}_keep_count",
            label=f"Keep this many {what}",
            help_text=f"The newest this many {what} are kept; older ones are pruned.",
            default=count,
            group="Backups",
            make_field=_int_field(1, 10_000),
        ),
        Setting(
            key=f"{prefix}_keep_days",
            label=f"Keep {what} for (days)",
            help_text=f"{what.capitalize()} older than this are pruned. Manual, imported and "
            "pinned backups are always kept, and so is the newest verified one.",
            default=days,
            group="Backups",
            make_field=_int_field(1, 36_500),
        ),
    )


SETTINGS: tuple[Setting, ...] = (
    Setting(
        key="video_extensions",
        label="Video extensions",
        help_text="Files with these extensions are media files. One per line.",
        default=sorted(
            [
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
        ),
        group="Scanning",
        make_field=LinesField,
        validators=(_validate_extensions,),
        normalise=_extensions_normalise,
    ),
    Setting(
        key="subtitle_extensions",
        label="Subtitle extensions",
        help_text="Files with these extensions are subtitles that follow their video.",
        default=sorted([".srt", ".ass", ".ssa", ".sub", ".idx", ".vtt", ".sup", ".smi"]),
        group="Scanning",
        make_field=LinesField,
        validators=(_validate_extensions,),
        normalise=_extensions_normalise,
    ),
    Setting(
        key="ignore_patterns",
        label="Ignore patterns",
        help_text=(
            "Files and folders whose name matches one of these shell patterns are skipped "
            "(case-insensitive). One per line."
        ),
        default=[
            # Narrow on purpose: "trailer*" would also hide "Trailer Park Boys".
            "sample",
            "*.sample.*",
            "*-sample.*",
            "trailers",
            "*-trailer.*",
            "*.trailer.*",
            "extras",
            "featurettes",
            "behind the scenes",
            "deleted scenes",
            ".*",
            "@eadir",
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
        "{title}[ ({year})]/{title}[ ({year})]",
        "Movie (2020)/Movie (2020)",
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
    Setting(
        key="backup_interval_hours",
        label="Backup interval (hours)",
        help_text="How often the running site backs up its database; 0 turns this off.",
        default=24,
        group="Backups",
        make_field=_int_field(0, 24 * 365),
    ),
    *_retention("backup", "scheduled backups", count=14, days=30),
    *_retention("backup_pre_migration", "backups taken before a migration", count=5, days=180),
    *_retention("backup_pre_restore", "backups taken before a restore", count=5, days=90),
)

SETTINGS_BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}


class UnknownSetting(KeyError):
    pass


def setting_definition(key: str) -> Setting:
    try:
        return SETTINGS_BY_KEY[key]
    except KeyError:
        raise UnknownSetting(key) from None


def settings_current() -> dict[str, Any]:
    """Every setting's current value, in one query."""
    values = {s.key: s.default for s in SETTINGS}
    for key, raw in ConfigurationHistory.objects.filter(
        active=True, config_key__in=values
    ).values_list("config_key", "config_value"):
        values[key] = json.loads(raw)
    return values


def setting_get(key: str) -> Any:
    definition = setting_definition(key)
    raw = (
        ConfigurationHistory.objects.filter(config_key=key, active=True)
        .values_list("config_value", flat=True)
        .first()
    )
    return definition.default if raw is None else json.loads(raw)


def _record(
    key: str,
    value: Any,
    *,
    user: User | AnonymousUser | None,
    reverted_from: ConfigurationHistory | None,
) -> ConfigurationHistory | None:
    """Make `value` the active value of `key`; caller holds the transaction."""
    definition = setting_definition(key)
    encoded = json.dumps(definition.normalise(value))
    active = ConfigurationHistory.objects.filter(config_key=key, active=True).first()
    if active is None:
        # The first change also records the default it replaces, so the
        # history always shows where a value came from.
        active = ConfigurationHistory.objects.create(
            config_key=key, config_value=json.dumps(definition.default)
        )
    if active.config_value == encoded:
        return None
    ConfigurationHistory.objects.filter(pk=active.pk).update(active=False)
    return ConfigurationHistory.objects.create(
        config_key=key,
        config_value=encoded,
        changed_by=user if user is not None and user.is_authenticated else None,
        reverted_from=reverted_from,
    )


def settings_update(
    *, values: dict[str, Any], user: User | AnonymousUser | None = None
) -> list[str]:
    """Store every changed value in one transaction; returns the keys that changed."""
    with transaction.atomic():
        return [
            key
            for key, value in values.items()
            if _record(key, value, user=user, reverted_from=None) is not None
        ]


def setting_revert(
    *, entry: ConfigurationHistory, user: User | AnonymousUser | None = None
) -> bool:
    """Make an earlier value of a setting current again (as a new history row)."""
    with transaction.atomic():
        return (
            _record(
                entry.config_key, json.loads(entry.config_value), user=user, reverted_from=entry
            )
            is not None
        )


@dataclass(frozen=True)
class HistoryRow:
    entry: ConfigurationHistory
    value: str
    previous: str | None


def setting_history(key: str) -> list[HistoryRow]:
    """A key's rows, newest first, each with the value it replaced."""
    definition = setting_definition(key)
    rows = (
        ConfigurationHistory.objects.filter(config_key=key)
        .select_related("changed_by", "reverted_from")
        .order_by("created_at", "id")
    )
    result: list[HistoryRow] = []
    previous: str | None = None
    for row in rows:
        shown = definition.display(json.loads(row.config_value))
        result.append(HistoryRow(entry=row, value=shown, previous=previous))
        previous = shown
    return list(reversed(result))
