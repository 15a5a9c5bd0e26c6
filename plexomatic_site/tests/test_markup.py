from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from plexomatic_site.markup import markup


def test_markup_escapes_exactly_as_format_html_and_keeps_safe_values():
    values = [
        "<script>alert('x')</script> & \"quoted\"",
        mark_safe("<b>trusted</b>"),
        markup("<i>{}</i>", "<nested>"),
        gettext_lazy("TV show"),
        42,
        None,
        "",
    ]
    template = "<td>" + "</td><td>".join("{}" for _ in values) + "</td>"
    built = markup(template, *values)
    assert isinstance(built, SafeString)
    assert built == format_html(template, *values)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)" in built and "<b>trusted</b>" in built
    assert "<i>&lt;nested&gt;</i>" in built
