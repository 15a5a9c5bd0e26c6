"""The tree stays clean: migrations match the models, ruff and mypy are happy."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parents[1]
RUFF = Path(sys.executable).with_name("ruff")


@pytest.mark.django_db
def test_migrations_match_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize(
    "args", [["check", "."], ["format", "--check", "."]], ids=["lint", "format"]
)
def test_ruff(args):
    ruff = str(RUFF) if RUFF.exists() else shutil.which("ruff")
    assert ruff, "ruff is not installed (make install)"
    result = subprocess.run([ruff, *args], cwd=BASE_DIR, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy(tmp_path):
    # Checks the `files` listed under [tool.mypy] in pyproject.toml, as `make typecheck` does.
    assert importlib.util.find_spec("mypy"), "mypy is not installed (make install)"
    # The django-stubs plugin imports the settings, which create the data folder.
    env = {**os.environ, "PLEXOMATIC_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "mypy"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
