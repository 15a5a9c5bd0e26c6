from __future__ import annotations

from django.urls import path

from library.views import libraries

app_name = "library"

urlpatterns = [
    path("libraries/", libraries.library_list, name="list"),
    path("libraries/add/", libraries.library_add, name="add"),
    path("libraries/<int:pk>/", libraries.library_detail, name="detail"),
    path("libraries/<int:pk>/edit/", libraries.library_edit, name="edit"),
    path("libraries/<int:pk>/delete/", libraries.library_delete_view, name="delete"),
    path("libraries/<int:pk>/scan/", libraries.library_scan_view, name="scan"),
    path("libraries/<int:pk>/show/", libraries.show_detail, name="show"),
]
