"""The favicon, and the 404 and 500 pages inside the site's layout."""

from __future__ import annotations

import logging

import pytest
from django.test import Client, override_settings
from django.urls import path, reverse

pytestmark = pytest.mark.django_db


def _fails_unexpectedly(request):
    raise ZeroDivisionError("division by zero")


urlpatterns = [path("surprise/", _fails_unexpectedly)]


def test_favicon_answers_anyone_with_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    # An ICO file: reserved 0, type 1, then how many images it holds.
    assert response.content[:4] == b"\x00\x00\x01\x00" and response.content[4] >= 1
    assert client.post("/favicon.ico").status_code == 405


def test_every_page_links_the_svg_icon(client, user):
    html = client.get(reverse("login")).content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in html


@override_settings(DEBUG=False)
def test_a_missing_page_is_a_404_in_the_layout_with_the_menu(logged_in):
    response = logged_in.get("/libraries/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<h1 id="error-title">Page not found</h1>' in html
    assert '<nav class="sidebar" aria-label="Main">' in html
    assert f'href="{reverse("overview")}">Back to the overview' in html


@override_settings(DEBUG=False)
def test_a_missing_page_for_a_visitor_shows_no_menu(client):
    response = client.get("/static/no-such-file.css")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "sidebar" not in html


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_an_unexpected_error_is_a_500_in_the_layout(user, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/surprise/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Unexpected error (logged)" in html and "ZeroDivisionError" not in html
    assert '<main id="main" class="content">' in html and "css/app.css" in html
    assert 'href="/">Back to the overview' in html
