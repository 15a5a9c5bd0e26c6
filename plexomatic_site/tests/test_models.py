"""Every rule the database enforces is proved at the database level."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from plexomatic_site.models import ConfigurationHistory, Job

pytestmark = pytest.mark.django_db


def _fails(**kwargs) -> None:
    model = kwargs.pop("model")
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**kwargs)


def test_one_active_configuration_row_per_key():
    ConfigurationHistory.objects.create(config_key="k", config_value="1", active=True)
    ConfigurationHistory.objects.create(config_key="k", config_value="0", active=False)
    _fails(model=ConfigurationHistory, config_key="k", config_value="2", active=True)


def test_job_status_is_constrained():
    _fails(model=Job, kind="scan", lock_key="library:1", status="paused")
