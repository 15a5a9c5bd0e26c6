"""`backup`: take a verified backup of the database now, when due, or verify one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.template.defaultfilters import filesizeformat

from backups.models import BackupKind
from backups.services.folder import backup_folder, live_engine
from backups.services.schedule import backup_due, backup_job_run
from backups.services.sync import backup_name_resolve, backups_sync
from backups.services.verify import backup_verify
from plexomatic_site.commands import PlexomaticCommand


class Command(PlexomaticCommand):
    help = (
        "Back up the database while the site keeps running: an online snapshot (SQLite) or "
        "pg_dump archive (PostgreSQL), checked, hashed and described by a manifest in the "
        "backup folder. "
        "With --verify, check an existing backup instead."
    )
    long_running = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--note", default="", help="A note stored with the backup.")
        parser.add_argument(
            "--if-due",
            action="store_true",
            help="Back up only when the schedule says one is due (for cron); kind 'scheduled'.",
        )
        parser.add_argument(
            "--verify",
            metavar="BACKUP",
            help="Check backup BACKUP (id or file name) against its manifest instead.",
        )

    def handle(
        self,
        *args: Any,
        note: str,
        if_due: bool,
        verify: str | None,
        **options: Any,
    ) -> None:
        if verify is not None and (note or if_due):
            raise CommandError(
                "--verify checks an existing backup; it takes no --note or --if-due."
            )
        if len(note) > 200:
            raise CommandError("--note is longer than 200 characters; shorten it.")
        live_engine()
        backup_folder()  # exists and is writable, before anything reads it
        backups_sync()
        if verify is not None:
            self._verify(verify)
            return
        if if_due and not backup_due():
            self.stdout.write("No backup is due; nothing to do.")
            return
        kind = BackupKind.SCHEDULED if if_due else BackupKind.MANUAL
        try:
            with self.progress("Backing up", unit=" pages") as progress:
                taken = backup_job_run(kind=kind, note=note, progress=progress)
        except KeyboardInterrupt:
            raise CommandError("Interrupted; nothing was kept.") from None
        self.stdout.write(str(taken.snapshot.path))
        for warning in taken.warnings:
            self.stdout.write(self.style.WARNING(warning))
        pruned = f"; pruned {len(taken.pruned)} old backup(s)" if taken.pruned else ""
        self.summary(
            f"Backed up the database ({BackupKind(kind).label.lower()}, "
            f"{filesizeformat(taken.snapshot.manifest.size)}, integrity ok, "
            f"sha256 {taken.snapshot.manifest.sha256[:12]}…){pruned}."
        )

    def _verify(self, value: str) -> None:
        name = backup_name_resolve(value)
        with self.progress("Verifying", unit="") as progress:
            try:
                manifest = backup_verify(name=name, progress=progress)
            finally:
                backups_sync()
        self.summary(
            f"{name} is sound: sha256 matches its manifest and the integrity check passed "
            f"({filesizeformat(manifest.size)})."
        )
