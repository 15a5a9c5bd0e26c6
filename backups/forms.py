from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from backups.services.retention import RETENTION_SETTINGS
from plexomatic_site.forms import ConfirmForm
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


class RestoreForm(ConfirmForm):
    """The restore confirmation, with a second box when the backup holds no administrator."""

    allow_no_admin = forms.BooleanField(
        label="Restore it although it holds no administrator",
        error_messages={"required": "Tick the second box: this backup holds no administrator."},
    )

    def __init__(self, *args: Any, has_admin: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if has_admin:
            del self.fields["allow_no_admin"]
