"""Recognition: the corpus of real-world names, then each shape and edge case."""

from __future__ import annotations

import datetime
import json
from functools import cache
from pathlib import Path

import pytest

from library.models import MediaType
from library.services.recognition import (
    Recognition,
    SubtitleInfo,
    recognise,
    recognise_guessit_only,
    recognise_with_source,
    subtitle_info,
)

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


def _corpus_params() -> list:
    params = []
    for index, entry in enumerate(_corpus()):
        marks = [pytest.mark.xfail(reason=entry["xfail"], strict=True)] if "xfail" in entry else []
        params.append(pytest.param(entry, id=f"{entry['category']}-{index}", marks=marks))
    return params


def test_corpus_is_large_and_covers_every_category():
    entries = corpus_entries()
    assert len(entries) >= 300
    assert len({entry["path"] for entry in entries}) == len(entries)
    categories = {entry["category"] for entry in entries}
    assert categories == {
        "tv_release", "tv_plex", "anime_fansub", "anime_plex", "movie_release", "movie_plex",
        "special", "multi_episode", "daily", "foreign", "subtitle", "unknown",
    }  # fmt: skip
    assert {entry["expect"]["media_type"] for entry in entries} == set(MediaType.values)


@pytest.mark.parametrize("entry", _corpus_params())
def test_corpus_entry_is_recognised(entry):
    assert recognise(entry["path"]) == expected_recognition(entry)
    if "subtitle" in entry:
        assert subtitle_info(entry["path"]) == SubtitleInfo(**entry["subtitle"])
