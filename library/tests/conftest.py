from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import pytest

from library.models import Library


def make_files(root: Path, names: list[str], content: bytes = b"") -> list[Path]:
    paths = []
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content or name.encode())
        paths.append(path)
    return paths


def scandir_before_stat(monkeypatch, hook: Callable[[str], None]) -> None:
    """Make os.scandir call hook(path) just before each entry's stat().

    For what happens between a folder's listing and a file's stat: the file
    vanishes, or turns out to be unreadable.
    """
    real = os.scandir

    class Entry:
        def __init__(self, entry: os.DirEntry) -> None:
            self._entry = entry

        def __getattr__(self, name: str) -> object:
            return getattr(self._entry, name)

        def stat(self, *, follow_symlinks: bool = True) -> os.stat_result:
            hook(self._entry.path)
            return self._entry.stat(follow_symlinks=follow_symlinks)

    class Listing(list):
        def __enter__(self) -> Listing:
            return self

        def __exit__(self, *exc: object) -> Literal[False]:
            return False

    monkeypatch.setattr(os, "scandir", lambda path: Listing(Entry(e) for e in real(path)))


@pytest.fixture
def media_root(tmp_path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    return root


@pytest.fixture
def library(db, media_root) -> Library:
    return Library.objects.create(name="TV", root_path=str(media_root))
