from __future__ import annotations

import pytest
from django.urls import reverse

from library.models import Library, MediaFile
from library.services.locks import library_lock
from library.tests.conftest import make_files
from plexomatic_site.jobs import jobs_claim
from plexomatic_site.models import Job, JobKind

pytestmark = pytest.mark.django_db


def _media(library, n: int, **extra) -> MediaFile:
    fields = {
        "path": f"{library.root_path}/Show/s01e{n:02d}.mkv",
        "name": f"s01e{n:02d}.mkv",
        "media_type": "TV_SHOW",
        "title": "Show",
        "season": 1,
        "episode": n,
        "episodes": [n],
        "size": 100,
    }
    fields.update(extra)
    return MediaFile.objects.create(library=library, **fields)


def test_pages_need_login(client, library):
    for url in [
        reverse("library:list"),
        reverse("library:add"),
        reverse("library:detail", args=[library.pk]),
        reverse("library:edit", args=[library.pk]),
        reverse("library:delete", args=[library.pk]),
        reverse("library:show", args=[library.pk]),
    ]:
        assert client.get(url).url.startswith(reverse("login"))
    assert client.post(reverse("library:scan", args=[library.pk])).url.startswith(reverse("login"))


def test_list_shows_counts_and_empty_state(logged_in, library):
    Library.objects.all().delete()
    assert b"No libraries yet." in logged_in.get(reverse("library:list")).content


def test_list_counts_by_type(logged_in, library):
    _media(library, 1)
    _media(library, 2, missing=True)
    MediaFile.objects.create(
        library=library, path=f"{library.root_path}/M.mkv", name="M.mkv", media_type="MOVIE", size=5
    )
    response = logged_in.get(reverse("library:list"))
    _library, counts, _job = response.context["rows"][0]
    assert (counts.tv, counts.movies, counts.videos, counts.missing, counts.size) == (
        1,
        1,
        2,
        1,
        105,
    )


def test_list_reads_the_counts_the_last_scan_stored(logged_in, library, media_root):
    from library.services.scan import library_scan

    for name in ("Show.S01E01.mkv", "Show.S01E02.mkv", "Heat.1995.mkv"):
        (media_root / name).write_bytes(b"x" * 10)
    library_scan(library=library)
    library.refresh_from_db()
    assert library.media_counts == {
        "by_type": {"TV_SHOW": 2, "MOVIE": 1},
        "missing": 0,
        "size": 30,
    }
    # A row changed behind the scan's back is not counted until the next scan.
    MediaFile.objects.filter(name="Heat.1995.mkv").update(media_type="UNKNOWN")
    _library, counts, _job = logged_in.get(reverse("library:list")).context["rows"][0]
    assert (counts.tv, counts.movies, counts.unknown) == (2, 1, 0)
    (media_root / "Heat.1995.mkv").unlink()
    library_scan(library=library)
    _library, counts, _job = logged_in.get(reverse("library:list")).context["rows"][0]
    assert (counts.tv, counts.movies, counts.missing, counts.size) == (2, 0, 1, 20)


def test_list_query_count_does_not_grow(logged_in, tmp_path, django_assert_max_num_queries):
    for n in range(15):
        library = Library.objects.create(name=f"L{n}", root_path=str(tmp_path / f"l{n}"))
        _media(library, 1)
        Job.objects.create(kind="scan", lock_key=f"library:{library.pk}", status="succeeded")
    # The first view counts the libraries no scan has counted yet, and stores the counts.
    logged_in.get(reverse("library:list"))
    assert not Library.objects.filter(media_counts__isnull=True).exists()
    with django_assert_max_num_queries(8):
        assert logged_in.get(reverse("library:list")).status_code == 200


def test_add_library(logged_in, media_root):
    response = logged_in.post(
        reverse("library:add"),
        {"name": "Anime", "root_path": str(media_root), "kind": "anime", "enabled": "on"},
    )
    library = Library.objects.get()
    assert library.kind == Library.Kind.ANIME
    assert response.url == reverse("library:detail", args=[library.pk])
    assert library.video_extensions is None  # inherits the settings


