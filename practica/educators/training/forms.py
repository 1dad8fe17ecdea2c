"""Forms of PEPS training, in GOV.UK Design System markup."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from practica.core.forms import GovUKForm
from practica.core.models import AcademicYear
from practica.educators.register.forms import GovUKDateField
from practica.educators.register.models import PracticeEducator
from practica.educators.training.models import CohortStage, Outcome


class CohortForm(GovUKForm):
    academic_year = forms.ModelChoiceField(
        queryset=AcademicYear.objects.order_by("-start_year"), label="Academic year"
    )
    stage = forms.TypedChoiceField(
        choices=CohortStage.choices, coerce=int, widget=forms.RadioSelect, label="Stage"
    )


class EnrolForm(GovUKForm):
    educator = forms.ModelChoiceField(queryset=PracticeEducator.objects.none(), label="Candidate")
    assessor = forms.ModelChoiceField(
        queryset=PracticeEducator.objects.none(),
        required=False,
        label="Assessor or mentor",
        help_text="A PEPS Stage 2 practice educator. You can add them later.",
    )

    def __init__(
        self,
        *args: Any,
        candidates: QuerySet[PracticeEducator],
        assessors: QuerySet[PracticeEducator],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["educator"].queryset = candidates
        fields["assessor"].queryset = assessors


class OutcomeForm(GovUKForm):
    """The outcome and its date; correcting a final outcome also asks why (history keeps it)."""

    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect)
    outcome_date = GovUKDateField(
        label="Date of the outcome",
        required=False,
        help_text="Needed for every outcome but Enrolled. For example 30 6 2020.",
    )
    reason = forms.CharField(
        label="Why are you correcting the recorded outcome?",
        max_length=100,
        help_text="For example: the assessment panel's decision was entered wrongly.",
        # the generic "Enter the …" would read "Enter the why are you correcting …"
        error_messages={"required": "Say why you are correcting the recorded outcome."},
    )

    def __init__(self, *args: Any, correcting: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not correcting:
            del self.fields["reason"]
