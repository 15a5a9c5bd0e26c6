from __future__ import annotations

from typing import Any

from django import forms

from inbox.models import InboxFolder
from inbox.services.folders import inbox_path_clean
from library.forms import SelectionField, WorkbenchSelectionForm

# The longest path Linux takes (PATH_MAX), as a bound on what a form may name.
PATH_MAX = 4096


class InboxFolderForm(forms.ModelForm):
    class Meta:
        model = InboxFolder
        fields = [
            "name",
            "path",
            "mode",
            "library",
            "tv_library",
            "movie_library",
            "anime_library",
            "enabled",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        path, mode = data.get("path"), data.get("mode")
        if path and mode:
            try:
                data["path"] = inbox_path_clean(path, mode=mode, exclude_pk=self.instance.pk)
            except forms.ValidationError as exc:
                self.add_error("path", exc)
        per_type = [data.get(f"{kind}_library") for kind in ("tv", "movie", "anime")]
        if data.get("library") is None and not any(per_type):
            raise forms.ValidationError(
                "Choose the library to import into, or one library per type."
            )
        return data


class ImportFilterForm(forms.Form):
    """Which of an inbox's files the import preview lists."""

    IMPORT, DUPLICATE, STAYS = "import", "duplicate", "stays"

    status = forms.ChoiceField(
        required=False,
        label="Status",
        choices=[
            ("", "Every file"),
            (IMPORT, "To import"),
            (DUPLICATE, "The library has it"),
            (STAYS, "Stays in the inbox"),
        ],
    )
    q = forms.CharField(required=False, label="Search paths", max_length=200)


def _inbox_relative(path: str) -> bool:
    """A path as the preview names an inbox file (its path relative to the inbox)."""
    return 0 < len(path) <= PATH_MAX and "\x00" not in path


class ImportSelectedForm(ImportFilterForm, WorkbenchSelectionForm):
    """The files selected in the import preview, over every page of its filters."""

    ids = SelectionField(valid=_inbox_relative)  # paths relative to the inbox
