from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from library.models import Batch, FileOperation, Library, MediaFile, MediaType, PlannedMove
from library.services.libraries import library_root_clean
from library.services.plan import Reason
from plexomatic_site.forms import LinesField
from plexomatic_site.jobs import worker_host
from plexomatic_site.settings_store import setting_definition

OVERRIDABLE = ("video_extensions", "subtitle_extensions", "ignore_patterns")
# The largest id or number SQLite stores (a signed 64-bit integer): a bigger one
# in a query is an OverflowError, not "no such row".
INT64_MAX = 2**63 - 1
# A model with a `created_at`, for the date filters (Batch, FileOperation).
_Created = TypeVar("_Created", Batch, FileOperation)
# A row of a workbench's preview.
_Row = TypeVar("_Row")


def _is_id(value: object) -> bool:
    """A row id as a request can give one: 1 to INT64_MAX in ASCII digits, nothing else."""
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) <= 19 and 1 <= int(text) <= INT64_MAX


class IdsField(forms.ModelMultipleChoiceField):
    """Ids checked for range before they reach a query (`pk__in` does not check them)."""

    def clean(self, value: Any) -> QuerySet:
        for pk in value if isinstance(value, (list, tuple)) else []:
            if not _is_id(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:20]},
                )
        return super().clean(value)


class SelectionField(forms.JSONField):
    """The rows a workbench selection names (static/js/workbench.js): one JSON list of
    strings, however many (Django caps the number of fields a form may post), each one
    a row's id as `valid` checks it."""

    def __init__(self, *, valid: Callable[[str], bool], **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)
        self.valid = valid

    def clean(self, value: Any) -> set[str]:
        data = super().clean(value)
        if data is None:
            return set()
        if not isinstance(data, list) or not all(
            isinstance(item, str) and self.valid(item) for item in data
        ):
            raise ValidationError("That selection does not name rows of the preview.")
        return set(data)


def _override_field(key: str) -> forms.Field:
    """A per-library override of a setting: the same checks, empty means inherit."""
    definition = setting_definition(key)
    return LinesField(
        required=False,
        label=definition.label,
        help_text="Leave empty to use the list on the Settings page.",
        validators=list(definition.validators),
    )


class LibraryForm(forms.ModelForm):
    video_extensions = _override_field("video_extensions")
    subtitle_extensions = _override_field("subtitle_extensions")
    ignore_patterns = _override_field("ignore_patterns")

    class Meta:
        model = Library
        fields = [
            "name",
            "root_path",
            "kind",
            "enabled",
            "worker_host",
            "video_extensions",
            "subtitle_extensions",
            "ignore_patterns",
        ]
        labels = {"root_path": "Folder", "worker_host": "Worker host"}
        help_texts = {
            "root_path": "The absolute path of the folder that holds the media, e.g. /media/tv."
        }

    def clean_worker_host(self) -> str:
        return str(self.cleaned_data["worker_host"]).strip().lower()

    def clean_root_path(self) -> str:
        given = self.cleaned_data["root_path"]
        if self.instance.pk and given.strip() == self.instance.root_path:
            # Unchanged: a library whose folder is gone (an unplugged disk)
            # can still be renamed or disabled.
            return self.instance.root_path
        # A folder only another machine's worker sees cannot be looked at from here
        # (the host as given: the field itself is cleaned after this one).
        host = str(self.data.get(self.add_prefix("worker_host"), "")).strip().lower()
        root = library_root_clean(
            given, exclude_pk=self.instance.pk, seen_here=host in ("", worker_host())
        )
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
        super().clean()
        cleaned = self.cleaned_data
        # An empty override means "inherit from the settings store".
        for key in OVERRIDABLE:
            if key in cleaned:
                value = cleaned[key]
                cleaned[key] = setting_definition(key).normalise(value) if value else None
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
    conflict = forms.ChoiceField(
        required=False,
        label="Folder and name",
        choices=[("", "Agree or not"), ("yes", "Disagree")],
    )
    sort = forms.ChoiceField(required=False, choices=[(k, k.capitalize()) for k in SORTS])


class ShowFilterForm(forms.Form):
    """The show page's query: a title and a year (a number that fits a year, or none)."""

    title = forms.CharField(required=False, max_length=500)
    year = forms.IntegerField(required=False, min_value=1000, max_value=9999)


class PreviewFilterForm(forms.Form):
    """Which library the rename preview is for, and which of its files to list."""

    library = forms.ModelChoiceField(queryset=Library.objects.all(), empty_label=None)
    group = forms.CharField(required=False, label="Show or movie", max_length=500)
    reason = forms.ChoiceField(
        required=False,
        label="Status",
        choices=[("", "Renames and files that stay"), ("all", "Every file"), *Reason.choices],
    )
    changed = forms.ChoiceField(
        required=False,
        label="Changed part",
        choices=[("", "Any change"), *PlannedMove.Changed.choices],
    )
    q = forms.CharField(required=False, label="Search paths", max_length=200)


class WorkbenchSelectionForm(forms.Form):
    """A workbench selection over every page of a preview's filters (the subclass adds
    them, and `ids`: a SelectionField): every row that matches them but `ids`, or only `ids`."""

    MATCHING, IDS = "matching", "ids"

    selection = forms.ChoiceField(choices=[(MATCHING, "matching"), (IDS, "ids")])

    def selected(self, rows: Iterable[_Row], key: Callable[[_Row], Any]) -> list[_Row]:
        """The `rows` matching the filters that the selection picks; `key`: a row's id."""
        ids, every = self.cleaned_data["ids"], self.cleaned_data["selection"] == self.MATCHING
        return [row for row in rows if (key(row) in ids) != every]