@pytest.mark.parametrize(
    ("root", "message"),
    [
        ("/no/such/place", "does not exist"),
        ("relative", "not an absolute path"),
        ("/etc/hostname", "is a file"),
    ],
)
def test_add_library_refuses_bad_root(logged_in, root, message):
    response = logged_in.post(reverse("library:add"), {"name": "X", "root_path": root})
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["root_path"])
    assert not Library.objects.exists()


def test_add_library_refuses_overlap(logged_in, library, media_root):
    (media_root / "sub").mkdir()
    response = logged_in.post(
        reverse("library:add"), {"name": "Sub", "root_path": str(media_root / "sub")}
    )
    assert "lies inside the library" in str(response.context["form"].errors["root_path"])


def test_edit_library_overrides_and_disables(logged_in, library):
    response = logged_in.post(
        reverse("library:edit", args=[library.pk]),
        {
            "name": "Series",
            "root_path": library.root_path,
            "kind": "tv",
            "video_extensions": ".mkv\n.TS",
        },
    )
    assert response.status_code == 302
    library.refresh_from_db()
    assert (library.name, library.enabled, library.video_extensions) == (
        "Series",
        False,
        [".mkv", ".ts"],
    )


def test_edit_cannot_move_a_library_with_media(logged_in, library, tmp_path):
    _media(library, 1)
    other = tmp_path / "elsewhere"
    other.mkdir()
    response = logged_in.post(
        reverse("library:edit", args=[library.pk]), {"name": "TV", "root_path": str(other)}
    )
    assert "cannot change" in str(response.context["form"].errors["root_path"])


def test_delete_needs_confirmation_and_keeps_files(logged_in, library, media_root):
    (path,) = make_files(media_root, ["Show/Season 01/Show - S01E01.mkv"])
    _media(library, 1)
    page = logged_in.get(reverse("library:delete", args=[library.pk]))
    assert b"No file in" in page.content
    assert Library.objects.exists()
    response = logged_in.post(reverse("library:delete", args=[library.pk]))
    assert response.url == reverse("library:list")
    assert not Library.objects.exists() and not MediaFile.objects.exists()
    assert path.exists()


def test_scan_button_runs_a_background_job(logged_in, library, media_root, immediate_tasks):
    make_files(media_root, ["Show/Season 01/Show - S01E01.mkv"])
    response = logged_in.post(reverse("library:scan", args=[library.pk]))
    assert response.url == reverse("library:detail", args=[library.pk])
    job = Job.objects.get()
    assert (job.kind, job.status, job.summary["new"]) == ("scan", "succeeded", 1)
    status = logged_in.get(reverse("job_status", args=[job.pk])).json()
    assert status["status"] == "succeeded" and status["active"] is False
    assert MediaFile.objects.count() == 1


def test_scan_button_refuses_a_second_scan(logged_in, library):
    Job.objects.create(kind="scan", lock_key=f"library:{library.pk}", status="queued")
    response = logged_in.post(reverse("library:scan", args=[library.pk]), follow=True)
    assert "already queued" in response.content.decode()
    assert Job.objects.count() == 1


def test_scan_is_post_only(logged_in, library):
    assert logged_in.get(reverse("library:scan", args=[library.pk])).status_code == 405


def test_running_job_shows_progress(logged_in, library):
    job = Job.objects.create(
        kind="scan", lock_key=f"library:{library.pk}", status="running", done=5, total=10
    )
    response = logged_in.get(reverse("library:detail", args=[library.pk]))
    assert f'data-status-url="{reverse("job_status", args=[job.pk])}"'.encode() in response.content


