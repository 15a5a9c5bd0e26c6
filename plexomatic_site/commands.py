"""The base of every Plex-o-matic management command.

It owns what each command would otherwise repeat: the `--no-progress`
option and the progress bar on stderr, the refusal of a database that is
not set up, the one-line summary, and the error contract (a failure is one
sentence on stderr and a non-zero exit, never a traceback; see
plexomatic_site.errors).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plexomatic_site.errors import user_message
from plexomatic_site.progress import Progress, progress_bar
from plexomatic_site.startup import database_connect, database_require_ready


class UserErrorsMixin:
    """Any failure of `execute` leaves as a CommandError with the user's sentence."""

    def prepare(self) -> None:
        """Checks before the command runs; a PlexomaticError here is reported too."""

    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            # Before the system checks, which may query it: one sentence if it is unreachable.
            database_connect()
            self.prepare()
            return super().execute(*args, **options)  # type: ignore[misc]
        except CommandError:
            raise
        except (Exception, KeyboardInterrupt) as exc:
            name = type(self).__module__.rpartition(".")[2]
            raise CommandError(user_message(exc, context=f"manage.py {name}")) from None


class PlexomaticCommand(UserErrorsMixin, BaseCommand):
    # Refuse to start on a database `migrate` has not set up (with a sentence).
    needs_database = True
    # Long jobs draw a progress bar on stderr, and take --no-progress.
    long_running = False

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        if self.long_running:
            parser.add_argument(
                "--no-progress", action="store_true", help="Do not draw a progress bar on stderr."
            )
        return parser

    def execute(self, *args: Any, **options: Any) -> str | None:
        self._progress_enabled = not options.get("no_progress", False)
        return super().execute(*args, **options)

    def prepare(self) -> None:
        if self.needs_database:
            database_require_ready()

    @contextmanager
    def progress(self, description: str, *, unit: str = " files") -> Iterator[Progress]:
        with progress_bar(description, enabled=self._progress_enabled, unit=unit) as bar:
            yield bar

    def summary(self, line: str, *, ok: bool = True) -> None:
        """The command's last line: what it did, in one sentence."""
        self.stdout.write(self.style.SUCCESS(line) if ok else self.style.WARNING(line))
