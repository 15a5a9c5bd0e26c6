"""The title normaliser against real titles, as found and as Plex should read them."""

from __future__ import annotations

import pytest

from library.services.titles import name_characters_fix, title_case_fix, title_normalise

# (as found in a path or typed, the Plex form). Found case is fixed only when it is
# all lower or all upper; every Plex-correct title comes back unchanged.
TITLES = [
    # Wrong case, fixed.
    ("the mandalorian", "The Mandalorian"),
    ("THE WIRE", "The Wire"),
    ("breaking bad", "Breaking Bad"),
    ("game of thrones", "Game of Thrones"),
    (
        "the lord of the rings: the return of the king",
        "The Lord of the Rings - The Return of the King",
    ),
    ("star wars: episode iv - a new hope", "Star Wars - Episode IV - A New Hope"),
    ("grey's anatomy", "Grey's Anatomy"),
    ("it's always sunny in philadelphia", "It's Always Sunny in Philadelphia"),
    ("spider-man: no way home", "Spider-Man - No Way Home"),
    ("the x-files", "The X-Files"),
    ("the office (us)", "The Office (US)"),
    ("this is us", "This Is Us"),
    ("ncis los angeles", "NCIS Los Angeles"),
    ("csi: miami", "CSI - Miami"),
    ("rocky iv", "Rocky IV"),
    ("LOST", "LOST"),
    ("M3GAN", "M3GAN"),
    ("M3GAN 2.0", "M3GAN 2.0"),
    ("WALL\u00b7E", "WALL\u00b7E"),
    ("T\u00c1R", "T\u00c1R"),
    ("HEAT WAVE", "Heat Wave"),
    ("THE SOPRANOS", "The Sopranos"),
    ("GAME OF THRONES", "Game of Thrones"),
    ("NCIS", "NCIS"),
    ("ER", "ER"),
    ("M*A*S*H", "MASH"),
    ("AC/DC: LIVE", "AC-DC - Live"),
    ("what we do in the shadows", "What We Do in the Shadows"),
    ("the walking dead", "The Walking Dead"),
    ("a quiet place", "A Quiet Place"),
    ("gone with the wind", "Gone with the Wind"),
    ("marvel's agents of s.h.i.e.l.d.", "Marvel's Agents of S.H.I.E.L.D."),
    ("the lord of the rings", "The Lord of the Rings"),
    ("alien vs. predator", "Alien vs. Predator"),
    ("the man from u.n.c.l.e.", "The Man from U.N.C.L.E."),
    ("better call saul", "Better Call Saul"),
    ("STRANGER THINGS", "Stranger Things"),
    ("law & order: special victims unit", "Law & Order - Special Victims Unit"),
    ("what's up, doc?", "What's Up, Doc"),
    ("the boys", "The Boys"),
    ("la la land", "La La Land"),
    ("monster mash", "Monster Mash"),
    ("s.w.a.t.", "S.W.A.T."),
    ("top gun: maverick", "Top Gun - Maverick"),
    ("saving private ryan", "Saving Private Ryan"),
    ("RESERVOIR DOGS", "Reservoir Dogs"),
    ("the good, the bad and the ugly", "The Good, the Bad and the Ugly"),
    # Found in an author's case: kept, characters only fixed.
    ("Law & Order: SVU", "Law & Order - SVU"),
    ("S.H.I.E.L.D.", "S.H.I.E.L.D."),
    ("iCarly", "iCarly"),
    ("CHiPs", "CHiPs"),
    ("WandaVision", "WandaVision"),
    ("Mission: Impossible \u2013 Dead Reckoning", "Mission - Impossible \u2013 Dead Reckoning"),
    ("Face/Off", "Face-Off"),
    ("3:10 to Yuma", "3-10 to Yuma"),
    ("What If...?", "What If..."),
    ("Who Framed Roger Rabbit?", "Who Framed Roger Rabbit"),
    (
        "Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb",
        "Dr. Strangelove or - How I Learned to Stop Worrying and Love the Bomb",
    ),
    ('The "Wire"', "The 'Wire'"),
    ("Marvel's Agents of S.H.I.E.L.D.", "Marvel's Agents of S.H.I.E.L.D."),
    ("Schitt's Creek", "Schitt's Creek"),
    ("Ocean's Eleven", "Ocean's Eleven"),
    ("Am\u00e9lie", "Am\u00e9lie"),
    ("Mr. Robot", "Mr. Robot"),
    ("Se7en", "Se7en"),
    ("Star Trek: The Next Generation", "Star Trek - The Next Generation"),
    ("Who Wants to Be a Millionaire?", "Who Wants to Be a Millionaire"),
    ("The End of the F***ing World", "The End of the Fing World"),
    ("Cat's in the Bag...", "Cat's in the Bag..."),
    ("Your Name.", "Your Name."),
    ("The Office (US)", "The Office (US)"),
    ("9-1-1: Lone Star", "9-1-1 - Lone Star"),
    ("24", "24"),
    ("1917", "1917"),
    ("Tom & Jerry", "Tom & Jerry"),
    ("Love, Death & Robots", "Love, Death & Robots"),
    ("Æon Flux", "Æon Flux"),
    ("Pokémon", "Pokémon"),
    ("Law & Order", "Law & Order"),
    ("Brooklyn Nine-Nine", "Brooklyn Nine-Nine"),
    ("The Hitchhiker's Guide to the Galaxy", "The Hitchhiker's Guide to the Galaxy"),
    ("Monty Python and the Holy Grail", "Monty Python and the Holy Grail"),
    ("BoJack Horseman", "BoJack Horseman"),
    ("It", "It"),
    ("Us", "Us"),
    ("FBI: Most Wanted", "FBI - Most Wanted"),
    ("Hawaii Five-0", "Hawaii Five-0"),
    ("Harry Potter and the Philosopher's Stone", "Harry Potter and the Philosopher's Stone"),
    ("Kill Bill: Vol. 1", "Kill Bill - Vol. 1"),
    ("Re:Zero", "Re-Zero"),
    ("Dune: Part Two", "Dune - Part Two"),
    ("Tom Clancy's Jack Ryan", "Tom Clancy's Jack Ryan"),
    ("Rick and Morty", "Rick and Morty"),
    ("<Untitled>", "Untitled"),
    ("Black|White", "Black-White"),
    ("Back\\Slash", "Back-Slash"),
]


def test_the_table_is_large_enough_to_mean_something():
    assert len(TITLES) >= 60


@pytest.mark.parametrize(("found", "plex"), TITLES)
def test_title_gets_its_plex_form(found, plex):
    assert title_normalise(found) == plex


@pytest.mark.parametrize(("found", "plex"), TITLES)
def test_a_plex_form_is_never_rewritten(found, plex):
    assert title_normalise(plex) == plex


@pytest.mark.parametrize(
    "title", ["iCarly", "CHiPs", "BoJack Horseman", "Mr. Robot", "WandaVision"]
)
def test_mixed_case_is_the_authors_and_kept(title):
    assert title_case_fix(title) == title


def test_characters_are_fixed_the_same_for_folders_and_files():
    assert name_characters_fix("Law & Order: SVU") == "Law & Order - SVU"
    assert name_characters_fix("a\tb\x00c") == "a bc"
    # Trailing dots are for the whole name's end to settle (naming.component_sanitise).
    assert name_characters_fix("Things...") == "Things..."
