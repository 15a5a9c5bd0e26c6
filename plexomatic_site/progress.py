"""Progress callbacks: the type services take, one that ignores progress, and one that
draws a tqdm bar on stderr for management commands."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from tqdm import tqdm


class Progress(Protocol):
    """What every service's `progress` argument is: called as work gets done.

    `message` names the phase ("checksumming", "renaming"); a new message
    starts a new count.
    """

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None: ...


def progress_ignore(done: int, total: int | None = None, message: str = "") -> None:
    """The default progress callback: callers that show nothing pass this."""


def progress_to_all(*callbacks: Progress) -> Progress:
    """One progress callback that reports to several (a bar and a job, say)."""

    def progress(done: int, total: int | None = None, message: str = "") -> None:
        for callback in callbacks:
            callback(done, total, message)

    return progress


@contextmanager
def progress_bar(
    description: str, *, enabled: bool = True, unit: str = " files"
) -> Iterator[Progress]:
    """Yields progress(done, total=None, message="") as services expect it.

    A new message starts a new phase (checksumming, then renaming) with its
    own count.
    """
    bar = tqdm(desc=description, unit=unit, file=sys.stderr, disable=not enabled, leave=False)
    phase = ""

    def progress(done: int, total: int | None = None, message: str = "") -> None:
        nonlocal phase
        if message != phase:
            phase = message
            bar.set_description(f"{description}: {message}" if message else description)
            bar.reset(total=total)
        if total != bar.total:
            bar.total = total
            bar.refresh()
        bar.update(done - bar.n)

    try:
        yield progress
    finally:
        bar.close()
