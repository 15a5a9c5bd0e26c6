"""A tqdm progress bar on stderr that services can report to through a callback."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm


@contextmanager
def progress_bar(*, enabled: bool, desc: str) -> Iterator[Callable[..., None]]:
    bar = tqdm(desc=desc, unit=" files", file=sys.stderr, disable=not enabled, leave=False)

    phase = ""

    def progress(done: int, total: int | None = None, message: str = "") -> None:
        nonlocal phase
        if message != phase:
            # A new phase (checksumming, then renaming) starts its own count.
            phase = message
            bar.set_description(f"{desc}: {message}" if message else desc)
            bar.reset(total=total)
        bar.total = total
        bar.update(done - bar.n)

    try:
        yield progress
    finally:
        bar.close()
