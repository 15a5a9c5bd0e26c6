"""Whether two paths read the same to Plex, so a curated name is never rewritten
into another spelling of itself.

Plex reads a name's title, year, numbers and tags; some of what differs between
two spellings it does not read at all (its naming articles say so):

- the order of the `{tmdb-…}`, `{imdb-…}`, `{edition-…}` tags ("the order of the
  tags is unimportant"), and a tag the file name carries that its folder does not
  repeat (Plex reads it in "either the folder or filename or both");
- optional info in square brackets (`Currahee [1080p Bluray]`), which Plex ignores;
- the word of a split file's part label (`cd1`, `disc1`, `disk1`, `dvd1`, `part1`
  and `pt1` stack alike);
- the case and zero padding of an episode code (`S01E01`, `s01e001`, `s01e01`), and
  of a season folder's number (`Season 2`, `Season 02`; `Specials` is `Season 00`);
- a subtitle's language as a two- or a three-letter code (`.en.srt`, `.eng.srt`),
  the case of its region (`.pt-br.srt`, `.pt-BR.srt`) and of the extension;
- runs of spaces, and Unicode written composed or decomposed (macOS writes `é` as
  `e` and an accent);
- for a movie, the folders around it: a file in a shared folder
  (`Movies/Heat (1995).mkv`) or a collection's (`Alien Collection/Aliens (1986)/…`);
  for anything, folders above the ones the template names (`TV/Kids/Show/…`).

Case is not among them: a name typed all lower case is fixed on purpose
(library.services.titles).
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

from library.services.recognition import language_tag
from library.services.recognition_folders import folder_parse

_TAG = re.compile(r"\{(?:tmdb|tvdb|imdb|edition)-[^{}]*\}", re.IGNORECASE)
_BRACKETS = re.compile(r"\[[^\[\]]*\]")
_PART_LABEL = re.compile(r"(?<=[\s._-])(?:cd|disc|disk|dvd|part|pt)[\s._-]?(?P<n>[1-8])$", re.I)
_EPISODE_CODE = re.compile(r"(?<![a-z0-9])s(\d{1,4})e(\d{1,5})((?:-?e\d{1,5})*)", re.IGNORECASE)
_MORE_EPISODES = re.compile(r"e(\d{1,5})", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# What can follow a subtitle's stem besides its language: Plex's flags.
_SUBTITLE_FLAGS = frozenset({"forced", "sdh", "cc", "hi"})


def _code(match: re.Match[str]) -> str:
    more = "".join(f"-e{int(n)}" for n in _MORE_EPISODES.findall(match.group(3)))
    return f"s{int(match.group(1))}e{int(match.group(2))}{more}"


def _text(name: str) -> tuple[str, frozenset[str]]:
    """A name as Plex reads it: the text without tags or bracketed info, and its tags."""
    name = unicodedata.normalize("NFC", name)
    tags = frozenset(_TAG.findall(name))
    text = _SPACES.sub(" ", _BRACKETS.sub(" ", _TAG.sub(" ", name))).strip(" -")
    text = _PART_LABEL.sub(lambda m: f"pt{m.group('n')}", text)
    return _EPISODE_CODE.sub(_code, text), tags


def _file(name: str) -> tuple[str, frozenset[str], tuple[str, ...]]:
    """A file name as Plex reads it: its stem's text and tags, each suffix canonical."""
    tokens = name.split(".")
    suffix = [tokens.pop().lower()] if len(tokens) > 1 else []
    while len(tokens) > 1:
        token = tokens[-1].lower()
        if token in _SUBTITLE_FLAGS:
            suffix.append(token)
        elif (len(token) in (2, 3) or "-" in token) and (language := language_tag(token)):
            suffix.append(language)
        else:
            break
        tokens.pop()
    text, tags = _text(".".join(tokens))
    return text, tags, tuple(reversed(suffix))


@lru_cache(maxsize=4096)
def _folder(name: str) -> tuple[str, frozenset[str]]:
    folder = folder_parse(name)
    if folder.role == "season" and folder.season is not None:
        return f"season {folder.season}", frozenset()
    return _text(name)


def _folders_alike(current: str, wanted: str, file_tags: frozenset[str]) -> bool:
    (text, tags), (wanted_text, wanted_tags) = _folder(current), _folder(wanted)
    # A tag the template would add to the folder is read from the file name as well.
    return text == wanted_text and tags <= wanted_tags and wanted_tags - tags <= file_tags


def plex_equivalent(current: str, wanted: str, *, movie: bool = False) -> bool:
    """Whether the relative path `current` names what `wanted` names, to Plex (see the
    module's list); `movie` allows a movie file outside its own folder."""
    have, want = current.split(os.sep), wanted.split(os.sep)
    name = _file(have[-1])
    if name != _file(want[-1]):
        return False
    file_tags = name[1]
    folders, wanted_folders = have[:-1], want[:-1]
    if (
        movie
        and wanted_folders
        and (not folders or not _folders_alike(folders[-1], wanted_folders[-1], file_tags))
    ):
        wanted_folders = wanted_folders[:-1]  # the movie's own folder, which Plex needs not
    if len(folders) < len(wanted_folders):
        return False
    # Folders above the ones the template names (a collection, a category) do not count.
    inner = folders[len(folders) - len(wanted_folders) :]
    return all(_folders_alike(x, y, file_tags) for x, y in zip(inner, wanted_folders, strict=True))
