from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from library.models import Library, MediaType
from library.services.libraries import library_root_clean
from plexomatic_site.settings_store import LinesField


class LibraryForm(forms.ModelForm):
    video_extensions = LinesField(
        required=False, help_text="Leave empty to use the Settings page's list."
    )
    subtitle_extensions = LinesField(
        required=False, help_text="Leave empty to use the Settings page's list."
    )
    ignore_patterns = LinesField(
        required=False, help_text="Leave empty to use the Settings page's list."
    )

    class Meta:
        model = Library
        fields = [
            "name",
            "root_path",
            "enabled",
            "video_extensions",
            "subtitle_extensions",
            "ignore_patterns",
        ]
        labels = {"root_path": "Folder"}
        help_texts = {
            "root_path": "The absolute path of the folder that holds the media, e.g. /media/tv."
        }

    def clean_root_path(self) -> str:
        root = library_root_clean(self.cleaned_data["root_path"], exclude_pk=self.instance.pk)
        if (
            self.instance.pk
            and root != self.instance.root_path
            and self.instance.media_files.exists()
        ):
            raise ValidationError(
                "This library already has media files, so its folder cannot change; "
                "add a new library for the new folder."
            )
        return root

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # An empty override means "inherit from the settings store".
        for key in ("video_extensions", "subtitle_extensions", "ignore_patterns"):
            if key in cleaned and not cleaned[key]:
                cleaned[key] = None
        return cleaned


class MediaFilterForm(forms.Form):
    """The media table's filters; bad values are reported, never guessed."""

    SORTS = {
        "name": ("name",),
        "title": ("title", "season", "episode"),
        "type": ("media_type", "title"),
        "size": ("-size",),
        "recent": ("-updated_at",),
    }

    q = forms.CharField(required=False, label="Search", max_length=200)
    kind = forms.ChoiceField(
        required=False,
        label="Files",
        choices=[("", "Videos"), ("subtitle", "Subtitles"), ("all", "Videos and subtitles")],
    )
    media_type = forms.ChoiceField(
        required=False, label="Type", choices=[("", "Any type"), *MediaType.choices]
    )
    title = forms.CharField(required=False, max_length=500)
    season = forms.IntegerField(required=False, min_value=0, max_value=9999)
    missing = forms.ChoiceField(
        required=False, choices=[("", "Present and missing"), ("no", "Present"), ("yes", "Missing")]
    )
    sort = forms.ChoiceField(required=False, choices=[(k, k.capitalize()) for k in SORTS])
