"""Query helpers every app shares."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")

# Values per `field__in` query: well under SQLite's limit on bound parameters
# (32,766 since 3.32) and PostgreSQL's (65,535).
IN_CHUNK = 5000


def chunked(values: Iterable[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    """`values` in lists of at most `size`, for `__in` lookups on large sets."""
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk
