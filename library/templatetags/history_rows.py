"""The history tables' rows, each built by one filter call.

A history page shows 25 batches or 50 operations. In the template language a
row's thirty-odd variables, tags and filters cost about 0.3 ms, and that was
most of the page's time (with eight people on the site, most of their wait).
These build the same markup with plexomatic_site.markup (format_html at a
third of the cost), which escapes every value:

    {% for op in operations %}{{ op|operation_row }}{% endfor %}
    {% url 'library:history' as history %}
    {% for summary in summaries %}{{ summary|batch_row:history }}{% endfor %}
"""

from __future__ import annotations

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma, naturaltime
from django.utils.safestring import SafeString, mark_safe

from library.models import Batch, OperationStatus
from library.selectors import BatchSummary, OperationRow
from plexomatic_site.markup import markup
from plexomatic_site.templatetags.moments import moment

register = template.Library()

# Constant markup, nothing from a user in it.
_NEEDS_ATTENTION = mark_safe(' <span class="badge danger">needs attention</span>')
_NONE = mark_safe('<span class="muted">none</span>')
_NOT_RECORDED = mark_safe('<span class="muted">not recorded</span>')


@register.filter
def operation_row(op: OperationRow) -> SafeString:
    """One operation's <tr> in a history table."""
    library = (
        markup('<br><span class="muted">{}</span>', op.library_name) if op.library_name else ""
    )
    error = markup('<p class="error">{}</p>', op.error) if op.error else ""
    rolled_back = (
        markup('<br><span class="muted">rolled back {}</span>', naturaltime(op.rolled_back_at))
        if op.rolled_back_at
        else ""
    )
    action = (
        markup(
            '<a href="{}">Roll back<span class="visually-hidden"> operation {}</span></a>',
            op.rollback_url,
            op.id,
        )
        if op.status == OperationStatus.COMPLETED
        else ""
    )
    return markup(
        '<tr><td>{}</td><td><a href="{}">{}</a>{}</td><td>{}</td>'
        '<td><span class="badge status-{}">{}</span>{}</td>'
        "<td><code>{}</code><br>→ <code>{}</code>{}</td><td>{}{}</td><td>{}</td></tr>",
        op.id,
        op.batch_url,
        op.batch_id,
        library,
        op.operation_type_label,
        op.status,
        op.status_label,
        _NEEDS_ATTENTION if op.needs_attention else "",
        op.original_path,
        op.new_path,
        error,
        moment(op.created_at),
        rolled_back,
        action,
    )


@register.filter
def batch_row(summary: BatchSummary, history: str) -> SafeString:
    """One batch's <tr> in the history's batch table; `history` is the history page's URL,
    which its counts link to with the files view filtered to the batch and a status."""
    batch = summary.batch

    def files_link(status: str, count: int, words: str) -> SafeString | str:
        if not count:
            return "0"
        return markup(
            '<a href="{}?view=files&amp;batch={}&amp;status={}">{}'
            '<span class="visually-hidden"> {} in batch {}</span></a>',
            history,
            batch.pk,
            status,
            intcomma(count),
            words,
            batch.pk,
        )

    kind = (
        markup(' <span class="badge muted">{}</span>', batch.get_kind_display().lower())
        if batch.kind != Batch.Kind.APPLY
        else ""
    )
    pending = (
        markup(
            ' <a class="badge status-pending" '
            'href="{}?view=files&amp;batch={}&amp;status=pending">{} pending</a>',
            history,
            batch.pk,
            intcomma(summary.pending),
        )
        if summary.pending
        else ""
    )
    note = markup('<br><span class="muted">{}</span>', batch.note) if batch.note else ""
    return markup(
        '<tr><th scope="row"><a href="{}">Batch {}</a>{}{}{}</th><td>{}</td><td>{}</td>'
        '<td>{}</td><td class="num">{}</td><td class="num">{}</td>'
        '<td class="num">{}</td><td class="num">{}</td></tr>',
        summary.url,
        batch.pk,
        kind,
        pending,
        note,
        batch.library.name if batch.library else _NONE,
        batch.created_by.get_username() if batch.created_by else _NOT_RECORDED,
        moment(batch.created_at),
        intcomma(summary.total),
        intcomma(summary.completed),
        files_link(OperationStatus.FAILED, summary.failed, "failed"),
        files_link(OperationStatus.ROLLED_BACK, summary.rolled_back, "rolled back"),
    )
