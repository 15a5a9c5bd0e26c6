"""A notification its process was killed while sending is settled by `recover` (which
`serve` and `db_worker` run as they start); one still being sent is left alone."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from datetime import timedelta

from conftest import BASE_DIR
from notify.recovery import CUT_OFF

# In a process of its own: a failed backup's webhook starts sending to a server that
# never answers, and the process is killed (SIGKILL) while its thread waits.
KILLED = """
import os, signal, time
from notify.models import Notification
from plexomatic_site.events import backup_failed
from plexomatic_site.settings_store import settings_update
settings_update(values={{"webhook_url": "http://127.0.0.1:{port}/hook?key=s3cr3t"}})
backup_failed.send(sender=None, reason="The disk is full.")
while not Notification.objects.exists():
    time.sleep(0.05)
time.sleep(0.3)  # the thread is waiting on the silent server
os.kill(os.getpid(), signal.SIGKILL)
"""


def _manage(data_dir, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PLEXOMATIC_DATA_DIR": str(data_dir), "DEBUG": "false"}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *argv],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _rows(data_dir) -> list[tuple[int, str, str, str]]:
    with sqlite3.connect(data_dir / "plexomatic.sqlite3") as db:
        return db.execute(
            "SELECT id, status, problems, message FROM notify_notification ORDER BY id"
        ).fetchall()


def test_recover_fails_the_row_a_killed_process_left_sending(tmp_path):
    data = tmp_path / "data"
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # connections wait in the backlog; nothing ever answers
    with silent:
        assert _manage(data, "migrate", "--verbosity", "0").returncode == 0
        killed = _manage(data, "shell", "-c", KILLED.format(port=silent.getsockname()[1]))
    assert killed.returncode == -9, killed.stderr[-2000:]
    [(pk, status, _problems, _message)] = _rows(data)
    assert status == "sending"
    # A row of a process still alive (this one) is being sent: recover leaves it.
    alive = f"""
from notify.models import Notification
Notification.objects.create(event="apply", target="webhook", pid={os.getpid()})
"""
    assert _manage(data, "shell", "-c", alive).returncode == 0
    run = _manage(data, "recover", "--no-progress")
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Settled 1 notification(s) a stopped process left sending." in run.stdout
    assert "s3cr3t" not in run.stdout + run.stderr
    rows = _rows(data)
    assert rows[0][:2] == (pk, "failed") and CUT_OFF in rows[0][2] and rows[0][3] == "Not sent."
    assert rows[1][1] == "sending"
    again = _manage(data, "recover", "--no-progress")
    assert "notification" not in again.stdout


def test_a_row_of_another_host_is_settled_once_no_delivery_could_still_run(db):
    from django.utils import timezone

    from notify.models import Notification
    from notify.recovery import notifications_settle

    recent = Notification.objects.create(event="apply", target="webhook", hostname="nas2", pid=1)
    old = Notification.objects.create(event="apply", target="webhook", hostname="nas2", pid=1)
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - Notification.GIVE_UP_AFTER - timedelta(minutes=1)
    )
    assert notifications_settle() == "Settled 1 notification(s) a stopped process left sending."
    recent.refresh_from_db()
    old.refresh_from_db()
    assert (recent.status, old.status) == ("sending", "failed")
    assert old.problems == [CUT_OFF] and old.finished_at is not None
