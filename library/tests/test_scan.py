from __future__ import annotations

import os

import pytest

from library.errors import ScanError
from library.models import ExcludedFile, MediaFile
from library.services.scan import library_scan
from library.tests.conftest import make_files, scandir_before_stat
from plexomatic_site.settings_store import settings_update

pytestmark = pytest.mark.django_db

EPISODES = [
    "Show Name (2019)/Season 02/05 - The Title.mkv",
    "Show Name (2019)/Season 02/06 - Another.mkv",
    "Show Name (2019)/Season 02/06 - Another.en.srt",
    "Movies/The Matrix (1999)/The Matrix (1999).mp4",
]


def test_first_scan_finds_and_recognises_media(library, media_root):
    make_files(media_root, [*EPISODES, "notes.txt", "Show Name (2019)/Season 02/cover.jpg"])
    summary = library_scan(library=library)
    assert (summary.new, summary.changed, summary.unchanged, summary.missing) == (4, 0, 0, 0)
    episode = MediaFile.objects.get(name="05 - The Title.mkv")
    assert (episode.media_type, episode.title, episode.year, episode.season, episode.episode) == (
        "TV_SHOW",
        "Show Name",
        2019,
        2,
        5,
    )
    assert episode.episode_title == "The Title"
    assert episode.path == str(media_root / EPISODES[0])
    assert episode.size == len(EPISODES[0].encode())
    # Nothing can have moved into a new library: no file was read (see scan_moves).
    assert episode.fingerprint == "" and summary.read == 0
    movie = MediaFile.objects.get(name="The Matrix (1999).mp4")
    assert (movie.media_type, movie.title, movie.year) == ("MOVIE", "The Matrix", 1999)
    subtitle = MediaFile.objects.get(name="06 - Another.en.srt")
    assert subtitle.kind == "subtitle" and subtitle.language == "en"
    assert subtitle.video == MediaFile.objects.get(name="06 - Another.mkv")
    library.refresh_from_db()
    assert library.last_scan_summary["new"] == 4 and library.last_scan_at is not None


def test_rescan_skips_unchanged_and_rerecognises_changed(library, media_root, monkeypatch):
    paths = make_files(media_root, EPISODES)
    library_scan(library=library)
    calls = []
    import library.services.scan as scan_module

    real = scan_module.recognise
    monkeypatch.setattr(
        scan_module, "recognise", lambda rel, **kw: calls.append(rel) or real(rel, **kw)
    )
    summary = library_scan(library=library)
    assert (summary.new, summary.changed, summary.unchanged) == (0, 0, 4)
    assert calls == []

    paths[0].write_bytes(b"longer content now")
    summary = library_scan(library=library)
    assert (summary.changed, summary.unchanged) == (1, 3)
    assert calls == [EPISODES[0]]
    assert MediaFile.objects.get(name="05 - The Title.mkv").size == len(b"longer content now")


def test_vanished_files_are_marked_missing_and_unmarked_on_return(library, media_root, tmp_path):
    paths = make_files(media_root, EPISODES)
    library_scan(library=library)
    aside = tmp_path / "aside.mkv"
    os.rename(paths[1], aside)
    summary = library_scan(library=library)
    assert summary.missing == 1
    assert MediaFile.objects.get(name="06 - Another.mkv").missing is True
    os.rename(aside, paths[1])
    summary = library_scan(library=library)
    assert summary.returned == 1 and summary.missing == 0
    assert MediaFile.objects.filter(missing=True).count() == 0


def test_file_moved_inside_the_library_keeps_its_row(library, media_root):
    paths = make_files(media_root, EPISODES)
    library_scan(library=library)
    row = MediaFile.objects.get(name="05 - The Title.mkv")
    target = media_root / "Show Name (2019)" / "Season 2" / "Show Name - S02E05 - The Title.mkv"
    target.parent.mkdir()
    os.rename(paths[0], target)
    summary = library_scan(library=library)
    assert (summary.moved, summary.new, summary.missing) == (1, 0, 0)
    row.refresh_from_db()
    assert row.path == str(target) and row.missing is False and row.episode == 5


