from __future__ import annotations

app_name = "library"

urlpatterns: list = []
