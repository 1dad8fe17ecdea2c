"""factory-boy factories for students."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from practica.organisations.tests.factories import OrganisationFactory, PersonFactory
from practica.placements.models import Route, Student


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
