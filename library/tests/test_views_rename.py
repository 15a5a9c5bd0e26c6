from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from django.urls import reverse

from library.errors import PlanChanged
from library.models import (
    Batch,
    FileOperation,
    Library,
    LibraryPlan,
    MediaFile,
    MediaType,
    PlannedMove,
)
from library.services.apply import library_apply
from library.services.locks import library_lock
from library.services.plan import Reason, plan_build
from library.services.plan_store import (
    plan_as_seen,
    plan_current,
    plan_refresh,
    plan_stored,
    stored_moves,
)
from library.tests.factories import episode_make, library_make, media_make, tree
from plexomatic_site.jobs import jobs_claim
from plexomatic_site.models import Job, JobKind
from plexomatic_site.settings_store import settings_update

# Every test here runs its jobs at once, in the request (immediate_tasks, root conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]

PREVIEW = reverse("library:rename")


def refreshed(client):
    """The client, once every library's stored plan is up to date (as after a scan)."""
    for library in Library.objects.all():
        plan_refresh(library)
    return client


APPLY = reverse("library:rename_apply")


TARGET_1 = "Show (2019)/Season 01/Show (2019) - s01e01.mkv"


@pytest.fixture
def library(tmp_path):
    return library_make(tmp_path / "tv")


def shown(media: MediaFile, target: str) -> dict[str, object]:
    """The apply form's fields for one ticked file and the new path its preview showed."""
    return {"media": [media.pk], f"target-{media.pk}": target}


def preview_form(client, library) -> dict[str, object]:
    """What the preview's Apply form posts with every checkbox left ticked."""
    html = refreshed(client).get(PREVIEW, {"library": library.pk}).content.decode()
    data: dict[str, object] = {"library": library.pk}
    data["media"] = re.findall(r'name="media" value="(\d+)"', html)
    data.update(re.findall(r'name="(target-\d+)" value="([^"]*)"', html))
    return data


def test_preview_shows_moves_grouped_with_reasons(logged_in, library):
    ready = episode_make(library, "show.s01e02.mkv")
    media_make(library, "mystery.mkv")
    response = refreshed(logged_in).get(PREVIEW, {"library": library.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h2>Show</h2>" in html
    assert f'name="media" value="{ready.pk}"' in html
    assert "Show (2019)/Season 01/Show (2019) - s01e02.mkv" in html
    assert "not recognised" in html
    assert html.count('name="media"') == 1  # only files that can move get a checkbox


def test_preview_defaults_to_the_first_library(logged_in, library):
    episode_make(library, "show.s01e02.mkv")
    assert "show.s01e02.mkv" in refreshed(logged_in).get(PREVIEW).content.decode()


def test_preview_without_libraries_explains_what_to_do(logged_in):
    assert "No libraries yet" in refreshed(logged_in).get(PREVIEW).content.decode()


def test_preview_of_an_unknown_library_is_a_bad_request(logged_in, library):
    response = refreshed(logged_in).get(PREVIEW, {"library": 999})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_preview_needs_login(client, library):
    response = client.get(PREVIEW)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_preview_refuses_post(logged_in):
    assert logged_in.post(PREVIEW).status_code == 405


def test_preview_query_count_does_not_grow_with_files(
    logged_in, library, django_assert_max_num_queries
):
    for n in range(1, 40):
        episode_make(library, f"show.e{n}.mkv", episode=n)
    client = refreshed(logged_in)
    with django_assert_max_num_queries(12):
        assert client.get(PREVIEW).status_code == 200


def test_apply_button_renames_the_picked_files_in_a_background_job(logged_in, library):
    picked = episode_make(library, "a.mkv", episode=1)
    left = episode_make(library, "b.mkv", episode=2)
    response = logged_in.post(APPLY, {"library": library.pk, **shown(picked, TARGET_1)})
    job = Job.objects.get(kind="apply")
    assert response.status_code == 302 and response["Location"] == reverse("job", args=[job.pk])
    assert job.status == "succeeded" and job.summary["completed"] == 1
    assert job.lock_key == f"library:{library.pk}"
    assert tree(library.root_path) == {
        "Show (2019)/Season 01/Show (2019) - s01e01.mkv": b"a.mkv",
        "b.mkv": b"b.mkv",
    }
    batch = Batch.objects.get()
    assert batch.created_by.username == "alice"
    left.refresh_from_db()
    assert left.path.endswith("b.mkv")
    page = logged_in.get(response["Location"]).content.decode()
    assert "Succeeded" in page and reverse("library:batch", args=[batch.pk]) in page


def test_apply_refuses_get(logged_in):
    assert logged_in.get(APPLY).status_code == 405


def test_apply_needs_login(client, library):
    media = episode_make(library, "a.mkv")
    response = client.post(APPLY, {"library": library.pk, **shown(media, "a.mkv")})
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert os.path.exists(media.path)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "This field is required"),
        ({"library": "x"}, "Select a valid choice"),
        ({"library": "LIB"}, "Pick at least one file"),
        ({"library": "LIB", "media": ["999"]}, "Select a valid choice"),
        ({"library": "LIB", "media": ["MEDIA"]}, "reload the preview"),
    ],
)
def test_apply_with_bad_input_changes_nothing(logged_in, library, data, message):
    media = episode_make(library, "a.mkv")
    data = {k: (library.pk if v == "LIB" else v) for k, v in data.items()}
    data = {k: ([media.pk] if v == ["MEDIA"] else v) for k, v in data.items()}
    response = logged_in.post(APPLY, data, follow=True)
    assert message in response.content.decode()
    assert not Job.objects.exists() and not FileOperation.objects.exists()


