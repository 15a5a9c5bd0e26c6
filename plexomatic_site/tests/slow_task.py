"""A background task that takes a while, for the serve shutdown test."""

from __future__ import annotations

import time

from django_tasks import task


@task()
def slow(*, seconds: float) -> None:
    time.sleep(seconds)
