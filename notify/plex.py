"""Plex Media Server's API, the two calls used: list the library sections, refresh a folder.

Plex answers XML unless asked for JSON (`Accept: application/json`); both
shapes are read, since proxies and older servers differ:

    {"MediaContainer": {"Directory": [{"key": "1", "type": "show", "title": "TV",
        "Location": [{"id": 1, "path": "/data/tv"}]}]}}

    <MediaContainer><Directory key="1" type="show" title="TV">
        <Location id="1" path="/data/tv"/></Directory></MediaContainer>

A partial refresh is `GET /library/sections/{key}/refresh?path=<folder as Plex
sees it>`: Plex scans that folder (and what is inside it) in the background
and answers at once, with an empty body.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote, urlencode
from xml.etree import ElementTree

from notify.client import Reply, http_request
from notify.errors import NotifyError

# Who is asking, as Plex's clients say it; Plex lists it among the devices.
_CLIENT = {
    "X-Plex-Product": "Plex-o-matic",
    "X-Plex-Client-Identifier": "plexomatic",
    "Accept": "application/json",
}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    kind: str
    locations: tuple[str, ...]


def _headers(token: str) -> dict[str, str]:
    # No token: a server that lets this network in without one (Plex's "List of IP
    # addresses and networks that are allowed without auth").
    return {**_CLIENT, "X-Plex-Token": token} if token else dict(_CLIENT)


def sections_fetch(*, url: str, token: str) -> list[Section]:
    """The server's library sections; NotifyError with a sentence when it cannot tell."""
    reply = http_request(f"{url}/library/sections", headers=_headers(token))
    directories = _directories(reply)
    sections = []
    for item in directories:
        key, title = str(item.get("key", "")), str(item.get("title", ""))
        paths = tuple(str(loc["path"]) for loc in item.get("Location", []) if loc.get("path"))
        if key.isdigit():
            sections.append(Section(key, title, str(item.get("type", "")), paths))
    return sections


def _not_plex(reply: Reply) -> NotifyError:
    shown = reply.content_type.split(";")[0] or "no content type"
    return NotifyError(
        f"The server answered, but not as Plex does ({shown}): check that the address is the "
        "Plex Media Server's own (usually port 32400), not a web page or proxy in front of it."
    )


def _directories(reply: Reply) -> list[dict]:
    """The Directory entries of /library/sections, each with its Location list."""
    text = reply.body.lstrip()
    if text.startswith(b"{"):
        try:
            container = json.loads(text)["MediaContainer"]
        except (ValueError, KeyError, TypeError):
            raise _not_plex(reply) from None
        directories = container.get("Directory", []) if isinstance(container, dict) else None
        if not isinstance(directories, list):
            raise _not_plex(reply)
        return [d for d in directories if isinstance(d, dict)]
    if text.startswith(b"<?xml") or text.startswith(b"<MediaContainer"):
        try:
            root = ElementTree.fromstring(text)  # noqa: S314  (no entities: Plex's own answer)
        except ElementTree.ParseError:
            raise _not_plex(reply) from None
        if root.tag == "MediaContainer":
            return [
                {**d.attrib, "Location": [loc.attrib for loc in d.iter("Location")]}
                for d in root.iter("Directory")
            ]
    raise _not_plex(reply)


def section_refresh(*, url: str, token: str, section: str, path: str) -> None:
    """Ask Plex to scan one folder of a section (as Plex sees the folder)."""
    query = urlencode({"path": path}, quote_via=quote)
    reply = http_request(
        f"{url}/library/sections/{quote(section, safe='')}/refresh?{query}",
        headers=_headers(token),
    )
    # Plex answers with an empty body; a web page is some other server's "OK".
    if reply.body.strip() and "html" in reply.content_type:
        raise _not_plex(reply)
