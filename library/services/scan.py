"""Scanning a library: walk its folder, keep media files, recognise what changed.

The walk is incremental: a file whose size and mtime match its row is not
looked at again, so a rescan of an unchanged library costs little more than
listing it. When the whole walk hashes to the digest the last clean scan
stored (Library.listing_digest, which the database empties when any row
changes), the rows are not even read. No file is opened except to tell a moved file from a new one
(scan_moves). Problems with single folders or files (unreadable, vanished,
symlink loops) are collected in the summary and never stop the scan. The
summary says where the time went (PHASES) and how many files were read.
"""

from __future__ import annotations

import fnmatch
import hashlib
import marshal
import operator
import os
import re
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from library.errors import ScanError
from library.models import ExcludedFile, Library, MediaFile
from library.services.checksum import checksum_compute
from library.services.media_counts import media_counts_compute
from library.services.paths import is_within, path_for_storage
from library.services.plan_store import plan_current, plan_refresh, plan_stored
from library.services.plex_check import plex_check_tally
from library.services.recognition import recognise, subtitle_info
from library.services.scan_moves import NewFile, VanishedRows
from library.services.scan_rows import RowInserter, chunks, rows_update
from library.summaries import ScanSummary
from plexomatic_site.database import database_optimize
from plexomatic_site.progress import Progress, progress_ignore
from plexomatic_site.queries import rows_insert
from plexomatic_site.settings_store import settings_current

# Bump when recognition reads names differently (new rules or fields): the next
# scan of each library then reads every known name again (no file is re-read).
RECOGNITION_VERSION = 4
# The media row's fields that recognition decides, in recognition_fields' order.
RECOGNISED_FIELDS = (
    *("media_type", "title", "year", "season", "episode", "episodes"),
    *("absolute_episode", "absolute_episodes", "air_date", "episode_title"),
    *("tmdb_id", "tvdb_id", "imdb_id", "edition", "part", "version", "extra_type"),
    *("episode_fraction", "recognition_rule", "name_said", "folder_said", "conflict"),
)
# Files per marshal run hashed into the listing digest (_listing_digest).
DIGEST_RUN = 4096
# What an unchanged rescan that reads no row reports as the last scan did.
_AS_LAST_SCAN = ("excluded", "excluded_folders", "excluded_rules")
# Where a scan's time goes (ScanSummary.phases); "database" is every read and write of rows.
PHASES = ("walk", "fingerprint", "recognition", "database", "plex_check", "plan")


# A file or folder the rules left out: (path as stored, the rule, whether a folder).
Excluded = tuple[str, str, bool]


@dataclass(frozen=True)
class ScanRules:
    video: frozenset[str]
    subtitle: frozenset[str]
    # Every ignore pattern in one expression, each its own group (see rule_of).
    ignore: re.Pattern[str] | None
    patterns: tuple[str, ...]
    # Identifies these rules, so the next scan knows whether they changed.
    digest: str

    def rule_of(self, name: str) -> str:
        """The ignore pattern that matches this file or folder name ("" if none does)."""
        found = self.ignore.match(name) if self.ignore is not None else None
        if found is None or found.lastgroup is None:
            return ""
        return self.patterns[int(found.lastgroup[1:])]

    @classmethod
    def for_library(cls, library: Library) -> ScanRules:
        current = settings_current()

        def pick(key: str) -> list[str]:
            own = getattr(library, key)
            return own if own is not None else current[key]

        patterns = pick("ignore_patterns")
        # Named groups tell which pattern matched; each translated pattern's own
        # groups are not capturing, so the match's last group is the pattern's.
        ignore = (
            re.compile(
                "|".join(f"(?P<r{n}>{fnmatch.translate(p)})" for n, p in enumerate(patterns)),
                re.IGNORECASE,
            )
            if patterns
            else None
        )
        video = frozenset(e.lower() for e in pick("video_extensions"))
        subtitle = frozenset(e.lower() for e in pick("subtitle_extensions"))
        described = repr((sorted(video), sorted(subtitle), sorted(patterns)))
        return cls(
            video=video,
            subtitle=subtitle,
            ignore=ignore,
            patterns=tuple(patterns),
            digest=hashlib.sha256(described.encode()).hexdigest()[:16],
        )


