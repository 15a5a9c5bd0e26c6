"""A downloads folder as torrent and Usenet clients leave it, and what an import must
make of each file, written from Plex's naming rules and from how releases are named,
not from this project's recogniser.

What Plex reads (support.plex.tv: "Naming and organizing your TV show files",
"... your Movie files", "Local files for trailers and extras", "Adding local
subtitles to your media"):

- TV: `Show (Year)/Season 02/… s02e05 ….ext` (the year is optional; the show comes
  from the folder; season 0 is `Season 00` or `Specials`; `s02e09-e10` for a file
  holding two episodes; date-based shows carry `2024-03-05` in the name).
- Anime in absolute order: season 1, `s01e1071`.
- Movies: `Title (Year)/Title (Year).ext`, or a loose `Title (Year).ext`; ` - label`,
  `[…]` and `{edition-…}` may follow.
- Extras: in the movie's folder, under `Behind The Scenes`, `Deleted Scenes`,
  `Featurettes`, `Interviews`, `Scenes`, `Shorts`, `Trailers` or `Other`, or named
  `…-trailer`, `…-featurette` and so on.
- Subtitles: beside the video, `<video name>.<language code>[.forced|.sdh].srt`.

Each Row is one file in the downloads folder: where it must go (a library and the
media it holds), or why it stays in the inbox (a sample, junk, a partial download,
a file still being written, a video nobody could name).
"""

from __future__ import annotations

import hashlib
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

TV = "tv"
MOVIES = "movies"
ANIME = "anime"

SAMPLE = "sample"
JUNK = "junk"
PARTIAL = "partial"
GROWING = "growing"
UNKNOWN = "unknown"

# The codes Plex reads for each language a release's subtitles are in.
LANGUAGES: dict[str, frozenset[str]] = {
    "en": frozenset({"en", "eng"}),
    "es": frozenset({"es", "spa"}),
    "fr": frozenset({"fr", "fre", "fra"}),
    "de": frozenset({"de", "ger", "deu"}),
    "it": frozenset({"it", "ita"}),
    "nl": frozenset({"nl", "dut", "nld"}),
    "pt-br": frozenset({"pt-br", "pt", "por", "pob"}),
}
# Plex's extra types, by folder and by name suffix.
EXTRA_FOLDERS = {
    "behind the scenes": "behindthescenes",
    "deleted scenes": "deleted",
    "featurettes": "featurette",
    "interviews": "interview",
    "scenes": "scene",
    "shorts": "short",
    "trailers": "trailer",
    "other": "other",
}
ANY_EXTRA = frozenset(EXTRA_FOLDERS.values())


@dataclass(frozen=True)
class Episode:
    title: str
    season: int
    episodes: tuple[int, ...]
    year: int | None = None
    # A date-based show's air date, YYYY-MM-DD (season is then the year).
    date: str = ""


@dataclass(frozen=True)
class Movie:
    title: str
    year: int


@dataclass(frozen=True)
class Row:
    path: str  # relative to the downloads folder
    size: int
    library: str = ""  # TV, MOVIES or ANIME; empty: stays in the inbox
    stays: str = ""  # why it stays (SAMPLE, JUNK, PARTIAL, GROWING, UNKNOWN)
    media: Episode | Movie | None = None
    # A subtitle or extra: the downloads path of the video it belongs with.
    follows: str = ""
    # A subtitle: its language (a LANGUAGES key), empty when the release says none.
    language: str = ""
    flags: frozenset[str] = frozenset()  # "forced", "sdh"
    # An extra: the Plex extra types it may be filed as.
    extra: frozenset[str] = frozenset()
    subtitle: bool = False
    # A film split over files: its part number (Plex: ` - cd1`, ` - pt2`…).
    part: int = 0


