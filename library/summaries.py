"""What the library's jobs report when they finish (see plexomatic_site.summaries)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from library.models import Batch, Library
from plexomatic_site.models import JobKind
from plexomatic_site.summaries import JobSummary, SummaryLine, SummaryLink

# How many errors a summary keeps word for word; the count is always exact.
ERRORS_KEPT = 100


def _library_link(library_id: int | None) -> SummaryLink | None:
    if library_id is None or not Library.objects.filter(pk=library_id).exists():
        return None
    return SummaryLink("Open the library", reverse("library:detail", args=[library_id]))


@dataclass
class ScanSummary(JobSummary, kind=JobKind.SCAN):
    library_id: int | None = None
    # Media files the walk met: seen = unchanged + new + changed + moved + excluded.
    seen: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    moved: int = 0
    missing: int = 0
    # Media files seen that an ignore pattern or a .plexignore leaves out.
    excluded: int = 0
    # Folders left out whole (not looked into), by a pattern or a .plexignore.
    excluded_folders: int = 0
    # The rule -> how many files and folders it left out.
    excluded_rules: dict[str, int] = field(default_factory=dict)
    # Rows removed because the extension or ignore rules now leave their file out.
    removed: int = 0
    returned: int = 0
    error_count: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # Known names read again because recognition or the library's kind changed.
    recognised_again: int = 0
    # Files whose stored rename plan was made again (new, changed, gone, and their group).
    replanned: int = 0
    # Files read for their sampled checksum (only new files that may be moved ones).
    read: int = 0
    # Seconds per phase (scan.PHASES: walk, fingerprint, recognition, database, ...).
    phases: dict[str, float] = field(default_factory=dict)

    def error(self, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < ERRORS_KEPT:
            self.errors.append(message)

    def headline(self) -> str:
        """ "404 seen = 392 unchanged + 3 new + 0 changed + 0 moved + 9 excluded; …": the
        sum adds up (a row refused by the database is one of the errors)."""
        folders = self.excluded_folders
        return (
            f"{self.seen} seen = {self.unchanged} unchanged + {self.new} new + "
            f"{self.changed} changed + {self.moved} moved + {self.excluded} excluded"
            + (f" (and {folders} folder{'s' if folders != 1 else ''} left out)" if folders else "")
            + f"; {self.missing} missing, {self.returned} back, {self.error_count} errors "
            f"in {self.seconds:.1f} s"
            + (f"; {self.removed} removed by the rules" if self.removed else "")
            + (f"; {self.recognised_again} recognised anew" if self.recognised_again else "")
            + (f"; {self.replanned} planned again" if self.replanned else "")
        )

    def lines(self) -> list[SummaryLine]:
        shown = [SummaryLine(error, "error", code=True) for error in self.errors]
        hidden = self.error_count - len(self.errors)
        if hidden > 0:
            shown.append(SummaryLine(f"… and {hidden} more errors.", "error"))
        if self.excluded_rules:
            rules = ", ".join(f"{rule} {count}" for rule, count in self.excluded_rules.items())
            shown.append(SummaryLine(f"Excluded by rule: {rules}."))
        if self.phases:
            spent = ", ".join(
                f"{phase.replace('_', ' ')} {seconds:.1f} s"
                for phase, seconds in self.phases.items()
            )
            shown.append(
                SummaryLine(f"Time: {spent}. Files read to tell moved files from new: {self.read}.")
            )
        return shown

    def link(self) -> SummaryLink | None:
        return _library_link(self.library_id)


@dataclass
class PlanSummary(JobSummary, kind=JobKind.PLAN):
    library_id: int | None = None
    replanned: int = 0
    checked: int = 0
    full: bool = False
    seconds: float = 0.0

    def headline(self) -> str:
        how = "in full" if self.full else "where they changed"
        return (
            f"Planned {self.replanned} of {self.checked} file(s) again ({how}) "
            f"in {self.seconds:.1f} s."
        )

    def link(self) -> SummaryLink | None:
        if self.library_id is None:
            return None
        return SummaryLink(
            "Open the rename preview", f"{reverse('library:rename')}?library={self.library_id}"
        )


@dataclass
class ApplySummary(JobSummary, kind=JobKind.APPLY):
    batch: int | None = None
    completed: int = 0
    failed: int = 0
    # Files picked for renaming that the plan blocked: reason label -> count.
    skipped: dict[str, int] = field(default_factory=dict)
    folders_removed: int = 0
    # "path: why", for the first failures.
    failures: list[str] = field(default_factory=list)

    def headline(self) -> str:
        batch = f" (batch {self.batch})" if self.batch else ""
        skipped = "".join(f", skipped ({label}): {n}" for label, n in sorted(self.skipped.items()))
        return f"{self.completed} renamed{batch}, {self.failed} failed{skipped}."

    def lines(self) -> list[SummaryLine]:
        shown = [SummaryLine(f"Not renamed: {failure}", "error") for failure in self.failures]
        if self.folders_removed:
            shown.append(SummaryLine(f"Removed {self.folders_removed} folder(s) left empty."))
        return shown

    def link(self) -> SummaryLink | None:
        if self.batch is None or not Batch.objects.filter(pk=self.batch).exists():
            return None
        return SummaryLink(f"Open batch {self.batch}", reverse("library:batch", args=[self.batch]))


@dataclass
class RollbackSummary(JobSummary, kind=JobKind.ROLLBACK):
    rolled_back: int = 0
    not_rolled_back: int = 0
    # "Operation N (path): why", for the first problems.
    problems: list[str] = field(default_factory=list)

    def headline(self) -> str:
        total = self.rolled_back + self.not_rolled_back
        line = f"Rolled back {self.rolled_back} of {total} operation(s)"
        if self.not_rolled_back:
            return f"{line}; {self.not_rolled_back} could not be."
        return f"{line}."

    def lines(self) -> list[SummaryLine]:
        return [SummaryLine(f"Not rolled back: {problem}", "error") for problem in self.problems]

    def link(self) -> SummaryLink:
        return SummaryLink("Operation history", reverse("library:history"))


@dataclass
class RecoverySummary(JobSummary, kind=JobKind.RECOVER):
    library_id: int | None = None
    settled: int = 0

    def headline(self) -> str:
        return f"Settled {self.settled} interrupted operation(s)."

    def link(self) -> SummaryLink:
        return SummaryLink("Operation history", reverse("library:history"))


@dataclass
class LibraryDeleteSummary(JobSummary, kind=JobKind.DELETE):
    library_name: str = ""
    media_rows_removed: int = 0

    def headline(self) -> str:
        return (
            f"Removed “{self.library_name}” and its {self.media_rows_removed} media rows; "
            "no file on disk was touched."
        )

    def link(self) -> SummaryLink:
        return SummaryLink("Libraries", reverse("library:list"))
