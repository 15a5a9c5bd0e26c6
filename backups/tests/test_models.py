"""Every rule the database enforces is proved at the database level."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from backups.models import Backup

pytestmark = pytest.mark.django_db


def _fails(**kwargs) -> None:
    model = kwargs.pop("model")
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**kwargs)


def test_backup_kind_and_size_are_constrained():
    now = timezone.now()
    _fails(model=Backup, file_name="a.sqlite3", kind="weekly", created_at=now)
    _fails(model=Backup, file_name="b.sqlite3", kind="manual", size=-5, created_at=now)
    Backup.objects.create(file_name="c.sqlite3", kind="manual", created_at=now)
    _fails(model=Backup, file_name="c.sqlite3", kind="manual", created_at=now)
