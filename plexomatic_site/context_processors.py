from __future__ import annotations

from django.http import HttpRequest

from plexomatic_site import __version__


def app_version(request: HttpRequest) -> dict[str, str]:
    return {"app_version": __version__}
