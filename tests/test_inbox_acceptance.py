"""Acceptance for issue 16: a real downloads folder imported by `import_inbox` lands
in the libraries under names Plex reads, and `rollback` puts it back exactly.

The folder and what each file must become are in `downloads_tree` (Plex's rules and
real release names, not this project's recogniser). Each file's bytes are unique,
so a file found in a library says which download it was. Every failure of every
row is collected and reported in one message, grouped by family.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from inbox.models import InboxFolder
from library.models import Batch, Library
from tests.downloads_tree import (
    ANIME,
    EXTRA_FOLDERS,
    LANGUAGES,
    MOVIES,
    TV,
    Episode,
    Movie,
    Row,
    content,
    downloads_rows,
    downloads_write,
    releases,
)

pytestmark = pytest.mark.django_db

TAGS = re.compile(r"\{[^}]*\}|\[[^]]*\]")
YEAR = re.compile(r"^(.*?)\s*\((\d{4})\)(.*)$")
SEASON = re.compile(r"^season\s*0*(\d+)$", re.IGNORECASE)
EPISODE = re.compile(r"(?<![a-z0-9])s(\d{1,4})e(\d{1,4})((?:-?e\d{1,4})*)(?![0-9])", re.IGNORECASE)
PART = re.compile(r" - (?:cd|disc|disk|dvd|part|pt) ?(\d+)$", re.IGNORECASE)
SUBTITLE_FLAGS = {"forced", "sdh", "cc", "hi", "default"}
EXTRA_SUFFIX = re.compile(r"-(" + "|".join(EXTRA_FOLDERS.values()) + r")\d*$", re.IGNORECASE)
# Already in the libraries before the import: must be there, unchanged, after both.
EXISTING = {
    TV: "Existing Show (2001)/Season 01/Existing Show (2001) - s01e01.mkv",
    MOVIES: "Old Film (1950)/Old Film (1950).mkv",
    ANIME: "Old Anime/Season 01/Old Anime - s01e01.mkv",
}


def compact(text: str) -> str:
    """Letters and digits only, lower case, accents dropped: how titles are compared."""
    plain = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in plain.lower() if ch.isalnum() and not unicodedata.combining(ch))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every file under root: relative path -> (content hash, inode)."""
    found = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            found[os.path.relpath(path, root)] = (
                digest(Path(path).read_bytes()),
                os.lstat(path).st_ino,
            )
    return found


class Failures:
    def __init__(self) -> None:
        self.by_family: dict[str, list[str]] = defaultdict(list)

    def add(self, family: str, row: str, detail: str = "") -> None:
        self.by_family[family].append(f"{row}" + (f"  ->  {detail}" if detail else ""))

    def report(self) -> str:
        total = sum(len(rows) for rows in self.by_family.values())
        lines = [f"{total} failure(s) in {len(self.by_family)} families:"]
        for family, rows in sorted(self.by_family.items(), key=lambda item: -len(item[1])):
            lines.append(f"\n== {family} ({len(rows)})")
            lines.extend(f"   {row}" for row in rows)
        return "\n".join(lines)


def show_folder_problem(name: str, media: Episode) -> str:
    match = YEAR.match(TAGS.sub("", name).strip())
    title, year = (match.group(1), int(match.group(2))) if match else (TAGS.sub("", name), None)
    if compact(title) != compact(media.title):
        return f"show folder {name!r} is not {media.title!r}"
    if media.year and year != media.year:
        return f"show folder {name!r} lost the year ({media.year})"
    return ""


def episode_problem(relative: str, media: Episode) -> str:
    """Why Plex would not read `relative` (in a TV or anime library) as `media`, or ''."""
    parts = relative.split("/")
    if len(parts) not in (2, 3):
        return "not Show/Season/file or Show/file"
    problem = show_folder_problem(parts[0], media)
    if problem:
        return problem
    stem = parts[-1]
    if len(parts) == 3:
        season = SEASON.match(parts[1])
        specials = media.season == 0 and parts[1].lower() == "specials"
        if not specials and (season is None or int(season.group(1)) != media.season):
            return f"season folder {parts[1]!r} is not season {media.season}"
    if media.date:
        if not re.search(media.date.replace("-", r"[-. ]"), stem):
            return f"no air date {media.date} in the name"
        return ""
    found = EPISODE.findall(stem)
    if len(found) != 1:
        return f"{len(found)} sXXeYY markers in the name"
    season, first, rest = found[0]
    numbers = [int(first), *(int(n) for n in re.findall(r"\d+", rest))]
    episodes = set(range(numbers[0], numbers[-1] + 1))
    if int(season) != media.season or episodes != set(media.episodes):
        return f"reads as s{int(season):02} episodes {sorted(episodes)}"
    return ""


def movie_name_problem(name: str, media: Movie) -> str:
    match = YEAR.match(TAGS.sub("", name).strip())
    if match is None:
        return f"{name!r} has no (year)"
    title, year, rest = match.groups()
    if compact(title) != compact(media.title) or int(year) != media.year:
        return f"{name!r} is not {media.title} ({media.year})"
    if rest.strip() and not rest.strip().startswith("-"):
        return f"{name!r}: {rest!r} after the year is not a ' - label'"
    return ""


