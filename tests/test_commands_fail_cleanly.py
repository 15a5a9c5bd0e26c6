"""Every management command of ours fails with one sentence, never a traceback.

Each command runs for real (`manage.py NAME ...` in a subprocess) against a fresh,
unmigrated data folder: once with an unknown option, once with arguments that
would be valid on a set-up database. A new command needs an entry in ARGUMENTS.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[1]
APPS = ("plexomatic_site", "library", "backups", "inbox", "notify")
COMMANDS = sorted(
    path.stem
    for app in APPS
    for path in BASE_DIR.glob(f"{app}/management/commands/*.py")
    if not path.name.startswith("_")
)
# Arguments each command accepts, which must still fail on an unmigrated data folder.
ARGUMENTS: dict[str, list[str]] = {
    "apply": ["--yes"],
    "backup": [],
    "createlibrary": ["TV Shows", "/tmp"],
    # Into a file that does not exist yet: refused before anything is copied.
    "db_transfer": ["sqlite:////nonexistent/target.sqlite3"],
    "db_worker": ["--batch"],
    "housekeeping": [],
    "import_inbox": ["--yes"],
    "import_plexomatic": ["/nonexistent/plexomatic.db"],
    # migrate sets a fresh folder up (that is its job): an unknown app must be refused.
    "migrate": ["no_such_app"],
    "plan": [],
    "preview": [],
    "recover": [],
    # A fresh install may restore a backup file; one that does not exist is refused.
    "restore": ["no-such-backup.sqlite3", "--yes"],
    "rollback": ["--batch", "1", "--yes"],
    "scan": [],
    # Refused before anything listens, so no server starts.
    "serve": ["--port", "70000", "--no-worker"],
    "vacuum": [],
}
BAD_OPTION = "--no-such-option-xyz"
TIMEOUT_SECONDS = 60
REASON_MAX_CHARS = 300
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# `django.db.utils.OperationalError: ...`: an exception leaking out, not a reason.
MODULE_EXCEPTION = re.compile(r"\b[A-Za-z_]\w*(?:\.\w+)+\.[A-Z]\w*(?:Error|Exception)\b")


@dataclass(frozen=True)
class Run:
    argv: list[str]
    returncode: int
    stderr: str

    def describe(self) -> str:
        tail = "\n".join(self.stderr.splitlines()[-15:])
        return f"$ manage.py {' '.join(self.argv)}  (exit {self.returncode})\n{tail}"


def last_line(stderr: str) -> str:
    """The last non-empty line; tqdm's carriage returns and colours do not count."""
    lines = [ANSI_ESCAPE.sub("", line).strip() for line in stderr.splitlines()]
    return next((line for line in reversed(lines) if line), "")


def problem(run: Run) -> str | None:
    """Why `run` is not a clean failure with a one-sentence reason, or None when it is."""
    line = last_line(run.stderr)
    if run.returncode == 0:
        return "it succeeded"
    if "Traceback" in run.stderr:
        return "a traceback on stderr"
    if not line:
        return "nothing on stderr"
    if len(line) > REASON_MAX_CHARS:
        return f"the reason is {len(line)} characters long"
    if MODULE_EXCEPTION.search(line):
        return "the reason is a Python exception"
    if len(re.findall(r"[A-Za-z]{2,}", line)) < 3:
        return "the reason is not a sentence"
    return None


def run_command(argv: list[str], data_dir: Path) -> Run:
    env = {**os.environ, "PLEXOMATIC_DATA_DIR": str(data_dir), "DEBUG": "false"}
    env.pop("DATABASE_URL", None)
    env.pop("SECRET_KEY", None)
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", *argv],
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        return Run(argv, -1, f"Still running after {TIMEOUT_SECONDS} s; it was killed.")
    return Run(argv, result.returncode, result.stderr)


SITUATIONS: dict[str, Callable[[str], list[str]]] = {
    "bad_option": lambda name: [name, BAD_OPTION],
    "unmigrated": lambda name: [name, *ARGUMENTS[name]],
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[tuple[str, str], Run]:
    """Every command in every situation, four at a time, each with its own data folder."""
    jobs = [
        (situation, name)
        for situation in SITUATIONS
        for name in COMMANDS
        if situation == "bad_option" or name in ARGUMENTS
    ]
    with ThreadPoolExecutor(4) as pool:
        futures = {
            job: pool.submit(
                run_command, SITUATIONS[job[0]](job[1]), tmp_path_factory.mktemp(f"{job[1]}-")
            )
            for job in jobs
        }
        return {job: future.result() for job, future in futures.items()}


def test_every_command_has_arguments():
    assert COMMANDS, "no management command found"
    assert set(COMMANDS) == ARGUMENTS.keys(), (
        f"commands without an entry in ARGUMENTS: {sorted(set(COMMANDS) - ARGUMENTS.keys())}; "
        f"entries without a command: {sorted(ARGUMENTS.keys() - set(COMMANDS))}"
    )


@pytest.mark.parametrize("name", COMMANDS)
def test_bad_option_fails_with_a_sentence(runs, name):
    run = runs["bad_option", name]
    reason = problem(run)
    assert reason is None, f"{name}: {reason}\n{run.describe()}"


@pytest.mark.parametrize("name", COMMANDS)
def test_unmigrated_data_folder_fails_with_a_sentence(runs, name):
    assert name in ARGUMENTS, f"{name} has no entry in ARGUMENTS"
    run = runs["unmigrated", name]
    reason = problem(run)
    assert reason is None, f"{name}: {reason}\n{run.describe()}"


@pytest.mark.parametrize(
    ("returncode", "stderr", "expected"),
    [
        (2, "usage: manage.py scan\nmanage.py scan: error: unrecognized arguments: -x\n", None),
        (1, "Import: 0 files\r   \rCommandError: There is no file at /x.db.\n", None),
        (0, "", "it succeeded"),
        (1, "Traceback (most recent call last):\n  ...\nCommandError: No.\n", "a traceback"),
        (1, "django.db.utils.OperationalError: no such table: x\n", "a Python exception"),
        (1, "Killed\n", "not a sentence"),
        (1, "\n\n", "nothing on stderr"),
    ],
    ids=["argparse", "tqdm", "success", "traceback", "exception", "word", "empty"],
)
def test_problem(returncode, stderr, expected):
    reason = problem(Run(["x"], returncode, stderr))
    assert reason == expected or (expected and reason and expected in reason)
