"""`preview`: what `apply` would rename, and why anything else stays."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from library.management.library_arg import libraries_from_option
from library.services.plan import PlanItem, Reason, plan_build
from plexomatic_site.commands import PlexomaticCommand


class Command(PlexomaticCommand):
    help = (
        "Show the Plex name each media file would get (current -> new, grouped by show or "
        "movie) and the reason for every file that would not be renamed. Changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--library", help="Library name or id (default: every enabled library)."
        )
        parser.add_argument(
            "--all",
            dest="show_all",
            action="store_true",
            help="Also list the files whose names are already correct.",
        )

    def handle(self, *args: Any, library: str | None, show_all: bool, **options: Any) -> None:
        libraries = libraries_from_option(library)
        totals = {"ready": 0, "correct": 0, "other": 0}
        for lib in libraries:
            plan = plan_build(library=lib)
            self.stdout.write(self.style.MIGRATE_HEADING(f"{lib.name} ({lib.root_path})"))
            for group, items in plan.groups(include_correct=show_all):
                self.stdout.write(f"  {group}")
                for item in items:
                    self._item(item)
            counts = plan.counts()
            totals["ready"] += counts[Reason.READY]
            totals["correct"] += counts[Reason.ALREADY_CORRECT]
            totals["other"] += (
                sum(counts.values()) - counts[Reason.READY] - counts[Reason.ALREADY_CORRECT]
            )
        self.stdout.write(
            f"{totals['ready']} file(s) to rename, {totals['correct']} already correct, "
            f"{totals['other']} not renamed, in {len(libraries)} librar"
            f"{'y' if len(libraries) == 1 else 'ies'}."
        )

    def _item(self, item: PlanItem) -> None:
        current = item.source_display
        if item.ready:
            effects = f"  ({', '.join(item.effects)})" if item.effects else ""
            target = self.style.SUCCESS(item.target_display)
            self.stdout.write(f"    {current}\n      -> {target}{effects}")
            return
        why = item.reason_label + (f": {item.detail}" if item.detail else "")
        style = self.style.WARNING if item.reason != Reason.ALREADY_CORRECT else str
        self.stdout.write(f"    {current}\n      {style('[' + why + ']')}")
