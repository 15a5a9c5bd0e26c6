"""`manage.py import_inbox`, with each file operation slowed down, so the crash test can
kill it mid-batch.

Run as `python inbox/tests/slow_import.py IMPORT-ARGUMENTS…` with the same environment
as manage.py.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parents[2]
DELAY_SECONDS = 0.01


def main() -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plexomatic_site.settings")
    import django

    django.setup()
    from django.core.management import execute_from_command_line

    from library.services import apply

    for name in ("file_move", "file_copy", "file_link"):
        real = getattr(apply, name)

        def slow(real: Any = real, **kwargs: Any) -> None:
            time.sleep(DELAY_SECONDS)
            real(**kwargs)

        setattr(apply, name, slow)
    execute_from_command_line(["manage.py", "import_inbox", *sys.argv[1:]])


if __name__ == "__main__":
    main()
