"""Forms of the register, and the GOV.UK date input every practice educator form uses, in
GOV.UK Design System markup."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from practica.core.forms import GovUKForm, GovUKModelForm, style
from practica.core.models import Location, Organisation, Person, ServiceArea, Team
from practica.educators.register.models import ActivityKind, CurrencyRule, PracticeEducator

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


class PracticeEducatorForm(GovUKModelForm[PracticeEducator]):
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


class CurrencyRuleForm(GovUKModelForm[CurrencyRule]):
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


class ChangeReportForm(GovUKForm):
    """What a practice educator tells their coordinators has changed in their entry."""

    changed_on = GovUKDateField(
        label="When did it change?",
        help_text="For example 1 9 2020.",
        error_messages={"required": "Enter the date of the change"},
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),  # the organisation's teams, set in __init__
        required=False,
        label="New team",
        help_text="Leave empty if your team has not changed.",
    )
    location = forms.ModelChoiceField(
        queryset=Location.objects.none(),
        required=False,
        label="New location",
        help_text="Leave empty if you work from the same place.",
    )
    activities_started = forms.MultipleChoiceField(
        choices=ActivityKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Activities you have started",
    )
    activities_stopped = forms.MultipleChoiceField(
        choices=ActivityKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Activities you have stopped",
    )
    note = forms.CharField(
        label="Anything else your coordinator should know (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["team"].queryset = organisation.teams.all()
        fields["location"].queryset = organisation.locations.all()


class ChangeDecisionForm(GovUKForm):
    decision = forms.ChoiceField(
        label="Accept this change?",
        choices=[
            ("accept", "Yes, change the register from the date given"),
            ("decline", "No, decline it"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason (needed to decline)",
        required=False,
        max_length=300,
        help_text="The practice educator sees it.",
    )


LAPSING_MESSAGE = (
    "Our records show that your practice educator currency is lapsing or has lapsed. To stay "
    "current you need a student within the time the partnership allows, and update training "
    "such as a practice educator forum.\n\n"
    "Please reply to let us know when you could take a student, or book a place at the next "
    "forum on the events page."
)


class EducatorMessageForm(GovUKForm):
    subject = forms.CharField(
        max_length=200,
        initial="Keeping your practice educator currency",
        error_messages={"required": "Enter a subject"},
    )
    body = forms.CharField(
        label="Message",
        initial=LAPSING_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Enter the message"},
        help_text="Each practice educator gets their own e-mail, starting “Dear” and their "
        "first name.",
    )
