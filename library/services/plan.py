"""Rename plans: where each media file of a library should go, and why not when it can't.

Everything that would stop a move is found here, before anything moves:
two files wanting one name (a collision, compared case-insensitively so the
result is valid on Windows and macOS too), a target already taken on disk or
in the database, and cycles (a→b, b→a). A chain (a→b while b→c) is allowed
and ordered so that b moves first.

Nothing Plex reads is lost by a move: a file whose new name would drop an id
tag, an edition, a part or a version written in its path stays (TAG_DROPPED,
MALFORMED_TAG), as do half episodes, episodes without a number and files whose
folder and name disagree. Extras follow their film or show into Plex's extras folders
(`_extras_place`), or stay when they cannot follow it safely. Each move says
its effect for Plex in words (`PlanItem.effects`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from django.db import models
from django.db.models import QuerySet

from library.models import Library, MediaFile, MediaType
from library.services.naming import (
    ANIME_TYPES,
    EXTRA_FOLDER_NAMES,
    EXTRA_FOLDERS,
    EXTRA_SUFFIX,
    MAX_COMPONENT_BYTES,
    TV_TYPES,
    component_sanitise,
    media_target,
    naming_templates,
    sidecar_suffix,
    tags_dropped,
    tags_in_path,
    tags_malformed,
    tags_of,
    template_for,
)
from library.services.paths import is_within, path_relative
from library.services.plex_equivalence import plex_equivalent
from library.services.recognition_folders import folder_parse
from library.services.titles import title_normalise
from plexomatic_site.queries import chunked


class Reason(models.TextChoices):
    """Why a file of the plan is renamed or stays; the label is what the user reads."""

    READY = "ready", "will be renamed"
    ALREADY_CORRECT = "already_correct", "already correct"
    NOT_RECOGNISED = "not_recognised", "not recognised"
    COLLISION = "collision", "collision"
    CYCLE = "cycle", "cycle"
    TARGET_EXISTS = "target_exists", "target exists"
    NOT_UTF8 = "not_utf8", "name is not UTF-8"
    MISSING = "missing", "missing"
    OUTSIDE_ROOT = "outside_root", "outside the library"
    NOT_SELECTED = "not_selected", "not selected"
    TARGET_CHANGED = "target_changed", "new path changed since the preview"
    EXTRA = "extra", "Plex extra"
    NO_PLEX_NUMBER = "no_plex_number", "no Plex episode number"
    CONFLICT = "conflict", "folder and name disagree"
    NO_EPISODE_NUMBER = "no_episode_number", "no episode number"
    TAG_DROPPED = "tag_dropped", "would drop what Plex reads"
    MALFORMED_TAG = "malformed_tag", "malformed id tag"


# Not blocked: nothing to do for these, or the user did not pick them.
LEFT_ALONE = frozenset({Reason.READY, Reason.ALREADY_CORRECT, Reason.NOT_SELECTED})

# The fields of a media file the planner reads (its size, times and fingerprint
# do not change its plan): all it loads, and what the stored plan's row digest covers.
PLANNER_FIELDS = (
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


@dataclass(eq=False)
class PlanItem:
    media: MediaFile
    source: str
    target: str | None
    reason: str
    detail: str = ""
    # Position in a chain of moves: an item moves after the one holding its target.
    depth: int = 0
    root: str = ""
    # What the move means to Plex, in words ("adds year", "keeps {tmdb-604}").
    effects: list[str] = field(default_factory=list)
    # An extra's film(s): it moves only with them.
    owners: list[PlanItem] = field(default_factory=list, repr=False)

    @property
    def source_display(self) -> str:
        return path_relative(self.source, self.root) if self.root else self.source

    @property
    def target_display(self) -> str:
        if not self.target:
            return ""
        return path_relative(self.target, self.root) if self.root else self.target

    @property
    def source_marked(self) -> tuple[str, str, str]:
        """The current path as (same, changed, same) against the new one, for highlighting."""
        return path_marked(self.source_display, self.target_display)[0]

    @property
    def target_marked(self) -> tuple[str, str, str]:
        """The new path as (same, changed, same) against the current one."""
        return path_marked(self.source_display, self.target_display)[1]

    @property
    def ready(self) -> bool:
        return self.reason == Reason.READY

    @property
    def reason_label(self) -> str:
        return Reason(self.reason).label

    @property
    def group(self) -> str:
        """The show or movie the item belongs to (a sidecar's is its video's), for grouping."""
        owner = self.media.video or self.media
        return owner.title or "Not recognised"


@dataclass
class Plan:
    library: Library
    items: list[PlanItem] = field(default_factory=list)

    def ready(self) -> list[PlanItem]:
        """The items to move, in an order where no move waits on a later one; videos
        before their sidecars and films before their extras, so a sidecar or an extra
        can stay when what it follows could not move."""
        return sorted(
            (i for i in self.items if i.ready),
            key=lambda i: (
                i.depth,
                bool(i.owners),
                i.media.kind != MediaFile.Kind.VIDEO,
                i.source,
            ),
        )

    def counts(self) -> Counter[str]:
        return Counter(item.reason for item in self.items)

    def digest(self) -> str:
        """Names the moves this plan would make, so "apply all" can refuse a plan
        that changed since its preview (a scan, another apply, a new setting)."""
        return moves_digest(
            (item.media.pk, item.target_display) for item in self.items if item.ready
        )

    def groups(self, *, include_correct: bool = False) -> list[tuple[str, list[PlanItem]]]:
        grouped: dict[str, list[PlanItem]] = defaultdict(list)
        for item in self.items:
            if include_correct or item.reason != Reason.ALREADY_CORRECT:
                grouped[item.group].append(item)
        return sorted(grouped.items(), key=lambda pair: pair[0].casefold())


def moves_digest(moves: Iterable[tuple[int, str]]) -> str:
    """The digest of (media id, new path relative to the root) pairs, in any order."""
    return hashlib.sha256(json.dumps(sorted(moves)).encode()).hexdigest()


def path_marked(old: str, new: str) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
    """Both paths split around what differs: the common prefix and suffix, ending and
    starting between words (`s01e001` -> `s01e01` marks the whole episode tag, not `0`)."""
    if not new or old == new:
        return (old, "", ""), (new, "", "")
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1

    def inside_word(text: str, at: int) -> bool:
        return 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum()

    while inside_word(old, head) or inside_word(new, head):
        head -= 1
    limit = min(len(old), len(new)) - head
    tail = 0
    while tail < limit and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    while tail and (inside_word(old, len(old) - tail) or inside_word(new, len(new) - tail)):
        tail -= 1

    def split(path: str) -> tuple[str, str, str]:
        return path[:head], path[head : len(path) - tail], path[len(path) - tail :]

    return split(old), split(new)


def _effects(media: MediaFile, source: str, target: str) -> list[str]:
    """What a move changes for Plex, where it matters; `source`/`target` are relative."""
    found: list[str] = []
    old_parts, new_parts = source.split(os.sep), target.split(os.sep)
    if media.year and f"({media.year})" not in source:
        found.append("adds year")
    season = next((p for p in new_parts[:-1] if p.startswith("Season ")), "")
    if season == "Season 00" and "Season 00" not in old_parts:
        found.append("moves to Season 00")
    elif season and season not in old_parts[:-1]:
        found.append(f"moves to {season}")
    tags = tags_of(media)
    for name in ("tmdb", "tvdb", "imdb", "edition"):
        tag = tags[name]
        if tag and tag in source:
            found.append(f"keeps {tag}")
    edition = tags["edition"]
    if (
        edition
        and any(edition in p for p in new_parts[:-1])
        and not any(edition in p for p in old_parts[:-1])
    ):
        found.append("edition folder")
    if tags["part"]:
        found.append(f"part {media.part} of a split file")
    if tags["version"]:
        found.append(f"version {tags['version']}: kept apart from other versions")
    if media.title and title_normalise(media.title) != media.title.strip():
        found.append(f"title written as {title_normalise(media.title)}")
    found.extend(f"{tag} is not a valid id: Plex ignores it" for tag in tags_malformed(source))
    return found


def _key(path: str) -> str:
    return os.path.normcase(path).casefold()


def _first_pass(
    media: MediaFile, *, root: str, templates: dict[str, str], source_root: str | None = None
) -> tuple[str | None, str, str]:
    """Target, reason and detail from the row alone (no disk access).

    `source_root` is the folder the file's path is read against when it is not the
    library's (an inbox, whose files go into the library at `root`).
    """
    if media.path_bytes is not None:
        return None, Reason.NOT_UTF8, "Rename it by hand to a UTF-8 name, then scan again."
    if media.missing:
        return None, Reason.MISSING, "The last scan did not find this file."
    source_root = source_root or root
    if not is_within(media.path, source_root):
        return None, Reason.OUTSIDE_ROOT, "The file is not inside its library's folder."
    if media.kind == MediaFile.Kind.SUBTITLE and media.video is None:
        return None, Reason.NOT_RECOGNISED, "A subtitle without a matching video."
    held = _held_back(media.video or media, templates)
    if held is not None:
        return None, *held
    target = _target(media, root=source_root, templates=templates)
    if target is None:
        what = "its video is" if media.kind == MediaFile.Kind.SUBTITLE else "it is"
        return None, Reason.NOT_RECOGNISED, f"Not renamed: {what} not recognised."
    absolute = os.path.normpath(os.path.join(root, target))
    if not is_within(absolute, root):
        return None, Reason.OUTSIDE_ROOT, "The name would leave the library's folder."
    lost = _path_guard(media.video or media, target, source_root)
    if lost is not None:
        return None, *lost
    if absolute == media.path:
        return absolute, Reason.ALREADY_CORRECT, ""
    return absolute, Reason.READY, ""


def plan_import(
    files: list[MediaFile],
    *,
    source_root: str,
    roots: Mapping[int, str | None],
    templates: dict[str, str] | None = None,
) -> list[PlanItem]:
    """Where each file of an inbox (unsaved rows, paths inside `source_root`) goes in its
    library, by the same rules as a rename: `roots` maps each file's id(media) to the
    root of the library it goes to (None: no library takes its type). Subtitles follow
    their video, extras their film or show; the targets' occupants are not looked at."""
    templates = templates or naming_templates()
    items = []
    for media in files:
        root = roots.get(id(media.video or media))
        if root is None:
            item = PlanItem(
                media, media.path, None, Reason.NOT_RECOGNISED, "No library takes this type."
            )
        else:
            target, reason, detail = _first_pass(
                media, root=root, templates=templates, source_root=source_root
            )
            item = PlanItem(media, media.path, target, reason, detail, root=root)
            _effects_add(item)
        items.append(item)
    _mark_collisions(items)
    _extras_place(items, root=source_root)
    _mark_collisions(items)
    followers_settle(items)
    return items


