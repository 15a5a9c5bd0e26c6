"""One HTTP request with the standard library, and its failures as sentences.

Redirects are never followed: a Plex token travels in a header, and a
server that answers 3xx could send it to another host. The sentence names
where the server pointed, so the user can enter that address instead.
Nothing here logs a header or a body: a token must not reach a log.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from notify.errors import NotifyError

# Seconds to wait for a connection and for each read of the answer.
TIMEOUT = 10.0
# An answer longer than this is not one Plex or a webhook gives: it is cut off.
MAX_BODY = 4 * 1024 * 1024


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: bytes


def url_check(url: str, *, query: bool = False) -> str:
    """The URL without a trailing slash; NotifyError if it is not http(s)://host[:port]/…
    (with a query only when `query`: a webhook's address may carry one)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise NotifyError(
            "That is not a web address; enter one that starts with http:// or https://."
        )
    if (parts.query and not query) or parts.fragment or parts.username:
        raise NotifyError(
            "Enter the address without a user name or a #fragment"
            + ("." if query else ", and without a ?query.")
        )
    try:
        parts.port  # noqa: B018  (urlsplit checks the port only when asked)
    except ValueError:
        raise NotifyError("The address has a port that is not a number from 1 to 65535.") from None
    return url.strip().rstrip("/")


def _where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)


def http_request(
    url: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float | None = None,
) -> Reply:
    """Send one request; a 2xx answer comes back, anything else raises NotifyError."""
    timeout = TIMEOUT if timeout is None else timeout
    parts = urlsplit(url)
    where = _where(url)
    connection_type = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    connection = connection_type(parts.hostname or "", parts.port, timeout=timeout)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read(MAX_BODY)
    except TimeoutError:
        raise NotifyError(
            f"{where} did not answer within {timeout:g} seconds.", retry=True
        ) from None
    except ssl.SSLError as exc:
        reason = exc.reason or "certificate or protocol error"
        raise NotifyError(f"The secure connection to {where} failed ({reason}).") from None
    except (ConnectionRefusedError, socket.gaierror, OSError, http.client.HTTPException) as exc:
        raise NotifyError(f"{where} cannot be reached ({_reason(exc)}).", retry=True) from None
    finally:
        connection.close()
    reply = Reply(response.status, response.headers.get("Content-Type", ""), data)
    if 300 <= reply.status < 400:
        location = response.headers.get("Location", "")
        elsewhere = f" to {_where(location)}" if urlsplit(location).hostname else ""
        raise NotifyError(
            f"{where} answered with a redirect{elsewhere} (HTTP {reply.status}). Redirects are "
            "not followed, so nothing goes where you did not say: enter the address it "
            "redirects to."
        )
    if reply.status == 401 or reply.status == 403:
        raise NotifyError(
            f"{where} refused the request (HTTP {reply.status}, not authorised): check the token."
        )
    if reply.status >= 500 or reply.status == 429:
        raise NotifyError(f"{where} answered HTTP {reply.status}; it may be busy.", retry=True)
    if reply.status >= 400:
        raise NotifyError(
            f"{where} answered HTTP {reply.status} to {parts.path or '/'}.", stop=False
        )
    return reply


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.gaierror):
        return "unknown host name"
    if isinstance(exc, http.client.HTTPException):
        return "the answer is not HTTP"
    return getattr(exc, "strerror", None) or type(exc).__name__
