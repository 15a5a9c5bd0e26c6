"""A Plex-o-matic install on a real PostgreSQL database, driven through manage.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import psycopg

from backups.services.postgres import SCRATCH_MARKER

BASE_DIR = Path(__file__).resolve().parents[2]
ADMIN_PASSWORD = "a-long-admin-pw-1"
# Rows in most tables a site has: an administrator, a library with 30 episodes
# (one named by bytes that are not UTF-8), an apply batch of 6 operations.
SEED = """
from pathlib import Path
from django.contrib.auth import get_user_model
from library.tests.factories import batch_make, episode_make, library_make
get_user_model().objects.create_superuser("admin", password={password!r})
library = library_make(Path({root!r}), "TV")
for n in range(1, 31):
    episode_make(library, f"Show/Season 01/Show.S01E{{n:02}}.mkv", episode=n, episodes=[n])
episode_make(library, "Show/odd.mkv", path_bytes=b"Show/\\xffodd.mkv")
batch_make(library, completed=5, failed=1)
"""


@dataclass
class Site:
    url: str
    data_dir: Path
    backup_dir: Path
    path: str = os.environ.get("PATH", "")

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(
            DATABASE_URL=self.url,
            PLEXOMATIC_DATA_DIR=str(self.data_dir),
            PLEXOMATIC_BACKUP_DIR=str(self.backup_dir),
            PATH=self.path,
        )
        env.pop("SECRET_KEY", None)
        return env

    def manage(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=env or self.env(),
            capture_output=True,
            text=True,
            timeout=300,
        )

    def ok(self, *args: str) -> subprocess.CompletedProcess:
        done = self.manage(*args)
        assert done.returncode == 0, done.stderr + done.stdout
        return done

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with psycopg.connect(self.url.replace("postgres://", "postgresql://", 1)) as db:
            cursor = db.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def counts(self) -> dict[str, int]:
        """Every table of the database and its number of rows."""
        tables = [
            name
            for (name,) in self.query(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {t: self.query(f'SELECT count(*) FROM "{t}"')[0][0] for t in tables}

    def scratch_databases(self) -> list[str]:
        return [
            name
            for (name,) in self.query(
                "SELECT datname FROM pg_database WHERE strpos(datname, %s) > 0", (SCRATCH_MARKER,)
            )
        ]

    def backups(self) -> list[Path]:
        return sorted(p for p in self.backup_dir.iterdir() if p.name != ".lock")

    def dumps(self, kind: str = "") -> list[Path]:
        return sorted(self.backup_dir.glob(f"plexomatic-*{kind}.pgdump"))

    def manifest(self, dump: Path) -> dict:
        return json.loads(dump.with_name(dump.name + ".json").read_text())


def site_make(url: str, tmp_path: Path) -> Site:
    """A migrated install with an administrator and a library's worth of rows."""
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    backup_dir = tmp_path / "backups"
    backup_dir.mkdir()
    site = Site(url=url, data_dir=data_dir, backup_dir=backup_dir)
    site.ok("migrate", "--no-input", "-v", "0")
    seed = SEED.format(password=ADMIN_PASSWORD, root=str(tmp_path / "media"))
    site.ok("shell", "-c", seed)
    return site
