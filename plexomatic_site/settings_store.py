"""The settings store: typed application settings kept in ConfigurationHistory.

Each app declares its settings (key, type, default, validation, form field)
in its own `app_settings` module and registers them at start-up
(`settings_register`, from its AppConfig.ready). The store only stores:
values are JSON text, a setting never changed reads as its default, and a
change deactivates the active row and adds a new one inside one
transaction, so the history is complete and any earlier value can be
restored.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import transaction
from django.dispatch import Signal

from plexomatic_site.database import transaction_lock
from plexomatic_site.errors import SettingsError
from plexomatic_site.models import ConfigurationHistory

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


# How a sentence names the type of a setting's value.
_KIND_OF_VALUE = {int: "a whole number", bool: "yes or no", str: "text", list: "a list"}


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

    def validate(self, value: Any) -> None:
        """Refuse a value of the wrong type or one the setting's field would refuse."""
        if type(value) is not type(self.default):
            raise SettingsError(
                f"{self.label} must be {_KIND_OF_VALUE[type(self.default)]}, not {value!r}."
            )
        form_field = self.form_field()
        try:
            form_field.validate(value)
            form_field.run_validators(value)
        except forms.ValidationError as exc:
            raise SettingsError(f"{self.label}: {' '.join(exc.messages)}") from None

    def display(self, value: Any) -> str:
        if isinstance(value, list):
            return ", ".join(value) if value else "(none)"
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)


# Every registered setting by key, in registration order (the settings page's order).
_SETTINGS: dict[str, Setting] = {}


def settings_register(*settings: Setting) -> None:
    """Declare an app's settings; registering the same definition again changes nothing."""
    for setting in settings:
        known = _SETTINGS.get(setting.key)
        if known is not None and known != setting:
            raise ValueError(f"Two different settings are registered as {setting.key!r}.")
        _SETTINGS[setting.key] = setting


def settings_all() -> tuple[Setting, ...]:
    return tuple(_SETTINGS.values())


class UnknownSetting(SettingsError, KeyError):
    def __init__(self, key: str) -> None:
        super().__init__(f"There is no setting {key!r}.")

    def __str__(self) -> str:  # KeyError would quote the sentence
        return str(self.args[0])


def setting_definition(key: str) -> Setting:
    try:
        return _SETTINGS[key]
    except KeyError:
        raise UnknownSetting(key) from None


def settings_current() -> dict[str, Any]:
    """Every setting's current value, in one query."""
    values = {s.key: s.default for s in _SETTINGS.values()}
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
    transaction_lock("settings")
    definition = setting_definition(key)
    definition.validate(value)
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


# Sent with `keys` (the keys whose value changed) after a change is stored, so an
# app can act on the settings it reads (the stored rename plan is planned again).
settings_changed = Signal()


def settings_update(
    *, values: dict[str, Any], user: User | AnonymousUser | None = None
) -> list[str]:
    """Store every changed value in one transaction; returns the keys that changed."""
    with transaction.atomic():
        changed = [
            key
            for key, value in values.items()
            if _record(key, value, user=user, reverted_from=None) is not None
        ]
    if changed:
        settings_changed.send(sender=None, keys=changed)
    return changed


def setting_revert(
    *, entry: ConfigurationHistory, user: User | AnonymousUser | None = None
) -> bool:
    """Make an earlier value of a setting current again (as a new history row)."""
    with transaction.atomic():
        changed = (
            _record(
                entry.config_key, json.loads(entry.config_value), user=user, reverted_from=entry
            )
            is not None
        )
    if changed:
        settings_changed.send(sender=None, keys=[entry.config_key])
    return changed


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