def test_apply_refuses_files_of_another_library(logged_in, library, tmp_path):
    other = library_make(tmp_path / "movies", name="Movies")
    foreign = media_make(other, "m.mkv", media_type=MediaType.MOVIE, title="M")
    response = logged_in.post(
        APPLY, {"library": library.pk, **shown(foreign, "M.mkv")}, follow=True
    )
    assert "not in this library" in response.content.decode()
    assert os.path.exists(foreign.path)


def test_a_second_apply_of_a_busy_library_is_refused(logged_in, library):
    media = episode_make(library, "a.mkv")
    jobs_claim(kind=JobKind.SCAN, locks=[library_lock(library)])
    response = logged_in.post(APPLY, {"library": library.pk, **shown(media, "a.mkv")}, follow=True)
    assert "already running" in response.content.decode()
    assert os.path.exists(media.path) and not FileOperation.objects.exists()


def test_a_file_recorded_outside_the_library_is_never_moved(logged_in, library, tmp_path):
    outside = tmp_path / "private" / "secret.mkv"
    outside.parent.mkdir()
    outside.write_bytes(b"secret")
    media = MediaFile.objects.create(
        library=library,
        path=str(outside),
        name="secret.mkv",
        media_type=MediaType.MOVIE,
        title="Secret",
    )
    logged_in.post(APPLY, {"library": library.pk, **shown(media, "a.mkv")})
    assert outside.read_bytes() == b"secret"
    assert not FileOperation.objects.exists()
    assert list(Path(library.root_path).iterdir()) == []


def test_job_status_is_json(logged_in, library):
    (job,) = jobs_claim(kind=JobKind.APPLY, locks=[library_lock(library)])
    data = logged_in.get(reverse("job_status", args=[job.pk])).json()
    assert data["status"] == "running" and data["active"] is True and data["link"] is None


def test_job_pages_of_unknown_jobs_are_404(logged_in):
    assert logged_in.get(reverse("job", args=[999])).status_code == 404
    assert logged_in.get(reverse("job_status", args=[999])).status_code == 404


def test_job_pages_refuse_post(logged_in, library):
    (job,) = jobs_claim(kind=JobKind.APPLY, locks=[library_lock(library)])
    assert logged_in.post(reverse("job", args=[job.pk])).status_code == 405
    assert logged_in.post(reverse("job_status", args=[job.pk])).status_code == 405


