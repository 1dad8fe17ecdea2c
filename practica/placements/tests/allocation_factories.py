# mypy: disable-error-code="no-untyped-call"
# (factory_boy ships no types: as for every tests/factories.py, see pyproject.toml)
"""Factories of allocation runs and their pins (docs/0028-allocation-runs.md)."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from practica.organisations.tests.factories import OrganisationFactory
from practica.placements.allocation_models import (
    AllocationConstraint,
    AllocationRun,
    ConstraintKind,
    RunStatus,
)
from practica.placements.tests.factories import PlacementOfferFactory, StudentFactory, year_2019


class AllocationRunFactory(DjangoModelFactory[AllocationRun]):
    """A finished run of 2019/20 for a university's students."""

    class Meta:
        model = AllocationRun

    organisation = factory.SubFactory(OrganisationFactory, kind="hei")
    partnership = factory.SelfAttribute("organisation.partnership")
    academic_year = factory.LazyFunction(year_2019)
    status = RunStatus.FINISHED


class AllocationConstraintFactory(DjangoModelFactory[AllocationConstraint]):
    """A pin of one of the run's university's students to an offer of its partnership."""

    class Meta:
        model = AllocationConstraint

    organisation = factory.SubFactory(OrganisationFactory, kind="hei")
    partnership = factory.SelfAttribute("organisation.partnership")
    academic_year = factory.LazyFunction(year_2019)
    student = factory.SubFactory(StudentFactory, hei=factory.SelfAttribute("..organisation"))
    offer = factory.SubFactory(
        PlacementOfferFactory,
        organisation=factory.SubFactory(
            OrganisationFactory, partnership=factory.SelfAttribute("...partnership")
        ),
    )
    kind = ConstraintKind.PIN
