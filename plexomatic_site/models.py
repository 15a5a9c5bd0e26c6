from __future__ import annotations

from django.conf import settings
from django.db import models


class ConfigurationHistory(models.Model):
    """One row per value a setting has ever had; the active row is the current one.

    Changing a setting deactivates the active row and adds a new one, so the
    whole history is kept and any earlier value can be restored.
    """

    config_key = models.CharField(max_length=100)
    # JSON text of the typed value (see plexomatic_site.settings_store).
    config_value = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The row this one restored, when the change was a revert.
    reverted_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "configuration change"
        verbose_name_plural = "configuration history"
        ordering = ["config_key", "-created_at", "-id"]
        constraints = [
            # A setting has exactly one current value.
            models.UniqueConstraint(
                fields=["config_key"],
                condition=models.Q(active=True),
                name="config_one_active_per_key",
            ),
        ]
        indexes = [
            # A key's history page: WHERE config_key = ? ORDER BY created_at DESC.
            models.Index(fields=["config_key", "-created_at"], name="config_key_history_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.config_key} = {self.config_value}"
