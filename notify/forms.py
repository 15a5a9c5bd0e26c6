from __future__ import annotations

import os
from typing import Any

from django import forms

from library.services.paths import is_within
from notify.models import PlexSection


class SectionMappingForm(forms.ModelForm):
    """Which library a Plex section is told about, and where Plex sees that library's folder."""

    class Meta:
        model = PlexSection
        fields = ["library", "plex_root"]
        labels = {"library": "Library", "plex_root": "The library's folder, as Plex sees it"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        library = self.fields["library"]
        assert isinstance(library, forms.ModelChoiceField)
        library.empty_label = "(not told)"
        self.fields["plex_root"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        library, seen = data.get("library"), data.get("plex_root")
        if library is None:
            data["plex_root"] = ""
            return data
        if not seen:
            # The same path on both sides: Plex runs on this machine, or mounts alike.
            seen = data["plex_root"] = os.path.normpath(library.root_path)
        locations = self.instance.locations
        if not any(is_within(seen, loc) or is_within(loc, seen) for loc in locations):
            self.add_error(
                "plex_root",
                f"Plex's section “{self.instance.title}” holds "
                f"{', '.join(locations) or 'no folder'}; {seen} is not in it, so no refresh "
                "could be sent. Enter the library's folder as Plex sees it.",
            )
        return data


SectionMappingFormSet = forms.modelformset_factory(
    PlexSection, form=SectionMappingForm, extra=0, can_delete=False
)
