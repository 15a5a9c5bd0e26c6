"""The backup folder: where it is, which names in it may be touched, and its lock."""

from __future__ import annotations

import os
import shlex
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files import locks
from django.db import DEFAULT_DB_ALIAS, connections

from backups.errors import BackupError, BackupMissing, FolderBusy
from plexomatic_site.environment import OWNER_ONLY_FILE
from plexomatic_site.file_removal import file_remove

BACKUP_SUFFIX = ".sqlite3"
# A pg_dump archive (custom format) of a PostgreSQL database.
DUMP_SUFFIX = ".pgdump"
# The engines backups work with (Django's vendor names) and their backup files.
SQLITE, POSTGRESQL = "sqlite", "postgresql"
BACKUP_SUFFIXES = {SQLITE: BACKUP_SUFFIX, POSTGRESQL: DUMP_SUFFIX}
MANIFEST_SUFFIX = ".json"
TEMP_PREFIX = ".tmp-"
LOCK_NAME = ".lock"
# SQLite's side files of a database being written (temporary copies only).
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def backup_folder(*, writable: bool = True) -> Path:
    """The backup folder, proven to exist (and be writable when we will write)."""
    folder = Path(settings.PLEXOMATIC_BACKUP_DIR).resolve()
    if not folder.exists():
        raise BackupError(
            f"The backup folder {folder} does not exist; create it or set "
            "PLEXOMATIC_BACKUP_DIR to a folder that does."
        )
    if not folder.is_dir():
        raise BackupError(f"The backup folder {folder} is not a folder.")
    if writable:
        try:
            # os.access lies for root and on read-only mounts: really write.
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as exc:
            raise _unwritable(folder, exc) from None
    return folder


def _unwritable(folder: Path, exc: OSError) -> BackupError:
    return BackupError(
        f"The backup folder {folder} cannot be written ({exc.strerror}); "
        "make it writable for this user or set PLEXOMATIC_BACKUP_DIR."
    )


def backup_path(name: str) -> Path:
    """The path of backup file `name`, which must be a plain file name in the folder.

    Names come from users (command line, index rows), so anything with a
    separator, a parent reference or an absolute path is refused rather than
    normalised: no input can reach a file outside the backup folder.
    """
    folder = backup_folder(writable=False)
    if (
        not name
        or name != os.path.basename(name)
        or "/" in name
        or "\\" in name
        or name in {".", ".."}
        or name.startswith(".")
        or os.path.isabs(name)
    ):
        raise BackupError(
            f"{name!r} is not a backup name; give a backup id or the file name of a backup "
            f"in {folder} (paths are not accepted)."
        )
    path = folder / name
    # A symlink planted in the folder must not lead outside it either.
    if path.resolve().parent != folder:
        raise BackupError(f"{name} points outside the backup folder {folder}; refusing it.")
    if is_live_database_file(path):
        raise BackupError(
            f"{name} is this site's live database, not a backup; it cannot be verified, "
            "downloaded, restored or deleted from here. Keep backups in a folder of their own "
            "(PLEXOMATIC_BACKUP_DIR)."
        )
    if not path.is_file():
        raise BackupMissing(f"There is no backup named {name} in {folder}.")
    return path


def live_engine(*, using: str = DEFAULT_DB_ALIAS) -> str:
    """The live database's engine ("sqlite", "postgresql"); others are refused with a sentence."""
    vendor = connections[using].vendor
    if vendor not in BACKUP_SUFFIXES:
        raise BackupError(
            f"Backups work with SQLite and PostgreSQL, and this site's database is {vendor} "
            "(DATABASE_URL); back it up with that database's own tools."
        )
    return vendor


def live_database_path(*, using: str = DEFAULT_DB_ALIAS) -> Path:
    """The live SQLite file; other engines are refused with a sentence."""
    connection = connections[using]
    if live_engine(using=using) != SQLITE:
        raise BackupError(f"This site's database is {connection.vendor}, not a SQLite file.")
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError("The database is not a file on disk, so it cannot be backed up.")
    return Path(name).resolve()


def _live_database_or_none() -> Path | None:
    try:
        return live_database_path()
    except BackupError:
        return None  # not a SQLite file: no live file can sit in the backup folder


def is_live_database_file(path: Path) -> bool:
    """Is `path` the live database or one of its side files (WAL, shared memory, journal)?

    The backup folder may be the data folder itself; the live file there must
    never be listed, verified, restored over itself or deleted as a backup.
    """
    live = _live_database_or_none()
    if live is None:
        return False
    names = {live.name, *(live.name + suffix for suffix in SIDE_SUFFIXES)}
    if path.resolve().parent == live.parent and path.name in names:
        return True
    try:
        # A hard link to the live file is the live file under another name.
        return os.path.samefile(path, live)
    except OSError:
        return False


def wal_refuse(path: Path) -> None:
    """Refuse a database with a non-empty write-ahead log beside it.

    Backups are read with immutable=1, which ignores a WAL: transactions
    committed to it but not yet checkpointed would silently be left out.
    """
    wal = path.with_name(path.name + "-wal")
    try:
        pending = wal.stat().st_size > 0
    except FileNotFoundError:
        return
    if pending:
        raise BackupError(
            f"{path.name} has a write-ahead log beside it ({wal.name}) holding changes that are "
            "not in the file yet, so it is not used as it is. Stop the application that wrote "
            f"it, or fold the log in with: sqlite3 {shlex.quote(str(path))} "
            "'PRAGMA wal_checkpoint(TRUNCATE)'; then verify it again."
        )


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    """Make renames in `folder` durable (POSIX; Windows has no directory fsync)."""
    if os.name == "posix":
        fsync_path(folder)


def remove_quietly(path: Path) -> None:
    for candidate in (path, *(path.with_name(path.name + s) for s in SIDE_SUFFIXES)):
        file_remove(candidate, missing_ok=True)


@contextmanager
def folder_lock(*, folder: Path, timeout: float) -> Iterator[None]:
    """Hold the folder's lock: one writer of backup files at a time.

    A second backup waits up to `timeout` seconds, then fails with a sentence.
    The lock is an OS file lock, so it is released when a process dies.
    """
    try:
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_APPEND, OWNER_ONLY_FILE)
        handle = open(fd, "a+b")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise _unwritable(folder, exc) from None
    with handle:
        deadline = time.monotonic() + timeout
        while not locks.lock(handle, locks.LOCK_EX | locks.LOCK_NB):
            if time.monotonic() >= deadline:
                raise FolderBusy(
                    f"Another backup or restore is using {folder} (waited {timeout:.0f} s); "
                    "try again when it has finished."
                )
            time.sleep(0.1)
        try:
            # Temporary files can only be left by a process that died while
            # holding this lock, so they are safe to clear now.
            for stale in folder.glob(f"{TEMP_PREFIX}*"):
                file_remove(stale, missing_ok=True)
            yield
        finally:
            locks.unlock(handle)
