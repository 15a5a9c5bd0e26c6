"""The one way every page shows a date and time."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils import timezone
from django.utils.safestring import SafeString

from plexomatic_site.markup import markup

register = template.Library()


@register.filter
def moment(value: datetime | None) -> SafeString | str:
    """How long ago as the text, the exact local time as its tooltip, ISO 8601 for machines.

    `{{ some_datetime|moment }}` in a template, `moment(value)` where rows are
    built in Python: a filter rather than an included template, as a history
    page shows fifty of them (an include costs a template render each).
    """
    if value is None:
        return ""
    local = timezone.localtime(value)
    return markup(
        '<time datetime="{}" title="{}">{}</time>',
        local.isoformat(),
        local.strftime("%Y-%m-%d %H:%M:%S"),
        naturaltime(value),
    )
