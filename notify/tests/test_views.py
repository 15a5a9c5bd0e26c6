"""The Plex page, the token on the settings pages, and the batch page's block."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import free_port
from library.tests.factories import batch_make, library_make
from notify.models import Notification, PlexSection
from notify.tests.fake_plex import TOKEN
from plexomatic_site.models import ConfigurationHistory
from plexomatic_site.settings_store import (
    setting_get,
    settings_all,
    settings_current,
    settings_update,
)

pytestmark = pytest.mark.django_db

PLEX = reverse("notify:plex")
TEST = reverse("notify:plex_test")
FORGET = reverse("notify:plex_token_forget")
# A webhook whose path and query hold keys, as Discord's and Home Assistant's do.
WEBHOOK = "https://hooks.example.net/api/webhooks/123/s3cr3t-path?token=s3cr3t-query"


def _settings_post() -> dict[str, str]:
    """The settings form as a browser sends it back unchanged (a password box comes back empty)."""
    current = settings_current()
    data = {}
    for setting in settings_all():
        value = current[setting.key]
        if isinstance(value, bool):
            if value:
                data[setting.key] = "on"
        elif isinstance(value, list):
            data[setting.key] = "\n".join(value)
        elif setting.key not in ("plex_token", "webhook_url"):
            data[setting.key] = str(value)
    return data


@pytest.fixture
def tv(tmp_path):
    return library_make(tmp_path / "tv", "TV")


@pytest.fixture
def configured(plex):
    settings_update(values={"plex_url": plex.url, "plex_token": TOKEN})
    return plex


def test_test_connection_lists_sections_and_maps_the_one_on_the_same_path(
    logged_in, configured, tv
):
    response = logged_in.post(TEST, follow=True)
    assert "Plex answered with 2 library section(s); 1 mapped to a library." in response.text
    tv_section, movies = PlexSection.objects.order_by("key")
    assert (tv_section.library, tv_section.plex_root) == (tv, tv.root_path)
    assert movies.library is None and movies.locations == ["/data/movies"]
    assert "/data/movies" in response.text


def test_test_connection_keeps_a_mapping_the_user_chose(logged_in, configured, tmp_path):
    movies = library_make(tmp_path / "movies", "Movies")
    PlexSection.objects.create(key="2", title="Old", library=movies, plex_root="/data/movies")
    PlexSection.objects.create(key="7", title="Gone from the server")
    logged_in.post(TEST)
    section = PlexSection.objects.get(key="2")
    assert (section.title, section.library, section.plex_root) == ("Movies", movies, "/data/movies")
    assert not PlexSection.objects.filter(key="7").exists()


@pytest.mark.parametrize(
    ("behaviour", "sentence"),
    [
        ("html", "not as Plex does (text/html)"),
        ("redirect", "redirect to elsewhere.example:8080"),
        ("fail", "answered HTTP 500"),
    ],
)
def test_test_connection_says_what_is_wrong(logged_in, configured, behaviour, sentence):
    configured.behaviour = behaviour
    response = logged_in.post(TEST, follow=True)
    assert "Plex could not be reached as set:" in response.text
    assert sentence in response.text
    assert not PlexSection.objects.exists()


def test_test_connection_with_a_wrong_token_says_check_the_token(logged_in, configured):
    settings_update(values={"plex_token": "not-the-token-1234"})
    response = logged_in.post(TEST, follow=True)
    assert "HTTP 401, not authorised): check the token." in response.text


def test_test_connection_to_nothing_says_it_cannot_be_reached(logged_in):
    settings_update(values={"plex_url": f"http://127.0.0.1:{free_port()}", "plex_token": TOKEN})
    response = logged_in.post(TEST, follow=True)
    assert "cannot be reached (connection refused)" in response.text


def test_test_connection_without_settings_says_where_to_set_them(logged_in):
    response = logged_in.post(TEST, follow=True)
    assert "Enter the Plex server&#x27;s address and token in Settings first." in response.text


def test_test_connection_is_post_only(logged_in):
    assert logged_in.get(TEST).status_code == 405
    assert logged_in.get(FORGET).status_code == 405


def test_the_plex_page_needs_a_login(client):
    response = client.get(PLEX)
    assert response.status_code == 302 and "/login/" in response["Location"]


def _mapping_post(section: PlexSection, library: str, plex_root: str) -> dict[str, str]:
    return {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(section.pk),
        "form-0-library": library,
        "form-0-plex_root": plex_root,
    }


def test_a_mapping_with_another_mount_point_is_saved(logged_in, tv):
    section = PlexSection.objects.create(key="1", title="TV", locations=["/data/tv"])
    response = logged_in.post(PLEX, _mapping_post(section, str(tv.pk), "/data/tv"), follow=True)
    assert "Saved which library each Plex section is told about." in response.text
    section.refresh_from_db()
    assert (section.library, section.plex_root) == (tv, "/data/tv")
    assert section.plex_path(f"{tv.root_path}/Show (2019)") == "/data/tv/Show (2019)"


def test_a_mapping_outside_the_sections_folders_is_refused(logged_in, tv):
    section = PlexSection.objects.create(key="1", title="TV", locations=["/data/tv"])
    response = logged_in.post(PLEX, _mapping_post(section, str(tv.pk), ""))
    assert response.status_code == 200
    assert "holds /data/tv; " in response.text and "is not in it" in response.text
    section.refresh_from_db()
    assert section.library is None


def test_a_broken_mapping_post_saves_nothing(logged_in):
    response = logged_in.post(PLEX, {"form-0-library": "x"})
    assert response.status_code == 200
    assert "Some mappings are not valid; nothing was saved." in response.text


def test_the_token_is_shown_by_its_last_characters_only(logged_in, configured):
    response = logged_in.get(PLEX)
    assert "…3456" in response.text and TOKEN not in response.text
    settings_page = logged_in.get(reverse("settings"))
    assert TOKEN not in settings_page.text
    history = logged_in.get(reverse("setting_history", args=["plex_token"]))
    assert "…3456" in history.text and TOKEN not in history.text


def test_saving_the_settings_with_an_empty_token_box_keeps_the_token(logged_in, configured):
    data = _settings_post()
    data["job_history_days"] = "30"
    response = logged_in.post(reverse("settings"), data, follow=True)
    assert "Saved: Keep finished jobs for (days)." in response.text
    assert setting_get("plex_token") == TOKEN


def test_a_new_token_typed_in_replaces_the_old(logged_in, configured):
    data = {**_settings_post(), "plex_token": "a-new-token-7890"}
    logged_in.post(reverse("settings"), data)
    assert setting_get("plex_token") == "a-new-token-7890"


def test_a_bad_address_is_refused_on_the_settings_page(logged_in):
    data = {**_settings_post(), "plex_url": "plex.local:32400"}
    response = logged_in.post(reverse("settings"), data)
    assert "That is not a web address" in response.text
    assert setting_get("plex_url") == ""


def test_forgetting_the_token(logged_in, configured):
    response = logged_in.post(FORGET, follow=True)
    assert "The Plex token is forgotten" in response.text
    assert setting_get("plex_token") == ""
    assert logged_in.post(FORGET, follow=True).text.count("No Plex token was saved.") == 1


def test_the_admin_never_shows_the_token(admin_client, configured):
    listing = admin_client.get(reverse("admin:plexomatic_site_configurationhistory_changelist"))
    assert listing.status_code == 200 and TOKEN not in listing.text
    row = ConfigurationHistory.objects.get(config_key="plex_token", active=True)
    detail = admin_client.get(
        reverse("admin:plexomatic_site_configurationhistory_change", args=[row.pk])
    )
    assert detail.status_code == 200 and TOKEN not in detail.text and "…3456" in detail.text


def test_the_batch_page_shows_what_plex_and_the_webhook_were_told(logged_in, tv):
    batch = batch_make(tv, completed=2)
    Notification.objects.create(
        event="apply",
        target="plex",
        batch=batch,
        status="failed",
        message="Plex was asked to scan 0 folder(s); 1 could not be asked.",
        problems=["/tv/Show: 127.0.0.1:9 did not answer within 10 seconds."],
    )
    Notification.objects.create(
        event="apply",
        target="webhook",
        batch=batch,
        status="sent",
        message="The webhook was delivered.",
    )
    response = logged_in.get(reverse("library:batch", args=[batch.pk]))
    assert "Plex and webhook" in response.text
    assert "did not answer within 10 seconds." in response.text
    assert "The webhook was delivered." in response.text


def test_the_batch_page_without_notifications_has_no_block(logged_in, tv):
    batch = batch_make(tv, completed=1)
    response = logged_in.get(reverse("library:batch", args=[batch.pk]))
    assert "Plex and webhook" not in response.text


@pytest.mark.parametrize(
    "value", ["", "x" * 100_000, "a\x00b", "9223372036854775808", "/data/tv/../../etc", "relative"]
)
def test_hostile_mapping_values_are_refused_never_a_server_error(logged_in, tv, value):
    section = PlexSection.objects.create(key="1", title="TV", locations=["/data/tv"])
    for library, plex_root in ((value, ""), (str(tv.pk), value)):
        response = logged_in.post(PLEX, _mapping_post(section, library, plex_root))
        assert response.status_code in (200, 302)
    section.refresh_from_db()
    assert (section.library, section.plex_root) == (None, "")


def test_the_batch_block_reads_its_notifications_in_one_query(
    logged_in, tv, django_assert_num_queries
):
    batch = batch_make(tv, completed=1)
    url = reverse("library:batch", args=[batch.pk])

    def add(count: int) -> None:
        for _ in range(count):
            Notification.objects.create(event="apply", target="plex", batch=batch, status="sent")

    add(1)
    with CaptureQueriesContext(connection) as one:
        logged_in.get(url)
    add(5)
    with django_assert_num_queries(len(one.captured_queries)):
        logged_in.get(url)


def test_the_webhook_address_is_shown_by_its_scheme_and_host_only(logged_in, caplog):
    settings_update(values={"webhook_url": WEBHOOK})
    pages = [
        logged_in.get(PLEX),
        logged_in.get(reverse("settings")),
        logged_in.get(reverse("setting_history", args=["webhook_url"])),
    ]
    for page in pages:
        assert page.status_code == 200
        assert "s3cr3t" not in page.text
    assert "https://hooks.example.net…" in pages[0].text and "…" in pages[2].text
    assert "s3cr3t" not in caplog.text


def test_saving_the_settings_with_an_empty_webhook_box_keeps_it(logged_in):
    settings_update(values={"webhook_url": WEBHOOK})
    data = {**_settings_post(), "job_history_days": "31"}
    logged_in.post(reverse("settings"), data)
    assert setting_get("webhook_url") == WEBHOOK
    logged_in.post(reverse("settings"), {**data, "webhook_url": "not an address"})
    assert setting_get("webhook_url") == WEBHOOK


def test_forgetting_the_webhook(logged_in):
    settings_update(values={"webhook_url": WEBHOOK})
    response = logged_in.post(reverse("notify:webhook_forget"), follow=True)
    assert "The webhook address is forgotten" in response.text
    assert setting_get("webhook_url") == ""
    again = logged_in.post(reverse("notify:webhook_forget"), follow=True)
    assert "No webhook address was saved." in again.text
