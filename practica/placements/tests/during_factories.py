# mypy: disallow-untyped-calls=False
# (factory_boy ships no types; the same setting as the tests/factories modules in pyproject)
"""factory-boy factories for the records kept during a placement (docs/0029)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from practica.organisations.tests.factories import OrganisationFactory
from practica.placements.during.models import (
    AttendanceWeek,
    CauseForConcern,
    CheckKind,
    ConcernStatus,
    DirectObservation,
    PreferenceWindow,
    PreplacementCheck,
    RaisedBy,
)
from practica.placements.models import Student
from practica.placements.tests.factories import PlacementFactory, StudentFactory, year_2019


class PreplacementCheckFactory(DjangoModelFactory[PreplacementCheck]):
    """A DBS check done in 2019, valid for three years."""

    class Meta:
        model = PreplacementCheck

    student = factory.SubFactory(StudentFactory)
    kind = CheckKind.DBS
    completed_on = datetime.date(2019, 6, 1)
    expires_on = datetime.date(2099, 6, 1)


def with_checks(student: Student, expires_on: datetime.date | None = None) -> Student:
    """Records every required check of the student, valid until ``expires_on`` (far ahead)."""
    for kind in CheckKind.values:
        PreplacementCheckFactory.create(
            student=student, kind=kind, expires_on=expires_on or datetime.date(2099, 1, 1)
        )
    return student


class AttendanceWeekFactory(DjangoModelFactory[AttendanceWeek]):
    class Meta:
        model = AttendanceWeek

    placement = factory.SubFactory(PlacementFactory, confirmed=True)
    week_starting = datetime.date(2020, 1, 6)
    days = Decimal(4)


class DirectObservationFactory(DjangoModelFactory[DirectObservation]):
    class Meta:
        model = DirectObservation

    placement = factory.SubFactory(PlacementFactory, confirmed=True)
    observed_on = datetime.date(2020, 2, 3)
    observer = "Pat Educator"


class CauseForConcernFactory(DjangoModelFactory[CauseForConcern]):
    class Meta:
        model = CauseForConcern

    placement = factory.SubFactory(PlacementFactory, confirmed=True)
    raised_on = datetime.date(2020, 2, 3)
    raised_as = RaisedBy.PRACTICE_EDUCATOR
    concern = "Missed three visits without telling anyone."
    status = ConcernStatus.RAISED


class PreferenceWindowFactory(DjangoModelFactory[PreferenceWindow]):
    """A university's window for 2019/20, open from the day the test runs for a fortnight."""

    class Meta:
        model = PreferenceWindow

    hei = factory.SubFactory(OrganisationFactory, kind="hei")
    academic_year = factory.LazyFunction(year_2019)
    opens_on = factory.LazyFunction(timezone.localdate)
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