class ApplySelectedForm(PreviewFilterForm, WorkbenchSelectionForm):
    """The renames selected in the preview, of the stored plan named by `digest`."""

    digest = forms.RegexField(regex=r"^[0-9a-f]{64}$")
    ids = SelectionField(valid=_is_id)  # media ids

    def clean_ids(self) -> set[int]:
        return {int(pk) for pk in self.cleaned_data["ids"]}


class ApplyForm(forms.Form):
    """The files ticked in the preview, each with the new path it showed (`target-<id>`),
    so the apply renames to what the user saw and nothing else."""

    library = forms.ModelChoiceField(queryset=Library.objects.all())
    # The metaclass moves declared fields into base_fields, so this does not replace
    # Form.media at runtime; the stubs only see a class attribute.
    media = IdsField(  # type: ignore[assignment]
        queryset=MediaFile.objects.only("id", "library_id"),
        error_messages={"required": "Pick at least one file to rename."},
    )

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        library, media = cleaned.get("library"), cleaned.get("media")
        if library and media and any(m.library_id != library.pk for m in media):
            raise forms.ValidationError("Some of the files picked are not in this library.")
        if media:
            shown = {m.pk: self.data.get(f"target-{m.pk}", "") for m in media}
            if not all(shown.values()):
                raise forms.ValidationError(
                    "The new path shown for some files is missing; reload the preview."
                )
            cleaned["previewed"] = shown
        return cleaned


class LibraryPickForm(forms.Form):
    """One library, for a button that acts on it."""

    library = forms.ModelChoiceField(queryset=Library.objects.all())


class ApplyAllForm(LibraryPickForm):
    """Every rename of the plan, as the preview showed it (identified by its digest)."""

    digest = forms.RegexField(regex=r"^[0-9a-f]{64}$")


class CreatedBetweenForm(forms.Form):
    """A "From" and "To" date, each a whole day in the display time zone."""

    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("The “From” date is after the “To” date.")
        return cleaned

    def created_between(self, rows: QuerySet[_Created]) -> QuerySet[_Created]:
        """The rows created between the dates (call once the form is valid)."""
        data = self.cleaned_data
        if data["date_from"]:
            rows = rows.filter(created_at__gte=_day_start(data["date_from"]))
        if data["date_to"]:
            next_day = data["date_to"] + datetime.timedelta(days=1)
            rows = rows.filter(created_at__lt=_day_start(next_day))
        return rows


class HistoryFilterForm(CreatedBetweenForm):
    """The per-file history's filters (and the CSV export's)."""

    field_order = [
        "status",
        "operation_type",
        "library",
        "batch",
        "date_from",
        "date_to",
        "q",
        "attention",
    ]

    status = forms.ChoiceField(
        choices=[("", "Any status"), *FileOperation.Status.choices], required=False
    )
    operation_type = forms.ChoiceField(
        label="Type",
        choices=[("", "Any type"), *FileOperation.OperationType.choices],
        required=False,
    )
    library = forms.ModelChoiceField(
        queryset=Library.objects.all(), required=False, empty_label="Any library"
    )
    batch = forms.IntegerField(min_value=1, max_value=INT64_MAX, required=False)
    q = forms.CharField(label="Path contains", required=False, max_length=500)
    attention = forms.BooleanField(label="Needs attention only", required=False)

    def filter(self, operations: QuerySet[FileOperation]) -> QuerySet[FileOperation]:
        """The operations matching the valid filters (all of them when the form is invalid)."""
        if not self.is_valid():
            return operations
        data = self.cleaned_data
        if data["status"]:
            operations = operations.filter(status=data["status"])
        if data["operation_type"]:
            operations = operations.filter(operation_type=data["operation_type"])
        if data["library"]:
            # IN (the library's batches), not a join: SQLite then counts the rows
            # of a status in the (batch, status) index alone (3 ms, not 55 ms at 1M rows).
            batches = Batch.objects.filter(library=data["library"]).values("pk")
            operations = operations.filter(batch__in=batches)
        if data["batch"]:
            operations = operations.filter(batch_id=data["batch"])
        operations = self.created_between(operations)
        if data["q"]:
            operations = operations.filter(
                Q(original_path__icontains=data["q"]) | Q(new_path__icontains=data["q"])
            )
        if data["attention"]:
            operations = operations.filter(needs_attention=True)
        return operations


class BatchFilterForm(CreatedBetweenForm):
    """The batch history's filters: a batch matches a status if any operation of it has it."""

    field_order = ["library", "status", "created_by", "date_from", "date_to"]

    library = forms.ModelChoiceField(
        queryset=Library.objects.all(), required=False, empty_label="Any library"
    )
    status = forms.ChoiceField(
        label="Has operations",
        choices=[("", "Of any status"), *FileOperation.Status.choices],
        required=False,
    )
    created_by = forms.ModelChoiceField(
        label="By",
        queryset=get_user_model().objects.order_by("username"),
        required=False,
        empty_label="Anyone",
    )

    def filter(self, batches: QuerySet[Batch]) -> QuerySet[Batch]:
        """The batches matching the valid filters (all of them when the form is invalid)."""
        if not self.is_valid():
            return batches
        data = self.cleaned_data
        if data["library"]:
            batches = batches.filter(library=data["library"])
        if data["status"]:
            operations = FileOperation.objects.filter(batch=OuterRef("pk"), status=data["status"])
            batches = batches.filter(Exists(operations))
        if data["created_by"]:
            batches = batches.filter(created_by=data["created_by"])
        return self.created_between(batches)


def _day_start(day: datetime.date) -> datetime.datetime:
    """Midnight of `day` in the display time zone, so a date filter means that day there."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
