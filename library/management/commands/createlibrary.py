from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from library.services.libraries import library_create
from plexomatic_site.commands import PlexomaticCommand


class Command(PlexomaticCommand):
    help = "Add a media folder as a library. The folder must exist and not overlap another library."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="A name for the library, such as “TV Shows”.")
        parser.add_argument("path", help="The absolute path of the folder that holds the media.")

    def handle(self, *args: Any, name: str, path: str, **options: Any) -> None:
        library = library_create(name=name, root_path=path)
        self.summary(f"Added library {library.pk}: {library.name} ({library.root_path}).")
