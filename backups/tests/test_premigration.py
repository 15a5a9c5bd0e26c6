"""`migrate` (and so `serve`) backs up an existing database before changing its schema."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from backups.tests.conftest import BASE_DIR


def _manage(data_dir: Path, *args: str, backup_dir: Path | None = None):
    env = {
        "PATH": "/usr/bin:/bin",
        "PLEXOMATIC_DATA_DIR": str(data_dir),
        "DEBUG": "false",
    }
    if backup_dir is not None:
        env["PLEXOMATIC_BACKUP_DIR"] = str(backup_dir)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _applied(data_dir: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(data_dir / "plexomatic.sqlite3") as db:
        return set(db.execute("SELECT app, name FROM django_migrations"))


def _manifests(data_dir: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((data_dir / "backups").glob("*.json"))]


def test_a_brand_new_database_needs_no_backup(tmp_path):
    result = _manage(tmp_path, "migrate")
    assert result.returncode == 0, result.stderr
    assert _manifests(tmp_path) == []


def test_pending_migrations_on_an_existing_database_are_backed_up_first(tmp_path):
    # An older install: only some apps migrated (a fresh database: no backup yet).
    assert _manage(tmp_path, "migrate", "plexomatic_site").returncode == 0
    assert _manifests(tmp_path) == []
    before = _applied(tmp_path)

    result = _manage(tmp_path, "migrate")

    assert result.returncode == 0, result.stderr
    assert "Backed up the database before migrating" in result.stdout
    [manifest] = _manifests(tmp_path)
    assert manifest["kind"] == "pre_migration"
    assert "Before migrating: " in manifest["note"]
    # The backup holds the schema as it was before the migration.
    assert {(app, n) for app, names in manifest["migrations"].items() for n in names} == before
    assert "library" not in manifest["migrations"]
    assert ("library", "0001_initial") in _applied(tmp_path)

    # Nothing pending any more: no further backup.
    assert _manage(tmp_path, "migrate").returncode == 0
    assert len(_manifests(tmp_path)) == 1


def test_a_failing_pre_migration_backup_stops_the_migration(tmp_path):
    assert _manage(tmp_path, "migrate", "plexomatic_site").returncode == 0
    before = _applied(tmp_path)

    result = _manage(tmp_path, "migrate", backup_dir=tmp_path / "no-such-folder")

    assert result.returncode == 1
    assert "does not exist" in result.stderr and "No migration was applied." in result.stderr
    assert "Traceback" not in result.stderr
    assert _applied(tmp_path) == before


def test_serve_takes_the_pre_migration_backup_at_start_up(server):
    server.manage("migrate", "plexomatic_site")
    server.start()
    code, output = server.stop()
    assert code == 0, output
    # A fresh pre-migration backup also satisfies the schedule: no second one.
    assert [m["kind"] for m in _manifests(server.data_dir)] == ["pre_migration"]


def test_unapplying_migrations_is_backed_up_first(tmp_path):
    *_, previous, newest = sorted(p.stem for p in (BASE_DIR / "library/migrations").glob("0*.py"))
    assert _manage(tmp_path, "migrate").returncode == 0
    assert _manifests(tmp_path) == []
    before = _applied(tmp_path)
    assert ("library", newest) in before

    result = _manage(tmp_path, "migrate", "library", previous)

    assert result.returncode == 0, result.stderr
    assert "Backed up the database before migrating" in result.stdout
    [manifest] = _manifests(tmp_path)
    assert manifest["kind"] == "pre_migration"
    assert f"library.{newest} (unapply)" in manifest["note"]
    # The backup holds the schema as it was, with the migration now unapplied.
    assert {(app, n) for app, names in manifest["migrations"].items() for n in names} == before
    assert ("library", newest) not in _applied(tmp_path)

    # Already there: the plan is empty, so no second backup.
    assert _manage(tmp_path, "migrate", "library", previous).returncode == 0
    assert len(_manifests(tmp_path)) == 1
