"""Backups and restores of a real PostgreSQL database: pg_dump archives with the same promises."""

from __future__ import annotations

import hashlib
import http.cookiejar
import json
import re
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from backups.tests.pg_site import ADMIN_PASSWORD, BASE_DIR, Site
from conftest import free_port


def _manifest_rewrite(dump: Path) -> None:
    """Make the manifest agree with the file's bytes again (as if the damage came first)."""
    manifest_file = dump.with_name(dump.name + ".json")
    manifest = json.loads(manifest_file.read_text())
    manifest["sha256"] = hashlib.sha256(dump.read_bytes()).hexdigest()
    manifest["size"] = dump.stat().st_size
    manifest_file.write_text(json.dumps(manifest))


def test_a_backup_is_a_custom_format_dump_checked_in_a_scratch_database(pg_site):
    done = pg_site.ok("backup", "--no-progress", "--note", "before the move")
    (dump,) = pg_site.dumps("manual")
    assert str(dump) in done.stdout
    assert dump.read_bytes()[:5] == b"PGDMP"
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    listing = subprocess.run(["pg_restore", "--list", str(dump)], capture_output=True, text=True)
    assert listing.returncode == 0 and "TABLE DATA public library_mediafile" in listing.stdout
    manifest = pg_site.manifest(dump)
    major = pg_site.query("SHOW server_version_num")[0][0][:2]
    assert manifest["engine"] == "postgresql"
    assert manifest["server_version"].split(".")[0] == major
    assert manifest["note"] == "before the move"
    assert manifest["sha256"] == hashlib.sha256(dump.read_bytes()).hexdigest()
    # Every table and its rows, as counted in the snapshot the dump was read from.
    counts = pg_site.counts()
    assert manifest["tables"]["library_mediafile"] == 31
    # (Except what the backup job itself writes afterwards: its job row, the index.)
    after = {"plexomatic_site_job", "backups_backup"}
    assert {t: n for t, n in manifest["tables"].items() if t not in after} == {
        t: n for t, n in counts.items() if t not in after
    }
    assert "plexomatic_site" in manifest["migrations"]
    assert pg_site.scratch_databases() == []
    assert [p.name for p in pg_site.backups()] == [dump.name, dump.name + ".json"]


def test_verify_restores_the_dump_again_and_compares_row_counts(pg_site):
    pg_site.ok("backup", "--no-progress")
    (dump,) = pg_site.dumps()
    done = pg_site.ok("backup", "--verify", dump.name, "--no-progress")
    assert f"{dump.name} is sound" in done.stdout
    manifest_file = dump.with_name(dump.name + ".json")
    manifest = json.loads(manifest_file.read_text())
    manifest["tables"]["library_mediafile"] = 99
    manifest_file.write_text(json.dumps(manifest))
    refused = pg_site.manage("backup", "--verify", dump.name, "--no-progress")
    assert refused.returncode != 0
    assert "library_mediafile (31 rows where the manifest says 99)" in refused.stderr
    assert pg_site.scratch_databases() == []


def test_restore_brings_deleted_rows_back_after_a_pre_restore_backup(pg_site):
    pg_site.ok("backup", "--no-progress")
    before = pg_site.counts()
    pg_site.query("DELETE FROM library_fileoperation")
    pg_site.query("DELETE FROM library_mediafile")
    done = pg_site.ok("restore", pg_site.dumps("manual")[0].name, "--yes", "--no-progress")
    after = pg_site.counts()
    assert after["library_mediafile"] == 31
    assert {
        t: after[t] for t in before if not t.startswith(("backups_", "plexomatic_site_job"))
    } == {t: n for t, n in before.items() if not t.startswith(("backups_", "plexomatic_site_job"))}
    (undo,) = pg_site.dumps("pre_restore")
    assert f"To undo, restore {undo.name}" in done.stdout
    assert pg_site.manifest(undo)["tables"]["library_mediafile"] == 0
    # New rows get new keys: the sequences came back with the data.
    films = pg_site.data_dir.parent / "films"
    films.mkdir()
    pg_site.ok("createlibrary", "Films", str(films))
    assert pg_site.scratch_databases() == []


