from __future__ import annotations

from django.contrib import admin

from backups.models import Backup


@admin.register(Backup)
class BackupAdmin(admin.ModelAdmin):
    list_display = ["file_name", "kind", "created_at", "size", "verified", "pinned", "note"]
    list_filter = ["kind", "verified", "pinned"]
    search_fields = ["file_name", "note"]
    date_hierarchy = "created_at"
    # The file on disk and its manifest are the truth; only the user's own
    # annotations are editable here.
    readonly_fields = [
        "file_name",
        "kind",
        "size",
        "sha256",
        "created_at",
        "verified",
        "verified_at",
        "verify_error",
        "app_version",
        "migrations",
    ]