def followers_settle(items: list[PlanItem]) -> None:
    """Subtitles and extras stay when the video or film they follow stays (after the
    caller decided that some items stay, such as an import's duplicates)."""
    placed = [item for item in items if item.owners]
    while _extras_orphaned(placed) or _sidecars_orphaned(items):
        pass


def _target(media: MediaFile, *, root: str, templates: dict[str, str]) -> str | None:
    """Where `media` goes, relative to the root: the template's name, or the current
    one when Plex reads both alike (a curated name is not respelled). A subtitle goes
    beside its video's new name, whichever that is."""
    video = media.video
    if media.kind == MediaFile.Kind.SUBTITLE and video is not None:
        video_target = _target(video, root=root, templates=templates)
        if video_target is None:
            return None
        target = os.path.splitext(video_target)[0] + sidecar_suffix(media)
        if len(os.path.basename(target).encode()) > MAX_COMPONENT_BYTES:
            # The video's kept name leaves no room for the suffix: the template's name.
            rendered = media_target(media, templates=templates, video=video)
            if rendered is None:
                return None
            target = rendered.relative
    else:
        rendered = media_target(media, templates=templates)
        if rendered is None:
            return None
        target = rendered.relative
    current = path_relative(media.path, root)
    movie = (video or media).media_type == MediaType.MOVIE
    return (
        current if target != current and plex_equivalent(current, target, movie=movie) else target
    )