PLEXIGNORE = ".plexignore"
_entry_name = operator.attrgetter("name")


@dataclass(frozen=True)
class PlexIgnore:
    """A folder's .plexignore: Plex skips what its patterns match, so the scan does too.

    As Plex reads it: one shell pattern a line, `#` starts a comment; a
    pattern without `/` matches a file or folder name anywhere below the
    folder, one with `/` matches the path relative to it (`Extras/*`).
    """

    folder: str
    names: re.Pattern[str] | None
    paths: re.Pattern[str] | None
    # The rule as the library page names it: the file, relative to the library's folder.
    label: str

    @classmethod
    def read(cls, folder: str, summary: ScanSummary, *, root: str) -> PlexIgnore:
        try:
            with open(os.path.join(folder, PLEXIGNORE), encoding="utf-8", errors="replace") as f:
                lines = [line.strip() for line in f]
        except OSError as exc:
            summary.error(f"Cannot read {path_for_storage(folder)[0]}/{PLEXIGNORE}: {exc.strerror}")
            lines = []
        patterns = [line for line in lines if line and not line.startswith("#")]

        def compiled(chosen: list[str]) -> re.Pattern[str] | None:
            if not chosen:
                return None
            return re.compile("|".join(fnmatch.translate(p) for p in chosen), re.IGNORECASE)

        return cls(
            folder=folder,
            names=compiled([p for p in patterns if "/" not in p]),
            paths=compiled([p.strip("/") for p in patterns if "/" in p]),
            label=path_for_storage(os.path.relpath(os.path.join(folder, PLEXIGNORE), root))[0],
        )

    def ignores(self, path: str) -> bool:
        relative = os.path.relpath(path, self.folder).replace(os.sep, "/")
        if self.paths is not None and self.paths.match(relative):
            return True
        return self.names is not None and self.names.match(os.path.basename(path)) is not None


def _walk(
    root: str, rules: ScanRules, summary: ScanSummary, unsure: list[str], excluded: list[Excluded]
) -> list[tuple[str, int, float]]:
    """Every file under root with a media extension: one scandir per folder, one stat per file.

    Symlinks are never followed: one leading out of the library would let a
    scan (and a later rename) reach files outside it, and one leading inside
    only repeats files the walk finds anyway. Ignored folders are pruned here;
    file names are matched against the ignore patterns by the caller, which
    can skip files it already knows. Paths that could not be read are added
    to `unsure` (as stored text), so their rows are not taken for missing.
    The folders pruned, and the folders and media files a .plexignore leaves
    out, are added to `excluded` with their rule.
    """
    found: list[tuple[str, int, float]] = []
    keep = found.append
    real_root = os.path.realpath(root)
    # Each folder to read, with the .plexignore rules of the folders above it.
    stack: list[tuple[str, tuple[PlexIgnore, ...]]] = [(root, ())]
    ignored = rules.ignore.match if rules.ignore is not None else None
    media = rules.video | rules.subtitle
    while stack:
        folder, plexignores = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            shown = path_for_storage(folder)[0]
            summary.error(f"Cannot read folder {shown}: {exc.strerror}")
            unsure.append(shown + os.sep)
            continue
        if PLEXIGNORE in map(_entry_name, entries):
            plexignores = (*plexignores, PlexIgnore.read(folder, summary, root=root))
        for entry in entries:
            try:
                if plexignores:
                    rule = next((r for r in plexignores if r.ignores(entry.path)), None)
                    if rule is not None:
                        _plexignored(entry, rule.label, media, excluded)
                        continue
                # The common case first, told by the listing's file type alone.
                if entry.is_file(follow_symlinks=False):
                    name = entry.name
                    dot = name.rfind(".")
                    ext = name[dot:]
                    if dot > 0 and (ext in media or ext.lower() in media):
                        stat = entry.stat()
                        # A plain tuple: building 100,000 named tuples costs a
                        # quarter of a bare folder walk. It is also the key
                        # matched against the rows' (path, size, mtime).
                        keep((entry.path, stat.st_size, stat.st_mtime))
                elif entry.is_symlink():
                    _symlink_report(entry.path, real_root, summary)
                elif entry.is_dir(follow_symlinks=False):
                    if ignored is not None and ignored(entry.name):
                        shown = path_for_storage(entry.path)[0]
                        excluded.append((shown, rules.rule_of(entry.name), True))
                    else:
                        stack.append((entry.path, plexignores))
            except FileNotFoundError:
                summary.error(f"{path_for_storage(entry.path)[0]} vanished during the scan")
            except OSError as exc:
                shown = path_for_storage(entry.path)[0]
                summary.error(f"Cannot read {shown}: {exc.strerror}")
                unsure.append(shown)
    return found


