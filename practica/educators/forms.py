"""Forms of the register, PEPS training and selection, in GOV.UK Design System markup."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from practica.core.forms import GovUKForm, GovUKModelForm, style
from practica.core.models import AcademicYear, Organisation, Person, ServiceArea, Team
from practica.educators.models import (
    ActivityKind,
    CohortStage,
    CurrencyRule,
    Decision,
    Outcome,
    PeApplication,
    PracticeEducator,
    SelectionCriterion,
)

# --- the GOV.UK date input ----------------------------------------------------------------


class GovUKDateInput(forms.MultiWidget):
    """Day, month and year boxes (the GOV.UK date input); the form's field is a fieldset."""

    template_name = "educators/widgets/date_input.html"
    parts = (
        ("Day", "govuk-input--width-2"),
        ("Month", "govuk-input--width-2"),
        ("Year", "govuk-input--width-4"),
    )

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__([forms.TextInput, forms.TextInput, forms.TextInput], attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return tuple(
            (data.get(f"{name}_{index}") or "").strip() for index in range(len(self.widgets))
        )

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return all(f"{name}_{index}" not in data for index in range(len(self.widgets)))

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["has_error"] = widget["attrs"].get("aria-invalid") == "true"
        for sub, (label, width) in zip(widget["subwidgets"], self.parts, strict=True):
            sub["label"], sub["width"] = label, width
        return context


class GovUKDateField(forms.Field):
    """A date typed as day, month and year, refused with GOV.UK's messages when it is not real."""

    widget = GovUKDateInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {})
        label = str(kwargs.get("label") or "the date")
        kwargs["error_messages"].setdefault("required", f"Enter the {label.lower()}")
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        if not value or not any(value):
            return None
        day, month, year = value
        missing = [
            part for part, text in zip(("day", "month", "year"), value, strict=True) if not text
        ]
        if missing:
            raise ValidationError(f"The date must include a {' and '.join(missing)}")
        if not all(re.fullmatch(r"\d{1,4}", text) for text in value) or len(year) != 4:
            raise ValidationError("Enter a real date, with a four-digit year, like 27 3 2020")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError("Enter a real date, like 27 3 2020") from None


# --- the register -------------------------------------------------------------------------


class PracticeEducatorForm(GovUKModelForm):
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),  # the organisation's teams, set in __init__
        required=False,
        help_text="Their team in the organisation.",
    )
    stage1_date = GovUKDateField(label="Date PEPS Stage 1 was achieved", required=False)
    stage2_date = GovUKDateField(label="Date PEPS Stage 2 was achieved", required=False)
    last_student_date = GovUKDateField(
        label="Last student supervised or assessed",
        required=False,
        help_text="The day their most recent student placement ended, for example 27 3 2020.",
    )
    last_training_date = GovUKDateField(label="Last update training", required=False)

    field_order = [
        "team",
        "service_area",
        "location",
        "peps_stage",
        "stage1_date",
        "stage2_date",
        "independent",
        "last_student_date",
        "last_training_date",
    ]

    class Meta:
        model = PracticeEducator
        fields = [
            "service_area",
            "location",
            "peps_stage",
            "stage1_date",
            "stage2_date",
            "independent",
            "last_student_date",
            "last_training_date",
        ]
        widgets = {"peps_stage": forms.RadioSelect}

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["team"].queryset = organisation.teams.all()
        fields["location"].queryset = organisation.locations.all()
        fields["service_area"].queryset = ServiceArea.objects.all()
        if self.instance.pk:
            self.initial.setdefault("team", self.instance.person.team_id)
        style(self)

    def _post_clean(self) -> None:
        """The service validates the whole entry; the form only parses."""


class NewPracticeEducatorForm(PracticeEducatorForm):
    """Adds someone to the register: a person already in the organisation, or a new one."""

    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Person",
        help_text="Someone already recorded in your organisation. Leave empty to add someone new below.",
    )
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    email = forms.EmailField(label="E-mail address", required=False)

    field_order = ["person", "first_name", "last_name", "email", *PracticeEducatorForm.field_order]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        fields: Any = self.fields
        fields["person"].queryset = Person.objects.unscoped(
            "people of the organisation whose register the coordinator manages"
        ).filter(organisation=organisation, practice_educator__isnull=True)

        self.order_fields(self.field_order)
        style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("person") is None:
            for name in ("first_name", "last_name"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, "Choose a person above, or give the new person's name")
        return data


class ActivityForm(GovUKForm):
    kind = forms.ChoiceField(
        label="Activity", choices=ActivityKind.choices, widget=forms.RadioSelect
    )
    started_on = GovUKDateField(
        label="Started on",
        help_text="For example 1 9 2019.",
        error_messages={"required": "Enter the date the activity started"},
    )


class EndActivityForm(GovUKForm):
    ended_on = GovUKDateField(
        label="Ended on",
        help_text="The last day of the activity.",
        error_messages={"required": "Enter the date the activity ended"},
    )


class ReviewForm(GovUKForm):
    reviewed_on = GovUKDateField(
        label="Date of the review",
        help_text="The day you checked the entry with the practice educator.",
    )


class CurrencyRuleForm(GovUKModelForm):
    class Meta:
        model = CurrencyRule
        fields = [
            "months_since_student",
            "months_since_training",
            "warning_months",
            "review_months",
        ]

    def _post_clean(self) -> None:
        """The service validates the rule."""


# --- PEPS training ------------------------------------------------------------------------


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
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect)
    outcome_date = GovUKDateField(
        label="Date of the outcome",
        required=False,
        help_text="Not needed while the candidate is still enrolled. For example 30 6 2020.",
    )


# --- recruitment and selection ------------------------------------------------------------


class ApplicationForm(GovUKModelForm):
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


class CriterionForm(GovUKModelForm):
    class Meta:
        model = SelectionCriterion
        fields = ["title", "description", "max_score", "position", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self) -> None:
        """The service validates the criterion."""


class OwnApplicationForm(GovUKModelForm):
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
