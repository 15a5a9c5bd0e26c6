"""A tqdm progress bar on stderr as a service progress callback."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm


@contextmanager
def progress_bar(*, disable: bool) -> Iterator[Callable[..., None]]:
    with tqdm(total=None, file=sys.stderr, disable=disable, leave=False) as bar:

        def progress(done: int, total: int | None = None, message: str = "") -> None:
            if total is not None and bar.total != total:
                bar.reset(total=total)
            bar.set_description(message, refresh=False)
            bar.n = done
            bar.refresh()

        yield progress
