"""The recognition corpus: real-world names with what each must be recognised as.

Shared by the tests and bench/recognition.py, so it imports nothing from pytest.
"""

from __future__ import annotations

import datetime
import json
from functools import cache
from pathlib import Path

from library.services.recognition import Recognition

CORPUS = Path(__file__).with_name("data") / "recognition_corpus.json"


@cache
def _corpus() -> tuple[dict, ...]:
    return tuple(json.loads(CORPUS.read_text(encoding="utf-8"))["entries"])


def corpus_entries() -> list[dict]:
    """The corpus entries (shared with bench/recognition.py)."""
    return list(_corpus())


def expected_recognition(entry: dict) -> Recognition:
    """The Recognition a corpus entry expects; fields it leaves out are empty."""
    expect = entry["expect"]
    air_date = expect.get("air_date")
    return Recognition(
        media_type=expect["media_type"],
        title=expect.get("title", ""),
        year=expect.get("year"),
        season=expect.get("season"),
        episodes=tuple(expect.get("episodes", ())),
        absolute_episode=expect.get("absolute_episode"),
        air_date=datetime.date.fromisoformat(air_date) if air_date else None,
        episode_title=expect.get("episode_title", ""),
        tmdb_id=expect.get("tmdb_id"),
        tvdb_id=expect.get("tvdb_id"),
    )
