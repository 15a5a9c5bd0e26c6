from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backups.errors import BackupError
from backups.forms import BackupCreateForm, PinForm, RestoreForm, ScheduleForm, UploadForm
from backups.models import Backup
from backups.services.check import backup_has_admin
from backups.services.folder import backup_path
from backups.services.restore import backup_restore
from backups.services.retention import backup_delete, backup_pin
from backups.services.sync import backups_sync
from backups.services.upload import backup_import
from backups.services.verify import backup_verify
from backups.tasks import take_backup
from backups.uploads import StagedUploadedFile, StagingUploadHandler
from plexomatic_site.database import (
    DatabaseMaintenanceError,
    database_space,
    vacuum_check,
    vacuum_refusal,
)
from plexomatic_site.forms import ConfirmForm
from plexomatic_site.jobs import LockKey, job_enqueue
from plexomatic_site.models import JobKind
from plexomatic_site.settings_store import settings_current, settings_update
from plexomatic_site.tasks import vacuum_database
from plexomatic_site.web_processes import UPLOAD_ENVELOPE_BYTES

# The backend that checks passwords (the first one, django-axes, only throttles).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PAGE_SIZE = 50


def _page(
    request: HttpRequest, *, schedule_form: ScheduleForm | None = None, status: int = 200
) -> HttpResponse:
    try:
        backups_sync()
    except BackupError as exc:
        messages.error(request, str(exc))
    page = Paginator(Backup.objects.all(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "backups/list.html",
        {
            "page_obj": page,
            "backups": page.object_list,
            "create_form": BackupCreateForm(),
            "upload_form": UploadForm(),
            "schedule_form": schedule_form or ScheduleForm(initial=settings_current()),
            "backup_dir": settings.PLEXOMATIC_BACKUP_DIR,
            "database": _database_panel(),
        },
        status=status,
    )


def _database_panel() -> dict[str, Any]:
    """The database file's size and what compacting it would give back, or why it cannot."""
    try:
        space = database_space()
    except DatabaseMaintenanceError as exc:
        return {"not_applicable": str(exc)}
    return {"space": space, "refusal": vacuum_refusal(space)}


@require_GET
def backup_list(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
def backup_create_view(request: HttpRequest) -> HttpResponse:
    """Queue a manual backup and show its progress on the job page."""
    form = BackupCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The note is too long (200 characters at most); no backup taken.")
        return redirect("backups:list")
    job = job_enqueue(
        kind=JobKind.BACKUP,
        locks=[LockKey.BACKUP],
        task=take_backup,
        user=request.user,
        note=form.cleaned_data["note"],
    )
    messages.success(request, "Backing up the database.")
    return redirect("job", pk=job.pk)


@require_POST
def database_vacuum_view(request: HttpRequest) -> HttpResponse:
    """Queue compacting the database file and show its progress on the job page."""
    try:
        vacuum_check()
    except DatabaseMaintenanceError as exc:
        messages.error(request, str(exc))
        return redirect("backups:list")
    job = job_enqueue(
        kind=JobKind.VACUUM, locks=[LockKey.DATABASE], task=vacuum_database, user=request.user
    )
    messages.success(request, "Compacting the database.")
    return redirect("job", pk=job.pk)


@require_POST
def backup_verify_view(request: HttpRequest, pk: int) -> HttpResponse:
    backup = get_object_or_404(Backup, pk=pk)
    try:
        backup_verify(name=backup.file_name)
    except BackupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{backup.file_name} is sound: hash and integrity check pass.")
    backups_sync()
    return redirect("backups:list")


@require_GET
def backup_download(request: HttpRequest, pk: int) -> FileResponse:
    backup = get_object_or_404(Backup, pk=pk)
    try:
        # The index row only names a file; backup_path proves it is in the folder.
        path = backup_path(backup.file_name)
    except BackupError as exc:
        raise Http404(str(exc)) from None
    return FileResponse(open(path, "rb"), as_attachment=True, filename=path.name)


@require_http_methods(["GET", "POST"])
def backup_restore_view(request: HttpRequest, pk: int) -> HttpResponse:
    backup = get_object_or_404(Backup, pk=pk)
    try:
        has_admin = backup_has_admin(backup_path(backup.file_name)) is not False
    except BackupError as exc:
        messages.error(request, str(exc))
        return redirect("backups:list")
    # Bound on every POST, even an empty one, so a missing tick shows an error.
    form = RestoreForm(request.POST if request.method == "POST" else None, has_admin=has_admin)
    if request.method == "POST" and form.is_valid():
        try:
            result = backup_restore(name=backup.file_name, allow_no_admin=not has_admin)
        except BackupError as exc:
            messages.error(request, str(exc))
            return redirect("backups:list")
        restorer = request.user
        assert restorer.pk is not None  # the page needs a login
        _log_in_again(request, pk=restorer.pk, username=restorer.get_username())
        messages.success(
            request,
            f"Restored {result.restored}. The database as it was is kept as "
            f"{result.undo.path.name}; restore that to undo.",
        )
        return redirect("backups:list")
    return render(
        request, "backups/restore.html", {"backup": backup, "form": form, "has_admin": has_admin}
    )


def _log_in_again(request: HttpRequest, *, pk: int, username: str) -> None:
    """Keep the restoring user logged in when the restored database has their account.

    The restore replaced the sessions table too, so this browser's session is
    gone unless the backup happened to hold it: start a new one. An account
    missing from the backup (or disabled in it) is not logged in, and the
    next page asks to log in.
    """
    request.session.flush()
    user = get_user_model().objects.filter(pk=pk, username=username, is_active=True).first()
    if user is not None:
        login(request, user, backend=MODEL_BACKEND)


@require_http_methods(["GET", "POST"])
def backup_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    backup = get_object_or_404(Backup, pk=pk)
    # Bound on every POST, even an empty one, so a missing tick shows an error.
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            backup_delete(backup=backup)
        except BackupError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Deleted {backup.file_name}.")
        return redirect("backups:list")
    return render(request, "backups/delete.html", {"backup": backup, "form": form})


@require_POST
def backup_pin_view(request: HttpRequest, pk: int) -> HttpResponse:
    backup = get_object_or_404(Backup, pk=pk)
    form = PinForm(request.POST)
    form.is_valid()  # a missing box means "unpin", like any HTML checkbox
    pinned = bool(form.cleaned_data.get("pinned"))
    try:
        backup_pin(backup=backup, pinned=pinned)
    except BackupError as exc:
        messages.error(request, str(exc))
    else:
        state = "pinned: never pruned" if pinned else "unpinned"
        messages.success(request, f"{backup.file_name} is {state}.")
    return redirect("backups:list")


@require_POST
def backup_schedule(request: HttpRequest) -> HttpResponse:
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Some schedule values are not valid; nothing was saved.")
        return _page(request, schedule_form=form)
    changed = settings_update(values=form.cleaned_data, user=request.user)
    messages.success(request, "Schedule saved." if changed else "Nothing changed.")
    return redirect("backups:list")


# Room kept free beside an upload's staging copy (the database and log go on writing).
UPLOAD_SPARE_BYTES = 64 * 1024**2


def _upload_refusal(request: HttpRequest) -> str | None:
    """Why an upload of this request's size cannot be taken, before a byte is read.

    waitress holds the whole body on disk already; the staging file needs as
    much again in tmp/ (and in the backup folder when it is on another disk).
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.PLEXOMATIC_BACKUP_UPLOAD_MAX_BYTES
    if length > limit + UPLOAD_ENVELOPE_BYTES:
        return (
            f"The upload was refused: it is {filesizeformat(length)}, and uploads are limited "
            f"to {filesizeformat(limit)}."
        )
    folders = {Path(settings.FILE_UPLOAD_TEMP_DIR), Path(settings.PLEXOMATIC_BACKUP_DIR)}
    for folder in {os.stat(f).st_dev: f for f in folders if f.is_dir()}.values():
        free = shutil.disk_usage(folder).free
        if free < length + UPLOAD_SPARE_BYTES:
            return (
                f"The upload was refused: it needs {filesizeformat(length)} in {folder}, which "
                f"has {filesizeformat(free)} free. Free some space, or copy the file into the "
                "backup folder by hand."
            )
    return None


@csrf_exempt  # checked below, once the upload handler is in place
@require_POST
def backup_upload(request: HttpRequest) -> HttpResponse:
    """Receive a backup file: the size is checked first, then the bytes are written once."""
    if (refusal := _upload_refusal(request)) is not None:
        messages.error(request, refusal)
        return _page(request, status=413)
    handler = StagingUploadHandler(request)
    request.upload_handlers = [handler]
    try:
        return _backup_upload(request)
    finally:
        handler.cleanup()


@csrf_protect
def _backup_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("backups:list")
    upload = form.cleaned_data["file"]
    name = upload.name or "upload"
    try:
        if isinstance(upload, StagedUploadedFile):
            snapshot = backup_import(staged=upload.staged, original_name=name)
        else:
            snapshot = backup_import(chunks=upload.chunks(), original_name=name)
    except BackupError as exc:
        messages.error(request, str(exc))
        return redirect("backups:list")
    backups_sync()
    added = Backup.objects.get(file_name=snapshot.path.name)
    messages.success(
        request,
        f"{name} passed every check and is stored as {added.file_name}. "
        "Restore it from here when you are ready.",
    )
    return redirect("backups:restore", pk=added.pk)
