"""Real files in a temporary library folder, with their MediaFile rows."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.utils import timezone

from library.models import Batch, FileOperation, Library, MediaFile


def library_make(root: Path, name: str = "TV") -> Library:
    root.mkdir(parents=True, exist_ok=True)
    return Library.objects.create(name=name, root_path=str(root))


def media_make(
    library: Library, relative: str, *, content: bytes | None = None, **fields: Any
) -> MediaFile:
    """A file at `relative` inside the library (written unless content is None and the
    file exists) and its row; fields default to an unknown video."""
    path = os.path.join(library.root_path, relative)
    if content is not None or not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(content if content is not None else relative.encode())
    return MediaFile.objects.create(
        library=library, path=path, name=os.path.basename(path), **fields
    )


def episode_make(library: Library, relative: str, **fields: Any) -> MediaFile:
    values: dict[str, Any] = {
        "media_type": MediaFile.MediaType.TV_SHOW,
        "title": "Show",
        "year": 2019,
        "season": 1,
        "episode": 2,
    }
    values.update(fields)
    values.setdefault("episodes", [values["episode"]] if values["episode"] is not None else [])
    return media_make(library, relative, **values)


def tree(root: Path | str) -> dict[str, bytes]:
    """Every file under `root`: relative path -> content."""
    found = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, root)] = handle.read()
    return found


def operations_add(batch: Batch, **statuses: int) -> None:
    """`count` journal rows in each status given (completed=3, failed=1, …) to `batch`."""
    now = timezone.now()
    root = batch.library.root_path if batch.library else "/media"
    FileOperation.objects.bulk_create(
        FileOperation(
            batch=batch,
            original_path=f"{root}/in/{batch.pk}-{status}-{n}.mkv",
            new_path=f"{root}/out/{batch.pk}-{status}-{n}.mkv",
            status=status,
            completed_at=now,
            rolled_back_at=now if status == "rolled_back" else None,
        )
        for status, count in statuses.items()
        for n in range(count)
    )


def batch_make(library: Library, *, by: Any = None, kind: str = "apply", **statuses: int) -> Batch:
    """A batch of `library` with `count` operations in each status given."""
    batch = Batch.objects.create(library=library, created_by=by, kind=kind)
    operations_add(batch, **statuses)
    return batch
