"""The threads in `serve` that do periodic work (scheduled backups, housekeeping)."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)


class PeriodicThread(threading.Thread):
    """Calls `run_due()` at start, then every `every` seconds, until `stop()`.

    Each call gets fresh database connections and closes them after, so the
    thread holds none while it waits. A call that raises is logged with its
    traceback and the thread goes on: a bug must not end the work for the
    life of the process.
    """

    def __init__(self, *, name: str, every: float) -> None:
        super().__init__(name=name, daemon=True)
        self.every = every
        self._stopping = threading.Event()

    def run_due(self) -> None:
        raise NotImplementedError

    def run(self) -> None:
        # The first call happens even when stop() came first, so the work
        # of a start-up (a missed backup slot, a prune) is never skipped.
        while True:
            try:
                close_old_connections()
                self.run_due()
            except Exception:
                logger.exception("%s stopped unexpectedly", self.name)
            finally:
                connections.close_all()
            if self._stopping.wait(self.every):
                return

    def stop(self, *, timeout: float = 30.0) -> None:
        """Ask the thread to stop and wait for the work in progress to finish."""
        self._stopping.set()
        self.join(timeout=timeout)
