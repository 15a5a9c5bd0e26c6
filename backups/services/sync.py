"""The Backup table is an index of the backup folder; this keeps it true."""

from __future__ import annotations

import os
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.db import transaction

from backups.errors import BackupError, FolderBusy
from backups.models import Backup, BackupKind
from backups.services.folder import (
    BACKUP_SUFFIXES,
    MANIFEST_SUFFIX,
    TEMP_PREFIX,
    backup_folder,
    backup_path,
    folder_lock,
    is_live_database_file,
)
from backups.services.manifest import Manifest, install_id, manifest_read


@dataclass(frozen=True)
class SyncResult:
    added: int
    updated: int
    removed: int


def _is_candidate(entry: os.DirEntry[str]) -> bool:
    # Only database files are backups (a manifest is "<backup>.json" beside
    # one); notes or other files kept in the folder are not. Symlinks are not
    # backups either: they could point anywhere. Nor is the live database,
    # when the backup folder is the data folder.
    return (
        entry.name.endswith(tuple(BACKUP_SUFFIXES.values()))
        and not entry.name.startswith(TEMP_PREFIX)
        and entry.is_file(follow_symlinks=False)
        and not is_live_database_file(Path(entry.path))
    )


def _kind(manifest: Manifest) -> str:
    """A backup taken by another install (or before installs were named) is imported."""
    if manifest.kind not in BackupKind.values or manifest.install_id != install_id():
        return BackupKind.IMPORTED
    return manifest.kind


def _row_values(path: Path) -> dict:
    """What the index should say about `path`, from its manifest if it has a valid one."""
    stat = path.stat()
    try:
        manifest = manifest_read(path)
    except ValueError as exc:
        # Copied in by hand, or a manifest we cannot trust: listed, never
        # restored until an explicit verify checks it and writes a manifest,
        # and never taken for a backup of this install.
        return {
            "kind": BackupKind.IMPORTED,
            "size": stat.st_size,
            "sha256": "",
            "created_at": datetime.fromtimestamp(stat.st_mtime, UTC),
            "verified": None,
            "verified_at": None,
            "verify_error": f"Not verified: {exc}.",
            "app_version": "",
            "migrations": {},
            "note": "",
            "pinned": False,
        }
    verified, error = manifest.verified, manifest.check_error
    if stat.st_size != manifest.size:
        verified, error = (
            False,
            (f"The file has {stat.st_size} bytes where its manifest says {manifest.size}."),
        )
    return {
        "kind": _kind(manifest),
        "size": stat.st_size,
        "sha256": manifest.sha256,
        "created_at": manifest.created_at,
        "verified": verified,
        "verified_at": manifest.checked_at,
        "verify_error": error,
        "app_version": manifest.app_version,
        "migrations": manifest.migrations,
        "note": manifest.note[:200],
        "pinned": manifest.pinned,
    }


def _stamp(stat: os.stat_result | None) -> str:
    if stat is None:
        return "-"
    return f"{stat.st_size}.{stat.st_mtime_ns}.{stat.st_ino}"


def _listing(folder: Path) -> dict[str, str]:
    """Each backup file's name and stamp: what a sync compares before reading anything.

    The stamp is the size, modification time and inode of the file and of its
    manifest (rewritten under a new inode, so a rewrite within one clock tick
    shows too), and this install's id, which decides a backup's kind. Taken
    before the manifests are read, so a manifest that changes meanwhile
    leaves a stale stamp behind, and the next sync reads it again.
    """
    entries = {entry.name: entry for entry in os.scandir(folder)}
    me = install_id()
    listing: dict[str, str] = {}
    for name, entry in sorted(entries.items()):
        if not _is_candidate(entry):
            continue
        manifest = entries.get(name + MANIFEST_SUFFIX)
        try:
            stamps = (entry.stat(), manifest.stat() if manifest is not None else None)
        except FileNotFoundError:  # deleted while we looked: the next sync drops it
            continue
        listing[name] = ":".join([*map(_stamp, stamps), me])
    return listing


def _changes(
    listing: dict[str, str], read: dict[str, dict]
) -> tuple[list[str], dict[str, dict], dict[int, dict]]:
    """What the index lists that is gone, what it lacks, and rows to refresh (by pk).

    `read` holds the row values of the files whose stamp differed from the
    index when the sync began: only their manifests were read.
    """
    rows = {
        name: (pk, stamp)
        for pk, name, stamp in Backup.objects.values_list("pk", "file_name", "stamp")
    }
    gone = [name for name in rows if name not in listing]
    new = {name: values for name, values in read.items() if name not in rows}
    stale = {
        rows[name][0]: values
        for name, values in read.items()
        if name in rows and rows[name][1] != values["stamp"]
    }
    return gone, new, stale


def backups_sync(*, folder_locked: bool = False) -> SyncResult:
    """Make the index match the folder: add new files, drop vanished ones, refresh the rest.

    A folder whose listing (names, sizes, times: see _listing) matches the
    stamps in the index is done with one read of the index: no manifest is
    read, nothing is written. Otherwise only the manifests of new or changed
    files are read (never a hash), and the database's write lock is taken
    for the rows that differ. While a backup, restore or prune holds the
    folder (unless it is the caller: `folder_locked`), it writes nothing:
    that holder syncs when it is done, and a restore must see no write of
    ours while it works.
    """
    folder = backup_folder(writable=False)
    listing = _listing(folder)
    indexed = dict(Backup.objects.values_list("file_name", "stamp"))
    if indexed == listing:
        return SyncResult(added=0, updated=0, removed=0)
    read = {
        name: {**_row_values(folder / name), "stamp": stamp}
        for name, stamp in listing.items()
        if indexed.get(name) != stamp
    }
    # A read-only folder has no lock file, and no backup can be writing there.
    lockable = not folder_locked and os.access(folder, os.W_OK)
    try:
        with folder_lock(folder=folder, timeout=0) if lockable else nullcontext():
            return _index_write(listing, read)
    except FolderBusy:
        return SyncResult(added=0, updated=0, removed=0)


def _index_write(listing: dict[str, str], read: dict[str, dict]) -> SyncResult:
    with transaction.atomic():
        # Again under the write lock: another process may have synced meanwhile.
        gone, new, stale = _changes(listing, read)
        removed, _ = Backup.objects.filter(file_name__in=gone).delete()
        Backup.objects.bulk_create(Backup(file_name=name, **values) for name, values in new.items())
        for pk, values in stale.items():
            Backup.objects.filter(pk=pk).update(**values)
    return SyncResult(added=len(new), updated=len(stale), removed=removed)


def backup_name_resolve(value: str) -> str:
    """A backup's file name from what a user typed: an index id or a file name.

    File names go through backup_path, which refuses paths of any kind.
    """
    # isdigit() alone accepts "²" and other digits int() refuses.
    if value.isascii() and value.isdigit():
        name = Backup.objects.filter(pk=int(value)).values_list("file_name", flat=True).first()
        if name is None:
            raise BackupError(f"There is no backup with id {value}.")
        value = name
    return backup_path(value).name
