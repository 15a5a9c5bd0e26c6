from __future__ import annotations

from django.urls import path

from backups import views

app_name = "backups"

urlpatterns = [
    path("", views.backup_list, name="list"),
    path("create/", views.backup_create_view, name="create"),
    path("upload/", views.backup_upload, name="upload"),
    path("schedule/", views.backup_schedule, name="schedule"),
    path("vacuum/", views.database_vacuum_view, name="vacuum"),
    path("<int:pk>/verify/", views.backup_verify_view, name="verify"),
    path("<int:pk>/download/", views.backup_download, name="download"),
    path("<int:pk>/restore/", views.backup_restore_view, name="restore"),
    path("<int:pk>/delete/", views.backup_delete_view, name="delete"),
    path("<int:pk>/pin/", views.backup_pin_view, name="pin"),
]