def _damage_data(dump: Path) -> None:
    """Zero 64 bytes inside a table's compressed data, leaving the table of contents readable."""
    original = dump.read_bytes()
    for percent in (97, 95, 99, 93, 90):
        data = bytearray(original)
        at = len(data) * percent // 100
        data[at : at + 64] = b"\x00" * 64
        dump.write_bytes(bytes(data))
        if subprocess.run(["pg_restore", "--list", str(dump)], capture_output=True).returncode == 0:
            return
    raise AssertionError("no place found to damage the data alone")


def test_a_damaged_dump_is_refused_and_the_database_is_unchanged(pg_site):
    pg_site.ok("backup", "--no-progress")
    (dump,) = pg_site.dumps()
    _damage_data(dump)
    pg_site.query("DELETE FROM library_fileoperation")
    before = pg_site.counts()
    refused = pg_site.manage("restore", dump.name, "--yes", "--no-progress")
    assert refused.returncode != 0
    assert "does not match its manifest" in refused.stderr
    # Damaged before its manifest was written: restoring it into a scratch database fails.
    _manifest_rewrite(dump)
    refused = pg_site.manage("restore", dump.name, "--yes", "--no-progress")
    assert refused.returncode != 0
    assert refused.stderr.count("\n") == 1
    assert f"{dump.name} is damaged: restoring it failed (pg_restore said:" in refused.stderr
    assert pg_site.counts() == before
    assert pg_site.dumps("pre_restore") == []
    assert pg_site.scratch_databases() == []


def test_a_truncated_dump_is_not_a_readable_archive(pg_site):
    pg_site.ok("backup", "--no-progress")
    (dump,) = pg_site.dumps()
    dump.write_bytes(dump.read_bytes()[:2000])
    _manifest_rewrite(dump)
    refused = pg_site.manage("backup", "--verify", dump.name, "--no-progress")
    assert refused.returncode != 0
    assert "is not a readable PostgreSQL custom-format dump (pg_restore said:" in refused.stderr
    assert pg_site.manifest(dump)["check_error"]  # recorded as failed


def test_a_failed_load_is_rolled_back_leaving_the_live_data(pg_site):
    pg_site.ok("backup", "--no-progress")
    # Another hand's table depends on one of ours: dropping ours fails mid-restore.
    pg_site.query(
        "CREATE TABLE notes (media integer REFERENCES library_mediafile (id));"
        "INSERT INTO notes SELECT id FROM library_mediafile LIMIT 1"
    )
    pg_site.query("DELETE FROM library_fileoperation")
    before = pg_site.counts()
    refused = pg_site.manage("restore", pg_site.dumps("manual")[0].name, "--yes", "--no-progress")
    assert refused.returncode != 0
    assert "rolled back, so the database is unchanged" in refused.stderr
    assert pg_site.counts() == before
    assert pg_site.dumps("pre_restore") == []  # a restore that did not happen needs no undo


