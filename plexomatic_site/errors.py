"""The error contract: what a user reads when something fails, decided in one place.

A failure a user should read is a `PlexomaticError` (or a subclass of one
area: jobs here, libraries, renaming and backups in their apps), raised at
its source with a sentence that says what is wrong and what to do. Every
other exception is a bug: it is logged with its traceback (to the log file
in the data folder) and the user reads "Unexpected error (logged)", never a
module name.

`user_message` is that decision. Commands use it through
`plexomatic_site.commands`, background jobs through `plexomatic_site.jobs`,
and views through `UserErrorMiddleware` below.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

# Tracebacks of unexpected errors go to the log file only (see settings.LOGGING).
logger = logging.getLogger("plexomatic.unexpected")


class PlexomaticError(Exception):
    """A failure whose message is a sentence for the user."""


class JobError(PlexomaticError):
    """A long job could not be claimed or started."""


class SettingsError(PlexomaticError):
    """A setting that does not exist or a value it refuses."""


def user_message(exc: BaseException, *, context: str = "") -> str:
    """The sentence a user reads for `exc`; an unexpected error is logged here.

    `context` names what was being done, for the log ("scan job 12").
    """
    if isinstance(exc, PlexomaticError) and str(exc):
        return str(exc)
    if isinstance(exc, ValidationError):  # a service refusing input, as a form would
        return " ".join(exc.messages)
    if isinstance(exc, KeyboardInterrupt):
        return "Interrupted."
    if isinstance(exc, SystemExit):
        return "Stopped: the process was asked to exit."
    # A job's failure is logged where the job ends; its caller meets it again.
    if not getattr(exc, "plexomatic_logged", False):
        logger.error("Unexpected error%s", f" in {context}" if context else "", exc_info=exc)
        with contextlib.suppress(AttributeError):  # a few built-in exceptions take no attributes
            exc.plexomatic_logged = True  # type: ignore[attr-defined]
    return f"Unexpected error (logged in {settings.LOG_FILE})."


class UserErrorMiddleware:
    """A PlexomaticError escaping a view becomes a message on the page the user came from.

    The form that was posted is on the referring page (the site sends a
    same-origin Referer), so the user sees the sentence where they acted;
    without a usable Referer, the overview. Anything else is left to
    Django's 500 handling, which logs it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, PlexomaticError):
            return None
        messages.error(request, user_message(exc))
        back = request.headers.get("referer", "")
        safe = url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return redirect(back if back and safe else "overview")
