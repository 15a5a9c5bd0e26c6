"""Form pieces every app uses: a confirmation box, and the fields settings are edited with."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms


class ConfirmForm(forms.Form):
    """A destructive step: the user ticks the box after reading what will happen."""

    confirm = forms.BooleanField(
        label="Yes, I understand",
        error_messages={"required": "Tick the box to confirm."},
    )

    def __init__(self, *args: Any, label: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["confirm"].label = label


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class LinesField(forms.CharField):
    """A list of strings edited as one item per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        return _lines(super().to_python(value) or "")


def int_field(minimum: int, maximum: int) -> Callable[..., forms.Field]:
    """A setting's `make_field` for a whole number in [minimum, maximum]."""

    def make(**kwargs: Any) -> forms.Field:
        return forms.IntegerField(min_value=minimum, max_value=maximum, **kwargs)

    return make
