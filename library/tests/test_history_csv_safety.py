"""The CSV export never hands a spreadsheet a formula."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from library.models import Batch, FileOperation, Library

pytestmark = pytest.mark.django_db

DANGEROUS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_export_prefixes_a_quote_to_every_cell_a_spreadsheet_would_run(logged_in, value):
    library = Library.objects.create(name=value, root_path="/media/tv")
    batch = Batch.objects.create(library=library, kind=Batch.Kind.APPLY)
    FileOperation.objects.create(
        batch=batch,
        original_path=value,
        new_path="/media/tv/" + value,
        checksum=value,
        error=value,
    )
    response = logged_in.get(reverse("library:history_export"))
    body = b"".join(response.streaming_content).decode()
    header, row = list(csv.reader(io.StringIO(body, newline="")))
    cells = dict(zip(header, row, strict=True))
    for column in ("library", "original_path", "checksum", "error"):
        assert cells[column] == "'" + value
    # A value that is no formula is left exactly as it was.
    assert cells["new_path"] == "/media/tv/" + value
    assert cells["operation_type"] == "rename"
