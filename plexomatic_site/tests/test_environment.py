from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured

from plexomatic_site.environment import (
    data_dir_prepare,
    env_bool,
    env_port,
    env_worker_host,
    secret_key_load,
)

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(monkeypatch):
    for name in ("DEBUG", "PLEXOMATIC_PORT", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    return environ.Env()


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("1", True), ("On", True), ("no", False), ("0", False)]
)
def test_env_bool_reads_yes_and_no_words(env, monkeypatch, raw, expected):
    monkeypatch.setenv("DEBUG", raw)
    assert env_bool(env, "DEBUG", default=not expected) is expected


def test_env_bool_refuses_other_words(env, monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match=r"DEBUG='maybe' is not a yes/no value"):
        env_bool(env, "DEBUG", default=False)


def test_env_bool_default_when_unset(env):
    assert env_bool(env, "DEBUG", default=True) is True


@pytest.mark.parametrize("raw", ["70000", "0", "-1", "http", "80.5"])
def test_env_port_refuses_non_ports(env, monkeypatch, raw):
    monkeypatch.setenv("PLEXOMATIC_PORT", raw)
    with pytest.raises(ImproperlyConfigured, match="is not a TCP port"):
        env_port(env, "PLEXOMATIC_PORT", default=8000)


def test_env_port_reads_a_port(env, monkeypatch):
    monkeypatch.setenv("PLEXOMATIC_PORT", "8123")
    assert env_port(env, "PLEXOMATIC_PORT", default=8000) == 8123


def test_env_worker_host_is_the_machines_name_unless_set(env, monkeypatch):
    monkeypatch.delenv("PLEXOMATIC_WORKER_HOST", raising=False)
    assert env_worker_host(env, "PLEXOMATIC_WORKER_HOST") == socket.gethostname().lower()
    monkeypatch.setenv("PLEXOMATIC_WORKER_HOST", " NAS1.home ")
    assert env_worker_host(env, "PLEXOMATIC_WORKER_HOST") == "nas1.home"


@pytest.mark.parametrize("raw", ["nas 1", "nas1,nas2", "-nas", "x" * 256])
def test_env_worker_host_refuses_what_no_queue_list_can_hold(env, monkeypatch, raw):
    monkeypatch.setenv("PLEXOMATIC_WORKER_HOST", raw)
    with pytest.raises(ImproperlyConfigured, match="is not a worker host name; use at most 255"):
        env_worker_host(env, "PLEXOMATIC_WORKER_HOST")


def test_data_dir_is_created(tmp_path):
    target = tmp_path / "a" / "b"
    assert data_dir_prepare(target) == target.resolve()
    assert target.is_dir()


def test_data_dir_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(ImproperlyConfigured, match="is a file, not a folder"):
        data_dir_prepare(target)


def _unwritable_folder(tmp_path: Path) -> Path:
    if os.geteuid() == 0:
        # root writes through permission bits; sysfs refuses even root.
        return Path("/sys/kernel")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    return folder


def test_data_dir_that_cannot_be_written_is_refused(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="cannot be written"):
        data_dir_prepare(_unwritable_folder(tmp_path))


def test_secret_key_is_generated_once_owner_only_and_reused(env, tmp_path):
    first = secret_key_load(env, tmp_path)
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first) >= 50
    assert secret_key_load(env, tmp_path) == first
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_secret_key_from_environment_wins(env, monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "k" * 60)
    assert secret_key_load(env, tmp_path) == "k" * 60
    assert not (tmp_path / "secret_key").exists()


def _manage(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PLEXOMATIC_DATA_DIR": str(tmp_path / "data"), **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "Error: DEBUG='maybe' is not a yes/no value"),
        ({"PLEXOMATIC_PORT": "70000"}, "Error: PLEXOMATIC_PORT='70000' is not a TCP port"),
        ({"PLEXOMATIC_DATA_DIR": "/etc/hostname"}, "is a file, not a folder"),
        ({"DATABASE_URL": "nonsense://x"}, "Error: DATABASE_URL is not a database address"),
        ({"SECURE_HSTS_SECONDS": "abc"}, "Error: SECURE_HSTS_SECONDS='abc' is not a whole number"),
        ({"TIME_ZONE": "Mars/Olympus"}, "Error: TIME_ZONE='Mars/Olympus' is not a time zone name"),
        ({"LOG_LEVEL": "LOUD"}, "Error: LOG_LEVEL='LOUD' is not one of DEBUG, INFO"),
        ({"ALLOWED_HOSTS": ""}, "Error: ALLOWED_HOSTS is empty"),
    ],
)
def test_bad_configuration_stops_start_up_with_one_sentence(tmp_path, env, message):
    result = _manage(tmp_path, "check", **env)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unwritable_data_dir_stops_start_up_with_one_sentence(tmp_path):
    result = _manage(
        tmp_path, "serve", PLEXOMATIC_DATA_DIR=str(_unwritable_folder(tmp_path) / "data")
    )
    assert result.returncode == 2
    assert "cannot be written" in result.stderr
    assert "Traceback" not in result.stderr


def test_system_check_reports_an_unusable_data_folder(settings, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.DATA_DIR = tmp_path / "nowhere"
    with pytest.raises(SystemCheckError, match=r"The data folder .*nowhere does not exist"):
        call_command("check")
