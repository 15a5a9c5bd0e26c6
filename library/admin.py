from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from library.forms import LibraryForm
from library.models import (
    Batch,
    ExcludedFile,
    FileOperation,
    Library,
    LibraryPlan,
    MediaFile,
    PlannedMove,
)
from plexomatic_site.admin import ReadOnlyAdmin


@admin.register(Library)
class LibraryAdmin(admin.ModelAdmin):
    # The same rules as the site: the root exists, is readable and overlaps no other library.
    form = LibraryForm

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Removed from the Libraries page instead: it takes the library's lock,
        # so no scan or apply is running on it, and doesn't list every media row.
        return False

    list_display = ["name", "root_path", "worker_host", "enabled", "last_scan_at"]
    list_filter = ["enabled", "worker_host"]
    search_fields = ["name", "root_path"]
    readonly_fields = ["created_at", "last_scan_at", "last_scan_summary"]


@admin.register(MediaFile)
class MediaFileAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "library",
        "media_type",
        "title",
        "year",
        "season",
        "episode",
        "missing",
    ]
    list_filter = ["media_type", "kind", "extra_type", "missing", "library"]
    search_fields = ["name", "title", "path"]
    list_select_related = ["library"]
    raw_id_fields = ["video"]
    readonly_fields = [
        "path",
        "size",
        "mtime",
        "fingerprint",
        "created_at",
        "updated_at",
        # The evidence is what the last scan read; an edit here would not be evidence.
        "recognition_rule",
        "name_said",
        "folder_said",
        "conflict",
    ]


class FileOperationInline(admin.TabularInline):
    model = FileOperation
    fields = readonly_fields = ("operation_type", "original_path", "new_path", "status", "error")
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "library", "created_at", "created_by", "note"]
    list_filter = ["kind", "library"]
    search_fields = ["note"]
    readonly_fields = ["kind", "library", "created_at", "created_by"]
    inlines = [FileOperationInline]


@admin.register(FileOperation)
class FileOperationAdmin(ReadOnlyAdmin):
    """The journal is an audit trail: readable here, changed only by apply and rollback."""

    list_display = [
        "id",
        "operation_type",
        "status",
        "original_path",
        "new_path",
        "created_at",
        "batch",
    ]
    list_filter = ["status", "operation_type"]
    search_fields = ["original_path", "new_path"]
    date_hierarchy = "created_at"
    list_select_related = ["batch"]


@admin.register(LibraryPlan)
class LibraryPlanAdmin(ReadOnlyAdmin):
    """The stored plan's totals: made by scans, applies and the plan job, never by hand."""

    list_display = ["library", "built_at", "replanned", "checked"]
    search_fields = ["library__name"]


@admin.register(PlannedMove)
class PlannedMoveAdmin(ReadOnlyAdmin):
    """One file's line of the stored plan, as the rename preview shows it."""

    list_display = ["source", "target", "reason", "library"]
    list_filter = ["reason", "library"]
    search_fields = ["source", "target"]


@admin.register(ExcludedFile)
class ExcludedFileAdmin(ReadOnlyAdmin):
    """What the last scan of a library left out, and the rule that did (each scan replaces it)."""

    list_display = ["path", "rule", "folder", "library"]
    list_filter = ["folder", "library"]
    search_fields = ["path", "rule"]