@dataclass
class _Tree:
    rng: random.Random
    rows: list[Row] = field(default_factory=list)

    def size(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def video(self, path: str, library: str, media: Episode | Movie, part: int = 0) -> str:
        self.rows.append(
            Row(path, self.size(48_000, 128_000), library=library, media=media, part=part)
        )
        return path

    def sub(self, path: str, video: str, language: str = "", *flags: str) -> None:
        owner = next(row for row in self.rows if row.path == video)
        self.rows.append(
            Row(
                path,
                self.size(1_000, 4_000),
                library=owner.library,
                media=owner.media,
                follows=video,
                language=language,
                flags=frozenset(flags),
                subtitle=True,
            )
        )

    def extra(self, path: str, video: str, types: frozenset[str]) -> None:
        owner = next(row for row in self.rows if row.path == video)
        self.rows.append(
            Row(
                path,
                self.size(20_000, 40_000),
                library=owner.library,
                media=owner.media,
                follows=video,
                extra=types,
            )
        )

    def stays(self, path: str, why: str) -> None:
        low, high = {SAMPLE: (4_000, 12_000), PARTIAL: (30_000, 60_000)}.get(why, (200, 2_000))
        if why in {GROWING, UNKNOWN}:
            low, high = 48_000, 128_000
        self.rows.append(Row(path, self.size(low, high), stays=why))

    def hash8(self) -> str:
        return f"{self.rng.getrandbits(32):08X}"


GROUPS = ("NTb", "FLUX", "CAKES", "KiNGS", "SVA", "TEPES", "GGEZ", "ETHEL", "NOGRP", "SMURF")

SHOWS: tuple[tuple[str, str, int | None], ...] = (
    # (title, as releases write it, year when releases carry one)
    ("Breaking Bad", "Breaking.Bad", None),
    ("Doctor Who", "Doctor.Who.2005", 2005),
    ("Grey's Anatomy", "Greys.Anatomy", None),
    ("The Office (US)", "The.Office.US", None),
    ("Marvel's Agents of S.H.I.E.L.D.", "Marvels.Agents.of.S.H.I.E.L.D", None),
    ("Better Call Saul", "Better.Call.Saul", None),
    ("The Expanse", "The.Expanse", None),
    ("Battlestar Galactica", "Battlestar.Galactica.2003", 2003),
    ("Stranger Things", "Stranger.Things", None),
    ("The Mandalorian", "The.Mandalorian", None),
    ("Severance", "Severance", None),
    ("The Bear", "The.Bear", None),
    ("House of the Dragon", "House.of.the.Dragon", None),
    ("Slow Horses", "Slow.Horses", None),
    ("Ted Lasso", "Ted.Lasso", None),
    ("Shogun", "Shogun.2024", 2024),
    ("Fargo", "Fargo", None),
    ("Succession", "Succession", None),
    ("The Last of Us", "The.Last.of.Us", None),
    ("Only Murders in the Building", "Only.Murders.in.the.Building", None),
    ("Mr. Robot", "Mr.Robot", None),
    ("Star Trek: Strange New Worlds", "Star.Trek.Strange.New.Worlds", None),
    ("Law and Order SVU", "Law.and.Order.SVU", None),
    ("Top Gear", "Top.Gear", None),
    ("9-1-1", "9-1-1", None),
)
PACK_SHOWS: tuple[tuple[str, str, int | None], ...] = (
    ("The Wire", "The.Wire", None),
    ("The Sopranos", "The.Sopranos", None),
    ("Dark", "Dark", None),
    ("Chernobyl", "Chernobyl", None),
    ("Mad Men", "Mad.Men", None),
    ("Twin Peaks", "Twin.Peaks", None),
    ("Battlestar Galactica", "Battlestar.Galactica.2003", 2003),
    ("The Crown", "The.Crown", None),
    ("Andor", "Andor", None),
    ("Reservation Dogs", "Reservation.Dogs", None),
)
EPISODE_TITLES = ("Pilot", "The.Beginning", "Cats.in.the.Cradle", "Home", "Crossroads")
DAILY = (
    ("The Late Show with Stephen Colbert", "The.Late.Show.with.Stephen.Colbert"),
    ("The Daily Show", "The.Daily.Show"),
    ("Jimmy Kimmel Live", "Jimmy.Kimmel.Live"),
)
ANIME_TITLES: tuple[tuple[str, int], ...] = (
    # (title as fansub groups write it, first absolute episode of the rows made)
    ("Sousou no Frieren", 1),
    ("Jujutsu Kaisen", 1),
    ("Chainsaw Man", 1),
    ("Kusuriya no Hitorigoto", 1),
    ("Dandadan", 1),
    ("Bocchi the Rock!", 1),
    ("Blue Lock", 1),
    ("Vinland Saga", 1),
    ("Dungeon Meshi", 1),
    ("One Piece", 1071),
    ("Detective Conan", 1120),
    ("Boruto - Naruto Next Generations", 280),
    ("Yofukashi no Uta", 1),
    ("Kaguya-sama wa Kokurasetai", 1),
    ("Tensei shitara Slime Datta Ken", 1),
)
ANIME_SEASONS = ("Mushoku Tensei", "Oshi no Ko", "Spy x Family")
ANIME_BATCHES: tuple[tuple[str, int | None], ...] = (
    ("Cowboy Bebop", 1998),
    ("Made in Abyss", None),
    ("Violet Evergarden", 2018),
    ("Neon Genesis Evangelion", None),
)
MOVIE_TITLES: tuple[tuple[str, str, int], ...] = (
    ("The Matrix", "The.Matrix", 1999),
    ("Blade Runner 2049", "Blade.Runner.2049", 2017),
    ("2001: A Space Odyssey", "2001.A.Space.Odyssey", 1968),
    ("1917", "1917", 2019),
    ("Amélie", "Amelie", 2001),
    ("Spider-Man: Into the Spider-Verse", "Spider-Man.Into.the.Spider-Verse", 2018),
    ("Star Wars: Episode IV - A New Hope", "Star.Wars.Episode.IV.A.New.Hope", 1977),
    ("Mission: Impossible - Fallout", "Mission.Impossible.Fallout", 2018),
    ("Dune: Part Two", "Dune.Part.Two", 2024),
    ("The Godfather Part II", "The.Godfather.Part.II", 1974),
    ("Kill Bill: Vol. 1", "Kill.Bill.Vol.1", 2003),
    ("Toy Story 4", "Toy.Story.4", 2019),
    ("Ocean's Eleven", "Oceans.Eleven", 2001),
    ("Mad Max: Fury Road", "Mad.Max.Fury.Road", 2015),
    (
        "The Lord of the Rings: The Fellowship of the Ring",
        "The.Lord.of.the.Rings.The.Fellowship.of.the.Ring",
        2001,
    ),
    ("Up", "Up", 2009),
    ("Her", "Her", 2013),
    ("Us", "Us", 2019),
    ("It", "It", 2017),
    ("Terminator 2: Judgment Day", "Terminator.2.Judgment.Day", 1991),
    ("Leon: The Professional", "Leon.The.Professional", 1994),
    ("Paddington 2", "Paddington.2", 2017),
    ("Se7en", "Se7en", 1995),
    ("Inception", "Inception", 2010),
    ("Parasite", "Parasite", 2019),
    ("Arrival", "Arrival", 2016),
    ("Heat", "Heat", 1995),
    ("Alien", "Alien", 1979),
    ("Aliens", "Aliens", 1986),
    ("Dune", "Dune", 2021),
    ("Oppenheimer", "Oppenheimer", 2023),
    ("The Godfather", "The.Godfather", 1972),
    ("Back to the Future", "Back.to.the.Future", 1985),
    ("Jurassic Park", "Jurassic.Park", 1993),
    ("Pulp Fiction", "Pulp.Fiction", 1994),
    ("Fight Club", "Fight.Club", 1999),
    ("Interstellar", "Interstellar", 2014),
    ("The Dark Knight", "The.Dark.Knight", 2008),
    ("Gladiator", "Gladiator", 2000),
    ("Joker", "Joker", 2019),
    ("Tenet", "Tenet", 2020),
    ("Edge of Tomorrow", "Edge.of.Tomorrow", 2014),
    ("Get Out", "Get.Out", 2017),
    ("Knives Out", "Knives.Out", 2019),
    ("Everything Everywhere All at Once", "Everything.Everywhere.All.at.Once", 2022),
    ("Top Gun: Maverick", "Top.Gun.Maverick", 2022),
    ("No Time to Die", "No.Time.to.Die", 2021),
    ("Whiplash", "Whiplash", 2014),
    ("La La Land", "La.La.Land", 2016),
    ("The Social Network", "The.Social.Network", 2010),
    ("Prisoners", "Prisoners", 2013),
    ("Sicario", "Sicario", 2015),
    ("Hereditary", "Hereditary", 2018),
    ("The Thing", "The.Thing", 1982),
    ("RoboCop", "RoboCop", 1987),
)


def _spaced(dotted: str) -> str:
    return dotted.replace(".", " ")


def _single_episodes(tree: _Tree) -> None:
    """75 single-episode releases, in the styles scene, P2P and web groups use."""
    for i in range(75):
        title, dotted, year = SHOWS[i % len(SHOWS)]
        season, episode = 1 + i // len(SHOWS), 1 + (i * 7) % 12
        group = GROUPS[i % len(GROUPS)]
        media = Episode(title, season, (episode,), year)
        code = f"S{season:02}E{episode:02}"
        style = i % 8
        if style == 0:
            name = f"{dotted}.{code}.1080p.WEB.H264-{group}"
            video = tree.video(f"{name}/{name.lower()}.mkv", TV, media)
            tree.stays(f"{name}/Sample/{name.lower()}-sample.mkv", SAMPLE)
            tree.stays(f"{name}/{name.lower()}.nfo", JUNK)
        elif style == 1:
            title_words = EPISODE_TITLES[i % len(EPISODE_TITLES)]
            name = f"{dotted}.{code}.{title_words}.720p.HDTV.x264-{group}"
            video = tree.video(f"{name}/{name}.mkv", TV, media)
            tree.sub(f"{name}/{name}.en.srt", video, "en")
            tree.stays(f"{name}/{name}.nfo", JUNK)
        elif style == 2:
            name = f"{_spaced(dotted)} {code} 1080p WEB-DL DDP5 1 H 264-{group}"
            video = tree.video(f"{name}/{name}.mkv", TV, media)
            tree.sub(f"{name}/{name}.eng.srt", video, "en")
            tree.sub(f"{name}/{name}.spa.srt", video, "es")
        elif style == 3:
            name = f"{dotted}.{code}.720p.hdtv.x264-{group}".lower()
            video = tree.video(f"{name}/{name}.mkv", TV, media)
            tree.stays(f"{name}/{name}.sample.mkv", SAMPLE)
            tree.sub(f"{name}/Subs/English.srt", video, "en")
            tree.stays(f"{name}/Torrent Downloaded From www.example.url", JUNK)
        elif style == 4:
            name = f"{dotted}.{code}.2160p.AMZN.WEB-DL.DDP5.1.HDR.HEVC-{group}"
            video = tree.video(f"{name}/{name}.mkv", TV, media)
            tree.sub(f"{name}/{name}.en.forced.srt", video, "en", "forced")
            tree.sub(f"{name}/{name}.en.sdh.srt", video, "en", "sdh")
            tree.stays(f"{name}/Screens/screen01.jpg", JUNK)
        elif style == 5:
            # Old scene style, season x episode, XviD in an .avi.
            name = f"{dotted}.{season}x{episode:02}.HDTV.XviD-{group}"
            tree.video(f"{name}.avi", TV, media)
        elif style == 6:
            # Two episodes in one file.
            media = Episode(title, season, (episode, episode + 1), year)
            name = f"{dotted}.{code}E{episode + 1:02}.1080p.BluRay.x264-{group}"
            video = tree.video(f"{name}/{name}.mkv", TV, media)
            tree.sub(f"{name}/{name}.fr.srt", video, "fr")
        else:
            # A loose file straight in the downloads folder, an .mp4 with a loose subtitle.
            name = f"{dotted}.{code}.1080p.WEB.h264-{group}"
            video = tree.video(f"{name}.mp4", TV, media)
            tree.sub(f"{name}.de.srt", video, "de")


def _season_packs(tree: _Tree) -> None:
    for j, (title, dotted, year) in enumerate(PACK_SHOWS):
        season = 1 + j % 3
        group = GROUPS[j % len(GROUPS)]
        pack = f"{dotted}.S{season:02}.1080p.BluRay.x264-{group}"
        count = 6 + j % 3
        tree.stays(f"{pack}/{pack}.nfo", JUNK)
        if j % 2 == 0:
            tree.stays(f"{pack}/Sample/{dotted.lower()}.s{season:02}e01.sample.mkv", SAMPLE)
        for episode in range(1, count + 1):
            name = f"{dotted}.S{season:02}E{episode:02}.1080p.BluRay.x264-{group}"
            if j == 3 and episode == count:
                tree.stays(f"{pack}/{name}.mkv.part", PARTIAL)  # still downloading
                continue
            if j == 5 and episode == count - 1:
                # The last two episodes of the season in one file.
                multi = f"{dotted}.S{season:02}E{episode:02}-E{episode + 1:02}.1080p.BluRay.x264-{group}"
                tree.video(
                    f"{pack}/{multi}.mkv", TV, Episode(title, season, (episode, episode + 1), year)
                )
                break
            video = tree.video(f"{pack}/{name}.mkv", TV, Episode(title, season, (episode,), year))
            if j % 3 == 0:
                tree.sub(f"{pack}/{name}.en.srt", video, "en")
            elif j % 3 == 1:
                # The way RARBG packed subtitles: a folder per episode, numbered tracks.
                tree.sub(f"{pack}/Subs/{name}/2_English.srt", video, "en")
                tree.sub(f"{pack}/Subs/{name}/3_Dutch.srt", video, "nl")
    # A complete series, one folder per season.
    series = "Fleabag.COMPLETE.SERIES.720p.AMZN.WEBRip.x264-GalaxyTV"
    for season in (1, 2):
        for episode in (1, 2, 3):
            name = f"Fleabag.S{season:02}E{episode:02}.720p.AMZN.WEBRip.x264-GalaxyTV"
            tree.video(
                f"{series}/Season {season}/{name}.mkv", TV, Episode("Fleabag", season, (episode,))
            )
    tree.stays(f"{series}/[TGx]Downloaded from torrentgalaxy.to .txt", JUNK)


def _specials_and_daily(tree: _Tree) -> None:
    for k, (title, dotted, year) in enumerate(SHOWS[:2]):
        name = f"{dotted}.S00E{k + 1:02}.Christmas.Special.1080p.WEB-DL.AAC2.0.H.264-{GROUPS[k]}"
        tree.video(f"{name}/{name}.mkv", TV, Episode(title, 0, (k + 1,), year))
    for k, (title, dotted) in enumerate(DAILY):
        day = f"2024-03-{5 + k:02}"
        name = f"{dotted}.{day.replace('-', '.')}.Guest.Name.1080p.WEB.h264-{GROUPS[k + 3]}"
        tree.video(f"{name}/{name}.mkv", TV, Episode(title, 2024, (), date=day))


def _anime(tree: _Tree) -> None:
    styles = (
        "[SubsPlease] {t} - {e:02} (1080p) [{h}].mkv",
        "[Erai-raws] {t} - {e:02} [1080p][Multiple Subtitle][{h}].mkv",
        "[HorribleSubs] {t} - {e:02} [720p].mkv",
    )
    for i in range(45):
        title, first = ANIME_TITLES[i % len(ANIME_TITLES)]
        episode = first + i // len(ANIME_TITLES)
        if first > 1:
            pattern = "[ASW] {t} - {e:03} [1080p HEVC][{h}].mkv"
        else:
            pattern = styles[i % len(styles)]
        name = pattern.format(t=title, e=episode, h=tree.hash8())
        video = tree.video(name, ANIME, Episode(title, 1, (episode,)))
        if i % 9 == 4:
            tree.sub(name.removesuffix(".mkv") + ".eng.ass", video, "en")
    for k, title in enumerate(ANIME_SEASONS):
        for episode in (5, 6):
            name = f"[SubsPlease] {title} S2 - {episode:02} (1080p) [{tree.hash8()}].mkv"
            tree.video(name, ANIME, Episode(title, 2, (episode,)))
        name = f"[Judas] {title} - S03E0{k + 1} [1080p][HEVC x265 10bit][Multi-Subs].mkv"
        tree.video(name, ANIME, Episode(title, 3, (k + 1,)))
    # BD batches: a folder, the episodes, sometimes subtitles beside them.
    for k, (title, year) in enumerate(ANIME_BATCHES):
        shown = f"{title} ({year})" if year else title
        folder = f"[EMBER] {shown} (Season 1) [BDRip] [1080p Dual Audio HEVC 10 bits DDP]"
        for episode in range(1, 5):
            name = f"[EMBER] {title} - {episode:02} [BD 1080p]"
            video = tree.video(f"{folder}/{name}.mkv", ANIME, Episode(title, 1, (episode,), year))
            if k % 2 == 0:
                tree.sub(f"{folder}/{name}.en.ass", video, "en")
        tree.stays(f"{folder}/cover.jpg", JUNK)


def _movies(tree: _Tree) -> None:
    for i, (title, dotted, year) in enumerate(MOVIE_TITLES):
        media = Movie(title, year)
        group = GROUPS[i % len(GROUPS)]
        style = i % 7
        if style == 0:
            name = f"{dotted}.{year}.1080p.BluRay.x264-{group}"
            video = tree.video(f"{name}/{name}.mkv", MOVIES, media)
            tree.stays(f"{name}/Sample/{name}.sample.mkv", SAMPLE)
            tree.stays(f"{name}/{name}.nfo", JUNK)
            tree.sub(f"{name}/Subs/2_English.srt", video, "en")
            tree.sub(f"{name}/Subs/3_Spanish.srt", video, "es")
            tree.sub(f"{name}/Subs/4_French.srt", video, "fr")
            tree.stays(f"{name}/RARBG.txt", JUNK)
            tree.stays(f"{name}/RARBG_DO_NOT_MIRROR.exe", JUNK)
        elif style == 1:
            name = f"{_spaced(dotted)} ({year}) [1080p] [BluRay] [5.1] [YTS.MX]"
            video = tree.video(f"{name}/{name}.mp4", MOVIES, media)
            tree.sub(
                f"{name}/{dotted}.{year}.1080p.BluRay.x264.AAC5.1-[YTS.MX].en.srt", video, "en"
            )
            tree.stays(f"{name}/www.YTS.MX.jpg", JUNK)
            tree.stays(f"{name}/YTS.MX.txt", JUNK)
        elif style == 2:
            name = f"{dotted}.{year}.2160p.UHD.BluRay.REMUX.HDR.HEVC.Atmos-{group}"
            video = tree.video(f"{name}/{name}.mkv", MOVIES, media)
            tree.sub(f"{name}/{name}.en.forced.srt", video, "en", "forced")
            tree.sub(f"{name}/{name}.en.sdh.srt", video, "en", "sdh")
            tree.sub(f"{name}/{name}.de.srt", video, "de")
        elif style == 3:
            name = f"{dotted}.{year}.720p.WEBRip.x264-{group}"
            video = tree.video(f"{name}.mkv", MOVIES, media)
            tree.sub(f"{name}.en.srt", video, "en")
        elif style == 4:
            # A release with extras, in Plex's folders and in its own.
            name = f"{dotted}.{year}.1080p.BluRay.x264-{group}"
            video = tree.video(f"{name}/{name}.mkv", MOVIES, media)
            tree.extra(f"{name}/Featurettes/Making.Of.mkv", video, frozenset({"featurette"}))
            tree.extra(f"{name}/Trailers/Official.Trailer.mkv", video, frozenset({"trailer"}))
            tree.extra(f"{name}/Extras/Deleted.Scenes.mkv", video, ANY_EXTRA)
            tree.extra(
                f"{name}/Behind The Scenes/On.Set.mkv", video, frozenset({"behindthescenes"})
            )
            tree.stays(f"{name}/Sample/sample-{name.lower()}.mkv", SAMPLE)
        elif style == 5:
            name = f"{dotted}.{year}.Directors.Cut.1080p.BluRay.DTS.x264-{group}"
            video = tree.video(f"{name}/{name}.mkv", MOVIES, media)
            tree.sub(f"{name}/{name}.it.srt", video, "it")
            tree.sub(f"{name}/{name}.pt-BR.srt", video, "pt-br")
        else:
            name = f"{_spaced(dotted)} ({year}) 1080p BluRay x265 10bit-{group}"
            video = tree.video(f"{name}/{name}.mkv", MOVIES, media)
            tree.sub(f"{name}/{name}.srt", video)
            tree.extra(f"{name}/trailer.mkv", video, frozenset({"trailer"}))
            tree.stays(f"{name}/Visit Site.url", JUNK)


def _old_releases(tree: _Tree) -> None:
    """DVD rips split over two discs, and fansub v2 re-releases."""
    for title, dotted, year in (
        ("The Big Lebowski", "The.Big.Lebowski", 1998),
        ("Fargo", "Fargo", 1996),
    ):
        name = f"{dotted}.{year}.DVDRip.XviD-DiAMOND"
        for part in (1, 2):
            tree.video(f"{name}/{name}.CD{part}.avi", MOVIES, Movie(title, year), part=part)
        tree.stays(f"{name}/{name.lower()}.nfo", JUNK)
    for title, episode in (("Sousou no Frieren", 12), ("Chainsaw Man", 9), ("Blue Lock", 11)):
        name = f"[SubsPlease] {title} - {episode:02}v2 (1080p) [{tree.hash8()}].mkv"
        tree.video(name, ANIME, Episode(title, 1, (episode,)))


def _unfinished_and_unknown(tree: _Tree) -> None:
    tree.stays("Severance.S02E10.1080p.ATVP.WEB-DL.DDP5.1.H.264-NTb.mkv.part", PARTIAL)
    folder = "Slow.Horses.S04E06.1080p.ATVP.WEB-DL.DDP5.1.H.264-FLUX"
    tree.stays(f"{folder}/{folder}.mkv.!qB", PARTIAL)
    tree.stays(f"{folder}/{folder}.nfo", JUNK)
    tree.stays("Wicked.2024.1080p.WEBRip.x264.AAC-LAMA.mp4.crdownload", PARTIAL)
    folder = "Furiosa.A.Mad.Max.Saga.2024.1080p.WEB-DL.DDP5.1.Atmos.H.264-FLUX"
    tree.stays(f"{folder}/{folder}.mkv.!qB", PARTIAL)
    tree.stays("[SubsPlease] Dandadan - 12 (1080p) [8F1C2B3A].mkv.part", PARTIAL)
    folder = "Nosferatu.2024.2160p.AMZN.WEB-DL.DDP5.1.HDR.H.265-FLUX"
    tree.stays(f"{folder}/{folder}.mkv.crdownload", PARTIAL)
    # A finished name, but the client is still writing it.
    folder = "Gladiator.II.2024.1080p.WEB-DL.DDP5.1.H.264-FLUX"
    tree.stays(f"{folder}/{folder}.mkv", GROWING)
    tree.stays("IMG_2041.MOV", UNKNOWN)
    tree.stays("VID_20230714_181502.mp4", UNKNOWN)
    tree.stays("Thumbs.db", JUNK)


def downloads_rows() -> list[Row]:
    """Every file of the downloads folder (about 200 releases), the same on every call."""
    tree = _Tree(random.Random(16))
    _single_episodes(tree)
    _season_packs(tree)
    _specials_and_daily(tree)
    _anime(tree)
    _movies(tree)
    _old_releases(tree)
    _unfinished_and_unknown(tree)
    paths = [row.path for row in tree.rows]
    assert len(paths) == len(set(paths)), "two rows share a path"
    return tree.rows


def releases(rows: list[Row]) -> int:
    """How many releases: top-level folders and loose files."""
    return len({row.path.split("/", 1)[0] for row in rows})


def content(row: Row) -> bytes:
    """Bytes unique to the row (so a file found in a library says which row it was)."""
    seed = hashlib.sha256(row.path.encode()).digest()
    body = random.Random(seed).randbytes(row.size)
    return seed + body


def downloads_write(root: Path, rows: list[Row], *, finished_age: float = 7200) -> None:
    """Write every row under root; finished files were last written `finished_age`
    seconds ago, a GROWING one just now."""
    old = time.time() - finished_age
    for row in rows:
        path = root / row.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content(row))
        if row.stays != GROWING:
            os.utime(path, (old, old))
