"""A library added and scanned in a real browser, the scan running in serve's worker."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NAMES = [
    "Show Name (2019)/Season 01/Show Name (2019) - s01e01 - Pilot.mkv",
    "Show Name (2019)/Season 01/Show Name (2019) - s01e02 - Second.mkv",
    "Show Name (2019)/Season 01/Show Name (2019) - s01e04 - Fourth.mkv",
    "Movies/Heat (1995)/Heat (1995).mkv",
    # Left out by the default ignore pattern *-sample.*, and listed as excluded.
    "Movies/Heat (1995)/Heat (1995)-SAMPLE.mkv",
]


def test_add_scan_and_browse_a_library(server, page, tmp_path):
    media = tmp_path / "media"
    for name in NAMES:
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(b"video")
    server.manage("migrate")
    server.manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; User.objects.create_user('u', password='pw-long-enough-1')",
    )
    server.start()
    page.goto(server.url + "/login/")
    page.get_by_label("Username").fill("u")
    page.get_by_label("Password").fill("pw-long-enough-1")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Libraries").click()
    page.get_by_role("link", name="Add library").click()
    page.get_by_label("Name").fill("Everything")
    page.get_by_label("Folder").fill("/no/such/folder")
    page.get_by_role("button", name="Add library").click()
    expect(page.get_by_text("/no/such/folder does not exist.")).to_be_visible()
    page.get_by_label("Folder").fill(str(media))
    page.get_by_role("button", name="Add library").click()
    expect(page.get_by_text("Scan it to find its media")).to_be_visible()

    page.get_by_role("button", name="Scan").click()
    # The worker thread in serve runs the job; the page polls and reloads when done.
    expect(
        page.get_by_text(
            "Last scan: 5 seen = 0 unchanged + 4 new + 0 changed + 0 moved + 1 excluded"
        )
    ).to_be_visible(timeout=30_000)
    rows = page.locator("table.media tbody tr")
    expect(rows).to_have_count(4)
    excluded = page.get_by_role("region", name="Excluded by the ignore rules")
    expect(excluded.get_by_role("row")).to_have_count(2)  # the header and the sample
    expect(excluded.get_by_role("row").nth(1)).to_have_text(
        "Movies/Heat (1995)/Heat (1995)-SAMPLE.mkv*-sample.*"
    )

    page.get_by_role("link", name="Show Name", exact=True).first.click()
    expect(page.get_by_role("heading", name="Season 1")).to_be_visible()
    expect(page.get_by_text("Missing episode: 3")).to_be_visible()

    page.goto(server.url + "/")
    expect(page.get_by_role("link", name="Everything")).to_be_visible()
    assert re.search(r"\b3\b", page.locator("table").first.inner_text())
    assert server.stop()[0] == 0
