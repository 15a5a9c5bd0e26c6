"""Loaded with `-p` before pytest-django reads the settings: every test run
gets its own data folder, so tests never touch a user's ./data."""

from __future__ import annotations

import os
import shutil
import tempfile

os.environ["PLEXOMATIC_DATA_DIR"] = data_dir = tempfile.mkdtemp(prefix="plexomatic-test-")
# WhiteNoise warns about a missing STATIC_ROOT; collectstatic is tested with `serve`.
os.makedirs(os.path.join(data_dir, "static"))
# The suite runs on SQLite unless told otherwise on purpose (`make test-postgres`):
# a DATABASE_URL left in the shell for a real install is never the tests' database.
# pytest-django creates and drops its own test_<name> database on that server.
if os.environ.get("PLEXOMATIC_TEST_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["PLEXOMATIC_TEST_DATABASE_URL"]
else:
    os.environ.pop("DATABASE_URL", None)
os.environ.pop("SECRET_KEY", None)
os.environ["DEBUG"] = "false"


def pytest_unconfigure(config):
    """The run's data folder goes with the run (a run a day left one each in /tmp)."""
    shutil.rmtree(data_dir, ignore_errors=True)
