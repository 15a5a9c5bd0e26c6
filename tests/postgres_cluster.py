"""A throwaway PostgreSQL server for tests and CI: initdb, pg_ctl, a free port, removed after.

    with postgres_cluster() as cluster:
        url = cluster.database_url()          # postgres://...@127.0.0.1:PORT/plexomatic
        other = cluster.database_create("scratch")
        ...

Or around a command, which gets DATABASE_URL in its environment:

    python -m tests.postgres_cluster -- python -m pytest ...

The server runs in a temporary folder as an unprivileged user: this user,
or the `postgres` user (through runuser) when this process is root, since
PostgreSQL refuses to run as root. It listens on 127.0.0.1 only, with a
password (scram-sha-256) for TCP connections; its socket lives in its own
folder, so it never clashes with a system-wide server. Durability is off
(fsync, synchronous_commit): the data is thrown away anyway.
"""

from __future__ import annotations

import argparse
import os
import pwd
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

# The cluster's superuser: the tests connect as this role.
SUPERUSER = "plexomatic"
DEFAULT_DATABASE = "plexomatic"
# Debian installs the server binaries here, not on PATH.
DEBIAN_BINARIES = Path("/usr/lib/postgresql")
# Fast and throwaway: nothing here needs to survive a power cut.
SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "100",
}
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class ClusterError(RuntimeError):
    """The throwaway server could not be set up, started or stopped."""