def test_media_table_filters_sorts_and_paginates(logged_in, library):
    for n in range(1, 61):
        _media(library, n, season=1 if n <= 40 else 2)
    MediaFile.objects.create(
        library=library, path=f"{library.root_path}/x.avi", name="x.avi", media_type="UNKNOWN"
    )
    MediaFile.objects.create(
        library=library,
        path=f"{library.root_path}/Show/s01e01.en.srt",
        name="s01e01.en.srt",
        kind="subtitle",
    )
    url = reverse("library:detail", args=[library.pk])
    assert logged_in.get(url, {"kind": "subtitle"}).context["page_obj"].paginator.count == 1
    assert logged_in.get(url, {"kind": "all"}).context["page_obj"].paginator.count == 62
    first = logged_in.get(url)
    assert first.context["page_obj"].paginator.count == 61 and len(first.context["page_obj"]) == 50
    assert logged_in.get(url, {"season": 2}).context["page_obj"].paginator.count == 20
    assert logged_in.get(url, {"media_type": "UNKNOWN"}).context["page_obj"].paginator.count == 1
    assert logged_in.get(url, {"q": "s01e07"}).context["page_obj"].paginator.count == 1
    by_size = logged_in.get(url, {"sort": "size"}).context["page_obj"][0]
    assert by_size.size == 100
    second = logged_in.get(url, {"page": 2, "sort": "title"})
    assert len(second.context["page_obj"]) == 11
    assert "sort=title" in second.context["query"]


def test_media_table_reports_bad_filters(logged_in, library):
    _media(library, 1)
    response = logged_in.get(
        reverse("library:detail", args=[library.pk]), {"season": "soon", "sort": "evil"}
    )
    assert response.status_code == 200
    assert "season" in response.context["form"].errors and "sort" in response.context["form"].errors
    assert response.context["page_obj"].paginator.count == 1


def test_media_table_query_count_does_not_grow(logged_in, library, django_assert_max_num_queries):
    for n in range(1, 60):
        video = _media(library, n)
        MediaFile.objects.create(
            library=library,
            path=f"{library.root_path}/Show/s01e{n:02d}.en.srt",
            name=f"s01e{n:02d}.en.srt",
            kind="subtitle",
            video=video,
            language="en",
        )
    with django_assert_max_num_queries(9):
        assert logged_in.get(reverse("library:detail", args=[library.pk])).status_code == 200


def test_media_rows_show_every_badge_and_escape_what_the_files_say(logged_in, library):
    hostile = "<script>x</script> & Co"
    video = _media(
        library,
        3,
        name=f"{hostile}.mkv",
        title=hostile,
        year=2001,
        episodes=[3, 4],
        episode_title="<b>Pilot</b>",
        conflict="<i>folder says S02</i>",
        missing=True,
    )
    MediaFile.objects.create(
        library=library,
        path=f"{library.root_path}/Show/s01e03.en.forced.srt",
        name="<u>s01e03</u>.en.forced.srt",
        kind="subtitle",
        video=video,
        language="en",
        forced=True,
        sdh=True,
    )
    _media(
        library,
        9,
        name="trailer.mkv",
        extra_type="trailer",
        season=None,
        episodes=[],
        absolute_episode=12,
    )
    html = logged_in.get(reverse("library:detail", args=[library.pk])).content.decode()
    show = reverse("library:show", args=[library.pk])
    assert "<script>" not in html and "<b>Pilot" not in html and "<u>s01e03" not in html
    assert (
        f'<tr class="missing">\n    <td><a class="filename" href="'
        f'{reverse("library:media", args=[library.pk, video.pk])}">'
        "&lt;script&gt;x&lt;/script&gt; &amp; Co.mkv</a> "
        '<span class="badge warning" title="&lt;i&gt;folder says S02&lt;/i&gt;">'
        'folder and name disagree</span> <span class="badge warning">missing</span>'
    ) in html
    assert (
        '<span class="badge muted" title="&lt;u&gt;s01e03&lt;/u&gt;.en.forced.srt">'
        "en forced SDH</span></td>"
    ) in html
    assert '<td><span class="badge type-tv_show">TV show</span></td>' in html
    assert (
        f'<td><a href="{show}?title=%3Cscript%3Ex%3C/script%3E%20%26%20Co&amp;year=2001">'
        "&lt;script&gt;x&lt;/script&gt; &amp; Co</a> "
        '<span class="muted">\N{EN DASH} &lt;b&gt;Pilot&lt;/b&gt;</span></td>'
    ) in html
    assert '<td class="num">2001</td>' in html and "<td>S01E03E04</td>" in html
    assert '<span class="badge muted">trailer</span>' in html
    assert "<td>Show</td>" in html and '<td> <span class="muted">#12</span></td>' in html
    assert '<td class="num">100\xa0bytes</td>' in html


