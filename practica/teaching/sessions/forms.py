"""Forms of the request protocol and session pages (GOV.UK markup). Choices come from the view,
read through the selectors, so a form offers only what its user may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from practica.core.forms import GovUKForm
from practica.core.models import Organisation, Person, ServiceArea
from practica.learning.date_fields import DateField, TimeField, finish_styling
from practica.teaching.directory.models import (
    Expertise,
    LivedExperienceContributor,
    PractitionerTeacher,
)
from practica.teaching.sessions.models import SessionKind

TIME_WIDTHS = {"starts_at": "govuk-input--width-5", "ends_at": "govuk-input--width-5"}


class ContactForm(GovUKForm):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Contact",
        help_text="They receive the requests for practitioners by e-mail.",
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["person"]
        field.queryset = people


class RequestForm(GovUKForm):
    kind = forms.ChoiceField(
        label="Type of session", choices=SessionKind.choices, widget=forms.RadioSelect
    )
    module = forms.CharField(max_length=200, required=False)
    topic = forms.CharField(max_length=200, required=False, help_text="What the session covers.")
    date = DateField(label="Date", help_text="For example, 14 11 2019")
    starts_at = TimeField(label="Start time")
    ends_at = TimeField(label="End time")
    place = forms.CharField(
        max_length=200, required=False, help_text="For example, Medway campus, room 2.14."
    )
    service_area = forms.ModelChoiceField(
        queryset=ServiceArea.objects.all(),
        required=False,
        label="Service area",
        empty_label="Any service area",
    )
    expertise = forms.ModelMultipleChoiceField(
        queryset=Expertise.objects.all(),
        required=False,
        label="Expertise wanted",
        widget=forms.CheckboxSelectMultiple,
    )
    practitioners_wanted = forms.IntegerField(
        label="Practitioners needed", min_value=1, max_value=20, initial=1
    )
    targets = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label="Local authorities to ask",
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave every box empty to ask every local authority of the partnership.",
    )

    def __init__(
        self,
        *args: Any,
        local_authorities: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["targets"]
        field.queryset = local_authorities
        finish_styling(self, TIME_WIDTHS, "date")

    def full_clean(self) -> None:
        super().full_clean()
        finish_styling(self, TIME_WIDTHS, "date")


class ChangeForm(GovUKForm):
    date = DateField(label="Date")
    starts_at = TimeField(label="Start time")
    ends_at = TimeField(label="End time")
    place = forms.CharField(max_length=200, required=False)
    reason = forms.CharField(
        label="Why it changes", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        finish_styling(self, TIME_WIDTHS, "date")

    def full_clean(self) -> None:
        super().full_clean()
        finish_styling(self, TIME_WIDTHS, "date")


class ReasonForm(GovUKForm):
    reason = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class OptionalReasonForm(GovUKForm):
    reason = forms.CharField(
        label="Why (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class StepForm(GovUKForm):
    """A step that asks nothing but a click."""


class PractitionersField(forms.ModelMultipleChoiceField[PractitionerTeacher]):
    """Each practitioner with what they match of the request (``practitioners_to_offer``)."""

    def label_from_instance(self, obj: PractitionerTeacher) -> str:
        matched = []
        if getattr(obj, "area_matched", 0):
            matched.append("the service area")
        expertise = getattr(obj, "expertise_matched", 0)
        if expertise:
            matched.append(f"{expertise} area{'s' if expertise > 1 else ''} of expertise")
        if not matched:
            return str(obj)
        return f"{obj} (matches {' and '.join(matched)} asked for)"


class OfferForm(GovUKForm):
    practitioners = PractitionersField(
        queryset=PractitionerTeacher.objects.none(),
        label="Practitioners to offer",
        help_text="Those who match the service area and expertise asked for come first.",
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything the university should know.",
    )

    def __init__(
        self, *args: Any, practitioners: QuerySet[PractitionerTeacher], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["practitioners"]
        field.queryset = practitioners


class LinkAnswerForm(GovUKForm):
    answer = forms.ChoiceField(
        label="Can you take part?",
        choices=[("confirm", "Yes, I confirm"), ("decline", "No, I cannot take part")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="If not, why (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class ObservationForm(GovUKForm):
    practitioner_teacher = forms.ModelChoiceField(
        queryset=PractitionerTeacher.objects.none(), label="Practitioner observed"
    )
    observed_on = DateField(label="Observed on")
    strengths = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    areas_to_develop = forms.CharField(
        label="Areas to develop", widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )

    def __init__(
        self, *args: Any, practitioners: QuerySet[PractitionerTeacher], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["practitioner_teacher"]
        field.queryset = practitioners
        finish_styling(self, {}, "observed_on")

    def full_clean(self) -> None:
        super().full_clean()
        finish_styling(self, {}, "observed_on")


class ContributorChoiceForm(GovUKForm):
    contributor = forms.ModelChoiceField(
        queryset=LivedExperienceContributor.objects.none(),
        label="Lived-experience contributor",
        help_text="Your university's contributors who consent to being listed.",
        widget=forms.RadioSelect,
    )

    def __init__(
        self, *args: Any, contributors: QuerySet[LivedExperienceContributor], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["contributor"]
        field.queryset = contributors
