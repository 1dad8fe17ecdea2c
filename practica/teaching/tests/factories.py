"""factory-boy factories for the practitioner-teacher and contributor directories and sessions."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from practica.core.services import ensure_academic_year
from practica.organisations.tests.factories import OrganisationFactory, PersonFactory
from practica.teaching.models import (
    ConsentKind,
    ContributorConsent,
    LivedExperienceContributor,
    PractitionerStatus,
    PractitionerTeacher,
    SessionContributor,
    SessionKind,
    SessionStatus,
    TeachingSession,
)

CONSENT_GIVEN_ON = datetime.date(2019, 10, 1)


class PractitionerTeacherFactory(DjangoModelFactory[PractitionerTeacher]):
    """An active practitioner teacher employed by a local authority."""

    class Meta:
        model = PractitionerTeacher

    person = factory.SubFactory(PersonFactory)
    status = PractitionerStatus.ACTIVE


class LivedExperienceContributorFactory(DjangoModelFactory[LivedExperienceContributor]):
    """A contributor held by a university (their person record belongs to it too), who
    consented on 1 October 2019 to being listed in its directory (``listed=False``: no
    consent; ``shared=True``: also to sharing with the partnership's local authorities)."""

    class Meta:
        model = LivedExperienceContributor
        skip_postgeneration_save = True

    hei = factory.SubFactory(OrganisationFactory, kind="hei")
    person = factory.SubFactory(PersonFactory, organisation=factory.SelfAttribute("..hei"))

    @factory.post_generation
    def listed(
        self: LivedExperienceContributor, create: bool, extracted: Any, **kwargs: Any
    ) -> None:
        if create and extracted is not False:
            ContributorConsent.objects.create(
                contributor=self, kind=ConsentKind.DIRECTORY, given_on=CONSENT_GIVEN_ON
            )

    @factory.post_generation
    def shared(
        self: LivedExperienceContributor, create: bool, extracted: Any, **kwargs: Any
    ) -> None:
        if create and extracted:
            ContributorConsent.objects.create(
                contributor=self, kind=ConsentKind.PARTNERS, given_on=CONSENT_GIVEN_ON
            )


class TeachingSessionFactory(DjangoModelFactory[TeachingSession]):
    """A two-hour teaching session delivered at a university on 14 November 2019."""

    class Meta:
        model = TeachingSession

    hei = factory.SubFactory(OrganisationFactory, kind="hei")
    kind = SessionKind.TEACHING
    academic_year = factory.LazyFunction(lambda: ensure_academic_year(start_year=2019))
    date = datetime.date(2019, 11, 14)
    module = "Social work with children and families"
    title = factory.Sequence(lambda n: f"Session {n}")
    status = SessionStatus.DELIVERED
    hours = Decimal(2)


class SessionContributorFactory(DjangoModelFactory[SessionContributor]):
    """A practitioner teacher on a session, counted for their employer."""

    class Meta:
        model = SessionContributor

    session = factory.SubFactory(TeachingSessionFactory)
    practitioner_teacher = factory.SubFactory(PractitionerTeacherFactory)
    organisation = factory.LazyAttribute(lambda o: o.practitioner_teacher.person.organisation)
