"""Idempotence: a library just renamed and scanned again has nothing left to rename.

For every name of the recognition corpus and of the public release-name corpus
(arr_dev, beside the clone), a real file is made in a temporary library, scanned,
renamed by the plan and scanned again: the second plan must be empty. A file whose
new name reads back differently (another title, season, tag) would be renamed
again at every apply, or flip between two names.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from library.models import Library, LibraryKind, MediaFile
from library.services.apply import library_apply
from library.services.naming import extension_of
from library.services.plan import plan_build
from library.services.scan import library_scan
from library.tests.corpus import corpus_entries
from plexomatic_site.settings_store import settings_current

pytestmark = pytest.mark.django_db

ARR_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "recognition" / "arr_dev"
ARR_KINDS = {
    "anime_absolute.tsv": LibraryKind.ANIME,
    "movies.tsv": LibraryKind.MOVIES,
    "tv_multi.tsv": LibraryKind.TV,
    "tv_single.tsv": LibraryKind.TV,
}


@dataclass
class RoundTrip:
    tried: int = 0
    renamed: int = 0
    # (current path after the first apply, where the second plan would move it)
    not_settled: list[tuple[str, str]] = field(default_factory=list)
    # Subtitles without a video at the first scan, whose video the apply moved in beside
    # them: only then can they follow it, so they move at the second apply, once.
    late_sidecars: list[tuple[str, str]] = field(default_factory=list)
    third_plan: list[str] = field(default_factory=list)


def _file_name(name: str) -> str:
    """The name as a file: release names without a media extension become `.mkv`."""
    current = settings_current()
    known = set(current["video_extensions"]) | set(current["subtitle_extensions"])
    return name if extension_of(name) in known else f"{name}.mkv"


def round_trip(root: Path, kind: str, relative_paths: list[str]) -> RoundTrip:
    """Scan, apply, scan, plan again: what the second plan still wants to move."""
    library = Library.objects.create(name=root.name, root_path=str(root), kind=kind)
    result = RoundTrip()
    for relative in dict.fromkeys(relative_paths):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        # Distinct content per file, so a moved file is never taken for another.
        path.write_bytes(relative.encode())
        result.tried += 1
    library_scan(library=library)
    orphans = set(
        MediaFile.objects.filter(
            library=library, kind=MediaFile.Kind.SUBTITLE, video=None
        ).values_list("pk", flat=True)
    )
    applied = library_apply(library=library)
    result.renamed = applied.completed
    library_scan(library=library)
    for item in plan_build(library=library).ready():
        moved = (item.source_display, item.target_display)
        late = item.media.pk in orphans
        (result.late_sidecars if late else result.not_settled).append(moved)
    if result.late_sidecars:
        library_apply(library=library)
        library_scan(library=library)
        result.third_plan = [i.source_display for i in plan_build(library=library).ready()]
    return result


def _report(result: RoundTrip) -> str:
    examples = "\n".join(f"  {old}\n    -> {new}" for old, new in result.not_settled[:15])
    return (
        f"{len(result.not_settled)} of {result.tried} names (renamed: {result.renamed}) "
        f"would be renamed again after a rescan:\n{examples}"
    )


def test_the_corpus_once_renamed_and_rescanned_plans_nothing(tmp_path):
    paths = [_file_name(entry["path"]) for entry in corpus_entries()]
    result = round_trip(tmp_path / "corpus", LibraryKind.MIXED, paths)
    assert result.tried > 400
    assert not result.not_settled, _report(result)
    # Inception (2010)/Inception (2010).en.cc.srt waits for its video to arrive.
    assert len(result.late_sidecars) <= 2 and not result.third_plan


@pytest.mark.skipif(not ARR_DIR.is_dir(), reason=f"the arr_dev corpus is not at {ARR_DIR}")
@pytest.mark.parametrize("layout", ["flat", "release_folder"])
@pytest.mark.parametrize("tsv", sorted(ARR_KINDS))
def test_release_names_once_renamed_and_rescanned_plan_nothing(tmp_path, tsv, layout):
    with open(ARR_DIR / tsv, encoding="utf-8", newline="") as handle:
        names = [row["name"].strip() for row in csv.DictReader(handle, delimiter="\t")]
    # Two layouts a download client leaves: every file in one folder (the library of
    # its kind), or each in a folder named after its release. A name with a slash (a
    # bilingual title) cannot be one file name: its parts become folders, as on disk.
    paths = [
        _file_name(name) if layout == "flat" or "/" in name else f"{name}/{_file_name(name)}"
        for name in (n.lstrip("/") for n in names)
        if name
    ]
    result = round_trip(tmp_path / f"{tsv.removesuffix('.tsv')}-{layout}", ARR_KINDS[tsv], paths)
    assert result.tried == len(set(paths))
    assert not result.not_settled, _report(result)
    assert not result.late_sidecars


def test_round_trip_reports_a_file_that_would_move_again(tmp_path, monkeypatch):
    # The harness itself: a plan that always wants a new name is caught.
    from library.services import naming

    real = naming.naming_values
    calls = {"n": 0}

    def unstable(media: MediaFile) -> dict[str, str] | None:
        calls["n"] += 1
        values = real(media)
        if values is not None:
            values["title"] += f" {calls['n']}"
        return values

    monkeypatch.setattr(naming, "naming_values", unstable)
    result = round_trip(tmp_path / "unstable", LibraryKind.TV, ["Show.S01E01.mkv"])
    assert result.renamed == 1 and len(result.not_settled) == 1
    # The name it got differs from the one the next plan wants (every plan adds a number).
    assert re.match(r"Show \d+ - s01e01", os.path.basename(result.not_settled[0][0]))


def test_a_film_with_extras_editions_versions_and_parts_settles_in_one_apply(tmp_path):
    paths = [
        "Heat.1995.1080p.BluRay.x264-GRP/Heat.1995.1080p.BluRay.x264-GRP.mkv",
        "Heat.1995.1080p.BluRay.x264-GRP/Trailers/Teaser.mkv",
        "Heat.1995.1080p.BluRay.x264-GRP/Heat-featurette.mkv",
        "Blade Runner (1982) {edition-Final Cut}/Blade.Runner.1982.mkv",
        "Blade Runner (1982)/Blade Runner (1982) - 1080p.mkv",
        "Blade Runner (1982)/Blade Runner (1982) - 4K.mkv",
        "Dune.2021.cd1.mkv",
        "Dune.2021.cd2.mkv",
    ]
    result = round_trip(tmp_path / "films", LibraryKind.MOVIES, paths)
    assert not result.not_settled, _report(result)
    found = {
        os.path.relpath(os.path.join(folder, name), tmp_path / "films")
        for folder, _, names in os.walk(tmp_path / "films")
        for name in names
    }
    assert found == {
        # A release's resolution is not a version label: one version, no suffix.
        "Heat (1995)/Heat (1995).mkv",
        "Heat (1995)/Trailers/Teaser.mkv",
        "Heat (1995)/Heat-featurette.mkv",
        "Blade Runner (1982) {edition-Final Cut}/Blade Runner (1982) {edition-Final Cut}.mkv",
        "Blade Runner (1982)/Blade Runner (1982) - 1080p.mkv",
        "Blade Runner (1982)/Blade Runner (1982) - 4K.mkv",
        "Dune (2021)/Dune (2021) - pt1.mkv",
        "Dune (2021)/Dune (2021) - pt2.mkv",
    }
