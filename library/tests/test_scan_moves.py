"""A scan reads a file only to tell a moved file from a new one, and still finds moves."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from library.models import MediaFile
from library.services.checksum import checksum_compute
from library.services.scan import PHASES, library_scan
from library.tests.conftest import make_files

pytestmark = pytest.mark.django_db

EPISODES = [
    "Show (2019)/Season 01/Show (2019) - s01e01 - One.mkv",
    "Show (2019)/Season 01/Show (2019) - s01e02 - Two.mkv",
    "Show (2019)/Season 01/Show (2019) - s01e03 - Three.mkv",
]

# Every path the process opens for reading while a test records (the interpreter
# keeps its audit hooks for good, so this one is added once and idle otherwise).
_recording: list[list[str]] = []


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event != "open" or not _recording or not isinstance(args[0], str | bytes):
        return
    mode, flags = args[1], args[2]
    if isinstance(mode, str):
        reading = not set(mode) & set("wax+")
    else:
        reading = isinstance(flags, int) and flags & os.O_ACCMODE == os.O_RDONLY
    if reading:
        _recording[-1].append(os.fsdecode(args[0]))


sys.addaudithook(_audit)


@pytest.fixture
def reads(media_root: Path) -> Iterator[Callable[[], list[str]]]:
    """A function giving the media files (not folders) opened for reading so far."""
    seen: list[str] = []
    _recording.append(seen)
    inside = os.path.join(str(media_root), "")
    yield lambda: [path for path in seen if path.startswith(inside) and os.path.isfile(path)]
    _recording.remove(seen)


def test_a_first_scan_reads_no_file(library, media_root, reads):
    make_files(media_root, EPISODES)
    summary = library_scan(library=library)
    assert (summary.new, summary.read) == (3, 0)
    assert reads() == []
    assert set(MediaFile.objects.values_list("fingerprint", flat=True)) == {""}


def test_a_new_file_that_cannot_be_a_moved_one_is_not_read(library, media_root, reads):
    paths = make_files(media_root, EPISODES)
    library_scan(library=library)
    paths[0].unlink()  # a vanished row: a new file of its size and mtime could be it
    (new,) = make_files(media_root, ["Show (2019)/Season 01/Show (2019) - s01e04 - Four.mkv"])
    summary = library_scan(library=library)
    assert (summary.new, summary.missing, summary.moved, summary.read) == (1, 1, 0, 0)
    assert reads() == []
    assert MediaFile.objects.get(path=str(new)).fingerprint == ""


def test_a_moved_file_is_found_as_moved_and_keeps_the_fingerprint_read(library, media_root, reads):
    paths = make_files(media_root, EPISODES)
    library_scan(library=library)
    row = MediaFile.objects.get(path=str(paths[1]))
    target = media_root / "Show (2019)" / "Season 01" / "Show (2019) - s01e02 - Second.mkv"
    os.rename(paths[1], target)  # a rename keeps size and mtime
    make_files(media_root, ["Show (2019)/Season 01/Show (2019) - s01e04 - Four.mkv"])
    summary = library_scan(library=library)
    assert (summary.moved, summary.new, summary.missing, summary.read) == (1, 1, 0, 1)
    assert reads() == [str(target)]
    row.refresh_from_db()
    assert (row.path, row.episode_title, row.missing) == (str(target), "Second", False)
    assert row.fingerprint == checksum_compute(str(target))
    # The job summary says what was read, and where the time went.
    assert set(summary.phases) == set(PHASES)
    assert summary.lines()[-1].text.endswith("Files read to tell moved files from new: 1.")


def test_a_fingerprinted_row_is_found_by_its_fingerprint_when_the_mtime_changed(
    library, media_root, tmp_path
):
    paths = make_files(media_root, EPISODES)
    library_scan(library=library)
    renamed = paths[0].with_name("renamed.mkv")
    os.rename(paths[0], renamed)
    library_scan(library=library)  # a move: the row now has a fingerprint
    row = MediaFile.objects.get(path=str(renamed))
    assert row.fingerprint
    # A move across file systems: a copy (new mtime), then the original deleted.
    target = media_root / "Elsewhere" / "renamed.mkv"
    target.parent.mkdir()
    shutil.copyfile(renamed, target)
    renamed.unlink()
    summary = library_scan(library=library)
    assert (summary.moved, summary.new, summary.missing, summary.read) == (1, 0, 0, 1)
    row.refresh_from_db()
    assert row.path == str(target)


def test_two_new_files_that_both_could_be_a_vanished_one_are_not_guessed(
    library, media_root, tmp_path
):
    paths = make_files(media_root, EPISODES)
    library_scan(library=library)
    stat = paths[2].stat()
    twin = media_root / "Show (2019)" / "Season 01" / "twin.mkv"
    shutil.copy2(paths[2], twin)  # the same size and mtime
    os.utime(twin, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.rename(paths[2], paths[2].with_name("moved.mkv"))
    summary = library_scan(library=library)
    assert (summary.moved, summary.new, summary.missing, summary.read) == (0, 2, 1, 2)


def test_a_changed_file_is_not_read_and_drops_its_old_fingerprint(library, media_root, reads):
    paths = make_files(media_root, EPISODES)
    library_scan(library=library)
    renamed = paths[0].with_name("renamed.mkv")
    os.rename(paths[0], renamed)
    library_scan(library=library)
    assert MediaFile.objects.get(path=str(renamed)).fingerprint
    renamed.write_bytes(b"a new, longer version of the episode")
    before = len(reads())
    summary = library_scan(library=library)
    assert (summary.changed, summary.read) == (1, 0)
    assert len(reads()) == before
    changed = MediaFile.objects.get(path=str(renamed))
    assert (changed.size, changed.fingerprint) == (36, "")


def test_a_move_whose_new_file_cannot_be_read_is_still_found(library, media_root, monkeypatch):
    paths = make_files(media_root, EPISODES)
    library_scan(library=library)
    target = paths[1].with_name("renamed.mkv")
    os.rename(paths[1], target)
    import library.services.scan as scan_module

    def unreadable(path):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(scan_module, "checksum_compute", unreadable)
    summary = library_scan(library=library)
    assert summary.errors == [f"Cannot read {target}: Permission denied"]
    assert (summary.moved, summary.new, summary.missing) == (1, 0, 0)
    assert MediaFile.objects.get(path=str(target)).fingerprint == ""
