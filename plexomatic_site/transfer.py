"""Copying every row of this site's database into an empty database of another engine.

This is how an install moves from SQLite to PostgreSQL (and back): the
target is migrated to the same schema, every model's rows are copied with
their primary keys in one transaction, each model's row count is compared,
and the target's sequences are set past the copied keys.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import environ
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.management.commands.migrate import Command as DjangoMigrateCommand
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.utils import ConnectionHandler, load_backend

from plexomatic_site.environment import owner_only_file
from plexomatic_site.errors import PlexomaticError
from plexomatic_site.jobs import job_active_other
from plexomatic_site.progress import Progress, progress_ignore

# The target's connection alias while it is filled (this thread only).
TARGET_ALIAS = "transfer_target"
# Rows read and inserted per round trip.
CHUNK_ROWS = 2000
# The app whose migrations every Plex-o-matic database has applied.
OUR_MARKER_APP = "plexomatic_site"


class TransferError(PlexomaticError):
    """The transfer cannot start or did not complete; the target is left empty."""


@dataclass(frozen=True)
class Transferred:
    # Rows copied per model label ("library.mediafile"), each checked on both sides.
    rows: dict[str, int]
    target: str

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _describe(settings_dict: dict) -> str:
    """The target as a person reads it, without its password."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"SQLite file {settings_dict['NAME']}"
    where = f"{settings_dict['HOST'] or 'the local socket'}:{settings_dict['PORT'] or 5432}"
    return f"PostgreSQL database {settings_dict['NAME']} on {where}"


def _target_settings(url: str) -> dict:
    scheme = urlsplit(url).scheme
    if scheme not in environ.Env.DB_SCHEMES:
        raise TransferError(
            f"{url.split(':', 1)[0]!r} is not a database address; give "
            "postgres://user:password@host/name or sqlite:////absolute/path.sqlite3."
        )
    try:
        config = environ.Env.db_url_config(url)
    except ImproperlyConfigured as exc:
        raise TransferError(f"The target address is not usable: {exc}") from None
    if config["ENGINE"] not in (
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    ):
        raise TransferError("The target must be a SQLite file or a PostgreSQL database.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        path = Path(config["NAME"])
        if not path.is_absolute() or not path.parent.is_dir():
            raise TransferError(
                f"{path} is not in an existing folder; give sqlite:////absolute/path.sqlite3."
            )
        owner_only_file(path)
        config["OPTIONS"] = {"timeout": 20}
    # Django's own defaults for every setting the URL leaves out (a handler
    # of its own, needing a "default" alias; nothing else uses it).
    return ConnectionHandler({DEFAULT_DB_ALIAS: config}).settings[DEFAULT_DB_ALIAS]


def _same_database(source: dict, target: dict) -> bool:
    keys = ("ENGINE", "NAME", "HOST", "PORT")
    if source["ENGINE"].endswith("sqlite3") and target["ENGINE"].endswith("sqlite3"):
        return Path(source["NAME"]).resolve() == Path(target["NAME"]).resolve()
    return all(str(source.get(k) or "") == str(target.get(k) or "") for k in keys)


@contextmanager
def _target_connection(settings_dict: dict) -> Iterator[str]:
    if _same_database(connections[DEFAULT_DB_ALIAS].settings_dict, settings_dict):
        raise TransferError("The target is this site's own database; give another one.")
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
        copy.deepcopy(settings_dict), TARGET_ALIAS
    )
    connections[TARGET_ALIAS] = wrapper
    try:
        try:
            wrapper.ensure_connection()
        except DatabaseError as exc:
            said = (str(exc).strip() or type(exc).__name__).splitlines()[0]
            where = _describe(settings_dict)
            raise TransferError(f"Cannot connect to the {where}: {said}.") from None
        yield TARGET_ALIAS
    finally:
        wrapper.close()
        del connections[TARGET_ALIAS]


def _refuse_unless_empty(using: str, *, label: str) -> None:
    """A target with any table is refused: a transfer never overwrites or merges."""
    tables = connections[using].introspection.table_names()
    if not tables:
        return
    if "django_migrations" in tables:
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT 1 FROM django_migrations WHERE app = %s", [OUR_MARKER_APP])
            ours = cursor.fetchone() is not None
        if ours:
            raise TransferError(
                f"The {label} already holds a Plex-o-matic database; a transfer fills only an "
                "empty database, so give a new one (or drop this one first)."
            )
    shown = ", ".join(sorted(tables)[:5]) + (" and more" if len(tables) > 5 else "")
    raise TransferError(
        f"The {label} holds tables of another application ({shown}); a transfer fills only an "
        "empty database."
    )


