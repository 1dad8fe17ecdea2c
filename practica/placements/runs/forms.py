"""Forms of the allocation pages; their choices come from the view, read through the
selectors, so that a form offers only what its user may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from practica.core.forms import GovUKForm
from practica.core.models import AcademicYear, Organisation
from practica.placements.allocation_models import ConstraintKind
from practica.placements.models import PlacementOffer, Student


class StartRunForm(GovUKForm):
    academic_year = forms.ModelChoiceField(
        queryset=AcademicYear.objects.none(), empty_label=None, label="Academic year"
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="The whole partnership",
        label="Students of",
    )

    def __init__(
        self,
        *args: Any,
        years: QuerySet[AcademicYear],
        universities: QuerySet[Organisation] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        year_field = self.fields["academic_year"]
        assert isinstance(year_field, forms.ModelChoiceField)
        year_field.queryset = years
        if universities is None:
            del self.fields["organisation"]
        else:
            field = self.fields["organisation"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = universities


class StudentChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.student_ref} – {obj.person.full_name}"


class OfferChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.organisation.name}: {obj.setting_name} ({obj.get_placement_type_display()})"


class ConstraintForm(GovUKForm):
    student = StudentChoice(queryset=Student.objects.none())
    offer = OfferChoice(queryset=PlacementOffer.objects.none())
    kind = forms.ChoiceField(
        choices=ConstraintKind.choices, widget=forms.RadioSelect, label="Pin or forbid"
    )

    def __init__(
        self,
        *args: Any,
        students: QuerySet[Student],
        offers: QuerySet[PlacementOffer],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        student_field = self.fields["student"]
        assert isinstance(student_field, forms.ModelChoiceField)
        student_field.queryset = students
        offer_field = self.fields["offer"]
        assert isinstance(offer_field, forms.ModelChoiceField)
        offer_field.queryset = offers


class QuotaForm(GovUKForm):
    """A quota per university: its choices come from the view (``provider`` only for the
    partnership manager; a provider's coordinator keeps their own organisation's quotas)."""

    academic_year = forms.ModelChoiceField(
        queryset=AcademicYear.objects.none(), empty_label=None, label="Academic year"
    )
    hei = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="University", empty_label=None
    )
    provider = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Any providing organisation",
        label="Placed with",
    )
    limit = forms.IntegerField(
        min_value=0,
        label="Most students placed",
        help_text="The most of the university's students placed there in the year.",
        error_messages={
            "required": "Enter how many students, 0 or more.",
            "min_value": "Enter how many students, 0 or more.",
            "invalid": "Enter how many students as a whole number, for example 4.",
        },
    )

    def __init__(
        self,
        *args: Any,
        years: QuerySet[AcademicYear],
        universities: QuerySet[Organisation],
        providers: QuerySet[Organisation] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("academic_year", years), ("hei", universities)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
        if providers is None:
            del self.fields["provider"]
        else:
            field = self.fields["provider"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = providers
