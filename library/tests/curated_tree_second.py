"""A second hand-curated library, written from Plex's naming articles (not from this
project's code or its first curated tree), for test_curated_plex_tree_second.

Three libraries (movies, TV, anime). Each row is one file and what Plex expects of it:

- `stays`: the path is already what Plex reads; the planner must leave it.
- `renamed`: a release-style (or otherwise wrong) name, and the one path it must get.
- `may_move`: Plex reads it as it is, and the project's template may tidy it, but only
  to one of the paths given.
- `one_of`: it must move, to one of the paths given (where the release name leaves a
  detail, such as an episode title's case, open).
- `held`: the planner must leave it, for the reason given (a half episode).
- `ignored`: Plex never shows it (samples, Plex's own `Plex Versions/`); the scan skips
  it and nothing moves it.

`part` and `version` name what the path carries that Plex reads and the target must
keep (besides every `{tmdb-…}`, `{tvdb-…}`, `{imdb-…}` and `{edition-…}` tag, which the
test finds in the path itself). `extra` marks Plex's local extras: never a main file,
never given the film's or an episode's name.

The rules, from Plex's support articles:
- Movies: `Movies/Title (Year)/Title (Year).ext`; a film may also lie loose in the root.
  Ids in braces, in the folder and/or file name: `{tmdb-…}`, `{imdb-tt…}`.
- Editions: `{edition-Name}` in the folder and/or file name.
- Multiple versions: files of one film in one folder, `Title (Year) - Label.ext`.
- Split files: `Title (Year) - cdN` (also discN, diskN, dvdN, partN, ptN), at most 8.
- Local extras: the folders `Behind The Scenes`, `Deleted Scenes`, `Featurettes`,
  `Interviews`, `Scenes`, `Shorts`, `Trailers`, `Other` inside the film's (or show's or
  season's) folder, or inline with the suffixes `-behindthescenes`, `-deleted`,
  `-featurette`, `-interview`, `-scene`, `-short`, `-trailer`, `-other`. An extra's own
  name is its title in Plex.
- TV: `TV Shows/Show (Year)/Season 01/Show (Year) - s01e01 - Title.ext`; specials are
  season 0, in `Season 00` or `Specials`; multi-episode files `s01e01-e02`; split
  episodes `- pt1`; date-based shows `Show - 2024-03-05.ext` in a season folder; a
  country or year in brackets tells two shows of one name apart (`The Office (US)`,
  `Doctor Who (2005)`); `{tvdb-…}`/`{tmdb-…}`/`{imdb-…}` on the show folder.
- Anime in absolute order: the TV layout with every episode in season 1 by its absolute
  number (`s01e1071`), as this project's anime template writes it.
- Subtitles: beside the video, `Video.lang[.forced|.sdh].ext` with ISO 639-1/639-2 codes
  (`.en`, `.spa`, `.pt-BR`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    path: str
    targets: tuple[str, ...] = ()  # where it may go (besides its own path when `may_stay`)
    may_stay: bool = False
    extra: bool = False
    ignored: bool = False
    part: int | None = None
    version: str = ""
    held: str = ""  # the plan's reason for leaving it, when not "already correct"


def stays(path: str, *, extra: bool = False, part: int | None = None, version: str = "") -> Row:
    return Row(path, may_stay=True, extra=extra, part=part, version=version)


def renamed(path: str, target: str, *, extra: bool = False) -> Row:
    return Row(path, targets=(target,), extra=extra)


def may_move(path: str, *targets: str) -> Row:
    return Row(path, targets=targets, may_stay=True)


def one_of(path: str, *targets: str, part: int | None = None) -> Row:
    return Row(path, targets=targets, part=part)


def held(path: str, reason: str) -> Row:
    return Row(path, may_stay=True, held=reason)


def ignored(path: str) -> Row:
    return Row(path, may_stay=True, ignored=True)


ODYSSEY = "2001 - A Space Odyssey (1968)"
GODZILLA = "Godzilla Minus One (2023) {tmdb-940721}"
BR2049 = "Blade Runner 2049 (2017)"
STAR_WARS = "Star Wars - Episode IV - A New Hope (1977) {imdb-tt0076759}"
HALLOWS_1 = "Harry Potter and the Deathly Hallows - Part 1 (2010)"
HALLOWS_2 = "Harry Potter and the Deathly Hallows - Part 2 (2011)"
OPPENHEIMER = "Oppenheimer (2023) {tmdb-872585} {imdb-tt15398776}"
AMELIE = "Le Fabuleux Destin d'Amélie Poulain (2001)"
DAS_BOOT = "Das Boot (1981) {edition-Director's Cut}"
FAUNO = "El laberinto del fauno (2006)"
CHIHIRO = "千と千尋の神隠し (2001)"
PARASITE = "기생충 (2019) {tmdb-496243}"
CIDADE = "Cidade de Deus (2002)"
ONCE = "Once Upon a Time in America (1984)"
COMMANDMENTS = "The Ten Commandments (1956)"
FINAL_CUT = "Blade Runner (1982) {edition-Final Cut}"
UNCUT = "Das Boot (1981) {edition-The Original Uncut Version}"
ARRIVAL_RELEASE = "Arrival.2016.1080p.BluRay.x264-SPARKS"
BUDAPEST_RELEASE = "The.Grand.Budapest.Hotel.2014.1080p.BluRay.x264-AMIABLE"
BUDAPEST = "The Grand Budapest Hotel (2014)"
KILL_BILL = "Kill Bill Vol 1 (2003)"
ALIEN = "Alien (1979) {imdb-tt0078748}"
APOCALYPSE = "Apocalypse Now (1979)"

MOVIES: list[Row] = [
    # Titles with numbers and punctuation, already right.
    stays(f"{ODYSSEY}/{ODYSSEY}.mkv"),
    stays(f"{ODYSSEY}/{ODYSSEY}.en.srt"),
    stays("Se7en (1995)/Se7en (1995).mkv"),
    stays("Se7en (1995)/Se7en (1995).en.forced.srt"),
    stays("M-A-S-H (1970)/M-A-S-H (1970).mkv"),
    stays("Mission - Impossible (1996)/Mission - Impossible (1996).mkv"),
    stays("Mission - Impossible (1996)/Mission - Impossible (1996) - 4K HDR.mkv", version="4K HDR"),
    stays("WALL·E (2008)/WALL·E (2008).mkv"),
    stays("WALL·E (2008)/Shorts/BURN·E.mkv", extra=True),
    stays(f"{GODZILLA}/{GODZILLA}.mkv"),
    stays(
        "Godzilla Minus One (2023) {tmdb-940721} {edition-Minus Color}/"
        "Godzilla Minus One (2023) {tmdb-940721} {edition-Minus Color}.mkv"
    ),
    stays("Ocean's Eleven (2001)/Ocean's Eleven (2001).mkv"),
    stays("Ocean's Eleven (2001)/Ocean's Eleven (2001).en.sdh.srt"),
    stays("Don't Look Up (2021)/Don't Look Up (2021).mkv"),
    stays("Who Framed Roger Rabbit (1988)/Who Framed Roger Rabbit (1988).mkv"),
    stays("Who Framed Roger Rabbit (1988)/Shorts/Tummy Trouble.mkv", extra=True),
    stays("What We Do in the Shadows (2014)/What We Do in the Shadows (2014).mkv"),
    stays("What We Do in the Shadows (2014)/Deleted Scenes/Vladislav's Bath.mkv", extra=True),
    stays("1917 (2019)/1917 (2019).mkv"),
    stays("1917 (2019)/Behind The Scenes/The Making of 1917.mkv", extra=True),
    stays(f"{BR2049}/{BR2049} - 1080p.mkv", version="1080p"),
    stays(f"{BR2049}/{BR2049} - 1080p.en.srt", version="1080p"),
    stays(f"{BR2049}/{BR2049} - 4K HDR.mkv", version="4K HDR"),
    stays(f"{BR2049}/{BR2049} - Remux.mkv", version="Remux"),
    stays(f"{BR2049}/Shorts/2036 - Nexus Dawn.mkv", extra=True),
    stays(f"{BR2049}/Shorts/2048 - Nowhere to Run.mkv", extra=True),
    stays("2012 (2009)/2012 (2009).mkv"),
    stays("9 (2009)/9 (2009).mkv"),
    stays("300 (2006)/300 (2006).mkv"),
    stays("Alien³ (1992)/Alien³ (1992).mkv"),
    stays("[REC] (2007)/[REC] (2007).mkv"),
    stays("Mamma Mia! Here We Go Again (2018)/Mamma Mia! Here We Go Again (2018).mkv"),
    stays(f"{STAR_WARS}/{STAR_WARS}.mkv"),
    stays("The Thing (1982) {imdb-tt0084787}/The Thing (1982) {imdb-tt0084787}.mkv"),
    # Titles that say "Part", "3D" or an extras word, and films with several ids.
    stays(f"{HALLOWS_1}/{HALLOWS_1}.mkv"),
    stays(f"{HALLOWS_2}/{HALLOWS_2}.mkv"),
    stays("Dune - Part Two (2024)/Dune - Part Two (2024).mkv"),
    stays("Friday the 13th Part 2 (1981)/Friday the 13th Part 2 (1981).mkv"),
    renamed(
        "The.Hunger.Games.Mockingjay.Part.1.2014.1080p.BluRay.x264-SPARKS.mkv",
        "The Hunger Games Mockingjay Part 1 (2014)/The Hunger Games Mockingjay Part 1 (2014).mkv",
    ),
    stays("Saw 3D (2010)/Saw 3D (2010).mkv"),
    stays("The Interview (2014)/The Interview (2014).mkv"),
    stays("Shorts (2009)/Shorts (2009).mkv"),
    stays("Scenes from a Marriage (1974)/Scenes from a Marriage (1974).mkv"),
    stays(f"{OPPENHEIMER}/{OPPENHEIMER}.mkv"),
    may_move(
        "Barbie (2023) {tmdb-346698}/Barbie (2023).mkv",
        "Barbie (2023) {tmdb-346698}/Barbie (2023) {tmdb-346698}.mkv",
    ),
    may_move(
        "Past Lives (2023)/Past Lives (2023) {imdb-tt13238346}.mkv",
        "Past Lives (2023) {imdb-tt13238346}/Past Lives (2023) {imdb-tt13238346}.mkv",
    ),
    # International titles: accents, lower-case words that belong to the title, scripts.
    stays(f"{AMELIE}/{AMELIE}.mkv"),
    stays(f"{AMELIE}/{AMELIE}.fr.srt"),
    stays(f"{AMELIE}/{AMELIE}.en.forced.srt"),
    stays("À bout de souffle (1960)/À bout de souffle (1960).mkv"),
    stays(f"{DAS_BOOT}/{DAS_BOOT}.mkv"),
    stays(f"{DAS_BOOT}/{DAS_BOOT}.de.srt"),
    stays("Lola rennt (1998)/Lola rennt (1998).mkv"),
    stays(f"{FAUNO}/{FAUNO}.mkv"),
    stays(f"{FAUNO}/{FAUNO}.spa.sdh.srt"),
    stays(f"{FAUNO}/{FAUNO}.en.forced.srt"),
    stays(f"{CHIHIRO}/{CHIHIRO}.mkv"),
    stays(f"{CHIHIRO}/{CHIHIRO}.ja.ass"),
    stays(f"{CHIHIRO}/{CHIHIRO}.en.srt"),
    stays(f"{PARASITE}/{PARASITE}.mkv"),
    stays(f"{PARASITE}/{PARASITE}.ko.srt"),
    stays("Сталкер (1979)/Сталкер (1979).mkv"),
    stays("Сталкер (1979)/Сталкер (1979).ru.srt"),
    stays("Léon (1994) {edition-International Cut}/Léon (1994) {edition-International Cut}.mkv"),
    stays(f"{CIDADE}/{CIDADE}.mkv"),
    stays(f"{CIDADE}/{CIDADE}.pt-BR.srt"),
    stays(f"{CIDADE}/{CIDADE}.en.srt"),
    # Split files, with every stacking word Plex knows.
    stays("Gone with the Wind (1939)/Gone with the Wind (1939) - pt1.mkv", part=1),
    stays("Gone with the Wind (1939)/Gone with the Wind (1939) - pt2.mkv", part=2),
    stays("Lawrence of Arabia (1962)/Lawrence of Arabia (1962) - cd1.avi", part=1),
    stays("Lawrence of Arabia (1962)/Lawrence of Arabia (1962) - cd2.avi", part=2),
    stays(f"{COMMANDMENTS}/{COMMANDMENTS} - disc1.mkv", part=1),
    stays(f"{COMMANDMENTS}/{COMMANDMENTS} - disc2.mkv", part=2),
    stays(f"{ONCE}/{ONCE} - disk1.mkv", part=1),
    stays(f"{ONCE}/{ONCE} - disk2.mkv", part=2),
    stays("Ben-Hur (1959)/Ben-Hur (1959) - dvd1.mkv", part=1),
    stays("Ben-Hur (1959)/Ben-Hur (1959) - dvd2.mkv", part=2),
    stays("Seven Samurai (1954)/Seven Samurai (1954) - part1.mkv", part=1),
    stays("Seven Samurai (1954)/Seven Samurai (1954) - part2.mkv", part=2),
    stays("Seven Samurai (1954)/Seven Samurai (1954) - part3.mkv", part=3),
    # Multiple versions with labels, an extra named after the film, Plex's own copies.
    stays("Heat (1995)/Heat (1995) - 1080p.mkv", version="1080p"),
    stays("Heat (1995)/Heat (1995) - 4K HDR.mkv", version="4K HDR"),
    stays("Heat (1995)/Heat (1995) - 4K HDR.en.srt", version="4K HDR"),
    stays("Heat (1995)/Heat (1995) - Remux.mkv", version="Remux"),
    stays("Heat (1995)/Heat (1995)-trailer.mkv", extra=True),
    stays("Heat (1995)/Featurettes/Heat (1995) - Making Of.mkv", extra=True),
    ignored("Heat (1995)/Plex Versions/Optimized for TV/Heat (1995).mp4"),
    ignored("Heat (1995)/Plex Versions/Original Quality/Heat (1995).mkv"),
    # An edition with versions, an edition split in parts.
    stays(f"{FINAL_CUT}/{FINAL_CUT} - 4K.mkv", version="4K"),
    stays(f"{FINAL_CUT}/{FINAL_CUT} - 1080p.mkv", version="1080p"),
    stays(f"{UNCUT}/{UNCUT} - pt1.mkv", part=1),
    stays(f"{UNCUT}/{UNCUT} - pt2.mkv", part=2),
    # Bracketed release details Plex ignores; an extension in capitals.
    may_move("Zodiac (2007)/Zodiac (2007) [Bluray-1080p].mkv", "Zodiac (2007)/Zodiac (2007).mkv"),
    may_move("Rushmore (1998)/Rushmore (1998).MKV", "Rushmore (1998)/Rushmore (1998).mkv"),
    # Files a .plexignore in the root hides from Plex.
    ignored("Unsorted/Some.Movie.2020.1080p.WEB.h264-GRP.mkv"),
    # Editions on the folder only, and on the file only beside the theatrical cut.
    may_move(
        "Aliens (1986) {edition-Special Edition}/Aliens (1986).mkv",
        "Aliens (1986) {edition-Special Edition}/Aliens (1986) {edition-Special Edition}.mkv",
    ),
    stays("Amadeus (1984)/Amadeus (1984).mkv"),
    may_move(
        "Amadeus (1984)/Amadeus (1984) {edition-Director's Cut}.mkv",
        "Amadeus (1984) {edition-Director's Cut}/Amadeus (1984) {edition-Director's Cut}.mkv",
    ),
    may_move(
        "Amadeus (1984)/Amadeus (1984) {edition-Director's Cut}.en.srt",
        "Amadeus (1984) {edition-Director's Cut}/Amadeus (1984) {edition-Director's Cut}.en.srt",
    ),
    # Every kind of extras folder, with names that look like parts, versions, the film.
    stays("Interstellar (2014)/Interstellar (2014).mkv"),
    stays("Interstellar (2014)/Interstellar (2014).en.srt"),
    stays("Interstellar (2014)/Behind The Scenes/Plotting an Interstellar Journey.mkv", extra=True),
    stays("Interstellar (2014)/Deleted Scenes/Deleted Scene 1.mkv", extra=True),
    stays("Interstellar (2014)/Deleted Scenes/Deleted Scene 2.mkv", extra=True),
    stays("Interstellar (2014)/Featurettes/The Science of Interstellar - Part 1.mkv", extra=True),
    stays("Interstellar (2014)/Featurettes/The Science of Interstellar - Part 2.mkv", extra=True),
    stays("Interstellar (2014)/Interviews/Christopher Nolan.mkv", extra=True),
    stays("Interstellar (2014)/Scenes/Docking.mkv", extra=True),
    stays("Interstellar (2014)/Shorts/Cooper Station.mkv", extra=True),
    stays("Interstellar (2014)/Trailers/Interstellar (2014) - Teaser.mkv", extra=True),
    stays("Interstellar (2014)/Trailers/Interstellar (2014) - Trailer 3.mkv", extra=True),
    stays("Interstellar (2014)/Other/Interstellar (2014) - IMAX Prologue.mkv", extra=True),
    # Every inline extra suffix.
    stays("Sicario (2015)/Sicario (2015).mkv"),
    stays("Sicario (2015)/Sicario (2015)-trailer.mkv", extra=True),
    stays("Sicario (2015)/Teaser 2-trailer.mkv", extra=True),
    stays("Sicario (2015)/Stepping into Darkness-behindthescenes.mkv", extra=True),
    stays("Sicario (2015)/Alternate Opening-deleted.mkv", extra=True),
    stays("Sicario (2015)/Emily Blunt-interview.mkv", extra=True),
    stays("Sicario (2015)/Border Crossing-scene.mkv", extra=True),
    stays("Sicario (2015)/Storyboards-other.mkv", extra=True),
    stays("Sicario (2015)/Blunt Force-short.mkv", extra=True),
    stays("Sicario (2015)/The Beast-featurette.mkv", extra=True),
    # Documentaries.
    stays("Free Solo (2018)/Free Solo (2018).mkv"),
    stays("Free Solo (2018)/Featurettes/Rope Tricks.mkv", extra=True),
    renamed(
        "Jiro.Dreams.of.Sushi.2011.LIMITED.720p.BluRay.x264-GECKOS.mkv",
        "Jiro Dreams of Sushi (2011)/Jiro Dreams of Sushi (2011).mkv",
    ),
    renamed(
        "March.of.the.Penguins.2005.FRENCH.1080p.BluRay.x264-GRP.mkv",
        "March of the Penguins (2005)/March of the Penguins (2005).mkv",
    ),
    # A release folder: the film, its subtitles and its extras move together.
    renamed(f"{ARRIVAL_RELEASE}/{ARRIVAL_RELEASE}.mkv", "Arrival (2016)/Arrival (2016).mkv"),
    renamed(f"{ARRIVAL_RELEASE}/{ARRIVAL_RELEASE}.en.srt", "Arrival (2016)/Arrival (2016).en.srt"),
    renamed(
        f"{ARRIVAL_RELEASE}/{ARRIVAL_RELEASE}.en.forced.srt",
        "Arrival (2016)/Arrival (2016).en.forced.srt",
    ),
    renamed(
        f"{ARRIVAL_RELEASE}/Featurettes/Xenolinguistics - Understanding Abbott and Costello.mkv",
        "Arrival (2016)/Featurettes/Xenolinguistics - Understanding Abbott and Costello.mkv",
        extra=True,
    ),
    ignored(f"{ARRIVAL_RELEASE}/Sample/sparks-arrival-1080p-sample.mkv"),
    # Loose release files.
    renamed(f"{BUDAPEST_RELEASE}.mkv", f"{BUDAPEST}/{BUDAPEST}.mkv"),
    renamed(f"{BUDAPEST_RELEASE}.de.srt", f"{BUDAPEST}/{BUDAPEST}.de.srt"),
    renamed(f"{BUDAPEST_RELEASE}.pt-BR.srt", f"{BUDAPEST}/{BUDAPEST}.pt-BR.srt"),
    ignored(f"{BUDAPEST_RELEASE}-sample.mkv"),
    renamed("1408.2007.1080p.BluRay.x264-HDEX.mkv", "1408 (2007)/1408 (2007).mkv"),
    renamed(
        "Wonder.Woman.1984.2020.1080p.WEBRip.x264-RARBG.mp4",
        "Wonder Woman 1984 (2020)/Wonder Woman 1984 (2020).mp4",
    ),
    renamed(
        "Mission.Impossible.Fallout.2018.2160p.UHD.BluRay.x265-TERMINAL.mkv",
        "Mission Impossible Fallout (2018)/Mission Impossible Fallout (2018).mkv",
    ),
    renamed(
        "the.big.lebowski.1998.720p.bluray.x264-sinners.mkv",
        "The Big Lebowski (1998)/The Big Lebowski (1998).mkv",
    ),
    renamed(
        "NO.COUNTRY.FOR.OLD.MEN.2007.1080p.BLURAY.X264-GRP.mkv",
        "No Country for Old Men (2007)/No Country for Old Men (2007).mkv",
    ),
    # One word in capitals may be the title's own style (WALL·E, LOST): either is right.
    one_of(
        "DRIVE.2011.1080p.BLURAY.X264-WASTE.mkv",
        "Drive (2011)/Drive (2011).mkv",
        "DRIVE (2011)/DRIVE (2011).mkv",
    ),
    renamed(
        "Don't.Breathe.2016.1080p.BluRay.x264-DRONES.mkv",
        "Don't Breathe (2016)/Don't Breathe (2016).mkv",
    ),
    renamed(
        "Oceans.Twelve.2004.1080p.BluRay.x264-GRP.mkv",
        "Oceans Twelve (2004)/Oceans Twelve (2004).mkv",
    ),
    renamed(
        "Das.Leben.der.Anderen.2006.GERMAN.1080p.BluRay.x264-GRP.mkv",
        "Das Leben der Anderen (2006)/Das Leben der Anderen (2006).mkv",
    ),
    renamed(
        "Crouching.Tiger.Hidden.Dragon.2000.CHINESE.1080p.BluRay.x264-GRP.mkv",
        "Crouching Tiger Hidden Dragon (2000)/Crouching Tiger Hidden Dragon (2000).mkv",
    ),
    # No year in the name: the film still gets its own folder.
    renamed("Tampopo.JAPANESE.1080p.BluRay.x264-GRP.mkv", "Tampopo/Tampopo.mkv"),
    renamed("Amores.Perros.SPANISH.DVDRip.XviD-GRP.avi", "Amores Perros/Amores Perros.avi"),
    # "Final Cut" in a release name: Plex reads no edition there; writing one is fine.
    one_of(
        "Apocalypse.Now.1979.Final.Cut.1080p.BluRay.x264-GRP.mkv",
        f"{APOCALYPSE}/{APOCALYPSE}.mkv",
        f"{APOCALYPSE} {{edition-Final Cut}}/{APOCALYPSE} {{edition-Final Cut}}.mkv",
    ),
    # A curated folder with an id, a release name inside.
    # "REMASTERED" is no cut, but like "Final Cut" it may be written as an edition.
    one_of(
        f"{ALIEN}/Alien.1979.REMASTERED.1080p.BluRay.x264-GRP.mkv",
        f"{ALIEN}/{ALIEN}.mkv",
        f"{ALIEN} {{edition-Remastered}}/{ALIEN} {{edition-Remastered}}.mkv",
    ),
    one_of(
        f"{ALIEN}/Alien.1979.REMASTERED.1080p.BluRay.x264-GRP.en.srt",
        f"{ALIEN}/{ALIEN}.en.srt",
        f"{ALIEN} {{edition-Remastered}}/{ALIEN} {{edition-Remastered}}.en.srt",
    ),
    # A film loose in the root is read by Plex; its own folder is tidier.
    may_move("Paterson (2016).mkv", "Paterson (2016)/Paterson (2016).mkv"),
    # A release file beside a labelled version; trailers whose names say "Part One".
    one_of(
        "Dune (2021)/Dune.2021.2160p.HMAX.WEB-DL.DDP5.1.Atmos.HDR.HEVC-GRP.mkv",
        "Dune (2021)/Dune (2021).mkv",
        "Dune (2021)/Dune (2021) - 2160p.mkv",
        "Dune (2021)/Dune (2021) - 4K.mkv",
    ),
    stays("Dune (2021)/Dune (2021) - 1080p.mkv", version="1080p"),
    stays("Dune (2021)/Dune Part One - Official Trailer 1-trailer.mkv", extra=True),
    stays("Dune (2021)/Dune Part One - Official Trailer 2-trailer.mkv", extra=True),
    # A split release: the parts are kept.
    one_of(
        "Kill.Bill.Vol.1.2003.DVDRip.XviD-GRP/Kill.Bill.Vol.1.2003.CD1.DVDRip.XviD-GRP.avi",
        f"{KILL_BILL}/{KILL_BILL} - pt1.avi",
        f"{KILL_BILL}/{KILL_BILL} - cd1.avi",
        part=1,
    ),
    one_of(
        "Kill.Bill.Vol.1.2003.DVDRip.XviD-GRP/Kill.Bill.Vol.1.2003.CD2.DVDRip.XviD-GRP.avi",
        f"{KILL_BILL}/{KILL_BILL} - pt2.avi",
        f"{KILL_BILL}/{KILL_BILL} - cd2.avi",
        part=2,
    ),
]

DW = "Doctor Who (2005)"
DW63 = "Doctor Who (1963)"
US = "The Office (US)"
UK = "The Office (UK)"
SHADOWS = "What We Do in the Shadows (2019)"
LWT = "Last Week Tonight with John Oliver (2014)"
BUREAU = "Le Bureau des Légendes (2015)"
PAPEL = "La Casa de Papel (2017)"
SQUID = "오징어 게임 (2021)"
SHOGUN_FOLDER = "Shōgun (2024) {tmdb-126308}"
SHOGUN = "Shōgun (2024)"
SEVERANCE = "Severance (2022) {tvdb-371980}"
SLOW = "Slow Horses (2022) {imdb-tt5875444}"
ZONE_59 = "The Twilight Zone (1959)"
ZONE_19 = "The Twilight Zone (2019)"
EARTH = "Planet Earth II (2016)"
COSMOS = "Cosmos - A Spacetime Odyssey (2014)"
BB_PILOT = "Breaking.Bad.S01E01.Pilot.720p.BluRay.x264-DEMAND"
BB_SEASON = "Breaking Bad/Season 01/Breaking Bad - s01e0"

TV: list[Row] = [
    # Two shows of one name, told apart by their year.
    stays(f"{DW}/Season 01/{DW} - s01e01 - Rose.mkv"),
    stays(f"{DW}/Season 01/{DW} - s01e01 - Rose.en.srt"),
    stays(f"{DW}/Season 01/{DW} - s01e04-e05 - Aliens of London.mkv"),
    stays(f"{DW}/Season 00/{DW} - s00e01 - The Christmas Invasion.mkv"),
    stays(f"{DW}/Season 00/{DW} - s00e02 - The Runaway Bride.mkv"),
    renamed(
        f"{DW}/Specials/Doctor.Who.2005.S00E03.Voyage.of.the.Damned.1080p.BluRay.x264-GRP.mkv",
        f"{DW}/Season 00/{DW} - s00e03 - Voyage of the Damned.mkv",
    ),
    renamed(
        f"{DW}/Season 02/Doctor.Who.2005.S02E08.The.Impossible.Planet.1080p.BluRay.x264-GRP.mkv",
        f"{DW}/Season 02/{DW} - s02e08 - The Impossible Planet.mkv",
    ),
    renamed(
        f"{DW}/Season 02/Doctor.Who.2005.S02E09.The.Satan.Pit.1080p.BluRay.x264-GRP.mkv",
        f"{DW}/Season 02/{DW} - s02e09 - The Satan Pit.mkv",
    ),
    stays(f"{DW}/Trailers/Series 1 Trailer.mkv", extra=True),
    stays(
        f"{DW}/Season 01/Behind The Scenes/Doctor Who Confidential - Bringing Back the Doctor.mkv",
        extra=True,
    ),
    stays(f"{DW63}/Season 01/{DW63} - s01e01 - An Unearthly Child.mkv"),
    renamed(
        f"{DW63}/Season 01/Doctor.Who.1963.S01E02.The.Cave.of.Skulls.DVDRip.x264-GRP.mkv",
        f"{DW63}/Season 01/{DW63} - s01e02 - The Cave of Skulls.mkv",
    ),
    # Two shows of one name, told apart by their country.
    stays(f"{US}/Season 02/{US} - s02e01 - The Dundies.mkv"),
    stays(f"{US}/Season 02/{US} - s02e01 - The Dundies.en.sdh.srt"),
    one_of(
        f"{US}/Season 03/the.office.us.s03e01.gay.witch.hunt.720p.web.h264-grp.mkv",
        f"{US}/Season 03/{US} - s03e01 - Gay Witch Hunt.mkv",
        f"{US}/Season 03/{US} - s03e01.mkv",
    ),
    stays(f"{UK}/Season 01/{UK} - s01e01 - Downsize.mkv"),
    # Specials in a Specials folder, with "Part 1" in their titles (not split parts).
    may_move(
        f"{UK}/Specials/{UK} - s00e01 - Christmas Special Part 1.mkv",
        f"{UK}/Season 00/{UK} - s00e01 - Christmas Special Part 1.mkv",
    ),
    may_move(
        f"{UK}/Specials/{UK} - s00e02 - Christmas Special Part 2.mkv",
        f"{UK}/Season 00/{UK} - s00e02 - Christmas Special Part 2.mkv",
    ),
    stays(f"{SHADOWS}/Season 01/{SHADOWS} - s01e01 - Pilot.mkv"),
    stays(f"{SHADOWS}/Season 01/{SHADOWS} - s01e02 - City Council.mkv"),
    renamed(
        f"{SHADOWS}/Season 02/What.We.Do.in.the.Shadows.S02E01.Resurrection.1080p.AMZN.WEB-DL.DDP5.1.H.264-NTb.mkv",
        f"{SHADOWS}/Season 02/{SHADOWS} - s02e01 - Resurrection.mkv",
    ),
    # Mini-series (season 1), one with a time for a title ("1:23:45").
    stays("Chernobyl (2019)/Season 01/Chernobyl (2019) - s01e01 - 1-23-45.mkv"),
    stays("Chernobyl (2019)/Season 01/Chernobyl (2019) - s01e01 - 1-23-45.en.srt"),
    stays("Chernobyl (2019)/Season 01/Chernobyl (2019) - s01e02 - Please Remain Calm.mkv"),
    stays("Band of Brothers (2001)/Season 01/Band of Brothers (2001) - s01e01 - Currahee.mkv"),
    # A special filed in a season folder: Plex reads s00, so it belongs in Season 00.
    renamed(
        "Band of Brothers (2001)/Season 01/Band of Brothers (2001) - s00e01 - We Stand Alone Together.mkv",
        "Band of Brothers (2001)/Season 00/Band of Brothers (2001) - s00e01 - We Stand Alone Together.mkv",
    ),
    renamed(
        "Band of Brothers (2001)/Season 01/Band of Brothers - 1x02 - Day of Days.mkv",
        "Band of Brothers (2001)/Season 01/Band of Brothers (2001) - s01e02 - Day of Days.mkv",
    ),
    renamed(
        "The.Queens.Gambit.S01E01.Openings.1080p.NF.WEB-DL.DDP5.1.x264-NTG.mkv",
        "The Queens Gambit/Season 01/The Queens Gambit - s01e01 - Openings.mkv",
    ),
    renamed(
        "The.Queens.Gambit.S01E02.Exchanges.1080p.NF.WEB-DL.DDP5.1.x264-NTG.mkv",
        "The Queens Gambit/Season 01/The Queens Gambit - s01e02 - Exchanges.mkv",
    ),
    # Date-based shows: the season folder is the year, or the show's own season number.
    stays("The Daily Show (1996)/Season 2024/The Daily Show (1996) - 2024-03-05.mkv"),
    stays("The Daily Show (1996)/Season 2024/The Daily Show (1996) - 2024-03-05.en.srt"),
    renamed(
        "The Daily Show (1996)/Season 2024/The.Daily.Show.2024.03.06.1080p.WEB.h264-EDITH.mkv",
        "The Daily Show (1996)/Season 2024/The Daily Show (1996) - 2024-03-06.mkv",
    ),
    stays("The Daily Show (1996)/Season 2024/The Daily Show (1996) - 2024-03-04 - Jane Doe.mkv"),
    one_of(
        "The Daily Show (1996)/Season 2024/the.daily.show.2024.03.07.jane.roe.720p.web.h264-grp.mkv",
        "The Daily Show (1996)/Season 2024/The Daily Show (1996) - 2024-03-07 - Jane Roe.mkv",
        "The Daily Show (1996)/Season 2024/The Daily Show (1996) - 2024-03-07.mkv",
    ),
    stays(f"{LWT}/Season 11/{LWT} - 2024-02-18.mkv"),
    renamed(
        f"{LWT}/Season 11/Last.Week.Tonight.with.John.Oliver.2024.02.25.1080p.WEB.h264-GRP.mkv",
        f"{LWT}/Season 11/{LWT} - 2024-02-25.mkv",
    ),
    # International shows.
    stays("Dark (2017)/Season 01/Dark (2017) - s01e01 - Geheimnisse.mkv"),
    stays("Dark (2017)/Season 01/Dark (2017) - s01e01 - Geheimnisse.de.srt"),
    stays("Dark (2017)/Season 01/Dark (2017) - s01e01 - Geheimnisse.en.forced.srt"),
    one_of(
        "Dark (2017)/Season 01/Dark.S01E02.Lügen.GERMAN.1080p.NF.WEB-DL.DDP5.1.x264-GRP.mkv",
        "Dark (2017)/Season 01/Dark (2017) - s01e02 - Lügen.mkv",
        "Dark (2017)/Season 01/Dark (2017) - s01e02.mkv",
    ),
    stays("Dark (2017)/Season 01/Deleted Scenes/s01e03 Deleted Scene.mkv", extra=True),
    # A season folder in German: Plex wants "Season".
    renamed(
        "Dark (2017)/Staffel 2/Dark - S02E01 - Anfänge und Enden.mkv",
        "Dark (2017)/Season 02/Dark (2017) - s02e01 - Anfänge und Enden.mkv",
    ),
    stays(f"{BUREAU}/Season 01/{BUREAU} - s01e01 - Épisode 1.mkv"),
    stays(f"{BUREAU}/Season 01/{BUREAU} - s01e02 - Épisode 2.mkv"),
    stays(f"{PAPEL}/Season 01/{PAPEL} - s01e01 - Efectuar lo acordado.mkv"),
    stays(f"{PAPEL}/Season 01/{PAPEL} - s01e01 - Efectuar lo acordado.spa.srt"),
    stays(f"{PAPEL}/Season 01/{PAPEL} - s01e01 - Efectuar lo acordado.en.forced.srt"),
    stays(f"{SQUID}/Season 01/{SQUID} - s01e01 - 무궁화 꽃이 피었습니다.mkv"),
    stays(f"{SQUID}/Season 01/{SQUID} - s01e01 - 무궁화 꽃이 피었습니다.ko.srt"),
    renamed(
        f"{SQUID}/Season 01/Squid.Game.S01E02.1080p.NF.WEB-DL.DDP5.1.x264-GRP.mkv",
        f"{SQUID}/Season 01/{SQUID} - s01e02.mkv",
    ),
    stays("Метод (2015)/Season 01/Метод (2015) - s01e01.mkv"),
    stays("Метод (2015)/Season 01/Метод (2015) - s01e01.ru.srt"),
    stays(f"{SHOGUN_FOLDER}/Season 01/{SHOGUN} - s01e01 - Anjin.mkv"),
    one_of(
        f"{SHOGUN_FOLDER}/Season 01/SHOGUN.2024.S01E02.SERVANTS.OF.TWO.MASTERS.1080p.WEB.H264-ETHEL.mkv",
        f"{SHOGUN_FOLDER}/Season 01/{SHOGUN} - s01e02 - Servants of Two Masters.mkv",
        f"{SHOGUN_FOLDER}/Season 01/{SHOGUN} - s01e02 - Servants Of Two Masters.mkv",
        f"{SHOGUN_FOLDER}/Season 01/{SHOGUN} - s01e02.mkv",
    ),
    # Ids on the show folder; versions of an episode; show and season extras.
    stays(f"{SEVERANCE}/Season 01/Severance (2022) - s01e01 - Good News About Hell.mkv"),
    stays(
        f"{SEVERANCE}/Season 01/Severance (2022) - s01e02 - Half Loop - 1080p.mkv",
        version="1080p",
    ),
    stays(f"{SEVERANCE}/Season 01/Severance (2022) - s01e02 - Half Loop - 4K.mkv", version="4K"),
    stays(f"{SEVERANCE}/Featurettes/Inside Severance.mkv", extra=True),
    stays(f"{SEVERANCE}/Season 01/Lumon Orientation-featurette.mkv", extra=True),
    stays(f"{SEVERANCE}/Season 01/Season 1 Trailer-trailer.mkv", extra=True),
    ignored(
        f"{SEVERANCE}/Season 01/Plex Versions/Optimized for Mobile/"
        "Severance (2022) - s01e01 - Good News About Hell.mp4"
    ),
    stays(f"{SLOW}/Season 01/Slow Horses (2022) - s01e01 - Failure's Contagious.mkv"),
    renamed(
        f"{SLOW}/Season 01/Slow.Horses.S01E02.Past.Tense.2160p.ATVP.WEB-DL.DDP5.1.HDR.H.265-GRP.mkv",
        f"{SLOW}/Season 01/Slow Horses (2022) - s01e02 - Past Tense.mkv",
    ),
    # Multi-episode and split episodes.
    stays("Friends (1994)/Season 01/Friends (1994) - s01e16-e17 - The One with Two Parts.mkv"),
    stays(
        "Friends (1994)/Season 02/Friends (1994) - s02e12 - The One After the Superbowl - pt1.mkv",
        part=1,
    ),
    stays(
        "Friends (1994)/Season 02/Friends (1994) - s02e12 - The One After the Superbowl - pt2.mkv",
        part=2,
    ),
    may_move(
        "Friends (1994)/Season 04/Friends (1994) - s04e23e24 - The One with Ross's Wedding.mkv",
        "Friends (1994)/Season 04/Friends (1994) - s04e23-e24 - The One with Ross's Wedding.mkv",
    ),
    renamed(
        "Friends (1994)/Season 03/Friends.S03E01-E02.DVDRip.XviD-GRP.avi",
        "Friends (1994)/Season 03/Friends (1994) - s03e01-e02.avi",
    ),
    # Shows named like extras folders, by a year, or with a dash in an episode title.
    stays("Extras (2005)/Season 01/Extras (2005) - s01e01 - Ben Stiller.mkv"),
    stays(
        "Scenes from a Marriage (2021)/Season 01/"
        "Scenes from a Marriage (2021) - s01e01 - Innocence and Panic.mkv"
    ),
    stays("1883 (2021)/Season 01/1883 (2021) - s01e01 - 1883.mkv"),
    renamed(
        "1883 (2021)/Season 01/1883.S01E02.Behind.Us.a.Cliff.1080p.AMZN.WEB-DL.DDP5.1.H.264-NTb.mkv",
        "1883 (2021)/Season 01/1883 (2021) - s01e02 - Behind Us a Cliff.mkv",
    ),
    stays(
        "Stranger Things (2016)/Season 04/"
        "Stranger Things (2016) - s04e01 - Chapter One - The Hellfire Club.mkv"
    ),
    stays(f"{ZONE_59}/Season 01/{ZONE_59} - s01e01 - Where Is Everybody.mkv"),
    stays(f"{ZONE_19}/Season 01/{ZONE_19} - s01e01 - The Comedian.mkv"),
    renamed(
        f"{ZONE_19}/Season 01/The.Twilight.Zone.2019.S01E02.Nightmare.at.30000.Feet.1080p.AMZN.WEB-DL.DDP5.1.H.264-NTb.mkv",
        f"{ZONE_19}/Season 01/{ZONE_19} - s01e02 - Nightmare at 30000 Feet.mkv",
    ),
    # Shows named by numbers or punctuation.
    stays("24 (2001)/Season 01/24 (2001) - s01e01.mkv"),
    stays("24 (2001)/Season 01/24 (2001) - s01e02.mkv"),
    stays("9-1-1 (2018)/Season 01/9-1-1 (2018) - s01e01 - Pilot.mkv"),
    stays("The 100 (2014)/Season 01/The 100 (2014) - s01e01 - Pilot.mkv"),
    one_of(
        "The.100.S02E01.The.48.720p.HDTV.x264-KILLERS.mkv",
        "The 100/Season 02/The 100 - s02e01 - The 48.mkv",
        "The 100 (2014)/Season 02/The 100 (2014) - s02e01 - The 48.mkv",
    ),
    stays("M-A-S-H (1972)/Season 01/M-A-S-H (1972) - s01e01 - Pilot.mkv"),
    # Episode titles typed in lower case on purpose (the show's own spelling): the
    # project's rule recases an all-lower-case title, which Plex does not mind either way.
    may_move(
        "Mr. Robot (2015)/Season 01/Mr. Robot (2015) - s01e01 - eps1.0_hellofriend.mov.mkv",
        "Mr. Robot (2015)/Season 01/Mr. Robot (2015) - s01e01 - Eps1.0_hellofriend.mov.mkv",
    ),
    may_move(
        "Mr. Robot (2015)/Season 01/Mr. Robot (2015) - s01e02 - eps1.1_ones-and-zer0es.mpeg.mkv",
        "Mr. Robot (2015)/Season 01/Mr. Robot (2015) - s01e02 - Eps1.1_ones-and-zer0es.mpeg.mkv",
    ),
    # Season folders Plex reads that the template writes another way.
    may_move(
        "Seinfeld (1989)/Season 1/Seinfeld (1989) - s01e01 - The Seinfeld Chronicles.mkv",
        "Seinfeld (1989)/Season 01/Seinfeld (1989) - s01e01 - The Seinfeld Chronicles.mkv",
    ),
    may_move(
        "Fleabag (2016)/Fleabag (2016) - s01e01.mkv",
        "Fleabag (2016)/Season 01/Fleabag (2016) - s01e01.mkv",
    ),
    # A title in lower case and titles in capitals: recased on purpose (one word in
    # capitals may be the show's own style).
    one_of(
        "the expanse/Season 01/the expanse - s01e01 - dulcinea.mkv",
        "The Expanse/Season 01/The Expanse - s01e01 - Dulcinea.mkv",
    ),
    renamed(
        "BETTER CALL SAUL (2015)/Season 01/BETTER CALL SAUL (2015) - s01e01 - Uno.mkv",
        "Better Call Saul (2015)/Season 01/Better Call Saul (2015) - s01e01 - Uno.mkv",
    ),
    may_move(
        "FARGO (2014)/Season 01/FARGO (2014) - s01e01 - The Crocodile's Dilemma.mkv",
        "Fargo (2014)/Season 01/Fargo (2014) - s01e01 - The Crocodile's Dilemma.mkv",
    ),
    # Documentary series.
    stays(f"{EARTH}/Season 01/{EARTH} - s01e01 - Islands.mkv"),
    renamed(
        f"{EARTH}/Season 01/Planet.Earth.II.S01E02.Mountains.2160p.UHD.BluRay.x265-GRP.mkv",
        f"{EARTH}/Season 01/{EARTH} - s01e02 - Mountains.mkv",
    ),
    stays(f"{EARTH}/Season 00/{EARTH} - s00e01 - Planet Earth II Diaries.mkv"),
    stays(f"{COSMOS}/Season 01/{COSMOS} - s01e01 - Standing Up in the Milky Way.mkv"),
    one_of(
        "Making.a.Murderer.S01E01.Eighteen.Years.Lost.1080p.NF.WEB-DL.DD5.1.x264-GRP.mkv",
        "Making a Murderer/Season 01/Making a Murderer - s01e01 - Eighteen Years Lost.mkv",
        "Making A Murderer/Season 01/Making A Murderer - s01e01 - Eighteen Years Lost.mkv",
    ),
    # Loose release files, with a subtitle, one typed in lower case.
    renamed(f"{BB_PILOT}.mkv", f"{BB_SEASON}1 - Pilot.mkv"),
    renamed(f"{BB_PILOT}.en.srt", f"{BB_SEASON}1 - Pilot.en.srt"),
    renamed("Breaking.Bad.S01E02.720p.BluRay.x264-DEMAND.mkv", f"{BB_SEASON}2.mkv"),
    one_of(
        "breaking.bad.s01e03.and.the.bags.in.the.river.720p.bluray.x264-demand.mkv",
        f"{BB_SEASON}3 - And the Bags in the River.mkv",
        f"{BB_SEASON}3 - And The Bags In The River.mkv",
    ),
    ignored("Sample/breaking.bad.s01e01.720p.sample.mkv"),
]

ONE_PIECE = "One Piece (1999)"
OP_RELEASE = "[SubsPlease] One Piece - {} (1080p) [{}]"
FRIEREN = "[Erai-raws] Sousou no Frieren - {} [1080p][Multiple Subtitle][{}]"
JUJUTSU = "呪術廻戦 (2020)"
BEBOP = "Cowboy Bebop (1998)"
NARUTO_FOLDER = "Naruto Shippuden (2007) {tvdb-79824}"
NARUTO = "Naruto Shippuden (2007)"
NARUTO_RELEASE = "[HorribleSubs] Naruto Shippuuden - 500 [1080p]"
KAGUYA = "Kaguya-sama - Love Is War (2019)"
MOB = "Mob Psycho 100 (2016)"
OSHI = "[Oshi no Ko] (2023)"
SOLO = "나 혼자만 레벨업 (2024)"

ANIME: list[Row] = [
    # Absolute numbers in season 1, curated and from fansub releases.
    stays(
        f"{ONE_PIECE}/Season 01/{ONE_PIECE} - s01e1000 - "
        "Overwhelming Strength! The Straw Hats Come Together!.mkv"
    ),
    renamed(
        f"{ONE_PIECE}/Season 01/{OP_RELEASE.format('1071', '5F2D8A1C')}.mkv",
        f"{ONE_PIECE}/Season 01/{ONE_PIECE} - s01e1071.mkv",
    ),
    renamed(
        f"{ONE_PIECE}/Season 01/{OP_RELEASE.format('1071', '5F2D8A1C')}.en.ass",
        f"{ONE_PIECE}/Season 01/{ONE_PIECE} - s01e1071.en.ass",
    ),
    renamed(
        f"{ONE_PIECE}/Season 01/{OP_RELEASE.format('1072', '9B3E0F44')}.mkv",
        f"{ONE_PIECE}/Season 01/{ONE_PIECE} - s01e1072.mkv",
    ),
    stays(f"{ONE_PIECE}/Season 00/{ONE_PIECE} - s00e01 - Romance Dawn Story.mkv"),
    renamed(
        f"{FRIEREN.format('05', 'A1B2C3D4')}.mkv",
        "Sousou no Frieren/Season 01/Sousou no Frieren - s01e05.mkv",
    ),
    renamed(
        f"{FRIEREN.format('06', 'E5F6A7B8')}.mkv",
        "Sousou no Frieren/Season 01/Sousou no Frieren - s01e06.mkv",
    ),
    # A half episode has no Plex number: it is filed by hand, never renamed.
    held("[Erai-raws] Sousou no Frieren - 10.5 [1080p].mkv", "no_plex_number"),
    ignored("[Erai-raws] Sousou no Frieren - 05 [1080p]-sample.mkv"),
    renamed(
        "[HorribleSubs] Shingeki no Kyojin - 25 [720p].mkv",
        "Shingeki no Kyojin/Season 01/Shingeki no Kyojin - s01e25.mkv",
    ),
    renamed(
        "[SubsPlease] Spy x Family S2 - 03 (1080p) [2C9E7A10].mkv",
        "Spy x Family/Season 02/Spy x Family - s02e03.mkv",
    ),
    renamed(
        "[Erai-raws] Bocchi the Rock! - 07v2 [1080p][3D4E5F60].mkv",
        "Bocchi the Rock!/Season 01/Bocchi the Rock! - s01e07.mkv",
    ),
    renamed(
        "[Erai-raws] 86 - Eighty Six - 03 [1080p][77AA88BB].mkv",
        "86 - Eighty Six/Season 01/86 - Eighty Six - s01e03.mkv",
    ),
    renamed(
        "[Judas] Vinland Saga - S02E05 [1080p][HEVC x265 10bit][Multi-Subs].mkv",
        "Vinland Saga/Season 02/Vinland Saga - s02e05.mkv",
    ),
    renamed(
        "[Erai-raws] Bocchi the Rock! - 01-02 [1080p][Multiple Subtitle].mkv",
        "Bocchi the Rock!/Season 01/Bocchi the Rock! - s01e01-e02.mkv",
    ),
    renamed(
        "[Some-Stuffs] Detective Conan - 1100 [1080p].mkv",
        "Detective Conan/Season 01/Detective Conan - s01e1100.mkv",
    ),
    # Numbers and punctuation in anime titles; a title in square brackets.
    stays(f"{MOB}/Season 01/{MOB} - s01e01 - Self-Proclaimed Psychic - Arataka Reigen.mkv"),
    one_of(
        "[HorribleSubs] Mob Psycho 100 - 05 [1080p].mkv",
        "Mob Psycho 100/Season 01/Mob Psycho 100 - s01e05.mkv",
        f"{MOB}/Season 01/{MOB} - s01e05.mkv",
    ),
    renamed(
        "[SubsPlease] Kaiju No. 8 - 03 (1080p) [6D7E8F90].mkv",
        "Kaiju No. 8/Season 01/Kaiju No. 8 - s01e03.mkv",
    ),
    stays("Steins;Gate (2011)/Season 01/Steins;Gate (2011) - s01e01 - Turning Point.mkv"),
    stays(
        "Fate-Zero (2011)/Season 01/Fate-Zero (2011) - s01e01 - The Summoning of Heroic Spirits.mkv"
    ),
    stays(f"{OSHI}/Season 01/{OSHI} - s01e01 - Mother and Children.mkv"),
    renamed(
        f"{OSHI}/Season 01/[SubsPlease] Oshi no Ko - 02 (1080p) [0E1F2A3B].mkv",
        f"{OSHI}/Season 01/{OSHI} - s01e02.mkv",
    ),
    # Japanese and Korean titles.
    stays(f"{JUJUTSU}/Season 01/{JUJUTSU} - s01e01 - 両面宿儺.mkv"),
    stays(f"{JUJUTSU}/Season 01/{JUJUTSU} - s01e01 - 両面宿儺.ja.ass"),
    stays(f"{JUJUTSU}/Season 01/{JUJUTSU} - s01e01 - 両面宿儺.en.ass"),
    stays(f"{SOLO}/Season 01/{SOLO} - s01e01.mkv"),
    renamed(
        f"{SOLO}/Season 01/[SubsPlease] Ore dake Level Up na Ken - 02 (1080p) [1A2B3C4D].mkv",
        f"{SOLO}/Season 01/{SOLO} - s01e02.mkv",
    ),
    # A curated show with specials, subtitles and extras; a fansub file inside it.
    stays(f"{BEBOP}/Season 01/{BEBOP} - s01e01 - Asteroid Blues.mkv"),
    stays(f"{BEBOP}/Season 01/{BEBOP} - s01e05 - Ballad of Fallen Angels.mkv"),
    stays(f"{BEBOP}/Season 01/{BEBOP} - s01e05 - Ballad of Fallen Angels.ja.ass"),
    stays(f"{BEBOP}/Season 01/{BEBOP} - s01e05 - Ballad of Fallen Angels.en.forced.srt"),
    stays(f"{BEBOP}/Season 00/{BEBOP} - s00e01 - Ein's Summer Vacation.mkv"),
    stays(f"{BEBOP}/Other/Creditless Opening - Tank!.mkv", extra=True),
    stays(f"{BEBOP}/Season 01/Creditless Ending-other.mkv", extra=True),
    stays(f"{BEBOP}/Trailers/{BEBOP} - PV 1.mkv", extra=True),
    stays(f"{BEBOP}/Interviews/Shinichiro Watanabe.mkv", extra=True),
    renamed(
        f"{BEBOP}/Season 01/[Judas] Cowboy Bebop - 06 [BD 1080p][HEVC x265 10bit].mkv",
        f"{BEBOP}/Season 01/{BEBOP} - s01e06.mkv",
    ),
    stays(
        "Neon Genesis Evangelion (1995)/Season 01/Neon Genesis Evangelion (1995) - s01e25-e26.mkv"
    ),
    stays(f"{KAGUYA}/Season 01/{KAGUYA} - s01e01 - I Will Make You Invite Me to a Movie.mkv"),
    stays("Jujutsu Kaisen (2020)/Season 02/Jujutsu Kaisen (2020) - s02e01 - Hidden Inventory.mkv"),
    # An id on the folder names the show over the release's other spelling.
    may_move(
        f"{NARUTO_FOLDER}/Season 01/{NARUTO} - s01e001 - Homecoming.mkv",
        f"{NARUTO_FOLDER}/Season 01/{NARUTO} - s01e01 - Homecoming.mkv",
    ),
    renamed(
        f"{NARUTO_FOLDER}/Season 01/{NARUTO_RELEASE}.mkv",
        f"{NARUTO_FOLDER}/Season 01/{NARUTO} - s01e500.mkv",
    ),
    renamed(
        f"{NARUTO_FOLDER}/Season 01/{NARUTO_RELEASE}.en.srt",
        f"{NARUTO_FOLDER}/Season 01/{NARUTO} - s01e500.en.srt",
    ),
    # A show typed in lower case: recased on purpose.
    one_of(
        "attack on titan/Season 01/attack on titan - s01e01.mkv",
        "Attack on Titan/Season 01/Attack on Titan - s01e01.mkv",
        "Attack On Titan/Season 01/Attack On Titan - s01e01.mkv",
    ),
]

# Files written beside the media: Plex's own ignore list, as Plex reads it.
PLEXIGNORE: dict[str, str] = {"movies": "Unsorted/*\n"}

TREE: dict[str, list[Row]] = {"movies": MOVIES, "tv": TV, "anime": ANIME}
