"""A real site with something on every page, for the accessibility and screenshot tests.

Two libraries of small real files, scanned; the TV one renamed (one batch),
and part of it rolled back; the movies left to preview; two backups, one of
them uploaded. Everything goes through the real management commands and the
real `serve` process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from conftest import ServerProcess

USERNAME, PASSWORD = "admin", "correct-horse-battery"

TV = [f"Example.Show.2019.S01E0{n}.1080p.mkv" for n in range(1, 6)]
MOVIES = [
    "Some.Movie.2001.1080p.BluRay.x264.mkv",
    "Another.Film.1999.720p.mkv",
    "Third.Picture.2015.2160p.mkv",
]


@dataclass(frozen=True)
class Site:
    server: ServerProcess
    media_root: Path

    @property
    def url(self) -> str:
        return self.server.url


def _write(folder: Path, names: list[str]) -> None:
    folder.mkdir(parents=True)
    for number, name in enumerate(names):
        (folder / name).write_bytes(b"video %d " % number * 64)


def site_build(server: ServerProcess, root: Path) -> Site:
    """Seed the data folder through the commands, then start `serve`."""
    _write(root / "tv", TV)
    _write(root / "movies", MOVIES)
    server.manage("migrate", "--verbosity", "0")
    server.manage("createlibrary", "TV", str(root / "tv"))
    server.manage("createlibrary", "Movies", str(root / "movies"))
    server.manage("scan", "--no-progress")
    server.manage("apply", "--library", "TV", "--yes", "--no-progress")
    server.manage("rollback", "--operation", "1", "--yes", "--no-progress")
    server.manage("scan", "--no-progress")  # the Plex check counts the renamed paths
    server.manage("backup", "--note", "before the big rename", "--no-progress")
    server.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        f"get_user_model().objects.create_superuser({USERNAME!r}, password={PASSWORD!r})",
    )
    server.start()
    return Site(server=server, media_root=root)


def log_in(page, site: Site) -> None:
    page.goto(site.url + "/login/")
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(site.url + "/")


def axe_violations(page) -> list[dict]:
    """Run axe-core (every rule it has) on the page: its violations, each with its nodes."""
    # Loaded from the site's own static files: its CSP refuses inline scripts.
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
    return json.loads(result)["violations"]


def dangling_aria_references(page) -> list[str]:
    """`aria-describedby="x"` (and labelledby, controls) where no element has id x."""
    return page.evaluate(
        """() => {
          const found = [];
          for (const attr of ["aria-describedby", "aria-labelledby", "aria-controls"]) {
            for (const el of document.querySelectorAll(`[${attr}]`)) {
              for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
                if (!document.getElementById(id)) found.push(`${attr}="${id}"`);
              }
            }
          }
          return found;
        }"""
    )


def sideways_overflow(page) -> list[str]:
    """Elements that stick out past the right edge of the window (the page scrolls sideways)."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= width) return [];
          const out = [];
          for (const el of document.body.querySelectorAll("*")) {
            const box = el.getBoundingClientRect();
            if (box.right > width + 1 && box.width > 0) {
              out.push(`${el.tagName.toLowerCase()}.${el.className} (right edge ${Math.round(box.right)} px)`);
            }
          }
          return out.slice(0, 5);
        }"""
    )
