"""Rename preview → Apply (a background job) → history → rollback, in a real browser
against the real server process and its worker."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

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


def test_preview_apply_and_roll_back_from_the_browser(server, page, tmp_path):
    root = tmp_path / "tv"
    root.mkdir()
    server.manage("migrate", "--verbosity", "0")
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SETUP],
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        env={**server.env(), "LIBRARY_ROOT": str(root)},
        check=True,
    )
    server.start()
    page.goto(server.url + "/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Rename", exact=True).click()
    expect(page.get_by_text("Show (2019)/Season 01/Show (2019) - s01e01.mkv")).to_be_visible()
    page.get_by_label("Rename show.s01e03.mkv").uncheck()
    page.get_by_role("button", name="Apply the ticked renames on this page").click()
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
