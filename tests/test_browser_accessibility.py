"""Every page passes axe-core (WCAG 2.1 AA and best practice) in both themes and on a phone.

A serious or critical violation on any page fails; the message lists each
rule, its page and the first offending elements, so one run shows all of them.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import ServerProcess, free_port
from tests.browser_site import (
    axe_violations,
    dangling_aria_references,
    log_in,
    sideways_overflow,
    site_build,
)

pytestmark = pytest.mark.browser

FAILING = frozenset({"serious", "critical"})
# Landmarks and headings in order: axe rates these moderate, the issue requires them.
STRUCTURE = frozenset(
    {"heading-order", "page-has-heading-one", "landmark-one-main", "region", "landmark-unique"}
)

# Every page a user can reach, with the seeded site's ids (library 1 is TV, 2 Movies).
PAGES = [
    "/",
    "/libraries/",
    "/libraries/add/",
    "/libraries/1/",
    "/libraries/1/edit/",
    "/libraries/1/delete/",
    "/libraries/1/show/?title=Example+Show&year=2019",
    "/libraries/1/media/4/",
    "/libraries/1/plex-check/",
    "/rename/",
    "/rename/?library=2",
    "/history/",
    "/history/?view=files",
    "/history/batch/1/",
    "/history/batch/1/rollback/",
    "/history/operation/2/rollback/",
    "/settings/",
    "/settings/backup_interval_hours/",
    "/jobs/3/",
    "/backups/",
    "/backups/1/restore/",
    "/backups/1/delete/",
]
NOT_FOUND = "/no-such-page/"

PHONE_WIDTH = 390
VARIANTS = {
    "light": {"color_scheme": "light", "viewport": {"width": 1280, "height": 900}},
    "dark": {"color_scheme": "dark", "viewport": {"width": 1280, "height": 900}},
    "phone": {"color_scheme": "light", "viewport": {"width": PHONE_WIDTH, "height": 844}},
    "phone-dark": {"color_scheme": "dark", "viewport": {"width": PHONE_WIDTH, "height": 844}},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("a11y")
    server = ServerProcess(data_dir=root / "data", port=free_port())
    yield site_build(server, root / "media")
    assert server.stop()[0] == 0


def _check(page, path: str) -> list[str]:
    """The page's failing axe violations, its ARIA references to missing ids and,
    on a phone, what makes it scroll sideways."""
    violations = [v for v in axe_violations(page) if v["impact"] in FAILING or v["id"] in STRUCTURE]
    lines = _report(path, violations)
    lines += [f"{path}: {ref} names no element" for ref in dangling_aria_references(page)]
    if page.viewport_size["width"] <= PHONE_WIDTH:
        lines += [f"{path}: scrolls sideways: {what}" for what in sideways_overflow(page)]
    return lines


def _report(path: str, violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        why = violation["nodes"][0]["failureSummary"].replace("\n", " ")
        lines.append(
            f"{path}: {violation['id']} ({violation['impact']}, {len(violation['nodes'])} "
            f"element(s): {targets}): {violation['help']}. {why}"
        )
    return lines


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_page_passes_axe(browser, site, variant):
    context = browser.new_context(**VARIANTS[variant])
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    try:
        page.goto(site.url + "/login/")
        problems += _check(page, "/login/")
        log_in(page, site)
        for path in PAGES:
            response = page.goto(site.url + path)
            assert response is not None and response.status == 200, path
            problems += _check(page, path)
        # A form sent back with errors: each input's aria-describedby names its error.
        page.goto(site.url + "/libraries/add/")
        page.get_by_label("Name").fill("Broken")
        page.get_by_label("Folder").fill("relative/path")
        page.get_by_role("button", name="Add library").click()
        expect(page.locator(".field.has-error").first).to_be_visible()
        problems += _check(page, "/libraries/add/ (with errors)")
        response = page.goto(site.url + NOT_FOUND)
        assert response is not None and response.status == 404
        problems += _check(page, NOT_FOUND)
    finally:
        context.close()
    assert not problems, f"{len(problems)} serious or critical axe violation(s):\n" + "\n".join(
        problems
    )


def test_setup_page_passes_axe(server, page):
    server.start()
    page.goto(server.url + "/setup/")
    expect(page.get_by_role("button", name="Create administrator")).to_be_visible()
    assert _check(page, "/setup/") == []


def test_tables_are_labelled_cards_on_a_phone_and_columns_on_a_desktop(browser, site):
    for width, display in ((PHONE_WIDTH, "block"), (1280, "table-row")):
        context = browser.new_context(viewport={"width": width, "height": 844})
        page = context.new_page()
        try:
            log_in(page, site)
            page.goto(site.url + "/backups/")
            row = page.locator("table.cards tbody tr").first
            assert row.evaluate("el => getComputedStyle(el).display") == display
            size = row.locator("td.num").first
            assert size.get_attribute("data-label") == "Size"
            if width == PHONE_WIDTH:
                # The label is drawn before the value, and the row's buttons fit a thumb.
                label = size.evaluate("el => getComputedStyle(el, '::before').content")
                assert label == '"Size"'
                verify = row.get_by_role("button", name="Verify")
                assert verify.bounding_box()["height"] >= 44
        finally:
            context.close()
