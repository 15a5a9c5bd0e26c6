"""`serve`'s inbox thread, run for real with a short check interval: off by default, one
import per inbox per interval, and never a second one while one is running."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from inbox.locks import import_locks
from inbox.models import InboxFolder
from inbox.scheduler import InboxScheduler
from inbox.tests.downloads import downloads_make
from library.models import Batch, Library
from plexomatic_site.jobs import jobs_claim
from plexomatic_site.models import Job, JobKind
from plexomatic_site.settings_store import settings_update

# The thread has its own database connection: it must see committed rows.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def inbox(tmp_path, immediate_tasks) -> InboxFolder:
    (tmp_path / "tv").mkdir()
    tv = Library.objects.create(name="TV", root_path=str(tmp_path / "tv"))
    downloads = downloads_make(tmp_path / "downloads", releases=1)
    return InboxFolder.objects.create(name="Downloads", path=str(downloads.root), library=tv)


def _run(seconds: float) -> None:
    """The thread, checking every 0.1 s, for `seconds`."""
    thread = InboxScheduler(check_every=0.1)
    thread.start()
    time.sleep(seconds)
    thread.stop()
    assert not thread.is_alive()


def _inbox_jobs(inbox: InboxFolder) -> list[Job]:
    lock = str(import_locks(inbox)[0])
    return list(Job.objects.filter(kind=JobKind.IMPORT, lock_key=lock).order_by("pk"))


def test_nothing_is_imported_while_the_setting_is_0(inbox):
    _run(1.0)
    assert _inbox_jobs(inbox) == [] and not Batch.objects.exists()


def test_each_inbox_is_imported_once_per_interval(inbox):
    settings_update(values={"inbox_import_minutes": 1})
    _run(1.5)  # fifteen checks: the first imports, the rest find it done a moment ago
    [job] = _inbox_jobs(inbox)
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert Batch.objects.get(kind="import").operations.filter(status="completed").count() == 1
    # A minute later (the last import backdated), the next check imports again.
    Job.objects.update(created_at=job.created_at - timedelta(seconds=61))
    _run(0.5)
    assert len(_inbox_jobs(inbox)) == 2


def test_an_import_already_running_is_not_doubled(inbox):
    settings_update(values={"inbox_import_minutes": 1})
    [running, *_] = jobs_claim(kind=JobKind.IMPORT, locks=import_locks(inbox), queued=False)
    Job.objects.filter(pk=running.pk).update(created_at=running.created_at - timedelta(minutes=5))
    _run(1.0)
    assert [job.pk for job in _inbox_jobs(inbox)] == [running.pk]
    assert not Batch.objects.exists()
