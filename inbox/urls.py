from __future__ import annotations

from django.urls import path

from inbox import views

app_name = "inbox"

urlpatterns = [
    path("", views.inbox_list, name="list"),
    path("<int:pk>/", views.inbox_preview, name="preview"),
    path("<int:pk>/import/", views.inbox_import_view, name="import"),
]
