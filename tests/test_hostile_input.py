"""Every form and filter on the site, sent a fixed battery of hostile values: never a 500.

A value a field cannot take is a 400 or the form again with an error, or a
404 for an id that cannot exist; a server error is a bug.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from backups.forms import SCHEDULE_KEYS
from library.forms import BatchFilterForm, HistoryFilterForm, LibraryForm, MediaFilterForm
from library.models import Batch, FileOperation, Library, MediaFile
from plexomatic_site.settings_store import settings_all

pytestmark = pytest.mark.django_db

# Raw, already percent-encoded: sent exactly as is.
INVALID_UTF8 = "%ff%fe%c3%28"
HOSTILE: dict[str, list[str]] = {
    "empty": [""],
    "huge text": ["x" * 100_000],
    "nul": [quote("a\x00b")],
    "invalid utf-8": [INVALID_UTF8],
    "int64 + 1": ["9223372036854775808"],
    "huge negative": ["-99999999999999999999"],
    "5000 digits": ["9" * 5000],
    "superscript digit": [quote("²")],
    "arabic digits": [quote("١٢٣")],
    "list": ["1", "2"],
}


def _query(field: str, values: list[str]) -> str:
    return "&".join(f"{quote(field)}={value}" for value in values)


def _settings_fields() -> list[str]:
    return [setting.key for setting in settings_all()]


@pytest.fixture
def site(logged_in, user):
    library = Library.objects.create(name="TV", root_path="/media/tv")
    MediaFile.objects.create(
        library=library,
        path="/media/tv/Show/Show.s01e01.mkv",
        name="Show.s01e01.mkv",
        title="Show",
        year=2020,
        size=1,
        mtime=0,
    )
    batch = Batch.objects.create(library=library, kind=Batch.Kind.APPLY)
    FileOperation.objects.create(
        batch=batch, original_path="/media/tv/a.mkv", new_path="/media/tv/b.mkv", checksum="x"
    )
    logged_in.raise_request_exception = False
    return {"library": library.pk, "batch": batch.pk}


def _targets(site: dict[str, int]) -> list[tuple[str, str, list[str]]]:
    """(method, url, fields) of every form and filter."""
    lib = site["library"]
    history = [*HistoryFilterForm.base_fields, "page"]
    return [
        ("get", reverse("library:history"), [*BatchFilterForm.base_fields, "page", "view"]),
        ("get", reverse("library:history") + "?view=files", history),
        ("get", reverse("library:history_export"), history),
        ("get", reverse("library:list"), ["page"]),
        ("get", reverse("library:detail", args=[lib]), [*MediaFilterForm.base_fields, "page"]),
        ("get", reverse("library:rename"), ["library", "page"]),
        ("get", reverse("backups:list"), ["page"]),
        ("get", reverse("library:batch", args=[site["batch"]]), ["page"]),
        ("post", reverse("library:add"), list(LibraryForm.base_fields)),
        ("post", reverse("library:edit", args=[lib]), list(LibraryForm.base_fields)),
        ("post", reverse("library:rename_apply"), ["library", "media", "target-1"]),
        ("post", reverse("library:rename_apply_all"), ["library", "digest"]),
        ("post", reverse("backups:create"), ["note"]),
        ("post", reverse("backups:schedule"), list(SCHEDULE_KEYS)),
        ("post", reverse("backups:pin", args=[999]), ["pinned"]),
        ("post", reverse("settings"), _settings_fields()),
        ("post", reverse("login"), ["username", "password", "next"]),
        ("post", reverse("setup"), ["username", "password1", "password2"]),
        ("post", reverse("backups:upload"), ["file", "csrfmiddlewaretoken"]),
        ("post", reverse("backups:restore", args=[999]), ["confirm", "allow_no_admin"]),
        ("post", reverse("backups:delete", args=[999]), ["confirm"]),
        ("get", reverse("job_status", args=[999]), ["since"]),
    ]


class _Failed:
    status_code = 500


def _send(client: Client, method: str, url: str, body: str):
    if method == "get":
        response = client.get(f"{url}{'&' if '?' in url else '?'}{body}")
    else:
        response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
    if response.streaming:
        try:
            b"".join(getattr(response, "streaming_content"))  # noqa: B009
        except Exception:
            return _Failed()
    return response


def test_no_form_or_filter_answers_a_server_error(site, logged_in):
    errors = []
    for method, url, fields in _targets(site):
        for field in fields:
            for label, values in HOSTILE.items():
                response = _send(logged_in, method, url, _query(field, values))
                if response.status_code >= 500:
                    errors.append(f"{method.upper()} {url} {field}={label}: {response.status_code}")
        # Every field at once, too.
        for label, values in HOSTILE.items():
            body = "&".join(_query(field, values) for field in fields)
            if _send(logged_in, method, url, body).status_code >= 500:
                errors.append(f"{method.upper()} {url} all fields={label}")
    assert errors == [], "\n".join(errors)


@pytest.mark.parametrize(
    "query",
    [
        "batch=9223372036854775808",
        "batch=-99999999999999999999",
        "library=9223372036854775808",
        "batch=" + "9" * 5000,
    ],
)
@pytest.mark.parametrize("url", ["/history/?view=files&", "/history/export.csv?"])
def test_history_filters_refuse_integers_out_of_range(site, logged_in, url, query):
    response = logged_in.get(f"{url}{query}")
    assert response.status_code == 400


@pytest.mark.parametrize("field", ["library", "created_by"])
@pytest.mark.parametrize("value", ["9223372036854775808", "-99999999999999999999", "9" * 5000])
def test_batch_history_filters_refuse_integers_out_of_range(site, logged_in, field, value):
    response = logged_in.get(f"{reverse('library:history')}?{field}={value}")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "media", ["9223372036854775808", "-99999999999999999999", "9" * 5000, "²", "0"]
)
def test_rename_apply_refuses_ids_that_cannot_exist(site, logged_in, media):
    response = logged_in.post(
        reverse("library:rename_apply"),
        {"library": site["library"], "media": media, f"target-{media}": "x"},
    )
    assert response.status_code < 500


@pytest.mark.parametrize(
    "path", ["/libraries/99999999999999999999/", "/history/batch/9223372036854775808/"]
)
def test_ids_in_the_path_beyond_the_database_range_are_not_found(site, logged_in, path):
    assert logged_in.get(path).status_code == 404


@pytest.mark.parametrize("year", [quote("²"), "9" * 5000])
def test_show_page_with_a_year_that_is_no_number(site, logged_in, year):
    response = logged_in.get(
        f"{reverse('library:show', args=[site['library']])}?title=x&year={year}"
    )
    assert response.status_code < 500
