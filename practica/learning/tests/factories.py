# mypy: disable-error-code="no-untyped-call"
# (factory-boy's declarations, SubFactory, Sequence, LazyFunction …, are untyped classes; the
# rest of this module is checked as strictly as the app)
"""factory-boy factories for events, registrations and CPD-needs surveys (tests only)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, SelfAttribute, Sequence, SubFactory
from factory.django import DjangoModelFactory

from practica.core.models import AcademicYear
from practica.learning.events.models import Event, EventKind, Registration
from practica.learning.surveys.models import CpdNeedsSurvey, CpdNeedsTopic
from practica.organisations.tests.factories import OrganisationFactory, PersonFactory


class EventFactory(DjangoModelFactory[Event]):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    kind = EventKind.PE_FORUM
    title = Sequence(lambda n: f"Practice educator forum {n}")
    theme = "Reflective supervision"
    starts_at = LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    ends_at = LazyAttribute(lambda event: event.starts_at + datetime.timedelta(hours=3))
    place = "Council chamber"
    organisation = SubFactory(OrganisationFactory)
    capacity = None
    audience = "everyone"


class RegistrationFactory(DjangoModelFactory[Registration]):
    class Meta:
        model = Registration

    event = SubFactory(EventFactory)
    person = SubFactory(PersonFactory, organisation=SelfAttribute("..event.organisation"))


class CpdNeedsSurveyFactory(DjangoModelFactory[CpdNeedsSurvey]):
    class Meta:
        model = CpdNeedsSurvey

    partnership = SelfAttribute("organisation_for_partnership.partnership")
    academic_year = LazyFunction(lambda: AcademicYear.objects.get_or_create(start_year=2019)[0])
    title = "Practice educator CPD needs"
    opens_on = LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    closes_on = LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=21))

    class Params:
        organisation_for_partnership = SubFactory(OrganisationFactory)


class CpdNeedsTopicFactory(DjangoModelFactory[CpdNeedsTopic]):
    class Meta:
        model = CpdNeedsTopic

    survey = SubFactory(CpdNeedsSurveyFactory)
    name = Sequence(lambda n: f"Topic {n}")
    position = Sequence(lambda n: n)
