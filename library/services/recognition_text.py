"""Text helpers shared by the recognition fast path, folder parsing and the
guessit fallback: extensions, Plex tags, technical release tokens, titles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# fmt: off
VIDEO_EXTENSIONS = frozenset({
    "3gp", "asf", "avi", "divx", "flv", "iso", "m2ts", "m2v", "m4v", "mkv", "mov", "mp4",
    "mpeg", "mpg", "mts", "ogm", "ogv", "rm", "rmvb", "ts", "vob", "webm", "wmv",
})
# fmt: on
SUBTITLE_EXTENSIONS = frozenset({"ass", "idx", "smi", "srt", "ssa", "sub", "sup", "vtt"})

# Plex and Jellyfin id tags: "{tmdb-123}", "[tmdbid-123]", "{tvdb-456}", "{imdb-tt0133093}".
_ID_TAG_RE = re.compile(
    r"[\[{]\s*(tmdb|tvdb|imdb)(?:id)?\s*[-=:]\s*([a-z0-9]+)\s*[\]}]", re.IGNORECASE
)
_EDITION_RE = re.compile(r"\{\s*edition\s*[-=:]\s*([^}]*?)\s*\}", re.IGNORECASE)
# Control characters never belong to a title; a newline in a name is a separator.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]+")
_SPACES_RE = re.compile(r"\s+")

# Release tokens that mean "the title is over". Matched against the whole
# token (and each part of a hyphenated token, "WEB-DL", "x264-GROUP").
_TECH_ANY_CASE_RE = re.compile(
    r"\d{3,4}[pi]|[48]k|\d{3,4}x\d{3,4}|[xh]\.?26[45]|26[45]|hevc|avc|xvid|divx|av1|vp9"
    r"|10-?bits?|8-?bits?|hdr10(?:plus|\+)?|dovi|aac(?:\d\.?\d)?|e?ac3|ddp?\d\.?\d|ddp|dts(?:hd)?"
    r"|truehd|atmos|flac|opus|lpcm|webdl|web-?dl|webrip|web-?rip|hdtv|pdtv|sdtv|hdrip|dvdrip"
    r"|dvdscr|bdrip|brrip|bluray|blu-ray|bdremux|remux|amzn|dsnp|hmax|atvp|pcok|pmtp|vostfr"
    r"|truefrench|multisubs?|hdtvrip|webdl\d{3,4}p|bd\d{3,4}p?",
    re.IGNORECASE,
)
# Ambiguous words ("Web", "Real", "Max", "It") only count in release capitals.
# fmt: off
_TECH_EXACT = frozenset({
    "WEB", "PROPER", "REPACK", "RERIP", "REAL", "INTERNAL", "iNTERNAL", "LIMITED", "COMPLETE",
    "EXTENDED", "UNRATED", "REMASTERED", "UNCUT", "DUAL", "MULTi", "MULTI", "SUBBED", "DUBBED",
    "HDR", "DV", "SDR", "NF", "CR", "HULU", "MAX", "UHD", "BD", "DVD", "FRENCH", "GERMAN",
    "ITALIAN", "SPANISH", "RUSSIAN", "JAPANESE", "KOREAN", "NORDiC", "POLISH", "DUTCH",
    "HINDI", "iTA", "ENG", "GER", "HC", "IMAX", "READNFO", "DC", "MA", "HD", "SD", "AMC",
    "HBO", "iP", "iT", "STAN", "CRAV", "SHO", "HEBREW", "CHINESE", "DANISH", "SWEDISH",
    "NORWEGIAN", "FINNISH", "TURKISH", "PORTUGUESE", "ARABIC", "THAI", "SUBFRENCH",
})
# fmt: on
# "Title (2019)" keeps "Your Name." whole; a bare year needs a separator before it.
_YEAR_AT_END_RE = re.compile(
    r"^(?P<title>.*?)(?:\s*[(\[](?P<bracketed>(?:19|20)\d\d)[)\]]|[\s._-]+(?P<year>(?:19|20)\d\d))$"
)
_COUNTRY_CODES = frozenset({"US", "UK", "AU", "NZ", "CA"})
_SEPARATORS = " ._-"


@dataclass(frozen=True, slots=True)
class Tags:
    """Plex's tags in a name: "{tmdb-123}", "{tvdb-456}", "{imdb-tt0133093}", "{edition-…}"."""

    tmdb_id: int | None = None
    tvdb_id: int | None = None
    imdb_id: str | None = None
    edition: str = ""


