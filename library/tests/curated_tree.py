"""A library curated by hand for Plex, with what a renamer must do to each file.

Written from Plex's own naming rules, not from this project's parser:

- Movies (support.plex.tv, "Naming and organizing your Movie files"):
  `Movies/Title (Year)/Title (Year).ext`, a loose `Movies/Title (Year).ext` also
  works; an id hint `{tmdb-603}` or `{imdb-tt0133093}` in the folder and/or file
  name; editions `{edition-Final Cut}`, each edition in its own folder
  ("Multiple Editions"); several versions of one film in one folder, told apart
  by ` - label` ("Multiple Versions": `Pulp Fiction (1994) - 1080p.mkv`); split
  files end in ` - cdN`, `discN`, `diskN`, `dvdN`, `partN` or `ptN` ("Split
  files"); subtitles `Title (Year).en.srt`, `.en.forced.srt`, `.en.sdh.srt`.
- Extras (support.plex.tv, "Local files for trailers and extras"): folders
  `Behind The Scenes`, `Deleted Scenes`, `Featurettes`, `Interviews`, `Scenes`,
  `Shorts`, `Trailers`, `Other` beside the movie, or a file in the movie's folder
  whose name ends in `-behindthescenes`, `-deleted`, `-featurette`, `-interview`,
  `-scene`, `-short`, `-trailer` or `-other`. TV shows take the same folders at
  show and season level ("Local files for TV show trailers and extras").
  `Plex Versions/` holds Plex's own optimised copies.
- TV (support.plex.tv, "Naming and organizing your TV show files"):
  `Show (Year) {tvdb-81189}/Season 01/Show (Year) - s01e01 - Title.ext`; the year
  and id are optional; specials are season 0 (`Season 00` or `Specials`);
  `s02e17-e18` for a file holding two episodes; date-based shows
  `Show - 2024-03-05.ext`; one episode split over files ends in ` - pt1`.
  Absolute numbering (anime, "Absolute order") goes in season 1: `s01e1071`.

Each row says what must happen to one file: it stays (already Plex-correct),
it moves to exactly a given path, it may stay but if it moves it goes exactly
there (messy but not wrong), or it may move anywhere but must keep some text
(`keep`). Paths are relative to their library's folder. Files under a folder
the scan ignores (Plex Versions, Sample) are rows too: they must stay on disk.
"""

from __future__ import annotations

from dataclasses import dataclass

STAYS = "stays"
MOVES = "moves"
MAY_MOVE = "may_move"
KEEPS = "keeps"


@dataclass(frozen=True)
class Row:
    path: str
    expect: str
    # The exact new path (MOVES, MAY_MOVE); a MOVES row without one may go anywhere
    # that keeps `keep`.
    target: str = ""
    # Text the new path must still hold if the file moves (beyond the id tags,
    # editions and part labels every row is checked for).
    keep: tuple[str, ...] = ()
    extra: bool = False
    # Under a folder the scan skips on purpose: no plan item, but must stay on disk.
    ignored: bool = False


def stays(path: str, *, extra: bool = False, ignored: bool = False) -> Row:
    return Row(path, STAYS, extra=extra, ignored=ignored)


def extra(path: str, *, to: str = "") -> Row:
    """A Plex extra: stays where it is, or follows its movie or show to `to`."""
    return Row(path, MOVES if to else STAYS, target=to, extra=True)


def moves(path: str, to: str) -> Row:
    return Row(path, MOVES, target=to)


def may_move(path: str, to: str) -> Row:
    return Row(path, MAY_MOVE, target=to)


def keeps(path: str, *keep: str) -> Row:
    return Row(path, KEEPS, keep=keep)


MATRIX = "The Matrix (1999) {imdb-tt0133093}"
HEAT = "Heat (1995) {tmdb-949}"
BR_FINAL = "Blade Runner (1982) {tmdb-78} {edition-Final Cut}"
BR_THEATRICAL = "Blade Runner (1982) {tmdb-78} {edition-Theatrical Cut}"
DUNE = "Dune (2021) {tmdb-438631}"
PULP = "Pulp Fiction (1994) {tmdb-680}"
TDK = "The Dark Knight (2008) {tmdb-155}"
ARRIVAL = "Arrival (2016) {tmdb-329865}"
KOH = "Kingdom of Heaven (2005) {edition-Director's Cut}"
SPIRITED = "千と千尋の神隠し (2001) {tmdb-129}"