def test_job_pages_need_login(client, library):
    (job,) = jobs_claim(kind=JobKind.APPLY, locks=[library_lock(library)])
    for name in ("job", "job_status"):
        assert client.get(reverse(name, args=[job.pk]))["Location"].startswith("/login/")


def test_a_job_that_cannot_be_queued_releases_the_library_lock(logged_in, library, monkeypatch):
    from library.views import rename

    class Unqueueable:
        def using(self, **kwargs):
            return self

        def enqueue(self, **kwargs):
            raise RuntimeError("queue unavailable")

    monkeypatch.setattr(rename, "apply_library", Unqueueable())
    media = episode_make(library, "a.mkv")
    response = logged_in.post(APPLY, {"library": library.pk, **shown(media, "a.mkv")}, follow=True)
    job = Job.objects.get()
    assert job.status == "failed" and "Could not queue the job" in job.error
    (message,) = [str(m) for m in response.context["messages"]]
    assert "Could not queue the job" in message


def test_apply_renames_to_the_previewed_path_only(logged_in, library):
    kept = episode_make(library, "a.mkv", episode=1)
    changed = episode_make(library, "b.mkv", episode=2)
    data = preview_form(logged_in, library)
    assert data[f"target-{changed.pk}"] == "Show (2019)/Season 01/Show (2019) - s01e02.mkv"
    # A rescan between preview and apply recognises b.mkv differently.
    MediaFile.objects.filter(pk=changed.pk).update(episode=7, episodes=[7])
    logged_in.post(APPLY, data)
    job = Job.objects.get(kind="apply")
    assert job.summary["completed"] == 1
    assert job.summary["skipped"] == {"new path changed since the preview": 1}
    assert tree(library.root_path) == {TARGET_1: b"a.mkv", "b.mkv": b"b.mkv"}
    kept.refresh_from_db()
    assert kept.path.endswith(TARGET_1)


APPLY_ALL = reverse("library:rename_apply_all")


def preview_digest(client, library, **params) -> str:
    html = refreshed(client).get(PREVIEW, {"library": library.pk, **params}).content.decode()
    found = re.search(r'name="digest" value="([0-9a-f]{64})"', html)
    assert found is not None
    return found.group(1)


def test_preview_shows_one_page_at_a_time(logged_in, library, monkeypatch):
    from library.views import rename

    monkeypatch.setattr(rename, "PREVIEW_PAGE_SIZE", 2)
    for n in range(1, 6):
        episode_make(library, f"show.e{n}.mkv", episode=n)
    first = refreshed(logged_in).get(PREVIEW, {"library": library.pk}).content.decode()
    assert first.count('name="media"') == 2 and "Page 1 of 3" in first
    assert "Apply all 5 renames" in first
    assert f"library={library.pk}&amp;page=2" in first
    last = refreshed(logged_in).get(PREVIEW, {"library": library.pk, "page": 3}).content.decode()
    assert last.count('name="media"') == 1 and "show.e5.mkv" in last


def test_a_full_page_of_ticked_renames_is_accepted(logged_in, library):
    # 300 ready files: a page holds 200 of them, 401 fields, under Django's 1,000.
    for n in range(1, 301):
        episode_make(library, f"show.e{n}.mkv", episode=n)
    data = preview_form(logged_in, library)
    assert len(data["media"]) == 200
    response = logged_in.post(APPLY, data)
    job = Job.objects.get(kind="apply")
    assert response.status_code == 302 and job.summary["completed"] == 200


