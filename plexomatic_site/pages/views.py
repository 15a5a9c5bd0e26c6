from __future__ import annotations

import math
from datetime import timedelta

from axes.models import AccessAttempt  # type: ignore[import-untyped]
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.contrib.staticfiles import finders
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Max, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backups.models import Backup
from backups.selectors import backup_health
from backups.services.restore import setup_loopback_only
from library.models import MediaType
from library.selectors import recent_batch_summaries
from plexomatic_site.models import ConfigurationHistory
from plexomatic_site.pages import charts
from plexomatic_site.pages.forms import SettingsForm, SetupForm
from plexomatic_site.pages.selectors import (
    backup_points,
    library_counts,
    overview_warnings,
    renames_per_day,
)
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

# The backend that checks passwords (the first one, django-axes, only throttles).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

# Batches in the overview's recent activity.
RECENT_BATCHES = 5

# Addresses of the machine itself, as waitress reports them.
LOOPBACK = {"127.0.0.1", "::1", "::ffff:127.0.0.1"}


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    current = settings_current()
    health = backup_health(interval_hours=current["backup_interval_hours"])
    libraries = library_counts()
    days = renames_per_day()
    backups = backup_points()
    kinds = {point.kind for point in backups}
    return render(
        request,
        "plexomatic_site/overview.html",
        {
            "libraries": libraries,
            "media_bars": charts.media_bars(libraries),
            "media_legend": MediaType.choices,
            "plex_ready_bars": charts.plex_ready_bars(libraries),
            "rename_days": [day for day in days if day.applied or day.rolled_back],
            "renames_chart": charts.renames_chart(days),
            "rename_legend": [("applied", "Still applied"), ("rolled_back", "Rolled back")],
            "renames_total": sum(day.applied + day.rolled_back for day in days),
            "backups": backups,
            "backups_chart": charts.backups_chart(backups),
            "backup_legend": [(k, label) for k, label in Backup.Kind.choices if k in kinds],
            "recent_batches": recent_batch_summaries(limit=RECENT_BATCHES),
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
    """Create the first administrator; gone for good once any user exists.

    After a restore of a backup without an administrator, only from the
    machine itself: the site is up and holds data, and whoever reached
    /setup/ first would own it.
    """
    if not _no_user_yet():
        raise Http404("Setup is finished.")
    if setup_loopback_only() and request.META.get("REMOTE_ADDR") not in LOOPBACK:
        return HttpResponseForbidden(
            "The database was restored from a backup that holds no administrator, so setup "
            "answers only on the machine Plex-o-matic runs on: open http://127.0.0.1:"
            f"{settings.PLEXOMATIC_PORT}/setup/ there, or run manage.py createsuperuser.",
            content_type="text/plain; charset=utf-8",
        )
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # Checked again inside the write transaction: two racing setups
            # queue on the write lock and only the first creates a user.
            if not _no_user_yet():
                raise Http404("Setup is finished.")
            user = form.save()
        login(request, user, backend=MODEL_BACKEND)
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


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The login page again (site or admin), saying how long a locked-out client must wait.

    django-axes calls this instead of the view once the failure limit is
    reached: the password was not checked (nor hashed).
    """
    form = AuthenticationForm(request)
    minutes = _lockout_minutes_left(request, credentials or {})
    form.errors[NON_FIELD_ERRORS] = form.error_class(
        [
            f"Too many failed logins for this account or from this address. Try again in "
            f"{minutes} minute{'s' if minutes != 1 else ''}."
        ]
    )
    context: dict[str, object] = {"form": form, "next": request.POST.get("next", "")}
    template = PlexomaticLoginView.template_name
    if request.path.startswith(reverse("admin:index")):
        template = "admin/login.html"
        context.update(admin.site.each_context(request), app_path=request.get_full_path())
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


def _lockout_minutes_left(request: HttpRequest, credentials: dict) -> int:
    """Minutes until the newest failure of this username or address is older than the cool-off."""
    username = credentials.get("username") or request.POST.get("username", "")
    attempts = AccessAttempt.objects.filter(
        Q(username=username) | Q(ip_address=request.META.get("REMOTE_ADDR"))
    )
    latest = attempts.aggregate(latest=Max("attempt_time"))["latest"]
    cool_off: timedelta = settings.AXES_COOLOFF_TIME
    left = cool_off - (timezone.now() - latest) if latest else cool_off
    return max(1, math.ceil(left.total_seconds() / 60))


@login_not_required
@require_GET
@cache_control(public=True, max_age=86400)
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for on their own whatever the page links to."""
    icon = finders.find("img/favicon.ico")
    assert isinstance(icon, str)  # a file of the source tree's static folder
    with open(icon, "rb") as handle:
        return HttpResponse(handle.read(), content_type="image/vnd.microsoft.icon")


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
