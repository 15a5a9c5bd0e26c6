"""`manage.py apply` in a process of its own: it tells Plex before the process exits."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import BASE_DIR
from notify.tests.fake_plex import TOKEN, FakePlex, fake_plex_running

SETUP = """
from library.models import Library
from notify.models import PlexSection
from plexomatic_site.settings_store import settings_update
settings_update(values={{"plex_url": {url!r}, "plex_token": {token!r}}})
library = Library.objects.get(name="TV")
PlexSection.objects.create(key="1", title="TV", locations=["/data/tv"], library=library,
                           plex_root="/data/tv")
"""


def _manage(data_dir, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PLEXOMATIC_DATA_DIR": str(data_dir), "DEBUG": "false"}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *argv],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_apply_command_tells_plex_before_it_exits(tmp_path):
    data, tv = tmp_path / "data", tmp_path / "tv"
    (tv / "Show (2019)" / "Season 01").mkdir(parents=True)
    (tv / "Show (2019)" / "Season 01" / "show.s01e02.mkv").write_bytes(b"video")
    with fake_plex_running(FakePlex(sections={"1": ("TV", "show", ["/data/tv"])})) as plex:
        for argv in (
            ["migrate", "--verbosity", "0"],
            ["createlibrary", "TV", str(tv)],
            ["scan", "TV", "--no-progress"],
            ["shell", "-c", SETUP.format(url=plex.url, token=TOKEN)],
            ["apply", "--library", "TV", "--yes", "--no-progress"],
        ):
            run = _manage(data, *argv)
            assert run.returncode == 0, (argv, run.stderr[-2000:])
        # The command has exited: its delivery thread finished first.
        assert plex.refreshes() == [("1", "/data/tv/Show (2019)/Season 01")]
    assert TOKEN not in run.stdout + run.stderr
