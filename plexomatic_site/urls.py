from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path

from plexomatic_site.pages import jobs, views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("setup/", views.setup, name="setup"),
    path("login/", views.PlexomaticLoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/<slug:key>/", views.setting_history_page, name="setting_history"),
    path("settings/history/<int:pk>/revert/", views.setting_revert_view, name="setting_revert"),
    path("jobs/<int:pk>/", jobs.job_detail, name="job"),
    path("jobs/<int:pk>/status.json", jobs.job_status, name="job_status"),
    path("admin/", admin.site.urls),
    path("backups/", include("backups.urls")),
    path("inbox/", include("inbox.urls")),
    path("", include("notify.urls")),
    path("", include("library.urls")),
]
