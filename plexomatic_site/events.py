"""What finished work announces, for apps that act on it without the work knowing them.

The library sends `files_changed` at the end of an apply, a rollback or an
import, once every file operation is settled; backups send `backup_failed`.
The notify app listens (it tells Plex and a webhook). A receiver must
return at once and never raise: the work that sends is done by then, and
nothing a listener does may fail or delay it.
"""

from __future__ import annotations

from django.dispatch import Signal

# operations: the FileOperations the job worked on; summary: its JobSummary (kind, counts).
files_changed = Signal()
# reason: the failure's sentence.
backup_failed = Signal()
# Sent by `recover` (run as `serve` and `db_worker` start): settle what a stopped
# process left half-done. A receiver returns a sentence to print, or "".
recovery_run = Signal()
