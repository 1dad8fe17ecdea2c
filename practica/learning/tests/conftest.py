"""Fixtures for the learning app's tests: an LA (org_a), an HEI (org_b) and people in them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from practica.accounts.models import User
from practica.core.models import Organisation, Partnership, Person
from practica.learning.events.models import Event
from practica.learning.surveys import services
from practica.learning.surveys.models import CpdNeedsResponse, CpdNeedsSurvey
from practica.learning.tests.factories import EventFactory
from practica.organisations.tests.factories import PersonFactory


@pytest.fixture
def event(org_a: Organisation) -> Event:
    """A forum in a fortnight organised by Alpha Council, with 2 places."""
    return EventFactory.create(organisation=org_a, capacity=2, title="Winter forum")


@pytest.fixture
def people(org_a: Organisation) -> list[Person]:
    return [
        PersonFactory.create(organisation=org_a, first_name=name, last_name="Tester")
        for name in ("Ada", "Bea", "Cal", "Dee")
    ]


@pytest.fixture
def bob_person(bob: User, org_a: Organisation) -> Person:
    return PersonFactory.create(
        organisation=org_a, user=bob, first_name="Bob", last_name="Educator"
    )


def started(event: Event) -> Event:
    """The same event, moved so that it started an hour ago (time passing, for attendance)."""
    starts_at = timezone.now() - datetime.timedelta(hours=1)
    Event.objects.unscoped("test").filter(pk=event.pk).update(
        starts_at=starts_at, ends_at=starts_at + (event.ends_at - event.starts_at)
    )
    event.refresh_from_db()
    return event


TOPICS = ["Reflective supervision", "Struggling and failing students", "Unconscious bias"]


@pytest.fixture
def survey(partnership: Partnership) -> CpdNeedsSurvey:
    today = timezone.localdate()
    return services.create_cpd_needs_survey(
        actor=None,
        partnership=partnership,
        academic_year="2019/20",
        title="Practice educator CPD needs",
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=30),
        topics=TOPICS,
    )


def answer(
    survey: CpdNeedsSurvey, person: Person, ratings: list[int], fmt: str = "forum"
) -> CpdNeedsResponse:
    topics = list(survey.topics.all())
    return services.submit_cpd_needs_response(
        actor=None,
        survey=survey,
        person=person,
        interest={topic.pk: rating for topic, rating in zip(topics, ratings, strict=True)},
        preferred_format=fmt,
    )
