from __future__ import annotations

from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "backups"

    def ready(self) -> None:
        from backups import checks  # noqa: F401  (registers the system check)
