from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from plexomatic_site.environment import WORKER_HOST_PATTERN


def validate_absolute_normalised(value: str) -> None:
    if not os.path.isabs(value):
        raise ValidationError("Use an absolute path, such as /media/tv.")
    if os.path.normpath(value) != value:
        raise ValidationError(f"Write the path in its plain form: {os.path.normpath(value)}")


class LibraryKind(models.TextChoices):
    """What a library holds: a prior for names that could be read two ways."""

    MIXED = "mixed", "Mixed (TV, movies and anime)"
    TV = "tv", "TV shows"
    MOVIES = "movies", "Movies"
    ANIME = "anime", "Anime"


class Library(models.Model):
    """A media folder that Plex-o-matic scans and keeps in order."""

    Kind = LibraryKind

    name = models.CharField(max_length=100)
    root_path = models.CharField(max_length=4096, validators=[validate_absolute_normalised])
    kind = models.CharField(
        max_length=10,
        choices=LibraryKind.choices,
        default=LibraryKind.MIXED,
        help_text="A movies library never reads a bare number as an episode; an anime "
        "library reads “Title - 07” as episode 7.",
    )
    enabled = models.BooleanField(default=True)
    # Blank: any worker; else only workers whose PLEXOMATIC_WORKER_HOST is this
    # name scan it and apply its renames (see plexomatic_site.jobs).
    worker_host = models.CharField(
        max_length=255,
        blank=True,
        validators=[
            RegexValidator(
                f"^{WORKER_HOST_PATTERN.pattern}$",
                "Use the worker's host name: letters, digits, dots, hyphens or underscores.",
            )
        ],
        help_text="The machine whose worker (PLEXOMATIC_WORKER_HOST) scans this folder and "
        "renames in it, such as the NAS that holds the disk; leave empty for any worker.",
    )
    # None means "use the value from the settings store".
    video_extensions = models.JSONField(null=True, blank=True)
    subtitle_extensions = models.JSONField(null=True, blank=True)
    ignore_patterns = models.JSONField(null=True, blank=True)
    last_scan_at = models.DateTimeField(null=True, blank=True)
    last_scan_summary = models.JSONField(default=dict, blank=True)
    # Videos by type, missing files and total size as of the last scan that changed
    # something (library.services.media_counts); null until counted.
    media_counts = models.JSONField(null=True, blank=True, editable=False)
    # What the last clean scan walked (its files, what the rules left out, the rules),
    # hashed; the rows matched it then. Database triggers (migration 0015) empty it
    # whenever a row's path, size, mtime or missing flag changes, whoever writes it,
    # so a rescan that walks the same listing again knows the rows need no reading.
    listing_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "libraries"
        ordering = ["name"]
        constraints = [
            # LIBRARY arguments of the commands are names: one library per name.
            models.UniqueConstraint(fields=["name"], name="library_name_unique"),
            # One folder, one library (overlaps are refused by library_root_clean).
            models.UniqueConstraint(fields=["root_path"], name="library_root_unique"),
            # Recognition reads the kind as a prior: only known ones.
            models.CheckConstraint(
                condition=models.Q(kind__in=LibraryKind.values), name="library_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MediaType(models.TextChoices):
    TV_SHOW = "TV_SHOW", "TV show"
    MOVIE = "MOVIE", "Movie"
    ANIME = "ANIME", "Anime"
    TV_SPECIAL = "TV_SPECIAL", "TV special"
    ANIME_SPECIAL = "ANIME_SPECIAL", "Anime special"
    UNKNOWN = "UNKNOWN", "Unknown"


class ExtraType(models.TextChoices):
    """Plex's kinds of extra (its folder names and -suffixes); blank for a main file."""

    NONE = "", "Not an extra"
    TRAILER = "trailer", "Trailer"
    FEATURETTE = "featurette", "Featurette"
    BEHIND_THE_SCENES = "behindthescenes", "Behind the scenes"
    DELETED = "deleted", "Deleted scene"
    INTERVIEW = "interview", "Interview"
    SCENE = "scene", "Scene"
    SHORT = "short", "Short"
    OTHER = "other", "Other extra"


class MediaFile(models.Model):
    """A video or subtitle file found in a library, with what its name says."""

    MediaType = MediaType

    class Kind(models.TextChoices):
        VIDEO = "video", "Video"
        SUBTITLE = "subtitle", "Subtitle"

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="media_files")
    # The path as text. A name that is not valid UTF-8 is shown with its bad
    # bytes escaped (\xff) here and kept exactly in path_bytes.
    path = models.CharField(max_length=4096, validators=[validate_absolute_normalised])
    path_bytes = models.BinaryField(null=True, blank=True, editable=False)
    name = models.CharField(max_length=1024)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.VIDEO)
    media_type = models.CharField(
        max_length=20, choices=MediaType.choices, default=MediaType.UNKNOWN
    )
    title = models.CharField(max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    season = models.PositiveSmallIntegerField(null=True, blank=True)
    episode = models.PositiveIntegerField(null=True, blank=True)
    episodes = models.JSONField(default=list, blank=True)
    absolute_episode = models.PositiveIntegerField(null=True, blank=True)
    air_date = models.DateField(null=True, blank=True)
    episode_title = models.CharField(max_length=500, blank=True)
    tmdb_id = models.PositiveIntegerField(null=True, blank=True)
    tvdb_id = models.PositiveIntegerField(null=True, blank=True)
    # What else Plex reads in a name or its folders (kept so a rename keeps it).
    imdb_id = models.CharField(max_length=12, blank=True)  # "tt0133093"
    # Every absolute number of a multi-episode anime file; absolute_episode is the first.
    absolute_episodes = models.JSONField(default=list, blank=True)
    edition = models.CharField(max_length=200, blank=True)  # "Director's Cut"
    part = models.PositiveSmallIntegerField(null=True, blank=True)  # cd1, pt2: 1..8
    version = models.CharField(max_length=50, blank=True)  # "1080p", "4K"
    extra_type = models.CharField(
        max_length=20, choices=ExtraType.choices, default=ExtraType.NONE, blank=True
    )
    # A half episode as written ("12.5"): it has no Plex number, episodes stay empty.
    episode_fraction = models.CharField(max_length=10, blank=True)
    # The evidence: which rule decided, what the name and the folders said, and
    # a sentence when they disagree (the file is flagged, not silently resolved).
    recognition_rule = models.CharField(max_length=40, blank=True)
    name_said = models.CharField(max_length=500, blank=True)
    folder_said = models.CharField(max_length=500, blank=True)
    conflict = models.CharField(max_length=500, blank=True)
    # Sidecars (subtitles) point at their video and carry their own flags.
    # Indexed by media_sidecar_idx (only the subtitles that have a video).
    video = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sidecars",
        db_index=False,
    )
    language = models.CharField(max_length=20, blank=True)
    forced = models.BooleanField(default=False)
    sdh = models.BooleanField(default=False)
    size = models.BigIntegerField(default=0)
    mtime = models.FloatField(default=0)
    fingerprint = models.CharField(max_length=80, blank=True)
    missing = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path"]
        constraints = [
            # A file is indexed once; scans and renames look rows up by path.
            models.UniqueConstraint(fields=["path"], name="mediafile_path_unique"),
            # Only known media types reach the table, whatever writes it.
            models.CheckConstraint(
                condition=models.Q(media_type__in=MediaType.values),
                name="mediafile_media_type_valid",
            ),
            # A media file is a video or a subtitle; nothing else is indexed.
            models.CheckConstraint(
                condition=models.Q(kind__in=["video", "subtitle"]),
                name="mediafile_kind_valid",
            ),
            # A size can't be negative; a negative value means a bug upstream.
            models.CheckConstraint(condition=models.Q(size__gte=0), name="mediafile_size_nonneg"),
            # Plex reads at most 8 parts of a split film (pt1…pt8).
            models.CheckConstraint(
                condition=models.Q(part__isnull=True) | models.Q(part__gte=1, part__lte=8),
                name="mediafile_part_range",
            ),
            # Naming decides by extra type: only Plex's kinds.
            models.CheckConstraint(
                condition=models.Q(extra_type__in=ExtraType.values),
                name="mediafile_extra_type_valid",
            ),
        ]
        indexes = [
            # Library pages: WHERE library_id = ? AND media_type = ? ORDER BY title.
            models.Index(fields=["library", "media_type", "title"], name="media_library_type_idx"),
            # The library page as it opens: WHERE library_id = ? AND kind = ? ORDER BY name.
            models.Index(fields=["library", "kind", "name"], name="media_library_name_idx"),
            # A page's subtitles: WHERE video_id IN (…). Partial, so that ANALYZE does not
            # count the videos' NULLs and lead SQLite to scan the table instead.
            models.Index(
                fields=["video"], condition=models.Q(video__isnull=False), name="media_sidecar_idx"
            ),
            # Overview warning and each scan: WHERE [library_id = ? AND] missing.
            models.Index(
                fields=["library"], condition=models.Q(missing=True), name="media_missing_idx"
            ),
            # Each scan: the few names that are not UTF-8 (WHERE path_bytes IS NOT NULL).
            models.Index(
                fields=["library"],
                condition=models.Q(path_bytes__isnull=False),
                name="media_undecodable_idx",
            ),
            # Each scan links new subtitles: WHERE kind = 'subtitle' AND video_id IS NULL.
            models.Index(
                fields=["library"],
                condition=models.Q(kind="subtitle", video__isnull=True),
                name="media_orphan_subtitle_idx",
            ),
            # Moved-file detection during a scan: WHERE fingerprint = ?.
            models.Index(fields=["fingerprint"], name="media_fingerprint_idx"),
            # The library page's "folder and name disagree" filter: WHERE conflict <> ''.
            models.Index(
                fields=["library"], condition=~models.Q(conflict=""), name="media_conflict_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ExcludedFile(models.Model):
    """A file or folder the last scan of its library left out, and the rule that did.

    Replaced whole by each scan (scan.library_scan), so the library page can say
    what the ignore patterns and .plexignore files keep out of the index. A
    folder is listed once: the scan does not look inside it.
    """

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="excluded_files")
    path = models.CharField(max_length=4096)
    # The ignore pattern ("*-sample.*"), or the .plexignore file, that excluded it.
    rule = models.CharField(max_length=500)
    folder = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # The library page lists them in path order: WHERE library_id = ? ORDER BY path.
            models.Index(fields=["library", "path"], name="excluded_library_path_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.path} (excluded by {self.rule})"


class Batch(models.Model):
    """One apply (or import): its operations can be rolled back together."""

    class Kind(models.TextChoices):
        APPLY = "apply", "Apply"
        IMPORT = "import", "Import"

    library = models.ForeignKey(
        Library, null=True, blank=True, on_delete=models.SET_NULL, related_name="batches"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.APPLY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    # An import's inbox folder: its operations' original paths lie inside it.
    source_folder = models.CharField(max_length=4096, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "batches"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Batch {self.pk}"


class OperationType(models.TextChoices):
    """What an operation did to its file, and so how rollback and recovery undo it.

    A rename or move (also an import's move, and a replaced file's move into the
    recycle folder) is undone by moving the file back; an import's copy, hard link
    or symbolic link is undone by removing the new name once it is verified.
    """

    RENAME = "rename", "Rename"
    MOVE = "move", "Move"
    COPY = "copy", "Copy"
    HARDLINK = "hardlink", "Hard link"
    SYMLINK = "symlink", "Symbolic link"
    RECYCLE = "recycle", "Move to the recycle folder"


class OperationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    ROLLED_BACK = "rolled_back", "Rolled back"


class FileOperation(models.Model):
    """The journal: one row per file move, written before the file moves."""

    OperationType = OperationType

    Status = OperationStatus

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="operations")
    media_file = models.ForeignKey(
        MediaFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="operations"
    )
    original_path = models.CharField(max_length=4096)
    new_path = models.CharField(max_length=4096)
    operation_type = models.CharField(
        max_length=10, choices=OperationType.choices, default=OperationType.RENAME
    )
    checksum = models.CharField(max_length=100, blank=True)
    # The moved file's identity right after its move (checksum.file_identity): a rollback
    # that finds it unchanged needs no read to know it is the file that moved.
    identity = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True)
    # Crash recovery found the file at both paths or at neither: a person must look.
    needs_attention = models.BooleanField(default=False)
    # Where an imported operation came from, so importing again adds nothing.
    source_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    rolled_back_at = models.DateTimeField(null=True, blank=True)
    # Set while a rollback moves this file back: the rollback's own journal
    # entry, so crash recovery can settle an interrupted rollback too.
    rollback_started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Recovery and rollback decide on the status: only known ones.
            models.CheckConstraint(
                condition=models.Q(status__in=OperationStatus.values),
                name="fileop_status_valid",
            ),
            # Rollback knows how to undo these operation types only.
            models.CheckConstraint(
                condition=models.Q(operation_type__in=OperationType.values),
                name="fileop_type_valid",
            ),
            # A completed operation says when it completed.
            models.CheckConstraint(
                condition=~models.Q(status="completed") | models.Q(completed_at__isnull=False),
                name="fileop_completed_has_time",
            ),
            # A rolled-back operation says when it was rolled back.
            models.CheckConstraint(
                condition=~models.Q(status="rolled_back") | models.Q(rolled_back_at__isnull=False),
                name="fileop_rolled_back_has_time",
            ),
            # Moving a file onto itself is not an operation (and could not be undone).
            models.CheckConstraint(
                condition=~models.Q(original_path=models.F("new_path")),
                name="fileop_paths_differ",
            ),
            # The importer's idempotence: one row per source operation.
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~models.Q(source_key=""),
                name="fileop_source_key_unique",
            ),
        ]
        indexes = [
            # Crash recovery and the overview warning: WHERE status = 'pending'; the file
            # history filtered by status, newest first: WHERE status = ? ORDER BY created_at.
            models.Index(fields=["status", "created_at"], name="fileop_status_created_idx"),
            # Crash recovery: WHERE rollback_started_at IS NOT NULL (rare rows, so partial).
            models.Index(
                fields=["rollback_started_at"],
                condition=models.Q(rollback_started_at__isnull=False),
                name="fileop_rollback_started_idx",
            ),
            # History page and overview: ORDER BY created_at DESC, date-range filters.
            models.Index(fields=["created_at"], name="fileop_created_at_idx"),
            # History page and overview: operations counted per (batch, status) for one page
            # of batches, and the "has failed operations" filter; covering, so no table reads.
            models.Index(fields=["batch", "status"], name="fileop_batch_status_idx"),
            # Overview warning: WHERE needs_attention = true (rare rows, so partial).
            models.Index(
                fields=["needs_attention"],
                condition=models.Q(needs_attention=True),
                name="fileop_attention_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operation_type} {self.original_path} -> {self.new_path}"


class LibraryPlan(models.Model):
    """The stored rename plan of one library: what it was computed from, and its totals.

    `inputs` is the digest of what every file's plan depends on besides its own
    row (the naming templates, the library's folder and kind, the planner's
    version): when it no longer matches, the whole plan is stale. `digest`
    names the moves it holds, as the preview shows them, so "Apply all" can
    apply exactly the plan the user saw.
    """

    library = models.OneToOneField(Library, on_delete=models.CASCADE, related_name="plan")
    inputs = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)
    # Files of the plan by reason: {"ready": 392, "already_correct": 9000, …}.
    counts = models.JSONField(default=dict)
    built_at = models.DateTimeField()
    # How many files the last refresh planned again, out of how many.
    replanned = models.PositiveIntegerField(default=0)
    checked = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Plan of {self.library}"


class PlannedMove(models.Model):
    """One media file's line of the stored plan: its new path, or why it stays.

    Paths are shown relative to the library's folder. The keys are short
    hashes of case-folded absolute paths, for finding the files whose plan a
    change can alter (same target, a target that is another's source, the same
    folder) with indexed queries; `inputs` digests the file's own row, so a
    refresh plans again only the files whose row changed, and their group.
    """

    class Changed(models.TextChoices):
        """Which part of a rename's path changes (blank for a file that stays)."""

        FOLDER = "folder", "folder only"
        NAME = "name", "file name only"
        BOTH = "both", "folder and file name"

    media_id = models.PositiveBigIntegerField(primary_key=True)
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="planned_moves")
    group = models.CharField(max_length=500)
    group_key = models.CharField(max_length=500)
    source = models.CharField(max_length=4096)
    target = models.CharField(max_length=4096, blank=True)
    reason = models.CharField(max_length=30)
    # Shown in the preview by default: every file that is not already correct.
    listed = models.BooleanField(default=True)
    detail = models.CharField(max_length=1000, blank=True)
    effects = models.JSONField(default=list, blank=True)
    # Indexed after the reason only (planned_reason_changed_idx): an index led by
    # (library_id, changed) made SQLite read the plain preview page through it and sort.
    changed = models.CharField(max_length=10, choices=Changed.choices, blank=True)
    inputs = models.CharField(max_length=32)
    source_key = models.BigIntegerField()
    target_key = models.BigIntegerField(null=True, blank=True)
    # A film's folder, or the film folder an extra belongs to; null for subtitles.
    folder_key = models.BigIntegerField(null=True, blank=True)
    extra = models.BooleanField(default=False)
    # A subtitle's video: an extra with subtitles stays, so their changes reach it.
    video_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            # The preview, a page at a time: WHERE library_id = ? AND listed ORDER BY group, path.
            models.Index(
                fields=["library", "listed", "group_key", "source"], name="planned_page_idx"
            ),
            # Counts and the reason filter: WHERE library_id = ? AND reason = ?; with
            # `changed`, the workbench counts the renames of one changed part from the index.
            models.Index(
                fields=["library", "reason", "changed"], name="planned_reason_changed_idx"
            ),
            # A refresh finds a changed file's group by these keys.
            models.Index(fields=["library", "target_key"], name="planned_target_idx"),
            models.Index(fields=["library", "source_key"], name="planned_source_idx"),
            models.Index(fields=["library", "folder_key"], name="planned_folder_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source} -> {self.target or self.reason}"
