from __future__ import annotations

from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "inbox"

    def ready(self) -> None:
        from inbox import (
            app_settings,
            summaries,  # noqa: F401  (its job summary registers itself)
        )
        from plexomatic_site.settings_store import settings_register

        settings_register(*app_settings.SETTINGS)
