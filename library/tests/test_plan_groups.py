"""A full plan made a chunk at a time equals one plan of the whole library.

The chunks here are tiny (a few files), so nearly every interaction between two
files crosses a chunk: a collision between files of different folders, a file
moving onto the path of one planned earlier, a subtitle whose video is in another
chunk, extras and their film, a chain of moves.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from library.models import Library, LibraryPlan, PlannedMove
from library.services import plan_groups
from library.services.plan import plan_build
from library.services.plan_store import plan_refresh
from library.services.scan import library_scan
from library.tests.conftest import make_files
from library.tests.curated_tree import LIBRARIES

pytestmark = pytest.mark.django_db


def stored(library: Library) -> dict[int, tuple[str, str, str]]:
    rows = PlannedMove.objects.filter(library=library)
    return {
        m: (reason, target, detail)
        for m, reason, target, detail in rows.values_list("media_id", "reason", "target", "detail")
    }


def planned_at_once(library: Library) -> dict[int, tuple[str, str, str]]:
    return {
        item.media.pk: (item.reason, item.target_display if item.ready else "", item.detail)
        for item in plan_build(library=library).items
    }


def full_plan_in_chunks(library: Library, monkeypatch, size: int) -> None:
    monkeypatch.setattr(plan_groups, "CHUNK_FILES", size)
    LibraryPlan.objects.filter(library=library).delete()
    assert plan_refresh(library).full


CROSSING = [
    # Loose episodes whose show folder (another top-level folder) already holds one.
    "the.wire.s01e01.720p.mkv",
    "the.wire.s01e01.720p.en.srt",
    "The Wire/Season 01/The Wire - s01e01.mkv",
    "the.wire.s01e02.mkv",
    "the.wire.s01e03.mkv",
    # Twins from two folders that want the same name.
    "a/Dark.S01E01.1080p.mkv",
    "b/Dark.S01E01.720p.mkv",
    # A film with its extras and subtitles, and a second copy elsewhere.
    "Heat.1995.1080p/Heat.1995.1080p.mkv",
    "Heat.1995.1080p/Heat.1995.1080p.en.srt",
    "Heat.1995.1080p/trailer.mkv",
    "Heat.1995.1080p/Featurettes/Making of.mkv",
    "old/Heat (1995).mkv",
    # A chain: each file wants the path of the next one's.
    "Severance/Season 1/Severance.S01E01.mkv",
    "Severance/Season 01/Severance - s01e01.mkv",
    "zz/severance.s01e01.mkv",
]


@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_a_chunked_full_plan_of_crossing_files_equals_one_plan(
    library, media_root: Path, monkeypatch, size
):
    make_files(media_root, CROSSING)
    library_scan(library=library)
    full_plan_in_chunks(library, monkeypatch, size)
    assert stored(library) == planned_at_once(library)


@pytest.mark.parametrize("size", [1, 7])
def test_a_chunked_full_plan_of_the_curated_trees_equals_one_plan(tmp_path, monkeypatch, size):
    for folder, (kind, rows) in LIBRARIES.items():
        root = tmp_path / folder
        for row in rows:
            path = root / row.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(row.path.encode())
        library = Library.objects.create(name=folder, root_path=str(root), kind=kind)
        library_scan(library=library)
        full_plan_in_chunks(library, monkeypatch, size)
        assert stored(library) == planned_at_once(library), folder


def test_chunks_keep_each_folders_files_together(library, media_root: Path):
    make_files(
        media_root,
        [f"Show {n}/Season 01/Show {n} - s01e0{e}.mkv" for n in range(4) for e in range(1, 4)]
        + [f"Films/Film {n} (2001).mkv" for n in range(4)],
    )
    library_scan(library=library)
    chunks = list(plan_groups.chunks_of(library, size=2))
    paths = dict(library.media_files.values_list("pk", "path"))
    folders = [{Path(paths[pk]).parent for pk in chunk} for chunk in chunks]
    assert sorted(len(chunk) for chunk in chunks) == [3, 3, 3, 3, 4]
    assert all(len(f) == 1 for f in folders)  # a chunk is closed at a new folder only
    assert sum(len(chunk) for chunk in chunks) == 16