def _effects_add(item: PlanItem) -> None:
    if item.target and item.media.kind == MediaFile.Kind.VIDEO:
        item.effects = _effects(item.media, item.source_display, item.target_display)


# A part label at the end of a name, as Plex stacks split files ("- pt2", ".cd1").
_PART_LABEL = re.compile(r"[\s._-](?:pt|cd)[\s._-]?(\d{1,2})$", re.IGNORECASE)


def _path_guard(video: MediaFile, target: str, root: str) -> tuple[Reason, str] | None:
    """What the video's path says, whatever its row recorded: nothing Plex reads is lost.

    The row can miss what a name says (a scan before the recogniser read parts, a
    reading that dropped a tag); the path is read again here so that a well-formed
    tag, a part label or a malformed id (text the user wrote) never silently vanishes.
    """
    relative = path_relative(video.path, root)
    folded = target.casefold()
    lost = [tag for tag in tags_in_path(relative) if tag.casefold() not in folded]
    if lost:
        return Reason.TAG_DROPPED, (
            f"The new name would drop {', '.join(lost)}, which Plex reads: add the "
            "placeholder to the naming template, or scan again so the tag is read."
        )
    malformed = [tag for tag in tags_malformed(relative) if tag.casefold() not in folded]
    if malformed:
        return Reason.MALFORMED_TAG, (
            f"{', '.join(malformed)} is not an id Plex reads: correct it (such as "
            "{tmdb-603} or {imdb-tt0133093}) or remove it by hand, then scan again."
        )
    part = _PART_LABEL.search(os.path.splitext(os.path.basename(video.path))[0])
    if part and video.part is None:
        return Reason.TAG_DROPPED, (
            f"The name says part {int(part.group(1))} ({part.group().strip(' ._-')}) but the "
            "scan did not read it: renaming would drop it. Scan again, or rename it by hand."
        )
    return None


