"""Is this file a whole, healthy Plex-o-matic database this code can use?"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path
from typing import cast

from django.db import connections
from django.db.migrations.loader import MigrationLoader

from backups.errors import BackupInvalid
from backups.services.manifest import file_sha256
from plexomatic_site.progress import Progress, progress_ignore
from plexomatic_site.startup import unknown_migrations

SQLITE_MAGIC = b"SQLite format 3\x00"
# Present in every Plex-o-matic database and in no other application's.
OUR_MARKER_APP = "plexomatic_site"
# Larger than any backup this app expects; SQLite caps it at its compile-time limit.
MMAP_BYTES = 1 << 40


def readonly_connect(path: Path) -> sqlite3.Connection:
    # immutable=1: a backup never changes, so SQLite takes no locks and
    # creates no -wal/-shm files beside it.
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    # Read pages through a memory map, not one read() each into a 2 MB cache:
    # integrity_check's index lookups re-read pages, 15x slower without it.
    db.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
    return db


def header_problem(path: Path) -> str | None:
    size = path.stat().st_size
    with open(path, "rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return "is not a SQLite database"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    # The in-header page count is only valid when written by SQLite >= 3.7.0,
    # which stamps the change counter into the "version-valid-for" field too.
    if header[24:28] == header[92:96] and page_count and size < page_count * page_size:
        return f"is truncated ({size} bytes where its header says {page_count * page_size})"
    if size % page_size:
        return f"is truncated ({size} bytes is not a whole number of {page_size}-byte pages)"
    return None


def _integrity_problem(db: sqlite3.Connection) -> str | None:
    rows = [row[0] for row in db.execute("PRAGMA integrity_check(5)")]
    if rows == ["ok"]:
        return None
    return "fails SQLite's integrity check: " + "; ".join(rows)


def _applied_migrations(db: sqlite3.Connection) -> dict[str, list[str]]:
    has_table = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
    ).fetchone()
    if not has_table:
        return {}
    applied: dict[str, list[str]] = {}
    for app, name in db.execute("SELECT app, name FROM django_migrations ORDER BY id"):
        applied.setdefault(app, []).append(name)
    return applied


def migrations_missing(applied: dict[str, list[str]]) -> list[str]:
    """Migrations this code has that the database lacks: it is older, migrate forward."""
    loader = MigrationLoader(connections["default"], ignore_no_migrations=True, load=True)
    present = {(app, name) for app, names in applied.items() for name in names}
    return sorted(
        f"{app}.{name}" for app, name in loader.disk_migrations if (app, name) not in present
    )


def backup_check(
    *,
    path: Path,
    expected_sha256: str | None = None,
    identity: bool = True,
    label: str | None = None,
    progress: Progress = progress_ignore,
) -> dict[str, list[str]]:
    """Check `path` from the outside in; returns its applied migrations per app.

    Raises BackupInvalid naming the first problem: not SQLite, truncated,
    hash differs from the manifest, damaged pages, and (with identity=True)
    another application's database or a schema newer than this code. `label`
    names the file in messages (a temporary copy's own name means nothing). A fresh
    snapshot of our own live database skips the identity checks: it is ours
    by definition, even half-migrated or newer.
    """
    progress(0, 4, "Reading the header")
    applied: dict[str, list[str]] = {}
    problem = header_problem(path)
    if problem is None and expected_sha256 is not None:
        progress(1, 4, "Hashing")
        actual = file_sha256(path)
        if actual != expected_sha256:
            problem = (
                f"does not match its manifest (sha256 {actual[:12]}… where the manifest says "
                f"{expected_sha256[:12]}…): the file was changed or damaged"
            )
    if problem is None:
        progress(2, 4, "Checking integrity")
        try:
            with closing(readonly_connect(path)) as db:
                problem = _integrity_problem(db)
                applied = {} if problem else _applied_migrations(db)
        except sqlite3.DatabaseError as exc:
            problem = f"fails SQLite's integrity check ({exc})"
    if problem is None and identity:
        problem = identity_problem(applied, what="a SQLite database")
    if problem is not None:
        raise BackupInvalid(f"{label or path.name} {problem}.")
    progress(4, 4, "Checked")
    return applied


def identity_problem(applied: dict[str, list[str]], *, what: str) -> str | None:
    """Why a database with these applied migrations is not one this code may use, or None.

    `what` says what the file is ("a SQLite database") for the other-application case.
    """
    if OUR_MARKER_APP not in applied:
        return f"is {what} of another application, not of Plex-o-matic"
    if newer := unknown_migrations(applied):
        return (
            "comes from a newer Plex-o-matic (it has migrations this version does not know: "
            f"{_shorten(newer)}); upgrade Plex-o-matic to use it"
        )
    return None


def _shorten(names: Iterable[str], limit: int = 5) -> str:
    names = list(names)
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


# One fact about a schema: ("table", name), ("column", table, name, type, notnull, pk) or
# ("index", table, name, unique, columns, partial).
SchemaFact = tuple[object, ...]


def schema_describe(path: Path) -> frozenset[SchemaFact]:
    """The tables, columns and indexes of the database at `path` (SQLite's own ones aside).

    SQLite names the indexes behind UNIQUE and PRIMARY KEY constraints itself
    (`sqlite_autoindex_<table>_<n>`), numbered in the order the table declares
    them; they are compared by their columns instead of their number.
    """
    facts: set[SchemaFact] = set()
    with closing(readonly_connect(path)) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        for table in tables:
            facts.add(("table", table))
            quoted = '"' + table.replace('"', '""') + '"'
            for _cid, name, kind, notnull, _default, pk in db.execute(
                f"PRAGMA table_info({quoted})"
            ):
                facts.add(("column", table, name, kind.upper(), bool(notnull), pk))
            for _seq, index, unique, _origin, partial in db.execute(f"PRAGMA index_list({quoted})"):
                columns = tuple(
                    row[2]
                    for row in db.execute('PRAGMA index_info("' + index.replace('"', '""') + '")')
                )
                shown = "(automatic)" if index.startswith("sqlite_autoindex_") else index
                facts.add(("index", table, shown, bool(unique), columns, bool(partial)))
    return frozenset(facts)


def _fact_phrase(fact: SchemaFact) -> str:
    if fact[0] == "table":
        return f"table {fact[1]}"
    if fact[0] == "column":
        return f"column {fact[1]}.{fact[2]} ({fact[3] or 'untyped'})"
    columns = ", ".join(str(c) for c in cast(tuple, fact[4]))
    return f"index {fact[2]} on {fact[1]} ({columns})"


def schema_problem(*, actual: frozenset[SchemaFact], expected: frozenset[SchemaFact]) -> str | None:
    """A sentence naming what `actual` lacks or has beyond `expected`, or None when they match.

    The columns and indexes of a missing table are not listed one by one: the
    table says it all.
    """
    missing_tables = {f[1] for f in expected - actual if f[0] == "table"}
    extra_tables = {f[1] for f in actual - expected if f[0] == "table"}
    missing = sorted(
        _fact_phrase(f) for f in expected - actual if f[0] == "table" or f[1] not in missing_tables
    )
    extra = sorted(
        _fact_phrase(f) for f in actual - expected if f[0] == "table" or f[1] not in extra_tables
    )
    if not missing and not extra:
        return None
    parts = []
    if missing:
        parts.append(f"lacks {_shorten(missing)}")
    if extra:
        parts.append(f"has what this version does not ({_shorten(extra)})")
    return (
        " and ".join(parts)
        + " (compared with a fresh Plex-o-matic database at the same migrations)"
    )


def backup_has_admin(path: Path) -> bool | None:
    """Whether the backup holds an active administrator (superuser) who could log in.

    None when it cannot say (no user table: the schema check refuses that backup).
    """
    try:
        with closing(readonly_connect(path)) as db:
            row = db.execute(
                "SELECT 1 FROM auth_user WHERE is_superuser AND is_active LIMIT 1"
            ).fetchone()
    except sqlite3.DatabaseError:
        return None
    return row is not None