def _plexignored(
    entry: os.DirEntry[str], label: str, media: frozenset[str], excluded: list[Excluded]
) -> None:
    """Note a folder, or a media file, that a .plexignore leaves out (other files are
    not media anyway)."""
    if entry.is_dir(follow_symlinks=False):
        excluded.append((path_for_storage(entry.path)[0], label, True))
    elif entry.is_file(follow_symlinks=False):
        ext = os.path.splitext(entry.name)[1]
        if ext in media or ext.lower() in media:
            excluded.append((path_for_storage(entry.path)[0], label, False))


def _symlink_report(path: str, real_root: str, summary: ScanSummary) -> None:
    """Say why a symlink was passed over, when the user may want to know."""
    target = os.path.realpath(path)
    shown = path_for_storage(path)[0]
    if not os.path.exists(target):
        summary.error(f"Skipped {shown}: a broken symlink")
    elif is_within(os.path.realpath(os.path.dirname(path)), target):
        summary.error(f"Skipped {shown}: a symlink loop (it leads to a folder containing it)")
    elif not is_within(target, real_root):
        summary.error(f"Skipped {shown}: a symlink to {target}, outside the library")


def recognition_fields(library_kind: str, relative: str, *, kind: str) -> dict[str, Any]:
    """The media row's fields that recognition decides, from a path relative to its root
    (a library's, or an inbox's read as a library of `library_kind`)."""
    r = recognise(relative, kind=kind, library_kind=library_kind)  # type: ignore[arg-type]
    values = (
        *(r.media_type, r.title[:500], r.year, r.season),
        *(r.episodes[0] if r.episodes else None, list(r.episodes)),
        *(r.absolute_episode, list(r.absolute_episodes), r.air_date, r.episode_title[:500]),
        *(r.tmdb_id, r.tvdb_id, r.imdb_id or "", r.edition[:200], r.part, r.version[:50]),
        *(r.extra, r.episode_fraction[:10]),
        *(r.rule[:40], r.name_said[:500], r.folder_said[:500], r.conflict[:500]),
    )
    return dict(zip(RECOGNISED_FIELDS, values, strict=True))


def _recognise_again(library: Library, summary: ScanSummary, paths: list[str]) -> list[int]:
    """Read the names of the unchanged files at `paths` again: recognition or the
    library's kind changed (the others were just read).

    Only names are read (recognition never opens a file), and only rows whose
    reading changed are written; returns their ids.
    """
    root = library.root_path
    changed: list[tuple[int, dict[str, Any]]] = []
    for chunk in chunks(paths):
        for pk, path, kind, *stored in MediaFile.objects.filter(
            library=library, path__in=chunk
        ).values_list("pk", "path", "kind", *RECOGNISED_FIELDS):
            relative = os.path.relpath(path, root).replace(os.sep, "/")
            now = recognition_fields(library.kind, relative, kind=kind)
            if list(now.values()) != stored:
                changed.append((pk, now))
    rows = MediaFile.objects.filter(library=library)
    for chunk in chunks(changed):
        with transaction.atomic():
            for pk, values in chunk:
                rows.filter(pk=pk).update(**values)
    summary.recognised_again = len(changed)
    return [pk for pk, _ in changed]


