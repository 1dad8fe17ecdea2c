"""What the database and clean() refuse of students' placement details, offers and placements."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from factory.django import DjangoModelFactory

from practica.core.models import Organisation
from practica.organisations.tests.factories import OrganisationFactory, TeamFactory
from practica.placements.models import PlacementStatus, PlacementType, default_days
from practica.placements.tests.factories import (
    PlacementFactory,
    PlacementOfferFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db


def refused_by_database(factory: type[DjangoModelFactory[Any]], **fields: object) -> bool:
    try:
        with transaction.atomic():
            factory.create(**fields)
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize(
    ("placement_type", "days", "allowed"),
    [
        (PlacementType.FIRST_70, 70, True),
        (PlacementType.FIRST_70, 100, False),
        (PlacementType.FINAL_100, 100, True),
        (PlacementType.FINAL_100, 99, False),
        (PlacementType.SHADOWING, 3, True),
        (PlacementType.SHADOWING, 30, False),
        (PlacementType.SCHOOL_SETTING, 70, True),
        (PlacementType.OTHER, 0, False),
    ],
)
def test_the_days_of_an_offer_and_a_placement_suit_their_type(
    org_a: Organisation, placement_type: str, days: int, allowed: bool
) -> None:
    fields = {"organisation": org_a, "placement_type": placement_type, "days": days}
    assert refused_by_database(PlacementOfferFactory, **fields) is not allowed
    assert refused_by_database(PlacementFactory, **fields) is not allowed


def test_first_and_final_placements_have_fixed_days_and_others_say_theirs() -> None:
    assert default_days(PlacementType.FIRST_70) == 70
    assert default_days(PlacementType.FINAL_100) == 100
    assert default_days(PlacementType.SHADOWING) is None


def test_a_placement_that_ended_early_says_why_and_no_other_does(org_a: Organisation) -> None:
    assert refused_by_database(
        PlacementFactory, organisation=org_a, status=PlacementStatus.ENDED_EARLY
    )
    assert refused_by_database(PlacementFactory, organisation=org_a, ended_reason="Because")
    PlacementFactory.create(
        organisation=org_a, status=PlacementStatus.ENDED_EARLY, ended_reason="Moved away"
    )


def test_a_confirmed_placement_has_its_dates(org_a: Organisation) -> None:
    assert refused_by_database(
        PlacementFactory, organisation=org_a, status=PlacementStatus.CONFIRMED
    )
    PlacementFactory.create(organisation=org_a, confirmed=True)


def test_a_student_has_one_placement_of_a_type_a_year_besides_those_ended_early(
    org_a: Organisation,
) -> None:
    first = PlacementFactory.create(
        organisation=org_a, status=PlacementStatus.ENDED_EARLY, ended_reason="Illness"
    )
    PlacementFactory.create(organisation=org_a, student=first.student)
    assert refused_by_database(PlacementFactory, organisation=org_a, student=first.student)
    PlacementFactory.create(
        organisation=org_a, student=first.student, placement_type=PlacementType.FIRST_70, days=70
    )


def test_an_offer_names_a_team_or_a_setting(org_a: Organisation) -> None:
    assert refused_by_database(PlacementOfferFactory, organisation=org_a, team=None, setting="")
    PlacementOfferFactory.create(organisation=org_a, team=None, setting="Medway schools")


def test_an_offer_of_a_team_is_unique_per_year_and_type(org_a: Organisation) -> None:
    offer = PlacementOfferFactory.create(organisation=org_a)
    assert refused_by_database(PlacementOfferFactory, organisation=org_a, team=offer.team)
    PlacementOfferFactory.create(organisation=org_a, team=offer.team, setting="Second office")


def test_an_offer_takes_only_its_organisations_teams_and_known_routes(
    org_a: Organisation,
) -> None:
    offer = PlacementOfferFactory.build(
        organisation=org_a,
        team=TeamFactory.create(),
        academic_year=PlacementOfferFactory.create(organisation=org_a).academic_year,
        routes=["ba", "bsc"],
        starts_on=datetime.date(2021, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        offer.full_clean()
    assert set(error.value.message_dict) >= {"team", "routes", "starts_on"}


def test_an_offsite_practice_educator_comes_with_an_onsite_supervisor(
    org_a: Organisation,
) -> None:
    offer = PlacementOfferFactory.create(organisation=org_a)
    offer.practice_educator_offsite = True
    with pytest.raises(ValidationError) as error:
        offer.full_clean()
    assert set(error.value.message_dict) == {"practice_educator_offsite", "onsite_supervisor"}


def test_a_placement_fits_its_offer_and_not_the_students_own_team(org_a: Organisation) -> None:
    offer = PlacementOfferFactory.create(organisation=org_a, routes=["ma"])
    student = StudentFactory.create(route="apprentice", employer=org_a, employer_team=offer.team)
    placement = PlacementFactory.build(
        student=student,
        organisation=org_a,
        team=offer.team,
        academic_year=offer.academic_year,
        offer=offer,
    )
    with pytest.raises(ValidationError) as error:
        placement.full_clean()
    assert error.value.message_dict == {
        "offer": ["The offer does not take Social work degree apprenticeship students."],
        "team": ["A student is not placed in the team they work in."],
    }
    placement.offer = PlacementOfferFactory.create(organisation=OrganisationFactory.create())
    with pytest.raises(ValidationError) as error:
        placement.full_clean()
    assert error.value.message_dict["offer"] == ["The offer is another organisation's."]


def test_needs_are_recorded_only_with_a_dated_consent(org_b: Organisation) -> None:
    assert refused_by_database(StudentFactory, hei=org_b, needs="Dyslexia")
    assert refused_by_database(StudentFactory, hei=org_b, needs_consent=True)
    StudentFactory.create(
        hei=org_b,
        needs="Dyslexia: written notes in advance",
        needs_consent=True,
        needs_consent_on=datetime.date(2019, 9, 2),
    )


def test_an_employer_team_belongs_to_the_employer(org_a: Organisation, org_b: Organisation) -> None:
    assert refused_by_database(StudentFactory, hei=org_b, employer_team=TeamFactory.create())
    student = StudentFactory.build(hei=org_b, employer=org_a, employer_team=TeamFactory.create())
    with pytest.raises(ValidationError) as error:
        student.clean()
    assert error.value.message_dict == {
        "employer_team": ["Choose a team of the student's employer."]
    }
