"""A synthetic media library with realistic nested names, shared by the benchmarks.

The mix: Plex-style TV, release-style TV, anime fansub releases, movies in
both styles, subtitles beside some episodes, and a few junk files the scan
must skip. Files are empty unless `size` says otherwise.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator

WORDS = [
    "night",
    "shadow",
    "river",
    "empire",
    "signal",
    "garden",
    "winter",
    "crown",
    "broken",
    "silent",
    "lost",
    "city",
    "red",
    "blue",
    "last",
    "first",
    "dark",
    "light",
    "iron",
    "glass",
    "paper",
    "stone",
    "fire",
    "water",
    "storm",
    "echo",
    "golden",
    "hidden",
    "wild",
]
GROUPS = ["SubsPlease", "Erai-raws", "HorribleSubs", "Judas", "EMBER", "ASW"]
QUALITIES = [
    "1080p.WEB-DL.DDP5.1.H.264-NTb",
    "720p.HDTV.x264-KILLERS",
    "2160p.BluRay.x265-TERMiNAL",
]


def _title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS).capitalize() for _ in range(rng.randint(1, 3)))


def synthetic_names(count: int, *, seed: int = 7) -> Iterator[str]:
    """`count` relative paths, deterministic for a seed."""
    rng = random.Random(seed)
    made = 0
    show = 0
    while made < count:
        show += 1
        kind = rng.random()
        title, year = f"{_title(rng)} {show}", rng.randint(1970, 2025)
        if kind < 0.45:  # Plex-style TV with subtitles
            for season in range(1, rng.randint(2, 6)):
                for episode in range(1, rng.randint(8, 24)):
                    base = f"{title} ({year})/Season {season:02d}/{title} ({year}) - s{season:02d}e{episode:02d} - {_title(rng)}"
                    yield f"{base}.mkv"
                    made += 1
                    if rng.random() < 0.3:
                        yield f"{base}.en.srt"
                        made += 1
        elif kind < 0.7:  # release-style TV
            dotted = title.replace(" ", ".")
            for season in range(1, rng.randint(2, 4)):
                folder = f"{dotted}.S{season:02d}.{rng.choice(QUALITIES)}"
                for episode in range(1, rng.randint(6, 13)):
                    yield f"{folder}/{dotted}.S{season:02d}E{episode:02d}.{rng.choice(QUALITIES)}.mkv"
                    made += 1
        elif kind < 0.85:  # anime fansubs with absolute numbers
            group = rng.choice(GROUPS)
            for episode in range(1, rng.randint(12, 60)):
                yield f"{title}/[{group}] {title} - {episode:02d} (1080p) [{rng.getrandbits(32):08X}].mkv"
                made += 1
        else:  # movies
            if rng.random() < 0.5:
                yield f"Movies/{title} ({year})/{title} ({year}).mkv"
            else:
                yield f"Movies/{title.replace(' ', '.')}.{year}.{rng.choice(QUALITIES)}/{title.replace(' ', '.')}.{year}.{rng.choice(QUALITIES)}.mkv"
            made += 1
            if rng.random() < 0.2:
                yield f"Movies/{title} ({year})/Sample/sample.mkv"  # ignored by default
                yield f"Movies/{title} ({year})/poster.jpg"  # not media


def synthetic_library(root: str, count: int, *, size: int = 0, seed: int = 7) -> int:
    """Create the files under root; returns how many were written."""
    block = os.urandom(size) if size else b""
    written = 0
    made_dirs: set[str] = set()
    for relative in synthetic_names(count, seed=seed):
        path = os.path.join(root, relative)
        folder = os.path.dirname(path)
        if folder not in made_dirs:
            os.makedirs(folder, exist_ok=True)
            made_dirs.add(folder)
        with open(path, "wb") as fh:
            fh.write(block)
        written += 1
    return written
