from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from library.models import Batch, FileOperation
from library.services.checksum import checksum_compute
from library.services.fileops import temp_path_for
from library.services.locks import library_lock
from library.services.recovery import operations_recover
from library.tests.factories import episode_make, library_make, tree
from plexomatic_site.jobs import jobs_claim
from plexomatic_site.models import JobKind

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def library(tmp_path):
    return library_make(tmp_path / "tv")


def pending(library, media, new_relative: str) -> FileOperation:
    """A journaled, not yet settled move of `media` to `new_relative`."""
    return FileOperation.objects.create(
        batch=Batch.objects.get_or_create(library=library)[0],
        media_file=media,
        original_path=media.path,
        new_path=os.path.join(library.root_path, new_relative),
        checksum=checksum_compute(media.path),
    )


def move(op: FileOperation) -> None:
    os.makedirs(os.path.dirname(op.new_path), exist_ok=True)
    os.rename(op.original_path, op.new_path)


@pytest.mark.django_db
def test_file_found_only_at_the_new_path_is_completed(library):
    media = episode_make(library, "a.mkv")
    op = pending(library, media, "new/a.mkv")
    move(op)
    assert operations_recover().completed == 1
    op.refresh_from_db()
    media.refresh_from_db()
    assert op.status == "completed" and op.completed_at and not op.needs_attention
    assert media.path == op.new_path


@pytest.mark.django_db
def test_a_settled_move_brings_the_stored_plan_up_to_date(library):
    from library.models import PlannedMove
    from library.services.plan_store import plan_refresh

    media = episode_make(library, "a.mkv")
    plan_refresh(library)
    op = pending(library, media, "new/a.mkv")
    move(op)
    operations_recover()
    assert PlannedMove.objects.get(media_id=media.pk).source == "new/a.mkv"


@pytest.mark.django_db
def test_file_found_only_at_the_original_path_was_not_moved(library):
    media = episode_make(library, "a.mkv")
    op = pending(library, media, "new/a.mkv")
    assert operations_recover().not_moved == 1
    op.refresh_from_db()
    assert op.status == "failed" and not op.needs_attention
    assert "still at its original path" in op.error
    media.refresh_from_db()
    assert media.path == op.original_path


@pytest.mark.django_db
def test_two_different_files_are_flagged_and_left_alone(library):
    media = episode_make(library, "a.mkv")
    op = pending(library, media, "new/a.mkv")
    Path(op.new_path).parent.mkdir()
    Path(op.new_path).write_bytes(b"another file")
    assert operations_recover().flagged == 1
    op.refresh_from_db()
    assert op.status == "failed" and op.needs_attention and "both" in op.error
    assert Path(op.original_path).exists() and Path(op.new_path).read_bytes() == b"another file"


@pytest.mark.django_db
def test_a_link_then_unlink_move_cut_in_half_is_finished(library):
    media = episode_make(library, "a.mkv")
    op = pending(library, media, "new/a.mkv")
    Path(op.new_path).parent.mkdir()
    os.link(op.original_path, op.new_path)
    assert operations_recover().completed == 1
    assert not Path(op.original_path).exists() and Path(op.new_path).exists()


@pytest.mark.django_db
def test_file_at_neither_path_is_flagged(library):
    media = episode_make(library, "a.mkv")
    op = pending(library, media, "new/a.mkv")
    os.unlink(media.path)
    assert operations_recover().flagged == 1
    op.refresh_from_db()
    assert op.needs_attention and "neither" in op.error


@pytest.mark.django_db
def test_file_at_the_new_path_with_other_content_is_flagged(library):
    media = episode_make(library, "a.mkv")
    op = pending(library, media, "new/a.mkv")
    move(op)
    Path(op.new_path).write_bytes(b"replaced by something else")
    assert operations_recover().flagged == 1


@pytest.mark.django_db
def test_half_written_cross_filesystem_copy_is_removed(library):
    media = episode_make(library, "a.mkv")
    op = pending(library, media, "new/a.mkv")
    temp = temp_path_for(op.new_path, f"op{op.pk}")
    Path(temp).parent.mkdir()
    Path(temp).write_bytes(b"half")
    operations_recover()
    assert not Path(temp).exists() and Path(op.original_path).exists()