def test_dumps_of_other_applications_and_newer_schemas_are_refused(pg_site, postgres_server):
    other_url = postgres_server.database_create("plexomatic_other_app")
    try:
        other = Site(url=other_url, data_dir=pg_site.data_dir, backup_dir=pg_site.backup_dir)
        other.query("CREATE TABLE invoices (n integer); INSERT INTO invoices VALUES (1)")
        subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                f"--file={pg_site.backup_dir / 'theirs.pgdump'}",
                f"--dbname={other_url}",
            ],
            check=True,
        )
        # A Plex-o-matic database from a newer version: one migration this code lacks.
        pg_site.ok("backup", "--no-progress")
        (ours,) = pg_site.dumps()
        newer = postgres_server.database_create("plexomatic_newer")
        subprocess.run(
            ["pg_restore", "--no-owner", f"--dbname={newer}", str(ours)],
            check=True,
        )
        Site(url=newer, data_dir=pg_site.data_dir, backup_dir=pg_site.backup_dir).query(
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('library', '9999_from_the_future', now())"
        )
        subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                f"--file={pg_site.backup_dir / 'newer.pgdump'}",
                f"--dbname={newer}",
            ],
            check=True,
        )
    finally:
        postgres_server.database_drop("plexomatic_other_app")
        postgres_server.database_drop("plexomatic_newer")
    theirs = pg_site.manage("backup", "--verify", "theirs.pgdump", "--no-progress")
    assert "theirs.pgdump is a PostgreSQL dump of another application" in theirs.stderr
    newer_said = pg_site.manage("backup", "--verify", "newer.pgdump", "--no-progress")
    assert "comes from a newer Plex-o-matic" in newer_said.stderr
    assert "library.9999_from_the_future" in newer_said.stderr
    for name in ("theirs.pgdump", "newer.pgdump"):
        refused = pg_site.manage("restore", name, "--yes", "--no-progress")
        assert refused.returncode != 0 and "verify it first" in refused.stderr
    assert pg_site.scratch_databases() == []


def test_backups_move_across_engines_only_through_db_transfer(pg_site, tmp_path):
    sqlite_site = Site(
        url=f"sqlite:///{tmp_path / 'lite.sqlite3'}",
        data_dir=pg_site.data_dir,
        backup_dir=pg_site.backup_dir,
    )
    sqlite_site.ok("migrate", "--no-input", "-v", "0")
    sqlite_site.ok(
        "shell",
        "-c",
        "from library.models import Library; Library.objects.create(name='A', root_path='/a')",
    )
    sqlite_site.ok("backup", "--no-progress")
    (lite,) = pg_site.backup_dir.glob("*.sqlite3")
    refused = pg_site.manage("restore", lite.name, "--yes", "--no-progress")
    assert refused.returncode != 0
    assert "is a SQLite backup and this site runs on PostgreSQL" in refused.stderr
    assert "db_transfer" in refused.stderr
    pg_site.ok("backup", "--no-progress")
    (dump,) = pg_site.dumps()
    refused = sqlite_site.manage("restore", dump.name, "--yes", "--no-progress")
    assert "is a PostgreSQL dump and this site runs on SQLite" in refused.stderr


def _fake_tool(folder: Path, name: str, version_line: str) -> None:
    folder.mkdir(exist_ok=True)
    script = folder / name
    script.write_text(f"#!/bin/sh\necho '{version_line}'\n")
    script.chmod(0o755)


def test_a_pg_dump_of_another_major_version_is_refused_with_nothing_written(pg_site, tmp_path):
    # This machine has one PostgreSQL version: the other one is a script saying it is 14.
    _fake_tool(tmp_path / "bin", "pg_dump", "pg_dump (PostgreSQL) 14.11")
    pg_site.path = f"{tmp_path / 'bin'}:{pg_site.path}"
    refused = pg_site.manage("backup", "--no-progress")
    assert refused.returncode != 0
    major = pg_site.query("SHOW server_version_num")[0][0][:2]
    assert f"pg_dump is from PostgreSQL 14 but the server runs PostgreSQL {major}" in refused.stderr
    assert refused.stderr.count("\n") == 1
    assert pg_site.dumps() == [] and list(pg_site.backup_dir.glob(".tmp-*")) == []


def test_a_missing_pg_dump_is_one_sentence(pg_site, tmp_path):
    (tmp_path / "empty-bin").mkdir()
    pg_site.path = str(tmp_path / "empty-bin")
    refused = pg_site.manage("backup", "--no-progress")
    assert refused.returncode != 0
    assert "pg_dump is not installed" in refused.stderr
    assert "postgresql-client" in refused.stderr
    assert pg_site.dumps() == [] and list(pg_site.backup_dir.glob(".tmp-*")) == []


