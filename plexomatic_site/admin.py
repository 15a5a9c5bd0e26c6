from __future__ import annotations

import json

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from plexomatic_site.models import ConfigurationHistory, Job
from plexomatic_site.settings_store import UnknownSetting, setting_definition

admin.site.site_header = "Plex-o-matic administration"
admin.site.site_title = "Plex-o-matic admin"


class ReadOnlyAdmin(admin.ModelAdmin):
    """For audit trails and journals: readable here, changed only by the app itself."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(ConfigurationHistory)
class ConfigurationHistoryAdmin(ReadOnlyAdmin):
    """Read-only: settings change through the settings page, which keeps history intact."""

    list_display = ["config_key", "value", "active", "created_at", "changed_by"]
    list_filter = ["active", "config_key"]
    # Not the raw value: a secret setting (the Plex token) is shown only as its display.
    search_fields = ["config_key"]
    date_hierarchy = "created_at"
    exclude = ["config_value"]
    readonly_fields = ["value"]

    @admin.display(description="value")
    def value(self, entry: ConfigurationHistory) -> str:
        try:
            return setting_definition(entry.config_key).display(json.loads(entry.config_value))
        except (UnknownSetting, ValueError):
            return entry.config_value


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """Jobs are locks too: deleting an active one would let two jobs run at once."""

    list_display = [
        "id",
        "kind",
        "lock_key",
        "status",
        "done",
        "total",
        "created_at",
        "finished_at",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["lock_key", "message", "error"]
    readonly_fields = [f.name for f in Job._meta.fields]