def test_apply_all_renames_every_page_as_previewed(logged_in, library, monkeypatch):
    from library.views import rename

    monkeypatch.setattr(rename, "PREVIEW_PAGE_SIZE", 2)
    for n in range(1, 6):
        episode_make(library, f"show.e{n}.mkv", episode=n)
    digest = preview_digest(logged_in, library)
    response = logged_in.post(APPLY_ALL, {"library": library.pk, "digest": digest})
    job = Job.objects.get(kind="apply")
    assert response["Location"] == reverse("job", args=[job.pk])
    assert job.summary["completed"] == 5
    assert sorted(tree(library.root_path)) == [
        f"Show (2019)/Season 01/Show (2019) - s01e0{n}.mkv" for n in range(1, 6)
    ]


def test_apply_all_refuses_a_plan_that_changed_since_the_preview(logged_in, library):
    episode_make(library, "a.mkv", episode=1)
    digest = preview_digest(logged_in, library)
    episode_make(library, "b.mkv", episode=2)  # a scan found one more, and planned it
    plan_refresh(library)
    response = logged_in.post(APPLY_ALL, {"library": library.pk, "digest": digest}, follow=True)
    assert "changed since the preview" in response.content.decode()
    assert sorted(tree(library.root_path)) == ["a.mkv", "b.mkv"]
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"library": "LIB", "digest": "../../etc"}, {"library": "999", "digest": "0" * 64}],
)
def test_apply_all_with_bad_input_changes_nothing(logged_in, library, data):
    episode_make(library, "a.mkv")
    data = {k: (library.pk if v == "LIB" else v) for k, v in data.items()}
    response = logged_in.post(APPLY_ALL, data, follow=True)
    assert "not valid" in response.content.decode()
    assert tree(library.root_path) == {"a.mkv": b"a.mkv"}
    assert not Job.objects.exists()


def test_apply_all_refuses_get_and_needs_login(client, logged_in, library):
    assert logged_in.get(APPLY_ALL).status_code == 405
    logged_in.logout()
    response = client.post(APPLY_ALL, {"library": library.pk, "digest": "0" * 64})
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_apply_all_of_a_library_with_nothing_to_rename_says_so(logged_in, library):
    episode_make(library, TARGET_1, episode=1)
    digest = plan_build(library=library).digest()
    refreshed(logged_in)
    response = logged_in.post(APPLY_ALL, {"library": library.pk, "digest": digest}, follow=True)
    assert f"Nothing in {library.name} needs renaming" in response.content.decode()
    assert not Job.objects.exists()


def test_preview_marks_what_changes_counts_what_stays_and_says_the_plex_effect(logged_in, library):
    episode_make(library, "Show (2019)/Season 01/show.s01e02.mkv")
    episode_make(library, "Show (2019)/Season 01/Show (2019) - s01e03.mkv", episode=3)
    media_make(library, "mystery.mkv")
    html = refreshed(logged_in).get(PREVIEW, {"library": library.pk}).content.decode()
    old = "Show (2019)/<wbr>Season 01/<wbr><del>show.</del>s01e02.mkv"
    new = "Show (2019)/<wbr>Season 01/<wbr><ins>Show (2019)<wbr> - </ins>s01e02.mkv"
    assert f'<code class="path">{old}</code>' in html
    assert f'<code class="path">{new}</code>' in html
    assert "Staying: already correct 1 · not recognised 1." in html
    assert "<li>moves to Season 01</li>" not in html  # it is in Season 01 already


def test_preview_escapes_the_marked_paths(logged_in, library):
    episode_make(library, "<b>show</b>.s01e02.mkv", title="<b>Show</b>")
    html = refreshed(logged_in).get(PREVIEW, {"library": library.pk}).content.decode()
    assert "<b>" not in html and "&lt;b&gt;" in html


def test_preview_says_the_plex_effect_of_each_move(logged_in, library):
    episode_make(library, "show.s01e02.mkv")
    html = refreshed(logged_in).get(PREVIEW, {"library": library.pk}).content.decode()
    assert "<li>adds year</li>" in html and "<li>moves to Season 01</li>" in html


