"""`manage.py apply`, with each move slowed down, so the crash test can kill it mid-batch.

Run as `python library/tests/slow_apply.py APPLY-ARGUMENTS…` with the same
environment as manage.py.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parents[2]
MOVE_DELAY_SECONDS = 0.01


def main() -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plexomatic_site.settings")
    import django

    django.setup()
    from django.core.management import execute_from_command_line

    from library.services import apply

    move = apply.file_move

    def slow_move(**kwargs: Any) -> None:
        time.sleep(MOVE_DELAY_SECONDS)
        move(**kwargs)

    apply.file_move = slow_move
    execute_from_command_line(["manage.py", "apply", *sys.argv[1:]])


if __name__ == "__main__":
    main()