def _held_back(video: MediaFile, templates: dict[str, str]) -> tuple[Reason, str] | None:
    """Files the name alone cannot place safely stay, with what the user can do.

    A template without the placeholder for a tag the file's path has (an id,
    an edition, a part or version) holds the file back rather than quietly
    appending the tag: the user chose that template, and the fix (add the
    placeholder) is one edit, while a rename that drops {edition-…} or pt2
    would change what Plex shows or merge two files into one name.
    """
    if video.extra_type:
        # Placed after the films' plan, by _extras_place (an extra follows its film).
        return Reason.EXTRA, f"{_an(video)}: it stays."
    if video.episode_fraction:
        return Reason.NO_PLEX_NUMBER, (
            f"Episode {video.episode_fraction} has no Plex number: file it as a special "
            "(Season 00) by hand."
        )
    if video.conflict:
        return Reason.CONFLICT, f"{video.conflict} Rename it by hand, or fix the folder."
    episodic = video.media_type in TV_TYPES | ANIME_TYPES
    has_number = video.episode is not None or video.episodes or video.absolute_episode
    if episodic and video.title.strip() and not has_number and not video.air_date:
        return Reason.NO_EPISODE_NUMBER, (
            "The name has no episode number: add one (s01e02; a special s00e01) to the name, "
            "then scan again."
        )
    if video.media_type != MediaType.UNKNOWN:
        template = template_for(video, templates)
        dropped = tags_dropped(video, template)
        if dropped:
            placeholders = ", ".join(
                "{" + name + "}" for name, value in tags_of(video).items() if value in dropped
            )
            return Reason.TAG_DROPPED, (
                f"The naming template would drop {', '.join(dropped)}, which Plex reads: "
                f"add {placeholders} to the template in the settings."
            )
    return None


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # b is a dangling link, or only recorded in the database
        return False


def _mark_collisions(items: list[PlanItem]) -> None:
    by_target: dict[str, list[PlanItem]] = defaultdict(list)
    for item in items:
        if item.ready:
            by_target[_key(item.target or "")].append(item)
    for group in by_target.values():
        if len(group) > 1:
            for item in group:
                others = ", ".join(o.media.name for o in group if o is not item)
                item.reason = Reason.COLLISION
                item.detail = f"Also wanted by: {others}"


