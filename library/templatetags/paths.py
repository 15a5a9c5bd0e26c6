"""Template filters for showing file paths."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Where a long path may wrap: after a folder's slash, and before Plex's " - "
# separator (so "- s01e02" starts the next line), never inside a word.
_BREAKS = re.compile(r"(/)|( - )")


@register.filter
def path_wrap(path: str) -> SafeString:
    """The path, escaped, with a line-break opportunity (<wbr>) at each `/` and ` - `."""
    escaped = escape(path)
    return mark_safe(  # noqa: S308 -- only <wbr> is added to text escaped above
        _BREAKS.sub(lambda m: "/<wbr>" if m.group(1) else "<wbr> - ", escaped)
    )
