"""What an inbox import reports when it finishes (see plexomatic_site.summaries)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from library.models import Batch
from plexomatic_site.models import JobKind
from plexomatic_site.summaries import JobSummary, SummaryLine, SummaryLink


@dataclass
class ImportSummary(JobSummary, kind=JobKind.IMPORT):
    inbox_id: int | None = None
    batch: int | None = None
    completed: int = 0
    failed: int = 0
    # Files left in the inbox by reason label ("not recognised": 3).
    left: dict[str, int] = field(default_factory=dict)
    # Files still being written.
    settling: int = 0
    # "path: why", for the first failures; then the walk's problems.
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def headline(self) -> str:
        batch = f" (batch {self.batch})" if self.batch else ""
        left = "".join(f", left ({label}): {n}" for label, n in sorted(self.left.items()))
        settling = f", still being written: {self.settling}" if self.settling else ""
        return f"{self.completed} imported{batch}, {self.failed} failed{left}{settling}."

    def lines(self) -> list[SummaryLine]:
        shown = [SummaryLine(f"Not imported: {failure}", "error") for failure in self.failures]
        shown += [SummaryLine(error, "warning", code=True) for error in self.errors]
        return shown

    def link(self) -> SummaryLink | None:
        if self.batch is None or not Batch.objects.filter(pk=self.batch).exists():
            return None
        return SummaryLink(f"Open batch {self.batch}", reverse("library:batch", args=[self.batch]))