def _resolve_chains(items: list[PlanItem], known_paths: set[str]) -> None:
    """Mark targets taken by a file that stays, find cycles, and order chains."""
    moving = {_key(item.source): item for item in items if item.ready}
    occupant: dict[int, PlanItem] = {}
    for item in moving.values():
        target = item.target or ""
        holder = moving.get(_key(target))
        if holder is not None and holder is not item:
            occupant[id(item)] = holder
        elif os.path.lexists(target) or _key(target) in known_paths:
            item.reason = Reason.TARGET_EXISTS
            item.detail = (
                "Only the letter case differs, on a case-insensitive filesystem."
                if _same_file(item.source, target)
                else "Another file is already there; it will not be overwritten."
            )
    changed = True
    while changed:
        changed = False
        for item in moving.values():
            holder = occupant.get(id(item))
            if item.ready and holder is not None and not holder.ready:
                item.reason = Reason.TARGET_EXISTS
                item.detail = f"{holder.media.name} stays there ({holder.reason_label})."
                changed = True
    for item in moving.values():
        if not item.ready:
            continue
        seen = [item]
        holder = occupant.get(id(item))
        while holder is not None and holder not in seen:
            seen.append(holder)
            holder = occupant.get(id(holder))
        if holder is item:
            for member in seen:
                member.reason = Reason.CYCLE
                member.detail = "These files want each other's names; rename one by hand first."
        else:
            item.depth = len(seen)


def plan_build(
    *,
    library: Library,
    media_ids: Collection[int] | None = None,
    templates: dict[str, str] | None = None,
    previewed: Mapping[int, str] | None = None,
    only: Collection[int] | None = None,
    recorded: set[str] | None = None,
) -> Plan:
    """The plan for every file of `library`; with `media_ids`, only those are ready.

    `previewed` maps media ids to the new path (relative to the root) the user was
    shown; a file whose new path is now different is not ready (TARGET_CHANGED).
    With `only`, the plan holds just those files (the stored plan is made by groups,
    see plan_groups): the library's other files count only as paths taken, which
    `recorded` (paths_recorded) gives when the caller plans several groups.
    """
    templates = templates or naming_templates()
    root = os.path.normpath(library.root_path)
    plan = Plan(library=library)
    everything = MediaFile.objects.filter(library=library)
    if only is None:
        files = _files_load(everything)
        recorded = {_key(m.path) for m in files}
    else:
        files = _files_load(everything, only)
        recorded = paths_recorded(library) if recorded is None else recorded
    for media in files:
        target, reason, detail = _first_pass(media, root=root, templates=templates)
        item = PlanItem(media, media.path, target, reason, detail, root=root)
        _effects_add(item)
        plan.items.append(item)
    _mark_collisions(plan.items)
    _check_chosen(plan.items, media_ids=media_ids, previewed=previewed)
    placed = _extras_place(plan.items, root=root)
    _mark_collisions(plan.items)
    _check_chosen(placed, media_ids=media_ids, previewed=previewed)
    while True:
        moving_keys = {_key(item.source) for item in plan.items if item.ready}
        # Rows the move must not land on: every recorded path that is not moving away.
        known = recorded - moving_keys
        _resolve_chains(plan.items, known)
        if not _extras_orphaned(placed) and not _sidecars_orphaned(plan.items):
            return plan


# What an apply checks a file against before moving it (apply._changed_since_scan).
_APPLY_FIELDS = ("size", "mtime", "fingerprint")


def paths_recorded(library: Library) -> set[str]:
    """Every path of the library's rows, as the planner compares them: the paths taken."""
    rows = MediaFile.objects.filter(library=library).values_list("path", flat=True)
    return {_key(path) for path in rows.iterator(chunk_size=5000)}


def _files_load(rows: QuerySet[MediaFile], ids: Collection[int] | None = None) -> list[MediaFile]:
    """The rows (all, or those of `ids`) with only the fields the planner and an apply read, each
    subtitle holding the very instance of its video (select_related would load a
    second copy of every video with subtitles)."""
    rows = rows.only("library_id", "video_id", *PLANNER_FIELDS, *_APPLY_FIELDS)
    if ids is None:
        files = list(rows)
    else:
        files = [media for chunk in chunked(sorted(ids)) for media in rows.filter(pk__in=chunk)]
    by_id = {media.pk: media for media in files}
    wanted = {m.video_id for m in files if m.video_id is not None} - by_id.keys()
    for chunk in chunked(sorted(wanted)):
        by_id.update((media.pk, media) for media in rows.filter(pk__in=chunk))
    for media in files:
        video = by_id.get(media.video_id or 0)
        if video is not None:
            media.video = video
    return files


