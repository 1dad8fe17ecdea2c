"""factory-boy factories for students, placement offers, placements and journey times."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from practica.core.models import AcademicYear
from practica.core.services import ensure_academic_year
from practica.organisations.tests.factories import OrganisationFactory, PersonFactory, TeamFactory
from practica.placements.models import (
    Placement,
    PlacementOffer,
    PlacementStatus,
    PlacementType,
    Route,
    Student,
    TravelTime,
)


class StudentFactory(DjangoModelFactory[Student]):
    """A second-year BA student of a university (the person belongs to the same one)."""

    class Meta:
        model = Student

    hei = factory.SubFactory(OrganisationFactory, kind="hei")
    person = factory.SubFactory(PersonFactory, organisation=factory.SelfAttribute("..hei"))
    student_ref = factory.Sequence(lambda n: f"S{n:06d}")
    route = Route.BA
    year_of_study = 2
    home_location = "Canterbury"
    travel_limit_minutes = 60


def year_2019() -> AcademicYear:
    return ensure_academic_year(start_year=2019)


class PlacementOfferFactory(DjangoModelFactory[PlacementOffer]):
    """Two final (100-day) placements in a team of a local authority, in 2019/20."""

    class Meta:
        model = PlacementOffer

    organisation = factory.SubFactory(OrganisationFactory)
    team = factory.SubFactory(TeamFactory, organisation=factory.SelfAttribute("..organisation"))
    academic_year = factory.LazyFunction(year_2019)
    placement_type = PlacementType.FINAL_100
    days = 100
    slots = 2


class PlacementFactory(DjangoModelFactory[Placement]):
    """A requested final placement of a student with a local authority's team, in 2019/20."""

    class Meta:
        model = Placement

    student = factory.SubFactory(StudentFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    team = factory.SubFactory(TeamFactory, organisation=factory.SelfAttribute("..organisation"))
    academic_year = factory.LazyFunction(year_2019)
    placement_type = PlacementType.FINAL_100
    days = 100
    status = PlacementStatus.REQUESTED

    class Params:
        confirmed = factory.Trait(
            status=PlacementStatus.CONFIRMED,
            starts_on=datetime.date(2020, 1, 6),
            ends_on=datetime.date(2020, 6, 5),
        )


class TravelTimeFactory(DjangoModelFactory[TravelTime]):
    class Meta:
        model = TravelTime

    from_location = factory.Sequence(lambda n: f"Town {n}")
    to_location = "Canterbury"
    minutes = 30