@pytest.mark.django_db
def test_interrupted_rollback_is_settled(library):
    media = episode_make(library, "a.mkv")
    moved_back = pending(library, media, "new/a.mkv")
    other = episode_make(library, "b.mkv", episode=3)
    not_moved_back = pending(library, other, "new/b.mkv")
    move(moved_back)
    move(not_moved_back)
    now = timezone.now()
    FileOperation.objects.update(status="completed", completed_at=now, rollback_started_at=now)
    os.rename(moved_back.new_path, moved_back.original_path)
    result = operations_recover()
    assert (result.rolled_back, result.not_moved) == (1, 1)
    moved_back.refresh_from_db()
    not_moved_back.refresh_from_db()
    assert moved_back.status == "rolled_back" and moved_back.rolled_back_at
    assert not_moved_back.status == "completed" and not_moved_back.rollback_started_at is None


@pytest.mark.django_db
def test_recover_skips_a_library_with_a_live_job(library):
    media = episode_make(library, "a.mkv")
    op = pending(library, media, "new/a.mkv")
    jobs_claim(kind=JobKind.APPLY, locks=[library_lock(library)])
    err = StringIO()
    call_command("recover", "--no-progress", stdout=StringIO(), stderr=err)
    assert "Skipped libraries with a running job: TV." in err.getvalue()
    op.refresh_from_db()
    assert op.status == "pending"


@pytest.mark.django_db
def test_a_library_whose_folder_is_missing_is_left_for_later(library, tmp_path):
    media = episode_make(library, "a.mkv")
    op = pending(library, media, "new/a.mkv")
    (tmp_path / "tv").rename(tmp_path / "unmounted")
    err = StringIO()
    call_command("recover", "--no-progress", stdout=StringIO(), stderr=err)
    assert "folder is missing (not mounted?): TV" in err.getvalue()
    op.refresh_from_db()
    assert op.status == "pending" and not op.needs_attention


@pytest.mark.django_db
def test_recover_command_prints_a_summary(library):
    media = episode_make(library, "a.mkv")
    move(pending(library, media, "new/a.mkv"))
    out = StringIO()
    call_command("recover", "--no-progress", stdout=out)
    assert out.getvalue().strip() == (
        "Recovered 1 interrupted operation(s): 1 completed, 0 rolled back, 0 not moved, "
        "0 flagged for you to check."
    )


@pytest.mark.django_db
def test_flagged_operations_are_shown_on_the_overview(library, logged_in):
    media = episode_make(library, "a.mkv")
    pending(library, media, "new/a.mkv")
    os.unlink(media.path)
    operations_recover()
    response = logged_in.get("/")
    assert "1 file operation(s) need your attention" in response.content.decode()


# The crash test: real processes, real SIGKILLs, real files.

SETUP = """
import os
from library.models import Library, MediaFile
root = os.environ["LIBRARY_ROOT"]
library = Library.objects.create(name="TV", root_path=root)
for n in range(1, int(os.environ["FILES"]) + 1):
    path = os.path.join(root, "incoming", f"show.e{n}.mkv")
    media = MediaFile.objects.create(
        library=library, path=path, name=os.path.basename(path), media_type="TV_SHOW",
        title="Show", year=2019, season=1 + n % 3, episode=n, episodes=[n],
    )
    with open(path, "wb") as handle:
        handle.write(f"content of media {media.pk}".encode() * 50)
"""


def check_disk_agrees_with_database(db: Path, root: Path) -> None:
    on_disk = tree(root)
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT id, path FROM library_mediafile").fetchall()
        statuses = dict(
            connection.execute(
                "SELECT status, count(*) FROM library_fileoperation GROUP BY status"
            ).fetchall()
        )
        flagged = connection.execute(
            "SELECT count(*) FROM library_fileoperation WHERE needs_attention"
        ).fetchone()[0]
    assert "pending" not in statuses, statuses
    assert flagged == 0
    # Every file exactly once, with its content, where the database says it is.
    assert len(on_disk) == len(rows)
    for pk, path in rows:
        relative = os.path.relpath(path, root)
        assert on_disk.get(relative) == f"content of media {pk}".encode() * 50, relative


