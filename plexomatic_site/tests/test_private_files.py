"""What Plex-o-matic creates for itself is its user's only; `check` warns about the rest."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from plexomatic_site.checks import private_files_check

BASE_DIR = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _manage(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env["PLEXOMATIC_DATA_DIR"] = str(data_dir)
    env.pop("PLEXOMATIC_BACKUP_DIR", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        # The usual umask, which leaves new files readable by everyone.
        preexec_fn=lambda: os.umask(0o022),
    )


def test_a_new_install_creates_every_file_and_folder_for_its_user_only(tmp_path):
    data = tmp_path / "data"
    assert _manage(data, "migrate").returncode == 0
    made = _manage(data, "backup", "--no-progress")
    assert made.returncode == 0, made.stderr
    checked = _manage(data, "check")
    assert checked.returncode == 0
    assert "W002" not in checked.stderr and "W003" not in checked.stderr

    assert _mode(data) == 0o700
    for folder in ("backups", "tmp"):
        assert _mode(data / folder) == 0o700, folder
    files = [data / "plexomatic.sqlite3", data / "secret_key"]
    files += list((data / "backups").iterdir())
    files += [p for p in data.glob("plexomatic.sqlite3-*")]
    assert any(p.suffix == ".json" for p in files)
    for path in files:
        assert _mode(path) == 0o600, path.name


def test_check_warns_about_a_data_folder_others_can_read(settings, tmp_path):
    data = tmp_path / "shared"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    settings.DATA_DIR = data
    found = {m.id: m for m in private_files_check(None)}
    assert "plexomatic.W002" in found
    assert found["plexomatic.W002"].hint == f"Make it yours only: chmod 700 {data}"
    os.chmod(data, 0o700)
    assert "plexomatic.W002" not in {m.id for m in private_files_check(None)}


@pytest.mark.sqlite_only(reason="the SQLite file's mode")
@pytest.mark.django_db
def test_check_warns_about_a_database_others_can_read(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    database = Path(connection.settings_dict["NAME"])
    before = _mode(database)
    try:
        os.chmod(database, 0o644)
        found = {m.id: m for m in private_files_check(None)}
        assert "plexomatic.W003" in found
        assert f"chmod 600 {database}" in (found["plexomatic.W003"].hint or "")
        os.chmod(database, 0o600)
        for side in ("-wal", "-shm"):
            if Path(f"{database}{side}").exists():
                os.chmod(f"{database}{side}", 0o600)
        assert "plexomatic.W003" not in {m.id for m in private_files_check(None)}
    finally:
        os.chmod(database, before)
