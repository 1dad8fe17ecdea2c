"""Forms of the pages kept during a placement (GOV.UK markup)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format

from practica.core.forms import GovUKForm, style
from practica.core.models import AcademicYear, Location, ServiceArea
from practica.educators.register.forms import GovUKDateField
from practica.placements.during.models import (
    MAX_PREFERENCES,
    OUTCOMES_OF,
    AttendanceWeek,
    CheckKind,
    ReviewOutcome,
)


class CheckForm(GovUKForm):
    kind = forms.ChoiceField(label="Check", choices=CheckKind.choices)
    completed_on = GovUKDateField(label="Done on")
    expires_on = GovUKDateField(
        label="Valid until",
        required=False,
        help_text="Leave empty if it does not expire.",
    )
    reference = forms.CharField(
        max_length=60,
        required=False,
        help_text="A certificate number or the document's name (optional).",
    )


class SkillsDaysForm(GovUKForm):
    held_on = GovUKDateField(label="Day (or first day)")
    days = forms.DecimalField(
        min_value=Decimal("0.5"),
        max_value=Decimal(30),
        decimal_places=1,
        help_text="Half days as 0.5.",
    )
    topic = forms.CharField(max_length=200, label="What the skills days were about")


class AttendanceForm(GovUKForm):
    week_starting = GovUKDateField(label="Week starting (a Monday)")
    days = forms.DecimalField(
        label="Days attended",
        min_value=Decimal(0),
        max_value=Decimal(7),
        decimal_places=1,
        help_text="Half days as 0.5.",
    )
    note = forms.CharField(
        max_length=200, required=False, help_text="For example, a day of absence and why."
    )


class ReviewForm(GovUKForm):
    held_on = GovUKDateField(label="Date held")
    outcome = forms.ChoiceField(widget=forms.RadioSelect)
    notes = forms.CharField(widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [  # type: ignore[attr-defined]
            (value, ReviewOutcome(value).label) for value in OUTCOMES_OF[kind]
        ]


class ObservationForm(GovUKForm):
    observed_on = GovUKDateField(label="Date observed")
    observer = forms.CharField(
        max_length=120, help_text="Who observed, e.g. the practice educator."
    )
    summary = forms.CharField(
        widget=forms.Textarea, required=False, help_text="What was observed and the feedback given."
    )


class ConcernForm(GovUKForm):
    concern = forms.CharField(
        label="What is the concern?",
        widget=forms.Textarea,
        help_text="The student's university and the placement's coordinators will see it.",
    )


class MeetingForm(GovUKForm):
    meeting_on = GovUKDateField(label="Meeting held on")
    notes = forms.CharField(label="Notes of the meeting", widget=forms.Textarea, required=False)


class ActionPlanForm(GovUKForm):
    action_plan = forms.CharField(widget=forms.Textarea)
    review_on = GovUKDateField(label="Review the plan by", required=False)


class CloseConcernForm(GovUKForm):
    outcome = forms.CharField(widget=forms.Textarea, help_text="How the concern was resolved.")
    placement_ended = forms.BooleanField(label="The placement ended because of it", required=False)


class ButtonForm(GovUKForm):
    """A step that asks nothing more (signing a week off): a button."""


class PreferenceWindowForm(GovUKForm):
    academic_year = forms.ModelChoiceField(queryset=AcademicYear.objects.none())
    opens_on = GovUKDateField(label="Opens on")
    closes_on = GovUKDateField(label="Closes on", help_text="Students can choose until this day.")

    def __init__(self, *args: Any, years: QuerySet[AcademicYear], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["academic_year"].queryset = years  # type: ignore[attr-defined]


class TownChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.organisation.name})"


class PreferencesForm(GovUKForm):
    """Up to three service areas, first choice first, each with a town if the student likes."""

    def __init__(self, *args: Any, locations: QuerySet[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for rank, word in enumerate(("First", "Second", "Third"), start=1):
            self.fields[f"area_{rank}"] = forms.ModelChoiceField(
                label=f"{word} choice of service area",
                queryset=ServiceArea.objects.order_by("name"),
                required=rank == 1,
            )
            self.fields[f"location_{rank}"] = TownChoice(
                label=f"Town for your {word.lower()} choice (optional)",
                queryset=locations,
                required=False,
            )
        style(self)

    def choices(self) -> list[tuple[Any, Any]]:
        data = self.cleaned_data
        return [
            (data[f"area_{rank}"], data[f"location_{rank}"])
            for rank in range(1, MAX_PREFERENCES + 1)
            if data.get(f"area_{rank}")
        ]


class SignOffWeeksForm(GovUKForm):
    """The weeks of one placement waiting to be signed off, to tick and sign off at once."""

    weeks = forms.MultipleChoiceField(
        label="Weeks to sign off",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the weeks to sign off."},
    )

    def __init__(self, *args: Any, weeks: list[AttendanceWeek], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by_id = {str(week.pk): week for week in weeks}
        field: Any = self.fields["weeks"]
        field.choices = [
            (
                str(week.pk),
                f"Week of {date_format(week.week_starting, 'j F Y')}: {week.days} days"
                + (f" ({week.note})" if week.note else ""),
            )
            for week in weeks
        ]
        field.initial = list(self.by_id)

    def chosen(self) -> list[AttendanceWeek]:
        return [self.by_id[pk] for pk in self.cleaned_data["weeks"]]