def test_preview_reads_the_stored_plan_and_says_when_a_job_is_updating_it(logged_in, library):
    episode_make(library, "show.s01e02.mkv")
    refreshed(logged_in)
    jobs_claim(kind=JobKind.SCAN, locks=[library_lock(library)])
    html = logged_in.get(PREVIEW, {"library": library.pk}).content.decode()
    assert "The plan is being updated" in html and "show.s01e02.mkv" in html
    assert "Apply all" not in html  # the plan shown may be out of date


def test_a_template_change_replans_and_apply_all_refuses_the_old_plan(logged_in, library):
    episode_make(library, "show.s01e02.mkv")
    old = preview_digest(logged_in, library)
    settings_update(values={"naming_tv_template": "{title}/{title} - {episode_code}"})
    # The change queued a replan (run at once by the test task backend).
    job = Job.objects.get(kind=JobKind.PLAN)
    assert job.status == Job.Status.SUCCEEDED and job.summary["full"]
    html = logged_in.get(PREVIEW, {"library": library.pk}).content.decode()
    assert "Show/Show - s01e02.mkv" in html
    response = logged_in.post(APPLY_ALL, {"library": library.pk, "digest": old}, follow=True)
    assert "changed since the preview" in response.content.decode()
    assert not Job.objects.filter(kind=JobKind.APPLY).exists()


def test_a_library_without_a_stored_plan_offers_to_plan_it(logged_in, library):
    episode_make(library, "show.s01e02.mkv")
    html = logged_in.get(PREVIEW, {"library": library.pk}).content.decode()
    assert "has no rename plan yet" in html
    response = logged_in.post(reverse("library:rename_replan"), {"library": library.pk})
    job = Job.objects.get(kind=JobKind.PLAN)
    assert response["Location"] == reverse("job", args=[job.pk])
    assert job.summary["replanned"] == 1
    assert "show.s01e02.mkv" in logged_in.get(PREVIEW, {"library": library.pk}).content.decode()


def test_preview_filters_by_show_status_and_search(logged_in, library):
    episode_make(library, "show.s01e02.mkv")
    media_make(library, "mystery.mkv")
    refreshed(logged_in)

    def listed(**params) -> bool:
        html = logged_in.get(PREVIEW, {"library": library.pk, **params}).content.decode()
        return "show.s01e02.mkv" in html

    assert listed(group="show") and not listed(group="Other")
    assert listed(reason="ready") and not listed(reason="not_recognised")
    assert listed(q="s01e02") and not listed(q="mystery")
    assert logged_in.get(PREVIEW, {"library": library.pk, "reason": "nonsense"}).status_code == 400


def test_an_apply_is_followed_by_a_plan_job_of_its_own(logged_in, library):
    """The moves end without waiting for the plan: a PLAN job refreshes it after them."""
    picked = episode_make(library, "a.mkv", episode=1)
    episode_make(library, "b.mkv", episode=2)
    refreshed(logged_in)
    logged_in.post(APPLY, {"library": library.pk, **shown(picked, TARGET_1)})
    apply, plan = Job.objects.order_by("pk")
    assert (apply.kind, plan.kind, plan.status) == ("apply", "plan", "succeeded")
    assert "replanned" not in apply.summary
    assert plan.summary["replanned"] >= 1 and not plan.summary["full"]
    stored = PlannedMove.objects.get(media_id=picked.pk)
    assert stored.reason == Reason.ALREADY_CORRECT


def test_between_an_apply_and_its_plan_job_the_plan_cannot_be_applied_whole(library):
    """Until the PLAN job has run, the stored plan shows as out of date and "Apply all"
    with the digest seen before the moves is refused."""
    episode_make(library, "a.mkv", episode=1)
    episode_make(library, "b.mkv", episode=2)
    plan_refresh(library)
    seen = LibraryPlan.objects.get(library=library).digest
    library_apply(library=library, previewed=dict(list(stored_moves(library).items())[:1]))
    assert not plan_current(library, plan_stored(library))
    with pytest.raises(PlanChanged):
        plan_as_seen(library, seen)
    plan_refresh(library)
    assert plan_current(library, plan_stored(library))
    assert len(stored_moves(library)) == 1


