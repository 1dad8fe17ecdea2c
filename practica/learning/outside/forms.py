"""The form a practice educator records outside CPD with (GOV.UK date input, file upload)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from practica.core.forms import GovUKForm
from practica.learning.date_fields import DateField, finish_styling


class OutsideCpdForm(GovUKForm):
    title = forms.CharField(
        label="What was it?",
        max_length=200,
        help_text="For example, a course, a conference or a piece of reading.",
    )
    done_on = DateField(label="When was it?", help_text="For example, 27 2 2020")
    hours = forms.DecimalField(
        label="How many hours?",
        min_value=Decimal("0.5"),
        max_value=Decimal("500"),
        decimal_places=1,
        help_text="In hours, for example 3.5",
    )
    provider = forms.CharField(
        label="Who provided it?", max_length=200, help_text="For example, Research in Practice."
    )
    reflection = forms.CharField(
        label="What did you take from it for your practice education? (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    evidence = forms.FileField(
        label="Evidence (optional)",
        required=False,
        help_text="A certificate or programme as a PDF, PNG or JPEG file, up to 5 MB.",
    )

    WIDTHS = {"hours": "govuk-input--width-4"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        finish_styling(self, self.WIDTHS, "done_on")

    def full_clean(self) -> None:
        super().full_clean()
        finish_styling(self, self.WIDTHS, "done_on")

    def evidence_file(self) -> tuple[str, bytes] | None:
        upload = self.cleaned_data.get("evidence")
        if not upload:
            return None
        return upload.name or "evidence", upload.read()
