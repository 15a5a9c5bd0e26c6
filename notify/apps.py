from __future__ import annotations

from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "notify"
    verbose_name = "Plex and notifications"

    def ready(self) -> None:
        from notify import app_settings
        from notify.events import backup_failed_notify, changes_notify
        from notify.recovery import notifications_settle
        from plexomatic_site.events import backup_failed, files_changed, recovery_run
        from plexomatic_site.settings_store import settings_register

        settings_register(*app_settings.SETTINGS)
        files_changed.connect(changes_notify, dispatch_uid="notify-changes")
        backup_failed.connect(backup_failed_notify, dispatch_uid="notify-backup-failed")
        recovery_run.connect(notifications_settle, dispatch_uid="notify-recovery")