def test_show_view_groups_seasons_and_highlights_gaps(logged_in, library):
    for n in (1, 2, 4, 7):
        _media(library, n)
    _media(
        library, 1, season=0, media_type="TV_SPECIAL", path=f"{library.root_path}/Show/s00e01.mkv"
    )
    _media(library, 3, year=2005, path=f"{library.root_path}/Show (2005)/s01e03.mkv")
    response = logged_in.get(reverse("library:show", args=[library.pk]), {"title": "Show"})
    seasons = response.context["seasons"]
    assert [s.number for s in seasons] == [0, 1]
    assert seasons[1].gaps == [3, 5, 6]
    assert b"Missing episodes: 3, 5, 6" in response.content


def test_show_view_of_unknown_title_redirects_with_message(logged_in, library):
    response = logged_in.get(reverse("library:show", args=[library.pk]), {"title": "Nope"})
    assert response.status_code == 302


def test_unknown_library_is_404(logged_in):
    assert logged_in.get(reverse("library:detail", args=[999])).status_code == 404
    assert logged_in.post(reverse("library:scan", args=[999])).status_code == 404


def test_admin_applies_the_library_root_rules(admin_client, library, media_root):
    (media_root / "inner").mkdir()
    response = admin_client.post(
        "/admin/library/library/add/",
        {"name": "Inner", "root_path": str(media_root / "inner"), "enabled": "on"},
    )
    assert response.status_code == 200
    assert "lies inside the library" in response.content.decode()
    assert Library.objects.count() == 1


def test_edit_refuses_bad_extension_overrides(logged_in, library):
    response = logged_in.post(
        reverse("library:edit", args=[library.pk]),
        {"name": "TV", "root_path": library.root_path, "video_extensions": "mkv\nfoo bar"},
    )
    assert response.status_code == 200
    assert "starts with a dot" in str(response.context["form"].errors["video_extensions"])
    library.refresh_from_db()
    assert library.video_extensions is None


def test_library_whose_folder_is_gone_can_still_be_disabled(logged_in, library, media_root):
    media_root.rmdir()
    response = logged_in.post(
        reverse("library:edit", args=[library.pk]),
        {"name": "TV (unplugged)", "root_path": library.root_path, "kind": "mixed"},
    )
    assert response.status_code == 302
    library.refresh_from_db()
    assert (library.name, library.enabled) == ("TV (unplugged)", False)


def test_a_symlink_to_another_librarys_folder_is_refused(logged_in, library, media_root, tmp_path):
    link = tmp_path / "link"
    link.symlink_to(media_root)
    response = logged_in.post(reverse("library:add"), {"name": "Again", "root_path": str(link)})
    assert "is already the folder of the library" in str(
        response.context["form"].errors["root_path"]
    )


def test_delete_is_refused_while_a_job_runs(logged_in, library):
    jobs_claim(kind=JobKind.SCAN, locks=[library_lock(library)])
    response = logged_in.post(reverse("library:delete", args=[library.pk]), follow=True)
    assert "was not removed" in response.content.decode()
    assert Library.objects.filter(pk=library.pk).exists()


def test_form_pages_answer_only_get_and_post(logged_in, library):
    for url in [
        reverse("library:add"),
        reverse("library:edit", args=[library.pk]),
        reverse("library:delete", args=[library.pk]),
        reverse("settings"),
    ]:
        assert logged_in.put(url).status_code == 405, url
        assert logged_in.delete(url).status_code == 405, url
    assert Library.objects.filter(pk=library.pk).exists()


