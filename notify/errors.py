"""Failures of telling Plex or a webhook what changed, as sentences (see plexomatic_site.errors)."""

from __future__ import annotations

from plexomatic_site.errors import PlexomaticError


class NotifyError(PlexomaticError):
    """A request to Plex or to the webhook did not get the answer it needed.

    `retry`: the failure may pass (the server is unreachable, slow, or answered
    5xx), so the request is worth sending again after a pause. `stop`: every
    other request to this server would fail the same way (unreachable, token
    refused, a redirect, not Plex), so the rest are not sent.
    """

    def __init__(self, message: str, *, retry: bool = False, stop: bool = True) -> None:
        super().__init__(message)
        self.retry = retry
        self.stop = stop
