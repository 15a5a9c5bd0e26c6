"""A PostgreSQL server that cannot be used stops `serve` and the commands with one sentence."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator

import pytest

from conftest import ServerProcess, free_port

# Each test makes its own server address: run once, in the PostgreSQL suite.
pytestmark = pytest.mark.postgresql_only


def _message(kind: bytes, payload: bytes) -> bytes:
    return kind + struct.pack("!i", len(payload) + 4) + payload


class OldPostgres(threading.Thread):
    """Speaks just enough of PostgreSQL's wire protocol to say it is version 13.

    No PostgreSQL 13 is installed here, and a real server cannot be made to
    report another version: this accepts a connection (no password asked),
    reports its parameters as a server does, then waits for the client to go.
    """

    VERSION = "13.16"

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]

    def run(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:  # closed: the test is over
                return
            with client:
                client.settimeout(30)
                self._greet(client)

    def _read(self, client: socket.socket, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = client.recv(size - len(data))
            if not chunk:
                raise ConnectionError("client went away")
            data += chunk
        return data

    def _greet(self, client: socket.socket) -> None:
        try:
            while True:
                length, code = struct.unpack("!ii", self._read(client, 8))
                self._read(client, length - 8)
                if code not in (80877103, 80877104):  # SSLRequest, GSSENCRequest
                    break  # the startup message
                client.sendall(b"N")  # neither: go on in plain text
            parameters = {
                "server_version": self.VERSION,
                "server_encoding": "UTF8",
                "client_encoding": "UTF8",
                "TimeZone": "UTC",
                "DateStyle": "ISO, MDY",
                "integer_datetimes": "on",
                "standard_conforming_strings": "on",
            }
            reply = [_message(b"R", struct.pack("!i", 0))]  # AuthenticationOk
            reply += [
                _message(b"S", name.encode() + b"\0" + value.encode() + b"\0")
                for name, value in parameters.items()
            ]
            reply += [_message(b"K", struct.pack("!ii", 1, 1)), _message(b"Z", b"I")]
            client.sendall(b"".join(reply))
            while client.recv(4096):  # until Terminate and hang-up
                pass
        except (ConnectionError, TimeoutError):
            return

    def stop(self) -> None:
        self.listener.close()
        self.join(timeout=10)


@pytest.fixture
def old_postgres() -> Iterator[OldPostgres]:
    server = OldPostgres()
    server.start()
    yield server
    server.stop()


def _refusal(tmp_path, database_url: str, *command: str) -> str:
    """Run `command` on `database_url`: it must fail with one sentence; returns it."""
    process = ServerProcess(data_dir=tmp_path / "data", port=free_port(), database_url=database_url)
    result = process.manage(*command, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("CommandError: ") or lines[0].startswith("Error: ")
    return lines[0]


@pytest.mark.parametrize("command", [("serve",), ("scan",), ("migrate",)])
def test_an_unreachable_server_is_one_sentence(tmp_path, command):
    port = free_port()  # nothing listens there
    line = _refusal(tmp_path, f"postgres://plexomatic:secret@127.0.0.1:{port}/plexomatic", *command)
    assert f"Cannot connect to the PostgreSQL database 'plexomatic' at 127.0.0.1:{port}" in line
    assert "Connection refused" in line
    assert "start the server, or correct the host and port in DATABASE_URL." in line


@pytest.mark.parametrize("command", [("serve",), ("scan",)])
def test_a_wrong_password_is_one_sentence_without_the_password(tmp_path, postgres_server, command):
    url = postgres_server.database_url("postgres").replace(
        f":{postgres_server.password}@", ":not-the-password@"
    )
    line = _refusal(tmp_path, url, *command)
    assert f'password authentication failed for user "{postgres_server.user}"' in line
    assert "check the user name and password in DATABASE_URL." in line
    assert "not-the-password" not in line


def test_a_missing_database_is_one_sentence(tmp_path, postgres_server):
    line = _refusal(tmp_path, postgres_server.database_url("no_such_database"), "serve")
    assert 'database "no_such_database" does not exist' in line
    assert "create it, or correct the name in DATABASE_URL." in line


@pytest.mark.parametrize("command", [("serve",), ("scan",)])
def test_a_server_older_than_postgresql_14_is_refused(tmp_path, old_postgres, command):
    line = _refusal(
        tmp_path, f"postgres://plexomatic:secret@127.0.0.1:{old_postgres.port}/plexomatic", *command
    )
    assert (
        f"Plex-o-matic cannot use the PostgreSQL database 'plexomatic' at "
        f"127.0.0.1:{old_postgres.port} (DATABASE_URL): PostgreSQL 14 or later is required "
        "(found 13.16); upgrade the server." in line
    )
