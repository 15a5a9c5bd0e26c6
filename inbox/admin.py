from __future__ import annotations

from django.contrib import admin

from inbox.forms import InboxFolderForm
from inbox.models import InboxFolder


@admin.register(InboxFolder)
class InboxFolderAdmin(admin.ModelAdmin):
    form = InboxFolderForm
    list_display = ("name", "path", "mode", "library", "enabled")
    list_filter = ("mode", "enabled")
    search_fields = ("name", "path")
