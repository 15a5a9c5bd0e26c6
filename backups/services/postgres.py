"""Backups of a PostgreSQL database: pg_dump and pg_restore, and scratch databases to check a dump.

The tools reach the server through libpq's environment variables (the
password included), never through their command line, which any user of
the machine can read.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg import sql
from psycopg.conninfo import make_conninfo

from backups.errors import BackupError, BackupInvalid
from backups.services.check import identity_problem
from backups.services.folder import DUMP_SUFFIX
from backups.services.manifest import file_sha256
from plexomatic_site.environment import owner_only_file
from plexomatic_site.progress import Progress, progress_ignore

# The first bytes of every pg_dump custom-format archive.
DUMP_MAGIC = b"PGDMP"
# libpq's connection keywords and the environment variable each is read from.
LIBPQ_ENVIRONMENT = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "dbname": "PGDATABASE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
    "application_name": "PGAPPNAME",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}
# A scratch database's name: the live one's, this marker, a random part.
SCRATCH_MARKER = "_backupcheck_"
# PostgreSQL's limit on identifiers (NAMEDATALEN - 1).
MAX_NAME = 63
# Seconds a tool may take before the backup gives up on it.
TOOL_TIMEOUT = 3600


@dataclass(frozen=True)
class Server:
    """One database on the server the site uses, as libpq connection keywords."""

    params: dict[str, str] = field(repr=False)

    @classmethod
    def of(cls, using: str = DEFAULT_DB_ALIAS) -> Server:
        settings_dict = connections[using].settings_dict
        params = {
            key: str(value)
            for key, value in settings_dict.get("OPTIONS", {}).items()
            if key in LIBPQ_ENVIRONMENT and value not in (None, "")
        }
        for key, setting in (
            ("dbname", "NAME"),
            ("user", "USER"),
            ("password", "PASSWORD"),
            ("host", "HOST"),
            ("port", "PORT"),
        ):
            if settings_dict.get(setting):
                params[key] = str(settings_dict[setting])
        return cls(params=params)

    @property
    def name(self) -> str:
        return self.params.get("dbname", "")

    def database(self, name: str) -> Server:
        """The same server and role, another database on it."""
        return Server(params={**self.params, "dbname": name})

    def where(self) -> str:
        host = self.params.get("host", "the local socket")
        port = f":{self.params['port']}" if "port" in self.params else ""
        return f"the database {self.name} on {host}{port}"

    def connect(self) -> psycopg.Connection:
        try:
            return psycopg.connect(make_conninfo(**self.params), autocommit=True)
        except psycopg.Error as exc:
            raise BackupError(f"Cannot connect to {self.where()}: {_first_line(exc)}.") from None

    def environment(self) -> dict[str, str]:
        """The process environment for a libpq tool: ours, without any PG* variable of its own."""
        env = {k: v for k, v in os.environ.items() if k not in LIBPQ_ENVIRONMENT.values()}
        env.update({LIBPQ_ENVIRONMENT[key]: value for key, value in self.params.items()})
        return env


@dataclass(frozen=True)
class Contents:
    """What a database holds, as a backup's manifest records it."""

    migrations: dict[str, list[str]]
    # Every table of the schema and its number of rows.
    tables: dict[str, int]


def server_version(server: Server) -> tuple[int, str]:
    """The server's major version and its full version string ("15.18")."""
    with server.connect() as db:
        number = db.info.server_version
        text = db.execute("SHOW server_version").fetchone()
    full = str(text[0]).split()[0] if text else str(number)
    return number // 10000, full


def _first_line(exc: BaseException | str) -> str:
    text = str(exc).strip()
    return text.splitlines()[0].rstrip(".") if text else type(exc).__name__


