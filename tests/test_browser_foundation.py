"""First run in a real browser against the real server process."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_first_run_login_overview_and_settings_revert(server, page):
    server.start()
    page.goto(server.url + "/")
    # Anonymous, no user yet: login sends us on to first-run setup.
    page.wait_for_url(re.compile(r"/setup/$"))
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password", exact=True).fill("correct-horse-battery")
    page.get_by_label("Password confirmation").fill("correct-horse-battery")
    page.get_by_role("button", name="Create administrator").click()
    page.wait_for_url(server.url + "/")
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    expect(page.get_by_text("No libraries yet.")).to_be_visible()

    # Log out (a POST) and back in.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/login/"))
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(server.url + "/")

    # Change a setting, then revert it from its history.
    page.get_by_role("link", name="Settings", exact=True).click()
    page.get_by_label("Backup interval (hours)").fill("6")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Saved: Backup interval (hours).")).to_be_visible()
    expect(page.get_by_label("Backup interval (hours)")).to_have_value("6")
    page.get_by_role("link", name="History of Backup interval (hours)").click()
    rows = page.locator("table.history tbody tr")
    expect(rows).to_have_count(2)
    page.get_by_role("button", name=re.compile("Revert to the value of")).first.click()
    expect(page.get_by_text("is back to an earlier value")).to_be_visible()
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator("td").nth(3)).to_have_text("24")
    expect(rows.nth(0).get_by_text("current")).to_be_visible()

    # Garbage is refused with a message and nothing is saved.
    page.get_by_role("link", name="Settings", exact=True).click()
    page.get_by_label("Video extensions").fill("mkv")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("nothing was saved")).to_be_visible()
    expect(page.get_by_text("Each extension starts with a dot")).to_be_visible()
    assert server.stop()[0] == 0
