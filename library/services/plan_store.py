"""The stored rename plan: computed after each change, read by the preview a page at a time.

Building a library's plan reads every file (tens of seconds at 100,000 files), too
slow for a page, so the plan is stored (`LibraryPlan`, one `PlannedMove` per file)
by `plan_refresh`, which a scan and recovery run at their end, and a PLAN job after
an apply, a rollback, a settings change or a library edit. A refresh plans again
only what can have changed:

- every file when the plan's inputs changed (naming templates, the library's
  folder or kind, PLANNER_VERSION), a few thousand at a time (plan_groups);
- otherwise the files whose row changed (the digest of the fields the planner
  reads, a subtitle's including its video's), the new ones, and their group:
  files sharing a target with them, holding or wanting their paths, or sharing
  their folder (a film and its extras), found by indexed key lookups, and
  widened until the group's new targets reach no file outside it (plan_groups).

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
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from library.errors import PlanChanged
from library.models import Library, LibraryPlan, MediaFile, PlannedMove
from library.services.locks import library_lock
from library.services.naming import naming_templates
from library.services.plan import (
    PLANNER_FIELDS,
    PlanItem,
    Reason,
    moves_digest,
    paths_recorded,
    plan_build,
)
from library.services.plan_groups import (
    PlanRows,
    StoredIndex,
    folder_key,
    group_plan,
    path_key,
    plan_in_chunks,
    reached,
)
from library.services.plex_check import plex_check_store
from library.summaries import PlanSummary
from plexomatic_site.models import Job
from plexomatic_site.progress import Progress, progress_ignore
from plexomatic_site.queries import StagedRows, chunked

# Bump when the planner decides differently for the same rows: every stored plan
# is then planned again in full.
PLANNER_VERSION = 2


def plan_inputs(library: Library, templates: dict[str, str] | None = None) -> str:
    """The digest of what every file's plan depends on besides its own row."""
    templates = templates or naming_templates()
    facts = [PLANNER_VERSION, os.path.normpath(library.root_path), library.kind, templates]
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


def _digest(values: list[Any]) -> str:
    return hashlib.blake2b(repr(values).encode(), digest_size=16).hexdigest()


def _paired(own: str, video_id: int, video: str) -> str:
    """A subtitle's digest: its own row's and its video's (the video's plan decides its own)."""
    return hashlib.blake2b(f"{own}:{video_id}:{video}".encode(), digest_size=16).hexdigest()


def _row_digests(library: Library, ids: Collection[int] | None = None) -> dict[int, str]:
    """Media id -> the digest of its row as the planner reads it (a subtitle's with its video's),
    for every row, or for the rows `ids` (and their subtitles' videos)."""
    every = MediaFile.objects.filter(library=library)
    fields = ("pk", "video_id", *PLANNER_FIELDS)

    def rows_of(chosen: Collection[int]) -> Iterable[tuple[Any, ...]]:
        return (
            row
            for chunk in chunked(chosen)
            for row in every.filter(pk__in=chunk).values_list(*fields)
        )

    own: dict[int, str] = {}
    videos: dict[int, int] = {}
    for pk, video_id, *values in every.values_list(*fields) if ids is None else rows_of(ids):
        own[pk] = _digest(values)
        if video_id is not None:
            videos[pk] = video_id
    for pk, _, *values in () if ids is None else rows_of(set(videos.values()) - own.keys()):
        own[pk] = _digest(values)
    for pk, video_id in videos.items():
        own[pk] = _paired(own[pk], video_id, own.get(video_id, ""))
    return own


def _item_digest(item: PlanItem) -> str:
    """What _row_digests reads from the database, from the row a plan loaded."""
    media = item.media
    own = _digest([getattr(media, name) for name in PLANNER_FIELDS])
    if media.video_id is None:
        return own
    video = _digest([getattr(media.video, name) for name in PLANNER_FIELDS])
    return _paired(own, media.video_id, video)


