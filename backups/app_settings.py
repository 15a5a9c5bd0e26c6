"""The backups app's settings: schedule and retention (registered in BackupsConfig.ready)."""

from __future__ import annotations

from plexomatic_site.forms import int_field
from plexomatic_site.settings_store import Setting


def _retention(prefix: str, what: str, *, count: int, days: int) -> tuple[Setting, Setting]:
    """The two retention settings of one kind of backup: how many, and how old."""
    return (
        Setting(
            key=f"{prefix}_keep_count",
            label=f"Keep this many {what}",
            help_text=f"The newest this many {what} are kept; older ones are pruned.",
            default=count,
            group="Backups",
            make_field=int_field(1, 10_000),
        ),
        Setting(
            key=f"{prefix}_keep_days",
            label=f"Keep {what} for (days)",
            help_text=f"{what.capitalize()} older than this are pruned. Manual, imported and "
            "pinned backups are always kept, and so is the newest verified one.",
            default=days,
            group="Backups",
            make_field=int_field(1, 36_500),
        ),
    )


SETTINGS: tuple[Setting, ...] = (
    Setting(
        key="backup_interval_hours",
        label="Backup interval (hours)",
        help_text="How often the running site backs up its database; 0 turns this off.",
        default=24,
        group="Backups",
        make_field=int_field(0, 24 * 365),
    ),
    *_retention("backup", "scheduled backups", count=14, days=30),
    *_retention("backup_pre_migration", "backups taken before a migration", count=5, days=180),
    *_retention("backup_pre_restore", "backups taken before a restore", count=5, days=90),
)
