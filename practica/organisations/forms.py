"""Forms of the partnership's core records: organisations, locations, teams and people."""

from __future__ import annotations

from typing import Any

from django import forms

from practica.core.forms import GovUKModelForm
from practica.core.models import Location, Organisation, Person, Team


class OrganisationForm(GovUKModelForm[Organisation]):
    class Meta:
        model = Organisation
        fields = ["name", "code", "kind"]
        widgets = {"kind": forms.RadioSelect}

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()


class LocationForm(GovUKModelForm[Location]):
    class Meta:
        model = Location
        fields = ["name", "postcode", "latitude", "longitude"]


class TeamForm(GovUKModelForm[Team]):
    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = organisation.locations.all()  # type: ignore[attr-defined]  # a ModelChoiceField; fields are typed as Field

    class Meta:
        model = Team
        fields = ["name", "service_area", "location"]


class PersonForm(GovUKModelForm[Person]):
    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = organisation.teams.all()  # type: ignore[attr-defined]  # a ModelChoiceField; fields are typed as Field

    class Meta:
        model = Person
        fields = ["first_name", "last_name", "email", "job_title", "team"]
