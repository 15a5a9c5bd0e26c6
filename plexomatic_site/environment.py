"""Reading and validating the environment: the only place settings come from.

Every value is checked here, and a bad one raises ImproperlyConfigured with a
sentence naming the variable, so start-up stops with a message a person can
act on instead of a traceback or, worse, a silent fallback.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import socket
import tempfile
import zoneinfo
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

# What Plex-o-matic creates for itself (database, backups, uploads, secret key)
# is readable by its own user only: the database holds password hashes and
# sessions, and the folders list every file of the libraries.
OWNER_ONLY_FILE = 0o600
OWNER_ONLY_FOLDER = 0o700

# A worker host name (PLEXOMATIC_WORKER_HOST, a library's worker host): it ends up
# in queue names and in db_worker's comma-separated --queue-name list.
# `serve --processes` and PLEXOMATIC_WEB_PROCESSES: each process is about 100 MB.
MAX_WEB_PROCESSES = 16
WORKER_HOST_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,254}")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(env: environ.Env, name: str, *, default: bool) -> bool:
    """A strict boolean: django-environ reads any unknown word as False."""
    raw = env.str(name, default=None)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a yes/no value; use one of true, false, 1, 0, yes, no, on, off."
    )


def env_int(env: environ.Env, name: str, *, default: int, minimum: int, maximum: int) -> int:
    raw = env.str(name, default=None)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if not minimum <= value <= maximum:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a whole number from {minimum} to {maximum}."
        )
    return value


def env_port(env: environ.Env, name: str, *, default: int) -> int:
    raw = env.str(name, default=None)
    try:
        return env_int(env, name, default=default, minimum=1, maximum=65535)
    except ImproperlyConfigured:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a TCP port; use a number from 1 to 65535."
        ) from None


def env_choice(env: environ.Env, name: str, *, default: str, choices: Iterable[str]) -> str:
    value = env.str(name, default=default)
    allowed = list(choices)
    if value not in allowed:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of {', '.join(allowed)}.")
    return value


def env_time_zone(env: environ.Env, name: str, *, default: str) -> str:
    value = env.str(name, default=default)
    if value not in zoneinfo.available_timezones():
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a time zone name; use one like UTC or Europe/Paris."
        )
    return value


def env_hosts(env: environ.Env, name: str, *, default: list[str]) -> list[str]:
    hosts = [host for host in env.list(name, default=default) if host.strip()]
    if not hosts:
        raise ImproperlyConfigured(
            f"{name} is empty, so the site would answer no request; list at least one host name."
        )
    return hosts


def env_worker_host(env: environ.Env, name: str) -> str:
    """This machine's name among the workers: `name`, else its host name, in lower case."""
    value = env.str(name, default="").strip().lower() or socket.gethostname().lower()
    if not WORKER_HOST_PATTERN.fullmatch(value):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a worker host name; use at most 255 letters, digits, "
            "dots, hyphens or underscores, such as nas1."
        )
    return value


def folder_problem(path: Path) -> str | None:
    """Why `path` is not a folder this process can write to, or None.

    os.access is not enough (root, ACLs, read-only mounts): really write.
    """
    if not path.exists():
        return "does not exist"
    if not path.is_dir():
        return "is a file, not a folder"
    try:
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        return f"cannot be written ({exc.strerror})"
    return None


def owner_only_folder(path: Path) -> None:
    """Create folder `path` (not its parents) for this user only, if it is missing.

    An existing folder keeps its mode: `manage.py check` warns if others can read it.
    """
    try:
        path.mkdir(mode=OWNER_ONLY_FOLDER)
    except FileExistsError:
        return
    os.chmod(path, OWNER_ONLY_FOLDER)  # mkdir's mode is cut by the umask, never widened


def owner_only_file(path: Path) -> None:
    """Create `path` empty and for this user only, if it is missing (SQLite fills it).

    SQLite gives a database's -wal and -shm files the mode of the database.
    """
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE))


def data_dir_prepare(path: Path) -> Path:
    """Create the data folder if needed and prove it is a writable folder."""
    path = path.expanduser().resolve()
    if path.exists() and not path.is_dir():
        raise ImproperlyConfigured(
            f"PLEXOMATIC_DATA_DIR={path} is a file, not a folder; point it at a folder."
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        owner_only_folder(path)
    except OSError as exc:
        problem: str | None = f"cannot be written ({exc.strerror})"
    else:
        problem = folder_problem(path)
    if problem is not None:
        raise ImproperlyConfigured(
            f"PLEXOMATIC_DATA_DIR={path} {problem}; choose a folder this user can write to."
        )
    return path


def secret_key_load(env: environ.Env, data_dir: Path) -> str:
    """SECRET_KEY from the environment, else one generated once into the data folder."""
    from_env = env.str("SECRET_KEY", default="")
    if from_env:
        return from_env
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key = secrets.token_urlsafe(50)
        tmp = key_file.with_name(f".secret_key.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE)
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            # link() fails if another process won the race; its key is kept.
            os.link(tmp, key_file)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    key = key_file.read_text().strip()
    if len(key) < 32:
        raise ImproperlyConfigured(
            f"The secret key in {key_file} is too short; delete the file to generate a new one."
        )
    return key


def database_config(env: environ.Env, data_dir: Path) -> dict:
    url = env.str("DATABASE_URL", default="") or f"sqlite:///{data_dir / 'plexomatic.sqlite3'}"
    scheme = urlsplit(url).scheme
    if scheme not in environ.Env.DB_SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database address (unknown scheme {scheme!r}); "
            "use sqlite:////absolute/path.sqlite3 or postgres://user:password@host/name."
        )
    config = environ.Env.db_url_config(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        database = Path(config["NAME"])
        if database.parent.is_dir() and str(database) != ":memory:":
            owner_only_file(database)
        config["OPTIONS"] = {
            # Writers queue behind each other for up to 20 s instead of
            # failing at once with "database is locked".
            "timeout": 20,
            # BEGIN IMMEDIATE takes the write lock up front, so a read that
            # turns into a write never dead-ends in SQLITE_BUSY.
            "transaction_mode": "IMMEDIATE",
            # journal_size_limit: a big transaction (a restore, a first scan)
            # grows the WAL to its size; this shrinks it back once checkpointed.
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;PRAGMA busy_timeout=20000;"
                "PRAGMA journal_size_limit=67108864"
            ),
        }
        config["TEST"] = {"NAME": str(data_dir / "test.sqlite3")}
    config["CONN_MAX_AGE"] = None if config["ENGINE"].endswith("sqlite3") else 600
    config["CONN_HEALTH_CHECKS"] = True
    return config