def _recognised_fields(
    library: Library, prefix: str, text_path: str, size: int, mtime: float, *, is_subtitle: bool
) -> dict[str, Any]:
    """A found file's row fields that do not need its content (all but the fingerprint)."""
    # Found paths sit under the root: slicing costs far less than relpath.
    relative = text_path[len(prefix) :].replace(os.sep, "/")
    name = os.path.basename(text_path)
    kind = MediaFile.Kind.SUBTITLE if is_subtitle else MediaFile.Kind.VIDEO
    sub = subtitle_info(name) if is_subtitle else None
    return {
        "name": name,
        "size": size,
        "mtime": mtime,
        "missing": False,
        "kind": kind,
        **recognition_fields(library.kind, relative, kind=kind),
        "language": sub.language if sub else "",
        "forced": sub.forced if sub else False,
        "sdh": sub.sdh if sub else False,
    }


def _fingerprint(fs_path: str, summary: ScanSummary) -> str:
    """The file's sampled checksum; "" (and an error) when it cannot be read."""
    summary.read += 1
    try:
        return checksum_compute(fs_path)
    except OSError as exc:
        summary.error(f"Cannot read {path_for_storage(fs_path)[0]}: {exc.strerror}")
        return ""


class _Clock:
    """Seconds per phase of a scan, for ScanSummary.phases. A phase inside another
    counts for itself only (a read during the recognition pass is a fingerprint's)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = dict.fromkeys(PHASES, 0.0)
        self._open: list[str] = []

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        self._open.append(name)
        try:
            yield
        finally:
            elapsed = time.perf_counter() - started
            self._open.pop()
            self.seconds[name] += elapsed
            if self._open:
                self.seconds[self._open[-1]] -= elapsed


def library_scan(*, library: Library, progress: Progress = progress_ignore) -> ScanSummary:
    """Bring the library's media rows in line with its folder. Caller holds the job lock."""
    started = time.monotonic()
    summary = ScanSummary(library_id=library.pk)
    clock = _Clock()
    root = library.root_path
    if not os.path.isdir(root) or not os.access(root, os.R_OK | os.X_OK):
        raise ScanError(
            f"The library folder {root} is missing or cannot be read; nothing was changed."
        )
    rules = ScanRules.for_library(library)
    # The walk's lists and sets (tens of MB at 100,000 files) are gone before the
    # plan is refreshed, whose memory can then reuse theirs.
    edited, unchanged, texts, listing = _rows_update(library, rules, summary, clock, progress)
    _scan_finish(
        library,
        summary,
        clock,
        edited=edited,
        unchanged=unchanged,
        texts=texts,
        rules=rules,
        listing=listing,
        started=started,
    )
    return summary


