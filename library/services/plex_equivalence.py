"""Whether two paths read the same to Plex, so a curated name is never rewritten
into another spelling of itself.

Plex reads a name's title, year, numbers and tags; some of what differs between
two spellings it does not read at all (its naming articles say so):

- the order of the `{tmdb-…}`, `{imdb-…}`, `{edition-…}` tags ("the order of the
  tags is unimportant");
- optional info in square brackets (`Currahee [1080p Bluray]`), which Plex ignores;
- the word of a split file's part label (`cd1`, `disc1`, `disk1`, `dvd1`, `part1`
  and `pt1` stack alike);
- a subtitle's language as a two- or a three-letter code (`.en.srt`, `.eng.srt`),
  and the case of its region (`.pt-br.srt`, `.pt-BR.srt`);
- runs of spaces.

Case is not among them: a name typed all lower case is fixed on purpose
(library.services.titles).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from library.services.recognition import language_tag

_TAG = re.compile(r"\{(?:tmdb|tvdb|imdb|edition)-[^{}]*\}", re.IGNORECASE)
_BRACKETS = re.compile(r"\[[^\[\]]*\]")
_PART_LABEL = re.compile(r"(?<=[\s._-])(?:cd|disc|disk|dvd|part|pt)[\s._-]?(?P<n>[1-8])$", re.I)
_SPACES = re.compile(r"\s+")
# What can follow a subtitle's stem besides its language: Plex's flags.
_SUBTITLE_FLAGS = frozenset({"forced", "sdh", "cc", "hi"})


def _text(name: str) -> str:
    """A name without its tags and bracketed info, as Plex reads the rest."""
    tags = sorted(_TAG.findall(name))
    text = _SPACES.sub(" ", _BRACKETS.sub(" ", _TAG.sub(" ", name))).strip(" -")
    text = _PART_LABEL.sub(lambda m: f"pt{m.group('n')}", text)
    return " ".join([text, *tags])


def _file(name: str) -> tuple[str, ...]:
    """A file name as (what Plex reads of the stem, each suffix token canonical)."""
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
    return (_text(".".join(tokens)), *reversed(suffix))


@lru_cache(maxsize=4096)
def _folder(name: str) -> str:
    return _text(name)


def plex_equivalent(first: str, second: str) -> bool:
    """Whether two relative paths name the same thing to Plex (see the module's list)."""
    a, b = first.split(os.sep), second.split(os.sep)
    if len(a) != len(b):
        return False
    if any(_folder(x) != _folder(y) for x, y in zip(a[:-1], b[:-1], strict=True)):
        return False
    return _file(a[-1]) == _file(b[-1])
