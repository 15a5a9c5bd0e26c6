"""The stored rename plan: computed after each change, read by the preview a page at a time.

Building a library's plan reads every file (3 s at 100,000 files), too slow for a
page, so the plan is stored (`LibraryPlan`, one `PlannedMove` per file) by
`plan_refresh`, which the jobs that change a library run at their end (scan,
apply, rollback, recovery) and a PLAN job runs after a settings change or a
library edit. A refresh plans again only what can have changed:

- every file when the plan's inputs changed (naming templates, the library's
  folder or kind, PLANNER_VERSION);
- otherwise the files whose row changed (the digest of the fields the planner
  reads, a subtitle's including its video's), the new ones, and their group:
  files sharing a target with them, holding or wanting their paths, or sharing
  their folder (a film and its extras), found by indexed key lookups, and
  widened until the group's new targets reach no file outside it.

Nothing is applied from the stored plan without being planned again: "Apply
all" passes the stored moves as the ones the user saw, and the apply job's own
plan refuses any that no longer match (`Reason.TARGET_CHANGED`).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from library.errors import PlanChanged
from library.models import Library, LibraryPlan, MediaFile, PlannedMove
from library.services.locks import library_lock
from library.services.naming import naming_templates
from library.services.plan import (
    Plan,
    PlanItem,
    Reason,
    extras_anchor,
    moves_digest,
    plan_build,
)
from library.summaries import PlanSummary
from plexomatic_site.models import Job
from plexomatic_site.progress import Progress, progress_ignore
from plexomatic_site.queries import chunked, rows_insert

# Bump when the planner decides differently for the same rows: every stored plan
# is then planned again in full.
PLANNER_VERSION = 2

# The fields of a media file the planner reads (its size, times and fingerprint
# do not change its plan).
_ROW_FIELDS = (
    "path",
    "path_bytes",
    "name",
    "kind",
    "media_type",
    "title",
    "year",
    "season",
    "episode",
    "episodes",
    "absolute_episode",
    "air_date",
    "episode_title",
    "tmdb_id",
    "tvdb_id",
    "imdb_id",
    "absolute_episodes",
    "edition",
    "part",
    "version",
    "extra_type",
    "episode_fraction",
    "conflict",
    "language",
    "forced",
    "sdh",
    "missing",
)


def plan_inputs(library: Library, templates: dict[str, str] | None = None) -> str:
    """The digest of what every file's plan depends on besides its own row."""
    templates = templates or naming_templates()
    facts = [PLANNER_VERSION, os.path.normpath(library.root_path), library.kind, templates]
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


def path_key(path: str) -> int:
    """A signed 64-bit hash of the case-folded path: the plan compares paths this way."""
    folded = os.path.normcase(path).casefold().encode("utf-8", "surrogateescape")
    return int.from_bytes(hashlib.blake2b(folded, digest_size=8).digest(), "big", signed=True)


def _folder_key(item: PlanItem) -> int | None:
    """The folder that ties a video to its extras (plan.extras_anchor: a film's folder,
    a show's); null for a subtitle, whose plan follows its video's instead."""
    if item.media.kind != MediaFile.Kind.VIDEO:
        return None
    return path_key(extras_anchor(item))


@dataclass
class _Keys:
    """Where a set of files sits and goes, as path keys."""

    targets: set[int] = field(default_factory=set)
    sources: set[int] = field(default_factory=set)
    # The folders of the extras, and of the films (whose extras can follow them).
    extra_folders: set[int] = field(default_factory=set)
    film_folders: set[int] = field(default_factory=set)
    videos: set[int] = field(default_factory=set)

    def add(
        self,
        *,
        source: int,
        target: int | None,
        folder: int | None,
        extra: bool,
        video: int | None,
    ) -> None:
        self.sources.add(source)
        if video is not None:
            self.videos.add(video)
        if target is not None:
            self.targets.add(target)
        if folder is not None:
            (self.extra_folders if extra else self.film_folders).add(folder)


def _row_digests(library: Library, ids: Collection[int] | None = None) -> dict[int, str]:
    """Media id -> the digest of its row as the planner reads it (a subtitle's with its video's),
    for every row, or for the rows `ids` (and their subtitles' videos)."""
    every = MediaFile.objects.filter(library=library)
    fields = ("pk", "video_id", *_ROW_FIELDS)

    def rows_of(chosen: Collection[int]) -> Iterable[tuple[Any, ...]]:
        return (
            row
            for chunk in chunked(chosen)
            for row in every.filter(pk__in=chunk).values_list(*fields)
        )

    own: dict[int, str] = {}
    videos: dict[int, int] = {}
    for pk, video_id, *values in every.values_list(*fields) if ids is None else rows_of(ids):
        own[pk] = hashlib.blake2b(repr(values).encode(), digest_size=16).hexdigest()
        if video_id is not None:
            videos[pk] = video_id
    for pk, _, *values in () if ids is None else rows_of(set(videos.values()) - own.keys()):
        own[pk] = hashlib.blake2b(repr(values).encode(), digest_size=16).hexdigest()
    for pk, video_id in videos.items():
        paired = f"{own[pk]}:{video_id}:{own.get(video_id, '')}"
        own[pk] = hashlib.blake2b(paired.encode(), digest_size=16).hexdigest()
    return own