def _rows_update(
    library: Library, rules: ScanRules, summary: ScanSummary, clock: _Clock, progress: Progress
) -> tuple[list[int], set[tuple[str, int, float]], dict[str, str], str]:
    """Walk the folder and store what changed: the rows edited in place (for the plan),
    those found unchanged, the stored text of paths that are not UTF-8 and the digest
    of the walk (empty unless the rows now match it: nothing unsure, no row refused)."""
    root = library.root_path
    unsure: list[str] = []
    # What the rules leave out, for the library page; `removed` are the rows of files
    # the rules leave out now (they were scanned before, under other rules).
    excluded: list[Excluded] = []
    with clock.phase("walk"):
        files = _walk(root, rules, summary, unsure, excluded)
    summary.seen = len(files) + sum(1 for *_, folder in excluded if not folder)
    # A symlink the walk reports is an error that leaves every row as sure as before.
    listing = "" if unsure else _listing_digest(library, rules, files, excluded)
    walk_errors = summary.error_count
    with clock.phase("database"):
        # The same walk as the last clean scan's, and no row changed since (the
        # triggers would have emptied the digest): every row still matches its file.
        last = listing and (
            Library.objects.filter(pk=library.pk, listing_digest=listing)
            .values_list("last_scan_summary", flat=True)
            .first()
        )
    if isinstance(last, dict) and set(_AS_LAST_SCAN) <= last.keys():
        for counted in _AS_LAST_SCAN:
            setattr(summary, counted, last[counted])
        summary.unchanged = summary.seen - summary.excluded
        return [], set(), {}, listing
    progress(0, len(files), "Comparing with the library")
    with clock.phase("database"):
        # Rows are matched on the path exactly as the filesystem gives it; `texts`
        # maps the few that are not valid UTF-8 back to their stored text.
        known, texts = _known_rows(library)
        missing_before = set(
            MediaFile.objects.filter(library=library, missing=True).values_list("path", flat=True)
        )
    # A file found with exactly the (path, size, mtime) of a row is unchanged.
    # Matching whole tuples in sets keeps an unchanged rescan to a few passes
    # in C; only new, changed or oddly named files reach the loop below. The
    # common case, nothing changed at all, is one membership pass (no third
    # set of 100,000 is built).
    unchanged_all = len(known) == len(files) and known.issuperset(files)
    unchanged = known if unchanged_all else known.intersection(files)
    # Rows not met unchanged, and files not met as rows: the new, changed and gone.
    unseen = set() if unchanged_all else {row[0] for row in known - unchanged}
    others = [] if unchanged_all else [item for item in files if item not in unchanged]
    # In path order, new rows extend the path index instead of splitting its pages
    # at random: 100,000 shuffled inserts take 3.7 s of CPU sorted, 5.3 s not;
    # a first scan's database phase, 7.0-7.7 s against 7.5-9.4 s (load 3-5).
    others.sort()
    ignored = rules.ignore.match if rules.ignore is not None else None
    removed: list[str] = []
    if ignored is not None and library.last_scan_summary.get("rules") != rules.digest:
        # New ignore rules: known files are checked again (otherwise they passed
        # these same rules before, and matching 100,000 names costs half a walk).
        now_ignored = {key for key in unchanged if ignored(os.path.basename(key[0]))}
        unchanged -= now_ignored
        removed = [texts.get(key[0], key[0]) for key in now_ignored]
        excluded += [(path, rules.rule_of(os.path.basename(path)), False) for path in removed]
    summary.unchanged = len(unchanged)
    returned = (
        [
            texts.get(key[0], key[0])
            for key in unchanged
            if texts.get(key[0], key[0]) in missing_before
        ]
        if missing_before
        else []
    )
    gone = _gone(unseen - {item[0] for item in others}, texts, missing_before, unsure)
    # Not found but still there: the rules leave it out now, so it leaves the index.
    removed += [path for path in gone if os.path.lexists(path)]
    gone = sorted(set(gone) - set(removed))
    with clock.phase("database"):
        vanished = VanishedRows.of(library, gone if others else [])

    inserter = RowInserter(library, summary)
    held: list[NewFile] = []  # new files that may be moved ones: stored once that is known
    to_update: list[tuple[str, dict[str, Any]]] = []
    prefix = os.path.join(os.path.normpath(root), "")
    with clock.phase("recognition"):  # the pass over new and changed files
        for count, (fs_path, size, mtime) in enumerate(others, 1):
            name = os.path.basename(fs_path)
            if count % 200 == 0:
                progress(count, len(others), "Recognising new and changed files")
            text_path, raw = path_for_storage(fs_path)
            if ignored is not None and ignored(name):
                excluded.append((text_path, rules.rule_of(name), False))
                if fs_path in unseen:
                    removed.append(text_path)  # still on disk, but the rules leave it out now
                continue
            is_subtitle = name[name.rfind(".") :].lower() in rules.subtitle
            fields = _recognised_fields(
                library, prefix, text_path, size, mtime, is_subtitle=is_subtitle
            )
            if fs_path in unseen:
                summary.changed += 1
                to_update.append((text_path, {**fields, "fingerprint": ""}))  # see scan_moves
                continue
            fields.update(path=text_path, path_bytes=raw, fingerprint="")
            if vanished.could_be(size, mtime):
                with clock.phase("fingerprint"):
                    fields["fingerprint"] = _fingerprint(fs_path, summary)
                held.append(fields)
                continue
            inserter.add(fields)
            if inserter.full:
                with clock.phase("database"):
                    inserter.flush()

    moved = vanished.match(held)
    summary.moved = len(moved)
    summary.missing = len(gone) - len(moved)
    summary.returned = len(returned)
    summary.removed = len(removed)
    summary.excluded = sum(1 for *_, folder in excluded if not folder)
    summary.excluded_folders = len(excluded) - summary.excluded
    summary.excluded_rules = dict(Counter(rule for _, rule, _ in excluded).most_common())
    moved_ids = {id(fields) for fields in moved.values()}
    progress(len(files), len(files), "Saving")
    with clock.phase("database"):
        for fields in held:
            if id(fields) not in moved_ids:
                inserter.add(fields)
        inserter.flush()
        summary.new = inserter.stored
        rows_update(library, changed=to_update, moved=moved, gone=gone, returned=returned)
        for chunk in chunks(removed):
            MediaFile.objects.filter(library=library, path__in=chunk).delete()
        _excluded_store(library, excluded)
        # The rows edited in place, for the plan (it finds added and deleted ones itself).
        edited = _ids_at(
            library,
            [path for path, _ in to_update]
            + [fields["path"] for fields in moved.values()]
            + gone
            + returned,
        )
        if others or returned or removed:
            # Only a file new, changed, moved, back or left out (its subtitles are
            # orphans now) changes which subtitles and videos can pair.
            edited += _link_sidecars(library)
    return edited, unchanged, texts, listing if summary.error_count == walk_errors else ""


