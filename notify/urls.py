from __future__ import annotations

from django.urls import path

from notify import views

app_name = "notify"

urlpatterns = [
    path("plex/", views.plex_page, name="plex"),
    path("plex/test/", views.plex_test, name="plex_test"),
    path("plex/forget-token/", views.plex_token_forget, name="plex_token_forget"),
    path("plex/forget-webhook/", views.webhook_forget, name="webhook_forget"),
]