def test_scheduled_backups_and_their_retention_on_postgresql(pg_site):
    first = pg_site.ok("backup", "--if-due", "--no-progress")
    assert "scheduled" in first.stdout
    assert "No backup is due" in pg_site.ok("backup", "--if-due", "--no-progress").stdout
    pg_site.ok(
        "shell",
        "-c",
        "from plexomatic_site.settings_store import settings_update; "
        "settings_update(values={'backup_keep_count': 1})",
    )
    # Two days later the next one is due; keeping one, the first is pruned.
    (old,) = pg_site.dumps("scheduled")
    manifest = pg_site.manifest(old)
    manifest["created_at"] = "2000-01-01T00:00:00+00:00"
    old.with_name(old.name + ".json").write_text(json.dumps(manifest))
    second = pg_site.ok("backup", "--if-due", "--no-progress")
    assert "pruned 1 old backup" in second.stdout
    (kept,) = pg_site.dumps("scheduled")
    assert kept != old and not old.exists()


def test_migrate_takes_a_pre_migration_dump_first(pg_site):
    pg_site.ok("migrate", "sessions", "zero", "-v", "0")
    (unapply,) = pg_site.dumps("pre_migration")
    assert "sessions" in pg_site.manifest(unapply)["migrations"]
    done = pg_site.ok("migrate", "-v", "1")
    assert "Backed up the database before migrating" in done.stdout
    assert len(pg_site.dumps("pre_migration")) == 2
    assert pg_site.scratch_databases() == []


def _login(opener: urllib.request.OpenerDirector, base: str) -> None:
    page = opener.open(f"{base}/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the login page"
    fields = {"username": "admin", "password": ADMIN_PASSWORD, "csrfmiddlewaretoken": token[1]}
    opener.open(f"{base}/login/", data=urllib.parse.urlencode(fields).encode()).read()


def test_the_running_site_backs_up_on_schedule_and_reports_it(pg_site):
    """serve on PostgreSQL: the scheduler's dump, /healthz and the Backups page."""
    port = free_port()
    env = {**pg_site.env(), "PLEXOMATIC_PORT": str(port), "PLEXOMATIC_HOST": "127.0.0.1"}
    base = f"http://127.0.0.1:{port}"
    serve = subprocess.Popen(
        [sys.executable, "manage.py", "serve"],
        cwd=BASE_DIR,
        env={**env, "DEBUG": "false"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        health: dict = {}
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not health.get("backups", {}).get("last_verified"):
            time.sleep(0.5)
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                    health = json.loads(response.read())
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                continue
        assert health["status"] == "ok" and health["database"] == "ok"
        assert health["backups"]["state"] == "ok", health
        (dump,) = pg_site.dumps("scheduled")
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        _login(opener, base)
        page = opener.open(f"{base}/backups/").read().decode()
        assert dump.name in page
    finally:
        serve.terminate()
        serve.wait(timeout=30)


def test_a_dump_without_an_administrator_needs_a_confirmation(pg_site):
    pg_site.query("UPDATE auth_user SET is_superuser = false")
    pg_site.ok("backup", "--no-progress")
    pg_site.query("UPDATE auth_user SET is_superuser = true")
    (dump,) = pg_site.dumps()
    refused = pg_site.manage("restore", dump.name, "--yes", "--no-progress")
    assert refused.returncode != 0 and "holds no active administrator" in refused.stderr
    assert pg_site.dumps("pre_restore") == []
    done = pg_site.ok("restore", dump.name, "--yes", "--allow-no-admin", "--no-progress")
    assert "It holds no administrator" in done.stdout
    assert pg_site.query("SELECT count(*) FROM auth_user WHERE is_superuser")[0][0] == 0