def test_changed_ignore_rules_apply_to_files_already_known(library, media_root):
    make_files(media_root, ["Film (2001)/Film (2001).mkv", "Film (2001)/Film (2001) - Behind.mkv"])
    assert library_scan(library=library).new == 2
    settings_update(values={"ignore_patterns": ["* - behind.mkv"]})
    summary = library_scan(library=library)
    assert (summary.unchanged, summary.excluded, summary.missing) == (1, 1, 0)
    assert summary.removed == 1 and summary.excluded_rules == {"* - behind.mkv": 1}
    assert list(MediaFile.objects.values_list("name", flat=True)) == ["Film (2001).mkv"]


def test_ignore_patterns_and_extensions_follow_settings(library, media_root):
    make_files(
        media_root,
        [
            "Film (2001)/Film (2001).mkv",
            "Film (2001)/Sample/sample.mkv",
            "Film (2001)/Film (2001)-trailer.mkv",
            "Film (2001)/Trailers/Teaser.mkv",
            "Film (2001)/Extras/Making of.mkv",
            "Film (2001)/.hidden.mkv",
            "Other/Other (2003).xyz",
        ],
    )
    library_scan(library=library)
    # Extras are scanned (recognised as extras, never renamed); samples and hidden files not.
    assert sorted(MediaFile.objects.values_list("name", flat=True)) == [
        "Film (2001)-trailer.mkv",
        "Film (2001).mkv",
        "Making of.mkv",
        "Teaser.mkv",
    ]
    settings_update(values={"video_extensions": [".mkv", ".xyz"], "ignore_patterns": []})
    library_scan(library=library)
    assert MediaFile.objects.count() == 7


def test_plex_versions_folders_are_never_scanned(library, media_root):
    make_files(
        media_root,
        [
            "Film (2001)/Film (2001).mkv",
            "Film (2001)/Plex Versions/Optimized for TV/Film (2001).mp4",
        ],
    )
    assert library_scan(library=library).new == 1
    assert list(MediaFile.objects.values_list("name", flat=True)) == ["Film (2001).mkv"]


def test_plexignore_patterns_are_skipped_below_their_folder(library, media_root):
    make_files(
        media_root,
        [
            "Show/Season 01/Show - S01E01.mkv",
            "Show/Season 01/Show - S01E02.mkv",
            "Show/Season 01/Unwanted/Show - S01E03.mkv",
            "Show/Bonus/Show - S00E01.mkv",
            "Other/Other - S01E01.mkv",
        ],
    )
    (media_root / "Show" / ".plexignore").write_text(
        "# Plex skips these too\n*E02.mkv\nBonus/*\n\nunwanted\n"
    )
    library_scan(library=library)
    assert sorted(MediaFile.objects.values_list("name", flat=True)) == [
        "Other - S01E01.mkv",
        "Show - S01E01.mkv",
    ]


def test_default_ignore_patterns_keep_shows_named_like_them(library, media_root):
    make_files(
        media_root,
        [
            "Trailer Park Boys (2001)/Season 01/Trailer Park Boys - S01E01.mkv",
            "Sample Show/Season 01/Sample Show - S01E01.mkv",
        ],
    )
    assert library_scan(library=library).new == 2


def test_library_overrides_settings(library, media_root):
    make_files(media_root, ["A (2000)/A (2000).mkv", "B (2001)/B (2001).avi"])
    library.video_extensions = [".avi"]
    library.save()
    library_scan(library=library)
    assert list(MediaFile.objects.values_list("name", flat=True)) == ["B (2001).avi"]


def test_symlink_loop_is_reported_and_does_not_stop_the_scan(library, media_root):
    make_files(media_root, EPISODES)
    os.symlink(media_root, media_root / "Show Name (2019)" / "loop")
    summary = library_scan(library=library)
    assert summary.new == 4
    assert any("symlink loop" in e for e in summary.errors)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads folders whatever their permissions")
def test_unreadable_folder_is_reported_and_its_files_not_marked_missing(library, media_root):
    make_files(media_root, EPISODES)
    library_scan(library=library)
    locked = media_root / "Show Name (2019)" / "Season 02"
    locked.chmod(0)
    try:
        summary = library_scan(library=library)
    finally:
        locked.chmod(0o755)
    assert any("Cannot read folder" in e for e in summary.errors)
    assert summary.missing == 0
    assert not MediaFile.objects.filter(missing=True).exists()


def test_unreadable_folder_is_reported_when_scandir_fails(library, media_root, monkeypatch):
    """The same rule as above, provable as root: the folder's listing fails."""
    make_files(media_root, EPISODES)
    library_scan(library=library)
    locked = str(media_root / "Show Name (2019)" / "Season 02")
    real = os.scandir

    def scandir(path):
        if path == locked:
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    summary = library_scan(library=library)
    assert any(f"Cannot read folder {locked}: Permission denied" == e for e in summary.errors)
    assert summary.missing == 0
    assert not MediaFile.objects.filter(missing=True).exists()