def tool_path(tool: str, *, major: int) -> str:
    """The path of `tool` (pg_dump, pg_restore), proven to be of the server's major version.

    A pg_dump older than the server refuses to dump it; a newer one writes
    archives that the server's own pg_restore cannot read: the client tools
    must match the server.
    """
    found = shutil.which(tool)
    install = f"install PostgreSQL {major}'s client tools (on Debian: postgresql-client-{major})"
    if found is None:
        raise BackupError(
            f"{tool} is not installed, and backups of a PostgreSQL database are made with it; "
            f"{install}."
        )
    try:
        said = subprocess.run(
            [found, "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise BackupError(f"{found} does not run ({_first_line(exc)}); {install}.") from None
    version = re.search(r"\)\s+(\d+)", said)
    if version is None:
        raise BackupError(f"{found} does not say which version it is ({said.strip()!r}).")
    if int(version.group(1)) != major:
        raise BackupError(
            f"{tool} is from PostgreSQL {version.group(1)} but the server runs PostgreSQL "
            f"{major}; {install} and put them first on the PATH."
        )
    return found


class ToolFailed(BackupError):
    """A libpq tool ran and failed; `said` is its own error line."""

    def __init__(self, tool: str, said: str) -> None:
        super().__init__(f"{tool} said: {said}.")
        self.said = said


def _run(args: list[str], *, server: Server) -> None:
    """Run a libpq tool; ToolFailed with the tool's own error line when it fails."""
    try:
        done = subprocess.run(
            args,
            env=server.environment(),
            capture_output=True,
            text=True,
            timeout=TOOL_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise BackupError(f"{Path(args[0]).name} failed: {_first_line(exc)}.") from None
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        errors = [line for line in lines if "error:" in line] or lines or ["no message"]
        said = re.sub(r"^\S+: (error: )?", "", errors[0]).rstrip(".")
        raise ToolFailed(Path(args[0]).name, said)


def contents_read(db: psycopg.Connection) -> Contents:
    """The tables of `db`'s schema with their row counts, and its applied migrations."""
    names = [
        row[0]
        for row in db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
    ]
    tables: dict[str, int] = {}
    for name in names:
        row = db.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(name))).fetchone()
        tables[name] = int(row[0]) if row else 0
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in tables:
        for app, migration in db.execute("SELECT app, name FROM django_migrations ORDER BY id"):
            migrations.setdefault(app, []).append(migration)
    return Contents(migrations=migrations, tables=tables)


def dump_take(*, server: Server, target: Path) -> Contents:
    """pg_dump the database into `target` (custom format); what it holds, counted alike.

    The counts and the dump read one snapshot (exported by a repeatable-read
    transaction and handed to pg_dump), so they describe the same data even
    while the site keeps writing.
    """
    major, _full = server_version(server)
    pg_dump = tool_path("pg_dump", major=major)
    owner_only_file(target)
    with server.connect() as db:
        db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = db.execute("SELECT pg_export_snapshot()").fetchone()
        contents = contents_read(db)
        _run(
            [
                pg_dump,
                "--format=custom",
                f"--snapshot={snapshot[0] if snapshot else ''}",
                f"--file={target}",
                "--no-password",
            ],
            server=server,
        )
        db.execute("COMMIT")
    return contents


def is_dump(path: Path) -> bool:
    """A pg_dump archive by its name or its first bytes (a damaged one is still a dump)."""
    if path.name.endswith(DUMP_SUFFIX):
        return True
    with open(path, "rb") as handle:
        return handle.read(len(DUMP_MAGIC)) == DUMP_MAGIC


def _scratch_prefix(server: Server) -> str:
    return f"{server.name[: MAX_NAME - len(SCRATCH_MARKER) - 12]}{SCRATCH_MARKER}"


def scratch_drop_stale(server: Server) -> None:
    """Drop scratch databases a process that died while checking a dump left behind.

    Called under the backup folder's lock, which every user of a scratch
    database holds, so any that exists now is left over.
    """
    prefix = _scratch_prefix(server)
    with server.connect() as db:
        stale = [
            row[0]
            for row in db.execute(
                "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [prefix]
            )
        ]
        for name in stale:
            _drop(db, name)


def _drop(db: psycopg.Connection, name: str) -> None:
    db.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextmanager
def scratch_database(server: Server) -> Iterator[Server]:
    """A new, empty database beside the live one, dropped afterwards."""
    name = _scratch_prefix(server) + uuid.uuid4().hex[:12]
    create = sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name))
    with server.connect() as db:
        try:
            db.execute(create)
        except psycopg.errors.InsufficientPrivilege:
            user = server.params.get("user", "this role")
            raise BackupError(
                f"The database role {user} may not create databases, and a PostgreSQL backup is "
                f"checked by restoring it into a scratch database; grant it with: ALTER ROLE "
                f"{user} CREATEDB."
            ) from None
        except psycopg.Error as exc:
            raise BackupError(f"Could not create a scratch database: {_first_line(exc)}.") from None
    try:
        yield server.database(name)
    finally:
        with server.connect() as db:
            _drop(db, name)


