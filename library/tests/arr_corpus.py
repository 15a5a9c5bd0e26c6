"""The public release-name corpus (arr_dev) through the scan's own recogniser.

`score_parse` is the parser score.py calls:

    python ../shared/recognition/score.py ../shared/recognition/arr_dev \
        --parser library/tests/arr_corpus.py:score_parse --plex

It sets Django up when run outside pytest, calls the same `recognise()` the
scan uses, and maps the Recognition onto score.py's dict. The corpus itself
lives beside the clone (CORPUS_DIR) and is never copied into the repository.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

BASE_DIR = Path(__file__).resolve().parents[2]
SHARED_DIR = BASE_DIR.parent / "shared" / "recognition"
CORPUS_DIR = SHARED_DIR / "arr_dev"
SCORE_PY = SHARED_DIR / "score.py"


def _django_setup() -> None:
    """Django must be configured before library.services can be imported."""
    from django.conf import settings

    if settings.configured:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plexomatic_site.settings")
    os.environ.setdefault("PLEXOMATIC_DATA_DIR", tempfile.mkdtemp(prefix="plexomatic-arr-"))
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


_django_setup()

from library.models import MediaType  # noqa: E402
from library.services.recognition import Recognition, recognise  # noqa: E402

_EPISODE_TYPES = frozenset(
    {MediaType.TV_SHOW, MediaType.TV_SPECIAL, MediaType.ANIME, MediaType.ANIME_SPECIAL}
)


def score_dict(got: Recognition) -> dict[str, Any]:
    """A Recognition in score.py's terms (title, year, season, episode, ...)."""
    kind = "episode" if got.media_type in _EPISODE_TYPES else None
    if got.media_type == MediaType.MOVIE:
        kind = "movie"
    episodes = list(got.episodes)
    return {
        "title": got.title or None,
        "year": got.year,
        "season": got.season,
        "episode": (episodes[0] if len(episodes) == 1 else episodes) or None,
        "absolute_episode": list(got.absolute_episodes) or got.absolute_episode,
        "type": kind,
        "country": getattr(got, "country", "") or None,
    }


def as_file_name(release_name: str) -> str:
    """A release name as the one file name it becomes on disk.

    recognise() takes a path: "/" separates folders, so a release name holding
    "/" ("Title / Other Title / S2E1") could never be a file's name. It is kept
    as U+FF0F (FULLWIDTH SOLIDUS), the way file tools store a slash in a name.
    """
    return release_name.replace("/", "\uff0f")


def score_parse(name: str) -> dict[str, Any]:
    """score.py's parser: one release name in, score.py's dict out."""
    return score_dict(recognise(as_file_name(name)))


def score_module() -> ModuleType:
    """score.py itself, imported by path (its scoring is never re-implemented here)."""
    spec = importlib.util.spec_from_file_location("arr_score", SCORE_PY)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {SCORE_PY}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
