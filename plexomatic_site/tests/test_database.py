"""SQLite is tuned for a web app: WAL, busy timeout, foreign keys, IMMEDIATE writes."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_sqlite_pragmas():
    with connection.cursor() as cursor:

        def pragma(name: str):
            cursor.execute(f"PRAGMA {name}")
            return cursor.fetchone()[0]

        assert pragma("journal_mode") == "wal"
        assert pragma("busy_timeout") >= 5000
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 1  # NORMAL
        assert pragma("journal_size_limit") == 64 * 1024 * 1024


def test_database_is_a_real_file_with_immediate_transactions(settings):
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert str(settings.DATA_DIR) in settings.DATABASES["default"]["TEST"]["NAME"]
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] is None
