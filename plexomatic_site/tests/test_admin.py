"""Every model is in the admin, and its list, filters and search render."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

OUR_APPS = {"plexomatic_site", "library", "backups"}


def test_every_model_is_registered():
    ours = {m for m in apps.get_models() if m._meta.app_label in OUR_APPS}
    assert ours <= set(admin.site._registry), ours - set(admin.site._registry)


@pytest.mark.parametrize(
    "model",
    [m for m in apps.get_models() if m._meta.app_label in OUR_APPS],
    ids=lambda m: m._meta.label,
)
def test_changelist_and_search_render(admin_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "x"}).status_code == 200


@pytest.mark.parametrize(
    "label",
    ["plexomatic_site.ConfigurationHistory", "plexomatic_site.Job", "library.FileOperation"],
)
def test_journals_cannot_be_changed_or_deleted_in_the_admin(rf, admin_user, label):
    model = apps.get_model(label)
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = admin_user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_libraries_are_removed_on_the_site_not_in_the_admin(rf, admin_user):
    from library.models import Library

    request = rf.get("/")
    request.user = admin_user
    assert not admin.site._registry[Library].has_delete_permission(request)
