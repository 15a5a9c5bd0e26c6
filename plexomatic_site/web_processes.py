"""The waitress server `serve` runs, and the extra processes that share its sockets.

One Python process runs Python in one thread at a time. With eight people on
a page of 100,000 files, their requests queued behind each other's rendering,
and more threads only added switching: 21 requests/s for eight clients against
25 for one, p95 about 600 ms. A second process accepting on the same sockets
gave 40 requests/s and p95 under 400 ms on two cores.

So `serve` binds once and starts `processes - 1` more web processes. Each is
a fresh interpreter (spawned, not forked: serve's own process runs threads)
that serves the site and nothing else; background jobs, scheduled backups and
housekeeping stay in serve's process. Whichever process is idle accepts the
next connection (the kernel wakes them all; the others find nothing).

A web process ends with serve: asked, when serve stops, by closing its pipe
to it; and when serve dies without asking (SIGKILL), the pipe closes all the
same, so none is ever left holding the port.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import socket
import tempfile
import threading
from multiprocessing.connection import Connection
from types import FrameType
from typing import Any

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from waitress.server import BaseWSGIServer, MultiSocketServer, create_server

# Room for the multipart envelope around an upload of the largest allowed size
# (boundaries, the CSRF token): waitress accepts that much more, and the upload
# view refuses a body beyond it with a sentence.
UPLOAD_ENVELOPE_BYTES = 1024 * 1024
# How long a web process gets to finish its requests when serve stops.
STOP_TIMEOUT_S = 10.0
logger = logging.getLogger(__name__)


def _options(threads: int) -> dict[str, Any]:
    """waitress's settings, the same in every process.

    waitress refuses bodies over 1 GiB by default with a bare 413; backup
    uploads may be larger, and the site itself says why one is too large.
    waitress buffers a large body in an anonymous temporary file before the
    site sees it: in the data folder's tmp/, like Django's own upload buffer.
    """
    tempfile.tempdir = str(settings.FILE_UPLOAD_TEMP_DIR)
    return {
        "threads": threads,
        "ident": "plexomatic",
        "max_request_body_size": settings.PLEXOMATIC_BACKUP_UPLOAD_MAX_BYTES
        + UPLOAD_ENVELOPE_BYTES,
    }


def server_create(*, host: str, port: int, threads: int) -> BaseWSGIServer | MultiSocketServer:
    """The waitress server for the site, listening but not yet serving."""
    return create_server(get_wsgi_application(), host=host, port=port, **_options(threads))


def server_sockets(server: BaseWSGIServer | MultiSocketServer) -> list[socket.socket]:
    """The listening sockets of `server` (two when a host name is both IPv4 and IPv6)."""
    servers = [server] if isinstance(server, BaseWSGIServer) else (server.map or {}).values()
    return [
        each.socket
        for each in servers
        if isinstance(each, BaseWSGIServer) and each.socket is not None
    ]


def raise_system_exit(signum: int, frame: FrameType | None) -> None:
    # waitress's loop treats SystemExit as "shut down cleanly".
    raise SystemExit(0)


def _serve_spawned(sockets: list[socket.socket], threads: int, lifeline: Connection) -> None:
    """A web process: serve on serve's sockets until its pipe to serve closes."""
    signal.signal(signal.SIGTERM, raise_system_exit)
    try:
        django.setup()
        server = create_server(get_wsgi_application(), sockets=sockets, **_options(threads))

        def watch() -> None:
            with contextlib.suppress(EOFError):  # serve closed its end: stopping, or gone
                lifeline.recv()
            os.kill(os.getpid(), signal.SIGTERM)

        threading.Thread(target=watch, name="plexomatic-lifeline", daemon=True).start()
        server.run()
    except KeyboardInterrupt:  # Ctrl-C reaches every process of the terminal
        pass


class WebProcesses:
    """The web processes beside serve's own, started on its sockets and stopped with it."""

    def __init__(self) -> None:
        self._running: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []

    def start(self, *, count: int, sockets: list[socket.socket], threads: int) -> None:
        context = multiprocessing.get_context("spawn")
        for number in range(count):
            receiving, sending = context.Pipe(duplex=False)
            process = context.Process(
                target=_serve_spawned,
                args=(sockets, threads, receiving),
                name=f"plexomatic-web-{number + 2}",
                daemon=True,
            )
            process.start()
            receiving.close()  # the child holds it now; serve keeps only its own end
            self._running.append((process, sending))

    def stop(self) -> None:
        """Ask each to finish its requests and stop; stop any still running after the timeout."""
        for _process, sending in self._running:
            sending.close()
        for process, _sending in self._running:
            process.join(timeout=STOP_TIMEOUT_S)
            if process.is_alive():
                logger.warning("Web process %s did not stop; terminating it", process.pid)
                process.terminate()
                process.join()
        self._running.clear()