def test_file_deleted_between_listing_and_stat_is_reported(library, media_root, monkeypatch):
    paths = make_files(media_root, EPISODES)
    victim = str(paths[1])

    def vanish(path):
        if path == victim:
            os.unlink(victim)

    scandir_before_stat(monkeypatch, vanish)
    summary = library_scan(library=library)
    assert summary.new == 3
    assert any("vanished during the scan" in e for e in summary.errors)


def test_names_that_are_not_utf8_are_stored_losslessly(library, media_root):
    raw_dir = os.fsencode(media_root)
    raw_name = b"Bad \xff name S01E01.mkv"
    with open(raw_dir + b"/" + raw_name, "wb") as fh:
        fh.write(b"x")
    newline_name = "Odd\nName (2010).mkv"
    make_files(media_root, [newline_name, "L" * 240 + ".mkv"])
    summary = library_scan(library=library)
    assert summary.new == 3 and summary.error_count == 0
    bad = MediaFile.objects.get(name__startswith="Bad")
    assert bad.name == "Bad \\xff name S01E01.mkv"
    assert bytes(bad.path_bytes) == raw_dir + b"/" + raw_name
    assert os.path.exists(bytes(bad.path_bytes))
    assert MediaFile.objects.get(name=newline_name).path_bytes is None
    # A rescan recognises it as unchanged.
    assert library_scan(library=library).unchanged == 3


def test_missing_root_stops_the_scan_and_changes_nothing(library, media_root):
    make_files(media_root, EPISODES)
    library_scan(library=library)
    library.root_path = str(media_root) + "-gone"
    with pytest.raises(ScanError, match="missing or cannot be read; nothing was changed"):
        library_scan(library=library)
    assert not MediaFile.objects.filter(missing=True).exists()


def test_progress_is_reported(library, media_root):
    make_files(media_root, [f"Show/Season 01/Show - S01E{n:02d}.mkv" for n in range(1, 12)])
    calls = []
    library_scan(library=library, progress=lambda *a, **k: calls.append(a))
    assert calls[-1][0] == 11 and calls[-1][1] == 11


def test_a_bad_name_that_shows_like_a_real_one_is_reported_not_fatal(library, media_root):
    raw_dir = os.fsencode(media_root)
    with open(raw_dir + b"/Bad \xff x.mkv", "wb") as fh:
        fh.write(b"bytes")
    with open(raw_dir + b"/Bad \\xff x.mkv", "wb") as fh:
        fh.write(b"text")
    summary = library_scan(library=library)
    assert (summary.new, summary.error_count) == (1, 1)
    assert MediaFile.objects.count() == 1
    assert any("shows the same as another file" in e for e in summary.errors)
    # Rescans stay stable: the stored file is unchanged, the other reported again.
    again = library_scan(library=library)
    assert again.unchanged == 1 and again.missing == 0


def test_bad_names_are_matched_exactly_on_rescan(library, media_root):
    raw_dir = os.fsencode(media_root)
    with open(raw_dir + b"/Caf\xe9 S01E01.mkv", "wb") as fh:
        fh.write(b"x")
    assert library_scan(library=library).new == 1
    summary = library_scan(library=library)
    assert (summary.unchanged, summary.new, summary.missing) == (1, 0, 0)
    os.remove(raw_dir + b"/Caf\xe9 S01E01.mkv")
    assert library_scan(library=library).missing == 1
    assert MediaFile.objects.get().missing is True


def test_symlinks_out_of_the_library_are_not_followed(library, media_root, tmp_path):
    outside = tmp_path / "outside"
    make_files(outside, ["Some.Show.S01E01.mkv"])
    os.symlink(outside, media_root / "linked-folder")
    os.symlink(outside / "Some.Show.S01E01.mkv", media_root / "Linked.S01E02.mkv")
    os.symlink("/etc/passwd", media_root / "passwd.mkv")
    make_files(media_root, EPISODES)
    summary = library_scan(library=library)
    assert summary.new == 4
    assert not MediaFile.objects.filter(
        name__in=["Some.Show.S01E01.mkv", "passwd.mkv", "Linked.S01E02.mkv"]
    ).exists()
    assert sum("outside the library" in e for e in summary.errors) == 3


