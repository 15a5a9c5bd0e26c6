"""CSP, Permissions-Policy and no caching: on a page, the CSV export and a backup download."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backups.models import Backup, BackupKind
from backups.services.snapshot import backup_create
from backups.services.sync import backups_sync
from conftest import sqlite_backups

pytestmark = pytest.mark.django_db(transaction=True)


def _assert_headers(response, *, private: bool = True) -> None:
    csp = response["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split("; ")}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    if private:
        cache = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= cache


@pytest.fixture
def backup_dir(tmp_path, settings):
    folder = tmp_path / "backups"
    folder.mkdir()
    settings.PLEXOMATIC_BACKUP_DIR = folder
    return folder


def test_a_page_has_every_header(logged_in):
    response = logged_in.get(reverse("overview"))
    assert response.status_code == 200
    _assert_headers(response)


def test_the_csv_export_is_not_cached(logged_in):
    response = logged_in.get(reverse("library:history_export"))
    assert response.status_code == 200
    _assert_headers(response)


@sqlite_backups
def test_a_backup_download_is_not_cached(logged_in, backup_dir):
    made = backup_create(kind=BackupKind.MANUAL)
    backups_sync()
    row = Backup.objects.get(file_name=made.path.name)
    response = logged_in.get(reverse("backups:download", args=[row.pk]))
    assert response.status_code == 200
    _assert_headers(response)
    response.close()


def test_the_login_page_has_the_policies(client, user):
    _assert_headers(client.get(reverse("login")), private=False)


def test_the_admin_has_the_policies_and_is_not_cached(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="pw-long-1x"))
    _assert_headers(client.get(reverse("admin:index")))


def test_no_template_has_inline_script_or_style():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "templates"
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.I)
    found = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in root.rglob("*.html")
        for match in inline.finditer(path.read_text())
    ]
    assert found == []
