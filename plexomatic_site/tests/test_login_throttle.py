"""Login throttling (django-axes): lockout per username and per address, cheap once locked."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt  # type: ignore[import-untyped]
from django.contrib.auth.hashers import get_hasher
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Dozens of failed logins per test: a cheap hasher, counted all the same.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def hashings(monkeypatch):
    """Every time a password is hashed (checked, or the dummy hash for an unknown user)."""
    calls: list[str] = []
    hasher = type(get_hasher())
    for name in ("encode", "verify"):
        original = getattr(hasher, name)

        def counted(self, *args, _original=original, _name=name, **kwargs):
            calls.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(hasher, name, counted)
    return calls


def _fail(client, username="alice", address="10.0.0.5", url="login"):
    return client.post(
        reverse(url), {"username": username, "password": "wrong"}, REMOTE_ADDR=address
    )


def test_thirty_wrong_passwords_lock_out_and_hash_nothing_after_the_limit(
    client, user, settings, hashings
):
    assert settings.AXES_FAILURE_LIMIT == 10
    statuses = [_fail(client).status_code for _ in range(30)]
    # Nine plain failures; the tenth reaches the limit and is answered as a lockout.
    assert statuses[:9] == [200] * 9
    assert statuses[9:] == [429] * 21
    # One check per failure up to the limit, none after (a hasher's verify encodes once).
    assert hashings.count("verify") == 10
    hashed = len(hashings)

    locked = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many failed logins" in page and "Try again in 15 minutes" in page
    assert locked["Retry-After"] == "900"
    assert len(hashings) == hashed
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_address_whatever_the_username(client, user, hashings):
    for n in range(10):
        _fail(client, username=f"guess{n}", address="10.0.0.9")
    refused = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert refused.status_code == 429
    # alice from another address is not locked out.
    ok = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.10"
    )
    assert ok.status_code == 302


def test_lockout_is_per_username_from_any_address(client, user):
    for n in range(10):
        _fail(client, address=f"10.0.1.{n}")
    refused = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.2.1"
    )
    assert refused.status_code == 429


def test_the_admin_login_is_throttled_too(client, django_user_model, hashings):
    django_user_model.objects.create_superuser("root", password=PASSWORD)
    for _ in range(10):
        client.post(
            reverse("admin:login"),
            {"username": "root", "password": "wrong"},
            REMOTE_ADDR="10.0.3.1",
        )
    before = len(hashings)
    locked = client.post(
        reverse("admin:login"), {"username": "root", "password": PASSWORD}, REMOTE_ADDR="10.0.3.1"
    )
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert len(hashings) == before


def test_failures_are_listed_in_the_admin(client, user, django_user_model):
    _fail(client)
    admin = django_user_model.objects.create_superuser("root", password=PASSWORD)
    client.force_login(admin)
    page = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200
    assert "alice" in page.content.decode()


def test_axes_reset_username_unlocks(client, user):
    for _ in range(10):
        _fail(client)
    call_command("axes_reset_username", "alice")
    assert not AccessAttempt.objects.filter(username="alice").exists()
    ok = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.5"
    )
    assert ok.status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, user):
    for _ in range(9):
        _fail(client)
    assert (
        client.post(
            reverse("login"), {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.5"
        ).status_code
        == 302
    )
    client.logout()
    assert _fail(client).status_code == 200


@pytest.mark.parametrize(
    ("variable", "value"),
    [("PLEXOMATIC_LOGIN_FAILURE_LIMIT", "0"), ("PLEXOMATIC_LOGIN_LOCKOUT_MINUTES", "soon")],
)
def test_a_bad_throttling_setting_stops_start_up_with_a_sentence(tmp_path, variable, value):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "PLEXOMATIC_DATA_DIR": str(tmp_path), variable: value}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert f"{variable}={value!r} is not a whole number" in result.stderr


def test_the_limits_come_from_the_environment(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **os.environ,
        "PLEXOMATIC_DATA_DIR": str(tmp_path),
        "PLEXOMATIC_LOGIN_FAILURE_LIMIT": "3",
        "PLEXOMATIC_LOGIN_LOCKOUT_MINUTES": "60",
    }
    code = "from django.conf import settings; print(settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == "3 1:00:00", result.stderr
