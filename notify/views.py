from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from notify.app_settings import secret_display, url_display
from notify.errors import NotifyError
from notify.forms import SectionMappingFormSet
from notify.models import PlexSection
from notify.sections import sections_sync
from plexomatic_site.settings_store import settings_current, settings_update


@require_http_methods(["GET", "POST"])
def plex_page(request: HttpRequest) -> HttpResponse:
    """The connection, the server's sections, and which library each one is told about."""
    sections = PlexSection.objects.select_related("library")
    formset = SectionMappingFormSet(request.POST or None, queryset=sections)
    if request.method == "POST":
        if formset.is_valid():
            formset.save()
            messages.success(request, "Saved which library each Plex section is told about.")
            return redirect("notify:plex")
        messages.error(request, "Some mappings are not valid; nothing was saved.")
    current = settings_current()
    return render(
        request,
        "notify/plex.html",
        {
            "formset": formset,
            "plex_url": current["plex_url"],
            "token_shown": secret_display(current["plex_token"]),
            "token_set": bool(current["plex_token"]),
            "webhook_shown": url_display(current["webhook_url"]),
            "webhook_set": bool(current["webhook_url"]),
        },
    )


@require_POST
def plex_test(request: HttpRequest) -> HttpResponse:
    """Ask the server for its sections with the saved address and token."""
    current = settings_current()
    if not current["plex_url"]:
        messages.error(request, "Enter the Plex server's address and token in Settings first.")
        return redirect("notify:plex")
    try:
        sections = sections_sync(url=current["plex_url"], token=current["plex_token"])
    except NotifyError as exc:
        messages.error(request, f"Plex could not be reached as set: {exc}")
        return redirect("notify:plex")
    mapped = sum(1 for section in sections if section.library_id)
    messages.success(
        request,
        f"Plex answered with {len(sections)} library section(s); {mapped} mapped to a library.",
    )
    return redirect("notify:plex")


@require_POST
def plex_token_forget(request: HttpRequest) -> HttpResponse:
    if settings_update(values={"plex_token": ""}, user=request.user):
        messages.success(request, "The Plex token is forgotten; Plex is no longer told.")
    else:
        messages.info(request, "No Plex token was saved.")
    return redirect("notify:plex")


@require_POST
def webhook_forget(request: HttpRequest) -> HttpResponse:
    if settings_update(values={"webhook_url": ""}, user=request.user):
        messages.success(request, "The webhook address is forgotten; no webhook is sent.")
    else:
        messages.info(request, "No webhook address was saved.")
    return redirect("notify:plex")
