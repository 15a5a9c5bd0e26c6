"""The stored plan: a refresh plans again only what changed, and always equals a full plan."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from library.models import LibraryPlan, MediaFile, PlannedMove
from library.services.plan import Reason, plan_build
from library.services.plan_store import (
    plan_current,
    plan_outdate,
    plan_refresh,
    plan_stored,
    stored_moves,
)
from library.services.scan import library_scan
from library.tests.conftest import make_files
from plexomatic_site.settings_store import settings_update

pytestmark = pytest.mark.django_db

SHOWS = ["the.wire", "breaking.bad", "the.office.us", "dark", "severance"]


def stored(library) -> dict[int, tuple[str, str, str]]:
    rows = PlannedMove.objects.filter(library=library)
    return {
        m: (reason, target, detail)
        for m, reason, target, detail in rows.values_list("media_id", "reason", "target", "detail")
    }


def planned_in_full(library) -> dict[int, tuple[str, str, str]]:
    plan = plan_build(library=library)
    return {
        item.media.pk: (item.reason, item.target_display if item.ready else "", item.detail)
        for item in plan.items
    }


def episodes(root: Path, count: int) -> list[Path]:
    names = [
        f"{SHOWS[n % len(SHOWS)]}.s01e{n // len(SHOWS) + 1:02d}.720p.mkv" for n in range(count)
    ]
    return make_files(root, names)


def test_first_refresh_plans_every_file_and_matches_the_full_plan(library, media_root):
    episodes(media_root, 40)
    assert library_scan(library=library).replanned == 40  # the scan plans what it found
    refresh = plan_refresh(library)
    assert (refresh.replanned, refresh.checked, refresh.full) == (0, 40, False)
    assert stored(library) == planned_in_full(library)
    plan = LibraryPlan.objects.get(library=library)
    assert plan.counts == {Reason.READY: 40}
    assert plan.digest == plan_build(library=library).digest()
    assert len(stored_moves(library)) == 40


def test_a_rescan_that_touches_few_files_replans_only_them_and_their_group(library, media_root):
    files = episodes(media_root, 60)
    library_scan(library=library)
    plan_refresh(library)
    for path in files[:3]:
        path.unlink()
    make_files(media_root, [f"new.show.s02e{n:02d}.mkv" for n in range(1, 8)])
    summary = library_scan(library=library)
    assert (summary.new, summary.missing) == (7, 3)
    assert 10 <= summary.replanned < 20, summary
    assert stored(library) == planned_in_full(library)


def test_nothing_changed_replans_nothing(library, media_root):
    episodes(media_root, 10)
    library_scan(library=library)
    plan_refresh(library)
    assert plan_refresh(library).replanned == 0


def test_a_full_plan_stores_the_digests_a_comparison_reads_subtitles_included(library, media_root):
    """A full plan digests the rows it loaded; a later refresh reads them from the
    database: the two must agree, or every refresh would plan again."""
    make_files(
        media_root,
        ["the.wire.s01e01.mkv", "the.wire.s01e01.en.srt", "the.wire.s01e01.fr.forced.srt"],
    )
    make_files(media_root, ["Heat.1995.mkv", "Heat.1995.en.srt", "Heat.1995-trailer.mkv"])
    library_scan(library=library)
    settings_update(values={"naming_movie_template": "{title} ({year})/{title} ({year}) {edition}"})
    assert plan_refresh(library).full
    again = plan_refresh(library)
    assert (again.full, again.replanned, again.checked) == (False, 0, 6)


def test_a_new_file_that_wants_a_taken_name_makes_both_collide_and_its_removal_frees_the_other(
    library, media_root
):
    episodes(media_root, 20)
    library_scan(library=library)
    plan_refresh(library)
    (twin,) = make_files(media_root, ["The.Wire.S01E01.1080p.WEB.mkv"])
    library_scan(library=library)
    plan_refresh(library)
    assert stored(library) == planned_in_full(library)
    assert sum(1 for r, _, _ in stored(library).values() if r == Reason.COLLISION) == 2
    twin.unlink()
    library_scan(library=library)
    plan_refresh(library)
    assert stored(library) == planned_in_full(library)
    reasons = [r for r, _, _ in stored(library).values()]
    assert reasons.count(Reason.MISSING) == 1 and reasons.count(Reason.READY) == 20


def test_a_template_change_replans_in_full(library, media_root):
    episodes(media_root, 12)
    library_scan(library=library)
    plan_refresh(library)
    settings_update(
        values={"naming_tv_template": "{title}/Season {season}/{title} - {episode_code}"}
    )
    refresh = plan_refresh(library)
    assert refresh.full and refresh.replanned == 12
    assert stored(library) == planned_in_full(library)


def test_film_extras_follow_their_film_when_it_changes(library, media_root):
    make_files(media_root, ["Heat.1995.1080p/Heat.1995.1080p.mkv", "Heat.1995.1080p/trailer.mkv"])
    library_scan(library=library)
    plan_refresh(library)
    assert stored(library) == planned_in_full(library)
    os.rename(
        media_root / "Heat.1995.1080p/Heat.1995.1080p.mkv", media_root / "Heat.1995.1080p/other.mkv"
    )
    library_scan(library=library)
    plan_refresh(library)
    assert stored(library) == planned_in_full(library)


def test_show_extras_are_replanned_when_an_episode_in_a_season_folder_changes(library, media_root):
    make_files(
        media_root,
        [
            "the.wire/Season 1/the.wire.s01e01.mkv",
            "the.wire/Season 2/the.wire.s02e01.mkv",
            "the.wire/Featurettes/Making Of.mkv",
            "the.wire/Season 2/Extras/Bloopers.mkv",
        ],
    )
    library_scan(library=library)
    assert stored(library) == planned_in_full(library)
    assert {r for r, _, _ in stored(library).values()} == {Reason.READY}
    # An episode that must stay holds the show's extras back; its removal frees them.
    (held,) = make_files(media_root, ["the.wire/Season 2/the.wire.s02e05.5.mkv"])
    library_scan(library=library)
    assert stored(library) == planned_in_full(library)
    assert [r for r, _, _ in stored(library).values()].count(Reason.EXTRA) == 2
    held.unlink()
    library_scan(library=library)
    assert stored(library) == planned_in_full(library)
    assert {r for r, _, _ in stored(library).values()} <= {Reason.READY, Reason.MISSING}


@pytest.mark.parametrize("seed", range(4))
def test_random_changes_keep_the_stored_plan_equal_to_a_full_plan(library, media_root, seed):
    rng = random.Random(seed)
    files = episodes(media_root, 30)
    library_scan(library=library)
    plan_refresh(library)
    for step in range(8):
        action = rng.choice(["add", "remove", "rename", "twin", "subtitle"])
        present = [p for p in files if p.exists()]
        if action == "remove" and present:
            rng.choice(present).unlink()
        elif action == "rename" and present:
            source = rng.choice(present)
            target = source.with_name(f"{SHOWS[rng.randrange(5)]}.s03e{step:02d}.mkv")
            if not target.exists():
                source.rename(target)
                files.append(target)
        elif action == "twin" and present:
            twin = rng.choice(present)
            files += make_files(media_root, [twin.name.replace(".720p", ".1080p")])
        elif action == "subtitle" and present:
            video = rng.choice(present)
            make_files(media_root, [video.stem + ".en.srt"])
        else:
            files += make_files(media_root, [f"{SHOWS[rng.randrange(5)]}.s04e{step:02d}.mkv"])
        library_scan(library=library)
        plan_refresh(library)
        assert stored(library) == planned_in_full(library), (seed, step, action)


def test_the_plan_command_refreshes_and_says_what_it_planned(library, media_root):
    from io import StringIO

    from django.core.management import call_command

    episodes(media_root, 5)
    library_scan(library=library)
    PlannedMove.objects.filter(library=library).delete()
    out = StringIO()
    call_command("plan", "--no-progress", stdout=out)
    assert "TV: Planned 5 of 5 file(s) again (where they changed)" in out.getvalue()
    assert stored(library) == planned_in_full(library)


def test_a_library_edit_makes_its_plan_stale_and_queues_a_full_replan(
    library, media_root, immediate_tasks
):
    from library.models import LibraryKind
    from library.services.plan_store import plan_current, plan_stored
    from library.tasks import plans_enqueue_stale
    from plexomatic_site.models import Job, JobKind

    episodes(media_root, 3)
    library_scan(library=library)
    assert plan_current(library, plan_stored(library))
    library.kind = LibraryKind.ANIME
    library.save()
    assert not plan_current(library, plan_stored(library))
    plans_enqueue_stale()  # what the edit view calls; the test backend runs the job at once
    job = Job.objects.get(kind=JobKind.PLAN)
    assert job.status == Job.Status.SUCCEEDED, (job.status, job.error, job.summary)
    assert job.summary["full"] and job.summary["replanned"] == 3
    assert plan_current(library, plan_stored(library))


def test_a_refresh_told_which_rows_were_edited_equals_a_full_plan(library, media_root):
    files = episodes(media_root, 30)
    make_files(media_root, [files[0].stem + ".en.srt"])
    library_scan(library=library)  # stores the plan
    rows = MediaFile.objects.filter(library=library)
    video, other, doomed = (rows.get(path=str(path)) for path in files[:3])
    rows.filter(pk=video.pk).update(title="Renamed Show")  # its subtitle follows it
    rows.filter(pk=other.pk).update(season=7)
    # Added and deleted without being named: the refresh finds them itself.
    # A twin of files[3] (the same episode), which reaches it through their common target.
    (added,) = make_files(media_root, ["twin.mkv"])
    twin = rows.get(path=str(files[3]))
    fields = ("media_type", "title", "season", "episode", "episodes")
    rows.create(
        library=library,
        path=str(added),
        name=added.name,
        **{field: getattr(twin, field) for field in fields},
    )
    doomed.delete()
    refresh = plan_refresh(library, edited=[video.pk, other.pk])
    assert (refresh.full, refresh.checked) == (False, 31)
    # The video, its subtitle, the other, the added one and its twin.
    assert refresh.replanned == 5
    assert stored(library) == planned_in_full(library)
    assert plan_refresh(library).replanned == 0  # each file replanned stored its digest


def test_a_refresh_told_which_rows_were_edited_compares_only_those(library, media_root):
    files = episodes(media_root, 10)
    library_scan(library=library)
    MediaFile.objects.filter(path=str(files[0])).update(title="Edited Elsewhere")
    assert plan_refresh(library, edited=[]).replanned == 0
    assert plan_refresh(library).replanned == 1  # a refresh told nothing compares every row
    assert stored(library) == planned_in_full(library)


@pytest.mark.parametrize("seed", range(4))
def test_the_plan_a_scan_stores_from_the_rows_it_edited_equals_a_full_plan(
    library, media_root, seed
):
    rng = random.Random(seed)
    files = episodes(media_root, 30)
    library_scan(library=library)
    for step in range(8):
        present = [p for p in files if p.exists()]
        action = rng.choice(["add", "remove", "rename", "rewrite", "subtitle"])
        if action == "remove":
            rng.choice(present).unlink()
        elif action == "rename":
            source = rng.choice(present)
            target = source.with_name(f"{SHOWS[rng.randrange(5)]}.s03e{step:02d}.mkv")
            if not target.exists():
                source.rename(target)  # a move: the row is edited, not added
                files.append(target)
        elif action == "rewrite":
            rng.choice(present).write_bytes(b"longer content, so a changed row" * step)
        elif action == "subtitle":
            make_files(media_root, [rng.choice(present).stem + ".en.srt"])
        else:
            files += make_files(media_root, [f"{SHOWS[rng.randrange(5)]}.s04e{step:02d}.mkv"])
        summary = library_scan(library=library)  # its refresh is told what the scan edited
        assert stored(library) == planned_in_full(library), (seed, step, action, summary)
    assert plan_refresh(library).replanned == 0


def test_a_subtitle_whose_video_arrives_later_follows_it_in_the_stored_plan(library, media_root):
    episodes(media_root, 10)
    make_files(media_root, ["dark.s05e01.en.srt"])  # its video is not there yet
    library_scan(library=library)
    make_files(media_root, ["dark.s05e01.mkv"])
    assert library_scan(library=library).replanned == 2  # the new video and its subtitle
    assert stored(library) == planned_in_full(library)


def test_an_unchanged_rescan_refreshes_a_plan_left_out_of_date(library, media_root):
    """An apply whose PLAN job never ran (the worker stopped) leaves the plan out of
    date; the next scan, even of an unchanged library, brings it back."""
    episodes(media_root, 6)
    library_scan(library=library)
    plan_outdate(library)
    assert not plan_current(library, plan_stored(library))
    library_scan(library=library)
    assert plan_current(library, plan_stored(library))
    assert stored(library) == planned_in_full(library)
