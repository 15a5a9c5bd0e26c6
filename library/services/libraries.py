"""Creating, changing and deleting libraries: the rules for a library root."""

from __future__ import annotations

import os

from django.core.exceptions import ValidationError
from django.db import transaction

from library.models import Library
from library.services.paths import is_within


def library_root_clean(path: str, *, exclude_pk: int | None = None) -> str:
    """The normalised root for `path`, or ValidationError saying what is wrong.

    The root must be an existing, readable folder and must neither lie inside
    nor contain another library's root (a file would belong to two libraries).
    """
    path = path.strip()
    if not path:
        raise ValidationError("Enter the folder that holds the media.")
    if not os.path.isabs(os.path.expanduser(path)):
        raise ValidationError(
            f"{path} is not an absolute path; start it with / (or a drive letter)."
        )
    root = os.path.normpath(os.path.expanduser(path))
    if not os.path.exists(root):
        raise ValidationError(f"{root} does not exist.")
    if not os.path.isdir(root):
        raise ValidationError(f"{root} is a file, not a folder.")
    if not os.access(root, os.R_OK | os.X_OK):
        raise ValidationError(f"{root} cannot be read by Plex-o-matic (permission denied).")
    others = Library.objects.exclude(pk=exclude_pk).only("name", "root_path")
    for other in others:
        if is_within(root, other.root_path):
            raise ValidationError(
                f"{root} lies inside the library “{other.name}” ({other.root_path})."
            )
        if is_within(other.root_path, root):
            raise ValidationError(
                f"{root} contains the library “{other.name}” ({other.root_path})."
            )
    return root


def library_create(*, name: str, root_path: str) -> Library:
    name = name.strip()
    if not name:
        raise ValidationError("Give the library a name.")
    with transaction.atomic():
        if Library.objects.filter(name=name).exists():
            raise ValidationError(f"A library named “{name}” already exists.")
        root = library_root_clean(root_path)
        return Library.objects.create(name=name, root_path=root)


def library_delete(*, library: Library) -> int:
    """Forget a library and its media rows; files on disk are never touched.

    Its rename history stays: operations keep their paths, their batch just
    loses the link to the library. Returns the number of media rows removed.
    """
    with transaction.atomic():
        count = library.media_files.count()
        library.delete()
    return count
