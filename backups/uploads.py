"""Receiving a backup upload straight into its staging file, hashed as it arrives.

waitress has buffered the request body once by the time Django reads it.
Django's own handler would then copy the file into a temporary file, and the
import would copy that into the backup folder: three copies of a backup that
may be gigabytes. This handler writes the file once, into the data folder's
tmp/, hashing each chunk on the way; the import renames it into the backup
folder. At most about twice the upload's size is on disk at any moment.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from backups.services.upload import StagedUpload
from plexomatic_site.file_removal import file_remove


class StagedUploadedFile(UploadedFile):
    """What the form sees: a name and a size; the bytes are in `staged.path`."""

    def __init__(self, *, staged: StagedUpload, name: str, content_type: str | None) -> None:
        super().__init__(
            file=None, name=name, content_type=content_type, size=staged.size, charset=None
        )
        self.staged = staged


class StagingUploadHandler(FileUploadHandler):
    """Each uploaded file goes into an owner-only file in FILE_UPLOAD_TEMP_DIR.

    Bytes beyond the upload limit are counted but not written, so an
    oversized upload cannot fill the disk; the import then refuses it.
    Call `cleanup()` when done: it removes every staged file still there.
    """

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.paths: list[Path] = []
        self._handle: Any = None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        fd, name = tempfile.mkstemp(dir=settings.FILE_UPLOAD_TEMP_DIR, prefix="upload-")
        self.paths.append(Path(name))
        self._handle = os.fdopen(fd, "wb")
        self._hash = hashlib.sha256()
        self._size = 0
        self._limit = settings.PLEXOMATIC_BACKUP_UPLOAD_MAX_BYTES

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self._size += len(raw_data)
        if self._size <= self._limit:
            self._handle.write(raw_data)
            self._hash.update(raw_data)
        return None  # the last handler: nothing to pass on

    def file_complete(self, file_size: int) -> StagedUploadedFile:
        self._handle.close()
        staged = StagedUpload(
            path=self.paths[-1],
            size=self._size,
            sha256=self._hash.hexdigest(),
            too_large=self._size > self._limit,
        )
        return StagedUploadedFile(
            staged=staged, name=self.file_name or "upload", content_type=self.content_type
        )

    def upload_interrupted(self) -> None:
        if self._handle is not None:
            self._handle.close()
        self.cleanup()

    def cleanup(self) -> None:
        for path in self.paths:
            file_remove(path, missing_ok=True)