def _models() -> list[type[models.Model]]:
    """Every model with a table of its own, many-to-many tables included."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _copy_model(model: type[models.Model], *, source: str, target: str) -> int:
    """Insert every row of `model` from `source` into `target`, primary keys kept.

    Rows go in as they are (raw): auto_now timestamps and field defaults are
    not re-applied, so a copied row reads exactly as the original.
    """
    fields = model._meta.concrete_fields
    rows = model._base_manager.using(source).order_by("pk").iterator(chunk_size=CHUNK_ROWS)
    if connections[target].vendor == "postgresql":
        return _copy_in(model, rows, fields=fields, target=target)
    chunk: list[models.Model] = []
    copied = 0
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK_ROWS:
            copied += _insert(model, chunk, fields=fields, target=target)
            chunk = []
    if chunk:
        copied += _insert(model, chunk, fields=fields, target=target)
    return copied


def _insert(model: type[models.Model], rows: list, *, fields: object, target: str) -> int:
    # QuerySet._insert is what bulk_create and save() use underneath; it alone
    # takes raw=True (no pre_save: timestamps stay as they were) for many rows.
    model._base_manager.using(target)._insert(rows, fields=fields, using=target, raw=True)  # type: ignore[attr-defined]
    return len(rows)


def _copy_in(
    model: type[models.Model], rows: Iterator[models.Model], *, fields: Any, target: str
) -> int:
    """PostgreSQL's COPY: 4x faster than multi-row INSERTs, whose parameters psycopg
    must splice into every statement. Values are prepared as Django saves them."""
    connection = connections[target]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    copied = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(
                [
                    field.get_db_prep_save(getattr(row, field.attname), connection)
                    for field in fields
                ]
            )
            copied += 1
    return copied


def _counts(using: str) -> dict[str, int]:
    return {_label(model): model._base_manager.using(using).count() for model in _models()}


def _empty_again(using: str) -> None:
    """Drop every table the transfer created, leaving the target as empty as it was."""
    connection = connections[using]
    connection.close()
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
        for table in tables:
            cascade = " CASCADE" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}{cascade}")


def _fill(*, target: str, progress: Progress) -> dict[str, int]:
    """Migrate the target, copy every model, compare counts, reset sequences."""
    progress(0, None, "Creating the tables")
    call_command(DjangoMigrateCommand(), database=target, interactive=False, verbosity=0)
    chosen = _models()
    with (
        transaction.atomic(using=DEFAULT_DB_ALIAS),
        transaction.atomic(using=target),
    ):
        if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
            # Every model read from one snapshot, as if the site stood still.
            with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        # The rows migrations created (content types, permissions) make way
        # for the source's own, which other rows refer to by key.
        for model in reversed(chosen):
            model._base_manager.using(target).all()._raw_delete(target)
        for done, model in enumerate(chosen):
            progress(done, len(chosen), f"Copying {_label(model)}")
            _copy_model(model, source=DEFAULT_DB_ALIAS, target=target)
        expected, actual = _counts(DEFAULT_DB_ALIAS), _counts(target)
        if differ := sorted(k for k in expected if expected[k] != actual.get(k)):
            shown = ", ".join(f"{k} ({actual.get(k)} of {expected[k]})" for k in differ[:5])
            raise TransferError(f"The row counts differ after the copy: {shown}.")
        statements = connections[target].ops.sequence_reset_sql(no_style(), chosen)
        with connections[target].cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    progress(len(chosen), len(chosen), "Copied")
    return expected


def database_transfer(*, url: str, progress: Progress = progress_ignore) -> Transferred:
    """Copy this site's database into the empty database at `url`; the source is unchanged.

    Refuses a target that has any table (another application's, or a
    Plex-o-matic database already), and a source with a job still active.
    On any failure the target is emptied again.
    """
    settings_dict = _target_settings(url)
    label = _describe(settings_dict)
    if (job := job_active_other()) is not None:
        raise TransferError(
            f"{job.phrase} is {job.get_status_display().lower()}; stop the site and wait for it "
            "to finish before transferring, or its work would be left behind."
        )
    with _target_connection(settings_dict) as target:
        _refuse_unless_empty(target, label=label)
        try:
            rows = _fill(target=target, progress=progress)
        except BaseException as exc:
            _empty_again(target)
            if isinstance(exc, TransferError):
                raise TransferError(f"{exc} Nothing was kept in the {label}.") from None
            if isinstance(exc, DatabaseError):
                raise TransferError(
                    f"Copying into the {label} failed ({exc}); nothing was kept there."
                ) from None
            raise
    return Transferred(rows=rows, target=label)
