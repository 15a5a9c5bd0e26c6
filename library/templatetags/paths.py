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


def _wrapped(path: str) -> str:
    """The path, escaped, with a line-break opportunity (<wbr>) at each `/` and ` - `."""
    return _BREAKS.sub(lambda m: "/<wbr>" if m.group(1) else "<wbr> - ", escape(path))


@register.filter
def marked_path(parts: tuple[str, str, str], tag: str) -> SafeString:
    """A path split around its change (plan.path_marked), the change in <del> or <ins>,
    wrapping at `/` and ` - `: one filter call per path, as a 200-row page needs."""
    if tag not in ("del", "ins"):
        raise ValueError(f"marked_path marks with del or ins, not {tag!r}")
    head, changed, tail = parts
    middle = f"<{tag}>{_wrapped(changed)}</{tag}>" if changed else ""
    # Every part is escaped by _wrapped; only <wbr> and the one tag are added.
    return mark_safe(_wrapped(head) + middle + _wrapped(tail))  # noqa: S308
