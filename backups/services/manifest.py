"""The manifest beside each backup file: what it is, where it came from, its hash."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from backups.services.folder import MANIFEST_SUFFIX, TEMP_PREFIX, fsync_folder, remove_quietly
from plexomatic_site import APP_NAME

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
    note: str = ""
    pinned: bool = False
    # The backup job that took this backup; the database in the file records
    # that job as still running, so a restore can tell how it really ended.
    job_id: int | None = None
    # The latest check of the file (at creation, or an explicit verify).
    checked_at: datetime | None = None
    check_error: str = ""
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
        """Parse a manifest, or raise ValueError saying what is wrong with it."""
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("it is not a JSON object")
        if data.get("app") != APP_NAME:
            raise ValueError(f"it describes a backup of {data.get('app')!r}, not {APP_NAME}")
        names = {f.name for f in dataclasses.fields(cls)} - {"extra"}
        known = {key: data.pop(key) for key in list(data) if key in names}
        try:
            known["created_at"] = datetime.fromisoformat(known["created_at"])
            if known.get("checked_at"):
                known["checked_at"] = datetime.fromisoformat(known["checked_at"])
            manifest = cls(**known, extra=data)
        except (KeyError, TypeError) as exc:
            raise ValueError(f"it lacks or garbles a field ({exc})") from None
        if manifest.created_at.tzinfo is None:
            raise ValueError("its time has no time zone")
        return manifest


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
        with open(temp, "w", encoding="utf-8") as handle:
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
