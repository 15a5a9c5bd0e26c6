"""Screenshots of the overview, the rename workbench and the backups page, light and dark.

`make screenshots` runs this with PLEXOMATIC_SCREENSHOT_DIR=docs/screenshots,
which the README shows; otherwise they go to a temporary folder, so the test
still checks that every page draws.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from conftest import ServerProcess, free_port
from tests.browser_site import log_in, site_build

pytestmark = pytest.mark.browser

SHOTS = {"overview": "/", "rename": "/rename/?library=2", "backups": "/backups/"}
VIEWPORT = {"width": 1280, "height": 860}


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("shots")
    server = ServerProcess(data_dir=root / "data", port=free_port())
    yield site_build(server, root / "media")
    assert server.stop()[0] == 0


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots(browser, site, tmp_path, scheme):
    folder = Path(os.environ.get("PLEXOMATIC_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(color_scheme=scheme, viewport=VIEWPORT)
    page = context.new_page()
    try:
        log_in(page, site)
        for name, path in SHOTS.items():
            response = page.goto(site.url + path)
            assert response is not None and response.status == 200, path
            shot = folder / f"{name}-{scheme}.png"
            page.screenshot(path=shot)
            assert _png_size(shot) == (VIEWPORT["width"], VIEWPORT["height"])
    finally:
        context.close()
