"""Storing what a scan found: new rows with one prepared INSERT, the rest as updates.

New rows are most of a first scan's database work. `bulk_create` compiles its
SQL for every 26 rows (SQLite's 999 parameters over 37 columns) and prepares
each value through its field: 5.1 s for 20,000 rows, against 1.1 s for one
statement run with `executemany` over plain values (measured under load 4 on
2 cores). Values pass as Python gives them, except the fields whose database
form differs (JSON, dates, times, bytes), which their field prepares.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.utils import timezone

from library.models import Library, MediaFile
from library.summaries import ScanSummary
from plexomatic_site.queries import PREPARED_TYPES, insert_sql

# Rows per transaction for updates and paths per IN (...).
WRITE_BATCH = 1000
# New rows per transaction: a first scan never holds 100,000 unsaved rows, and
# a failed batch is retried row by row. Fewer, larger commits spare SQLite
# checkpoints of the pages its random index inserts dirty: 100,000 rows take
# 4.9 s of CPU in batches of 5,000 against 6.3-7.1 s in batches of 1,000.
INSERT_BATCH = 5000


def chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), WRITE_BATCH):
        yield items[start : start + WRITE_BATCH]


class RowInserter:
    """New media rows, stored by `flush` (the caller flushes each time the rows make a
    batch, INSERT_BATCH, and at the end); `stored` counts what was stored."""

    def __init__(self, library: Library, summary: ScanSummary) -> None:
        self.summary = summary
        self.stored = 0
        self._pending: list[dict[str, Any]] = []
        # This thread's connection, looked up once: the proxy's lookup per value costs.
        self._connection = connection = connections[DEFAULT_DB_ALIAS]
        self._sql, fields = insert_sql(MediaFile, connection)
        now = timezone.now()
        constant = {"library_id": library.pk, "created_at": now, "updated_at": now}
        # Per column, its attribute and its value when a row gives none (prepared
        # once); and the columns whose given values need preparing.
        self._defaults = [
            (f.attname, f.get_db_prep_save(constant.get(f.attname, f.get_default()), connection))
            for f in fields
        ]
        self._prepared = [
            (index, f.attname, f)
            for index, f in enumerate(fields)
            if f.get_internal_type() in PREPARED_TYPES
        ]

    def add(self, fields: dict[str, Any]) -> None:
        self._pending.append(fields)

    @property
    def full(self) -> bool:
        """Whether the rows added make a batch: time to flush."""
        return len(self._pending) >= INSERT_BATCH

    def flush(self) -> None:
        rows, self._pending = [self._values(fields) for fields in self._pending], []
        if not rows:
            return
        try:
            with transaction.atomic(), self._connection.cursor() as cursor:
                cursor.executemany(self._sql, rows)
            self.stored += len(rows)
        except IntegrityError:
            self._insert_one_by_one(rows)

    def _values(self, fields: dict[str, Any]) -> list[Any]:
        values = [fields.get(attname, default) for attname, default in self._defaults]
        for index, attname, field in self._prepared:
            given = fields.get(attname)
            if given is not None:
                values[index] = field.get_db_prep_save(given, self._connection)
        return values

    def _insert_one_by_one(self, rows: list[list[Any]]) -> None:
        """A batch with a clash: store what can be stored, report the rest."""
        path_at = [attname for attname, _ in self._defaults].index("path")
        for row in rows:
            try:
                with transaction.atomic(), self._connection.cursor() as cursor:
                    cursor.execute(self._sql, row)
                self.stored += 1
            except IntegrityError:
                self.summary.error(
                    f"{row[path_at]} was not stored: its name shows the same as another file's "
                    "(a name that is not valid UTF-8); rename one of them"
                )


def rows_update(
    library: Library,
    *,
    changed: list[tuple[str, dict[str, Any]]],
    moved: dict[str, dict[str, Any]],
    gone: list[str],
    returned: list[str],
) -> None:
    """Changed rows take their new fields, moved rows their new file's, in batches."""
    updates = changed + list(moved.items())
    rows = MediaFile.objects.filter(library=library)
    now = timezone.now()
    for chunk in chunks(updates):
        with transaction.atomic():
            for path, fields in chunk:
                rows.filter(path=path).update(**fields, updated_at=now)
    for chunk in chunks([path for path in gone if path not in moved]):
        rows.filter(path__in=chunk).update(missing=True, updated_at=now)
    for chunk in chunks(returned):
        rows.filter(path__in=chunk).update(missing=False, updated_at=now)
