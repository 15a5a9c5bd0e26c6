"""Name rules for films and for names that say nothing, plus what Plex reads
beside a film's title: edition words, split parts and multi-version labels."""

from __future__ import annotations

import datetime
import re

from .recognition_parse import NameParse
from .recognition_text import episode_title_clean, first_tech_offset, is_tech, title_clean

# A year; before 1900 only in parentheses ("The Crown Affair (1897)", never S18E97).
_YEAR_RE = re.compile(
    r"(?<![0-9a-z])(?:[(\[]?((?:19|20)\d\d)[)\]]?|\((18[89]\d)\))(?![0-9a-z])", re.IGNORECASE
)
# Camera, phone and disc-structure names: nothing to recognise, and guessit
# reads their counters as episodes ("IMG_1234" -> S12E34).
_DEVICE_RE = re.compile(
    r"^(?:(?:img|vid|dsc[nf]?|mvi|mov|gopr|gh\d\d|gx\d\d|pxl|vts|dji|trim)[\s._-]*\d[\d_.-]*"
    r"|(?:screen recording|screen shot|screenshot) \d{4}-\d\d-\d\d at .*)$",
    re.IGNORECASE,
)
_BARE_RE = re.compile(
    r"^(?:(?:e|ep|episode)[\s._-]*)?(?P<episode>\d{1,3})(?:v\d)?"
    r"(?:(?:\s*-\s*|\.\s+|[\s_]+)(?P<rest>.*))?$",
    re.IGNORECASE,
)
_SPECIAL_WORD_RE = re.compile(r"(?<![a-z])(?:ova|oad|specials?)(?![a-z])", re.IGNORECASE)
# Edition words Plex shows apart from the title ("{edition-...}" tags are read earlier).
_EDITION_RE = re.compile(
    r"(?<![a-z])(?P<edition>director'?s[\s._]cut|extended(?:[\s._](?:edition|cut))?"
    r"|theatrical(?:[\s._](?:cut|edition))?|unrated|uncut|final[\s._]cut|remastered|imax"
    r"|(?:special|ultimate|collector'?s|anniversary|criterion)[\s._]edition)"
    r"(?:[\s._]edition)?(?![a-z])",
    re.IGNORECASE,
)
# Words a release writes between the title and the year: edition and audio language.
_BEFORE_YEAR_WORDS = frozenset(
    {
        "extended",
        "edition",
        "cut",
        "directors",
        "director's",
        "dc",
        "theatrical",
        "unrated",
        "uncut",
        "special",
        "ultimate",
        "collectors",
        "collector's",
        "anniversary",
        "criterion",
        "remastered",
        "final",
        "imax",
        "german",
        "french",
        "truefrench",
        "italian",
        "spanish",
        "dutch",
        "nordic",
        "multi",
        "dual",
        "dl",
    }
)
_AKA_RE = re.compile(r"\s+(?:aka|a\.k\.a\.?)\s+", re.IGNORECASE)
_LANGUAGE_WORDS = frozenset(
    {"german", "french", "truefrench", "italian", "spanish", "dutch", "nordic", "multi", "dual"}
)
_TRAILING_EDITION_RE = re.compile(r"(?:\s+" + _EDITION_RE.pattern + r")+$", re.IGNORECASE)
# A split film: "Movie (2019) - cd1", "Movie.2019.part2", "Movie pt1" (Plex reads 1..8).
_PART_RE = re.compile(
    r"[\s._-]+(?:cd|disc|disk|dvd|part|pt)[\s._-]?(?P<part>[1-8])(?=$|[\s._-])", re.IGNORECASE
)
_CRC_OR_TECH_BRACKET_RE = re.compile(r"[\[(][^\])]*[\])]")
_VERSION_TAG_RE = re.compile(r"\s+v\d{1,2}$", re.IGNORECASE)


def edition_of(text: str) -> str:
    """The edition a release name states ("Director's Cut", "Extended Edition"), or ""."""
    match = _EDITION_RE.search(text)
    if not match:
        return ""
    words = re.split(r"[\s._]+", match.group(0))
    pretty = " ".join(w.upper() if w.lower() == "imax" else w.capitalize() for w in words)
    return pretty.replace("Directors Cut", "Director's Cut")


