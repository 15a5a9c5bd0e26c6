# Full-width and look-alike characters are the point of these names.
# ruff: noqa: RUF001
"""A third hand-curated Plex library: years of curation on a NAS, synced from macOS and Windows.

Every path is written exactly as it lies on disk: names that macOS wrote are
in decomposed Unicode (NFD: `e` + a combining accent, `カ` + a combining
dakuten), sometimes beside composed (NFC) names in the same folder. Beside the
media lie what NAS and desktop systems leave behind (`@eaDir`, `#recycle`,
AppleDouble `._` files, `.DS_Store`, `Thumbs.db`, `desktop.ini`), Plex's
local assets (posters, fanart, theme music, .nfo), incomplete downloads,
samples and a `.plexignore`.

What each row expects (the Plex rule is in `why`):

- `STAYS`: already Plex-correct; planned as already correct.
- `EXTRA`: a Plex local extra (an extras folder or a `-trailer` suffix); read
  as an extra and left where it is.
- `JUNK`: not media to Plex; never renamed or moved, and never in the way of
  a media file (a non-media file is not planned at all).
- `Target(path)`: renamed to exactly this path (a title typed all in lower
  case, or several words all in capitals, is recased on purpose).
- `MayMove(paths)`: stays, or moves to one of these paths.
- `Keeps(texts)`: stays, or moves to a path that still holds every text.

Plex's rules cited: Naming and organizing your movie media files (flat files or
one folder per movie; `{tmdb-…}`/`{imdb-…}` in the folder or file name; split
parts `cdX`, `discX`, `diskX`, `dvdX`, `partX`, `ptX`, up to 8), Multiple
editions (`{edition-…}` in the file name), Multi-version movies (`Movie (Year)
- 1080p`), Local files for trailers and extras (folders `Behind The Scenes`,
`Deleted Scenes`, `Featurettes`, `Interviews`, `Scenes`, `Shorts`, `Trailers`,
`Other`, or `-trailer`-style suffixes), Naming and organizing your TV show files
(`Season 01` or `Season 1`, `Specials` or `Season 00`, `s01e01-e02`, optional
info after the episode number), Adding local subtitles (`Name.en.srt`,
`.forced`, `.sdh`), Plex's scanner ignoring sample files and folders, hidden
files and `@eaDir`, and `.plexignore`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


def nfd(text: str) -> str:
    """As macOS writes a name: decomposed."""
    return unicodedata.normalize("NFD", text)


@dataclass(frozen=True)
class Stays:
    pass


@dataclass(frozen=True)
class Extra:
    pass


@dataclass(frozen=True)
class Junk:
    pass


@dataclass(frozen=True)
class Target:
    path: str


@dataclass(frozen=True)
class MayMove:
    paths: tuple[str, ...]


@dataclass(frozen=True)
class Keeps:
    texts: tuple[str, ...]


Expect = Stays | Extra | Junk | Target | MayMove | Keeps

STAYS = Stays()
EXTRA = Extra()
JUNK = Junk()

# Library name -> (folder under the test's root, Library.kind).
LIBRARIES: dict[str, tuple[str, str]] = {
    "movies": ("Movies", "movies"),
    "tv": ("TV Shows", "tv"),
    "anime": ("Anime", "anime"),
}


@dataclass(frozen=True)
class Row:
    library: str
    path: str  # relative to the library's folder, exactly as on disk
    expect: Expect
    why: str
    # The file's bytes; None: small content unique to the row.
    content: bytes | None = None


def _rows(library: str, *entries: tuple[str, Expect, str]) -> list[Row]:
    return [Row(library, path, expect, why) for path, expect, why in entries]


FLAT = "Plex movies: a movie may be a single file in a shared folder"
FOLDER = "Plex movies: Movie (Year)/Movie (Year).ext"
SUB = "Plex subtitles: the video's name + language code (+ forced/sdh) + subtitle extension"
NFD_OK = "an NFD name is the same name to Plex and to macOS; a rename would only re-encode it"
PUNCT = "the user's own replacement of a character Windows forbids; Plex reads it as written"
EXTRA_DIR = "Plex local extras: any file in an extras folder is an extra, whatever its name"
EXTRA_SUFFIX = "Plex local extras: Movie (Year)-trailer.ext beside the movie"
SAMPLE = "Plex's scanner skips sample files and Sample folders"
HIDDEN = "a hidden file (AppleDouble, .DS_Store): not media, Plex skips it"
NAS = "NAS metadata (@eaDir, #recycle): not part of the library"
WINDOWS = "Windows Explorer's Thumbs.db / desktop.ini: not media"
ASSET = "Plex local asset (poster, fanart, theme, nfo): not renamed by a media renamer"
PARTIAL = "an incomplete download: not media until it finishes"
RECASE = "a title typed all in lower case or several words in capitals is recased on purpose"
CAPS_WORD = "one word in capitals (or an acronym) is how the title is written: it stays"
TV = "Plex TV: Show (Year)/Season 01/Show (Year) - s01e01 - Title.ext"
TV_SEASON1 = "Plex TV: a `Season 1` folder is as good as `Season 01`"
TV_FLAT = (
    "Plex TV: episodes may lie in the show folder; the project adds the season folder "
    "Plex recommends, so they may move into it"
)
TV_SPECIAL = "Plex TV: specials are s00eYY in `Specials` or `Season 00`"
TV_MULTI = "Plex TV: a multi-episode file is sXXeYY-eZZ"
TV_OPTIONAL = "Plex TV: anything after the episode number is optional info"
ANIME_ABS = "Plex TV (absolute order): every episode in Season 01 as s01eNNN"
TAG_FILE = "Plex reads {edition-…}/{imdb-…} in the file name; the folder need not repeat it"
VERSIONS = "Plex multi-version movies: Movie (Year) - 1080p.ext beside Movie (Year) - 2160p.ext"
PARTS = "Plex split files: Movie (Year) - cd1/pt1/part1.ext, kept as the user wrote the label"
COLLECTION = "Plex movies: any folder nesting above the movie folder is allowed"
IGNORED = "a .plexignore names what Plex never scans"

LONG = (
    "Night of the Day of the Dawn of the Son of the Bride of the Return of the Revenge of the "
    "Terror of the Attack of the Evil, Mutant, Hellbound, Flesh-Eating, Crawling, Alien, "
    "Zombified, Subhumanoid Living Dead - Part 5 (2011)"
)
LONG_FILE = f"{LONG} {{edition-Director's Cut}}"  # its .en.srt is 255 bytes
AMELIE = nfd("Amélie (2001)")
LES_MIS = "Les Misérables (2012)"
PIKACHU = "Pokémon Detective Pikachu (2019)"
STAR_WARS = "Star Wars Collection"
SW4 = "Star Wars - Episode IV - A New Hope (1977)"
SW5 = "Star Wars - Episode V - The Empire Strikes Back (1980)"
THING = "The Thing (1982)"
THING_FILE = "The Thing (1982) {imdb-tt0084787}"
DUNE = "Dune (2021) {tmdb-438631}"
STRANGELOVE = "Dr. Strangelove or - How I Learned to Stop Worrying and Love the Bomb (1964)"
SEPARATION = "جدایی نادر از سیمین (2011)"
DAS_BOOT = "Das Boot (1981) {edition-Director's Cut}"

MOVIES = _rows(
    "movies",
    # One flat folder of movies, with what Windows and macOS leave beside them.
    ("Heat (1995).mkv", STAYS, FLAT),
    ("Heat (1995).en.srt", STAYS, SUB),
    ("Heat (1995)-trailer.mp4", EXTRA, EXTRA_SUFFIX),
    ("Heat (1995).nfo", JUNK, ASSET),
    ("Heat (1995).jpg", JUNK, ASSET),
    ("._Heat (1995).mkv", JUNK, HIDDEN),
    (".DS_Store", JUNK, HIDDEN),
    ("Thumbs.db", JUNK, WINDOWS),
    ("desktop.ini", JUNK, WINDOWS),
    ("Ocean's Eleven (2001).m4v", STAYS, FLAT),
    ("Airplane! (1980).AVI", STAYS, "an upper-case extension is still the same container"),
    ("Crazy, Stupid, Love. (2011).mkv", STAYS, "a title that ends in a dot keeps it"),
    ("Crazy, Stupid, Love. (2011).en.Srt", STAYS, SUB),
    ("100% Wolf (2020).mp4", STAYS, FLAT),
    ("#Alive (2020).mkv", STAYS, "a title may start with #; it is not a NAS folder"),
    ("Romeo + Juliet (1996).mkv", STAYS, FLAT),
    ("Bill & Ted's Excellent Adventure (1989).mkv", STAYS, FLAT),
    ("…And Justice for All (1979).mkv", STAYS, "a title may start with an ellipsis"),
    ("tick, tick... BOOM! (2021).mkv", STAYS, "mixed case as released: not all lower case"),
    ("وجدة (2012).mkv", STAYS, "a right-to-left title"),
    ("وجدة (2012).ar.srt", STAYS, SUB),
    ("The Emoji Movie 😀 (2017).mkv", STAYS, "an emoji the user typed is part of the title"),
    (
        "spirited away (2001).mkv",
        MayMove(("Spirited Away (2001).mkv", "Spirited Away (2001)/Spirited Away (2001).mkv")),
        RECASE,
    ),
    ("Dune Part Two (2024).mkv.!qB", JUNK, PARTIAL),
    ("Oppenheimer (2023).mkv.partial", JUNK, PARTIAL),
    ("@eaDir/Heat (1995).mkv@SynoEAStream", JUNK, NAS),
    ("@eaDir/Heat (1995).mkv/SYNOVIDEO_VIDEO_SCREENSHOT.jpg", JUNK, NAS),
    ("#recycle/Pulp Fiction (1994).mkv", JUNK, NAS),
    ("#recycle/Pulp Fiction (1994).en.srt", JUNK, NAS),
    ("#recycle/desktop.ini", JUNK, NAS),
    # Decomposed names from a Mac, alone and mixed with composed ones.
    (f"{AMELIE}/{AMELIE}.mkv", STAYS, NFD_OK),
    (f"{AMELIE}/{AMELIE}.fr.srt", STAYS, NFD_OK),
    (f"{AMELIE}/poster.jpg", JUNK, ASSET),
    (f"{AMELIE}/fanart.jpg", JUNK, ASSET),
    (f"{AMELIE}/.DS_Store", JUNK, HIDDEN),
    (f"{AMELIE}/._{AMELIE}.mkv", JUNK, HIDDEN),
    (f"{LES_MIS}/{LES_MIS}.mkv", STAYS, FOLDER),
    (f"{LES_MIS}/{nfd(LES_MIS)}.en.srt", STAYS, NFD_OK + " (an NFD sidecar beside NFC names)"),
    (f"{LES_MIS}/{LES_MIS}.fr.srt", STAYS, SUB),
    (f"{nfd(PIKACHU)}/{PIKACHU}.mkv", STAYS, NFD_OK + " (NFD folder, NFC file)"),
    # Collections: folders above the movie folders, or flat files in a collection folder.
    (f"{STAR_WARS}/{SW4}/{SW4}.mkv", STAYS, COLLECTION + "; ':' written as ' -'"),
    (f"{STAR_WARS}/{SW5}/{SW5}.mkv", STAYS, COLLECTION),
    (f"{STAR_WARS}/poster.jpg", JUNK, ASSET),
    (f"{STAR_WARS}/desktop.ini", JUNK, WINDOWS),
    ("Alien Collection/Alien (1979) {edition-Director's Cut}.mkv", STAYS, TAG_FILE),
    ("Alien Collection/Aliens (1986).mkv", STAYS, FLAT),
    ("Alien Collection/Aliens (1986).en.srt", STAYS, SUB),
    ("Alien Collection/.DS_Store", JUNK, HIDDEN),
    # Editions and ids on the file only.
    ("Apocalypse Now (1979)/Apocalypse Now (1979) {edition-Redux}.mkv", STAYS, TAG_FILE),
    ("Apocalypse Now (1979)/Featurettes/Hearts of Darkness.mkv", EXTRA, EXTRA_DIR),
    ("Apocalypse Now (1979)/movie.nfo", JUNK, ASSET),
    (
        "Blade Runner (1982)/Blade Runner (1982) {edition-Final Cut}.mkv",
        Keeps(("{edition-Final Cut}",)),
        "two editions in one folder: Plex reads each edition from its file name",
    ),
    (
        "Blade Runner (1982)/Blade Runner (1982) {edition-Final Cut}.en.srt",
        Keeps(("{edition-Final Cut}", ".en.srt")),
        SUB,
    ),
    (
        "Blade Runner (1982)/Blade Runner (1982) {edition-Theatrical Cut}.mkv",
        Keeps(("{edition-Theatrical Cut}",)),
        "two editions in one folder: Plex reads each edition from its file name",
    ),
    (f"{THING}/{THING_FILE}.mkv", STAYS, TAG_FILE),
    (f"{THING}/{THING_FILE}.en.srt", STAYS, SUB),
    (f"{THING}/Behind The Scenes/Terror Takes Shape.mkv", EXTRA, EXTRA_DIR),
    (f"{THING}/Deleted Scenes/Deleted Scene 1 - Blair Gets Out.mkv", EXTRA, EXTRA_DIR),
    (f"{THING}/Trailers/The Thing (1982).mkv", EXTRA, EXTRA_DIR + " (even the movie's name)"),
    (f"{THING}/Interviews/John Carpenter (2003).mkv", EXTRA, EXTRA_DIR),
    (f"{THING}/Plex Versions/Optimized for TV/{THING_FILE}.mp4", JUNK, "Plex's own copies"),
    (f"{THING}/@eaDir/{THING_FILE}.mkv/SYNOVIDEO_VIDEO_SCREENSHOT.jpg", JUNK, NAS),
    (f"{THING}/@eaDir/{THING_FILE}.mkv@SynoEAStream", JUNK, NAS),
    (f"{THING}/fanart.jpg", JUNK, ASSET),
    # Versions and split files.
    (f"{DUNE}/{DUNE} - 1080p.mkv", STAYS, VERSIONS),
    (f"{DUNE}/{DUNE} - 2160p.mkv", STAYS, VERSIONS),
    (f"{DUNE}/{DUNE} - 2160p.en.sup", STAYS, SUB),
    (f"{DUNE}/Other/Dune (2021) - IMAX Featurette - 1080p.mkv", EXTRA, EXTRA_DIR),
    ("Lawrence of Arabia (1962)/Lawrence of Arabia (1962) - cd1.avi", STAYS, PARTS),
    ("Lawrence of Arabia (1962)/Lawrence of Arabia (1962) - cd2.avi", STAYS, PARTS),
    ("Gone with the Wind (1939)/Gone with the Wind (1939) - pt1.mkv", STAYS, PARTS),
    ("Gone with the Wind (1939)/Gone with the Wind (1939) - pt2.mkv", STAYS, PARTS),
    (f"{DAS_BOOT}/{DAS_BOOT} - part1.mkv", STAYS, PARTS),
    (f"{DAS_BOOT}/{DAS_BOOT} - part2.mkv", STAYS, PARTS),
    (
        "The Godfather Part II (1974)/The Godfather Part II (1974).mkv",
        STAYS,
        "'Part II' is in the title, not a split label",
    ),
    ("Kill Bill - Vol. 1 (2003)/Kill Bill - Vol. 1 (2003).mkv", STAYS, PUNCT),
    # Long, right-to-left, full-width, acronyms, Windows-safe punctuation.
    (f"{LONG}/{LONG_FILE}.mkv", STAYS, "a 252-byte name Plex reads; nothing may be added"),
    (f"{LONG}/{LONG_FILE}.en.srt", STAYS, "a 255-byte subtitle name: the file system's limit"),
    (f"{SEPARATION}/{SEPARATION}.mkv", STAYS, "a right-to-left title in its own folder"),
    (f"{SEPARATION}/{SEPARATION}.fa.srt", STAYS, SUB),
    ("M＊A＊S＊H (1970)/M＊A＊S＊H (1970).mkv", STAYS, PUNCT + " (full-width asterisks)"),
    ("Who Am I？ (1998)/Who Am I？ (1998).mkv", STAYS, PUNCT + " (full-width question mark)"),
    ("WALL·E (2008)/WALL·E (2008).mkv", STAYS, CAPS_WORD),
    ("S.W.A.T. (2003)/S.W.A.T. (2003).mkv", STAYS, CAPS_WORD),
    ("THX 1138 (1971)/THX 1138 (1971).mkv", STAYS, CAPS_WORD),
    ("L.A. Confidential (1997)/L.A. Confidential (1997).m4v", STAYS, CAPS_WORD),
    (f"{STRANGELOVE}/{STRANGELOVE}.ts", STAYS, PUNCT),
    (f"{STRANGELOVE}/{STRANGELOVE}.en.idx", STAYS, SUB + " (an idx/sub pair)"),
    (f"{STRANGELOVE}/{STRANGELOVE}.en.sub", STAYS, SUB + " (an idx/sub pair)"),
    ("Toy Story (1995)/Toy Story (1995).MKV", STAYS, "an upper-case extension"),
    ("Toy Story (1995)/Shorts/Tin Toy (1988).mkv", EXTRA, EXTRA_DIR),
    ("Toy Story (1995)/Toy Story (1995)-featurette.mkv", EXTRA, EXTRA_SUFFIX),
    ("Toy Story (1995)/Sample/toy.story.1995.sample.mkv", JUNK, SAMPLE),
    ("Toy Story (1995)/Toy Story (1995)-sample.mkv", JUNK, SAMPLE),
    # Recased on purpose, with junk that must neither move nor get in the way.
    (
        "pulp fiction (1994)/pulp fiction (1994).mkv",
        Target("Pulp Fiction (1994)/Pulp Fiction (1994).mkv"),
        RECASE,
    ),
    (
        "pulp fiction (1994)/pulp fiction (1994).en.srt",
        Target("Pulp Fiction (1994)/Pulp Fiction (1994).en.srt"),
        RECASE,
    ),
    ("pulp fiction (1994)/sample.mkv", JUNK, SAMPLE),
    ("pulp fiction (1994)/._pulp fiction (1994).mkv", JUNK, HIDDEN),
    ("pulp fiction (1994)/Thumbs.db", JUNK, WINDOWS),
    ("pulp fiction (1994)/desktop.ini", JUNK, WINDOWS),
    ("MAD MAX (1979)/MAD MAX (1979).mkv", Target("Mad Max (1979)/Mad Max (1979).mkv"), RECASE),
    ("MAD MAX (1979)/Sample/mad.max.1979.sample.mkv", JUNK, SAMPLE),
    ("MAD MAX (1979)/poster.jpg", JUNK, ASSET),
)

BB = "Breaking Bad (2008)"
SHIELD = "Marvel's Agents of S.H.I.E.L.D. (2013)"
DW_FOLDER = "Doctor Who (2005) {tmdb-57243}"
DW = "Doctor Who (2005)"
SVU = "Law & Order - Special Victims Unit (1999)"
WHAT_IF = "What If... (2021)"
POKEMON = nfd("Pokémon (1997)")
ELITE = nfd("Élite (2018)")
SHTISEL = "שטיסל (2013)"
OFFICE = "The Office (US) (2005)"
FARGO = "Fargo (2014)"
WIRE = "the wire (2002)"
SAUL = "BETTER CALL SAUL (2015)"

TV_ROWS = _rows(
    "tv",
    (f"{BB}/Season 01/{BB} - s01e01 - Pilot.mkv", STAYS, TV),
    (f"{BB}/Season 01/{BB} - s01e01 - Pilot.en.srt", STAYS, SUB),
    (f"{BB}/Season 01/{BB} - s01e01 - Pilot.es.forced.srt", STAYS, SUB),
    (f"{BB}/Season 01/{BB} - s01e02 - Cat's in the Bag....mkv", STAYS, "a title ending in '...'"),
    (f"{BB}/Season 01/{BB} - s01e03 - ...And the Bag's in the River.mkv", STAYS, TV),
    (f"{BB}/Season 01/._{BB} - s01e01 - Pilot.mkv", JUNK, HIDDEN),
    (f"{BB}/Season 01/.DS_Store", JUNK, HIDDEN),
    (f"{BB}/Season 01/@eaDir/{BB} - s01e01 - Pilot.mkv/SYNOVIDEO_VIDEO_SCREENSHOT.jpg", JUNK, NAS),
    (f"{BB}/Season 2/{BB} - s02e01 - Seven Thirty-Seven.mkv", STAYS, TV_SEASON1),
    (f"{BB}/Season 2/{BB} - s02e02 - Grilled.mkv", STAYS, TV_SEASON1),
    (f"{BB}/Specials/{BB} - s00e01 - Good Cop Bad Cop.mkv", STAYS, TV_SPECIAL),
    (f"{BB}/Featurettes/Inside Breaking Bad - s01e01.mkv", EXTRA, EXTRA_DIR),
    (f"{BB}/Behind The Scenes/Making of the Pilot.mkv", EXTRA, EXTRA_DIR),
    (f"{BB}/Deleted Scenes/{BB} - s02e01 - Deleted Scene.mkv", EXTRA, EXTRA_DIR),
    (f"{BB}/poster.jpg", JUNK, ASSET),
    (f"{BB}/fanart.jpg", JUNK, ASSET),
    (f"{BB}/theme.mp3", JUNK, ASSET),
    (f"{BB}/tvshow.nfo", JUNK, ASSET),
    (f"{SHIELD}/Season 01/{SHIELD} - s01e01 - Pilot.mkv", STAYS, "a title with dots inside"),
    (f"{SHIELD}/Season 01/{SHIELD} - s01e01 - Pilot.en.sdh.srt", STAYS, SUB),
    (f"{SHIELD}/Season 01/{SHIELD} - s01e02 - 0-8-4.mkv", STAYS, "an episode title of digits"),
    (f"{SHIELD}/Season 01/{SHIELD} - s01e03 - The Asset.mkv", STAYS, TV),
    (f"{SHIELD}/desktop.ini", JUNK, WINDOWS),
    (f"{SHIELD}/Season 01/Thumbs.db", JUNK, WINDOWS),
    ("24 (2001)/Season 01/24 (2001) - s01e01 - 12-00 A.M.-1-00 A.M..mkv", STAYS, PUNCT),
    ("24 (2001)/Season 01/24 (2001) - s01e02 - 1-00 A.M.-2-00 A.M..mkv", STAYS, PUNCT),
    ("1883 (2021)/Season 01/1883 (2021) - s01e01 - 1883.mkv", STAYS, "a title that is a number"),
    ("1883 (2021)/Season 01/1883 (2021) - s01e02 - Behind Us, a Cliff.mkv", STAYS, TV),
    (
        "Friends (1994)/Season 01/Friends (1994) - s01e16-e17 - The One with Two Parts (1) & (2).avi",
        STAYS,
        TV_MULTI,
    ),
    ("Friends (1994)/Season 10/Friends (1994) - s10e17-e18 - The Last One.mkv", STAYS, TV_MULTI),
    ("Friends (1994)/Season 10/Friends (1994) - s10e17-e18 - The Last One.en.srt", STAYS, SUB),
    (
        f"{DW_FOLDER}/Season 01/{DW} - s01e04 - Aliens of London - Part One.mkv",
        STAYS,
        "an episode title with a dash and 'Part One'",
    ),
    (f"{DW_FOLDER}/Season 04/{DW} - s04e01 - Partners in Crime.ts", STAYS, TV),
    (
        f"{DW_FOLDER}/Season 04/{DW} - s04e12-e13 - The Stolen Earth + Journey's End.mkv",
        STAYS,
        TV_MULTI,
    ),
    (f"{DW_FOLDER}/Specials/{DW} - s00e02 - The Christmas Invasion.mkv", STAYS, TV_SPECIAL),
    (
        "Chernobyl (2019)/Chernobyl (2019) - s01e01 - 1-23-45.mkv",
        MayMove(
            (
                "Chernobyl (2019)/Chernobyl (2019) - s01e01 - 1-23-45.mkv",
                "Chernobyl (2019)/Season 01/Chernobyl (2019) - s01e01 - 1-23-45.mkv",
            )
        ),
        TV_FLAT,
    ),
    (
        "Chernobyl (2019)/Chernobyl (2019) - s01e01 - 1-23-45.en.srt",
        MayMove(
            (
                "Chernobyl (2019)/Chernobyl (2019) - s01e01 - 1-23-45.en.srt",
                "Chernobyl (2019)/Season 01/Chernobyl (2019) - s01e01 - 1-23-45.en.srt",
            )
        ),
        SUB,
    ),
    (
        "Chernobyl (2019)/Chernobyl (2019) - s01e02 - Please Remain Calm.mkv",
        MayMove(
            (
                "Chernobyl (2019)/Chernobyl (2019) - s01e02 - Please Remain Calm.mkv",
                "Chernobyl (2019)/Season 01/Chernobyl (2019) - s01e02 - Please Remain Calm.mkv",
            )
        ),
        TV_FLAT,
    ),
    (
        "Chernobyl (2019)/Chernobyl (2019) - s01e05 - Vichnaya Pamyat.mkv",
        MayMove(
            (
                "Chernobyl (2019)/Chernobyl (2019) - s01e05 - Vichnaya Pamyat.mkv",
                "Chernobyl (2019)/Season 01/Chernobyl (2019) - s01e05 - Vichnaya Pamyat.mkv",
            )
        ),
        TV_FLAT,
    ),
    ("Chernobyl (2019)/fanart.jpg", JUNK, ASSET),
    (
        "Band of Brothers (2001)/Band of Brothers (2001) - S01E01 - Currahee.mkv",
        MayMove(
            ("Band of Brothers (2001)/Season 01/Band of Brothers (2001) - s01e01 - Currahee.mkv",)
        ),
        TV_FLAT + "; Plex reads S01E01 as s01e01",
    ),
    (
        "Band of Brothers (2001)/Band of Brothers (2001) - S01E02 - Day of Days.mkv",
        MayMove(
            (
                "Band of Brothers (2001)/Season 01/Band of Brothers (2001) - s01e02 - Day of Days.mkv",
            )
        ),
        TV_FLAT,
    ),
    (
        "Community (2009)/Season 03/Community (2009) - s03e04 - Remedial Chaos Theory.mkv",
        STAYS,
        TV,
    ),
    (
        "Community (2009)/Season 05/Community (2009) - s05e02 - Introduction to Teaching - Not s01e01.mkv",
        STAYS,
        "an episode title holding sXXeYY-like text",
    ),
    (
        "Community (2009)/Season 06/Community (2009) - s06e13 - Emotional Consequences of Broadcast Television - 6x13.mkv",
        STAYS,
        "an episode title holding NxNN-like text",
    ),
    (
        "Sherlock (2010)/Season 01/Sherlock (2010) - S01E01 - A Study in Pink.mkv",
        STAYS,
        "Plex reads S01E01 as s01e01",
    ),
    (f"{SVU}/Season 01/{SVU} - s01e01 - Payback.mkv", STAYS, PUNCT),
    (
        f"{WHAT_IF}/Season 01/{WHAT_IF} - s01e01 - What If... Captain Carter Were the First Avenger.mkv",
        STAYS,
        PUNCT + " ('?' dropped; the title ends in '...')",
    ),
    (
        "Mr. Robot (2015)/Season 01/Mr. Robot (2015) - s01e01 - eps1.0_hellofriend.mov.mkv",
        STAYS,
        "an episode title written in lower case on purpose, in a show typed correctly",
    ),
    (
        "Mr. Robot (2015)/Season 01/Mr. Robot (2015) - s01e02 - eps1.1_ones-and-zer0es.mpeg.mkv",
        STAYS,
        "an episode title written in lower case on purpose, in a show typed correctly",
    ),
    (
        "Blackadder (1983)/Season 02/Blackadder (1983) - s02e01 - Bells; A Comedy of Errors.mkv",
        STAYS,
        "a semicolon in an episode title",
    ),
    ("iCarly (2007)/Season 01/iCarly (2007) - s01e01 - iPilot.mkv", STAYS, "mixed case as aired"),
    (
        "iCarly (2007)/Season 01/iCarly (2007) - s01e02 - iWant More Viewers @ Home #2.mkv",
        STAYS,
        "'@' and '#' in an episode title",
    ),
    (f"{SHTISEL}/Season 01/{SHTISEL} - s01e01 - פרק 1.mkv", STAYS, "a right-to-left show"),
    (f"{SHTISEL}/Season 01/{SHTISEL} - s01e01 - פרק 1.he.srt", STAYS, SUB),
    (
        f"{POKEMON}/Season 01/{nfd('Pokémon (1997) - s01e01 - Pokémon, I Choose You!.mkv')}",
        STAYS,
        NFD_OK,
    ),
    (
        f"{POKEMON}/Season 01/{nfd('Pokémon (1997) - s01e01 - Pokémon, I Choose You!.en.srt')}",
        STAYS,
        NFD_OK,
    ),
    (
        f"{POKEMON}/Season 01/Pokémon (1997) - s01e02 - Pokémon Emergency!.mkv",
        STAYS,
        NFD_OK + " (an NFC file beside NFD ones, in an NFD show folder)",
    ),
    (f"{ELITE}/Season 1/{nfd('Élite (2018) - s01e01 - Bienvenidos.mkv')}", STAYS, NFD_OK),
    (f"{ELITE}/Season 1/{nfd('Élite (2018) - s01e01 - Bienvenidos.es.srt')}", STAYS, NFD_OK),
    (
        "Bluey (2018)/Season 01/Bluey (2018) - s01e01 - Magic Xylophone 🎶.mkv",
        STAYS,
        "an emoji in an episode title",
    ),
    (
        "Twin Peaks (1990)/Season 02/Twin Peaks (1990) - s02e07 - Lonely Souls.M4V",
        STAYS,
        "an upper-case extension",
    ),
    (
        "Twin Peaks (1990)/Season 02/Twin Peaks (1990) - s02e07 - Lonely Souls.en.SRT",
        STAYS,
        SUB,
    ),
    (
        "Lost (2004)/Season 02/Lost (2004) - s02e23-e24 - Live Together, Die Alone.mkv",
        STAYS,
        TV_MULTI,
    ),
    ("Lost (2004)/Season 02/sample.mkv", JUNK, SAMPLE),
    (
        f"{OFFICE} {{tvdb-73244}}/Season 03/{OFFICE} - s03e17 - Business School.mkv",
        STAYS,
        "Plex TV: the show's id on its folder",
    ),
    (f"{FARGO}/Season 01/{FARGO} - s01e01 - The Crocodile's Dilemma.mkv", STAYS, TV),
    (f"{FARGO}/Season 01/{FARGO} - s01e02 - The Rooster Prince.mkv.partial", JUNK, PARTIAL),
    (f"{FARGO}/Season 01/{FARGO} - s01e03 - A Muddy Road.mkv.!qB", JUNK, PARTIAL),
    (f"{FARGO}/Season 01/Sample/fargo.s01e01.sample.mkv", JUNK, SAMPLE),
    (
        f"{FARGO}/Season 01/Behind The Scenes/Fargo Season 1 - Inside Episode 1.mkv",
        EXTRA,
        EXTRA_DIR + " (in a season folder)",
    ),
    (
        "SEVERANCE (2022)/Season 01/SEVERANCE (2022) - s01e01 - Good News About Hell.mkv",
        STAYS,
        CAPS_WORD,
    ),
    (
        f"{WIRE}/Season 01/{WIRE} - s01e01 - the target.mkv",
        Target("The Wire (2002)/Season 01/The Wire (2002) - s01e01 - The Target.mkv"),
        RECASE,
    ),
    (
        f"{WIRE}/Season 01/{WIRE} - s01e01 - the target.en.srt",
        Target("The Wire (2002)/Season 01/The Wire (2002) - s01e01 - The Target.en.srt"),
        RECASE,
    ),
    (f"{WIRE}/tvshow.nfo", JUNK, ASSET),
    (f"{WIRE}/poster.jpg", JUNK, ASSET),
    (f"{WIRE}/Season 01/desktop.ini", JUNK, WINDOWS),
    (
        f"{SAUL}/Season 01/{SAUL} - s01e01 - Uno.mkv",
        Target("Better Call Saul (2015)/Season 01/Better Call Saul (2015) - s01e01 - Uno.mkv"),
        RECASE,
    ),
    (
        f"{SAUL}/Season 01/{SAUL} - s01e02 - Mijo.mkv",
        Target("Better Call Saul (2015)/Season 01/Better Call Saul (2015) - s01e02 - Mijo.mkv"),
        RECASE,
    ),
    (f"#recycle/{BB}/Season 01/{BB} - s01e01 - Pilot.mkv", JUNK, NAS),
    ("#recycle/the wire (2002) - s01e01 - the target.mkv", JUNK, NAS),
    ("Unsorted/fargo.s01e04.720p.hdtv.x264.mkv", JUNK, IGNORED),
    ("Unsorted/fargo.s01e04.720p.hdtv.x264.nfo", JUNK, IGNORED),
    (".DS_Store", JUNK, HIDDEN),
    ("@eaDir/Breaking Bad (2008)@SynoResource", JUNK, NAS),
)
TV_ROWS.append(Row("tv", ".plexignore", JUNK, IGNORED, content=b"# not sorted yet\nUnsorted/*\n"))

AOT = "Shingeki no Kyojin (2013)"
ONE_PIECE = "One Piece (1999)"
NARUTO = "Naruto (2002)"
FATE_ZERO = "Fate／Zero (2011)"
UBW = "Fate／stay night - Unlimited Blade Works (2014)"
FLCL = "ＦＬＣＬ (2000)"
REZERO = "Re：ゼロから始める異世界生活 (2016)"
YAHARI = "Yahari Ore no Seishun Love Comedy wa Machigatteiru. (2013)"
DANMACHI = "ダンジョンに出会いを求めるのは間違っているだろうか (2015)"
DANMACHI_E1 = nfd(
    f"{DANMACHI} - s01e01 - "
    "冒険者（ベル・クラネル）と始まりの出会い、そして迷宮都市オラリオの長い一日の終わり　第一話"
)
KONOSUBA = "Kono Subarashii Sekai ni Shukufuku wo! (2016)"
FRIEREN = "Frieren - Beyond Journey's End (2023)"
BEBOP = "cowboy bebop (1998)"
BEBOP_TARGET = "Cowboy Bebop (1998)/Season 01/Cowboy Bebop (1998) - s01e01 - Asteroid Blues"
EVA = "NEON GENESIS EVANGELION (1995)"

ANIME = _rows(
    "anime",
    (f"{AOT}/Season 01/{AOT} - s01e01 - To You, 2,000 Years From Now.mkv", STAYS, TV),
    (f"{AOT}/Season 01/{AOT} - s01e01 - To You, 2,000 Years From Now.en.ass", STAYS, SUB),
    (f"{AOT}/Season 01/{AOT} - s01e01 - To You, 2,000 Years From Now.pt-BR.ass", STAYS, SUB),
    (
        f"{AOT}/Season 01/{AOT} - s01e02 - That Day - The Fall of Shiganshina, Part 1.mkv",
        STAYS,
        "'Part 1' inside an episode title",
    ),
    (
        f"{AOT}/Season 01/{AOT} - s01e13 - Primal Desire - Struggle for Trost, Part 9.mkv",
        STAYS,
        "'Part 9' inside an episode title",
    ),
    (f"{AOT}/Season 02/{AOT} - s02e01 - Beast Titan.mkv", STAYS, TV),
    (f"{AOT}/Season 02/{AOT} - s02e01 - Beast Titan.en.sup", STAYS, SUB),
    (
        f"{AOT}/Specials/{AOT} - s00e01 - Ilse's Notebook - Memoirs of a Scout Regiment Member.mkv",
        STAYS,
        TV_SPECIAL,
    ),
    (f"{AOT}/Featurettes/Creditless Opening 1 - Guren no Yumiya.mkv", EXTRA, EXTRA_DIR),
    (f"{AOT}/Other/NCED1.mkv", EXTRA, EXTRA_DIR),
    (f"{AOT}/Season 01/Thumbs.db", JUNK, WINDOWS),
    (f"{AOT}/theme.mp3", JUNK, ASSET),
    (f"{AOT}/poster.jpg", JUNK, ASSET),
    (
        f"{ONE_PIECE}/Season 01/{ONE_PIECE} - s01e1071 - Luffy's Peak! Attained! Gear 5.mkv",
        STAYS,
        ANIME_ABS,
    ),
    (
        f"{ONE_PIECE}/Season 01/{ONE_PIECE} - s01e1000 - Overwhelming Strength! The Straw Hats Come Together!.mkv",
        STAYS,
        ANIME_ABS,
    ),
    (
        f"{ONE_PIECE}/Season 01/{ONE_PIECE} - s01e1085-e1086 - Farewell, Oden! & The Flames of Wano.mkv",
        STAYS,
        ANIME_ABS + "; " + TV_MULTI,
    ),
    (f"{ONE_PIECE}/Season 00/{ONE_PIECE} - s00e01 - Romance Dawn Story.mkv", STAYS, TV_SPECIAL),
    (
        f"{ONE_PIECE}/Season 01/{ONE_PIECE} - s01e1072 - The Ridiculous Power! Gear 5 in Action.mkv.!qB",
        JUNK,
        PARTIAL,
    ),
    (
        f"{NARUTO}/{NARUTO} - s01e001 - Enter - Naruto Uzumaki!.mkv",
        MayMove(
            (
                f"{NARUTO}/{NARUTO} - s01e001 - Enter - Naruto Uzumaki!.mkv",
                f"{NARUTO}/Season 01/{NARUTO} - s01e01 - Enter - Naruto Uzumaki!.mkv",
            )
        ),
        TV_FLAT,
    ),
    (
        f"{NARUTO}/{NARUTO} - s01e002 - My Name is Konohamaru!.mkv",
        MayMove(
            (
                f"{NARUTO}/{NARUTO} - s01e002 - My Name is Konohamaru!.mkv",
                f"{NARUTO}/Season 01/{NARUTO} - s01e02 - My Name is Konohamaru!.mkv",
            )
        ),
        TV_FLAT,
    ),
    (
        f"{FATE_ZERO}/Season 01/{FATE_ZERO} - s01e01 - Summoning of Heroes.mkv",
        STAYS,
        PUNCT + " (full-width solidus)",
    ),
    (f"{FATE_ZERO}/Season 02/{FATE_ZERO} - s02e01 - The Eighth Contract.mkv", STAYS, TV),
    (f"{UBW}/Season 01/{UBW} - s01e01 - Winter Days, a Fateful Night.mkv", STAYS, PUNCT),
    (f"{FLCL}/Season 01/{FLCL} - s01e01 - Fooly Cooly.mkv", STAYS, CAPS_WORD + " (full-width)"),
    (
        f"{REZERO}/Season 01/{REZERO} - s01e01 - 始まりの終わりと終わりの始まり.mkv",
        STAYS,
        PUNCT + " (full-width colon)",
    ),
    (
        f"{YAHARI}/Season 01/{YAHARI} - s01e01 - And So Their Mistaken Youth Begins..mkv",
        STAYS,
        "show and episode titles that end in a dot",
    ),
    (
        f"{nfd(DANMACHI)}/Season 01/{DANMACHI_E1}.mkv",
        STAYS,
        NFD_OK + " (kana with a combining dakuten; 245 bytes)",
    ),
    (f"{nfd(DANMACHI)}/Season 01/{DANMACHI_E1}.ja.ass", STAYS, SUB + " (248 bytes)"),
    (
        f"{nfd(DANMACHI)}/Season 01/{DANMACHI} - s01e02 - 剣姫（アイズ・ヴァレンシュタイン）.mkv",
        STAYS,
        NFD_OK + " (an NFC file beside NFD ones)",
    ),
    (
        f"{KONOSUBA}/Season 01/{KONOSUBA} - s01e01 - This Self-Proclaimed Goddess and Reincarnation in Another World!.mkv",
        STAYS,
        "romanised particles in lower case: not a title typed in lower case",
    ),
    ("K-ON! (2009)/Season 01/K-ON! (2009) - s01e01 - Disbanded!.mkv", STAYS, CAPS_WORD),
    (f"{FRIEREN}/Season 01/{FRIEREN} - s01e01 - The Journey's End [1080p].mkv", STAYS, TV_OPTIONAL),
    (
        f"{FRIEREN}/Season 01/{FRIEREN} - s01e02 - It Didn't Have to Be Magic... [1080p].mkv",
        STAYS,
        TV_OPTIONAL,
    ),
    (
        f"{FRIEREN}/Season 01/{FRIEREN} - s01e05 - Phantoms of the Dead [1080p].mkv.!qB",
        JUNK,
        PARTIAL,
    ),
    (
        f"{BEBOP}/Season 01/{BEBOP} - s01e01 - asteroid blues.mkv",
        Target(f"{BEBOP_TARGET}.mkv"),
        RECASE,
    ),
    (
        f"{BEBOP}/Season 01/{BEBOP} - s01e01 - asteroid blues.en.idx",
        Target(f"{BEBOP_TARGET}.en.idx"),
        RECASE,
    ),
    (
        f"{BEBOP}/Season 01/{BEBOP} - s01e01 - asteroid blues.en.sub",
        Target(f"{BEBOP_TARGET}.en.sub"),
        RECASE,
    ),
    (f"{BEBOP}/.DS_Store", JUNK, HIDDEN),
    (
        f"{EVA}/Season 01/{EVA} - s01e01 - Angel Attack.mkv",
        Target(
            "Neon Genesis Evangelion (1995)/Season 01/"
            "Neon Genesis Evangelion (1995) - s01e01 - Angel Attack.mkv"
        ),
        RECASE,
    ),
    ("#recycle/[SubsPlease] Sousou no Frieren - 01 (1080p) [F02B9CA3].mkv", JUNK, NAS),
    ("#recycle/cowboy bebop (1998) - s01e01 - asteroid blues.mkv", JUNK, NAS),
    ("@eaDir/One Piece (1999)@SynoResource", JUNK, NAS),
    (".DS_Store", JUNK, HIDDEN),
    ("desktop.ini", JUNK, WINDOWS),
)

ROWS: tuple[Row, ...] = (*MOVIES, *TV_ROWS, *ANIME)
