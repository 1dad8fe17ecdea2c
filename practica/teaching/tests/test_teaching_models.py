"""The invariants the teaching models keep themselves (database constraints and clean)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from practica.organisations.tests.factories import OrganisationFactory, PersonFactory
from practica.teaching.models import SessionContributor
from practica.teaching.tests.factories import (
    LivedExperienceContributorFactory,
    PractitionerTeacherFactory,
    SessionContributorFactory,
    TeachingSessionFactory,
)

pytestmark = pytest.mark.django_db


def test_session_contributor_names_exactly_one_person() -> None:
    contribution = SessionContributorFactory.create()
    contributor = LivedExperienceContributorFactory.create(hei=contribution.session.hei)
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionContributor.objects.unscoped("test").filter(pk=contribution.pk).update(
            contributor=contributor
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionContributor.objects.create(session=contribution.session)


def test_a_practitioner_is_on_a_session_once() -> None:
    contribution = SessionContributorFactory.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionContributorFactory.create(
            session=contribution.session, practitioner_teacher=contribution.practitioner_teacher
        )


def test_session_date_outside_its_academic_year_is_refused() -> None:
    session = TeachingSessionFactory.build(
        hei=OrganisationFactory.create(kind="hei"), date=datetime.date(2020, 9, 1)
    )
    with pytest.raises(ValidationError, match="not in the academic year 2019/20"):
        session.full_clean()


def test_session_hours_out_of_range_are_refused_by_the_database() -> None:
    session = TeachingSessionFactory.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(session).objects.unscoped("test").filter(pk=session.pk).update(hours=0)


def test_practitioner_teacher_is_not_held_by_a_university() -> None:
    teacher = PractitionerTeacherFactory.build(
        person=PersonFactory.create(organisation=OrganisationFactory.create(kind="hei"))
    )
    with pytest.raises(ValidationError, match="held by their employer"):
        teacher.full_clean()


def test_contributor_person_belongs_to_their_university() -> None:
    contributor = LivedExperienceContributorFactory.build(
        hei=OrganisationFactory.create(kind="hei"), person=PersonFactory.create()
    )
    with pytest.raises(ValidationError, match="belongs to another organisation"):
        contributor.full_clean()