def test_show_view_keeps_shows_of_different_years_apart(logged_in, library):
    _media(library, 3, year=2005)
    response = logged_in.get(
        reverse("library:show", args=[library.pk]), {"title": "Show", "year": "2005"}
    )
    (season,) = response.context["seasons"]
    assert [m.episode for m in season.episodes] == [3]


def test_show_view_query_count_does_not_grow(logged_in, library, django_assert_max_num_queries):
    for n in range(1, 40):
        _media(library, n)
    with django_assert_max_num_queries(6):
        assert (
            logged_in.get(reverse("library:show", args=[library.pk]), {"title": "Show"}).status_code
            == 200
        )


def test_library_pages_read_only_the_newest_job(logged_in, library):
    for status in ["succeeded"] * 30 + ["failed"]:
        Job.objects.create(kind="scan", lock_key=f"library:{library.pk}", status=status)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = logged_in.get(reverse("library:detail", args=[library.pk]))
    assert response.context["job"].status == "failed"
    assert any(
        '"plexomatic_site_job"."id" IN (SELECT' in q["sql"] for q in queries.captured_queries
    )


def test_media_page_shows_what_was_recognised_and_why(logged_in, library):
    media = MediaFile.objects.create(
        library=library,
        path=f"{library.root_path}/Show/Season 02/Show.S03E01.mkv",
        name="Show.S03E01.mkv",
        media_type="TV_SHOW",
        title="Show",
        season=3,
        episode=1,
        episodes=[1],
        recognition_rule="season_episode",
        name_said="Show, season 3, episode 1",
        folder_said="show Show; season 2",
        conflict="The folder says season 2; the name says season 3.",
    )
    page = logged_in.get(reverse("library:media", args=[library.pk, media.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    for text in ("season_episode", "Show, season 3, episode 1", "show Show; season 2"):
        assert text in html
    assert "Folder and name disagree: The folder says season 2" in html
    listed = logged_in.get(reverse("library:detail", args=[library.pk]), {"conflict": "yes"})
    assert "folder and name disagree" in listed.content.decode()
    assert media.name in listed.content.decode()


def test_media_page_of_another_library_is_404(logged_in, library, tmp_path):
    other = Library.objects.create(name="Other", root_path=str(tmp_path))
    media = MediaFile.objects.create(library=other, path=f"{tmp_path}/a.mkv", name="a.mkv")
    assert logged_in.get(reverse("library:media", args=[library.pk, media.pk])).status_code == 404


def test_the_library_page_lists_what_the_ignore_rules_excluded(logged_in, library, media_root):
    from library.services.scan import library_scan

    make_files(
        media_root,
        [
            "Film (2001)/Film (2001).mkv",
            "Film (2001)/Film (2001)-SAMPLE.mkv",
            "Extras/Sample/a.mkv",
        ],
    )
    library_scan(library=library)
    html = logged_in.get(reverse("library:detail", args=[library.pk])).content.decode()
    assert (
        "Last scan: 2 seen = 0 unchanged + 1 new + 0 changed + 0 moved + 1 excluded "
        "(and 1 folder left out)"
    ) in html
    assert "Excluded by the ignore rules" in html
    assert "<code>Film (2001)/Film (2001)-SAMPLE.mkv</code></td><td><code>*-sample.*</code>" in html
    assert '<code>Extras/Sample/</code> <span class="badge muted">folder</span>' in html


def test_a_library_with_nothing_excluded_shows_no_excluded_list(logged_in, library, media_root):
    from library.services.scan import library_scan

    make_files(media_root, ["Film (2001)/Film (2001).mkv"])
    library_scan(library=library)
    html = logged_in.get(reverse("library:detail", args=[library.pk])).content.decode()
    assert "Excluded by the ignore rules" not in html and "1 seen = 0 unchanged + 1 new" in html
