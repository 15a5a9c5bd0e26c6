from __future__ import annotations

from django.contrib import admin

from notify.models import Notification, PlexSection
from plexomatic_site.admin import ReadOnlyAdmin


@admin.register(PlexSection)
class PlexSectionAdmin(admin.ModelAdmin):
    list_display = ["title", "key", "kind", "library", "plex_root", "listed_at"]
    readonly_fields = ["key", "title", "kind", "locations", "listed_at"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """A record of what was sent; the app writes it."""

    list_display = ["id", "target", "event", "batch", "status", "attempts", "created_at"]
    list_filter = ["target", "status", "event"]
