"""What must hold before the site serves: a database this code can reach and understands."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, NotSupportedError, OperationalError, connections
from django.db.migrations.exceptions import AmbiguityError
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.migration import Migration

from plexomatic_site.errors import PlexomaticError


class DatabaseNotReady(PlexomaticError):
    """The database is newer than this code, or not set up (migrated) yet."""


class DatabaseUnavailable(PlexomaticError):
    """The database server cannot be reached, refuses us, or is too old."""


# What to do about a refused connection, by what libpq's reason says.
_CONNECT_ADVICE = (
    ("password authentication failed", "check the user name and password in DATABASE_URL"),
    ("does not exist", "create it, or correct the name in DATABASE_URL"),
    ("connection refused", "start the server, or correct the host and port in DATABASE_URL"),
    ("could not translate host name", "correct the host name in DATABASE_URL"),
    ("timeout expired", "check that the server is running and reachable from this machine"),
)


def _connect_reason(exc: BaseException) -> str:
    """libpq's own reason, without its preamble (`connection to server at … failed:`)."""
    lines = [line.strip() for line in str(exc.__cause__ or exc).splitlines() if line.strip()]
    reason = lines[0].rpartition(" failed: ")[2] if lines else "no reason given"
    return reason.removeprefix("FATAL:").strip().rstrip(".")


def _where(settings_dict: dict) -> str:
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"the SQLite database {settings_dict['NAME']}"
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or 5432
    return f"the PostgreSQL database {settings_dict['NAME']!r} at {host}:{port} (DATABASE_URL)"


def database_connect(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Connect now, so an unreachable, refusing or too old server is one sentence.

    Otherwise the first query, wherever it is, fails with the driver's
    multi-line message or a traceback. Django checks the server's version as
    it connects (PostgreSQL 14 or later for Django 5.2).
    """
    connection = connections[using]
    try:
        connection.ensure_connection()
    except NotSupportedError as exc:
        connection.close()
        raise DatabaseUnavailable(
            f"Plex-o-matic cannot use {_where(connection.settings_dict)}: "
            f"{str(exc).rstrip('.')}; upgrade the server."
        ) from None
    except OperationalError as exc:
        reason = _connect_reason(exc)
        advice = next((a for key, a in _CONNECT_ADVICE if key in reason.lower()), "")
        raise DatabaseUnavailable(
            f"Cannot connect to {_where(connection.settings_dict)}: {reason}"
            + (f"; {advice}." if advice else ".")
        ) from None


def unknown_migrations(
    applied: dict[str, list[str]], *, loader: MigrationLoader | None = None
) -> list[str]:
    """Applied migrations of our apps that this code does not have: a newer schema.

    `applied` is app -> migration names, from the live database or a backup.
    """
    loader = loader or MigrationLoader(connections[DEFAULT_DB_ALIAS], ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    return sorted(
        f"{app}.{name}"
        for app, names in applied.items()
        if app in loader.migrated_apps
        for name in names
        if (app, name) not in known
    )


def database_unknown_migrations(executor: MigrationExecutor) -> list[str]:
    applied: dict[str, list[str]] = {}
    for app, name in executor.recorder.applied_migrations():
        applied.setdefault(app, []).append(name)
    return unknown_migrations(applied, loader=executor.loader)


def database_refuse_newer(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Stop if the database has migrations this code does not know (a newer database).

    Running older code on a newer schema would corrupt data silently, so the
    only safe answers are: upgrade Plex-o-matic, or restore an older backup.
    """
    _refuse_newer(MigrationExecutor(connections[using]))


def _refuse_newer(executor: MigrationExecutor) -> None:
    ours = database_unknown_migrations(executor)
    if ours:
        raise DatabaseNotReady(
            f"The database {executor.connection.settings_dict['NAME']} was written by a newer "
            f"Plex-o-matic (it has migrations this version does not know: {', '.join(ours)}); "
            "upgrade Plex-o-matic or restore an older backup."
        )


def migration_plan(
    *,
    using: str = DEFAULT_DB_ALIAS,
    app_label: str | None = None,
    migration_name: str | None = None,
) -> list[tuple[Migration, bool]]:
    """What `migrate [app_label [migration_name]]` would run: (migration, backwards) pairs.

    Reads the arguments as Django's migrate does, so an unapply (`migrate
    library 0001`, `migrate library zero`) is in the plan too. Arguments
    migrate itself refuses give an empty plan: it stops before changing anything.
    """
    executor = MigrationExecutor(connections[using])
    loader = executor.loader
    if app_label is None:
        targets = loader.graph.leaf_nodes()
    elif app_label not in loader.migrated_apps:
        return []
    elif migration_name is None:
        targets = [key for key in loader.graph.leaf_nodes() if key[0] == app_label]
    elif migration_name == "zero":
        targets = [(app_label, None)]
    else:
        try:
            target = (app_label, loader.get_migration_by_prefix(app_label, migration_name).name)
        except (AmbiguityError, KeyError):
            return []
        # A partly applied squashed migration is not in the graph; migrate
        # targets its last replaced migration instead.
        if target not in loader.graph.nodes and target in loader.replacements:
            target = loader.replacements[target].replaces[-1]
        targets = [target]
    return executor.migration_plan(targets)


def database_is_new(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    """True when no migration has ever been applied: there is nothing to back up."""
    executor = MigrationExecutor(connections[using])
    return not executor.recorder.has_table() or not executor.recorder.applied_migrations()


def database_require_ready(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse a database this code cannot work on yet, saying what to run."""
    executor = MigrationExecutor(connections[using])
    _refuse_newer(executor)
    if not executor.recorder.has_table() or not executor.recorder.applied_migrations():
        raise DatabaseNotReady(
            "The database has not been set up yet; run `manage.py migrate` (or `serve`) first."
        )
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise DatabaseNotReady(
            f"The database has {len(pending)} migration(s) to apply; run `manage.py migrate` "
            "first (it takes a pre_migration backup itself)."
        )