MOVIES: list[Row] = [
    # Plex-correct, with an imdb id on folder and file, subtitles and extras.
    stays(f"{MATRIX}/{MATRIX}.mkv"),
    stays(f"{MATRIX}/{MATRIX}.en.srt"),
    stays(f"{MATRIX}/{MATRIX}.en.forced.srt"),
    extra(f"{MATRIX}/Trailers/Official Trailer.mkv"),
    extra(f"{MATRIX}/Behind The Scenes/The Burly Man Chronicles.mkv"),
    # An extra named like a version of the film: still an extra.
    extra(f"{MATRIX}/Featurettes/The Matrix (1999) - Making Of.mkv"),
    # The id on the folder only: Plex reads it there, but its examples put it on both.
    may_move(f"{HEAT}/Heat (1995).mkv", f"{HEAT}/{HEAT}.mkv"),
    may_move(f"{HEAT}/Heat (1995).es.srt", f"{HEAT}/{HEAT}.es.srt"),
    extra(f"{HEAT}/Deleted Scenes/Deleted Scenes Montage.mkv"),
    extra(f"{HEAT}/Interviews/Michael Mann.mkv"),
    # Two editions of one film, each in its own folder, with an id.
    stays(f"{BR_FINAL}/{BR_FINAL}.mkv"),
    stays(f"{BR_FINAL}/{BR_FINAL}.en.srt"),
    extra(f"{BR_FINAL}/Featurettes/Dangerous Days.mkv"),
    stays(f"{BR_THEATRICAL}/{BR_THEATRICAL}.mkv"),
    # A second version inside an edition's folder.
    Row(f"{BR_FINAL}/{BR_FINAL} - 4K.mkv", STAYS, keep=(" - 4K",)),
    # Editions without an id; one of them is also named "Final Cut".
    stays("Apocalypse Now (1979) {edition-Redux}/Apocalypse Now (1979) {edition-Redux}.mkv"),
    stays(
        "Apocalypse Now (1979) {edition-Final Cut}/Apocalypse Now (1979) {edition-Final Cut}.mkv"
    ),
    stays(f"{KOH}/{KOH}.mkv"),
    stays(f"{KOH}/{KOH}.en.sdh.srt"),
    stays(
        "The Lord of the Rings - The Fellowship of the Ring (2001) {tmdb-120} "
        "{edition-Extended Edition}/The Lord of the Rings - The Fellowship of the Ring "
        "(2001) {tmdb-120} {edition-Extended Edition}.mkv"
    ),
    stays(
        "Aliens (1986) {imdb-tt0090605} {edition-Special Edition}/"
        "Aliens (1986) {imdb-tt0090605} {edition-Special Edition}.mkv"
    ),
    # Same title, different years.
    stays("Dune (1984) {tmdb-841}/Dune (1984) {tmdb-841}.mkv"),
    # Versions of one film in one folder; a subtitle for one version.
    Row(f"{DUNE}/{DUNE} - 1080p.mkv", STAYS, keep=(" - 1080p",)),
    Row(f"{DUNE}/{DUNE} - 4K.mkv", STAYS, keep=(" - 4K",)),
    Row(f"{DUNE}/{DUNE} - 4K.en.srt", STAYS, keep=(" - 4K",)),
    extra(f"{DUNE}/Trailers/Official Main Trailer.mkv"),
    stays(f"{DUNE}/Plex Versions/Optimized for TV/{DUNE} - 4K.mp4", ignored=True),
    stays("Dune - Part Two (2024) {tmdb-693134}/Dune - Part Two (2024) {tmdb-693134}.mkv"),
    Row(f"{PULP}/{PULP} - 1080p.mkv", STAYS, keep=(" - 1080p",)),
    Row(f"{PULP}/{PULP} - SD.avi", STAYS, keep=(" - SD",)),
    stays(f"{PULP}/Plex Versions/Mobile/{PULP} - 1080p.mp4", ignored=True),
    # Split files, three of Plex's spellings.
    stays(f"{TDK}/{TDK} - pt1.mkv"),
    stays(f"{TDK}/{TDK} - pt2.mkv"),
    stays("Lawrence of Arabia (1962)/Lawrence of Arabia (1962) - cd1.avi"),
    stays("Lawrence of Arabia (1962)/Lawrence of Arabia (1962) - cd2.avi"),
    stays("Lawrence of Arabia (1962)/Lawrence of Arabia (1962) - cd1.en.srt"),
    stays("Lawrence of Arabia (1962)/Lawrence of Arabia (1962) - cd2.en.srt"),
    stays("Gone with the Wind (1939)/Gone with the Wind (1939) - disc1.mkv"),
    stays("Gone with the Wind (1939)/Gone with the Wind (1939) - disc2.mkv"),
    stays("Memento (2000)/Memento (2000) - part1.mkv"),
    stays("Memento (2000)/Memento (2000) - part2.mkv"),
    # "Part 2" in a title is a title, not a split.
    stays(
        "Harry Potter and the Deathly Hallows - Part 2 (2011)/"
        "Harry Potter and the Deathly Hallows - Part 2 (2011).mkv"
    ),
    stays("Back to the Future Part II (1989)/Back to the Future Part II (1989).mkv"),
    stays("Kill Bill - Vol. 1 (2003)/Kill Bill - Vol. 1 (2003).mkv"),
    stays(
        "Star Wars - Episode IV - A New Hope (1977)/Star Wars - Episode IV - A New Hope (1977).mkv"
    ),
    # Every kind of inline extra, one named like the film itself.
    stays(f"{ARRIVAL}/{ARRIVAL}.mkv"),
    extra(f"{ARRIVAL}/{ARRIVAL}-trailer.mkv"),
    extra(f"{ARRIVAL}/Making Arrival-featurette.mkv"),
    extra(f"{ARRIVAL}/Heptapod Language-behindthescenes.mkv"),
    extra(f"{ARRIVAL}/Hannah at the Lake-deleted.mkv"),
    extra(f"{ARRIVAL}/Denis Villeneuve-interview.mkv"),
    extra(f"{ARRIVAL}/The Landing-scene.mkv"),
    extra(f"{ARRIVAL}/Story of Your Life-short.mkv"),
    extra(f"{ARRIVAL}/Concept Art-other.mkv"),
    extra(f"{ARRIVAL}/Other/Concept Art Gallery.mkv"),
    extra(f"{ARRIVAL}/Scenes/Opening Scene.mkv"),
    extra(f"{ARRIVAL}/Shorts/Heptapod Short.mkv"),
    # Punctuation: ":" written as " - ", apostrophes, "&", "...", "!", ",", ".", ";".
    stays("Mission - Impossible (1996) {tmdb-954}/Mission - Impossible (1996) {tmdb-954}.mkv"),
    stays("Ocean's Eleven (2001)/Ocean's Eleven (2001).mkv"),
    stays("Fast & Furious (2009)/Fast & Furious (2009).mkv"),
    # A folder whose name starts with a dot is hidden: this scan skips it (the ".*"
    # ignore pattern), as Plex's scanner skips hidden files. It must stay on disk.
    stays("...And Justice for All (1979)/...And Justice for All (1979).mkv", ignored=True),
    stays("Airplane! (1980)/Airplane! (1980).mkv"),
    stays("Monsters, Inc. (2001)/Monsters, Inc. (2001).mkv"),
    stays("Mr. & Mrs. Smith (2005)/Mr. & Mrs. Smith (2005).mkv"),
    stays("Your Name. (2016)/Your Name. (2016).mkv"),
    stays("Once Upon a Time... in Hollywood (2019)/Once Upon a Time... in Hollywood (2019).mkv"),
    stays(
        "Dr. Strangelove or - How I Learned to Stop Worrying and Love the Bomb (1964)/"
        "Dr. Strangelove or - How I Learned to Stop Worrying and Love the Bomb (1964).mkv"
    ),
    stays(
        "Birdman or (The Unexpected Virtue of Ignorance) (2014)/"
        "Birdman or (The Unexpected Virtue of Ignorance) (2014).mkv"
    ),
    stays(
        "Spider-Man - Into the Spider-Verse (2018) {tmdb-324857}/"
        "Spider-Man - Into the Spider-Verse (2018) {tmdb-324857}.mkv"
    ),
    stays("WALL·E (2008)/WALL·E (2008).mkv"),
    # Accents and non-Latin scripts.
    stays("Amélie (2001) {tmdb-194}/Amélie (2001) {tmdb-194}.mkv"),
    stays("Amélie (2001) {tmdb-194}/Amélie (2001) {tmdb-194}.fr.srt"),
    stays("Amélie (2001) {tmdb-194}/Amélie (2001) {tmdb-194}.eng.srt"),
    # A VobSub pair: two files, one subtitle.
    stays("Amélie (2001) {tmdb-194}/Amélie (2001) {tmdb-194}.en.idx"),
    stays("Amélie (2001) {tmdb-194}/Amélie (2001) {tmdb-194}.en.sub"),
    stays("Y Tu Mamá También (2001)/Y Tu Mamá También (2001).mkv"),
    stays("Les Misérables (1998)/Les Misérables (1998).mkv"),
    stays("Les Misérables (2012)/Les Misérables (2012).mkv"),
    stays(f"{SPIRITED}/{SPIRITED}.mkv"),
    stays(f"{SPIRITED}/{SPIRITED}.ja.srt"),
    stays("기생충 (2019) {tmdb-496243}/기생충 (2019) {tmdb-496243}.mkv"),
    stays("Левиафан (2014)/Левиафан (2014).mkv"),
    stays("Akira (1988) {tmdb-149}/Akira (1988) {tmdb-149}.mkv"),
    # Numbers in titles: a title that is a year, one that starts with a number.
    stays("2001 - A Space Odyssey (1968)/2001 - A Space Odyssey (1968).mkv"),
    stays("1917 (2019) {tmdb-530915}/1917 (2019) {tmdb-530915}.mkv"),
    stays("2012 (2009)/2012 (2009).mkv"),
    stays("Blade Runner 2049 (2017) {tmdb-335984}/Blade Runner 2049 (2017) {tmdb-335984}.mkv"),
    stays("Se7en (1995)/Se7en (1995).mkv"),
    stays("10 Cloverfield Lane (2016)/10 Cloverfield Lane (2016).mkv"),
    stays("M3GAN (2022)/M3GAN (2022).mkv"),
    stays("(500) Days of Summer (2009)/(500) Days of Summer (2009).mkv"),
    stays("1984 (1984)/1984 (1984).mkv"),
    stays("Alien vs. Predator (2004)/Alien vs. Predator (2004).mkv"),
    # Plex matches any case, but a name typed all in lower case is written properly
    # (the naming issue's rule: case is fixed only when it is clearly wrong).
    moves(
        "the big lebowski (1998)/the big lebowski (1998).mkv",
        "The Big Lebowski (1998)/The Big Lebowski (1998).mkv",
    ),
    stays("JAWS (1975)/JAWS (1975).mkv"),
    # Same title, different years, with ids.
    stays("The Thing (1982) {tmdb-1091}/The Thing (1982) {tmdb-1091}.mkv"),
    stays("The Thing (2011) {tmdb-60935}/The Thing (2011) {tmdb-60935}.mkv"),
    stays("Ghost in the Shell (1995)/Ghost in the Shell (1995).mkv"),
    stays("Ghost in the Shell (2017)/Ghost in the Shell (2017).mkv"),
    # A single file with a version label is still Plex-correct.
    stays("Psycho (1960)/Psycho (1960) - 720p.mkv"),
    # Both ids, and an edition named with a number.
    stays(
        "The Godfather (1972) {tmdb-238} {imdb-tt0068646}/"
        "The Godfather (1972) {tmdb-238} {imdb-tt0068646}.mkv"
    ),
    stays(
        "Jurassic Park (1993) {edition-25th Anniversary}/"
        "Jurassic Park (1993) {edition-25th Anniversary}.mkv"
    ),
    # Messy but not wrong: loose files in the root (Plex reads a movie in a shared
    # folder too, so they may stay), tags in another order, a collection.
    may_move("Amadeus (1984).mkv", "Amadeus (1984)/Amadeus (1984).mkv"),
    may_move("Amadeus (1984).en.srt", "Amadeus (1984)/Amadeus (1984).en.srt"),
    may_move(
        "Gladiator (2000) {imdb-tt0172495}.mkv",
        "Gladiator (2000) {imdb-tt0172495}/Gladiator (2000) {imdb-tt0172495}.mkv",
    ),
    # Plex: "The order of the tags is unimportant."
    stays(
        "Alien (1979) {edition-Director's Cut} {tmdb-348}/"
        "Alien (1979) {edition-Director's Cut} {tmdb-348}.mkv"
    ),
    # An edition on the folder only, or on the file only: Plex reads either
    # ("either the folder or filename or both"), and recommends both.
    may_move(
        "Top Gun - Maverick (2022) {edition-IMAX}/Top Gun - Maverick (2022).mkv",
        "Top Gun - Maverick (2022) {edition-IMAX}/Top Gun - Maverick (2022) {edition-IMAX}.mkv",
    ),
    may_move(
        "The Abyss (1989)/The Abyss (1989) {edition-Special Edition}.mkv",
        "The Abyss (1989) {edition-Special Edition}/The Abyss (1989) {edition-Special Edition}.mkv",
    ),
    keeps("Star Wars Collection/Star Wars (1977) {tmdb-11}/Star Wars (1977) {tmdb-11}.mkv"),
    keeps(
        "Star Wars Collection/The Empire Strikes Back (1980) {tmdb-1891}/"
        "The Empire Strikes Back (1980) {tmdb-1891}.mkv"
    ),
    # Not Plex-correct: the year without brackets, a file without its year.
    moves("Rear Window 1954/Rear Window 1954.mkv", "Rear Window (1954)/Rear Window (1954).mkv"),
    extra(
        "Rear Window 1954/Trailers/Rear Window Trailer.mkv",
        to="Rear Window (1954)/Trailers/Rear Window Trailer.mkv",
    ),
    # An inline extra must follow its film to the new folder, by whatever name, as an extra.
    Row(
        "Rear Window 1954/Rear Window 1954-trailer.mkv",
        MOVES,
        keep=("Rear Window (1954)/", "-trailer"),
        extra=True,
    ),
    moves("Vertigo (1958)/Vertigo.mkv", "Vertigo (1958)/Vertigo (1958).mkv"),
    # A release-named file inside a curated folder, with its subtitle.
    moves(
        "Toy Story (1995)/toy.story.1995.1080p.bluray.x264-sector7.mkv",
        "Toy Story (1995)/Toy Story (1995).mkv",
    ),
    moves(
        "Toy Story (1995)/toy.story.1995.1080p.bluray.x264-sector7.en.srt",
        "Toy Story (1995)/Toy Story (1995).en.srt",
    ),
    # Release names in the root or in release folders.
    moves(
        "The.Shawshank.Redemption.1994.1080p.BluRay.x264-AMIABLE.mkv",
        "The Shawshank Redemption (1994)/The Shawshank Redemption (1994).mkv",
    ),
    moves(
        "Parasite.2019.KOREAN.1080p.WEBRip.x264-RARBG/Parasite.2019.KOREAN.1080p.WEBRip.x264-RARBG.mkv",
        "Parasite (2019)/Parasite (2019).mkv",
    ),
    # An extra that came with the release follows its film.
    extra(
        "Parasite.2019.KOREAN.1080p.WEBRip.x264-RARBG/Featurettes/Bong Joon-ho Interview.mkv",
        to="Parasite (2019)/Featurettes/Bong Joon-ho Interview.mkv",
    ),
    # A second copy arrives as a release name beside a curated version: it joins the
    # film's folder as another version, keeping the id, and never takes the 1080p's name.
    Row(
        "Inception (2010) {tmdb-27205}/Inception (2010) {tmdb-27205} - 1080p.mkv",
        STAYS,
        keep=(" - 1080p",),
    ),
    keeps(
        "Inception (2010) {tmdb-27205}/Inception.2010.2160p.UHD.BluRay.x265-TERMiNAL.mkv",
        "Inception (2010) {tmdb-27205}/Inception (2010) {tmdb-27205}",
    ),
    keeps("Oppenheimer.2023.IMAX.2160p.UHD.BluRay.x265-SURCODE.mkv", "Oppenheimer (2023)"),
    moves(
        "28.Days.Later.2002.1080p.BluRay.x264-CiNEFiLE.mkv",
        "28 Days Later (2002)/28 Days Later (2002).mkv",
    ),
    keeps(
        "Interstellar.2014.2160p.UHD.BluRay.x265.10bit.HDR {tmdb-157336}.mkv", "Interstellar (2014)"
    ),
    moves(
        "The.Godfather.Part.II.1974.1080p.BluRay.x264.mkv",
        "The Godfather Part II (1974)/The Godfather Part II (1974).mkv",
    ),
    moves(
        "Back.to.the.Future.Part.III.1990.720p.BluRay.x264-SiNNERS.mkv",
        "Back to the Future Part III (1990)/Back to the Future Part III (1990).mkv",
    ),
    moves(
        "Harry.Potter.and.the.Deathly.Hallows.Part.1.2010.1080p.BluRay.x264.mkv",
        "Harry Potter and the Deathly Hallows Part 1 (2010)/"
        "Harry Potter and the Deathly Hallows Part 1 (2010).mkv",
    ),
    moves(
        "Avengers.Endgame.2019.1080p.BluRay.x264-SPARKS/Avengers.Endgame.2019.1080p.BluRay.x264-SPARKS.mkv",
        "Avengers Endgame (2019)/Avengers Endgame (2019).mkv",
    ),
    stays(
        "Avengers.Endgame.2019.1080p.BluRay.x264-SPARKS/Sample/"
        "avengers.endgame.2019.1080p.bluray.x264-sparks.sample.mkv",
        ignored=True,
    ),
]

