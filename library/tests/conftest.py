from __future__ import annotations

from pathlib import Path

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


@pytest.fixture
def media_root(tmp_path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    return root


@pytest.fixture
def library(db, media_root) -> Library:
    return Library.objects.create(name="TV", root_path=str(media_root))
