from __future__ import annotations

from collections.abc import Iterator

import pytest

from notify import client, delivery
from notify.tests.fake_plex import FakePlex, fake_plex_running


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """Back-off and timeouts of a fraction of a second, so the failing servers are quick."""
    monkeypatch.setattr(delivery, "ATTEMPT_DELAYS", (0.05, 0.1))
    monkeypatch.setattr(client, "TIMEOUT", 0.5)


@pytest.fixture
def plex(tmp_path) -> Iterator[FakePlex]:
    """A Plex server with a TV section on <tmp>/tv and a Movies section that sees
    <tmp>/movies under another mount point, /data/movies."""
    server = FakePlex(
        sections={
            "1": ("TV", "show", [str(tmp_path / "tv")]),
            "2": ("Movies", "movie", ["/data/movies"]),
        }
    )
    with fake_plex_running(server):
        yield server
