"""Creating, changing and deleting libraries: the rules for a library root."""

from __future__ import annotations

import os
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from library.errors import LibraryError
from library.models import Library
from library.services.locks import library_lock
from library.services.paths import is_within
from library.summaries import LibraryDeleteSummary
from plexomatic_site.jobs import JobBusy, job_run, jobs_claim
from plexomatic_site.models import JobKind
from plexomatic_site.progress import Progress


def library_root_clean(path: str, *, exclude_pk: int | None = None, seen_here: bool = True) -> str:
    """The normalised root for `path`, or ValidationError saying what is wrong.

    The root must be an existing, readable folder and must neither lie inside
    nor contain another library's root (a file would belong to two libraries).
    A folder only another machine sees (`seen_here=False`, a library pinned to
    another worker host) is not looked for here: its worker says if it is missing.
    """
    path = path.strip()
    if not path:
        raise ValidationError("Enter the folder that holds the media.")
    if path.startswith("~"):
        # Whose home? The server's user's, which is rarely what was meant.
        raise ValidationError(
            f"{path} starts with ~, which Plex-o-matic does not expand; give the full path "
            "(e.g. /home/you/media)."
        )
    if not os.path.isabs(path):
        raise ValidationError(
            f"{path} is not an absolute path; start it with / (or a drive letter)."
        )
    root = os.path.normpath(path)
    _refuse_system_or_own_folder(root)
    if seen_here:
        _refuse_unreadable(root)
    others = Library.objects.only("name", "root_path")
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    folder_overlap_refuse(root, ((f"the library “{o.name}”", o.root_path) for o in others))
    return root


def folder_overlap_refuse(folder: str, others: Iterable[tuple[str, str]]) -> None:
    """ValidationError when `folder` is, lies inside or holds one of `others`
    ((what it is, its path) pairs), compared through symlinks: two spellings of
    one folder are one folder."""
    real = os.path.realpath(folder)
    for what, path in others:
        other_real = os.path.realpath(path)
        where = f"{what} ({path})"
        if real == other_real:
            raise ValidationError(f"{folder} is already the folder of {where}.")
        if is_within(real, other_real):
            raise ValidationError(f"{folder} lies inside {where}.")
        if is_within(other_real, real):
            raise ValidationError(f"{folder} contains {where}.")


def _refuse_unreadable(root: str) -> None:
    if not os.path.exists(root):
        raise ValidationError(f"{root} does not exist.")
    if not os.path.isdir(root):
        raise ValidationError(f"{root} is a file, not a folder.")
    if not os.access(root, os.R_OK | os.X_OK):
        raise ValidationError(f"{root} cannot be read by Plex-o-matic (permission denied).")


# The kernel's and devices' pseudo-filesystems: nothing in them is media.
SYSTEM_FOLDERS = ("/proc", "/sys", "/dev")


def _refuse_system_or_own_folder(root: str) -> None:
    """Refuse a system folder, Plex-o-matic's own folders, and any folder holding one.

    A scan of /proc never ends, and a rename inside the data or backup folder
    (or a folder containing them, such as /) would move the database itself.
    """
    real = os.path.realpath(root)
    for system in SYSTEM_FOLDERS:
        if is_within(real, system):
            raise ValidationError(f"{root} is a system folder ({system}), not a media folder.")
    own = {
        "data folder": os.path.realpath(settings.DATA_DIR),
        "backup folder": os.path.realpath(settings.PLEXOMATIC_BACKUP_DIR),
    }
    for what, folder in own.items():
        if is_within(real, folder):
            raise ValidationError(f"{root} is in Plex-o-matic's {what} ({folder}).")
        if is_within(folder, real):
            raise ValidationError(
                f"{root} contains Plex-o-matic's {what} ({folder}); choose the folder that "
                "holds only the media."
            )
    for system in SYSTEM_FOLDERS:
        if is_within(system, real):
            raise ValidationError(f"{root} contains the system folder {system}.")


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
    loses the link to the library. Refused (LibraryError) while a scan, apply or
    rollback of the library runs. Returns the number of media rows removed.
    """
    try:
        jobs = jobs_claim(kind=JobKind.DELETE, locks=[library_lock(library)])
    except JobBusy as exc:
        raise LibraryError(f"“{library.name}” was not removed. {exc}") from None

    def delete(*, progress: Progress) -> LibraryDeleteSummary:
        with transaction.atomic():
            count = library.media_files.count()
            library.delete()
        return LibraryDeleteSummary(library_name=library.name, media_rows_removed=count)

    return job_run(jobs, delete).media_rows_removed
