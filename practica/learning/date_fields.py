"""The GOV.UK date input, a 24-hour time field, and the styling ``core.forms.style`` leaves
to them: the date and time questions of the events and CPD-needs survey forms."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms


class DateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes in one fieldset."""

    template_name = "learning/widgets/date_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__([forms.TextInput() for _ in range(3)], attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateField(forms.MultiValueField):
    """A real date from the GOV.UK date input, with GOV.UK's error messages."""

    widget = DateInput

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        name = label.lower()
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(
            fields,
            label=label,
            require_all_fields=False,
            error_messages={
                "required": f"Enter the {name}",
                "incomplete": f"The {name} must include a day, month and year",
                "invalid": f"The {name} must be a real date",
            },
            **kwargs,
        )

    def clean(self, value: Any) -> datetime.date | None:
        parts = [str(part).strip() if part is not None else "" for part in (value or [])]
        if not any(parts):
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        if len(parts) != 3 or not all(parts):
            raise forms.ValidationError(self.error_messages["incomplete"], code="incomplete")
        try:
            day, month, year = (int(part) for part in parts)
            date = datetime.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not 1990 <= date.year <= 2100:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return date

    def compress(self, data_list: list[Any]) -> None:  # clean() does the work
        raise NotImplementedError


class TimeField(forms.TimeField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            input_formats=["%H:%M", "%H.%M", "%H%M"],
            help_text="Use the 24-hour clock, for example 09:30 or 14:00.",
            **kwargs,
        )


def finish_styling(form: forms.BaseForm, widths: dict[str, str], *dates: str) -> None:
    """What core.forms.style does not do: narrow inputs, and the error class on the date boxes."""
    for name, width in widths.items():
        widget = form.fields[name].widget
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {width}".strip()
    for name in dates:
        widget = form.fields[name].widget
        # the errors found so far (None before cleaning): form.errors would clean the form here
        errors = form._errors or {}  # type: ignore[attr-defined]  # private to Django, not in django-stubs
        widget.attrs["class"] = "govuk-input--error" if name in errors else ""