BB = "Breaking Bad (2008) {tvdb-81189}"
SEV = "Severance (2022) {tvdb-371980}"
FIREFLY = "Firefly {tvdb-78874}"
DW05 = "Doctor Who (2005) {tvdb-78804}"
OFFICE = "The Office (US) (2005) {tvdb-73244}"
GREYS = "Grey's Anatomy (2005) {tvdb-73762}"
SHIELD = "Marvel's Agents of S.H.I.E.L.D. (2013) {tvdb-263365}"
TNG = "Star Trek - The Next Generation (1987) {tvdb-71470}"
ROBOT = "Mr. Robot (2015) {tvdb-289590}"
SHERLOCK = "Sherlock (2010) {tvdb-176941}"
DARK = "Dark (2017) {tvdb-334824}"
DAILY = "The Daily Show (1996) {tvdb-71256}"
WIRE = "The Wire (2002) {tvdb-79126}"
FARGO = "Fargo (2014) {tvdb-269613}"
LASSO = "Ted Lasso (2020) {tvdb-383203}"

TV: list[Row] = [
    # A show with year and tvdb id: episodes, specials, subtitles, show and season extras.
    stays(f"{BB}/Season 01/Breaking Bad (2008) - s01e01 - Pilot.mkv"),
    stays(f"{BB}/Season 01/Breaking Bad (2008) - s01e01 - Pilot.en.srt"),
    stays(f"{BB}/Season 01/Breaking Bad (2008) - s01e02 - Cat's in the Bag....mkv"),
    stays(f"{BB}/Season 01/Breaking Bad (2008) - s01e03 - ...And the Bag's in the River.mkv"),
    stays(f"{BB}/Season 02/Breaking Bad (2008) - s02e01 - Seven Thirty-Seven.mkv"),
    stays(f"{BB}/Season 05/Breaking Bad (2008) - s05e14 - Ozymandias.mkv"),
    stays(f"{BB}/Season 05/Breaking Bad (2008) - s05e16 - Felina.mkv"),
    stays(f"{BB}/Season 00/Breaking Bad (2008) - s00e01 - Good Cop Bad Cop.mkv"),
    extra(f"{BB}/Featurettes/The Writers' Room.mkv"),
    extra(f"{BB}/Season 05/Behind The Scenes/Inside Breaking Bad - Ozymandias.mkv"),
    extra(f"{BB}/Season 05/Deleted Scenes/Felina Deleted Scene.mkv"),
    # Episode extras inline, as Plex names them: the episode's name, then -Extra_Type,
    # indexed when there are several of one type.
    extra(f"{BB}/Season 05/Breaking Bad (2008) - s05e14 - Ozymandias-featurette.mkv"),
    extra(f"{BB}/Season 05/Breaking Bad (2008) - s05e16 - Felina-deleted1.mkv"),
    extra(f"{BB}/Season 05/Breaking Bad (2008) - s05e16 - Felina-deleted2.mkv"),
    # A release-named episode (and its subtitle) in a curated season folder.
    stays(f"{SEV}/Season 01/Severance (2022) - s01e01 - Good News About Hell.mkv"),
    stays(f"{SEV}/Season 01/Severance (2022) - s01e01 - Good News About Hell.en.srt"),
    stays(f"{SEV}/Season 01/Severance (2022) - s01e01 - Good News About Hell.en.forced.srt"),
    stays(f"{SEV}/Season 01/Severance (2022) - s01e02 - Half Loop.mkv"),
    moves(
        f"{SEV}/Season 01/Severance.S01E03.In.Perpetuity.1080p.ATVP.WEB-DL.DDP5.1.H.264-NTb.mkv",
        f"{SEV}/Season 01/Severance (2022) - s01e03 - In Perpetuity.mkv",
    ),
    moves(
        f"{SEV}/Season 01/Severance.S01E03.In.Perpetuity.1080p.ATVP.WEB-DL.DDP5.1.H.264-NTb.en.srt",
        f"{SEV}/Season 01/Severance (2022) - s01e03 - In Perpetuity.en.srt",
    ),
    stays(f"{SEV}/Season 02/Severance (2022) - s02e01 - Hello, Ms. Cobel.mkv"),
    extra(f"{SEV}/Trailers/Season 2 Official Trailer.mkv"),
    extra(f"{SEV}/Season 01/Other/The Lumon Handbook.mkv"),
    # A show without a year, with an id.
    stays(f"{FIREFLY}/Season 01/Firefly - s01e01 - Serenity.mkv"),
    stays(f"{FIREFLY}/Season 01/Firefly - s01e02 - The Train Job.mkv"),
    moves(
        f"{FIREFLY}/Season 01/Firefly.S01E03.Bushwhacked.720p.BluRay.x264-SiNNERS.mkv",
        f"{FIREFLY}/Season 01/Firefly - s01e03 - Bushwhacked.mkv",
    ),
    stays(f"{FIREFLY}/Season 00/Firefly - s00e01 - Here's How It Was - The Making of Firefly.mkv"),
    extra(f"{FIREFLY}/Featurettes/Serenity - The 10th Anniversary.mkv"),
    extra(f"{FIREFLY}/Season 01/Interviews/Nathan Fillion.mkv"),
    # Same title, different years; a multi-episode file; an extra named like an episode.
    stays(f"{DW05}/Season 01/Doctor Who (2005) - s01e01 - Rose.mkv"),
    stays(f"{DW05}/Season 01/Doctor Who (2005) - s01e04 - Aliens of London.mkv"),
    stays(
        f"{DW05}/Season 04/Doctor Who (2005) - s04e12-e13 - The Stolen Earth & Journey's End.mkv"
    ),
    stays(f"{DW05}/Season 00/Doctor Who (2005) - s00e02 - The Christmas Invasion.mkv"),
    extra(f"{DW05}/Behind The Scenes/Doctor Who Confidential - s01e01.mkv"),
    # Plex's own examples, word for word.
    stays(
        "Doctor Who (1963) {tvdb-76107}/Season 01/Doctor Who (1963) - s01e01 - An Unearthly Child (1).mp4"
    ),
    stays(
        "Doctor Who (1963) {tvdb-76107}/Season 01/Doctor Who (1963) - s01e02 - The Cave of Skulls (2).mp4"
    ),
    stays(
        "From the Earth to the Moon (1998)/Season 01/From the Earth to the Moon (1998) - s01e01.mp4"
    ),
    stays(
        "From the Earth to the Moon (1998)/Season 01/From the Earth to the Moon (1998) - s01e02 - pt1.mp4"
    ),
    stays(
        "From the Earth to the Moon (1998)/Season 01/From the Earth to the Moon (1998) - s01e02 - pt2.mp4"
    ),
    stays(
        "The Colbert Report (2005)/Season 08/The Colbert Report (2005) - 2011-11-15 - Elijah Wood.avi"
    ),
    may_move(
        "The Office (UK) (2001) {tmdb-2996}/Season 01/The Office (UK) - s01e01 - Downsize.mp4",
        "The Office (UK) (2001) {tmdb-2996}/Season 01/The Office (UK) (2001) - s01e01 - Downsize.mp4",
    ),
    # Bracketed optional info: Plex ignores it when matching.
    stays(
        "Band of Brothers (2001) {tvdb-74205}/Season 01/"
        "Band of Brothers (2001) - s01e01 - Currahee [1080p Bluray].mkv"
    ),
    stays(
        "Battlestar Galactica (1978) {tvdb-71173}/Season 01/"
        "Battlestar Galactica (1978) - s01e01-e02 - Saga of a Star World.mkv"
    ),
    # An episode title that is a number.
    stays(
        "Battlestar Galactica (2004) {tvdb-73545}/Season 01/Battlestar Galactica (2004) - s01e01 - 33.mkv"
    ),
    stays(
        "Battlestar Galactica (2004) {tvdb-73545}/Season 01/Battlestar Galactica (2004) - s01e02 - Water.mkv"
    ),
    # A title with a bracketed country before the year.
    stays(f"{OFFICE}/Season 02/The Office (US) (2005) - s02e01 - The Dundies.mkv"),
    stays(f"{OFFICE}/Season 02/The Office (US) (2005) - s02e12 - The Injury.mkv"),
    stays(f"{OFFICE}/Season 03/The Office (US) (2005) - s03e10-e11 - A Benihana Christmas.mkv"),
    # Apostrophe, and one episode split over two files.
    stays(f"{GREYS}/Season 01/Grey's Anatomy (2005) - s01e01 - A Hard Day's Night.mkv"),
    stays(f"{GREYS}/Season 02/Grey's Anatomy (2005) - s02e17 - As We Know It - pt1.mkv"),
    stays(f"{GREYS}/Season 02/Grey's Anatomy (2005) - s02e17 - As We Know It - pt2.mkv"),
    stays(f"{GREYS}/Season 03/Grey's Anatomy (2005) - s03e01-e03.avi"),
    stays(
        "Law & Order - Special Victims Unit (1999) {tvdb-75692}/Season 01/"
        "Law & Order - Special Victims Unit (1999) - s01e01 - Payback.mkv"
    ),
    # Acronyms and odd case.
    stays(f"{SHIELD}/Season 01/Marvel's Agents of S.H.I.E.L.D. (2013) - s01e01 - Pilot.mkv"),
    stays(f"{SHIELD}/Season 01/Marvel's Agents of S.H.I.E.L.D. (2013) - s01e02 - 0-8-4.mkv"),
    stays("iCarly (2007) {tvdb-79310}/Season 01/iCarly (2007) - s01e01 - iPilot.mkv"),
    stays("iCarly (2007) {tvdb-79310}/Season 01/iCarly (2007) - s01e02 - iWant More Viewers.mkv"),
    # Episode titles with brackets, dots, underscores and a file extension in them.
    stays(
        f"{TNG}/Season 03/Star Trek - The Next Generation (1987) - s03e26 - The Best of Both Worlds (1).mkv"
    ),
    stays(
        f"{TNG}/Season 04/Star Trek - The Next Generation (1987) - s04e01 - The Best of Both Worlds (2).mkv"
    ),
    stays(f"{ROBOT}/Season 01/Mr. Robot (2015) - s01e01 - eps1.0_hellofriend.mov.mkv"),
    stays(f"{ROBOT}/Season 01/Mr. Robot (2015) - s01e02 - eps1.1_ones-and-zer0es.mpeg.mkv"),
    stays(f"{SHERLOCK}/Season 00/Sherlock (2010) - s00e01 - The Abominable Bride.mkv"),
    stays(f"{SHERLOCK}/Season 01/Sherlock (2010) - s01e01 - A Study in Pink.mkv"),
    extra(f"{SHERLOCK}/Unlocking Sherlock-behindthescenes.mkv"),
    # An episode title that looks like numbers.
    stays("Chernobyl (2019) {tvdb-360893}/Season 01/Chernobyl (2019) - s01e01 - 1-23-45.mkv"),
    # Accents and non-Latin scripts.
    stays("Shōgun (2024) {tvdb-392573}/Season 01/Shōgun (2024) - s01e01 - Anjin.mkv"),
    stays(f"{DARK}/Season 01/Dark (2017) - s01e01 - Secrets.mkv"),
    stays(f"{DARK}/Season 01/Dark (2017) - s01e01 - Secrets.de.srt"),
    stays(f"{DARK}/Season 01/Dark (2017) - s01e01 - Secrets.en.forced.srt"),
    stays(
        "오징어 게임 (2021) {tvdb-383275}/Season 01/오징어 게임 (2021) - s01e01 - 무궁화 꽃이 피던 날.mkv"
    ),
    stays(
        "La casa de papel (2017) {tvdb-327417}/Season 01/"
        "La casa de papel (2017) - s01e01 - Efectuar lo acordado.mkv"
    ),
    # Date-based shows; the season folder is the year or the show's own season.
    stays(f"{DAILY}/Season 2024/The Daily Show (1996) - 2024-03-05 - Jon Stewart Returns.mkv"),
    stays(f"{DAILY}/Season 2024/The Daily Show (1996) - 2024-03-06.mkv"),
    stays(
        "Last Week Tonight with John Oliver (2014) {tvdb-278518}/Season 11/"
        "Last Week Tonight with John Oliver (2014) - 2024-02-18.mkv"
    ),
    stays("Jeopardy! (1984) {tvdb-70355}/Season 40/Jeopardy! (1984) - 2024-03-05.mkv"),
    # Shows without year or id; titles that are or hold numbers.
    stays("MythBusters/Season 2005/MythBusters - s2005e16 - Bulletproof Water.mkv"),
    stays(
        "Mystery Science Theater 3000/Season 01/"
        "Mystery Science Theater 3000 - s01e01 - The Crawling Eye.mkv"
    ),
    stays("24/Season 01/24 - s01e01 - 12-00 A.M. - 1-00 A.M..mkv"),
    stays("30 Rock (2006) {tvdb-79488}/Season 01/30 Rock (2006) - s01e01 - Pilot.mkv"),
    stays("9-1-1 (2018) {tvdb-345238}/Season 01/9-1-1 (2018) - s01e01 - Pilot.mkv"),
    stays("The 100 (2014) {tvdb-268592}/Season 01/The 100 (2014) - s01e01 - Pilot.mkv"),
    stays("1883 (2021) {tvdb-412193}/Season 01/1883 (2021) - s01e01 - 1883.mkv"),
    stays(
        "Brooklyn Nine-Nine (2013) {tvdb-269586}/Season 01/"
        "Brooklyn Nine-Nine (2013) - s01e07 - 48 Hours.mkv"
    ),
    # Episodes whose real titles are "Part 1" and "Part 2" (Twin Peaks: The Return).
    stays("Twin Peaks (1990) {tvdb-70533}/Season 03/Twin Peaks (1990) - s03e01 - Part 1.mkv"),
    stays("Twin Peaks (1990) {tvdb-70533}/Season 03/Twin Peaks (1990) - s03e02 - Part 2.mkv"),
    # An episode title that holds the show's name and a " - ".
    stays(
        "BoJack Horseman (2014) {tvdb-282254}/Season 01/BoJack Horseman (2014) - s01e01 - "
        "BoJack Horseman - The BoJack Horseman Story, Chapter One.mkv"
    ),
    # Other id kinds on a show folder; an acronym title; an all-lower curated show.
    stays(
        "Shōgun (2024) {tmdb-126308}/Season 01/Shōgun (2024) - s01e02 - Servants of Two Masters.mkv"
    ),
    stays(
        "The Expanse (2015) {imdb-tt3230854}/Season 01/The Expanse (2015) - s01e01 - Dulcinea.mkv"
    ),
    stays("QI (2003) {tvdb-72716}/Season 01/QI (2003) - s01e01 - Adam.mkv"),
    moves(
        "taskmaster (2015)/Season 01/taskmaster (2015) - s01e01 - melon buffet.mkv",
        "Taskmaster (2015)/Season 01/Taskmaster (2015) - s01e01 - Melon Buffet.mkv",
    ),
    extra(f"{SEV}/Severance Official Trailer-trailer.mkv"),
    # Messy but not wrong: unpadded season folders, upper-case SxxExx, a Specials folder,
    # episode files without the show's year, a bare "Show s01e01".
    may_move(
        f"{WIRE}/Season 1/The Wire (2002) - s01e01 - The Target.mkv",
        f"{WIRE}/Season 01/The Wire (2002) - s01e01 - The Target.mkv",
    ),
    may_move(
        f"{WIRE}/Season 1/The Wire (2002) - S01E02 - The Detail.mkv",
        f"{WIRE}/Season 01/The Wire (2002) - s01e02 - The Detail.mkv",
    ),
    stays(f"{FARGO}/Season 01/Fargo (2014) - s01e01 - The Crocodile's Dilemma.mkv"),
    may_move(
        f"{FARGO}/Specials/Fargo (2014) - s00e01 - Inside Fargo.mkv",
        f"{FARGO}/Season 00/Fargo (2014) - s00e01 - Inside Fargo.mkv",
    ),
    may_move(
        "Friends (1994)/Season 01/Friends - s01e01 - The One Where Monica Gets a Roommate.mkv",
        "Friends (1994)/Season 01/Friends (1994) - s01e01 - The One Where Monica Gets a Roommate.mkv",
    ),
    may_move(
        "Friends (1994)/Season 01/Friends - s01e16-e17 - The One with Two Parts.mkv",
        "Friends (1994)/Season 01/Friends (1994) - s01e16-e17 - The One with Two Parts.mkv",
    ),
    may_move(
        "Twin Peaks/Season 1/Twin Peaks s01e01.mkv", "Twin Peaks/Season 01/Twin Peaks - s01e01.mkv"
    ),
    # Not Plex-correct: release names, in the root, in a release folder, in a curated show.
    moves(
        "The.Bear.S02E06.Fishes.1080p.HULU.WEB-DL.DDP5.1.H.264-NTb.mkv",
        "The Bear/Season 02/The Bear - s02e06 - Fishes.mkv",
    ),
    moves(
        "Seinfeld.S03E17E18.The.Boyfriend.720p.WEB-DL.mkv",
        "Seinfeld/Season 03/Seinfeld - s03e17-e18 - The Boyfriend.mkv",
    ),
    keeps("The.Daily.Show.2024.03.07.1080p.WEB.h264-EDITH.mkv", " - 2024-03-07"),
    moves(
        "Better.Call.Saul.S06.1080p.AMZN.WEB-DL/"
        "Better.Call.Saul.S06E13.Saul.Gone.1080p.AMZN.WEB-DL.DDP5.1.H.264-NTb.mkv",
        "Better Call Saul/Season 06/Better Call Saul - s06e13 - Saul Gone.mkv",
    ),
    moves(
        "Succession (2018)/Season 4/Succession.S04E03.Connors.Wedding.1080p.AMZN.WEB-DL.mkv",
        "Succession (2018)/Season 04/Succession (2018) - s04e03 - Connors Wedding.mkv",
    ),
    extra("Succession (2018)/Featurettes/Inside the Episode.mkv"),
    # An episode's inline extra follows its season folder, still an extra.
    Row(
        "Succession (2018)/Season 4/Succession (2018) - s04e03 - Connor's Wedding-deleted1.mkv",
        MOVES,
        keep=("Succession (2018)/Season 04/", "-deleted1"),
        extra=True,
    ),
    keeps(
        f"{LASSO}/Season 01/ted.lasso.s01e01.pilot.1080p.web.h264-ggez.mkv",
        f"{LASSO}/Season 01/Ted Lasso (2020) - s01e01",
    ),
    moves(
        f"{LASSO}/Season 01/Ted Lasso - 1x02 - Biscuits.mkv",
        f"{LASSO}/Season 01/Ted Lasso (2020) - s01e02 - Biscuits.mkv",
    ),
]