def _check_chosen(
    items: list[PlanItem],
    *,
    media_ids: Collection[int] | None,
    previewed: Mapping[int, str] | None,
) -> None:
    """Ready items stay ready only if still on disk, selected, and as previewed."""
    for item in items:
        if item.ready and not os.path.lexists(item.source):
            item.reason, item.detail = Reason.MISSING, "The file is no longer on disk; scan again."
        elif item.ready and media_ids is not None and item.media.pk not in media_ids:
            item.reason = Reason.NOT_SELECTED
        elif item.ready and previewed is not None and item.media.pk in previewed:
            shown = previewed[item.media.pk]
            if shown != item.target_display:
                item.reason = Reason.TARGET_CHANGED
                item.detail = f"The preview showed {shown}; review the preview again."


_PLEX_EXTRA_FOLDERS = frozenset(name.casefold() for name in EXTRA_FOLDERS.values())


def _an(extra: MediaFile) -> str:
    """ "A trailer", "An interview": the extra's kind for a sentence."""
    label = extra.get_extra_type_display().lower()
    return f"{'An' if label[0] in 'aeiou' else 'A'} {label}"


def extra_owner_folder(extra: PlanItem) -> tuple[str, bool]:
    """The folder of the film or show an extra belongs to, and whether the extra sits
    in a Plex extras folder (`Trailers/`) inside it rather than beside the film."""
    parent = os.path.dirname(extra.source)
    if os.path.basename(parent).casefold() in EXTRA_FOLDER_NAMES:
        return os.path.dirname(parent), True
    return parent, False


def _season_folder(folder: str) -> bool:
    return folder_parse(os.path.basename(folder)).role == "season"


def _show_folder(folder: str) -> str:
    """The show folder of a season folder (`Show/Season 01` -> `Show`); any other
    folder is its own."""
    return os.path.dirname(folder) if _season_folder(folder) else folder


def extras_anchor(item: PlanItem) -> str:
    """The folder that ties a video to the extras it leads or follows: a film's folder,
    the show folder above a season folder. Extras and their films or episodes share it."""
    if item.media.extra_type:
        return _show_folder(extra_owner_folder(item)[0])
    return _show_folder(os.path.dirname(item.source))


def _final_folder(item: PlanItem) -> str:
    return os.path.dirname((item.target or item.source) if item.ready else item.source)


@dataclass
class _Owners:
    """The videos an extra in a folder follows: the films or episodes in that folder
    and, for a show folder, the episodes in its season folders."""

    beside: dict[str, list[PlanItem]] = field(default_factory=lambda: defaultdict(list))
    in_seasons: dict[str, list[PlanItem]] = field(default_factory=lambda: defaultdict(list))

    def add(self, item: PlanItem) -> None:
        folder = os.path.dirname(item.source)
        self.beside[_key(folder)].append(item)
        if item.media.media_type in TV_TYPES | ANIME_TYPES and _season_folder(folder):
            self.in_seasons[_key(os.path.dirname(folder))].append(item)

    def of(self, folder: str) -> tuple[list[PlanItem], set[str]]:
        """The owners of an extra whose film or show is at `folder`, and the folders
        where they end up (the show folder, for episodes in season folders)."""
        beside = self.beside.get(_key(folder), [])
        in_seasons = [] if _season_folder(folder) else self.in_seasons.get(_key(folder), [])
        finals = {_final_folder(o) for o in beside}
        finals |= {_show_folder(_final_folder(o)) for o in in_seasons}
        return beside + in_seasons, finals