def dump_load(*, path: Path, into: Server, clean: bool = False) -> None:
    """pg_restore `path` into database `into`, all in one transaction.

    `clean`: drop the objects the dump holds first (inside that transaction):
    a failure anywhere leaves the database as it was.
    """
    major, _full = server_version(into)
    args = [
        tool_path("pg_restore", major=major),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        "--no-password",
        *(["--clean", "--if-exists"] if clean else []),
        f"--dbname={into.name}",
        str(path),
    ]
    _run(args, server=into)


def dump_list_problem(*, path: Path, server: Server) -> str | None:
    """Why pg_restore cannot read the archive's table of contents, or None when it can."""
    major, _full = server_version(server)
    try:
        _run([tool_path("pg_restore", major=major), "--list", str(path)], server=server)
    except ToolFailed as exc:
        return f"is not a readable PostgreSQL custom-format dump (pg_restore said: {exc.said})"
    return None


def contents_problem(*, actual: Contents, expected: Contents) -> str | None:
    """A phrase naming how restored contents differ from what the manifest recorded."""
    if actual.migrations != expected.migrations:
        return "restores with other migrations than its manifest records"
    if actual.tables != expected.tables:
        differ = sorted(
            f"{table} ({actual.tables.get(table, 'missing')} rows where the manifest says "
            f"{expected.tables.get(table, 'none')})"
            for table in actual.tables.keys() | expected.tables.keys()
            if actual.tables.get(table) != expected.tables.get(table)
        )
        return "restores with other tables or row counts than it was taken with: " + ", ".join(
            differ[:5]
        )
    return None


@contextmanager
def dump_restored(*, path: Path, server: Server, label: str) -> Iterator[tuple[Server, Contents]]:
    """The dump at `path` restored into a scratch database, and what it holds.

    Raises BackupInvalid when the archive cannot be read or restored.
    """
    if problem := dump_list_problem(path=path, server=server):
        raise BackupInvalid(f"{label} {problem}.")
    with scratch_database(server) as scratch:
        try:
            dump_load(path=path, into=scratch)
        except ToolFailed as exc:
            raise BackupInvalid(
                f"{label} is damaged: restoring it failed (pg_restore said: {exc.said})."
            ) from None
        with scratch.connect() as db:
            contents = contents_read(db)
        yield scratch, contents


def dump_check(*, path: Path, server: Server, label: str, expected: Contents | None) -> Contents:
    """Restore the dump into a scratch database, compare it with `expected`, drop it."""
    with dump_restored(path=path, server=server, label=label) as (_scratch, contents):
        pass
    if expected is not None and (problem := contents_problem(actual=contents, expected=expected)):
        raise BackupInvalid(f"{label} {problem}.")
    return contents


def dump_verify(
    *,
    path: Path,
    expected_sha256: str | None = None,
    expected: Contents | None = None,
    label: str | None = None,
    progress: Progress = progress_ignore,
) -> Contents:
    """Check a stored dump as backup_check checks a SQLite file; returns what it holds.

    Hash against the manifest, readable archive, restorable into a scratch
    database with the tables, row counts and migrations the manifest
    records, and a Plex-o-matic database of a schema this code knows.
    Raises BackupInvalid naming the first problem; BackupError (the file is
    not at fault) when this site does not run on PostgreSQL. The caller
    holds the backup folder's lock.
    """
    label = label or path.name
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        raise BackupError(
            f"{label} is a PostgreSQL dump and this site runs on "
            f"{connections[DEFAULT_DB_ALIAS].vendor}, which cannot check or restore it."
        )
    server = Server.of()
    # The caller holds the folder lock: any scratch database now is a dead process's.
    scratch_drop_stale(server)
    if expected_sha256 is not None:
        progress(1, 4, "Hashing")
        actual = file_sha256(path)
        if actual != expected_sha256:
            raise BackupInvalid(
                f"{label} does not match its manifest (sha256 {actual[:12]}… where the manifest "
                f"says {expected_sha256[:12]}…): the file was changed or damaged."
            )
    progress(2, 4, "Restoring it into a scratch database")
    contents = dump_check(path=path, server=server, label=label, expected=expected)
    if problem := identity_problem(contents.migrations, what="a PostgreSQL dump"):
        raise BackupInvalid(f"{label} {problem}.")
    progress(4, 4, "Checked")
    return contents
