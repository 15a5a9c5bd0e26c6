from __future__ import annotations

from django.db import models

from library.models import Library, MediaType, validate_absolute_normalised


class ImportMode(models.TextChoices):
    """How a file leaves the inbox: moved, or copied or linked so a torrent keeps seeding."""

    MOVE = "move", "Move"
    COPY = "copy", "Copy"
    # Falls back to a verified copy when the library is on another filesystem.
    HARDLINK = "hardlink", "Hard link (copy across filesystems)"
    # Only on request: the library then breaks when the download is deleted.
    SYMLINK = "symlink", "Symbolic link"


class InboxFolder(models.Model):
    """A downloads folder whose finished files are imported into the libraries."""

    Mode = ImportMode

    name = models.CharField(max_length=100)
    path = models.CharField(max_length=4096, validators=[validate_absolute_normalised])
    mode = models.CharField(max_length=10, choices=ImportMode.choices, default=ImportMode.HARDLINK)
    # The target rule: one library for everything, or one library per media type.
    library = models.ForeignKey(
        Library,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Every file goes here; leave empty to choose a library per type below.",
    )
    tv_library = models.ForeignKey(
        Library, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    movie_library = models.ForeignKey(
        Library, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    anime_library = models.ForeignKey(
        Library, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            # INBOX arguments of import_inbox are names: one inbox per name.
            models.UniqueConstraint(fields=["name"], name="inbox_name_unique"),
            # One folder, one inbox (overlaps with libraries are refused by inbox_path_clean).
            models.UniqueConstraint(fields=["path"], name="inbox_path_unique"),
            # The import decides by mode: only known ones.
            models.CheckConstraint(
                condition=models.Q(mode__in=ImportMode.values), name="inbox_mode_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def library_for(self, media_type: str) -> Library | None:
        """The library a file of `media_type` goes to, or None (it stays in the inbox)."""
        if self.library is not None:
            return self.library
        if media_type in {MediaType.TV_SHOW, MediaType.TV_SPECIAL}:
            return self.tv_library
        if media_type == MediaType.MOVIE:
            return self.movie_library
        if media_type in {MediaType.ANIME, MediaType.ANIME_SPECIAL}:
            return self.anime_library or self.tv_library
        return None

    def libraries(self) -> list[Library]:
        """Every library this inbox can import into."""
        chosen: list[Library | None] = (
            [self.library]
            if self.library
            else [self.tv_library, self.movie_library, self.anime_library]
        )
        return sorted({lib for lib in chosen if lib is not None}, key=lambda lib: lib.pk)
