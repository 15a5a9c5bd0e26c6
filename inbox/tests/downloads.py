"""A downloads folder of mixed releases, as a torrent client leaves it (tests and bench)."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from pathlib import Path

_FIRST = ["Amber", "Bright", "Cedar", "Delta", "Ember", "Falcon", "Granite", "Harbor", "Indigo"]
_SECOND = ["Road", "Files", "Station", "Valley", "Signal", "Garden", "Circuit", "Harvest"]
# A third word once the pairs run out, so every release has its own title.
_THIRD = ["", "Rising", "Forever", "Legacy", "Origins", "Returns"]
MAX_RELEASES = len(_FIRST) * len(_SECOND) * len(_THIRD)
# Old enough to have settled under any settle time the tests use.
SETTLED_MTIME = 1_600_000_000


@dataclass
class Downloads:
    root: Path
    # Relative paths the import should take, and those it should leave.
    importable: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    # Still being written (a recent mtime) or a partial download.
    growing: list[str] = field(default_factory=list)


def _write(
    root: Path, relative: str, size: int, rng: random.Random, *, settled: bool = True
) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(relative.encode() + rng.randbytes(size))
    if settled:
        os.utime(path, (SETTLED_MTIME, SETTLED_MTIME))


def downloads_make(root: Path, *, releases: int = 20, size: int = 4096, seed: int = 1) -> Downloads:
    """`releases` releases, cycling through: an episode, a season pack of three with a
    subtitle, an anime episode, and a film with subtitles, a sample, an .nfo and a
    featurette; plus one file still growing and one partial download."""
    if releases > MAX_RELEASES:
        raise ValueError(f"At most {MAX_RELEASES} releases have distinct titles.")
    rng = random.Random(seed)
    made = Downloads(root=root)
    titles = iter(
        ".".join(filter(None, (a, b, c))) for c in _THIRD for b in _SECOND for a in _FIRST
    )
    for number in range(releases):
        title = next(titles)
        words = title.replace(".", " ")
        shape = number % 4
        if shape == 0:
            name = f"{title}.S01E{number % 20 + 1:02d}.1080p.WEB-DL.x264-GRP"
            made.importable.append(f"{name}/{name}.mkv")
            made.left.append(f"{name}/{name}.nfo")
        elif shape == 1:
            pack = f"{title}.S02.1080p.BluRay.x264-GRP"
            for episode in (1, 2, 3):
                made.importable.append(
                    f"{pack}/{title}.S02E{episode:02d}.1080p.BluRay.x264-GRP.mkv"
                )
            made.importable.append(f"{pack}/{title}.S02E01.1080p.BluRay.x264-GRP.en.srt")
        elif shape == 2:
            made.importable.append(
                f"[SubsPlease] {words} - {number % 50 + 1:02d} (1080p) [{number:08X}].mkv"
            )
        else:
            name = f"{title}.{1990 + number % 30}.1080p.BluRay.x264-GRP"
            made.importable += [
                f"{name}/{name}.mkv",
                f"{name}/{name}.en.srt",
                f"{name}/{name}.de.forced.srt",
                f"{name}/Featurettes/Making of {words}.mkv",
            ]
            made.left += [f"{name}/Sample/{name}.sample.mkv", f"{name}/{name}.nfo"]
    for relative in made.importable + made.left:
        _write(root, relative, size, rng)
    made.growing = ["Juniper.Road.S01E05.720p.HDTV.x264-GRP.mkv", "Juniper.Road.S01E06.mkv.part"]
    for relative in made.growing:
        _write(root, relative, size, rng, settled=relative.endswith(".part"))
    return made
