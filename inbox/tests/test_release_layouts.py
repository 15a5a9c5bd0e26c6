"""Release layouts an import must read as a scan of a Plex library would: where each
file of a real downloads folder lands (real files, real libraries)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from inbox.models import InboxFolder
from inbox.services.inbox_import import inbox_import
from inbox.tests.downloads import SETTLED_MTIME
from library.models import Library


@pytest.fixture
def inbox(db, tmp_path) -> InboxFolder:
    for name in ("tv", "movies", "downloads"):
        (tmp_path / name).mkdir()
    return InboxFolder.objects.create(
        name="Downloads",
        path=str(tmp_path / "downloads"),
        mode="hardlink",
        tv_library=Library.objects.create(name="TV", root_path=str(tmp_path / "tv"), kind="tv"),
        movie_library=Library.objects.create(
            name="Movies", root_path=str(tmp_path / "movies"), kind="movies"
        ),
    )


def downloaded(inbox: InboxFolder, names: list[str]) -> None:
    for name in names:
        path = Path(inbox.path) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(name.encode())
        os.utime(path, (SETTLED_MTIME, SETTLED_MTIME))


def landed(library: Library | None) -> dict[str, str]:
    """Every file of the library: relative path -> what it holds (the download's name)."""
    assert library is not None
    found = {}
    for folder, _, files in os.walk(library.root_path):
        for name in files:
            path = os.path.join(folder, name)
            found[os.path.relpath(path, library.root_path)] = Path(path).read_text()
    return found


def test_a_season_packs_subs_folder_per_episode_follows_each_episode(inbox):
    pack = "The.Sopranos.S02.1080p.BluRay.x264-FLUX"
    episodes = [f"The.Sopranos.S02E0{n}.1080p.BluRay.x264-FLUX" for n in (1, 2)]
    downloaded(
        inbox,
        [f"{pack}/{e}.mkv" for e in episodes]
        + [f"{pack}/Subs/{e}/{track}.srt" for e in episodes for track in ("2_English", "3_Dutch")]
        # A folder under Subs/ that names no video of the release: its subtitle stays.
        + [f"{pack}/Subs/The.Sopranos.S02E09.1080p.BluRay.x264-FLUX/2_English.srt"],
    )
    result = inbox_import(inbox=inbox)
    show = "The Sopranos/Season 02/The Sopranos"
    assert landed(inbox.tv_library) == {
        f"{show} - s02e01.mkv": f"{pack}/{episodes[0]}.mkv",
        f"{show} - s02e01.en.srt": f"{pack}/Subs/{episodes[0]}/2_English.srt",
        f"{show} - s02e01.nl.srt": f"{pack}/Subs/{episodes[0]}/3_Dutch.srt",
        f"{show} - s02e02.mkv": f"{pack}/{episodes[1]}.mkv",
        f"{show} - s02e02.en.srt": f"{pack}/Subs/{episodes[1]}/2_English.srt",
        f"{show} - s02e02.nl.srt": f"{pack}/Subs/{episodes[1]}/3_Dutch.srt",
    }
    (left,) = result.plan.left()
    assert left.plan.source.endswith("S02E09.1080p.BluRay.x264-FLUX/2_English.srt")
    assert left.plan.detail == "A subtitle without a matching video."


def test_a_trailer_named_trailer_follows_its_film_into_trailers(inbox):
    release = "Alien (1979) 1080p BluRay x265 10bit-ETHEL"
    downloaded(
        inbox,
        [
            f"{release}/{release}.mkv",
            f"{release}/{release}.srt",
            f"{release}/trailer.mkv",
            # A trailer in a folder with no film: it stays.
            "Loose/trailer.mkv",
        ],
    )
    result = inbox_import(inbox=inbox)
    assert landed(inbox.movie_library) == {
        "Alien (1979)/Alien (1979).mkv": f"{release}/{release}.mkv",
        "Alien (1979)/Alien (1979).srt": f"{release}/{release}.srt",
        "Alien (1979)/Trailers/trailer.mkv": f"{release}/trailer.mkv",
    }
    (left,) = result.plan.left()
    assert left.plan.source.endswith("Loose/trailer.mkv")
    assert left.plan.detail == "A trailer with no film or show in its folder: it stays."


def test_an_anime_batchs_folder_gives_its_show_the_year(inbox):
    batch = "[EMBER] Cowboy Bebop (1998) (Season 1) [BDRip] [1080p Dual Audio HEVC 10 bits DDP]"
    downloaded(inbox, [f"{batch}/[EMBER] Cowboy Bebop - 0{n} [BD 1080p].mkv" for n in (1, 2)])
    inbox_import(inbox=inbox)
    assert landed(inbox.tv_library) == {
        f"Cowboy Bebop (1998)/Season 01/Cowboy Bebop (1998) - s01e0{n}.mkv": (
            f"{batch}/[EMBER] Cowboy Bebop - 0{n} [BD 1080p].mkv"
        )
        for n in (1, 2)
    }
