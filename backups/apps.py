from __future__ import annotations

from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "backups"

    def ready(self) -> None:
        from backups import (
            app_settings,
            checks,  # noqa: F401  (registers the system check)
            summaries,  # noqa: F401  (its job summaries register themselves)
        )
        from plexomatic_site.settings_store import settings_register

        settings_register(*app_settings.SETTINGS)