def test_files_that_cannot_be_read_are_not_marked_missing(library, media_root, monkeypatch):
    paths = make_files(media_root, EPISODES)
    library_scan(library=library)
    victim = str(paths[0])

    def refuse(path):
        if path == victim:
            raise PermissionError(13, "Permission denied", victim)

    scandir_before_stat(monkeypatch, refuse)
    summary = library_scan(library=library)
    assert any("Cannot read" in e for e in summary.errors)
    assert summary.missing == 0
    assert not MediaFile.objects.filter(missing=True).exists()


def test_an_extension_added_in_settings_is_not_read_as_part_of_the_name(library, media_root):
    settings_update(values={"video_extensions": [".mkv", ".mk3d"]})
    make_files(media_root, ["Show/Season 1/Show.S01E02.mk3d", "Show/Season 1/Show.S01E03.mkv"])
    library_scan(library=library)
    odd = MediaFile.objects.get(name="Show.S01E02.mk3d")
    usual = MediaFile.objects.get(name="Show.S01E03.mkv")
    assert (odd.title, odd.season, odd.episode, odd.episode_title) == ("Show", 1, 2, "")
    assert (usual.title, usual.episode_title) == ("Show", "")


EXCLUDED_TREE = [
    "Film (2001)/Film (2001).mkv",
    "Film (2001)/Film (2001)-SAMPLE.mkv",  # *-sample.*
    "Film (2001)/Sample/sample.mkv",  # the folder: sample
    "Show/Season 01/Show - S01E01.mkv",
    "Show/Season 01/Show - S01E02.mkv",  # Show/.plexignore: *E02.mkv
    "Show/Bonus/Show - S00E01.mkv",  # Show/.plexignore: Bonus/*
    "Show/Unwanted/Show - S01E03.mkv",  # the folder, by Show/.plexignore: unwanted
    ".hidden.mkv",  # .*
    "notes.txt",  # not media: neither seen nor excluded
]


def test_what_the_rules_exclude_is_counted_by_rule_stored_and_the_summary_adds_up(
    library, media_root
):
    make_files(media_root, EXCLUDED_TREE)
    (media_root / "Show" / ".plexignore").write_text("*E02.mkv\nBonus/*\nunwanted\n")
    for unchanged in (0, 2):  # a rescan finds the same, and stores it once
        summary = library_scan(library=library)
        assert (summary.seen, summary.unchanged, summary.new) == (6, unchanged, 2 - unchanged)
        assert (summary.excluded, summary.excluded_folders, summary.removed) == (4, 2, 0)
        assert summary.seen == (
            summary.unchanged + summary.new + summary.changed + summary.moved + summary.excluded
        )
        assert summary.excluded_rules == {
            "Show/.plexignore": 3,
            "*-sample.*": 1,
            "sample": 1,
            ".*": 1,
        }
        assert summary.headline().startswith(
            f"6 seen = {unchanged} unchanged + {2 - unchanged} new + 0 changed + 0 moved + "
            "4 excluded (and 2 folders left out); 0 missing"
        )
        stored = {
            (os.path.relpath(path, media_root), rule, folder)
            for path, rule, folder in ExcludedFile.objects.values_list("path", "rule", "folder")
        }
        assert stored == {
            ("Film (2001)/Film (2001)-SAMPLE.mkv", "*-sample.*", False),
            ("Film (2001)/Sample", "sample", True),
            ("Show/Season 01/Show - S01E02.mkv", "Show/.plexignore", False),
            ("Show/Bonus/Show - S00E01.mkv", "Show/.plexignore", False),
            ("Show/Unwanted", "Show/.plexignore", True),
            (".hidden.mkv", ".*", False),
        }
    assert sorted(MediaFile.objects.values_list("name", flat=True)) == [
        "Film (2001).mkv",
        "Show - S01E01.mkv",
    ]


def test_a_rule_removed_lets_its_files_in_and_empties_the_excluded_list(library, media_root):
    make_files(media_root, ["Film (2001)/Film (2001).mkv", "Film (2001)/Film (2001)-SAMPLE.mkv"])
    assert library_scan(library=library).excluded == 1
    settings_update(values={"ignore_patterns": []})
    summary = library_scan(library=library)
    assert (summary.seen, summary.unchanged, summary.new, summary.excluded) == (2, 1, 1, 0)
    assert not ExcludedFile.objects.exists()
