"""The title normaliser: one set of rules for every title, folder and file name written.

Two separate steps, both idempotent (a normalised title comes back unchanged):

- `title_case_fix`: the case of a title is changed only when the case found is
  clearly wrong, that is every letter lower case (`the mandalorian`, a
  release name typed by hand) or every letter upper case (`THE WIRE`). Any
  mixed case is the author's (`iCarly`, `CHiPs`, `Marvel's Agents of
  S.H.I.E.L.D.`) and is kept. When fixing, small words stay lower case
  except first, last and after a subtitle break, dotted acronyms (`S.H.I.E.L.D.`),
  known acronyms (`NCIS`, `SVU`), Roman numerals and country codes in
  parentheses (`(US)`) are upper case. A single upper-case word is not
  clearly wrong (`M3GAN`, `WALL·E`, `LOST` are styled so) and is kept.
- `name_characters_fix`: characters that Windows, macOS or Linux refuse in a
  name get their conventional stand-in, the same for folders and files:
  `: ` becomes ` - ` (`Law & Order: SVU` -> `Law & Order - SVU`), any other
  `:` becomes `-` (`3:10 to Yuma` -> `3-10 to Yuma`), `/`, `\\` and `|` become
  `-`, `"` becomes `'`, `?`, `*`, `<`, `>` and control characters are removed.
  Apostrophes, `&`, `!`, dots and braces are legal everywhere and kept.

Trailing dots and spaces are not this module's business: Windows refuses them
only at the end of a whole folder or file name, so `naming.component_sanitise`
strips them there and nowhere else (`Cat's in the Bag....mkv` is a valid name).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# fmt: off
# English words a title keeps lower case inside (Chicago style, short list on purpose).
SMALL_WORDS = frozenset({
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on",
    "or", "over", "per", "the", "to", "vs", "vs.", "via", "with",
})
# Upper case whatever the input: initialisms seen in show and film titles, none of them
# also an English word ("LA", "MASH", "SWAT" are left out: "La La Land"). Country codes
# are only upper case in parentheses ("(US)"), since "us" is also a word ("This Is Us").
ACRONYMS = frozenset({
    "ABC", "AC", "AKA", "AMC", "BBC", "CBS", "CIA", "CNN", "CSI", "DC", "DNA", "ER", "FBI", "FX",
    "HBO", "JAG", "MI5", "MI6", "MTV", "NASA", "NBA", "NBC", "NCIS", "NFL", "NY", "NYC", "NYPD",
    "OA", "PBS", "SNL", "SVU", "TMNT", "TV", "UFC", "UFO", "USA", "USS", "VIP", "WWE", "WWII", "XL",
})
COUNTRY_CODES = frozenset({"US", "UK", "AU", "NZ", "CA", "IE", "DE", "FR", "JP"})
# Roman numerals of sequels ("Rocky IV"); not a pattern, which would also take "mix" or "dim".
ROMAN_NUMERALS = frozenset({
    "II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XX",
})
# fmt: on
# "s.h.i.e.l.d.", "l.a." : letters each followed by a dot.
_DOTTED_ACRONYM = re.compile(r"^(?:[^\W\d_]\.){2,}[^\W\d_]?\.?$")
# A word: letters and digits, with apostrophes (straight or typographic) and a censor's *.
_WORD = re.compile(r"[^\W_]+(?:['\u2019*]+[^\W_]+)*")
# After these a new phrase starts, so a small word there is capitalised ("Alien - The ...").
_BREAK = re.compile(r"(?:[:(\[]|\s-\s)\s*$")


_LETTER_RUNS = re.compile(r"[^\W\d_]+")


def case_clearly_wrong(title: str) -> bool:
    """All lower case, or several words all in capitals."""
    letters = [c for c in title if c.isalpha()]
    if len(letters) < 2:
        return False
    if all(c.islower() for c in letters):
        return True
    # One upper-case word may be the title's own style or an initialism (M3GAN, WALL·E,
    # TÁR, NCIS, THX 1138, "A.M."): only several words of capitals are clearly shouted.
    words = [w for w in _LETTER_RUNS.findall(title) if len(w) > 1]
    return all(c.isupper() for c in letters) and len(words) > 1


def _word_case(word: str, *, first: bool, last: bool, after_break: bool, in_parens: bool) -> str:
    upper = word.upper()
    if word == upper and any(c.isdigit() for c in word):
        # Letters mixed with digits in capitals are a name's style: "M3GAN 2.0", "R2D2".
        return word
    if upper.replace("*", "") in ACRONYMS or (in_parens and upper in COUNTRY_CODES):
        return upper
    if upper in ROMAN_NUMERALS:
        return upper
    lower = word.lower()
    if lower in SMALL_WORDS and not (first or last or after_break):
        return lower
    # Capitalise the first letter only: "grey's" -> "Grey's", not "Grey'S".
    return lower[:1].upper() + lower[1:]


def title_case_fix(title: str) -> str:
    """`title` with its case fixed when it was all lower or all upper; else unchanged."""
    if not case_clearly_wrong(title):
        return title
    tokens = title.split(" ")
    # Positions of real words, to know which is first and last.
    words = [i for i, token in enumerate(tokens) if _WORD.search(token)]
    out: list[str] = []
    for index, token in enumerate(tokens):
        if index not in words:
            out.append(token)
            continue
        if _DOTTED_ACRONYM.match(token):
            out.append(token.upper())
            continue
        after_break = bool(_BREAK.search(" ".join(out) + " ")) or token.startswith(("(", "["))
        in_parens = token.startswith("(") and token.endswith(")")
        pieces: list[str] = []
        position = 0
        for n, match in enumerate(_WORD.finditer(token)):
            pieces.append(token[position : match.start()])
            pieces.append(
                _word_case(
                    match.group(),
                    # Each part of a hyphenated word is capitalised: "spider-man" -> "Spider-Man".
                    first=(index == words[0] and n == 0) or n > 0,
                    last=index == words[-1],
                    after_break=after_break,
                    in_parens=in_parens,
                )
            )
            position = match.end()
        pieces.append(token[position:])
        out.append("".join(pieces))
    return " ".join(out)


_COLON_PHRASE = re.compile(r"\s*:\s+|\s+:\s*")
_REPLACED = {"/": "-", "\\": "-", "|": "-", ":": "-", '"': "'"}
_REMOVED = re.compile(r"[?*<>\x00-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


# Pure functions of their text, called for every folder and file name of every plan,
# where the same show titles repeat thousands of times: cached.
@lru_cache(maxsize=65536)
def name_characters_fix(text: str) -> str:
    """`text` with every character illegal on Windows, macOS or Linux given its stand-in."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\t\n\r\v\f]", " ", text)
    text = _COLON_PHRASE.sub(" - ", text)
    text = _REMOVED.sub("", text)
    text = "".join(_REPLACED.get(c, c) for c in text)
    return _SPACES.sub(" ", text).strip(" ")


@lru_cache(maxsize=65536)
def title_normalise(title: str, *, fix_case: bool = True) -> str:
    """The Plex form of a show, movie or episode title: case fixed, characters legal."""
    title = _SPACES.sub(" ", title).strip()
    return name_characters_fix(title_case_fix(title) if fix_case else title)
