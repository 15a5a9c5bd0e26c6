"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.postgres_cluster import ClusterError, PostgresCluster, PostgresServer

BASE_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the tests about the engine the suite is not running on (`make test-postgres`)."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    for item in items:
        sqlite_only = item.get_closest_marker("sqlite_only")
        if sqlite_only is not None and engine != "sqlite3":
            reason = sqlite_only.kwargs.get("reason") or (sqlite_only.args or [""])[0]
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}".rstrip(": ")))
        if item.get_closest_marker("postgresql_only") is not None and engine != "postgresql":
            item.add_marker(pytest.mark.skip(reason="PostgreSQL only (make test-postgres)"))
        # `server` runs serve on SQLite in a folder of its own whatever the suite's
        # engine: on PostgreSQL such a test would only repeat the SQLite run.
        if "server" in getattr(item, "fixturenames", ()) and engine != "sqlite3":
            item.add_marker(
                pytest.mark.skip(reason="serve on SQLite in its own folder: run by `make test`")
            )


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Views render {% static %}; the hashed manifest only exists after
    # collectstatic, which the real-server tests exercise.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def immediate_tasks(settings):
    """Run queued jobs at once, in the request, instead of in serve's worker."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(username="alice", password="a-long-test-password")


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ServerProcess:
    """`manage.py serve` running for real, on its own data folder and port."""

    data_dir: Path
    port: int
    # None: the SQLite file in data_dir.
    database_url: str | None = None
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
        if self.database_url is not None:
            env["DATABASE_URL"] = self.database_url
        env.update(
            PLEXOMATIC_DATA_DIR=str(self.data_dir),
            PLEXOMATIC_PORT=str(self.port),
            PLEXOMATIC_HOST="127.0.0.1",
            DEBUG="false",
            PYTHONUNBUFFERED="1",
        )
        return env

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env(),
            capture_output=True,
            text=True,
            check=check,
            timeout=120,
        )

    def start(self, *, wait: bool = True) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "serve"],
            cwd=BASE_DIR,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        if wait:
            self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                assert self.process.stdout is not None  # started with stdout=PIPE
                raise AssertionError(f"serve exited early:\n{self.process.stdout.read()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise AssertionError("serve did not answer /healthz in time")

    def stop(self) -> tuple[int, str]:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        output, _ = self.process.communicate(timeout=30)
        code = self.process.returncode
        self.process = None
        return code, output


@pytest.fixture
def server(tmp_path) -> Iterator[ServerProcess]:
    proc = ServerProcess(data_dir=tmp_path / "data", port=free_port())
    yield proc
    if proc.process is not None:
        proc.process.kill()
        proc.process.communicate(timeout=10)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server this run may create databases on.

    The suite's own server when it runs on PostgreSQL, else a throwaway
    cluster started once for the session (tests.postgres_cluster). Skipped
    where PostgreSQL is not installed, unless PLEXOMATIC_REQUIRE_POSTGRES=1 (CI).
    """
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        yield PostgresServer.from_url(url)
        return
    cluster = PostgresCluster()
    try:
        cluster.start()
    except ClusterError as exc:
        cluster.stop()
        if os.environ.get("PLEXOMATIC_REQUIRE_POSTGRES") == "1":
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    try:
        yield cluster.server
    finally:
        cluster.stop()


@pytest.fixture
def postgres_database(postgres_server) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped after the test."""
    name = f"plexomatic_scratch_{secrets.token_hex(6)}"
    url = postgres_server.database_create(name)
    yield url
    postgres_server.database_drop(name)
