from __future__ import annotations

from django.urls import path

from library.views import history, rename

app_name = "library"

urlpatterns = [
    path("rename/", rename.rename_preview, name="rename"),
    path("rename/apply/", rename.rename_apply, name="rename_apply"),
    path("jobs/<int:pk>/", rename.job_detail, name="job"),
    path("jobs/<int:pk>/status.json", rename.job_status, name="job_status"),
    path("history/", history.history, name="history"),
    path("history/export.csv", history.history_export, name="history_export"),
    path("history/batch/<int:pk>/", history.batch_detail, name="batch"),
    path("history/batch/<int:pk>/rollback/", history.batch_rollback, name="batch_rollback"),
    path(
        "history/operation/<int:pk>/rollback/",
        history.operation_rollback,
        name="operation_rollback",
    ),
]