def server_binary(name: str) -> Path:
    """`name` (pg_ctl, initdb, ...) from PATH, else from Debian's newest version folder."""
    found = shutil.which(name)
    if found:
        return Path(found)
    versions = sorted(
        (folder for folder in DEBIAN_BINARIES.glob("*/bin") if (folder / name).is_file()),
        key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit() else 0,
    )
    if not versions:
        raise ClusterError(
            f"PostgreSQL's {name} is not installed (apt-get install postgresql postgresql-client)."
        )
    return versions[-1] / name


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _checked_name(name: str) -> str:
    """A database name safe to put in SQL unquoted (tests make these up)."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"{name!r} is not a plain lower-case database name.")
    return name


@dataclass(frozen=True)
class PostgresServer:
    """A running server and a role allowed to create databases on it."""

    host: str
    port: int
    user: str
    password: str

    @classmethod
    def from_url(cls, url: str) -> PostgresServer:
        parts = urlsplit(url)
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "",
            password=parts.password or "",
        )

    def database_url(self, name: str = DEFAULT_DATABASE) -> str:
        credentials = f"{quote(self.user, safe='')}:{quote(self.password, safe='')}"
        return urlunsplit(
            ("postgres", f"{credentials}@{self.host}:{self.port}", f"/{name}", "", "")
        )

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname="postgres",
            autocommit=True,
            connect_timeout=10,
        ) as connection:
            connection.execute(sql)  # names are checked by _checked_name

    def database_create(self, name: str) -> str:
        """Create an empty database `name` (dropping one left over) and return its URL."""
        self.database_drop(name)
        self._admin(f"CREATE DATABASE {_checked_name(name)}")
        return self.database_url(name)

    def database_drop(self, name: str) -> None:
        """Drop database `name` if it exists, closing any connection still on it."""
        self._admin(f"DROP DATABASE IF EXISTS {_checked_name(name)} WITH (FORCE)")


class PostgresCluster:
    """initdb'd data folder and a server on it; `start()`, then `stop()` removes it all."""

    def __init__(self, folder: Path | None = None, *, port: int | None = None) -> None:
        self._owns_folder = folder is None
        # In the system's temporary folder, not tempfile's current one: a
        # process may point that at a private folder the server's user cannot enter.
        system_temp = os.environ.get("TMPDIR") or "/tmp"
        self.folder = Path(folder or tempfile.mkdtemp(prefix="plexomatic-pg-", dir=system_temp))
        self.port = port or free_port()
        self.server = PostgresServer(
            host="127.0.0.1", port=self.port, user=SUPERUSER, password=secrets.token_hex(16)
        )
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self._run_as: str | None = None

    @staticmethod
    def _server_user() -> str | None:
        """None: this user runs the server; else the account runuser switches to."""
        if os.geteuid() != 0:
            return None
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise ClusterError(
                "PostgreSQL will not run as root and there is no `postgres` user to run it as "
                "(apt-get install postgresql creates one)."
            ) from None
        return "postgres"

    def _run(self, *command: str | Path) -> None:
        args = [str(part) for part in command]
        if self._run_as is not None:
            args = ["runuser", "-u", self._run_as, "--", *args]
        result = subprocess.run(args, capture_output=True, text=True, check=False, timeout=120)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise ClusterError(
                f"{Path(str(command[0])).name} failed "
                f"(exit {result.returncode}): {result.stderr.strip() or result.stdout.strip()}"
                f"\n{log}".rstrip()
            )

    def _hand_over(self, path: Path) -> None:
        if self._run_as is not None:
            account = pwd.getpwnam(self._run_as)
            os.chown(path, account.pw_uid, account.pw_gid)

    def start(self, database: str = DEFAULT_DATABASE) -> str:
        """Initialise and start the server, create `database`, and return its URL."""
        self._run_as = self._server_user()
        self.folder.mkdir(parents=True, exist_ok=True)
        os.chmod(self.folder, 0o700)
        self._hand_over(self.folder)
        password_file = self.folder / "password"
        password_file.write_text(self.server.password)
        self._hand_over(password_file)
        try:
            self._run(
                server_binary("initdb"),
                "--pgdata",
                self.data,
                "--username",
                SUPERUSER,
                "--pwfile",
                password_file,
                "--auth-host",
                "scram-sha-256",
                "--auth-local",
                "trust",
                "--encoding",
                "UTF8",
                "--locale",
                "C.UTF-8",
                "--no-sync",
            )
        finally:
            password_file.unlink()
        options = [f"-p {self.port}", f"-c unix_socket_directories={shlex.quote(str(self.folder))}"]
        options += [f"-c {key}={value}" for key, value in SERVER_SETTINGS.items()]
        self._run(
            server_binary("pg_ctl"),
            "start",
            "--pgdata",
            self.data,
            "--log",
            self.log,
            "--wait",
            "--timeout",
            "60",
            "-o",
            " ".join(options),
        )
        return self.server.database_create(database)

    def database_url(self, name: str = DEFAULT_DATABASE) -> str:
        return self.server.database_url(name)

    def database_create(self, name: str) -> str:
        return self.server.database_create(name)

    def stop(self) -> None:
        """Stop the server (fast: open connections are cut) and remove its folder."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(
                    server_binary("pg_ctl"), "stop", "--pgdata", self.data, "-m", "fast", "--wait"
                )
        finally:
            if self._owns_folder:
                shutil.rmtree(self.folder, ignore_errors=True)
            else:
                shutil.rmtree(self.data, ignore_errors=True)


@contextmanager
def postgres_cluster(
    folder: Path | None = None, *, port: int | None = None, database: str = DEFAULT_DATABASE
) -> Iterator[PostgresCluster]:
    """A started throwaway cluster with `database` created; stopped and removed on exit."""
    cluster = PostgresCluster(folder, port=port)
    try:
        cluster.start(database)
        yield cluster
    finally:
        cluster.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.postgres_cluster",
        description="Run COMMAND with DATABASE_URL pointing at a throwaway PostgreSQL server.",
    )
    parser.add_argument(
        "--folder", type=Path, help="where the cluster lives (default: a new temporary folder)"
    )
    parser.add_argument("--port", type=int, help="port to listen on (default: a free one)")
    parser.add_argument("command", nargs="+", help="the command to run (after --)")
    args = parser.parse_args(argv)
    try:
        with postgres_cluster(args.folder, port=args.port) as cluster:
            env = {**os.environ, "DATABASE_URL": cluster.database_url()}
            print(f"PostgreSQL on 127.0.0.1:{cluster.port} ({cluster.folder})", file=sys.stderr)
            return subprocess.run(args.command, env=env, check=False).returncode
    except ClusterError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
