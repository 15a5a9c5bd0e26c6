"""Telling Plex and a webhook what changed: where, and with which token (NotifyConfig.ready).

Empty values turn each off. The token and the webhook address are secrets (a
webhook's path or query often holds a key): their fields never show them, an
empty field keeps the saved one, and every place that displays a value (the
settings history, the admin, the Plex page) shows only the token's last
characters and the address's scheme and host.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django import forms

from notify.client import url_check
from notify.errors import NotifyError
from plexomatic_site.settings_store import Setting

# Characters of a token shown back (Plex tokens have 20).
TOKEN_SHOWN = 4


def secret_display(value: str) -> str:
    if not value:
        return "(none)"
    if len(value) <= 2 * TOKEN_SHOWN:
        return "set (hidden)"
    return f"…{value[-TOKEN_SHOWN:]}"


def url_display(value: str) -> str:
    """A web address without what may hold a secret: `https://hooks.example…`."""
    if not value:
        return "(none)"
    parts = urlsplit(value)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}…"


@dataclass(frozen=True)
class SecretSetting(Setting):
    """A setting whose value is never shown back in full."""

    def display(self, value: Any) -> str:
        return secret_display(str(value))


@dataclass(frozen=True)
class SecretUrlSetting(Setting):
    """A web address that may hold a secret: shown by its scheme and host only."""

    def display(self, value: Any) -> str:
        return url_display(str(value))


class SecretField(forms.CharField):
    """A password box that is always empty; left empty, the saved value stays."""

    widget = forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"})

    def _clean_bound_field(self, bf: forms.BoundField) -> Any:
        # As FileField keeps the current file when none is uploaded (Django's own
        # hook for it): the form's initial value is the saved token.
        value = self.clean(bf.data)
        return value or (bf.initial or "")


def _url_validator(*, query: bool) -> Callable[[str], None]:
    def validate(value: str) -> None:
        if not value:
            return
        try:
            url_check(value, query=query)
        except NotifyError as exc:
            raise forms.ValidationError(str(exc)) from None

    return validate


def _url_field(**kwargs: Any) -> forms.Field:
    return forms.CharField(max_length=500, strip=True, **kwargs)


def _secret_url_field(**kwargs: Any) -> forms.Field:
    return SecretField(max_length=500, strip=True, **kwargs)


def _server_normalise(value: str) -> str:
    """Paths are added to the server's address: no trailing slash."""
    return value.strip().rstrip("/")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        key="plex_url",
        label="Plex server address",
        help_text="e.g. <code>http://192.168.1.10:32400</code>. After each apply, rollback or "
        "import, Plex is asked to rescan only the folders that changed. Empty: Plex is not "
        'told. Map Plex\'s sections to libraries on the <a href="/plex/">Plex page</a>.',
        default="",
        group="Plex and notifications",
        make_field=_url_field,
        validators=(_url_validator(query=False),),
        optional=True,
        normalise=_server_normalise,
    ),
    SecretSetting(
        key="plex_token",
        label="Plex token",
        help_text="Your X-Plex-Token. Kept in the database only; never shown again, nor "
        "logged. Leave empty to keep the saved one (the Plex page can forget it).",
        default="",
        group="Plex and notifications",
        make_field=SecretField,
        optional=True,
    ),
    SecretUrlSetting(
        key="webhook_url",
        label="Webhook address",
        help_text="A JSON POST is sent here after each apply, rollback and import (batch, "
        "counts, failures) and after a backup fails. Its path may hold a key: never shown "
        "again in full, nor logged. Leave empty to keep the saved one (the Plex page can "
        "forget it).",
        default="",
        group="Plex and notifications",
        make_field=_secret_url_field,
        validators=(_url_validator(query=True),),
        optional=True,
    ),
)
