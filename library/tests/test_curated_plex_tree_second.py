"""Acceptance: a second hand-curated library (curated_tree_second), scanned, planned,
applied and scanned again, with every row's failures collected so one run shows all.

What is checked, per file:
1. no id tag, edition, split part or version label in its path is lost from its target;
2. an extra is read as an extra, keeps its own name and never takes a main file's path;
   a main file is never read as an extra;
3. a file already named as Plex expects stays, and the plan calls it already correct;
4. a file that must move gets the target (or one of the targets) its row gives;
5. after apply and a new scan nothing is left to rename, every file is where the plan
   said, and the files' contents are exactly those written at the start.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from library.models import Library
from library.services.apply import library_apply
from library.services.plan import PlanItem, Reason, plan_build
from library.services.scan import library_scan
from library.tests.curated_tree_second import PLEXIGNORE, TREE, Row
from library.tests.factories import tree

pytestmark = pytest.mark.django_db

TAG = re.compile(r"\{(?:tmdb|tvdb|imdb|edition)-[^}]*\}", re.IGNORECASE)
PART = re.compile(r"(?:cd|disc|disk|dvd|part|pt)(\d+)$", re.IGNORECASE)
SUBTITLE_EXTENSIONS = {".srt", ".ass", ".ssa", ".sub", ".idx", ".vtt", ".sup", ".smi"}


def _content(kind: str, path: str) -> bytes:
    return f"{kind}:{path}".encode()


def _libraries_make(root: Path) -> dict[str, Library]:
    libraries = {}
    for kind, rows in TREE.items():
        folder = root / kind
        for row in rows:
            path = folder / row.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(_content(kind, row.path))
        if kind in PLEXIGNORE:
            (folder / ".plexignore").write_text(PLEXIGNORE[kind])
        libraries[kind] = Library.objects.create(name=kind, root_path=str(folder), kind=kind)
    return libraries


def _plan(library: Library) -> dict[str, PlanItem]:
    return {item.source_display: item for item in plan_build(library=library).items}


def _is_subtitle(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in SUBTITLE_EXTENSIONS


def _said(item: PlanItem) -> str:
    return f"planned {item.target_display!r}, {item.reason}: {item.detail or '-'}"


def _row_problems(row: Row, item: PlanItem) -> list[str]:
    """What is wrong with the plan for one file, by the checks 1-4 above."""
    target = item.target_display or row.path
    allowed = set(row.targets) | ({row.path} if row.may_stay else set())
    problems = []
    if target not in allowed:
        expected = " or ".join(repr(t) for t in sorted(allowed))
        problems.append(f"expected {expected}")
    elif target != row.path and not item.ready:
        problems.append("the right target, but not ready")
    elif target == row.path and item.reason != (row.held or Reason.ALREADY_CORRECT):
        problems.append(f"left, but not as {row.held or 'already correct'}")
    for tag in TAG.findall(row.path):
        if tag.lower() not in target.lower():
            problems.append(f"loses {tag}")
    name = os.path.basename(target)
    stem = os.path.splitext(name)[0]
    if row.part is not None:
        found = PART.search(stem)
        if item.media.part != row.part or not found or int(found.group(1)) != row.part:
            problems.append(f"loses part {row.part} (read {item.media.part})")
    if row.version and f" - {row.version}".lower() not in name.lower():
        problems.append(f"loses version {row.version!r} (read {item.media.version!r})")
    if row.extra:
        if not item.media.extra_type:
            problems.append("extra read as a main file")
        if name != os.path.basename(row.path):
            problems.append("extra loses its own name")
    elif not _is_subtitle(row.path) and item.media.extra_type:
        problems.append(f"main file read as an extra ({item.media.extra_type})")
    return problems


def _plan_failures(kind: str, rows: list[Row], items: dict[str, PlanItem]) -> list[str]:
    failures: list[str] = []
    targets: dict[str, list[tuple[Row, PlanItem]]] = defaultdict(list)
    for row in rows:
        item = items.get(row.path)
        if row.ignored:
            if item is not None:
                failures.append(
                    f"{kind}: {row.path}: scanned, though Plex ignores it; {_said(item)}"
                )
            continue
        if item is None:
            failures.append(f"{kind}: {row.path}: not in the plan")
            continue
        targets[(item.target_display or row.path).lower()].append((row, item))
        failures.extend(
            f"{kind}: {row.path}: {problem}; {_said(item)}" for problem in _row_problems(row, item)
        )
    for target, sharing in targets.items():
        if len(sharing) > 1:
            sources = ", ".join(repr(row.path) for row, _ in sharing)
            if any(row.extra for row, _ in sharing) and not all(row.extra for row, _ in sharing):
                failures.append(f"{kind}: an extra and a main file both want {target!r}: {sources}")
            else:
                failures.append(f"{kind}: several files want {target!r}: {sources}")
    return failures


def _apply_failures(
    kind: str, library: Library, rows: list[Row], items: dict[str, PlanItem]
) -> list[str]:
    """Check 5: apply, scan again, plan again."""
    failures: list[str] = []
    before = tree(library.root_path)
    result = library_apply(library=library)
    failures.extend(f"{kind}: {op.original_path}: apply failed: {op.error}" for op in result.failed)
    library_scan(library=library)
    failures.extend(
        f"{kind}: {item.source_display}: still to rename after apply; {_said(item)}"
        for item in _plan(library).values()
        if item.ready
    )
    after = tree(library.root_path)
    if Counter(before.values()) != Counter(after.values()):
        lost = Counter(before.values()) - Counter(after.values())
        gained = Counter(after.values()) - Counter(before.values())
        failures.append(f"{kind}: contents changed by apply: lost {lost}, gained {gained}")
    for row in rows:
        item = items.get(row.path)
        where = item.target_display if item is not None and item.ready else row.path
        if after.get(where) != _content(kind, row.path):
            failures.append(f"{kind}: {row.path}: not at {where!r} after apply")
    return failures


def test_second_curated_tree_is_renamed_as_plex_reads_it(tmp_path):
    libraries = _libraries_make(tmp_path)
    failures: list[str] = []
    plans = {}
    for kind, library in libraries.items():
        library_scan(library=library)
        plans[kind] = _plan(library)
        failures.extend(_plan_failures(kind, TREE[kind], plans[kind]))
    for kind, library in libraries.items():
        failures.extend(_apply_failures(kind, library, TREE[kind], plans[kind]))
    files = sum(len(rows) for rows in TREE.values())
    assert not failures, f"{len(failures)} failures over {files} files:\n" + "\n".join(failures)
