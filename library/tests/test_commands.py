from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from library.models import Library, MediaFile
from library.services.locks import library_lock
from library.tests.conftest import make_files
from plexomatic_site.jobs import jobs_claim
from plexomatic_site.models import Job, JobKind

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_createlibrary_adds_a_library(media_root):
    output = run("createlibrary", "TV", str(media_root))
    library = Library.objects.get()
    assert (library.name, library.root_path) == ("TV", str(media_root))
    assert f"Added library {library.pk}: TV" in output


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("relative/path", "is not an absolute path"),
        ("/no/such/folder", "/no/such/folder does not exist."),
        ("/etc/hostname", "/etc/hostname is a file, not a folder."),
    ],
)
def test_createlibrary_refuses_bad_paths(path, message):
    with pytest.raises(CommandError, match=message):
        run("createlibrary", "X", path)
    assert not Library.objects.exists()


def test_createlibrary_refuses_overlapping_roots(media_root):
    (media_root / "tv").mkdir()
    run("createlibrary", "Media", str(media_root))
    with pytest.raises(CommandError, match="lies inside the library “Media”"):
        run("createlibrary", "TV", str(media_root / "tv"))
    with pytest.raises(CommandError, match="contains the library “Media”"):
        run("createlibrary", "All", str(media_root.parent))
    with pytest.raises(CommandError, match="already exists"):
        run("createlibrary", "Media", str(media_root / "tv"))


def test_scan_command_scans_by_name_or_id_and_prints_a_summary(library, media_root):
    make_files(
        media_root,
        [
            "Show/Season 01/Show - S01E01.mkv",
            "Show/Season 01/Show - S01E02.mkv",
            "Show/Season 01/Show - S01E02-SAMPLE.mkv",
        ],
    )
    output = run("scan", "TV", "--no-progress")
    assert (
        "TV: 3 seen = 0 unchanged + 2 new + 0 changed + 0 moved + 1 excluded; "
        "0 missing, 0 back, 0 errors in"
    ) in output
    output = run("scan", str(library.pk), "--no-progress")
    assert "3 seen = 2 unchanged + 0 new + 0 changed + 0 moved + 1 excluded;" in output
    assert Job.objects.filter(kind="scan", status="succeeded").count() == 2


def test_scan_without_arguments_scans_enabled_libraries(library, media_root, tmp_path):
    other_root = tmp_path / "other"
    make_files(other_root, ["Film (2000)/Film (2000).mkv"])
    Library.objects.create(name="Off", root_path=str(other_root), enabled=False)
    make_files(media_root, ["Show/Season 01/Show - S01E01.mkv"])
    output = run("scan", "--no-progress")
    assert "TV: 1 seen = 0 unchanged + 1 new" in output and "Off" not in output
    assert MediaFile.objects.count() == 1


def test_scan_refuses_unknown_library(library):
    with pytest.raises(CommandError, match=r"There is no library named or numbered 'Nope'"):
        run("scan", "Nope")


def test_scan_refuses_while_another_scan_runs(library):
    jobs_claim(kind=JobKind.SCAN, locks=[library_lock(library)])  # held by this live process
    with pytest.raises(CommandError, match=r"A scan job of library “.*” is already running"):
        run("scan", "TV", "--no-progress")


def test_scan_of_a_vanished_root_fails_clearly(library, media_root):
    media_root.rmdir()
    with pytest.raises(CommandError, match="1 of 1 libraries could not be scanned"):
        run("scan", "TV", "--no-progress")
    assert Job.objects.get().status == "failed"
