"""Forms of the directories, in GOV.UK Design System markup. They only parse: the services
validate."""

from __future__ import annotations

from typing import Any

from django import forms

from practica.core.forms import GovUKForm, style
from practica.core.models import Organisation, Person, ServiceArea, Team
from practica.educators.register.forms import GovUKDateField
from practica.teaching.directory.models import (
    WORKSHOPS_MAX,
    AgeBand,
    ConsentKind,
    Disability,
    EthnicGroup,
    Expertise,
    Gender,
    PractitionerStatus,
    PractitionerTeacher,
)


def _expertise_field(label: str = "Expertise") -> forms.ModelMultipleChoiceField[Expertise]:
    return forms.ModelMultipleChoiceField(
        queryset=Expertise.objects.all(),
        required=False,
        label=label,
        widget=forms.CheckboxSelectMultiple,
    )


class PractitionerTeacherForm(GovUKForm):
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), required=False, help_text="Their team in the organisation."
    )
    service_area = forms.ModelChoiceField(
        queryset=ServiceArea.objects.all(),
        required=False,
        help_text="Leave empty to use their team's service area.",
    )
    status = forms.ChoiceField(choices=PractitionerStatus.choices, widget=forms.RadioSelect)
    expertise = _expertise_field()
    availability = forms.CharField(
        max_length=200,
        required=False,
        help_text="When they can teach, for example Tuesday afternoons.",
    )
    modules_taught = forms.CharField(
        label="Modules taught",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The modules they have taught on, one a line.",
    )
    career_level = forms.CharField(
        label="Career progression level",
        max_length=100,
        required=False,
        help_text="Their level on the employer's career progression pathway, if it has one.",
    )
    joined_on = GovUKDateField(label="In the directory since", required=False)

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        teacher: PractitionerTeacher | None = None,
        **kwargs: Any,
    ) -> None:
        if teacher is not None:
            kwargs.setdefault(
                "initial",
                {
                    "team": teacher.person.team_id,
                    "service_area": teacher.service_area_id,
                    "status": teacher.status,
                    "expertise": list(teacher.expertise.all()),
                    "availability": teacher.availability,
                    "modules_taught": teacher.modules_taught,
                    "career_level": teacher.career_level,
                    "joined_on": teacher.joined_on,
                },
            )
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["team"].queryset = organisation.teams.all()


class NewPractitionerTeacherForm(PractitionerTeacherForm):
    """Adds someone to the directory: a person already in the organisation, or a new one."""

    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        help_text="Someone already recorded in your organisation. Leave empty to add someone new below.",
    )
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    email = forms.EmailField(label="E-mail address", required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        fields: Any = self.fields
        fields["person"].queryset = Person.objects.unscoped(
            "people of the organisation whose directory the coordinator manages"
        ).filter(organisation=organisation, practitioner_teacher__isnull=True)
        self.initial.setdefault("status", PractitionerStatus.ACTIVE)
        self.order_fields(["person", "first_name", "last_name", "email"])
        style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("person") is None:
            for name in ("first_name", "last_name"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, "Choose a person above, or give the new person's name")
        return data


class ReviewForm(GovUKForm):
    reviewed_on = GovUKDateField(
        label="Date of the review",
        help_text="The day you checked the entry with the practitioner teacher.",
    )


class ShadowingForm(GovUKForm):
    on = GovUKDateField(label="Date", help_text="For example 14 11 2019.")
    session = forms.CharField(
        max_length=200,
        help_text="The session, module and university, for example Court skills, CCCU.",
    )
    shadowed = forms.ModelChoiceField(
        queryset=PractitionerTeacher.objects.none(),
        required=False,
        label="Experienced practitioner teacher",
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, colleagues: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["shadowed"].queryset = colleagues


class InterestForm(GovUKForm):
    """The flyer's expression of interest."""

    knowledge = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you know from practice that students should learn.",
    )
    skills = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example presenting, leading group work, role play.",
    )
    experience = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Your practice experience, and any teaching, training or mentoring you have done.",
    )
    areas = _expertise_field("Areas of interest")
    other_areas = forms.CharField(
        label="Other areas of interest (optional)", max_length=300, required=False
    )
    line_manager_name = forms.CharField(label="Your line manager's name", max_length=200)
    line_manager_email = forms.EmailField(
        label="Your line manager's e-mail address",
        help_text="We e-mail them a link to agree to you taking on the role.",
    )


class AgreementForm(GovUKForm):
    agrees = forms.TypedChoiceField(
        label="Do you agree to them taking on the practitioner teacher role?",
        choices=[("yes", "Yes, I agree"), ("no", "No, not at present")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Comment (needed if you do not agree)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReadinessRuleForm(GovUKForm):
    interest_required = forms.BooleanField(
        label="An expression of interest agreed by their line manager", required=False
    )
    workshops_required = forms.IntegerField(
        label="Practitioner teacher workshops to attend",
        min_value=0,
        max_value=WORKSHOPS_MAX,
        help_text="The introductory workshop counts as the first.",
    )
    shadowing_required = forms.BooleanField(
        label="Shadowing an experienced practitioner teacher", required=False
    )


class ContributorForm(GovUKForm):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    areas = _expertise_field("Areas they teach")
    payment_preference = forms.CharField(
        label="Payment and expenses",
        max_length=200,
        required=False,
        help_text="How they would like to be paid and have expenses refunded.",
    )
    accessibility_needs = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only your university's staff and the contributor see this.",
    )


class NewContributorForm(ContributorForm):
    email = forms.EmailField(label="E-mail address", required=False)
    consent_given_on = GovUKDateField(
        label="Date they consented to being listed",
        help_text="Only add someone who has agreed to be in the directory.",
    )
    share_with_partners = forms.BooleanField(
        label="They also agree to their entry being shared with the partnership's local authorities",
        required=False,
    )
    recording = forms.BooleanField(
        label="They also agree to photographs and recordings of sessions", required=False
    )

    field_order = ["first_name", "last_name", "email"]


class ConsentForm(GovUKForm):
    kind = forms.ChoiceField(label="What they agreed to", widget=forms.RadioSelect)
    given_on = GovUKDateField(label="Date given")

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["kind"].choices = kinds


class WithdrawForm(GovUKForm):
    withdrawn_on = GovUKDateField(label="Date withdrawn")


CONSENT_LABELS = dict(ConsentKind.choices)


def _answer(choices: Any, label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=[("", "Not answered"), *choices],
        required=False,
        label=label,
        widget=forms.RadioSelect,
    )


class DiversityForm(GovUKForm):
    """A practitioner teacher's own diversity monitoring answers (each may be left out)."""

    ethnic_group = _answer(EthnicGroup.choices, "Your ethnic group")
    disability = _answer(
        Disability.choices,
        "Do you have a physical or mental health condition or illness that limits your "
        "day-to-day activities?",
    )
    gender = _answer(Gender.choices, "Your gender")
    age_band = _answer(AgeBand.choices, "Your age")
    consent = forms.BooleanField(
        required=False,
        label="I agree to my answers being counted in the partnership's reports",
        help_text="Reports show only counts, never names, and hide counts below 5. You can "
        "withdraw at any time, which deletes your answers.",
    )
