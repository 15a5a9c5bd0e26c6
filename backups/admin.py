from __future__ import annotations

from django.contrib import admin

from backups.models import Backup
from plexomatic_site.admin import ReadOnlyAdmin


@admin.register(Backup)
class BackupAdmin(ReadOnlyAdmin):
    """Read-only: the backup folder and its manifests are the truth, and the index
    is re-synced from them, so edits here would be lost. Pin, delete and restore
    on the Backups page, which writes the manifest."""

    list_display = ["file_name", "kind", "created_at", "size", "verified", "pinned", "note"]
    list_filter = ["kind", "verified", "pinned"]
    search_fields = ["file_name", "note"]
    date_hierarchy = "created_at"
