"""The manifest beside each backup file: what it is, where it came from, its hash."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

from backups.services.folder import MANIFEST_SUFFIX, TEMP_PREFIX, fsync_folder, remove_quietly
from plexomatic_site import APP_NAME
from plexomatic_site.environment import OWNER_ONLY_FILE

FORMAT = 1


@dataclass
class Manifest:
    file_name: str
    kind: str
    created_at: datetime
    size: int
    sha256: str
    app_version: str
    migrations: dict[str, list[str]]
    engine: str = "sqlite"
    sqlite_version: str = ""
    # PostgreSQL: the server's version, and every table with its row count
    # (a check restores the dump and counts again).
    server_version: str = ""
    tables: dict[str, int] = field(default_factory=dict)
    note: str = ""
    pinned: bool = False
    # The backup job that took this backup; the database in the file records
    # that job as still running, so a restore can tell how it really ended.
    job_id: int | None = None
    # The latest check of the file (at creation, or an explicit verify).
    checked_at: datetime | None = None
    check_error: str = ""
    # Which install took it (see install_id): another's backups are imported.
    install_id: str = ""
    app: str = APP_NAME
    format: int = FORMAT
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def verified(self) -> bool | None:
        if self.checked_at is None:
            return None
        return not self.check_error

    def to_json(self) -> str:
        data = dataclasses.asdict(self)
        extra = data.pop("extra")
        for key in ("created_at", "checked_at"):
            data[key] = data[key].isoformat() if data[key] else None
        return json.dumps({**extra, **data}, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Parse a manifest, or raise ValueError saying what is wrong with it.

        Every field's type is checked: a manifest is a file anyone can edit,
        and one wrong value must make its backup unverified, not stop the
        index, the page or the scheduler.
        """
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("it is not a JSON object")
        if data.get("app") != APP_NAME:
            raise ValueError(f"it describes a backup of {data.get('app')!r}, not {APP_NAME}")
        names = {f.name for f in dataclasses.fields(cls)} - {"extra"}
        known = {key: data.pop(key) for key in list(data) if key in names}
        required = {
            f.name
            for f in dataclasses.fields(cls)
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        }
        if missing := sorted(required - known.keys()):
            raise ValueError(f"it lacks {', '.join(missing)}")
        for key, value in known.items():
            known[key] = _field_value(key, value)
        return cls(**known, extra=data)


TEXT_FIELDS = {
    "file_name",
    "kind",
    "sha256",
    "app_version",
    "engine",
    "sqlite_version",
    "server_version",
    "note",
    "check_error",
    "app",
    "install_id",
}
# BigIntegerField's range: a size or id beyond it could not be stored.
MAX_INT = 2**63 - 1


def _field_value(key: str, value: Any) -> Any:
    """`value` as field `key` holds it; ValueError naming the field when it has the wrong type."""
    if key in TEXT_FIELDS:
        if isinstance(value, str):
            return value
        raise ValueError(f"its {key} is not text")
    if key in {"created_at", "checked_at"}:
        if value is None and key == "checked_at":
            return None
        return _aware_time(key, value)
    if key == "pinned":
        if isinstance(value, bool):
            return value
        raise ValueError("its pinned is not true or false")
    if key == "migrations":
        if isinstance(value, dict) and all(
            isinstance(app, str)
            and isinstance(names, list)
            and all(isinstance(name, str) for name in names)
            for app, names in value.items()
        ):
            return value
        raise ValueError("its migrations are not lists of names per app")
    if key == "tables":
        if isinstance(value, dict) and all(
            isinstance(table, str) and _is_count(rows) for table, rows in value.items()
        ):
            return value
        raise ValueError("its tables are not row counts per table")
    # size, format and job_id: whole numbers (bool is an int to Python, not here).
    if value is None and key == "job_id":
        return None
    if _is_count(value):
        return value
    raise ValueError(f"its {key} is not a whole number from 0 to {MAX_INT}")


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_INT


def _aware_time(key: str, value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"its {key} is not a date and time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"its {key} is not a date and time ({value[:40]!r})") from None
    if moment.tzinfo is None:
        raise ValueError(f"its {key} has no time zone")
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"its {key} is out of range ({value[:40]!r})") from None


def install_id() -> str:
    """This install's name in its manifests, derived from its secret key.

    A backup whose manifest names another install (copied in from another
    machine) is imported: never pruned, and never this install's latest
    backup. A new SECRET_KEY makes a new install as far as backups go.
    """
    return hashlib.sha256(f"plexomatic-install:{settings.SECRET_KEY}".encode()).hexdigest()[:16]


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + MANIFEST_SUFFIX)


def manifest_read(backup: Path) -> Manifest:
    """The manifest of `backup`; ValueError with the reason when missing or invalid."""
    try:
        text = manifest_path(backup).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError("it has no manifest") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"its manifest cannot be read ({exc})") from None
    try:
        manifest = Manifest.from_json(text)
    except json.JSONDecodeError:
        raise ValueError("its manifest is not valid JSON") from None
    except ValueError as exc:
        raise ValueError(f"its manifest is not valid: {exc}") from None
    if manifest.file_name != backup.name:
        raise ValueError(f"its manifest describes another file ({manifest.file_name})")
    return manifest


def manifest_write(*, backup: Path, manifest: Manifest) -> Path:
    """Write the manifest under a temporary name, fsync, rename into place."""
    final = manifest_path(backup)
    temp = final.with_name(TEMP_PREFIX + final.name)
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY_FILE)
        with open(fd, "w", encoding="utf-8") as handle:
            handle.write(manifest.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, final)
    except BaseException:
        remove_quietly(temp)
        raise
    fsync_folder(final.parent)
    return final


def file_sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
