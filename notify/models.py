from __future__ import annotations

import os
from datetime import timedelta

from django.db import models
from django.utils import timezone

from library.models import Batch, Library, validate_absolute_normalised
from library.services.paths import is_within
from plexomatic_site.jobs import worker_host


def _this_pid() -> int:
    return os.getpid()


class PlexSection(models.Model):
    """A library section of the Plex server, as "Test connection" last listed it, and the
    Plex-o-matic library whose changes it is told about.

    `plex_root` is the library's folder as Plex sees it: the same path when Plex
    runs on this machine, another when it sees the files under another mount
    point (a container mounting /mnt/media/tv as /data/tv).
    """

    key = models.CharField(max_length=20, unique=True, help_text="Plex's id of the section.")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, blank=True)
    # The section's folders, as Plex lists them.
    locations = models.JSONField(default=list)
    library = models.ForeignKey(
        Library, null=True, blank=True, on_delete=models.SET_NULL, related_name="plex_sections"
    )
    plex_root = models.CharField(
        max_length=4096, blank=True, validators=[validate_absolute_normalised]
    )
    listed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "key"]

    def __str__(self) -> str:
        return f"{self.title} (Plex section {self.key})"

    def plex_path(self, local: str) -> str | None:
        """`local` (a folder inside the mapped library) as Plex sees it, when it is one of
        this section's folders; None otherwise."""
        if self.library is None or not self.plex_root:
            return None
        root = os.path.normpath(self.library.root_path)
        if not is_within(local, root):
            return None
        relative = os.path.relpath(local, root)
        seen = os.path.normpath(os.path.join(self.plex_root, relative))
        if any(is_within(seen, os.path.normpath(location)) for location in self.locations):
            return seen
        return None


class Notification(models.Model):
    """Telling Plex or the webhook about one event: what was sent, and how it went."""

    class Target(models.TextChoices):
        PLEX = "plex", "Plex"
        WEBHOOK = "webhook", "Webhook"

    class Status(models.TextChoices):
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    # Longest a delivery takes: every request timing out on every attempt, and then
    # some; a row still "sending" after this lost its process.
    GIVE_UP_AFTER = timedelta(minutes=15)

    event = models.CharField(max_length=20)
    target = models.CharField(max_length=10, choices=Target.choices)
    batch = models.ForeignKey(
        Batch, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENDING)
    # Plex: [{"section": key, "path": folder as Plex sees it}]; webhook: the JSON body.
    payload = models.JSONField(default=list)
    # Plex: one sentence per folder not refreshed; the webhook: why it was not delivered.
    problems = models.JSONField(default=list)
    message = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The process whose thread sends it: a row still sending when that process is
    # gone was cut off (see notify.recovery).
    hostname = models.CharField(max_length=255, blank=True, default=worker_host)
    pid = models.PositiveIntegerField(null=True, blank=True, default=_this_pid)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_target_display()} after {self.event} ({self.status})"

    @property
    def interrupted(self) -> bool:
        """Still sending long after any delivery would have ended: its process stopped."""
        return (
            self.status == self.Status.SENDING
            and timezone.now() - self.created_at > self.GIVE_UP_AFTER
        )