def _suspects(library: Library, edited: Collection[int]) -> set[int]:
    """The rows a refresh told which were edited compares: those, the rows added or
    deleted since the last refresh, and those stored without a digest (each set found
    by SQLite's indexes, so only these few ids reach Python). The subtitles of a video
    that changed join its group (plan_groups.group_plan)."""
    rows = MediaFile.objects.filter(library=library)
    added = rows.exclude(pk__in=PlannedMove.objects.values("media_id"))
    stale = _stored(library).filter(Q(inputs="") | ~Q(media_id__in=rows.values("pk")))
    suspects = set(edited)
    suspects.update(added.order_by().values_list("pk", flat=True))
    suspects.update(stale.values_list("media_id", flat=True))
    return suspects


def _stored(library: Library) -> QuerySet[PlannedMove]:
    return PlannedMove.objects.filter(library=library)


def _plan_rows(library: Library, templates: dict[str, str]) -> PlanRows:
    """Plans groups of the library's files into rows to store, each with the digest of
    the row it was planned from."""
    recorded = paths_recorded(library)

    def plan_rows(group: set[int]) -> list[PlannedMove]:
        plan = plan_build(library=library, templates=templates, only=group, recorded=recorded)
        return [_row(item, library=library, inputs=_item_digest(item)) for item in plan.items]

    return plan_rows


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
        library_id=library.pk,
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
        folder_key=folder_key(item),
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
    """Whether `stored` (the library's plan, or None) was made from today's inputs and
    still describes the files (plan_outdate)."""
    return stored is not None and stored.digest != "" and stored.inputs == plan_inputs(library)


def plan_outdate(library: Library) -> None:
    """Files of `library` moved (an apply, a rollback): its stored plan cannot be applied
    as a whole, and shows as out of date, until the PLAN job that follows refreshes it
    (library.tasks.plan_enqueue); a scan that finds it so refreshes it too."""
    LibraryPlan.objects.filter(library=library).update(digest="")


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


def _plan_changed(
    library: Library, *, edited: Collection[int] | None, templates: dict[str, str]
) -> tuple[list[PlannedMove], set[int], int]:
    """The rows of the files whose row changed since the stored plan and of their group
    (those files and every file their old or new paths reach), with the group and how
    many rows were compared."""
    suspects = None if edited is None else _suspects(library, edited)
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
    changed = {pk for pk, digest in rows.items() if stored.get(pk) != digest}
    changed |= stored.keys() - rows.keys()
    checked = len(rows) if suspects is None else MediaFile.objects.filter(library=library).count()
    if not changed:
        return [], set(), checked
    index = StoredIndex(library)
    group = changed | reached(index, index.keys(changed))
    planned, group = group_plan(group, index=index, plan_rows=_plan_rows(library, templates))
    return planned, group, checked


def plan_and_check(library: Library, *, progress: Progress = progress_ignore) -> PlanSummary:
    """A PLAN job's work: the stored plan brought up to date, and the Plex check's counts
    (the job follows every apply and rollback, whose moves change both)."""
    summary = plan_refresh(library, progress=progress)
    plex_check_store(library)
    return summary


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
    with StagedRows(PlannedMove) as staged:
        if full:
            plan_rows = _plan_rows(library, templates)
            checked = plan_in_chunks(library, plan_rows=plan_rows, staged=staged, progress=progress)
            group: set[int] | None = None
        else:
            edits, group, checked = _plan_changed(library, edited=edited, templates=templates)
            staged.add(edits)
        progress(0, None, f"Storing the plan of {staged.count} file(s)")
        with transaction.atomic():
            if group is None:
                _stored(library).delete()
            for chunk in chunked(group or ()):
                _stored(library).filter(media_id__in=chunk).delete()
            staged.store()
            by_reason = _stored(library).values("reason").annotate(files=Count("media_id"))
            counts = {row["reason"]: row["files"] for row in by_reason}
            LibraryPlan.objects.update_or_create(
                library=library,
                defaults={
                    "inputs": inputs,
                    "digest": moves_digest(stored_moves(library).items()),
                    "counts": counts,
                    "built_at": timezone.now(),
                    "replanned": staged.count,
                    "checked": checked,
                },
            )
    return PlanSummary(
        library_id=library.pk,
        replanned=staged.count,
        checked=checked,
        full=full,
        seconds=round(time.monotonic() - started, 3),
    )
