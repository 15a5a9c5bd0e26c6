"""Telling a moved file from a new one, reading as few files as possible.

A scan reads a file (its sampled checksum, `checksum_compute`) only when that
decides whether it is a moved file, because on a network share every read
costs a round trip or three:

- a new file is read only when a vanished row could be it: one with a
  fingerprint and the same size, or one without a fingerprint and the same
  size and mtime. Every other new file (all of a first scan's) is not read;
- a moved file is the vanished row with its fingerprint, or else the only
  vanished row without one that has its size and mtime when it is also the
  only new file with them (a rename keeps both; ambiguity leaves both as they
  look: one new, one missing). The moved row keeps the fingerprint read.

A changed file (same path, new size or mtime) is not read; its old fingerprint,
now wrong, is dropped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from library.models import Library, MediaFile
from plexomatic_site.queries import chunked

# A new file's row fields, as the scan builds them (path, size, mtime, fingerprint, ...).
NewFile = dict[str, Any]


class VanishedRows:
    """The rows a scan did not find again, as candidates for the new files."""

    def __init__(self, rows: Iterable[tuple[str, int, float, str]]) -> None:
        # Fingerprint -> path (the first path for a repeated one).
        self.by_fingerprint: dict[str, str] = {}
        self.sizes: set[int] = set()
        # (size, mtime) -> paths of the rows without a fingerprint.
        self.by_stat: dict[tuple[int, float], list[str]] = defaultdict(list)
        for path, size, mtime, fingerprint in rows:
            if fingerprint:
                self.by_fingerprint.setdefault(fingerprint, path)
                self.sizes.add(size)
            else:
                self.by_stat[(size, mtime)].append(path)

    @classmethod
    def of(cls, library: Library, paths: list[str]) -> VanishedRows:
        fields = ("path", "size", "mtime", "fingerprint")
        return cls(
            row
            for chunk in chunked(paths)
            for row in MediaFile.objects.filter(library=library, path__in=chunk).values_list(
                *fields
            )
        )

    def could_be(self, size: int, mtime: float) -> bool:
        """Whether a new file of this size and mtime may be one of these rows (then read it)."""
        return size in self.sizes or (size, mtime) in self.by_stat

    def match(self, new: list[NewFile]) -> dict[str, NewFile]:
        """Old path -> the new file found for it."""
        moved: dict[str, NewFile] = {}
        by_stat: dict[tuple[int, float], list[NewFile]] = defaultdict(list)
        for media in new:
            old = self.by_fingerprint.pop(media["fingerprint"], None)
            if old is not None:
                moved[old] = media
            else:
                by_stat[(media["size"], media["mtime"])].append(media)
        for key, olds in self.by_stat.items():
            found = by_stat.get(key, [])
            if len(olds) == 1 and len(found) == 1:
                moved[olds[0]] = found[0]
        return moved