def _suspects(library: Library, edited: Collection[int]) -> set[int]:
    """The rows a refresh told which were edited compares: those, the rows added or
    deleted since the last refresh, and those stored without a digest (each set found
    by SQLite's indexes, so only these few ids reach Python). The subtitles of a video
    that changed join its group (_plan_group)."""
    rows = MediaFile.objects.filter(library=library)
    added = rows.exclude(pk__in=PlannedMove.objects.values("media_id"))
    stale = _stored(library).filter(Q(inputs="") | ~Q(media_id__in=rows.values("pk")))
    suspects = set(edited)
    suspects.update(added.order_by().values_list("pk", flat=True))
    suspects.update(stale.values_list("media_id", flat=True))
    return suspects


def _stored(library: Library) -> QuerySet[PlannedMove]:
    return PlannedMove.objects.filter(library=library)


def _stored_keys(library: Library, ids: Collection[int]) -> _Keys:
    keys = _Keys()
    for chunk in chunked(ids):
        rows = _stored(library).filter(media_id__in=chunk)
        fields = ("source_key", "target_key", "folder_key", "extra", "video_id")
        for source, target, folder, extra, video in rows.values_list(*fields):
            keys.add(source=source, target=target, folder=folder, extra=extra, video=video)
    return keys


def _planned_keys(items: Iterable[PlanItem]) -> _Keys:
    keys = _Keys()
    for item in items:
        keys.add(
            source=path_key(item.source),
            target=path_key(item.target) if item.target else None,
            folder=_folder_key(item),
            extra=bool(item.media.extra_type),
            video=item.media.video_id,
        )
    return keys


def _reached(library: Library, keys: _Keys) -> set[int]:
    """Files whose plan a change at these keys can alter: the same target, a target
    that is one of the sources or a source that is one of the targets, the films of
    an extra's folder, the extras of a film's, a subtitle's video."""
    found = set(keys.videos)
    lookups: tuple[tuple[str, set[int], dict[str, bool]], ...] = (
        ("target_key__in", keys.targets | keys.sources, {}),
        ("source_key__in", keys.targets, {}),
        ("folder_key__in", keys.extra_folders, {}),
        ("folder_key__in", keys.film_folders, {"extra": True}),
    )
    for lookup, values, only in lookups:
        for chunk in chunked(values):
            rows = _stored(library).filter(**{lookup: chunk}, **only)
            found.update(rows.values_list("media_id", flat=True))
    return found


def _plan_group(
    library: Library, *, changed: set[int], templates: dict[str, str]
) -> tuple[Plan, set[int]]:
    """The plan of the changed files (new, edited or gone) and of every file a change
    can reach, widened until the group's new paths reach no file outside it."""
    group = changed | _reached(library, _stored_keys(library, changed))
    while True:
        group |= _subtitles_of(group)  # a video's plan decides its subtitles'
        plan = plan_build(library=library, templates=templates, only=group)
        reached = _reached(library, _planned_keys(plan.items))
        if reached <= group:
            return plan, group
        group |= reached


def _subtitles_of(ids: set[int]) -> set[int]:
    """The subtitles of these videos (read by the partial index on video_id)."""
    found: set[int] = set()
    for chunk in chunked(ids):
        found.update(MediaFile.objects.filter(video_id__in=chunk).values_list("pk", flat=True))
    return found


def changed_part(source: str, target: str) -> str:
    """Which part of a rename's path changes (PlannedMove.Changed), "" when it stays."""
    if not target or source == target:
        return ""
    old_folder, old_name = os.path.split(source)
    new_folder, new_name = os.path.split(target)
    if old_folder == new_folder:
        return PlannedMove.Changed.NAME
    return PlannedMove.Changed.FOLDER if old_name == new_name else PlannedMove.Changed.BOTH


