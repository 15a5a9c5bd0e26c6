"""The error contract: one sentence for the user, the traceback in the log file."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import path

from plexomatic_site.errors import PlexomaticError, user_message


def _fails_with_a_sentence(request):
    raise PlexomaticError("The disk is full; free some space and try again.")


def _fails_unexpectedly(request):
    raise ZeroDivisionError("division by zero")


urlpatterns = [
    path("sentence/", _fails_with_a_sentence),
    path("surprise/", _fails_unexpectedly),
    path("", _fails_with_a_sentence, name="overview"),
]


def test_a_sentence_is_shown_as_it_is(settings):
    assert user_message(PlexomaticError("Nope; do this.")) == "Nope; do this."
    assert user_message(ValidationError(["First.", "Second."])) == "First. Second."
    assert user_message(KeyboardInterrupt()) == "Interrupted."


def test_a_surprise_is_logged_once_and_never_shows_its_type(settings, caplog):
    exc = KeyError("secret-internal-key")
    first = user_message(exc, context="scan job 4")
    second = user_message(exc)
    assert first == second == f"Unexpected error (logged in {settings.LOG_FILE})."
    records = [r for r in caplog.records if r.name == "plexomatic.unexpected"]
    assert len(records) == 1 and records[0].exc_info is not None
    assert "scan job 4" in records[0].getMessage()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_view_failing_with_a_sentence_goes_back_with_the_message(logged_in):
    response = logged_in.get("/sentence/", HTTP_REFERER="http://testserver/libraries/3/")
    assert response.status_code == 302 and response["Location"] == "http://testserver/libraries/3/"
    response = logged_in.get("/sentence/", HTTP_REFERER="https://evil.example/")
    assert response["Location"] == "/"  # never back to another site


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_view_failing_unexpectedly_shows_the_logged_page(user, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/surprise/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Unexpected error (logged)" in html and "ZeroDivisionError" not in html
    assert any(r.exc_info for r in caplog.records if r.name == "django.request")