APPLY_SELECTED = reverse("library:rename_apply_selected")


def _episodes(library, count: int) -> list[MediaFile]:
    return [episode_make(library, f"show.e{n}.mkv", episode=n) for n in range(1, count + 1)]


def _target(n: int) -> str:
    return f"Show (2019)/Season 01/Show (2019) - s01e{n:02d}.mkv"


def test_apply_selected_renames_every_match_but_the_unticked_over_every_page(
    logged_in, library, monkeypatch
):
    from library.views import rename

    monkeypatch.setattr(rename, "PREVIEW_PAGE_SIZE", 2)
    files = _episodes(library, 5)
    digest = preview_digest(logged_in, library)
    response = logged_in.post(
        APPLY_SELECTED,
        {
            "library": library.pk,
            "digest": digest,
            "selection": "matching",
            "ids": f'["{files[3].pk}"]',
        },
    )
    job = Job.objects.get(kind="apply")
    assert response["Location"] == reverse("job", args=[job.pk])
    assert job.summary["completed"] == 4
    assert sorted(tree(library.root_path)) == sorted(
        [_target(n) for n in (1, 2, 3, 5)] + ["show.e4.mkv"]
    )


def test_apply_selected_renames_only_the_ticked_ids(logged_in, library):
    files = _episodes(library, 4)
    digest = preview_digest(logged_in, library)
    ids = json.dumps([str(files[0].pk), str(files[2].pk)])
    logged_in.post(
        APPLY_SELECTED, {"library": library.pk, "digest": digest, "selection": "ids", "ids": ids}
    )
    assert Job.objects.get(kind="apply").summary["completed"] == 2
    assert sorted(tree(library.root_path)) == sorted(
        [_target(1), _target(3), "show.e2.mkv", "show.e4.mkv"]
    )


def test_apply_selected_keeps_to_the_filters_the_preview_showed(logged_in, library):
    _episodes(library, 3)
    digest = preview_digest(logged_in, library)
    logged_in.post(
        APPLY_SELECTED,
        {"library": library.pk, "digest": digest, "selection": "matching", "q": "show.e2"},
    )
    assert sorted(tree(library.root_path)) == sorted([_target(2), "show.e1.mkv", "show.e3.mkv"])


def test_apply_selected_refuses_a_plan_that_changed_since_the_preview(logged_in, library):
    _episodes(library, 2)
    digest = preview_digest(logged_in, library)
    episode_make(library, "show.e9.mkv", episode=9)
    plan_refresh(library)
    response = logged_in.post(
        APPLY_SELECTED,
        {"library": library.pk, "digest": digest, "selection": "matching"},
        follow=True,
    )
    assert "The renames have changed since the preview" in response.content.decode()
    assert not Job.objects.filter(kind="apply").exists()


def test_apply_selected_with_nothing_selected_says_so(logged_in, library):
    _episodes(library, 2)
    digest = preview_digest(logged_in, library)
    response = logged_in.post(
        APPLY_SELECTED,
        {"library": library.pk, "digest": digest, "selection": "ids", "ids": ""},
        follow=True,
    )
    assert "No rename is selected" in response.content.decode()
    assert not Job.objects.filter(kind="apply").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"selection": "matching", "digest": "nothex"},
        {"selection": "everything"},
        {"selection": "ids", "ids": "1,2"},  # not JSON
        {"selection": "ids", "ids": "[1, 2]"},  # numbers, not the strings the script posts
        {"selection": "ids", "ids": '["1", "", "2"]'},
        {"selection": "ids", "ids": '["\u0661"]'},  # an Arabic-Indic digit is not an id
        {"selection": "ids", "ids": json.dumps(["9" * 40])},
        {"selection": "ids", "ids": '{"1": true}'},
        {"selection": "matching", "reason": "nonsense"},
    ],
)
def test_apply_selected_with_bad_input_changes_nothing(logged_in, library, data):
    _episodes(library, 1)
    digest = preview_digest(logged_in, library)
    response = logged_in.post(
        APPLY_SELECTED, {"library": library.pk, "digest": digest, **data}, follow=True
    )
    assert response.status_code == 200
    assert "That apply request was not valid" in response.content.decode()
    assert not Job.objects.filter(kind="apply").exists()