def _row(item: PlanItem, *, library: Library, inputs: str) -> PlannedMove:
    group = item.group
    moves = item.ready and item.target
    source, target = item.source_display, item.target_display if moves else ""
    return PlannedMove(
        media_id=item.media.pk,
        library=library,
        group=group[:500],
        group_key=group.casefold()[:500],
        source=source,
        target=target,
        reason=item.reason,
        listed=item.reason != Reason.ALREADY_CORRECT,
        detail=item.detail[:1000],
        effects=item.effects if moves else [],
        changed=changed_part(source, target),
        inputs=inputs,
        source_key=path_key(item.source),
        target_key=path_key(item.target) if item.target else None,
        folder_key=_folder_key(item),
        extra=bool(item.media.extra_type),
        video_id=item.media.video_id,
    )


def stored_moves(library: Library) -> dict[int, str]:
    """The stored plan's renames: media id -> new path relative to the root."""
    ready = _stored(library).filter(reason=Reason.READY)
    return dict(ready.values_list("media_id", "target"))


def plan_stored(library: Library) -> LibraryPlan | None:
    return LibraryPlan.objects.filter(library=library).first()


def plan_current(library: Library, stored: LibraryPlan | None) -> bool:
    """Whether `stored` (the library's plan, or None) was made from today's inputs."""
    return stored is not None and stored.inputs == plan_inputs(library)


def plan_updating(library: Library) -> Job | None:
    """The job that will leave a new plan (a scan, an apply, a replan), if one is on."""
    lock = str(library_lock(library))
    return Job.objects.filter(lock_key=lock, status__in=Job.ACTIVE).first()


def plan_as_seen(library: Library, digest: str) -> LibraryPlan:
    """The stored plan, provided it is still the one the user saw (named by `digest`) and
    made from today's settings; PlanChanged says why not."""
    stored = plan_stored(library)
    if stored is None or stored.digest != digest:
        raise PlanChanged(
            "The renames have changed since the preview was shown (a scan, another apply "
            "or a settings change); nothing was moved. Check the preview and apply again."
        )
    if not plan_current(library, stored):
        raise PlanChanged(
            "The plan shown is out of date (the naming settings changed); nothing was moved. "
            "Wait for the new plan, or update it, and apply again."
        )
    return stored


def plan_refresh(
    library: Library,
    *,
    progress: Progress = progress_ignore,
    edited: Collection[int] | None = None,
) -> PlanSummary:
    """Bring the stored plan of `library` up to date; run it under the library's lock.

    `edited` is for a caller that knows which rows it edited since the last refresh
    (a scan): only those rows, the rows added or deleted and those stored without a
    digest are then compared, instead of every row.
    """
    started = time.monotonic()
    templates = naming_templates()
    inputs = plan_inputs(library, templates)
    progress(0, None, "Checking the rename plan")
    previous = plan_stored(library)
    full = previous is None or previous.inputs != inputs
    suspects = None if full or edited is None else _suspects(library, edited)
    rows = _row_digests(library, suspects)
    if suspects is None:
        stored = dict(_stored(library).values_list("media_id", "inputs"))
    else:
        stored = {
            media: digest
            for chunk in chunked(suspects)
            for media, digest in _stored(library)
            .filter(media_id__in=chunk)
            .values_list("media_id", "inputs")
        }
    if full:
        plan, group = plan_build(library=library, templates=templates), set(rows) | set(stored)
    else:
        changed = {pk for pk, digest in rows.items() if stored.get(pk) != digest}
        changed |= stored.keys() - rows.keys()
        if changed:
            plan, group = _plan_group(library, changed=changed, templates=templates)
        else:
            plan, group = Plan(library=library), set()
    if suspects is not None:
        rows.update(_row_digests(library, group - rows.keys()))  # the group's stored digests
    checked = len(rows) if suspects is None else MediaFile.objects.filter(library=library).count()
    progress(0, None, f"Storing the plan of {len(group)} file(s)")
    with transaction.atomic():
        for chunk in chunked(group):
            _stored(library).filter(media_id__in=chunk).delete()
        # A row added since the digests were read gets none: the next refresh plans it.
        rows_insert(
            [_row(item, library=library, inputs=rows.get(item.media.pk, "")) for item in plan.items]
        )
        by_reason = _stored(library).values("reason").annotate(files=Count("media_id"))
        counts = {row["reason"]: row["files"] for row in by_reason}
        LibraryPlan.objects.update_or_create(
            library=library,
            defaults={
                "inputs": inputs,
                "digest": moves_digest(stored_moves(library).items()),
                "counts": counts,
                "built_at": timezone.now(),
                "replanned": len(plan.items),
                "checked": checked,
            },
        )
    return PlanSummary(
        library_id=library.pk,
        replanned=len(plan.items),
        checked=checked,
        full=full,
        seconds=round(time.monotonic() - started, 3),
    )
