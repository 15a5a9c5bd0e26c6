from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backups.selectors import backup_health
from library.models import FileOperation
from plexomatic_site.models import ConfigurationHistory
from plexomatic_site.pages.forms import SettingsForm, SetupForm
from plexomatic_site.pages.selectors import library_counts, overview_warnings
from plexomatic_site.settings_store import (
    Setting,
    UnknownSetting,
    setting_definition,
    setting_history,
    setting_revert,
    settings_current,
    settings_update,
)
from plexomatic_site.startup import database_unknown_migrations


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    current = settings_current()
    health = backup_health(interval_hours=current["backup_interval_hours"])
    return render(
        request,
        "plexomatic_site/overview.html",
        {
            "libraries": library_counts(),
            "recent_operations": FileOperation.objects.select_related("batch")[:10],
            "backup_health": health,
            "warnings": overview_warnings(backup_health=health),
        },
    )


def _no_user_yet() -> bool:
    return not get_user_model().objects.exists()


@login_not_required
@require_http_methods(["GET", "POST"])
@never_cache
def setup(request: HttpRequest) -> HttpResponse:
    """Create the first administrator; gone for good once any user exists."""
    if not _no_user_yet():
        raise Http404("Setup is finished.")
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # Checked again inside the write transaction: two racing setups
            # queue on the write lock and only the first creates a user.
            if not _no_user_yet():
                raise Http404("Setup is finished.")
            user = form.save()
        login(request, user)
        messages.success(request, f"Welcome, {user.get_username()}. Add a library to begin.")
        return redirect("overview")
    return render(request, "plexomatic_site/setup.html", {"form": form})


class PlexomaticLoginView(LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if _no_user_yet():
            return redirect("setup")
        return super().get(request, *args, **kwargs)


@login_not_required
@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for monitors: the database answers and no migration is pending.

    Also reports the newest good and verified backups, with a "warning" state
    when they are stale or the last attempt failed (the status stays "ok").
    """
    checks: dict[str, object] = {}
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        checks["database"] = "ok"
        checks["migrations"] = "ok" if not pending else f"{len(pending)} pending"
        if database_unknown_migrations(executor):
            checks["migrations"] = "the database is newer than this version of Plex-o-matic"
    except DatabaseError as exc:
        checks["database"] = f"error: {exc}"
        checks["migrations"] = "unknown"
    healthy = checks["database"] == "ok" and checks["migrations"] == "ok"
    if healthy:
        checks["backups"] = _backup_status()
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def _backup_status() -> dict[str, object]:
    """Backups warn without failing the check: the site itself is up."""
    health = backup_health(interval_hours=settings_current()["backup_interval_hours"])

    last, verified = health.last_successful, health.last_verified
    # When a backup last passed its check: a later verify of an older one counts.
    verified_at = verified.verified_at if verified else None
    return {
        "state": health.state,
        "last_successful": last.created_at.isoformat() if last else None,
        "last_verified": verified_at.isoformat() if verified_at else None,
        "warnings": health.warnings,
    }


@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    current = settings_current()
    form = SettingsForm(request.POST or None, initial=current)
    if request.method == "POST":
        if form.is_valid():
            changed = settings_update(values=form.cleaned_data, user=request.user)
            if changed:
                labels = ", ".join(setting_definition(k).label for k in changed)
                messages.success(request, f"Saved: {labels}.")
            else:
                messages.info(request, "Nothing changed.")
            return redirect("settings")
        messages.error(request, "Some values are not valid; nothing was saved.")
    return render(request, "plexomatic_site/settings.html", {"form": form})


def _definition_or_404(key: str) -> Setting:
    try:
        return setting_definition(key)
    except UnknownSetting as exc:
        raise Http404(str(exc)) from None


@require_GET
def setting_history_page(request: HttpRequest, key: str) -> HttpResponse:
    definition = _definition_or_404(key)
    return render(
        request,
        "plexomatic_site/setting_history.html",
        {
            "setting": definition,
            "rows": setting_history(key),
            "default": definition.display(definition.default),
        },
    )


@require_POST
def setting_revert_view(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(ConfigurationHistory, pk=pk)
    definition = _definition_or_404(entry.config_key)
    if setting_revert(entry=entry, user=request.user):
        messages.success(request, f"{definition.label} is back to an earlier value.")
    else:
        messages.info(request, f"{definition.label} already has that value.")
    return redirect("setting_history", key=entry.config_key)
