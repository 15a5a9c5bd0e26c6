"""The rules for an inbox folder: readable, and apart from every library and other inbox."""

from __future__ import annotations

import os

from django.core.exceptions import ValidationError

from inbox.models import ImportMode, InboxFolder
from library.services.libraries import folder_overlap_refuse, library_root_clean


def inbox_path_clean(path: str, *, mode: str, exclude_pk: int | None = None) -> str:
    """The normalised folder for `path`, or ValidationError saying what is wrong.

    The same rules as a library's folder (absolute, existing, readable, not a
    system or Plex-o-matic folder, neither inside nor holding a library: a file
    would be imported into the folder it already is in), and apart from other
    inboxes. A move needs to write in it (the file leaves it).
    """
    folder = library_root_clean(path)
    if mode == ImportMode.MOVE and not os.access(folder, os.W_OK):
        raise ValidationError(
            f"{folder} cannot be written by Plex-o-matic, so files cannot be moved out of it; "
            "choose copy or hard link, or give it write permission."
        )
    others = InboxFolder.objects.only("name", "path")
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    folder_overlap_refuse(folder, ((f"the inbox “{o.name}”", o.path) for o in others))
    return folder


def inbox_check(inbox: InboxFolder) -> None:
    """Before an import: the folder is still valid (a library may have been added inside
    it since) and has a library to import into; ValidationError otherwise."""
    inbox_path_clean(inbox.path, mode=inbox.mode, exclude_pk=inbox.pk)
    if not inbox.libraries():
        raise ValidationError(
            f"The inbox “{inbox.name}” has no library to import into: choose one, or one per type."
        )
