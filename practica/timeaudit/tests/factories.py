"""factory-boy factories for time audits, enrolments and weekly logs."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from practica.educators.tests.factories import PracticeEducatorFactory
from practica.organisations.tests.factories import OrganisationFactory, PersonFactory
from practica.placements.tests.factories import PlacementFactory, year_2019
from practica.timeaudit.models import AuditEnrolment, TimeAudit, TimeLog

# the placement of an enrolment: Monday 6 January to Friday 5 June 2020
STARTS_ON = datetime.date(2020, 1, 6)


class TimeAuditFactory(DjangoModelFactory[TimeAudit]):
    """A time audit of a local authority's final placements in 2019/20."""

    class Meta:
        model = TimeAudit

    name = factory.Sequence(lambda n: f"Time audit {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    academic_year = factory.LazyFunction(year_2019)
    placement_type = "final_100"


class AuditEnrolmentFactory(DjangoModelFactory[AuditEnrolment]):
    """A practice educator of the audit's organisation, with their confirmed final placement
    from 6 January to 5 June 2020."""

    class Meta:
        model = AuditEnrolment

    audit = factory.SubFactory(TimeAuditFactory)
    practice_educator = factory.SubFactory(
        PracticeEducatorFactory,
        person=factory.SubFactory(
            PersonFactory, organisation=factory.SelfAttribute("...audit.organisation")
        ),
    )
    placement = factory.SubFactory(
        PlacementFactory,
        confirmed=True,
        organisation=factory.SelfAttribute("..audit.organisation"),
        practice_educator=factory.SelfAttribute("..practice_educator"),
    )


class TimeLogFactory(DjangoModelFactory[TimeLog]):
    """The first week of the placement: 7 hours in the day, 1 out of hours."""

    class Meta:
        model = TimeLog

    enrolment = factory.SubFactory(AuditEnrolmentFactory)
    week_start = STARTS_ON
    daytime_hours = Decimal(7)
    ooh_hours = Decimal(1)
