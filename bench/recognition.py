"""Recognition benchmark: accuracy per corpus category and speed.

Prints, for the corpus in library/tests/data/recognition_corpus.json, the share
of entries whose expected fields all match for (a) our recogniser and (b)
guessit alone (same field mapping), the names per second of each, for
(c) a synthetic realistic mix of 100,000 paths the names per second and the
share answered by the fast path, and for (d) the public release-name corpus
beside the clone (../shared/recognition/arr_dev, scored by its own score.py,
strict and Plex-equivalent, per file) the same figures for ours and guessit.

Run: .venv/bin/python bench/recognition.py [--synthetic 100000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plexomatic_site.settings")
os.environ.setdefault("PLEXOMATIC_DATA_DIR", tempfile.mkdtemp(prefix="plexomatic-bench-"))

import django  # noqa: E402

django.setup()

from bench.synthetic import synthetic_names  # noqa: E402
from library.services import recognition  # noqa: E402
from library.services.recognition_folders import folder_context, folder_parse  # noqa: E402
from library.services.recognition_guessit import guessit_parse  # noqa: E402
from library.services.recognition_names import name_parse  # noqa: E402
from library.services.recognition_parse import show_title_parts  # noqa: E402
from library.tests.arr_corpus import (  # noqa: E402
    CORPUS_DIR,
    SCORE_PY,
    as_file_name,
    score_dict,
    score_module,
    score_parse,
)
from library.tests.corpus import corpus_entries, expected_recognition  # noqa: E402
from library.tests.guessit_baseline import recognise_guessit_only  # noqa: E402


def _matches(entry: dict, got: recognition.Recognition) -> bool:
    return got == expected_recognition(entry)


def _accuracy(parse, entries: list[dict]) -> tuple[dict[str, tuple[int, int]], float]:
    per_category: dict[str, list[int]] = {}
    started = time.perf_counter()
    results = [parse(entry["path"]) for entry in entries]
    elapsed = time.perf_counter() - started
    for entry, got in zip(entries, results, strict=True):
        tally = per_category.setdefault(entry["category"], [0, 0])
        tally[0] += _matches(entry, got)
        tally[1] += 1
    return {key: (ok, total) for key, (ok, total) in per_category.items()}, len(entries) / elapsed


def _total(per_category: dict[str, tuple[int, int]]) -> tuple[int, int]:
    return sum(ok for ok, _ in per_category.values()), sum(n for _, n in per_category.values())


def _clear_caches() -> None:
    folder_parse.cache_clear()
    folder_context.cache_clear()
    name_parse.cache_clear()
    show_title_parts.cache_clear()
    guessit_parse.cache_clear()


def _arr_corpus() -> None:
    """(d): arr_dev through score.py's own scoring, ours and guessit alone."""
    if not (CORPUS_DIR.is_dir() and SCORE_PY.is_file()):
        print(f"Release-name corpus: {CORPUS_DIR} is absent, skipped.")
        return
    score = score_module()
    files = sorted(p.name for p in CORPUS_DIR.glob("*.tsv"))
    parsers = {
        "ours": score_parse,
        "guessit (our mapping)": lambda name: score_dict(
            recognise_guessit_only(as_file_name(name))
        ),
        "guessit (score.py)": score.guessit_parse,
    }
    print(f"\nRelease-name corpus {CORPUS_DIR} (score.py; strict / Plex-equivalent):")
    print(f"{'file':<22}{'n':>5}" + "".join(f"{name:>26}" for name in parsers))
    totals = {name: [0, 0, 0, 0.0] for name in parsers}
    rows: dict[str, list[str]] = {}
    for name, parse in parsers.items():
        _clear_caches()
        parse("Warm.Up.S01E01.720p.HDTV.x264-GRP.mkv")
        for file_name in files:
            result = score.score_file(
                str(CORPUS_DIR / file_name), parse, append_ext=True, n_examples=0, plex=True
            )
            n, strict, plex = result["n"], result["correct"], result["plex_correct"]
            rows.setdefault(file_name, [str(n)]).append(f"{strict / n:.1%} / {plex / n:.1%}")
            total = totals[name]
            total[0] += n
            total[1] += strict
            total[2] += plex
            total[3] += result["parse_seconds"]
    for file_name, cells in rows.items():
        print(f"{file_name:<22}{cells[0]:>5}" + "".join(f"{cell:>26}" for cell in cells[1:]))
    n = next(iter(totals.values()))[0]
    print(
        f"{'all':<22}{n:>5}"
        + "".join(f"{f'{t[1] / t[0]:.1%} / {t[2] / t[0]:.1%}':>26}" for t in totals.values())
    )
    print(
        "Release-name corpus speed (caches cleared first): "
        + ", ".join(f"{name} {t[0] / t[3]:,.0f} names/s" for name, t in totals.items())
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=100_000, help="synthetic mix size")
    args = parser.parse_args()

    entries = corpus_entries()
    _clear_caches()
    columns = {
        "ours": recognition.recognise,
        "guessit": recognise_guessit_only,
        "guessit+folders": lambda path: recognition.recognise_with_source(path, fast_path=False)[0],
    }
    results = {}
    for name, parse in columns.items():
        _clear_caches()  # guessit's cache would otherwise flatter the later columns
        results[name] = _accuracy(parse, entries)
    blind = [entry for entry in entries if entry.get("blind")]
    blind_results = {name: _accuracy(parse, blind)[0] for name, parse in columns.items()}
    print(f"Corpus: {len(entries)} names. Accuracy = entries whose expected fields all match.")
    print("guessit = guessit alone on the whole path; guessit+folders = our folder rules,")
    print("every file name parsed by guessit (the fast path switched off).")
    print(f"{'category':<16}{'n':>5}" + "".join(f"{name:>17}" for name in columns))
    rows = [
        (category, {name: r[0][category] for name, r in results.items()})
        for category in sorted(results["ours"][0])
    ]
    rows.append(("all", {name: _total(r[0]) for name, r in results.items()}))
    rows.append(("blind (held out)", {name: _total(r) for name, r in blind_results.items()}))
    for label, cells in rows:
        total = cells["ours"][1]
        print(
            f"{label:<16}{total:>5}" + "".join(f"{ok / total:>17.1%}" for ok, _ in cells.values())
        )
    print(
        "Corpus speed: " + ", ".join(f"{name} {r[1]:,.0f} names/s" for name, r in results.items())
    )

    paths = synthetic_names(args.synthetic)
    _clear_caches()
    sources: Counter[str] = Counter()
    started = time.perf_counter()
    for path in paths:
        sources[recognition.recognise_with_source(path)[1]] += 1
    elapsed = time.perf_counter() - started
    print(
        f"Synthetic mix: {len(paths):,} paths in {elapsed:.2f} s = {len(paths) / elapsed:,.0f} "
        f"names/s ({elapsed / len(paths) * 1000:.3f} ms each); fast path "
        f"{sources['fast'] / len(paths):.1%}, guessit {sources['guessit']:,}"
    )
    # guessit alone on a sample of the same mix (it is too slow for all of it).
    sample = paths[: min(len(paths), 1000)]
    _clear_caches()
    started = time.perf_counter()
    for path in sample:
        recognise_guessit_only(path)
    guessit_rate = len(sample) / (time.perf_counter() - started)
    print(
        f"Synthetic mix, guessit alone on {len(sample):,} of its paths: {guessit_rate:,.0f} "
        f"names/s; ours is {len(paths) / elapsed / guessit_rate:,.0f}x faster"
    )
    _arr_corpus()


if __name__ == "__main__":
    main()
