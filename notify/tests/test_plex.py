"""The Plex client against a real local HTTP server speaking Plex's protocol."""

from __future__ import annotations

import time

import pytest

from conftest import free_port
from notify.errors import NotifyError
from notify.plex import Section, section_refresh, sections_fetch
from notify.tests.fake_plex import TOKEN


def test_sections_are_read_from_plex_json(plex, tmp_path):
    sections = sections_fetch(url=plex.url, token=TOKEN)
    assert sections == [
        Section("1", "TV", "show", (str(tmp_path / "tv"),)),
        Section("2", "Movies", "movie", ("/data/movies",)),
    ]
    (call,) = plex.calls
    assert call.headers["X-Plex-Token"] == TOKEN
    assert call.headers["Accept"] == "application/json"


def test_sections_are_read_from_plex_xml_too(plex, monkeypatch, tmp_path):
    # Plex answers XML to a client that does not ask for JSON (and some proxies drop Accept).
    from notify import plex as plex_module

    monkeypatch.setitem(plex_module._CLIENT, "Accept", "*/*")
    sections = sections_fetch(url=plex.url, token=TOKEN)
    assert [s.locations for s in sections] == [(str(tmp_path / "tv"),), ("/data/movies",)]


def test_refresh_sends_the_folder_url_encoded(plex):
    section_refresh(url=plex.url, token=TOKEN, section="2", path="/data/movies/Amélie (2001) & co")
    assert plex.refreshes() == [("2", "/data/movies/Amélie (2001) & co")]
    (call,) = plex.calls
    assert call.target == (
        "/library/sections/2/refresh?path=%2Fdata%2Fmovies%2FAm%C3%A9lie%20%282001%29%20%26%20co"
    )
    assert call.method == "GET" and call.headers["X-Plex-Token"] == TOKEN


def test_a_wrong_token_is_a_sentence_about_the_token(plex):
    with pytest.raises(
        NotifyError, match=r"refused the request \(HTTP 401.*check the token"
    ) as exc:
        sections_fetch(url=plex.url, token="wrong")
    assert not exc.value.retry and exc.value.stop


def test_a_web_page_instead_of_plex_says_so(plex):
    plex.behaviour = "html"
    with pytest.raises(NotifyError, match=r"not as Plex does \(text/html\).*port 32400"):
        sections_fetch(url=plex.url, token=TOKEN)


def test_a_redirect_elsewhere_is_not_followed(plex):
    plex.behaviour = "redirect"
    with pytest.raises(NotifyError, match=r"redirect to elsewhere.example:8080 \(HTTP 302\)"):
        sections_fetch(url=plex.url, token=TOKEN)
    assert len(plex.calls) == 1  # the token went nowhere else


def test_a_slow_server_times_out_with_a_sentence(plex):
    plex.behaviour, plex.delay = "slow", 1.0
    started = time.monotonic()
    with pytest.raises(NotifyError, match=r"did not answer within 0.5 seconds") as exc:
        sections_fetch(url=plex.url, token=TOKEN)
    assert time.monotonic() - started < 0.9
    assert exc.value.retry


def test_an_unreachable_server_says_it_cannot_be_reached():
    with pytest.raises(
        NotifyError, match=r"127.0.0.1:\d+ cannot be reached \(connection refused\)"
    ):
        sections_fetch(url=f"http://127.0.0.1:{free_port()}", token=TOKEN)


def test_a_server_error_may_pass(plex):
    plex.behaviour = "fail"
    with pytest.raises(NotifyError, match="answered HTTP 500; it may be busy") as exc:
        section_refresh(url=plex.url, token=TOKEN, section="1", path="/x")
    assert exc.value.retry


def test_an_unknown_section_does_not_stop_the_others(plex):
    with pytest.raises(NotifyError, match="HTTP 404") as exc:
        section_refresh(url=plex.url, token=TOKEN, section="9", path="/x")
    assert not exc.value.stop


def test_a_web_page_answering_a_refresh_is_not_taken_for_plex(plex):
    plex.behaviour = "html"
    with pytest.raises(NotifyError, match="not as Plex does"):
        section_refresh(url=plex.url, token=TOKEN, section="1", path="/x")


def test_no_token_sends_no_token_header(plex):
    with pytest.raises(NotifyError, match="HTTP 401"):
        sections_fetch(url=plex.url, token="")
    assert "X-Plex-Token" not in plex.calls[0].headers