def _extras_place(items: list[PlanItem], *, root: str) -> list[PlanItem]:
    """Extras follow their film or show into Plex's extras folders; the others stay (EXTRA).

    An extra belongs to the one film in its folder (or in the folder above its
    `Trailers/`, `Featurettes/`, …), or to the one show whose folder or season
    folder it is in. It goes to `<film's, show's or season's new folder>/<Plex
    extras folder>/<its own name>`, or keeps its own name beside the film when
    that ends with Plex's suffix (`Heat (1995)-trailer.mkv`): it is never given
    a film's or episode's name, so it cannot collide with one. It moves only
    with its film or show (all of its videos moving, or already in place); it
    stays when one of them stays for another reason, when its folder holds no
    film or show or several, and when it has subtitles (they would be left
    behind).
    """
    owners_at = _Owners()
    with_sidecars = {item.media.video_id for item in items if item.media.video_id}
    for item in items:
        media = item.media
        # A file the last scan did not find leads nothing.
        if media.kind == MediaFile.Kind.VIDEO and not media.extra_type and not media.missing:
            owners_at.add(item)
    placed: list[PlanItem] = []
    for item in items:
        media = item.media
        if item.reason != Reason.EXTRA or media.kind != MediaFile.Kind.VIDEO:
            continue
        folder, in_extras_folder = extra_owner_folder(item)
        owners, finals = owners_at.of(folder)
        if media.pk in with_sidecars:
            item.detail = "An extra with subtitles stays: move them together by hand."
            continue
        if not owners:
            item.detail = f"{_an(media)} with no film or show in its folder: it stays."
            continue
        staying = [o for o in owners if not o.ready and o.reason != Reason.ALREADY_CORRECT]
        if staying:
            item.detail = f"{_lead(staying[0])} stays ({staying[0].reason_label}), so it stays too."
            continue
        movies = {o.media.media_type == MediaType.MOVIE for o in owners}
        if len(finals) > 1 or len(movies) > 1:
            item.detail = "Several films or shows share its folder: move it by hand beside its own."
            continue
        (final,) = finals
        item.owners = owners
        stem, extension = os.path.splitext(media.name)
        name = component_sanitise(stem, keep_suffix=extension.lower())
        current = os.path.basename(os.path.dirname(item.source))
        if EXTRA_SUFFIX.search(stem) and not in_extras_folder:
            target = os.path.join(final, name)
        elif in_extras_folder and current.casefold() in _PLEX_EXTRA_FOLDERS:
            # Already in one of Plex's folders: the user's choice of kind is kept.
            target = os.path.join(final, current, name)
        else:
            target = os.path.join(final, EXTRA_FOLDERS[media.extra_type], name)
        item.target = target
        leader = "film" if movies == {True} else "show"
        moved_to = path_relative(os.path.dirname(target), item.root or root)
        item.effects = [f"follows its {leader} into {moved_to}"]
        if target == item.source:
            item.reason, item.detail, item.effects = Reason.ALREADY_CORRECT, "", []
        else:
            item.reason, item.detail = Reason.READY, ""
            placed.append(item)
    return placed


def _lead(owner: PlanItem) -> str:
    """ "Its film", "An episode of its show (…)": what an extra waits on, for a sentence."""
    if owner.media.media_type == MediaType.MOVIE:
        return "Its film"
    return f"An episode of its show ({owner.media.name})"


def _row_key(media: MediaFile) -> int:
    """A row's id; an unsaved row's (an inbox file's) object identity."""
    return media.pk if media.pk is not None else id(media)


def _sidecars_orphaned(items: list[PlanItem]) -> bool:
    """A subtitle moves only with its video (or beside it, already in place): one whose
    video stays for another reason stays too, or Plex would lose the pair."""
    videos = {
        _row_key(item.media): item for item in items if item.media.kind == MediaFile.Kind.VIDEO
    }
    changed = False
    for item in items:
        media = item.media
        video = videos.get(media.video_id or (id(media.video) if media.video else 0))
        if (
            item.ready
            and video is not None
            and not video.ready
            and video.reason != Reason.ALREADY_CORRECT
        ):
            item.reason = video.reason
            item.detail = f"Its video stays ({video.reason_label}), so it stays too."
            changed = True
    return changed


def _extras_orphaned(placed: list[PlanItem]) -> bool:
    """After the chains: an extra whose film can no longer move stays too."""
    changed = False
    for item in placed:
        if not item.ready:
            continue
        for other in item.owners:
            if not other.ready and other.reason != Reason.ALREADY_CORRECT:
                item.reason = Reason.EXTRA
                item.detail = f"{_lead(other)} stays ({other.reason_label}), so it stays too."
                changed = True
                break
    return changed
