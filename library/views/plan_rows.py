"""A plan line as the rename and import previews show it (templates/includes/plan_cells.html)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from library.services.plan import Reason, path_marked


def reason_tone(reason: str) -> str:
    """The badge's tone for a planner Reason."""
    if reason == Reason.READY:
        return "ok"
    return "muted" if reason == Reason.ALREADY_CORRECT else "warning"


class PlanRow:
    """One file of a plan: its path now, its new path (or none), and why it stays if it does.

    `tone` colours the status badge: "ok" (it moves), "muted" (already right),
    "warning" (anything else that stays).
    """

    def __init__(
        self,
        source: str,
        target: str | None,
        *,
        label: str,
        tone: str,
        detail: str = "",
        effects: Sequence[str] = (),
        label_for: str = "",
    ) -> None:
        self.source, self.target = source, target or ""
        self.reason_label, self.tone = label, tone
        self.detail, self.effects = detail, list(effects)
        # The id of the row's checkbox, which the current path labels.
        self.label_for = label_for

    @cached_property
    def _marked(self) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
        return path_marked(self.source, self.target)

    @property
    def old(self) -> tuple[str, str, str]:
        """The current path around what changes: (before, changed, after)."""
        return self._marked[0]

    @property
    def new(self) -> tuple[str, str, str]:
        return self._marked[1]

    @property
    def ready(self) -> bool:
        return self.tone == "ok"
