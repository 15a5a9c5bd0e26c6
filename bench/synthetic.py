"""A synthetic media library with realistic names, shared by the benchmarks.

The mix: Plex-style TV with subtitles, release-style episodes, anime fansub
releases, movies in both styles, daily shows, specials, and a few names
nothing can place. `synthetic_names` gives the names (for recognition);
`synthetic_library` writes that many distinct files, plus the samples and
posters a scan must skip.
"""

from __future__ import annotations

import itertools
import os
import random
from collections.abc import Iterator

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


def _endless_names(rng: random.Random) -> Iterator[str]:
    """Relative paths of a realistic library mix, for ever (names may repeat)."""
    while True:
        paths: list[str] = []
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
        yield from paths


def synthetic_names(count: int, *, seed: int = 4) -> list[str]:
    """`count` relative paths, deterministic for a seed; a name may repeat."""
    return list(itertools.islice(_endless_names(random.Random(seed)), count))


def synthetic_library(root: str, count: int, *, size: int = 0, seed: int = 4) -> int:
    """Write `count` distinct media files under root (plus ignorable extras); returns count.

    Files are `size` bytes (empty by default). Every tenth movie folder also
    gets a sample and a poster, which a scan must leave out.
    """
    block = os.urandom(size) if size else b""
    written: set[str] = set()
    made_dirs: set[str] = set()
    movies = 0
    for relative in _endless_names(random.Random(seed)):
        if len(written) == count:
            break
        if relative in written:
            continue
        written.add(relative)
        extras = []
        if relative.startswith("Movies/") and relative.count("/") == 2:
            movies += 1
            if movies % 10 == 0:
                folder = relative.rsplit("/", 1)[0]
                extras = [f"{folder}/Sample/sample.mkv", f"{folder}/poster.jpg"]
        for name in [relative, *extras]:
            path = os.path.join(root, name)
            folder = os.path.dirname(path)
            if folder not in made_dirs:
                os.makedirs(folder, exist_ok=True)
                made_dirs.add(folder)
            with open(path, "wb") as handle:
                handle.write(block)
    return len(written)
