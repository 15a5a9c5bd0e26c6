"""A small Plex Media Server for the tests: the two endpoints Plex-o-matic uses.

It speaks Plex's protocol: the token in the X-Plex-Token header (401 with
Plex's HTML page without the right one), XML unless the client accepts
JSON, `/library/sections` as a MediaContainer of Directory entries with
their Location paths, and `/library/sections/{key}/refresh?path=…`
answered 200 with an empty body. Every request is recorded. `behaviour`
makes it slow, fail, answer HTML or redirect, to test the error paths.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import quoteattr

TOKEN = "plexTokenAbCdEf123456"

UNAUTHORIZED_PAGE = (
    b"<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>"
)


@dataclass
class Call:
    method: str
    # As sent: the path and its query, still encoded.
    target: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class FakePlex:
    # key -> (title, type, [locations])
    sections: dict[str, tuple[str, str, list[str]]] = field(default_factory=dict)
    # "ok", "slow" (waits `delay` seconds before answering), "fail" (500 for the first
    # `failures` requests), "html" (a web page, 200), "redirect" (302 to another host).
    behaviour: str = "ok"
    delay: float = 0.0
    failures: int = 10**9
    calls: list[Call] = field(default_factory=list)
    url: str = ""

    def refreshes(self) -> list[tuple[str, str]]:
        """(section key, path) of every refresh asked for, in order."""
        return [
            (c.path.split("/")[3], c.query["path"][0])
            for c in self.calls
            if c.path.endswith("/refresh")
        ]

    def directory_xml(self) -> bytes:
        entries = "".join(
            f"<Directory key={quoteattr(key)} type={quoteattr(kind)} title={quoteattr(title)} "
            'agent="tv.plex.agents.series" scanner="Plex TV Series">'
            + "".join(
                f"<Location id={quoteattr(str(i))} path={quoteattr(p)} />"
                for i, p in enumerate(paths, 1)
            )
            + "</Directory>"
            for key, (title, kind, paths) in self.sections.items()
        )
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<MediaContainer size="{len(self.sections)}" '
            f'allowSync="0" title1="Plex Library">{entries}</MediaContainer>'
        ).encode()

    def directory_json(self) -> bytes:
        return json.dumps(
            {
                "MediaContainer": {
                    "size": len(self.sections),
                    "allowSync": False,
                    "title1": "Plex Library",
                    "Directory": [
                        {
                            "key": key,
                            "type": kind,
                            "title": title,
                            "agent": "tv.plex.agents.series",
                            "scanner": "Plex TV Series",
                            "Location": [{"id": i, "path": p} for i, p in enumerate(paths, 1)],
                        }
                        for key, (title, kind, paths) in self.sections.items()
                    ],
                }
            }
        ).encode()


def _handler(plex: FakePlex) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _answer(self, status: int, body: bytes = b"", content_type: str = "") -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            plex.calls.append(
                Call(
                    self.command,
                    self.path,
                    parts.path,
                    parse_qs(parts.query),
                    dict(self.headers),
                    self.rfile.read(length),
                )
            )
            if plex.behaviour == "slow":
                time.sleep(plex.delay)
            if plex.behaviour == "fail" and plex.failures > 0:
                plex.failures -= 1
                return self._answer(500, b"Internal Server Error", "text/plain")
            if plex.behaviour == "html":
                return self._answer(
                    200, b"<!DOCTYPE html><html><body>Router login</body></html>", "text/html"
                )
            if plex.behaviour == "redirect":
                self.send_response(302)
                self.send_header("Location", "http://elsewhere.example:8080/library/sections")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            if self.command == "POST":  # a webhook receiver
                return self._answer(204)
            if self.headers.get("X-Plex-Token") != TOKEN:
                return self._answer(401, UNAUTHORIZED_PAGE, "text/html")
            if parts.path == "/library/sections":
                if "application/json" in self.headers.get("Accept", ""):
                    return self._answer(200, plex.directory_json(), "application/json")
                return self._answer(200, plex.directory_xml(), "text/xml;charset=utf-8")
            segments = parts.path.split("/")
            if (
                len(segments) == 5
                and segments[1:3] == ["library", "sections"]
                and segments[4] == "refresh"
            ):
                if segments[3] not in plex.sections:
                    return self._answer(
                        404, b"<html><body>404 Not Found</body></html>", "text/html"
                    )
                return self._answer(200)
            return self._answer(404, b"<html><body>404 Not Found</body></html>", "text/html")

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up waiting (the slow server's test) closed the socket


@contextmanager
def fake_plex_running(plex: FakePlex) -> Iterator[FakePlex]:
    server = _Server(("127.0.0.1", 0), _handler(plex))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    plex.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield plex
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
