"""The locks an import holds: its inbox, and every library it can import into."""

from __future__ import annotations

from inbox.models import InboxFolder
from library.services.locks import library_lock
from plexomatic_site.jobs import LockKey


def import_locks(inbox: InboxFolder) -> list[LockKey]:
    return [
        LockKey("inbox", inbox.pk, subject=f"inbox “{inbox.name}”"),
        *(library_lock(library) for library in inbox.libraries()),
    ]