def split_extension(file_name: str) -> tuple[str, str]:
    """The stem and the lower-case extension, when it is a known media one."""
    stem, dot, ext = file_name.rpartition(".")
    if dot and stem and ext.lower() in VIDEO_EXTENSIONS | SUBTITLE_EXTENSIONS:
        return stem, ext.lower()
    return file_name, ""


def strip_control(text: str) -> str:
    return _CONTROL_RE.sub(" ", text)


def tags_extract(text: str) -> tuple[str, Tags]:
    """Remove Plex id and edition tags; return the rest and the ids and edition."""
    if "{" not in text and "[" not in text:
        return text, Tags()
    found: dict[str, int] = {}
    imdb_id = None
    for kind, value in _ID_TAG_RE.findall(text):
        kind = kind.lower()
        if kind == "imdb":
            # IMDb ids are "tt" and at least seven digits.
            if imdb_id is None and re.fullmatch(r"tt\d{7,10}", value.lower()):
                imdb_id = value.lower()
        elif value.isdigit() and kind not in found:
            found[kind] = int(value)
    edition = _EDITION_RE.search(text)
    text = _EDITION_RE.sub(" ", _ID_TAG_RE.sub(" ", text))
    return text, Tags(
        tmdb_id=found.get("tmdb"),
        tvdb_id=found.get("tvdb"),
        imdb_id=imdb_id,
        edition=edition.group(1) if edition else "",
    )


@lru_cache(maxsize=4096)
def is_tech(token: str) -> bool:
    """Is this token release information (quality, source, codec, flags)?"""
    token = token.strip("()[]{}+")
    if not token:
        return False
    if token in _TECH_EXACT or _TECH_ANY_CASE_RE.fullmatch(token):
        return True
    if "-" in token:
        return any(part and is_tech(part) for part in token.split("-"))
    return False


def is_dotted(text: str) -> bool:
    """Release style: words joined by dots or underscores instead of spaces."""
    return " " not in text.strip() and ("." in text or "_" in text)


_TOKEN_DOTTED_RE = re.compile(r"[^\s._]+")
_TOKEN_SPACED_RE = re.compile(r"\S+")


def first_tech_offset(text: str) -> int:
    """Where the first technical token starts (len(text) when there is none)."""
    pattern = _TOKEN_DOTTED_RE if is_dotted(text) else _TOKEN_SPACED_RE
    for match in pattern.finditer(text):
        if is_tech(match.group()):
            return match.start()
    return len(text)


def strong_tech_offset(text: str) -> int:
    """Where the first unambiguous release token (resolution, codec, source) starts,
    len(text) when there is none. Words such as "DC" or "Complete" do not count, so a
    title before an episode marker can be cut here safely ("Show.720p.S01E01")."""
    pattern = _TOKEN_DOTTED_RE if is_dotted(text) else _TOKEN_SPACED_RE
    for match in pattern.finditer(text):
        if _TECH_ANY_CASE_RE.fullmatch(match.group().strip("()[]{}+")):
            return match.start()
    return len(text)


def undot(text: str) -> str:
    """Turn a dotted release title into words, keeping acronyms (S.W.A.T.)."""
    tokens = [token for token in re.split(r"[._\s]+", text) if token]
    words: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1 and token.isalpha() and token.isupper():
            run.append(token)
            continue
        if len(run) >= 3:
            words.append(".".join(run) + ".")
        else:
            words.extend(run)
        run = []
        if token:
            words.append(token)
    if len(words) > 1 and words[-1] in _COUNTRY_CODES:
        words[-1] = f"({words[-1]})"
    return " ".join(words)


