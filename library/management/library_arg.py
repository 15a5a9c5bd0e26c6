"""LIBRARY arguments of management commands: a library's name or id."""

from __future__ import annotations

from django.core.management.base import CommandError

from library.models import Library


def library_from_argument(value: str) -> Library:
    library = Library.objects.filter(name=value).first()
    if library is None and value.isdigit():
        library = Library.objects.filter(pk=int(value)).first()
    if library is None:
        known = ", ".join(Library.objects.values_list("name", flat=True)) or "none yet"
        raise CommandError(f"There is no library named or numbered {value!r} (libraries: {known}).")
    return library


def libraries_from_arguments(values: list[str]) -> list[Library]:
    """The libraries given, or every enabled library (an error when there is none)."""
    if values:
        return [library_from_argument(value) for value in values]
    enabled = list(Library.objects.filter(enabled=True))
    if not enabled:
        raise CommandError("There is no enabled library; add one with `createlibrary NAME PATH`.")
    return enabled


def libraries_from_option(value: str | None) -> list[Library]:
    """The library given, or every enabled library."""
    return libraries_from_arguments([value] if value is not None else [])
