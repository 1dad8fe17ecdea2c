"""Forms of recruitment and selection, in GOV.UK Design System markup."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from practica.core.forms import GovUKForm, GovUKModelForm, style
from practica.core.models import Person
from practica.educators.recruitment.models import Decision, PeApplication, SelectionCriterion
from practica.educators.register.forms import GovUKDateField


class ApplicationForm(GovUKModelForm[PeApplication]):
    class Meta:
        model = PeApplication
        fields = ["applicant", "stage", "statement", "line_manager_name", "line_manager_email"]
        widgets = {"stage": forms.RadioSelect, "statement": forms.Textarea(attrs={"rows": 8})}

    def __init__(
        self, *args: Any, applicants: QuerySet[Person] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        if applicants is None:
            del fields["applicant"]
            del fields["stage"]
        else:
            fields["applicant"].queryset = applicants
        style(self)

    def _post_clean(self) -> None:
        """The service validates the application."""


class PanelForm(GovUKForm):
    members = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Panel members",
        help_text="Include at least one member from a university (HEI) programme provider.",
    )

    def __init__(self, *args: Any, candidates: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["members"]
        field.queryset = candidates
        field.label_from_instance = lambda person: (
            f"{person.full_name} ({person.organisation.name})"
        )


class InterviewForm(GovUKForm):
    date = GovUKDateField(label="Interview date", help_text="For example 14 1 2020.")
    time = forms.CharField(
        label="Start time", max_length=5, help_text="Use the 24-hour clock, for example 14:30."
    )

    def clean_time(self) -> datetime.time:
        text = self.cleaned_data["time"].strip()
        match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text)
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            raise ValidationError("Enter a time like 14:30")
        return datetime.time(int(match.group(1)), int(match.group(2)))


class ScoresForm(GovUKForm):
    """One score (and an optional comment) per published criterion."""

    def __init__(
        self,
        *args: Any,
        criteria: list[SelectionCriterion],
        existing: dict[int, tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            score, comment = existing.get(criterion.pk, (None, ""))
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.title}: score out of {criterion.max_score}",
                help_text=criterion.description,
                min_value=0,
                max_value=criterion.max_score,
                initial=score,
                error_messages={
                    "required": f"Enter a score for {criterion.title}",
                    "max_value": f"The highest score for {criterion.title} is {criterion.max_score}",
                    "min_value": "A score cannot be below 0",
                    "invalid": f"Enter the score for {criterion.title} as a whole number",
                },
                widget=forms.TextInput(attrs={"inputmode": "numeric"}),
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=f"{criterion.title}: panel's comment",
                required=False,
                initial=comment,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        style(self)

    def scores(self) -> dict[SelectionCriterion, tuple[int, str]]:
        return {
            c: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }


class DecisionForm(GovUKForm):
    decision = forms.ChoiceField(choices=Decision.choices, widget=forms.RadioSelect)
    feedback_letter = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Sent to the applicant with the decision. Say what went well and what to develop.",
    )


class SupportForm(GovUKForm):
    supports = forms.TypedChoiceField(
        label="Do you support this application?",
        error_messages={"required": "Select yes if you support the application, or no if not"},
        choices=[("yes", "Yes, I support it"), ("no", "No, I do not support it")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    statement = forms.CharField(
        label="Your support statement",
        error_messages={"required": "Enter your support statement"},
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="How the applicant's practice and workload allow them to take a student, and the support you will give.",
    )


class CriterionForm(GovUKModelForm[SelectionCriterion]):
    class Meta:
        model = SelectionCriterion
        fields = ["title", "description", "max_score", "position", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self) -> None:
        """The service validates the criterion."""


class OwnApplicationForm(GovUKModelForm[PeApplication]):
    """An applicant's own expression of interest: the stage follows from the register."""

    class Meta:
        model = PeApplication
        fields = ["statement", "line_manager_name", "line_manager_email"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 10})}
        labels = {
            "statement": "Your written statement",
            "line_manager_name": "Your line manager's name",
            "line_manager_email": "Your line manager's e-mail address",
        }
        help_texts = {
            "statement": "Why you want to be a practice educator, and the experience you bring.",
            "line_manager_email": "We e-mail them a link to give their support statement.",
        }
        error_messages = {
            "statement": {"required": "Enter your written statement"},
            "line_manager_name": {"required": "Enter your line manager's name"},
            "line_manager_email": {
                "required": "Enter your line manager's e-mail address",
                "invalid": "Enter an e-mail address like name@example.org",
            },
        }

    def _post_clean(self) -> None:
        """The service validates the application."""


class StatementForm(GovUKForm):
    statement = forms.CharField(
        label="Your written statement",
        help_text="Why you want to be a practice educator, and the experience you bring.",
        error_messages={"required": "Enter your written statement"},
        widget=forms.Textarea(attrs={"rows": 10}),
    )
