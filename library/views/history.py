"""Operation history: filters, batches, rollback, CSV export."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from library.forms import BatchFilterForm, HistoryFilterForm
from library.models import Batch, FileOperation
from library.selectors import batch_summaries, operation_rows
from library.services.locks import library_lock
from library.services.rollback import rollback_libraries
from library.tasks import rollback_operations
from plexomatic_site.forms import ConfirmForm
from plexomatic_site.jobs import job_enqueue
from plexomatic_site.models import JobKind
from plexomatic_site.pagination import CappedPaginator

PAGE_SIZE = 50
# Fewer batches than operations to a page: each one's operations are counted.
BATCH_PAGE_SIZE = 25
CSV_COLUMNS = [
    "id",
    "batch",
    "library",
    "operation_type",
    "status",
    "original_path",
    "new_path",
    "checksum",
    "created_at",
    "completed_at",
    "rolled_back_at",
    "needs_attention",
    "error",
]


def _operations() -> QuerySet[FileOperation]:
    return FileOperation.objects.select_related("batch__library")


@require_GET
def history(request: HttpRequest) -> HttpResponse:
    """The batches, newest first; `?view=files` lists the operations one by one."""
    view = request.GET.get("view", "")
    if view == "files":
        return _file_history(request)
    if view:
        return HttpResponse(
            f"Unknown history view {view[:20]!r}: leave it out for batches, or use view=files.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    form = BatchFilterForm(request.GET or None)
    batches = form.filter(Batch.objects.select_related("library", "created_by"))
    page = CappedPaginator(batches, BATCH_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "library/history_batches.html",
        {
            "form": form,
            "page_obj": page,
            "summaries": batch_summaries(page.object_list),
            "query": _query_without_page(request),
        },
        status=400 if request.GET and form.errors else 200,
    )


def _file_history(request: HttpRequest) -> HttpResponse:
    form = HistoryFilterForm(request.GET)
    operations = form.filter(FileOperation.objects.all())
    page = CappedPaginator(operations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "library/history_files.html",
        {
            "form": form,
            "page_obj": page,
            "operations": operation_rows(page.object_list),
            "query": _query_without_page(request),
        },
        status=400 if form.errors else 200,
    )


def _query_without_page(request: HttpRequest) -> str:
    """The page's query string for its pagination links (which add their own page)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# A cell starting with one of these is a formula to Excel, LibreOffice and
# Google Sheets (a file named "=HYPERLINK(...).mkv" would run when opened).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    """A text cell a spreadsheet shows as text: a leading quote disarms a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A write-only file for csv.writer: returns each row for streaming."""

    def write(self, value: str) -> str:
        return value


def _csv_rows(operations: QuerySet[FileOperation]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for op in operations.iterator(chunk_size=2000):
        row = [
            op.pk,
            op.batch_id,
            op.batch.library.name if op.batch.library else "",
            op.operation_type,
            op.status,
            op.original_path,
            op.new_path,
            op.checksum,
            op.created_at.isoformat(),
            op.completed_at.isoformat() if op.completed_at else "",
            op.rolled_back_at.isoformat() if op.rolled_back_at else "",
            int(op.needs_attention),
            op.error,
        ]
        yield writer.writerow([csv_safe(value) for value in row])


@require_GET
def history_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    form = HistoryFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return HttpResponse(
            "Invalid filter: " + "; ".join(" ".join(map(str, e)) for e in form.errors.values()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = StreamingHttpResponse(
        _csv_rows(form.filter(_operations())), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="plexomatic-operations.csv"'
    return response


@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(Batch.objects.select_related("library", "created_by"), pk=pk)
    (summary,) = batch_summaries([batch])
    operations = FileOperation.objects.filter(batch=batch)
    page = CappedPaginator(operations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "library/history_batch.html",
        {
            "batch": batch,
            "summary": summary,
            "page_obj": page,
            "operations": operation_rows(page.object_list),
            "query": "",
        },
    )


def _rollback(
    request: HttpRequest, *, operations: list[FileOperation], what: str, back: str
) -> HttpResponse:
    """Confirm page on GET; on POST, claim the libraries' locks and queue the rollback."""
    form = ConfirmForm(
        request.POST if request.method == "POST" else None, label="Yes, move these files back"
    )
    context = {"form": form, "what": what, "count": len(operations), "back": back}
    if request.method != "POST" or not form.is_valid():
        return render(request, "library/history_rollback_confirm.html", context)
    libraries = rollback_libraries(operations)
    if not libraries:
        messages.error(request, "Refused: these files are not inside any library folder.")
        return redirect(back)
    job = job_enqueue(
        kind=JobKind.ROLLBACK,
        locks=[library_lock(library) for library in libraries],
        task=rollback_operations,
        user=request.user,
        operation_ids=[op.pk for op in operations],
    )
    messages.success(request, f"Rolling back {what}.")
    return redirect("job", pk=job.pk)


@require_http_methods(["GET", "POST"])
def batch_rollback(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(Batch, pk=pk)
    back = batch_url(batch)
    operations = list(_operations().filter(batch=batch, status=FileOperation.Status.COMPLETED))
    if not operations:
        messages.info(request, f"Batch {batch.pk} has no completed operation left to roll back.")
        return redirect(back)
    return _rollback(request, operations=operations, what=f"batch {batch.pk}", back=back)


@require_http_methods(["GET", "POST"])
def operation_rollback(request: HttpRequest, pk: int) -> HttpResponse:
    operation = get_object_or_404(_operations(), pk=pk)
    back = batch_url(operation.batch)
    if operation.status != FileOperation.Status.COMPLETED:
        messages.error(
            request,
            f"Operation {operation.pk} is {operation.get_status_display().lower()}; "
            "only a completed operation can be rolled back.",
        )
        return redirect(back)
    return _rollback(request, operations=[operation], what=f"operation {operation.pk}", back=back)


def batch_url(batch: Batch) -> str:
    return reverse("library:batch", args=[batch.pk])