_CLOSER = {"(": ")", "[": "]", "{": "}"}
# "Re - ZERO -Starting Life in Another World-": a subtitle set off by dashes keeps its last.
_DASHED_SUBTITLE_RE = re.compile(r"\s-\S[^-]*\S-$")


def _edges_strip(text: str, *, dotted: bool) -> str:
    """The text without separators and stray brackets at its ends; a bracket the title
    closes stays ("(500) Days of Summer")."""
    # A spaced title keeps a dot of its own at the end ("Your Name.", "Things...").
    separators = _SEPARATORS if dotted else " _-"
    text = _end_strip(text, separators)
    while text:
        if text[0] in _CLOSER and _CLOSER[text[0]] not in text:
            text = text[1:]
        elif text[-1] in _CLOSER:  # an opening bracket left at the end
            text = text[:-1]
        else:
            return text
        text = _end_strip(text, separators)
    return text


def _end_strip(text: str, separators: str = " _-") -> str:
    """`text` without separators at its ends; in a spaced title, a dash that closes a
    dashed subtitle ("Re - ZERO -Starting Life in Another World-") is the title's."""
    stripped = text.strip(separators)
    if "." not in separators and not stripped.endswith("-"):
        kept = text.lstrip(separators).rstrip(" _")
        if _DASHED_SUBTITLE_RE.search(kept):
            return kept
    return stripped


def title_clean(raw: str, *, dotted: bool | None = None) -> str:
    """A title as a person writes it: no separators at the ends, no dots for spaces.

    dotted says whether the whole name was written release style; by default
    this text alone decides.
    """
    dotted = is_dotted(raw) if dotted is None else dotted
    text = _edges_strip(raw, dotted=dotted)
    text = undot(text) if dotted else text
    # Not "." at the end: an acronym keeps its last dot ("S.W.A.T.").
    return _end_strip(_SPACES_RE.sub(" ", text))


def title_and_year(raw: str) -> tuple[str, int | None]:
    """Split "Show Name (2019)" or "Show.Name.2019." into title and year.

    A title that is only a year ("1923") stays a title.
    """
    dotted = is_dotted(raw)
    text = _edges_strip(raw, dotted=dotted)
    match = _YEAR_AT_END_RE.match(text)
    if match:
        title = title_clean(match.group("title"), dotted=dotted)
        if title:
            return title, int(match.group("bracketed") or match.group("year"))
    return title_clean(text, dotted=dotted), None


# Words releases put after the episode marker in any case ("Dark.S01E03.German",
# "Show.S01E01.Extended"). An episode "title" made of nothing else is not one;
# a real title keeps them ("The German Connection").
_RELEASE_WORDS = frozenset(
    [
        "german",
        "french",
        "italian",
        "spanish",
        "multi",
        "dual",
        "audio",
        "extended",
        "uncut",
        "unrated",
        "remastered",
        "proper",
        "repack",
        "internal",
        "limited",
        "subbed",
        "dubbed",
        "theatrical",
        "directors",
        "cut",
        "complete",
    ]
)


def episode_title_clean(raw: str) -> str:
    """The episode title in the text after an episode marker, up to the release tokens."""
    dotted = is_dotted(raw)
    # The marker may have been bracketed: "Show - [01x05] - Title", "Show (S01E05)".
    text = raw.lstrip(")]} ")
    for stop in "[{":
        text = text.split(stop, 1)[0]
    text = text[: first_tech_offset(text)]
    title = title_clean(text.rstrip(" _-("), dotted=dotted)
    if all(word.casefold().strip("'") in _RELEASE_WORDS for word in title.split()):
        return ""
    return title


def collapse_spaces(text: str) -> str:
    return _SPACES_RE.sub(" ", text).strip()
