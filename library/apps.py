from __future__ import annotations

from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "library"

    def ready(self) -> None:
        from library import (
            app_settings,
            summaries,  # noqa: F401  (its job summaries register themselves)
        )
        from plexomatic_site.settings_store import settings_register

        settings_register(*app_settings.SETTINGS)
