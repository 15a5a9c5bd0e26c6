from __future__ import annotations

from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "library"

    def ready(self) -> None:
        from library import (
            app_settings,
            summaries,  # noqa: F401  (its job summaries register themselves)
        )
        from library.tasks import plans_enqueue_stale
        from plexomatic_site.settings_store import settings_changed, settings_register

        settings_register(*app_settings.SETTINGS)
        # A new naming template makes every stored plan stale: plan them again.
        settings_changed.connect(plans_enqueue_stale, dispatch_uid="library-plans")