BEBOP = "Cowboy Bebop (1998) {tvdb-76885}"
OP = "One Piece (1999) {tvdb-81797}"
FRIEREN = "Frieren (2023) {tvdb-424536}"
EVA = "Neon Genesis Evangelion (1995) {tvdb-70350}"
MOB = "Mob Psycho 100 (2016) {tvdb-305074}"
GINTAMA = "Gintama (2006) {tvdb-79895}"

ANIME: list[Row] = [
    stays(f"{BEBOP}/Season 01/Cowboy Bebop (1998) - s01e01 - Asteroid Blues.mkv"),
    stays(f"{BEBOP}/Season 01/Cowboy Bebop (1998) - s01e01 - Asteroid Blues.en.ass"),
    stays(f"{BEBOP}/Season 01/Cowboy Bebop (1998) - s01e05 - Ballad of Fallen Angels.mkv"),
    stays(f"{BEBOP}/Season 00/Cowboy Bebop (1998) - s00e01 - Session XX - Mish-Mash Blues.mkv"),
    # Absolute numbering in season 1, as Plex reads it for anime.
    stays(
        f"{OP}/Season 01/One Piece (1999) - s01e1000 - Overwhelming Strength! The Straw Hats Come Together!.mkv"
    ),
    stays(f"{OP}/Season 01/One Piece (1999) - s01e1071 - Luffy's Peak - Attained! Gear 5.mkv"),
    moves(
        f"{OP}/Season 01/[SubsPlease] One Piece - 1072 (1080p) [F1E2D3C4].mkv",
        f"{OP}/Season 01/One Piece (1999) - s01e1072.mkv",
    ),
    stays(f"{FRIEREN}/Season 01/Frieren (2023) - s01e01 - The Journey's End.mkv"),
    stays(f"{FRIEREN}/Season 01/Frieren (2023) - s01e01 - The Journey's End.en.srt"),
    # The fansub's romaji title is not the show folder the user chose.
    moves(
        f"{FRIEREN}/Season 01/[Erai-raws] Sousou no Frieren - 02 [1080p][Multiple Subtitle].mkv",
        f"{FRIEREN}/Season 01/Frieren (2023) - s01e02.mkv",
    ),
    stays(
        "進撃の巨人 (2013) {tvdb-267440}/Season 01/進撃の巨人 (2013) - s01e01 - 二千年後の君へ.mkv"
    ),
    stays(f"{EVA}/Season 01/Neon Genesis Evangelion (1995) - s01e01 - Angel Attack.mkv"),
    extra(f"{EVA}/Featurettes/Evangelion Opening (Creditless).mkv"),
    stays(
        f"{MOB}/Season 01/Mob Psycho 100 (2016) - s01e01 - "
        "Self-Proclaimed Psychic - Reigen Arataka ~And Mob~.mkv"
    ),
    stays(
        f"{MOB}/Season 02/Mob Psycho 100 (2016) - s02e01 - Even a Fake Psychic Is a Big Deal.mkv"
    ),
    stays(
        "Steins;Gate (2011) {tvdb-244061}/Season 01/Steins;Gate (2011) - s01e01 - Turning Point.mkv"
    ),
    stays(
        "Demon Slayer - Kimetsu no Yaiba (2019) {tvdb-348545}/Season 01/"
        "Demon Slayer - Kimetsu no Yaiba (2019) - s01e01 - Cruelty.mkv"
    ),
    stays(
        "Re - ZERO -Starting Life in Another World- (2016) {tvdb-305089}/Season 01/"
        "Re - ZERO -Starting Life in Another World- (2016) - s01e01 - "
        "The End of the Beginning and the Beginning of the End.mkv"
    ),
    stays("86 (2021) {tvdb-378609}/Season 01/86 (2021) - s01e01 - Undertaker.mkv"),
    # A bare absolute number: Plex's scanner could read "150" as s01e50.
    moves(
        f"{GINTAMA}/Season 01/Gintama (2006) - 150.mkv",
        f"{GINTAMA}/Season 01/Gintama (2006) - s01e150.mkv",
    ),
    moves(
        "[SubsPlease] Dandadan - 03 (1080p) [A1B2C3D4].mkv",
        "Dandadan/Season 01/Dandadan - s01e03.mkv",
    ),
]

# Library folder name -> (Library.kind, rows). Plex keeps movies and shows in
# libraries of their own type, so the curated tree has one library per type.
LIBRARIES: dict[str, tuple[str, list[Row]]] = {
    "Movies": ("movies", MOVIES),
    "TV Shows": ("tv", TV),
    "Anime": ("anime", ANIME),
}
