from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from backups.services.retention import RETENTION_SETTINGS
from plexomatic_site.settings_store import setting_definition

SCHEDULE_KEYS = (
    "backup_interval_hours",
    *(k for pair in RETENTION_SETTINGS.values() for k in pair),
)


class BackupCreateForm(forms.Form):
    note = forms.CharField(max_length=200, required=False, label="Note")


class PinForm(forms.Form):
    pinned = forms.BooleanField(required=False)


class ScheduleForm(forms.Form):
    """The backup settings of the settings store, edited on the backups page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in SCHEDULE_KEYS:
            self.fields[key] = setting_definition(key).form_field()


class UploadForm(forms.Form):
    # The size limit is enforced by backup_import, on the bytes received.
    file = forms.FileField(label="Backup file")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = filesizeformat(settings.PLEXOMATIC_BACKUP_UPLOAD_MAX_BYTES)
        self.fields["file"].help_text = f"A Plex-o-matic database (.sqlite3), at most {limit}."
