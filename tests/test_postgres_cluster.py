"""The throwaway PostgreSQL server the PostgreSQL suite and CI start (tests.postgres_cluster)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

import psycopg
import pytest

from conftest import BASE_DIR
from tests.postgres_cluster import PostgresCluster


def _query(url: str, sql: str) -> object:
    with psycopg.connect(url, connect_timeout=10) as connection:
        row = connection.execute(sql).fetchone()
        assert row is not None
        return row[0]


def test_cluster_serves_a_database_then_leaves_nothing_behind(postgres_server):
    # postgres_server first: it skips (or fails in CI) where PostgreSQL is not installed.
    cluster = PostgresCluster()
    url = cluster.start("first")
    try:
        assert _query(url, "SELECT current_database()") == "first"
        assert _query(url, "SHOW listen_addresses") == "127.0.0.1"
        # Another database on the same server, made from scratch.
        assert _query(cluster.database_create("second"), "SELECT current_database()") == "second"
    finally:
        cluster.stop()
    assert not cluster.folder.exists()
    with pytest.raises(psycopg.OperationalError):
        _query(url, "SELECT 1")


def test_cluster_refuses_a_wrong_password(postgres_server):
    url = postgres_server.database_url("postgres").replace(postgres_server.password, "wrong")
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        _query(url, "SELECT 1")


def test_command_runs_with_database_url_and_keeps_its_exit_code(postgres_server):
    script = (
        "import os, sys, psycopg;"
        "psycopg.connect(os.environ['DATABASE_URL']).execute('SELECT 1');"
        "sys.exit(3)"
    )
    result = subprocess.run(
        [sys.executable, "-m", "tests.postgres_cluster", "--", sys.executable, "-c", script],
        cwd=BASE_DIR,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3, result.stderr
    assert "PostgreSQL on 127.0.0.1:" in result.stderr


def test_cluster_starts_when_the_process_temp_folder_is_private(
    postgres_server, tmp_path, monkeypatch
):
    # serve points tempfile at the data folder's tmp/, which only this user may enter.
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    cluster = PostgresCluster()
    try:
        assert _query(cluster.start(), "SELECT 1") == 1
        assert private not in cluster.folder.parents
    finally:
        cluster.stop()
