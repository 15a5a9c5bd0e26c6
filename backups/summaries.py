"""What a backup job reports when it finishes (see plexomatic_site.summaries)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from plexomatic_site.models import JobKind
from plexomatic_site.summaries import JobSummary, SummaryLine, SummaryLink


@dataclass
class BackupSummary(JobSummary, kind=JobKind.BACKUP):
    file_name: str = ""
    size: int = 0
    pruned: list[str] = field(default_factory=list)
    # What went wrong after the backup was safely kept (index, pruning).
    warnings: list[str] = field(default_factory=list)

    def headline(self) -> str:
        pruned = f"; pruned {len(self.pruned)} old backup(s)" if self.pruned else ""
        return f"Backed up the database to {self.file_name} ({filesizeformat(self.size)}){pruned}."

    def lines(self) -> list[SummaryLine]:
        return [
            *(SummaryLine(f"Pruned {name}", code=True) for name in self.pruned),
            *(SummaryLine(warning, "warning") for warning in self.warnings),
        ]

    def link(self) -> SummaryLink:
        return SummaryLink("Backups", reverse("backups:list"))