def _listing_digest(
    library: Library,
    rules: ScanRules,
    files: list[tuple[str, int, float]],
    excluded: list[Excluded],
) -> str:
    """The walk's listing in the order it was met, with everything else a scan's result
    depends on (the rules, how names are read), as one hash: 20 ms for 100,000 files.

    marshal writes the floats exactly and is C throughout; a Python upgrade that
    changes its format only makes the next rescan read the rows once more. The
    files go in a run at a time: their whole listing at once is 11 MB more at the
    scan's peak."""
    digest = hashlib.sha256(
        marshal.dumps((library.root_path, rules.digest, _recognised_with(library), excluded), 4)
    )
    for start in range(0, len(files), DIGEST_RUN):
        digest.update(marshal.dumps(files[start : start + DIGEST_RUN], 4))
    return digest.hexdigest()


def _recognised_with(library: Library) -> str:
    return f"{RECOGNITION_VERSION}:{library.kind}"


def _excluded_store(library: Library, excluded: list[Excluded]) -> None:
    """Replace the library's list of what the rules left out (two statements, however many)."""
    with transaction.atomic():
        ExcludedFile.objects.filter(library=library).delete()
        rows_insert(
            [
                ExcludedFile(library=library, path=path[:4096], rule=rule[:500], folder=folder)
                for path, rule, folder in excluded
            ]
        )


def _ids_at(library: Library, paths: list[str]) -> list[int]:
    rows = MediaFile.objects.filter(library=library)
    return [
        pk
        for chunk in chunks(paths)
        for pk in rows.filter(path__in=chunk).values_list("pk", flat=True)
    ]


def _gone(
    vanished: set[str], texts: dict[str, str], missing_before: set[str], unsure: list[str]
) -> list[str]:
    """The stored paths of rows whose file was not found, less those known missing
    already and those in places the walk could not read (not known to be gone)."""
    gone = [texts.get(path, path) for path in vanished]
    gone = [path for path in gone if path not in missing_before]
    if unsure:
        unsure_paths = tuple(unsure)
        gone = [path for path in gone if not path.startswith(unsure_paths)]
    return gone


