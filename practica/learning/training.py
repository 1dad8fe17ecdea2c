"""PEPS training for a CPD record, read from the educators app's enrolments.

Looked up by name (``apps.get_model``) so that the CPD record works with or without the
educators app's PEPS cohorts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps

from practica.core.models import Person

if TYPE_CHECKING:
    from practica.learning.selectors import CpdEntry


def peps_entries(person: Person) -> list[CpdEntry]:
    """The person's PEPS enrolments, newest first: the outcome's date, or the start of the
    cohort's academic year while they are still enrolled."""
    from practica.learning.selectors import CpdEntry

    enrolment_model: Any = apps.get_model("educators", "PepsEnrolment")
    enrolments = enrolment_model.objects.filter(educator__person=person).select_related(
        "cohort", "cohort__organisation", "cohort__academic_year"
    )
    entries = [
        CpdEntry(
            date=enrolment.outcome_date or enrolment.cohort.academic_year.starts_on,
            title=f"{enrolment.cohort.get_stage_display()} training, {enrolment.cohort.academic_year.label}",
            kind="PEPS training",
            provider=enrolment.cohort.organisation.name,
            status=enrolment.get_outcome_display(),
        )
        for enrolment in enrolments
    ]
    return sorted(entries, key=lambda entry: entry.date, reverse=True)
