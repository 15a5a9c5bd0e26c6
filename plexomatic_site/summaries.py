"""Typed job summaries: what a finished job reports, stored as JSON on its Job row.

Each kind of job has one `JobSummary` dataclass (declared in its app with
`kind=JobKind.X`, which registers it). The job runner stores `to_json()`;
the job page, its status JSON and the commands all render from the typed
object (`lines()`, `headline()`, `link()`), never by guessing from keys.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Self

from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from plexomatic_site.models import Job, JobKind

Level = Literal["", "warning", "error"]


@dataclass(frozen=True)
class SummaryLine:
    """One line of a job's result: "Renamed: 392", or a warning or an error."""

    text: str
    level: Level = ""
    # Shown as code (a path, a file name), not as prose.
    code: bool = False


@dataclass(frozen=True)
class SummaryLink:
    text: str
    url: str


_REGISTRY: dict[str, type[JobSummary]] = {}


class JobSummary:
    """Base of every job's summary. Subclasses are dataclasses whose fields
    all have defaults, so a summary stored by an older version still loads."""

    kind: ClassVar[JobKind]

    def __init_subclass__(cls, *, kind: JobKind | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if kind is not None:
            if kind in _REGISTRY:
                raise TypeError(f"Job kind {kind!r} already has a summary type.")
            cls.kind = kind
            _REGISTRY[kind] = cls

    def headline(self) -> str:
        """The one-line summary a command prints and the job page leads with."""
        raise NotImplementedError

    def lines(self) -> list[SummaryLine]:
        """The details under the headline (warnings, errors, counts)."""
        return []

    def link(self) -> SummaryLink | None:
        """Where to see what the job produced (the batch, the backup, the library)."""
        return None

    def job_summary(self) -> JobSummary:
        """A summary is its own summary: work may return one directly."""
        return self

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)  # type: ignore[call-overload]  # subclasses are dataclasses

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self:
        known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        return cls(**{key: value for key, value in data.items() if key in known})


def job_summary(job: Job) -> JobSummary | None:
    """The typed summary of a finished job, or None when it has none (yet)."""
    summary_type = _REGISTRY.get(job.kind)
    if summary_type is None or not isinstance(job.summary, dict) or not job.summary:
        return None
    try:
        return summary_type.from_json(job.summary)
    except TypeError:  # a row written in a shape no version of this type had
        return None


@dataclass
class VacuumSummary(JobSummary, kind=JobKind.VACUUM):
    """What compacting the database (plexomatic_site.database) gave back."""

    size_before: int = 0
    size_after: int = 0
    seconds: float = 0.0

    def headline(self) -> str:
        gained = max(0, self.size_before - self.size_after)
        return (
            f"Compacted the database from {filesizeformat(self.size_before)} to "
            f"{filesizeformat(self.size_after)} ({filesizeformat(gained)} given back) "
            f"in {self.seconds:.1f} s."
        )

    def link(self) -> SummaryLink:
        return SummaryLink("Backups", reverse("backups:list"))
