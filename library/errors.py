"""Failures of the library app that a user reads (see plexomatic_site.errors)."""

from __future__ import annotations

from plexomatic_site.errors import PlexomaticError


class LibraryError(PlexomaticError):
    """A library, its files or its history cannot be read or changed as asked."""


class ScanError(LibraryError):
    """The scan cannot run at all (the library root is gone or unreadable)."""


class UnknownChecksum(LibraryError):
    """A journaled checksum in a format this version cannot check."""


class NotPlexomaticDatabase(LibraryError):
    """The file given to the importer is not the command-line tool's database."""

    def __str__(self) -> str:
        return f"{super().__str__()} Nothing was imported."


class RenamingError(LibraryError):
    """Renaming cannot go ahead as asked."""


class PlanChanged(RenamingError):
    """The stored plan is not the one the user saw: nothing is applied."""


class TemplateError(RenamingError):
    """A naming template that could not name every file safely."""