def test_apply_selected_refuses_get_and_needs_login(client, logged_in, library):
    assert logged_in.get(APPLY_SELECTED).status_code == 405
    logged_in.logout()
    response = client.post(APPLY_SELECTED, {"library": library.pk})
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_preview_counts_renames_stays_and_collisions_and_what_select_all_selects(
    logged_in, library
):
    _episodes(library, 3)
    episode_make(library, "a/show.e7.mkv", episode=7)
    episode_make(library, "b/show.e7.mkv", episode=7)  # both want one name: a collision
    media_make(library, "mystery.mkv")
    html = refreshed(logged_in).get(PREVIEW, {"library": library.pk}).content.decode()
    assert "<strong>3</strong> to rename" in html
    assert "<strong>3</strong> stay as they are" in html
    assert "<strong>2</strong> collisions" in html
    assert 'data-matching="3"' in html and "Select all 3 matching" in html
    searched = logged_in.get(PREVIEW, {"library": library.pk, "q": "e2"}).content.decode()
    assert 'data-matching="1"' in searched
    assert '<input type="hidden" name="q" value="e2">' in searched


def test_preview_filters_by_the_part_of_the_path_that_changes(logged_in, library):
    episode_make(library, "Show (2019)/Season 01/show.s01e02.mkv")  # the name only
    episode_make(library, "Show (2019) - s01e03.mkv", episode=3)  # the folder only
    episode_make(library, "elsewhere/show.s01e04.mkv", episode=4)  # both
    refreshed(logged_in)

    def listed(changed: str) -> list[str]:
        html = logged_in.get(PREVIEW, {"library": library.pk, "changed": changed}).content
        return re.findall(r'aria-label="Rename ([^"]+)"', html.decode())

    assert listed("name") == ["Show (2019)/Season 01/show.s01e02.mkv"]
    assert listed("folder") == ["Show (2019) - s01e03.mkv"]
    assert listed("both") == ["elsewhere/show.s01e04.mkv"]
    assert logged_in.get(PREVIEW, {"library": library.pk, "changed": "x"}).status_code == 400


def test_preview_query_count_does_not_grow_with_files_when_filtered(
    logged_in, library, django_assert_max_num_queries
):
    _episodes(library, 40)
    client = refreshed(logged_in)
    with django_assert_max_num_queries(13):
        response = client.get(PREVIEW, {"library": library.pk, "q": "show", "changed": "both"})
        assert response.status_code == 200


def test_the_migration_fills_in_the_changed_part_of_stored_renames(library):
    from importlib import import_module

    from django.apps import apps

    from library.models import PlannedMove

    _episodes(library, 2)
    plan_refresh(library)
    PlannedMove.objects.update(changed="")
    import_module("library.migrations.0011_planned_changed_part").fill_changed(apps, None)
    assert set(PlannedMove.objects.values_list("changed", flat=True)) == {"both"}


def test_apply_selected_of_the_whole_plan_applies_it_as_stored(logged_in, library, monkeypatch):
    from library.views import rename

    queued: list[dict] = []
    real = rename._queue_apply

    def spy(request, **kwargs):
        queued.append(kwargs)
        return real(request, **kwargs)

    monkeypatch.setattr(rename, "_queue_apply", spy)
    _episodes(library, 3)
    digest = preview_digest(logged_in, library)
    logged_in.post(
        APPLY_SELECTED, {"library": library.pk, "digest": digest, "selection": "matching"}
    )
    # Every rename: the job reads the stored plan by its digest, not 3 pairs in the queue.
    assert queued[0]["digest"] == digest and "previewed" not in queued[0]
    assert Job.objects.get(kind="apply").summary["completed"] == 3
