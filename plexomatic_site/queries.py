"""Query helpers every app shares."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

T = TypeVar("T")

# Values per `field__in` query: well under SQLite's limit on bound parameters
# (32,766 since 3.32) and PostgreSQL's (65,535).
IN_CHUNK = 5000


def chunked(values: Iterable[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    """`values` in lists of at most `size`, for `__in` lookups on large sets."""
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def insert_sql(
    model: type[models.Model], connection: BaseDatabaseWrapper, *, table: str | None = None
) -> tuple[str, list[models.Field[Any, Any]]]:
    """The INSERT of one row of `model` (into `table`, a table of the same columns, when
    given), a parameter for each column but the auto id, and those columns' fields in order."""
    fields, columns = _new_row_columns(model, connection)
    values = ", ".join(["%s"] * len(fields))
    into = connection.ops.quote_name(table or model._meta.db_table)
    # Table and column names come from the model, quoted; every value is a parameter.
    return f"INSERT INTO {into} ({columns}) VALUES ({values})", fields  # noqa: S608


def _new_row_columns(
    model: type[models.Model], connection: BaseDatabaseWrapper
) -> tuple[list[models.Field[Any, Any]], str]:
    """The fields a new row is given (all but the auto id), and their quoted column list."""
    meta = model._meta
    fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
    return fields, ", ".join(connection.ops.quote_name(f.column) for f in fields)


# The fields whose value the database driver cannot take as Python has it: only
# these are prepared through their field (preparing every value costs more than
# the INSERT itself: 2.6 s of 3.8 for 20,000 planned moves).
PREPARED_TYPES = frozenset({"JSONField", "DateField", "DateTimeField", "BinaryField"})


class RowValues:
    """A model's new rows as the values its INSERT (insert_sql) takes, in column order:
    for rows kept a while before they are stored (a tuple costs less memory than an
    instance), and for rows_insert."""

    def __init__(self, model: type[models.Model], *, table: str | None = None) -> None:
        self.model = model
        # The connection itself, not the `connection` proxy: each value's conversion reads it.
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.sql, fields = insert_sql(model, self.connection, table=table)
        self.columns = {f.attname: index for index, f in enumerate(fields)}
        self._names = list(self.columns)
        self._prepared = [
            (i, f) for i, f in enumerate(fields) if f.get_internal_type() in PREPARED_TYPES
        ]

    def __call__(self, row: models.Model) -> tuple[Any, ...]:
        given = [getattr(row, name) for name in self._names]
        for index, f in self._prepared:
            given[index] = f.get_db_prep_save(f.pre_save(row, True), self.connection)
        return tuple(given)

    def insert(self, rows: Iterable[Sequence[Any]]) -> None:
        """INSERT rows given as values, with one prepared statement per chunk."""
        with self.connection.cursor() as cursor:
            for chunk in chunked(rows):
                cursor.executemany(self.sql, chunk)


def rows_insert(rows: Sequence[models.Model]) -> None:
    """INSERT new rows of one model with one prepared statement per chunk (executemany).

    bulk_create builds its SQL again for each batch of SQLite's 999 parameters (58
    to 71 rows): most of its time on thousands of rows. An auto id is left to the
    database and not read back.
    """
    if rows:
        values = RowValues(type(rows[0]))
        values.insert(values(row) for row in rows)


class StagedRows:
    """New rows of a model held in a temporary table of the same columns until `store`
    copies them into the model's table in one statement.

    For work that makes many rows a part at a time and stores them together (a full
    rename plan: 100,000 rows), which would otherwise hold every row in memory until
    the end. A temporary table is its connection's own: no other connection sees
    the rows before they are stored, and they go with the connection if the
    process dies. Used as a context manager; the table is dropped when the work
    ends (or, after an error, when the next one begins).
    """

    def __init__(self, model: type[models.Model]) -> None:
        self.table = f"staged_{model._meta.db_table}"
        self.values = RowValues(model, table=self.table)
        self.count = 0
        connection = self.values.connection
        _, self._columns = _new_row_columns(model, connection)
        # Names from the model, quoted; no value goes into these statements.
        self._staged = connection.ops.quote_name(self.table)
        self._target = connection.ops.quote_name(model._meta.db_table)

    def __enter__(self) -> StagedRows:
        with self.values.connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self._staged}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self._staged} AS "  # noqa: S608
                f"SELECT {self._columns} FROM {self._target} WHERE 1 = 0"
            )
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:  # after an error the connection may refuse any statement
            with self.values.connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE {self._staged}")

    def add(self, rows: Iterable[models.Model]) -> None:
        values = [self.values(row) for row in rows]
        self.values.insert(values)
        self.count += len(values)

    def discard(self, column: str, values: Collection[Any]) -> None:
        """Forget the rows whose `column` is one of `values`."""
        quoted = self.values.connection.ops.quote_name(column)
        with self.values.connection.cursor() as cursor:
            for chunk in chunked(values):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"DELETE FROM {self._staged} WHERE {quoted} IN ({marks})",  # noqa: S608
                    chunk,
                )
                self.count -= cursor.rowcount

    def store(self) -> None:
        """Copy the rows into the model's table (inside the caller's transaction)."""
        with self.values.connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {self._target} ({self._columns}) "  # noqa: S608
                f"SELECT {self._columns} FROM {self._staged}"
            )
