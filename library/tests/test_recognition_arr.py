"""The public release-name corpus (arr_dev, beside the clone) through score.py's own
scoring: the recogniser must keep the accuracy it reached, overall and per file.

The corpus is read from BASE_DIR.parent / "shared" / "recognition" and never
copied into the repository; without that folder the test is skipped.
"""

from __future__ import annotations

import pytest

from library.tests.arr_corpus import CORPUS_DIR, SCORE_PY, score_module, score_parse

# Plex-equivalent accuracy reached on arr_dev (score.py --plex), minus 2 points:
# anime 98/99, movies 35/35, tv_multi 36/38, tv_single 88/88, all 257/260.
FLOORS = {
    "anime_absolute.tsv": 0.990 - 0.02,
    "movies.tsv": 1.000 - 0.02,
    "tv_multi.tsv": 0.947 - 0.02,
    "tv_single.tsv": 1.000 - 0.02,
}
OVERALL_FLOOR = 0.988 - 0.02

pytestmark = pytest.mark.skipif(
    not (CORPUS_DIR.is_dir() and SCORE_PY.is_file()),
    reason=f"the shared recognition corpus is not beside the clone ({CORPUS_DIR})",
)


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    score = score_module()
    out = {}
    for name in sorted(FLOORS):
        out[name] = score.score_file(
            str(CORPUS_DIR / name), score_parse, append_ext=True, n_examples=0, plex=True
        )
    return out


@pytest.mark.parametrize("file_name", sorted(FLOORS))
def test_each_file_keeps_its_plex_equivalent_accuracy(results, file_name):
    result = results[file_name]
    assert result["exceptions"] == 0
    accuracy = result["plex_correct"] / result["n"]
    failures = [f["name"] for f in result["failures"] if f["plex"] == "fail"]
    assert accuracy >= FLOORS[file_name], failures


def test_the_whole_corpus_keeps_its_plex_equivalent_accuracy(results):
    total = sum(r["n"] for r in results.values())
    correct = sum(r["plex_correct"] for r in results.values())
    assert correct / total >= OVERALL_FLOOR
