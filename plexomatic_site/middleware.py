"""Response headers every page needs beyond what Django and the libraries set."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control


class PrivateResponsesMiddleware:
    """Nothing a logged-in user sees is kept by a browser or proxy cache.

    Pages, the CSV export and backup downloads hold library paths and whole
    databases: once the user logs out (or on a shared computer) the back
    button or a proxy must not hand them to the next person. `no-store` is
    the whole answer; `private` is for caches that ignore it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response
