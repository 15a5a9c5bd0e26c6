"""Rename preview → Apply (a background job) → history → rollback, in a real browser
against the real server process and its worker."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser_site import axe_violations

pytestmark = pytest.mark.browser

SETUP = """
import os
from django.contrib.auth import get_user_model
from library.models import Library, MediaFile
from library.services.plan_store import plan_refresh
get_user_model().objects.create_user("admin", password="correct-horse-battery")
root = os.environ["LIBRARY_ROOT"]
library = Library.objects.create(name="TV", root_path=root)
for n in (1, 2, 3):
    path = os.path.join(root, f"show.s01e0{n}.mkv")
    with open(path, "wb") as handle:
        handle.write(b"episode %d" % n)
    MediaFile.objects.create(
        library=library, path=path, name=os.path.basename(path), media_type="TV_SHOW",
        title="Show", year=2019, season=1, episode=n, episodes=[n],
    )
plan_refresh(library)  # as the scan that found them would
"""


def files(root) -> list[str]:
    return sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _, names in os.walk(root)
        for name in names
    )


def _serve_logged_in(server, page, root, setup: str) -> None:
    """Migrate, run `setup` in a shell against the server's database, start it, log in."""
    server.manage("migrate", "--verbosity", "0")
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", setup],
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        env={**server.env(), "LIBRARY_ROOT": str(root)},
        check=True,
    )
    server.start()
    page.goto(server.url + "/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()


def test_preview_apply_and_roll_back_from_the_browser(server, page, tmp_path):
    root = tmp_path / "tv"
    root.mkdir()
    _serve_logged_in(server, page, root, SETUP)

    page.get_by_role("link", name="Rename", exact=True).click()
    expect(page.get_by_text("Show (2019)/Season 01/Show (2019) - s01e01.mkv")).to_be_visible()
    page.get_by_label("Rename show.s01e03.mkv").uncheck()
    page.get_by_role("button", name="Apply the 2 selected renames").click()
    # The job page polls its status and reloads when the worker has finished.
    expect(page.get_by_text("Succeeded")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("2 renamed (batch")).to_be_visible()
    assert files(root) == [
        "Show (2019)/Season 01/Show (2019) - s01e01.mkv",
        "Show (2019)/Season 01/Show (2019) - s01e02.mkv",
        "show.s01e03.mkv",
    ]

    page.get_by_role("link", name=re.compile(r"Open batch \d+")).click()
    expect(page.get_by_text("2 completed")).to_be_visible()
    page.get_by_role("link", name="Roll back this batch…").click()
    page.get_by_label("Yes, move these files back").check()
    page.get_by_role("button", name="Roll back").click()
    expect(page.get_by_text("Succeeded")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Rolled back 2 of 2 operation(s).")).to_be_visible()
    assert files(root) == ["show.s01e01.mkv", "show.s01e02.mkv", "show.s01e03.mkv"]

    page.get_by_role("link", name="Overview", exact=True).click()
    expect(
        page.get_by_role("link", name=re.compile(r"^Batch \d+: 2 files rolled back$"))
    ).to_be_visible()

    # History lists the batch; its per-file view lists the two operations.
    page.get_by_role("link", name="History", exact=True).click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(
        page.get_by_role("link", name=re.compile(r"^2 rolled back in batch \d+$"))
    ).to_be_visible()
    page.get_by_role("link", name="Files", exact=True).click()
    page.get_by_label("Status").select_option("rolled_back")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tbody tr")).to_have_count(2)
    assert server.stop()[0] == 0


# 500 episodes of two shows, 250 each: three preview pages of 200.
SETUP_500 = """
import os
from django.contrib.auth import get_user_model
from library.models import Library, MediaFile
from library.services.plan_store import plan_refresh
get_user_model().objects.create_user("admin", password="correct-horse-battery")
root = os.environ["LIBRARY_ROOT"]
library = Library.objects.create(name="TV", root_path=root)
rows = []
for title in ("Alpha", "Beta"):
    for n in range(1, 251):
        path = os.path.join(root, f"{title.lower()}.s01e{n:03d}.mkv")
        with open(path, "wb") as handle:
            handle.write(b"episode %d" % n)
        rows.append(MediaFile(
            library=library, path=path, name=os.path.basename(path), media_type="TV_SHOW",
            title=title, year=2019, season=1, episode=n, episodes=[n],
        ))
MediaFile.objects.bulk_create(rows)
plan_refresh(library)
"""


def test_the_workbench_selects_across_pages_searches_and_toggles_from_the_keyboard(
    server, page, tmp_path
):
    root = tmp_path / "tv"
    root.mkdir()
    _serve_logged_in(server, page, root, SETUP_500)
    page.get_by_role("link", name="Rename", exact=True).click()
    apply = page.locator(".workbench-apply button")
    expect(apply).to_have_text("Apply the 500 selected renames")
    expect(page.get_by_text("500 of 500 selected")).to_be_visible()
    expect(page.get_by_role("button", name="Apply the ticked renames on this page")).to_be_hidden()

    # Select none, then all, over every page: the count says so and so do the boxes.
    page.get_by_role("button", name="Select none").click()
    expect(apply).to_have_text("Apply the 0 selected renames")
    expect(apply).to_be_disabled()
    expect(page.locator("input[name=media]:checked")).to_have_count(0)
    page.get_by_role("button", name="Select all 500 matching").click()
    expect(page.locator("input[name=media]:checked")).to_have_count(200)
    expect(apply).to_have_text("Apply the 500 selected renames")

    # Keyboard: j moves to the first row (visibly focused), space unticks it, j, k and
    # the arrows move on; the selection holds on another page and back.
    page.locator("h1").click()
    page.keyboard.press("j")
    first = page.locator("tr[data-row]").nth(0)
    expect(first).to_be_focused()
    assert first.evaluate("row => getComputedStyle(row).outlineStyle") == "solid"
    page.keyboard.press(" ")
    expect(page.get_by_label("Rename alpha.s01e001.mkv")).not_to_be_checked()
    page.keyboard.press("j")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("k")
    expect(page.locator("tr[data-row]").nth(1)).to_be_focused()
    page.keyboard.press(" ")
    expect(page.get_by_label("Rename alpha.s01e002.mkv")).not_to_be_checked()
    expect(apply).to_have_text("Apply the 498 selected renames")
    page.get_by_role("link", name="Next").first.click()
    expect(apply).to_have_text("Apply the 498 selected renames")
    page.get_by_role("link", name="Previous").first.click()
    expect(page.get_by_label("Rename alpha.s01e001.mkv")).not_to_be_checked()
    expect(page.get_by_label("Rename alpha.s01e003.mkv")).to_be_checked()

    # A group's box selects that show's renames on the page.
    page.get_by_label("Select the renames of Alpha on this page").check()
    expect(apply).to_have_text("Apply the 500 selected renames")

    # Search: the selection is of the matches; untick one and apply the rest.
    page.get_by_label("Search paths").fill("beta.s01e00")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator("input[name=media]")).to_have_count(9)
    expect(apply).to_have_text("Apply the 9 selected renames")
    page.get_by_label("Rename beta.s01e005.mkv").focus()
    page.keyboard.press(" ")
    page.get_by_role("button", name="Apply the 8 selected renames").click()
    expect(page.get_by_text("Succeeded")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("8 renamed (batch")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Took \d"))).to_be_visible()
    expect(page.get_by_text("No background worker")).to_have_count(0)
    renamed = [name for name in files(root) if name.startswith("Beta (2019)/")]
    assert renamed == [
        f"Beta (2019)/Season 01/Beta (2019) - s01e{n:02d}.mkv" for n in (1, 2, 3, 4, 6, 7, 8, 9)
    ]
    assert len(files(root)) == 500
    assert server.stop()[0] == 0


# An inbox of three finished episodes and a partial download, imported by hard link into
# a library that has the fourth episode already, in 2160p.
SETUP_INBOX = """
import os
from django.contrib.auth import get_user_model
from inbox.models import InboxFolder
from library.models import Library
from library.services.scan import library_scan
get_user_model().objects.create_user("admin", password="correct-horse-battery")
root = os.environ["LIBRARY_ROOT"]
inbox = os.path.join(os.path.dirname(root), "downloads")
os.makedirs(inbox)
names = ["Amber.Road.S01E0%d.1080p.WEB-DL.x264-GRP.mkv" % n for n in (1, 3, 4)]
for name in names + ["Amber.Road.S01E02.mkv.part"]:
    path = os.path.join(inbox, name)
    with open(path, "wb") as handle:
        handle.write(name.encode())
    os.utime(path, (1_600_000_000, 1_600_000_000))
old = os.path.join(root, "Amber Road", "Season 01", "Amber Road - s01e04 - 2160p.mkv")
os.makedirs(os.path.dirname(old))
with open(old, "wb") as handle:
    handle.write(b"the 2160p one, bigger" * 100)
tv = Library.objects.create(name="TV", root_path=root)
library_scan(library=tv)
InboxFolder.objects.create(name="Downloads", path=inbox, library=tv)
"""


def test_the_import_preview_is_the_workbench_and_imports_from_the_browser(server, page, tmp_path):
    root = tmp_path / "tv"
    root.mkdir()
    _serve_logged_in(server, page, root, SETUP_INBOX)
    page.goto(server.url + "/inbox/")
    page.get_by_role("link", name="Downloads").click()
    stats = page.get_by_role("region", name="What this import does")
    expect(stats.locator(".plan-stats")).to_contain_text("2 to import")
    expect(stats.locator(".plan-stats")).to_contain_text("1 duplicate")
    rows = page.locator("tr[data-row]")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("Amber Road/Season 01/Amber Road - s01e01.mkv")
    expect(rows.nth(0).locator(".badge.ok")).to_have_text("Hard link")
    expect(rows.nth(2)).to_contain_text("partial download")
    # The setting's rule keeps the bigger 2160p file; its box stays ticked for a choice.
    duplicate = rows.nth(3)
    expect(duplicate).to_contain_text("target exists")
    apply = page.locator(".workbench-apply button")
    expect(apply).to_have_text("Import the 3 selected files")
    # Without the script's bar, the page's own buttons; with it, they are hidden.
    expect(page.get_by_role("button", name="Import all 2 ready files")).to_be_hidden()
    assert axe_violations(page) == []

    # From the keyboard: the second row, unticked.
    page.locator("h1").click()
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press(" ")
    expect(
        page.get_by_label("Import Amber.Road.S01E03.1080p.WEB-DL.x264-GRP.mkv")
    ).not_to_be_checked()
    expect(apply).to_have_text("Import the 2 selected files")
    duplicate.locator("select").select_option("keep_both")
    apply.click()
    expect(page.get_by_text("Succeeded")).to_be_visible(timeout=30_000)
    assert files(root) == [
        "Amber Road/Season 01/Amber Road - s01e01.mkv",
        "Amber Road/Season 01/Amber Road - s01e04 - 1080p.mkv",
        "Amber Road/Season 01/Amber Road - s01e04 - 2160p.mkv",
    ]
    assert server.stop()[0] == 0
