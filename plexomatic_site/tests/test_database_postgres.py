"""On PostgreSQL: the counterparts of test_database.py's SQLite tuning and upkeep."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from plexomatic_site.database import (
    DatabaseMaintenanceError,
    database_optimize,
    database_vacuum,
    transaction_lock,
)

pytestmark = [pytest.mark.postgresql_only, pytest.mark.django_db]


def test_connections_are_kept_and_checked_and_transactions_read_committed(settings):
    config = settings.DATABASES["default"]
    assert config["ENGINE"] == "django.db.backends.postgresql"
    # Not one connection per request, and a dropped one is replaced, not an error.
    assert config["CONN_MAX_AGE"] == 600
    assert config["CONN_HEALTH_CHECKS"] is True
    with connection.cursor() as cursor:
        cursor.execute("SHOW transaction_isolation")
        assert cursor.fetchone()[0] == "read committed"
        cursor.execute("SHOW server_encoding")
        assert cursor.fetchone()[0] == "UTF8"


def test_compacting_is_refused_and_optimize_leaves_statistics_to_the_server():
    with pytest.raises(
        DatabaseMaintenanceError,
        match=r"^Compacting applies to SQLite only; this site's database is postgresql",
    ):
        database_vacuum()
    assert database_optimize() is False
    assert database_optimize(changed_rows=10**6) is False


def test_transaction_lock_is_held_until_the_transaction_ends():
    with transaction.atomic():
        transaction_lock("settings")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
            )
            assert cursor.fetchone()[0] == 1


@pytest.mark.django_db(transaction=True)
def test_transaction_lock_outside_a_transaction_is_a_mistake():
    with pytest.raises(RuntimeError, match="call it in one"):
        transaction_lock("settings")
