"""The backups page in a real browser against the real server process."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_back_up_now_then_restore_it(server, page):
    server.start()
    page.goto(server.url + "/setup/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password", exact=True).fill("correct-horse-battery")
    page.get_by_label("Password confirmation").fill("correct-horse-battery")
    page.get_by_role("button", name="Create administrator").click()
    page.wait_for_url(server.url + "/")

    page.get_by_role("link", name="Backups", exact=True).click()
    expect(page.get_by_role("heading", name="Backups", exact=True)).to_be_visible()
    page.get_by_label("Note").fill("from the browser")
    page.get_by_role("button", name="Back up now").click()
    # serve's worker takes it; the job page follows it to the end.
    expect(page.locator(".job-status")).to_have_text("Succeeded")
    page.get_by_role("link", name="Back to backups").click()
    row = page.locator("tbody tr", has_text="from the browser")
    expect(row).to_have_count(1)
    expect(row.get_by_text("verified", exact=True)).to_be_visible()

    row.get_by_role("link", name=re.compile("^Restore")).click()
    page.get_by_label("Yes, I understand").check()
    page.get_by_role("button", name="Restore this backup").click()
    expect(page.get_by_text(re.compile(r"^Restored plexomatic-"))).to_be_visible()
    expect(page.locator("tbody tr", has_text="Before restore")).to_have_count(1)
    assert server.stop()[0] == 0
