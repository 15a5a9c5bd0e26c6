from __future__ import annotations

from django.apps import AppConfig


class PlexomaticSiteConfig(AppConfig):
    name = "plexomatic_site"
    verbose_name = "Plex-o-matic"

    def ready(self) -> None:
        from plexomatic_site import (
            app_settings,
            checks,  # noqa: F401  (registers the checks)
        )
        from plexomatic_site.settings_store import settings_register

        settings_register(*app_settings.SETTINGS)
