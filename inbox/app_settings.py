"""The inbox's settings: when a download is finished, and what an import does with a
duplicate (registered in InboxConfig.ready)."""

from __future__ import annotations

from typing import Any

from django import forms

from plexomatic_site.forms import LinesField, int_field
from plexomatic_site.settings_store import Setting

# What an import does when the library already has the episode or film.
DUPLICATE_CHOICES = (
    ("better", "Replace when better (higher resolution, then larger), skip otherwise"),
    ("keep_both", "Keep both, as Plex versions"),
    ("skip", "Skip (leave the new file in the inbox)"),
    ("replace", "Replace (the old file goes to the recycle folder)"),
)


def _suffixes_normalise(values: list[str]) -> list[str]:
    return sorted({value.lower() for value in values})


def _duplicate_field(**kwargs: Any) -> forms.Field:
    return forms.ChoiceField(choices=DUPLICATE_CHOICES, **kwargs)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        key="inbox_settle_seconds",
        label="Settle time (seconds)",
        help_text=(
            "A file is imported only once its size and modified time have not changed for "
            "this long: a download still being written stays in the inbox."
        ),
        default=60,
        group="Inbox",
        make_field=int_field(0, 86400),
    ),
    Setting(
        key="inbox_partial_suffixes",
        label="Unfinished download suffixes",
        help_text="Files ending with these are downloads in progress and never imported.",
        default=_suffixes_normalise([".part", ".!qb", ".crdownload", ".!ut", ".partial", ".tmp"]),
        group="Inbox",
        make_field=LinesField,
        normalise=_suffixes_normalise,
        optional=True,
    ),
    Setting(
        key="inbox_duplicate_rule",
        label="When the episode or film is already there",
        help_text="The default for each file; the import command and page can choose per file.",
        default="better",
        group="Inbox",
        make_field=_duplicate_field,
    ),
    Setting(
        key="inbox_recycle_days",
        label="Keep replaced files (days)",
        help_text=(
            "A replaced file waits in .plexomatic-recycle/ at its library's root (so an "
            "import can be rolled back) for this many days, then is deleted. 0 keeps them."
        ),
        default=30,
        group="Inbox",
        make_field=int_field(0, 3650),
    ),
    Setting(
        key="inbox_import_minutes",
        label="Import every (minutes)",
        help_text=(
            "While <code>serve</code> runs, each enabled inbox is imported this often (as "
            "the Import button does; an import already running is not doubled). 0: only "
            "when asked."
        ),
        default=0,
        group="Inbox",
        make_field=int_field(0, 10080),
    ),
)
