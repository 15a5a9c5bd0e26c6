"""The site's own settings: how much job history is kept (registered in its AppConfig.ready)."""

from __future__ import annotations

from plexomatic_site.forms import int_field
from plexomatic_site.settings_store import Setting

SETTINGS: tuple[Setting, ...] = (
    Setting(
        key="job_history_days",
        label="Keep finished jobs for (days)",
        help_text="Finished jobs, and their rows in the task queue, older than this are pruned "
        "once a day. Queued and running jobs, and the latest job of each library and of "
        "backups, are always kept.",
        default=90,
        group="Housekeeping",
        make_field=int_field(1, 36_500),
    ),
    Setting(
        key="job_history_max_rows",
        label="Keep at most this many finished jobs",
        help_text="Only the newest this many finished jobs (and task-queue rows) are kept, "
        "however recent the others are.",
        default=10_000,
        group="Housekeeping",
        make_field=int_field(10, 10_000_000),
    ),
)
