from __future__ import annotations

import threading

import pytest
from django import forms
from django.db import connection

from plexomatic_site.errors import SettingsError
from plexomatic_site.forms import int_field
from plexomatic_site.models import ConfigurationHistory
from plexomatic_site.settings_store import (
    Setting,
    UnknownSetting,
    setting_get,
    setting_history,
    setting_revert,
    settings_all,
    settings_current,
    settings_register,
    settings_update,
)


@pytest.mark.django_db
def test_unchanged_setting_reads_its_default():
    assert setting_get("backup_interval_hours") == 24
    assert settings_current() == {s.key: s.default for s in settings_all()}


@pytest.mark.django_db
def test_change_and_revert_keeps_three_rows(user):
    assert settings_update(values={"backup_interval_hours": 6}, user=user) == [
        "backup_interval_hours"
    ]
    assert setting_get("backup_interval_hours") == 6
    first = ConfigurationHistory.objects.get(config_key="backup_interval_hours", config_value="24")
    assert setting_revert(entry=first, user=user) is True
    assert setting_get("backup_interval_hours") == 24

    rows = setting_history("backup_interval_hours")
    assert [(r.previous, r.value) for r in rows] == [("6", "24"), ("24", "6"), (None, "24")]
    assert rows[0].entry.reverted_from == first
    assert rows[0].entry.changed_by == user
    assert (
        ConfigurationHistory.objects.filter(config_key="backup_interval_hours", active=True).count()
        == 1
    )


@pytest.mark.django_db
def test_unchanged_value_adds_no_row():
    assert settings_update(values={"backup_interval_hours": 24}) == []
    settings_update(values={"backup_interval_hours": 12})
    assert settings_update(values={"backup_interval_hours": 12}) == []
    assert ConfigurationHistory.objects.filter(config_key="backup_interval_hours").count() == 2


@pytest.mark.django_db
def test_extensions_are_normalised():
    settings_update(values={"video_extensions": [".MKV", ".mp4", ".mkv"]})
    assert setting_get("video_extensions") == [".mkv", ".mp4"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_leave_one_active_row():
    """Eight writers on their own connections: they queue, none fails, one row stays active."""
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def edit(value: int) -> None:
        try:
            start.wait()
            settings_update(values={"backup_keep_count": value})
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(100, 108)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    active = ConfigurationHistory.objects.filter(config_key="backup_keep_count", active=True)
    assert active.count() == 1
    # The default row plus one row per writer: nobody's change was lost.
    assert ConfigurationHistory.objects.filter(config_key="backup_keep_count").count() == 9


def test_each_app_registers_its_own_settings():
    keys = [s.key for s in settings_all()]
    assert keys[0] == "video_extensions"  # the library app's, registered first
    assert "naming_tv_template" in keys and "backup_interval_hours" in keys
    assert len(keys) == len(set(keys))


def test_registering_a_different_setting_under_a_known_key_is_refused():
    taken = settings_all()[0]
    settings_register(taken)  # the same definition again: no change
    with pytest.raises(ValueError, match="Two different settings"):
        settings_register(
            Setting(
                key=taken.key,
                label="Other",
                help_text="",
                default=1,
                group="Other",
                make_field=forms.IntegerField,
            )
        )


@pytest.mark.django_db
def test_the_store_validates_through_what_was_registered():
    with pytest.raises(SettingsError, match="Backup interval"):
        settings_update(values={"backup_interval_hours": -5})
    with pytest.raises(SettingsError, match="must be a whole number, not '6'"):
        settings_update(values={"backup_interval_hours": "6"})
    with pytest.raises(SettingsError, match="Unknown placeholder"):
        settings_update(values={"naming_tv_template": "{title}/{nope}"})
    with pytest.raises(UnknownSetting, match="There is no setting 'nope'"):
        settings_update(values={"nope": 1})
    assert not ConfigurationHistory.objects.exists()


def test_int_field_bounds_the_value():
    field = int_field(1, 3)(label="n")
    assert field.clean("2") == 2
    with pytest.raises(forms.ValidationError):
        field.clean("4")


@pytest.mark.parametrize("setting", settings_all(), ids=lambda setting: setting.key)
def test_every_default_is_already_normalised(setting):
    """Saving the settings page unchanged must record nothing: a default that its own
    normalisation rewrites would be saved as a change each time."""
    assert setting.normalise(setting.default) == setting.default
