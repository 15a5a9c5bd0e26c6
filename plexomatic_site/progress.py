"""Progress callbacks: the type services take, one that ignores progress, and the one
management commands use: a tqdm bar when stderr is a terminal, plain lines when it is
a log or cron's mail (a bar's carriage returns make garbage there)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol, TextIO

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


# How often a progress line is written when stderr is not a terminal.
LINE_EVERY = 10.0


@contextmanager
def progress_bar(
    description: str, *, enabled: bool = True, unit: str = " files", stream: TextIO | None = None
) -> Iterator[Progress]:
    """Yields progress(done, total=None, message="") as services expect it, drawn on
    `stream` (stderr): a bar on a terminal, else a line per phase and every LINE_EVERY s.

    A new message starts a new phase (checksumming, then renaming) with its
    own count.
    """
    stream = stream or sys.stderr
    if not enabled:
        yield progress_ignore
    elif stream.isatty():
        with _bar(description, unit=unit, stream=stream) as bar:
            yield bar
    else:
        yield _lines(description, unit=unit, stream=stream, clock=time.monotonic)


@contextmanager
def _bar(description: str, *, unit: str, stream: TextIO) -> Iterator[Progress]:
    bar = tqdm(desc=description, unit=unit, file=stream, leave=False)
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


def _lines(description: str, *, unit: str, stream: TextIO, clock: Callable[[], float]) -> Progress:
    """Progress as whole lines: the first call of each phase, then at most one line
    every LINE_EVERY seconds ("TV: Recognising new and changed files: 1,200 of 5,000 files")."""
    phase: str | None = None
    last = 0.0

    def progress(done: int, total: int | None = None, message: str = "") -> None:
        nonlocal phase, last
        now = clock()
        if message == phase and now - last < LINE_EVERY:
            return
        phase, last = message, now
        head = f"{description}: {message}" if message else description
        count = f"{done:,}" if total is None else f"{done:,} of {total:,}"
        stream.write(f"{head}: {count}{unit}\n" if done or total else f"{head}\n")
        stream.flush()

    return progress
