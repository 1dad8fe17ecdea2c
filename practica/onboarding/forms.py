"""The wizard's forms: one question (or one small group) per page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from practica.core.academic_years import parse_academic_year
from practica.core.forms import GovUKForm, style
from practica.core.models import OrganisationKind, organisation_code_validator
from practica.onboarding.services import NAME_LENGTH, OrganisationPlan


class PartnershipNameForm(GovUKForm):
    name = forms.CharField(
        label="What is the partnership called?",
        max_length=NAME_LENGTH,
        help_text="For example, Kent and Medway Social Work Teaching Partnership.",
        error_messages={"required": "Enter the partnership's name."},
    )


class OrganisationForm(GovUKForm):
    name = forms.CharField(
        label="Name",
        max_length=NAME_LENGTH,
        error_messages={"required": "Enter the organisation's name."},
    )
    code = forms.CharField(
        label="Code",
        max_length=12,
        help_text="2 to 12 capital letters or digits, used in imports and reports: MC, CCCU.",
        error_messages={"required": "Enter a short code for the organisation."},
    )
    kind = forms.ChoiceField(
        label="Kind of organisation",
        choices=OrganisationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of organisation."},
    )

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip().upper()
        organisation_code_validator(code)
        return code

    def organisation(self) -> OrganisationPlan:
        data = self.cleaned_data
        return OrganisationPlan(data["code"], data["name"].strip(), data["kind"])


class AcademicYearForm(GovUKForm):
    year = forms.CharField(
        label="Which academic year does the partnership start recording?",
        max_length=9,
        help_text="Academic years run from 1 September to 31 August. For example, 2019/20.",
        error_messages={"required": "Enter the academic year, like 2019/20."},
    )

    def clean_year(self) -> int:
        try:
            return parse_academic_year(self.cleaned_data["year"])
        except ValidationError as error:
            raise ValidationError(error.messages[0]) from None


class CoordinatorsForm(GovUKForm):
    """One optional e-mail address per organisation, named ``coordinator_<code>``."""

    def __init__(self, *args: Any, organisations: list[OrganisationPlan], **kwargs: Any) -> None:
        self.codes = [organisation.code for organisation in organisations]
        super().__init__(*args, **kwargs)
        for organisation in organisations:
            self.fields[f"coordinator_{organisation.code}"] = forms.EmailField(
                label=f"Coordinator at {organisation.name}",
                required=False,
                help_text="Leave empty to invite them later.",
                error_messages={
                    "invalid": f"Enter the coordinator's e-mail address at {organisation.name} "
                    "like name@example.org."
                },
            )
        style(self)

    def emails(self) -> dict[str, str]:
        return {
            code: self.cleaned_data[f"coordinator_{code}"].strip().lower()
            for code in self.codes
            if self.cleaned_data.get(f"coordinator_{code}")
        }
