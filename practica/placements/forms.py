"""Forms of the placement pages (GOV.UK markup). The choices they offer come from the view,
read through the selectors, so that a form offers only what its user may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from practica.core.forms import GovUKForm
from practica.core.models import AcademicYear, Location, Organisation, Person, ServiceArea, Team
from practica.educators.register.forms import GovUKDateField
from practica.educators.register.models import PracticeEducator
from practica.placements.models import (
    PlacementOffer,
    PlacementType,
    Route,
    Student,
    StudentStage,
)


class OfferForm(GovUKForm):
    """A placement offer of one organisation (its teams, locations and people to choose)."""

    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False)
    setting = forms.CharField(
        max_length=120,
        required=False,
        help_text="Another setting than a team, such as a school (leave empty for the team).",
    )
    academic_year = forms.ModelChoiceField(queryset=AcademicYear.objects.none())
    placement_type = forms.ChoiceField(choices=PlacementType.choices)
    days = forms.IntegerField(
        min_value=1,
        max_value=200,
        required=False,
        help_text="Leave empty for first (70 days) and final (100 days) placements.",
    )
    slots = forms.IntegerField(min_value=1, max_value=500, help_text="How many students.")
    service_area = forms.ModelChoiceField(
        queryset=ServiceArea.objects.all(), required=False, help_text="Empty: the team's."
    )
    location = forms.ModelChoiceField(
        queryset=Location.objects.none(), required=False, help_text="Empty: the team's."
    )
    starts_on = GovUKDateField(label="Start date", required=False)
    ends_on = GovUKDateField(label="End date", required=False)
    routes = forms.MultipleChoiceField(
        label="Routes accepted",
        choices=Route.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave every box empty to take students of every route.",
    )
    practice_educator = forms.ModelChoiceField(
        queryset=PracticeEducator.objects.none(), required=False
    )
    practice_educator_offsite = forms.BooleanField(
        label="The practice educator is off-site", required=False
    )
    onsite_supervisor = forms.ModelChoiceField(
        label="On-site supervisor", queryset=Person.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        educators: QuerySet[PracticeEducator],
        years: QuerySet[AcademicYear],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["team"].queryset = organisation.teams.all()
        fields["location"].queryset = organisation.locations.all()
        fields["onsite_supervisor"].queryset = organisation.people.all()
        fields["practice_educator"].queryset = educators
        fields["academic_year"].queryset = years

    @staticmethod
    def initial_of(offer: PlacementOffer) -> dict[str, Any]:
        names = (
            "team",
            "setting",
            "academic_year",
            "placement_type",
            "days",
            "slots",
            "service_area",
            "location",
            "starts_on",
            "ends_on",
            "routes",
            "practice_educator",
            "practice_educator_offsite",
            "onsite_supervisor",
        )
        return {name: getattr(offer, name) for name in names}


class RequestForm(GovUKForm):
    """A university asks a providing organisation for a placement of one of its students."""

    student = forms.ModelChoiceField(queryset=Student.objects.none())
    organisation = forms.ModelChoiceField(
        label="Providing organisation", queryset=Organisation.objects.none()
    )
    academic_year = forms.ModelChoiceField(queryset=AcademicYear.objects.none())
    placement_type = forms.ChoiceField(choices=PlacementType.choices)
    days = forms.IntegerField(
        min_value=1,
        max_value=200,
        required=False,
        help_text="Leave empty for first (70 days) and final (100 days) placements.",
    )

    def __init__(
        self,
        *args: Any,
        students: QuerySet[Student],
        organisations: QuerySet[Organisation],
        years: QuerySet[AcademicYear],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["student"].queryset = students
        fields["organisation"].queryset = organisations
        fields["academic_year"].queryset = years


class MatchForm(GovUKForm):
    offer = forms.ModelChoiceField(queryset=PlacementOffer.objects.none())
    practice_educator = forms.ModelChoiceField(
        queryset=PracticeEducator.objects.none(),
        required=False,
        help_text="Empty: the offer's practice educator.",
    )
    starts_on = GovUKDateField(label="Start date", required=False)
    ends_on = GovUKDateField(label="End date", required=False)

    def __init__(
        self,
        *args: Any,
        offers: QuerySet[PlacementOffer],
        educators: QuerySet[PracticeEducator],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["offer"].queryset = offers
        fields["practice_educator"].queryset = educators


class ConfirmForm(GovUKForm):
    starts_on = GovUKDateField(label="Start date", required=False)
    ends_on = GovUKDateField(label="End date", required=False)


class EndEarlyForm(GovUKForm):
    reason = forms.CharField(label="Why the placement ended early", widget=forms.Textarea)
    ended_on = GovUKDateField(
        label="Day it ended", required=False, help_text="For a placement that had started."
    )


class StepForm(GovUKForm):
    """A step that asks nothing more (start, complete, unmatch): a button."""


class PlacementProfileForm(GovUKForm):
    """What a university records for placing a student: programme, stage, needs with consent."""

    programme = forms.CharField(max_length=120, required=False)
    stage = forms.ChoiceField(
        label="Placement needed next",
        choices=[("", "Not known yet"), *StudentStage.choices],
        required=False,
    )
    needs = forms.CharField(
        label="Needs and adjustments",
        widget=forms.Textarea,
        required=False,
        help_text="Recorded and shared with the placement setting only with the student's "
        "consent. Leave empty to record none (removes what is recorded).",
    )
    needs_consent_on = GovUKDateField(label="Day the student consented", required=False)