def movie_problem(relative: str, media: Movie, part: int) -> str:
    parts = relative.split("/")
    if len(parts) > 2:
        return "deeper than Title (Year)/file"
    stem = os.path.splitext(parts[-1])[0]
    if part:
        label = PART.search(stem)
        if label is None or int(label.group(1)) != part:
            return f"part {part} lost (Plex reads ' - cd{part}', ' - pt{part}')"
        stem = stem[: label.start()]
    if len(parts) == 2:
        return movie_name_problem(parts[0], media) or movie_name_problem(stem, media)
    return movie_name_problem(stem, media)


def subtitle_problem(relative: str, video: str, row: Row) -> str:
    if os.path.dirname(relative) != os.path.dirname(video):
        return f"not beside its video {video}"
    stem = os.path.splitext(os.path.basename(video))[0]
    name = os.path.basename(relative)
    if not name.startswith(stem + "."):
        return f"does not start with its video's name {stem!r}"
    tokens = name[len(stem) + 1 :].lower().split(".")
    if tokens[-1] != row.path.rsplit(".", 1)[1].lower():
        return "extension changed"
    middle = set(tokens[:-1])
    codes = set().union(*LANGUAGES.values())
    if middle - codes - SUBTITLE_FLAGS:
        return f"{sorted(middle - codes - SUBTITLE_FLAGS)} are neither a language nor a flag"
    if row.language and not middle & LANGUAGES[row.language]:
        return f"language {row.language} lost"
    if ("forced" in middle) != ("forced" in row.flags):
        return "forced flag " + ("lost" if "forced" in row.flags else "invented")
    if "sdh" in row.flags and not middle & {"sdh", "cc", "hi"}:
        return "sdh flag lost"
    return ""


def extra_problem(relative: str, video: str, row: Row) -> str:
    movie_folder = os.path.dirname(video)
    folder = os.path.relpath(os.path.dirname(relative), movie_folder or ".")
    if not movie_folder or folder.startswith("..") or "/" in folder:
        return f"not in its movie's folder {movie_folder!r}"
    if folder != ".":
        kind = EXTRA_FOLDERS.get(folder.lower())
        if kind is None:
            return f"{folder!r} is not a Plex extras folder"
    else:
        suffix = EXTRA_SUFFIX.search(os.path.splitext(os.path.basename(relative))[0])
        if suffix is None:
            return (
                "in the movie's folder without an extra's -suffix (Plex would take it as the movie)"
            )
        kind = suffix.group(1).lower()
    if kind not in row.extra:
        return f"filed as {kind}, expected one of {sorted(row.extra)}"
    return ""


@pytest.fixture
def libraries(tmp_path) -> dict[str, Library]:
    made = {}
    for key, name, kind in (
        (TV, "TV", "tv"),
        (MOVIES, "Movies", "movies"),
        (ANIME, "Anime", "anime"),
    ):
        root = tmp_path / "libraries" / key
        existing = root / EXISTING[key]
        existing.parent.mkdir(parents=True)
        existing.write_bytes(f"already here: {key}".encode())
        made[key] = Library.objects.create(name=name, root_path=str(root), kind=kind)
    return made


def command(name: str, *args: str, **options: object) -> str:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err, **options)
    except CommandError as exc:
        err.write(f"CommandError: {exc}\n")
    return out.getvalue() + err.getvalue()


