"""Recognition benchmark: accuracy per corpus category and speed.

Prints, for the corpus in library/tests/data/recognition_corpus.json, the share
of entries whose expected fields all match for (a) our recogniser and (b)
guessit alone (same field mapping), the names per second of each, and for
(c) a synthetic realistic mix of 100,000 paths the names per second and the
share answered by the fast path.

Run: .venv/bin/python bench/recognition.py [--synthetic 100000]
"""

from __future__ import annotations

import argparse
import os
import random
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

from library.services import recognition  # noqa: E402
from library.tests.test_recognition import corpus_entries, expected_recognition  # noqa: E402

SHOWS = [
    "Breaking Bad",
    "The Office (US)",
    "Doctor Who",
    "Stranger Things",
    "The Expanse",
    "Severance",
    "Ted Lasso",
    "The Crown",
    "Fargo",
    "Bluey",
    "The Simpsons",
    "Succession",
    "House of the Dragon",
    "The Last of Us",
    "Better Call Saul",
    "Slow Horses",
    "Dark",
    "Shōgun",
    "Peaky Blinders",
    "Grey's Anatomy",
    "Law & Order",
    "Mr. Robot",
    "Lost",
]
ANIME = [
    "Sousou no Frieren",
    "One Piece",
    "Jujutsu Kaisen",
    "Spy x Family",
    "Oshi no Ko",
    "Kusuriya no Hitorigoto",
    "Dungeon Meshi",
    "Chainsaw Man",
    "Bocchi the Rock!",
    "Kaguya-sama wa Kokurasetai - Ultra Romantic",
    "Mob Psycho 100",
    "Blue Lock",
]
GROUPS = ["SubsPlease", "Erai-raws", "HorribleSubs", "Judas", "EMBER", "ASW"]
MOVIES = [
    "The Matrix",
    "Inception",
    "Blade Runner 2049",
    "Dune - Part Two",
    "Parasite",
    "1917",
    "Everything Everywhere All at Once",
    "Amélie",
    "Spirited Away",
    "Heat",
    "Alien",
    "Se7en",
    "Oppenheimer",
    "Knives Out",
    "Arrival",
    "Top Gun Maverick",
    "The Thing",
    "Toy Story 3",
]
WORDS = ["the", "of", "a", "night", "long", "road", "home", "secret"]
WORDS += ["last", "first", "dark", "light", "fire", "water", "city", "man"]
RELEASE_TAILS = [
    "1080p.WEB-DL.DDP5.1.H.264-NTb",
    "720p.HDTV.x264-KILLERS",
    "2160p.AMZN.WEB-DL.DDP5.1.HEVC-FLUX",
    "1080p.BluRay.x264-ROVERS",
    "1080p.NF.WEB-DL.DDP5.1.x264-SMURF",
]


def _dotted(title: str) -> str:
    return ".".join(title.replace("(", "").replace(")", "").replace("'", "").split())


def _episode_title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))).title()


def synthetic_paths(count: int, *, seed: int = 4) -> list[str]:
    """A realistic library mix: shows in season folders, movies, anime, some junk."""
    rng = random.Random(seed)
    paths: list[str] = []
    while len(paths) < count:
        kind = rng.random()
        show = rng.choice(SHOWS)
        year = rng.randint(1960, 2024)
        season = rng.randint(1, 12)
        if kind < 0.40:  # a Plex-style season: its episodes share the folders
            base = f"TV/{show} ({year})/Season {season:02}"
            for episode in range(1, rng.randint(8, 24)):
                name = f"{show} ({year}) - s{season:02}e{episode:02} - {_episode_title(rng)}"
                paths.append(f"{base}/{name}.mkv")
                if rng.random() < 0.15:
                    paths.append(f"{base}/{name}.en.srt")
        elif kind < 0.55:  # release-style episodes in a show folder
            for episode in range(1, rng.randint(6, 14)):
                title = _dotted(_episode_title(rng))
                tail = rng.choice(RELEASE_TAILS)
                paths.append(
                    f"TV/{show}/{_dotted(show)}.S{season:02}E{episode:02}.{title}.{tail}.mkv"
                )
        elif kind < 0.65:  # anime fansub releases
            anime, group = rng.choice(ANIME), rng.choice(GROUPS)
            for episode in range(1, rng.randint(12, 26)):
                crc = f"{rng.getrandbits(32):08X}"
                paths.append(f"Anime/{anime}/[{group}] {anime} - {episode:02} (1080p) [{crc}].mkv")
        elif kind < 0.82:  # Plex-style movies
            movie = f"{rng.choice(MOVIES)} ({year})"
            paths.append(f"Movies/{movie}/{movie}.mkv")
        elif kind < 0.92:  # release-style movies
            movie = _dotted(rng.choice(MOVIES))
            paths.append(f"Movies/{movie}.{year}.{rng.choice(RELEASE_TAILS)}.mkv")
        elif kind < 0.95:  # daily shows
            day = f"{rng.randint(2015, 2024)}.{rng.randint(1, 12):02}.{rng.randint(1, 28):02}"
            paths.append(f"TV/The Daily Show/The.Daily.Show.{day}.720p.WEB.h264-EDITH.mkv")
        elif kind < 0.98:  # specials
            base = f"TV/{show} ({year})/Specials"
            paths.append(f"{base}/{show} ({year}) - S00E{rng.randint(1, 20):02}.mkv")
        elif kind < 0.995:  # home videos and other names nothing can place
            paths.append(f"Home Videos/IMG_{rng.randint(1000, 9999)}.mp4")
            paths.append(f"Home Videos/{_episode_title(rng)}.mp4")
        else:  # names with numbers but no known shape: guessit's share
            paths.append(f"Home Videos/{_episode_title(rng)} {rng.randint(2, 99)}.mp4")
    return paths[:count]


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
    recognition._folder_parse.cache_clear()
    recognition._context.cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=100_000, help="synthetic mix size")
    args = parser.parse_args()

    entries = corpus_entries()
    _clear_caches()
    columns = {
        "ours": recognition.recognise,
        "guessit": recognition.recognise_guessit_only,
        "guessit+folders": lambda path: recognition.recognise_with_source(path, fast_path=False)[0],
    }
    results = {name: _accuracy(parse, entries) for name, parse in columns.items()}
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

    paths = synthetic_paths(args.synthetic)
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


if __name__ == "__main__":
    main()