def part_split(text: str) -> tuple[str, int | None]:
    """("Movie (2019)", 2) from "Movie (2019) - cd2" or "Movie.2019.part2.1080p".

    The part comes after the year (or ends the name): "Movie.Part.2.1989" is a title.
    """
    years = list(_YEAR_RE.finditer(text))
    after = years[-1].end() if years else 0
    for match in _PART_RE.finditer(text, after):
        if match.end() == len(text) or years:
            return text[: match.start()] + text[match.end() :], int(match.group("part"))
    return text, None


def version_of(text: str) -> str:
    """A multi-version label kept as written: Plex's " - 1080p" / " - 4K HDR" suffix.

    Only a label the user gave counts: a release's resolution token
    ("Movie.2019.1080p.WEB") is not one, or every renamed film would grow a
    " - 1080p" that Plex does not need for a single version.
    """
    _, dash, label = text.rpartition(" - ")
    label = label.strip()
    # A label is a few release words ("4K", "1080p Remux"), not an episode title.
    if dash and label and len(label) <= 24 and "-" not in label and first_tech_offset(label) == 0:
        return label
    return ""


def _before_year_only(text: str) -> bool:
    words = [w for w in re.split(r"[\s._()\[\]-]+", text) if w]
    return bool(words) and all(w.casefold() in _BEFORE_YEAR_WORDS for w in words)


def _title_without_trailing_words(title: str) -> str:
    # "Ein Film fuer alle German 2011": the language is the release's. Three
    # words must stay, so "The Quiet German" and "The Final Cut" keep theirs.
    stripped = _TRAILING_EDITION_RE.sub("", title)
    title = stripped or title
    words = title.split()
    while len(words) > 3 and words[-1].casefold() in _LANGUAGE_WORDS:
        words.pop()
    return " ".join(words)


def movie_year(text: str) -> NameParse | None:
    """ "Title.2019.1080p", "Title (2019)", "Title.EXTENDED.EDITION.2015.German"."""
    text, part = part_split(text)
    limit = first_tech_offset(text)
    latest = datetime.date.today().year + 1
    best = None
    for match in _YEAR_RE.finditer(text):
        year = int(match.group(1) or match.group(2))
        past_limit = match.start() >= limit
        # Edition or language words may stand between the title and the year.
        if past_limit and not _before_year_only(text[limit : match.start()]):
            break
        if year <= latest:  # "Blade Runner 2049" is a title
            if past_limit:
                title = title_clean(text[:limit])
            else:
                title = _title_without_trailing_words(title_clean(text[: match.start()]))
            # "Title AKA Other Title": the first is the title the release is known by.
            title = _AKA_RE.split(title, 1)[0] if _AKA_RE.search(title) else title
            if title:
                best = NameParse(
                    kind="movie",
                    title=title,
                    year=year,
                    rule="movie_year",
                    edition=edition_of(text),
                    part=part,
                )
        if past_limit:
            break
    return best


def fansub_film(text: str, *, grouped: bool, crc: bool) -> NameParse | None:
    """ "[Group] Film Title v2 [ABCD1234]": a fansub release with no number is a film."""
    if not grouped or not (crc or "[" in text or "(" in text) or " " not in text:
        return None  # a dotted fansub name is guessit's: it reads ".-.19." well
    title_text = _CRC_OR_TECH_BRACKET_RE.sub(" ", text)
    title_text = title_text[: first_tech_offset(title_text)]
    title = _VERSION_TAG_RE.sub("", title_clean(title_text))
    if not any(ch.isalpha() for ch in title) or is_tech(title.split()[-1]):
        return None
    return NameParse(kind="movie", title=title, rule="fansub_film", sure=False)


def device(text: str) -> NameParse | None:
    return NameParse(kind="none", rule="device") if _DEVICE_RE.match(text) else None


def bare(text: str) -> NameParse | None:
    """Only a number ("05 - Title"): an episode of the season folder it sits in."""
    match = _BARE_RE.match(text.strip())
    if not match:
        return None
    return NameParse(
        kind="bare",
        episodes=(int(match.group("episode")),),
        episode_title=episode_title_clean(match.group("rest") or ""),
        rule="bare_number",
    )


def plain(text: str) -> NameParse | None:
    """Words only ("Family Trip", "Inception"): no number, release token or special
    word, so nothing for guessit to find that would make it an episode or movie."""
    if any(ch.isdigit() for ch in text) or _SPECIAL_WORD_RE.search(text):
        return None
    return (
        NameParse(kind="none", rule="words_only") if first_tech_offset(text) == len(text) else None
    )
