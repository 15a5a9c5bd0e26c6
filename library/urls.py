from __future__ import annotations

from django.urls import path

from library.views import history, libraries, rename

app_name = "library"

urlpatterns = [
    path("libraries/", libraries.library_list, name="list"),
    path("libraries/add/", libraries.library_add, name="add"),
    path("libraries/<int:pk>/", libraries.library_detail, name="detail"),
    path("libraries/<int:pk>/edit/", libraries.library_edit, name="edit"),
    path("libraries/<int:pk>/delete/", libraries.library_delete_view, name="delete"),
    path("libraries/<int:pk>/scan/", libraries.library_scan_view, name="scan"),
    path("libraries/<int:pk>/show/", libraries.show_detail, name="show"),
    path("libraries/<int:pk>/media/<int:media_pk>/", libraries.media_detail, name="media"),
    path("libraries/<int:pk>/plex-check/", libraries.plex_check_view, name="plex_check"),
    path("rename/", rename.rename_preview, name="rename"),
    path("rename/apply/", rename.rename_apply, name="rename_apply"),
    path("rename/apply-all/", rename.rename_apply_all, name="rename_apply_all"),
    path("rename/apply-selected/", rename.rename_apply_selected, name="rename_apply_selected"),
    path("rename/replan/", rename.rename_replan, name="rename_replan"),
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