@pytest.mark.parametrize("mode", ["hardlink", "move", "copy"])
def test_downloads_import_with_plex_names_and_roll_back_exactly(tmp_path, libraries, mode):
    rows = downloads_rows()
    inbox_root = tmp_path / "downloads"
    downloads_write(inbox_root, rows)
    before = snapshot(inbox_root)
    roots = {key: Path(lib.root_path) for key, lib in libraries.items()}
    libraries_before = {key: snapshot(root) for key, root in roots.items()}
    InboxFolder.objects.create(
        name="Downloads",
        path=str(inbox_root),
        mode=mode,
        tv_library=libraries[TV],
        movie_library=libraries[MOVIES],
        anime_library=libraries[ANIME],
    )
    failures = Failures()

    started = time.perf_counter()
    output = command("import_inbox", "Downloads", "--yes", "--no-progress")
    seconds = time.perf_counter() - started
    importable = [row for row in rows if row.library]
    print(
        f"\n{mode}: {releases(rows)} releases, {len(rows)} files, {len(importable)} to import "
        f"in {seconds:.1f} s ({len(importable) / seconds:.0f} files/s), "
        f"load {Path('/proc/loadavg').read_text().split()[0]}"
    )
    if "CommandError" in output:
        failures.add("import: the command failed", output.strip().splitlines()[-1])
    # The command's own word on each file it left: "  stays: PATH (reason)…".
    said = {}
    for line in output.splitlines():
        if line.startswith("  stays: ") and " (" in line:
            path, _, reason = line.removeprefix("  stays: ").rpartition(" (")
            said[path] = "(" + reason

    # Where each download went: its unique bytes, found in a library.
    landed: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key, root in roots.items():
        for relative, (sha, _) in snapshot(root).items():
            if relative in libraries_before[key]:
                if libraries_before[key][relative][0] != sha:
                    failures.add("library: a file already there changed", f"{key}/{relative}")
                continue
            landed[sha].append((key, relative))
    by_sha = {digest(content(row)): row for row in rows}
    for sha, places in landed.items():
        if sha not in by_sha:
            failures.add("library: a file that is no download", str(places))

    destination: dict[str, tuple[str, str]] = {}
    for row in rows:
        sha = digest(content(row))
        places = landed.get(sha, [])
        source = inbox_root / row.path
        if not row.library:
            if places:
                failures.add(f"stays ({row.stays}): imported anyway", row.path, str(places))
            if not source.is_file() or digest(source.read_bytes()) != sha:
                failures.add(f"stays ({row.stays}): not left as it was", row.path)
            continue
        if not places:
            kind = "subtitle" if row.subtitle else "extra" if row.extra else "video"
            failures.add(f"{row.library} {kind}: not imported", row.path, said.get(row.path, ""))
            continue
        if len(places) > 1:
            failures.add("imported twice", row.path, str(places))
        key, relative = places[0]
        destination[row.path] = (key, relative)
        target = roots[key] / relative
        if key != row.library:
            failures.add(f"{row.library} into the {key} library", row.path, relative)
        if target.is_symlink():
            failures.add(f"{mode}: a symbolic link", row.path, relative)
        if mode == "move":
            if source.exists():
                failures.add("move: the download is still in the inbox", row.path)
        elif not source.is_file() or before[row.path][0] != sha:
            failures.add(f"{mode}: the download left the inbox or changed", row.path)
        elif mode == "hardlink" and os.stat(source).st_ino != os.stat(target).st_ino:
            failures.add("hardlink: not the same inode", row.path, relative)
        elif mode == "copy" and os.stat(source).st_ino == os.stat(target).st_ino:
            failures.add("copy: the same inode, not a copy", row.path, relative)

    for row in importable:
        if row.path not in destination:
            continue
        key, relative = destination[row.path]
        if row.follows:
            if row.follows not in destination:
                failures.add("sidecar imported without its video", row.path, relative)
                continue
            video_key, video = destination[row.follows]
            if video_key != key:
                problem = f"in the {key} library, its video in {video_key}"
            elif row.subtitle:
                problem = subtitle_problem(relative, video, row)
            else:
                problem = extra_problem(relative, video, row)
            family = "subtitle" if row.subtitle else "extra"
        elif isinstance(row.media, Movie):
            problem, family = movie_problem(relative, row.media, row.part), "movie"
        else:
            assert isinstance(row.media, Episode)
            problem = episode_problem(relative, row.media)
            family = "anime episode" if row.library == ANIME else "tv episode"
            if problem and row.media.date:
                family = "date-based episode"
        if not problem and not relative.lower().endswith(os.path.splitext(row.path)[1].lower()):
            problem = "extension changed"
        if problem:
            # The family: the problem's words before any name or number in it.
            words = re.split(r"['(\d\[{]", problem, maxsplit=1)[0].strip()
            failures.add(f"{family}: {words}", row.path, f"{relative}  ({problem})")

    batches = list(Batch.objects.filter(kind=Batch.Kind.IMPORT).order_by("-pk"))
    if importable and not batches:
        failures.add("rollback: no import batch to roll back", "")
    started = time.perf_counter()
    for batch in batches:
        output = command("rollback", "--batch", str(batch.pk), "--yes", "--no-progress")
        if "CommandError" in output:
            failures.add(
                "rollback: the command failed", f"batch {batch.pk}", output.strip().splitlines()[-1]
            )
    rollback_seconds = time.perf_counter() - started
    print(f"{mode}: rollback of {len(batches)} batch(es) in {rollback_seconds:.1f} s")

    after = snapshot(inbox_root)
    for path in sorted(before.keys() - after.keys()):
        failures.add("rollback: a download missing from the inbox", path)
    for path in sorted(after.keys() - before.keys()):
        failures.add("rollback: a file in the inbox that was not there", path)
    for path in sorted(before.keys() & after.keys()):
        if before[path][0] != after[path][0]:
            failures.add("rollback: a download's bytes changed", path)
        elif before[path][1] != after[path][1]:
            failures.add("rollback: a download's inode changed", path)
    for key, root in roots.items():
        now = snapshot(root)
        for relative in sorted(now.keys() - libraries_before[key].keys()):
            failures.add("rollback: an imported file still in the library", f"{key}/{relative}")
        for relative in sorted(libraries_before[key].keys() - now.keys()):
            failures.add("rollback: a file already there is gone", f"{key}/{relative}")

    assert not failures.by_family, failures.report()
