"""Forms of the time audit pages (GOV.UK markup)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from practica.core.forms import GovUKForm, style
from practica.core.models import AcademicYear
from practica.educators.register.models import PracticeEducator
from practica.placements.models import PlacementType
from practica.timeaudit.models import ACTIVITY_FIELDS, WEEK_HOURS_MAX, Activity, TimeLog


def _hours_field(label: str, *, required: bool, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_value=WEEK_HOURS_MAX,
        max_digits=5,
        decimal_places=2,
        help_text=help_text,
        error_messages={
            "min_value": "Hours cannot be negative.",
            "max_value": f"A week holds at most {WEEK_HOURS_MAX} hours.",
            "invalid": "Enter the hours as a number, like 7 or 7.5.",
            "max_decimal_places": "Enter the hours to at most two decimal places, like 7.25.",
        },
    )


class WeekForm(GovUKForm):
    """A week's hours of practice educator work; the split by activity is optional."""

    daytime_hours = _hours_field(
        "Hours in the working day",
        required=True,
        help_text="Practice educator work during your working hours, such as 7.5.",
    )
    ooh_hours = _hours_field(
        "Hours out of hours",
        required=True,
        help_text="Practice educator work outside your working hours (evenings, weekends). "
        "Enter 0 if none.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for activity in Activity:
            self.fields[ACTIVITY_FIELDS[activity]] = _hours_field(activity.label, required=False)
        self.order_fields(["daytime_hours", "ooh_hours", *ACTIVITY_FIELDS.values()])
        style(self)  # again: the activity fields came after GovUKForm styled the others

    @staticmethod
    def initial_of(log: TimeLog | None) -> dict[str, Any]:
        if log is None:
            return {}
        return {
            "daytime_hours": log.daytime_hours,
            "ooh_hours": log.ooh_hours,
            **{field: getattr(log, field) for field in ACTIVITY_FIELDS.values()},
        }

    def activities(self) -> dict[str, Decimal | None]:
        return {
            activity: self.cleaned_data.get(field) for activity, field in ACTIVITY_FIELDS.items()
        }


class AuditForm(GovUKForm):
    """A new audit: its name, year and type of placement (the acting organisation runs it)."""

    name = forms.CharField(label="Name", max_length=200, help_text="Like PE time audit 2019.")
    academic_year = forms.ModelChoiceField(
        queryset=AcademicYear.objects.none(), label="Academic year", empty_label=None
    )
    placement_type = forms.ChoiceField(
        label="Type of placement",
        choices=PlacementType.choices,
        help_text="Each practice educator is linked to their placement of this type and year.",
    )

    def __init__(self, *args: Any, years: QuerySet[AcademicYear], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["academic_year"].queryset = years  # type: ignore[attr-defined]  # a ModelChoiceField; fields are typed as Field


class EnrolForm(GovUKForm):
    """A practice educator to enrol in an audit."""

    practice_educator = forms.ModelChoiceField(
        queryset=PracticeEducator.objects.none(), label="Practice educator"
    )

    def __init__(
        self, *args: Any, educators: QuerySet[PracticeEducator], help_text: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["practice_educator"]
        field.queryset = educators
        field.help_text = help_text
        field.label_from_instance = lambda educator: (
            f"{educator.person.full_name} ({educator.person.organisation.name})"
        )
