from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import BaseUserCreationForm

from plexomatic_site.settings_store import settings_all


class SetupForm(BaseUserCreationForm):
    """The first administrator: a superuser, so the admin works too."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=False)
        user.is_staff = True
        user.is_superuser = True
        if commit:
            user.save()
        return user


class SettingsForm(forms.Form):
    """One field per registered setting, grouped for display."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for setting in settings_all():
            self.fields[setting.key] = setting.form_field()

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        grouped: dict[str, list[forms.BoundField]] = {}
        for setting in settings_all():
            grouped.setdefault(setting.group, []).append(self[setting.key])
        return list(grouped.items())