def newest_batch(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT coalesce(max(id), 0) FROM library_batch").fetchone()[0]


def wait_for_new_batch(db: Path, process: subprocess.Popen, *, after: int) -> None:
    deadline = time.monotonic() + 60
    while newest_batch(db) <= after and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)


@pytest.mark.django_db(transaction=True)
def test_apply_killed_at_random_points_is_recovered_exactly(server, tmp_path):
    files, kills = 300, 24
    root = tmp_path / "library"
    (root / "incoming").mkdir(parents=True)
    server.manage("migrate", "--verbosity", "0")
    env = {**server.env(), "LIBRARY_ROOT": str(root), "FILES": str(files)}
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SETUP], cwd=BASE_DIR, env=env, check=True
    )
    db = server.data_dir / "plexomatic.sqlite3"
    # Each move slowed down, so kills land inside the batch too.
    apply_command = [sys.executable, "library/tests/slow_apply.py", "--yes", "--no-progress"]
    rng = random.Random(5)
    settled_mid_batch = 0
    for round_number in range(kills):
        with sqlite3.connect(db) as connection:
            done = connection.execute(
                "SELECT count(*) FROM library_mediafile WHERE path LIKE '%Season%'"
            ).fetchone()[0]
        if done == files:
            # Everything renamed: undo it all (uninterrupted) and go again.
            with sqlite3.connect(db) as connection:
                batches = [r[0] for r in connection.execute("SELECT id FROM library_batch")]
            for batch in batches:
                server.manage(
                    "rollback", "--batch", str(batch), "--yes", "--no-progress", check=False
                )
        before = newest_batch(db)
        process = subprocess.Popen(
            apply_command,
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if round_number % 2:
            # Anywhere: start-up, planning, checksumming, moving, finishing.
            time.sleep(rng.uniform(0.2, 3.0))
        else:
            # Inside the moves: once this run's batch is journaled, however slow the
            # machine was to start the process.
            wait_for_new_batch(db, process, after=before)
            time.sleep(rng.uniform(0.0, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        recovered = server.manage("recover", "--no-progress").stdout
        if not recovered.startswith("Recovered 0 "):
            settled_mid_batch += 1
        check_disk_agrees_with_database(db, root)
    # The kills really landed inside batches, not only before or after them.
    assert settled_mid_batch >= kills // 3
    final = subprocess.run(apply_command, cwd=BASE_DIR, env=env, capture_output=True, text=True)
    assert final.returncode == 0, final.stderr
    check_disk_agrees_with_database(db, root)
    assert all("Season" in path for path in tree(root))


PENDING_SETUP = """
import os
from library.models import Batch, FileOperation, Library, MediaFile
root = os.environ["LIBRARY_ROOT"]
library = Library.objects.create(name="TV", root_path=root)
media = MediaFile.objects.create(library=library, path=os.path.join(root, "a.mkv"), name="a.mkv")
FileOperation.objects.create(
    batch=Batch.objects.create(library=library), media_file=media, original_path=media.path,
    new_path=os.path.join(root, "b.mkv"), checksum="",
)
"""


@pytest.mark.django_db(transaction=True)
def test_serve_recovers_interrupted_operations_before_serving(server, tmp_path):
    root = tmp_path / "library"
    root.mkdir()
    (root / "b.mkv").write_bytes(b"moved before the crash")
    server.manage("migrate", "--verbosity", "0")
    env = {**server.env(), "LIBRARY_ROOT": str(root)}
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PENDING_SETUP],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    server.start()
    code, output = server.stop()
    assert code == 0
    assert "Recovered 1 interrupted operation(s): 1 completed" in output
    with sqlite3.connect(server.data_dir / "plexomatic.sqlite3") as connection:
        status, path = connection.execute(
            "SELECT o.status, m.path FROM library_fileoperation o "
            "JOIN library_mediafile m ON m.id = o.media_file_id"
        ).fetchone()
    assert (status, path) == ("completed", str(root / "b.mkv"))
