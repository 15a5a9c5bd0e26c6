from __future__ import annotations

from typing import Any

from django import forms

from inbox.models import InboxFolder
from inbox.services.folders import inbox_path_clean


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