def _scan_finish(
    library: Library,
    summary: ScanSummary,
    clock: _Clock,
    *,
    edited: list[int],
    unchanged: set[tuple[str, int, float]],
    texts: dict[str, str],
    rules: ScanRules,
    listing: str,
    started: float,
) -> None:
    """Re-read names if recognition changed, refresh the Plex check and the stored plan,
    record the scan (with the digest of the walk the rows now match, if they do)."""
    recognised_with = _recognised_with(library)
    if library.last_scan_summary.get("recognised_with") != recognised_with:
        with clock.phase("recognition"):
            paths = [texts.get(key[0], key[0]) for key in unchanged]
            edited += _recognise_again(library, summary, paths)
    plex_check = library.last_scan_summary.get("plex_check")
    touched = summary.new + summary.changed + summary.moved + summary.missing
    touched += summary.returned + summary.removed + summary.recognised_again
    if plex_check is None or touched:
        # Only when a path or a reading changed: an unchanged rescan stays a walk.
        with clock.phase("plex_check"):
            plex_check = plex_check_tally(library=library)
    with clock.phase("database"):
        media_counts = library.media_counts
        if media_counts is None or touched:
            media_counts = media_counts_compute(library)
    with clock.phase("plan"):
        if touched or not plan_current(library, plan_stored(library)):
            # The stored plan follows the rows; an unchanged rescan leaves it as it is.
            summary.replanned = plan_refresh(library, edited=edited).replanned
    with clock.phase("database"):
        database_optimize(changed_rows=touched)
    summary.phases = {phase: round(seconds, 3) for phase, seconds in clock.seconds.items()}
    summary.seconds = round(time.monotonic() - started, 3)
    library.last_scan_at = timezone.now()
    library.last_scan_summary = {
        **summary.to_json(),
        "rules": rules.digest,
        "recognised_with": recognised_with,
        "plex_check": plex_check,
    }
    library.media_counts = media_counts
    library.listing_digest = listing
    # Only these fields: the library row may have been edited meanwhile.
    Library.objects.filter(pk=library.pk).update(
        last_scan_at=library.last_scan_at,
        last_scan_summary=library.last_scan_summary,
        media_counts=media_counts,
        listing_digest=library.listing_digest,
    )


def _known_rows(library: Library) -> tuple[set[tuple[str, int, float]], dict[str, str]]:
    """(path, size, mtime) of every row, with the path as os.scandir gives it.

    Also returns, for the rare names that are not valid UTF-8, the stored
    text of each such path. A plain cursor and only these columns: for
    100,000 rows the per-row work of the ORM, or of every extra column,
    costs more than the rest of an unchanged rescan.
    """
    table = MediaFile._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT path, size, mtime FROM {table} WHERE library_id = %s",  # noqa: S608
            [library.pk],
        )
        rows = set(cursor.fetchall())
        cursor.execute(
            f"SELECT path, path_bytes FROM {table} "  # noqa: S608
            "WHERE library_id = %s AND path_bytes IS NOT NULL",
            [library.pk],
        )
        texts = {os.fsdecode(bytes(raw)): text for text, raw in cursor.fetchall()}
    if texts:
        by_text = {text: fs for fs, text in texts.items()}
        rows = {(by_text.get(path, path), size, mtime) for path, size, mtime in rows}
    return rows, texts


def _link_sidecars(library: Library) -> list[int]:
    """Point every unlinked subtitle at the video beside it whose name it extends;
    returns the ids of the subtitles linked."""
    orphans = list(
        MediaFile.objects.filter(
            library=library, kind=MediaFile.Kind.SUBTITLE, video__isnull=True, missing=False
        ).values_list("pk", "path", "name")
    )
    if not orphans:
        return []
    folders = {os.path.dirname(path) for _, path, _ in orphans}
    videos: dict[str, list[tuple[str, int]]] = {}
    for pk, path, name in MediaFile.objects.filter(
        library=library, kind=MediaFile.Kind.VIDEO, missing=False
    ).values_list("pk", "path", "name"):
        folder = os.path.dirname(path)
        if folder in folders:
            videos.setdefault(folder, []).append((name.rsplit(".", 1)[0], pk))
    links: list[tuple[int, int]] = []
    for sub_pk, path, name in orphans:
        candidates = videos.get(os.path.dirname(path), [])
        # The longest video name the subtitle's name extends ("Movie.en.forced.srt").
        prefixed = [(len(stem), pk) for stem, pk in candidates if name.startswith(stem + ".")]
        match = max(prefixed)[1] if prefixed else None
        if match is None and len(candidates) == 1:
            match = candidates[0][1]  # the only video in its folder
        if match is not None:
            links.append((match, sub_pk))
    # One statement for all: a first scan links thousands, one query each cost seconds.
    table = connection.ops.quote_name(MediaFile._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET video_id = %s WHERE id = %s", links)  # noqa: S608
    return [sub_pk for _, sub_pk in links]
