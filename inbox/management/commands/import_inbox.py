"""`import_inbox`: bring an inbox's finished downloads into the libraries with Plex names."""

from __future__ import annotations

import os
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from inbox.locks import import_locks
from inbox.models import InboxFolder
from inbox.services.inbox_import import inbox_import, inbox_plan_make
from inbox.services.inbox_plan import Choice, ImportPlan
from plexomatic_site.commands import PlexomaticCommand
from plexomatic_site.jobs import job_run, jobs_claim
from plexomatic_site.models import JobKind


def _inboxes(value: str | None) -> list[InboxFolder]:
    if value is None:
        enabled = list(InboxFolder.objects.filter(enabled=True).select_related("library"))
        if not enabled:
            raise CommandError(
                "There is no enabled inbox; add one on the Inbox page or in the admin."
            )
        return enabled
    inbox = InboxFolder.objects.filter(name=value).first()
    if inbox is None and value.isdigit():
        inbox = InboxFolder.objects.filter(pk=int(value)).first()
    if inbox is None:
        known = ", ".join(InboxFolder.objects.values_list("name", flat=True)) or "none yet"
        raise CommandError(f"There is no inbox named or numbered {value!r} (inboxes: {known}).")
    return [inbox]


def _choices(values: list[str]) -> dict[str, str]:
    """`PATH=CHOICE` options: a duplicate's choice, PATH relative to the inbox."""
    chosen = {}
    for value in values:
        path, _, choice = value.rpartition("=")
        if not path or choice not in Choice.values:
            raise CommandError(
                f"--choose {value!r}: write PATH=CHOICE, CHOICE one of {', '.join(Choice.values)}."
            )
        chosen[path] = choice
    return chosen


class Command(PlexomaticCommand):
    help = (
        "Import an inbox's finished downloads into their libraries under Plex names, by the "
        "inbox's mode (move, copy, hard link or symbolic link). Every operation is journaled "
        "first, never overwrites a file, and can be undone with `rollback --batch N`."
    )
    long_running = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "inbox", nargs="?", help="Inbox name or id (default: every enabled one)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the plan and change nothing."
        )
        parser.add_argument("--yes", action="store_true", help="Really import (required).")
        parser.add_argument(
            "--choose",
            action="append",
            default=[],
            metavar="PATH=CHOICE",
            help="For a file the library already has (PATH relative to the inbox): keep_both, "
            "replace or skip (default: the setting). Repeat for several files.",
        )
        parser.add_argument(
            "--only",
            action="append",
            metavar="PATH",
            help="Import only this file (PATH relative to the inbox, as --dry-run prints it); "
            "its subtitles and extras come only if named too. Repeat for several files.",
        )

    def _plan_print(self, plan: ImportPlan) -> None:
        def shown(path: str) -> str:
            return os.path.relpath(path, plan.inbox.path)

        for item in plan.ready():
            note = f"  ({item.note})" if item.note else ""
            self.stdout.write(
                f"  {item.kind}: {shown(item.plan.source)} -> {item.plan.target}{note}"
            )
        for item in plan.left():
            why = f": {item.plan.detail}" if item.plan.detail else ""
            self.stdout.write(f"  stays: {shown(item.plan.source)} ({item.plan.reason_label}){why}")
        for path in plan.collected.settling:
            self.stdout.write(f"  still being written: {path}")
        for error in plan.collected.errors:
            self.stderr.write(f"  {error}")

    def handle(
        self,
        *args: Any,
        inbox: str | None,
        dry_run: bool,
        yes: bool,
        choose: list[str],
        only: list[str] | None,
        **options: Any,
    ) -> None:
        inboxes = _inboxes(inbox)
        choices = _choices(choose)
        if not dry_run and not yes:
            raise CommandError(
                "import_inbox moves, copies or links files into the libraries; check the plan "
                "with --dry-run first, then add --yes."
            )
        imported = failed = 0
        for each in inboxes:
            if dry_run:
                try:
                    plan = inbox_plan_make(each, choices=choices, only=only)
                except ValidationError as exc:
                    raise CommandError(" ".join(exc.messages)) from None
                self.stdout.write(f"{each.name}: {len(plan.ready())} file(s) to import")
                self._plan_print(plan)
                continue
            jobs = jobs_claim(kind=JobKind.IMPORT, locks=import_locks(each))
            with self.progress(each.name) as bar:
                work = partial(inbox_import, inbox=each, choices=choices, only=only)
                try:
                    result = job_run(jobs, work, progress=bar)
                except ValidationError as exc:
                    raise CommandError(" ".join(exc.messages)) from None
            self._plan_print(result.plan)
            summary = result.job_summary()
            for line in summary.lines():
                if line.level == "error":
                    self.stderr.write(f"  {line.text}")
            self.stdout.write(f"{each.name}: {summary.headline()}")
            imported += summary.completed
            failed += summary.failed
        if dry_run:
            self.summary("Dry run: nothing was changed.")
            return
        if failed:
            raise CommandError(
                f"{failed} file(s) could not be imported ({imported} were); see above."
            )
        self.summary(f"Imported {imported} file(s).")
