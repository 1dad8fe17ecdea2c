"""factory-boy factories for events, registrations and CPD-needs surveys (tests only)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from practica.core.models import AcademicYear
from practica.learning.events.models import Event, EventKind, Registration
from practica.learning.outside.models import OutsideCpd
from practica.learning.surveys.models import CpdNeedsSurvey, CpdNeedsTopic
from practica.organisations.tests.factories import OrganisationFactory, PersonFactory


class EventFactory(DjangoModelFactory[Event]):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    kind = EventKind.PE_FORUM
    title = factory.Sequence(lambda n: f"Practice educator forum {n}")
    theme = "Reflective supervision"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + datetime.timedelta(hours=3))
    place = "Council chamber"
    organisation = factory.SubFactory(OrganisationFactory)
    capacity = None
    audience = "everyone"


class RegistrationFactory(DjangoModelFactory[Registration]):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(
        PersonFactory, organisation=factory.SelfAttribute("..event.organisation")
    )


class CpdNeedsSurveyFactory(DjangoModelFactory[CpdNeedsSurvey]):
    class Meta:
        model = CpdNeedsSurvey

    partnership = factory.SelfAttribute("organisation_for_partnership.partnership")
    academic_year = factory.LazyFunction(
        lambda: AcademicYear.objects.get_or_create(start_year=2019)[0]
    )
    title = "Practice educator CPD needs"
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=21))

    class Params:
        organisation_for_partnership = factory.SubFactory(OrganisationFactory)


class CpdNeedsTopicFactory(DjangoModelFactory[CpdNeedsTopic]):
    class Meta:
        model = CpdNeedsTopic

    survey = factory.SubFactory(CpdNeedsSurveyFactory)
    name = factory.Sequence(lambda n: f"Topic {n}")
    position = factory.Sequence(lambda n: n)


class OutsideCpdFactory(DjangoModelFactory[OutsideCpd]):
    class Meta:
        model = OutsideCpd

    person = factory.SubFactory(PersonFactory)
    title = factory.Sequence(lambda n: f"Research in Practice webinar {n}")
    done_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    hours = Decimal("2.5")
    provider = "Research in Practice"
    reflection = "Ideas for direct observation feedback."
    evidence_name = "certificate.pdf"
    evidence_type = "application/pdf"
    evidence = b"%PDF-1.4 a certificate"
