"""The cpd-needs report: the survey's results per academic year and topic, for coordinators
and the partnership manager of the survey's partnership only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from practica.accounts.models import Role, User
from practica.core.models import Organisation, Person
from practica.learning.surveys.models import CpdNeedsSurvey
from practica.learning.tests.conftest import TOPICS, answer
from practica.organisations.tests.factories import OrganisationFactory, PartnershipFactory, member
from practica.reports.registry import ReportParams, get_report, run_report


@pytest.fixture
def answered(survey: CpdNeedsSurvey, people: list[Person]) -> CpdNeedsSurvey:
    answer(survey, people[0], [5, 2, 4])
    answer(survey, people[1], [4, 1, 2])
    answer(survey, people[2], [3, 1, 5])
    return survey


def test_rows_give_answers_interest_and_mean_per_topic_in_the_survey_s_order(
    alice: User, answered: CpdNeedsSurvey
) -> None:
    result = run_report(get_report("cpd-needs"), alice, ReportParams())
    assert [
        (r["year"], r["topic"], r["answers"], r["interested"], r["interested_share"], r["mean"])
        for r in result.rows
    ] == [
        ("2019/20", TOPICS[0], 3, 2, Decimal("66.7"), Decimal("4.0")),
        ("2019/20", TOPICS[1], 3, 0, Decimal("0.0"), Decimal("1.3")),
        ("2019/20", TOPICS[2], 3, 2, Decimal("66.7"), Decimal("3.7")),
    ]


def test_the_year_filter_keeps_only_that_year_s_survey(
    alice: User, answered: CpdNeedsSurvey
) -> None:
    assert run_report(get_report("cpd-needs"), alice, ReportParams(year=2020)).rows == []
    assert len(run_report(get_report("cpd-needs"), alice, ReportParams(year=2019)).rows) == 3


def test_a_coordinator_of_another_partnership_sees_no_rows(answered: CpdNeedsSurvey) -> None:
    elsewhere = OrganisationFactory.create(partnership=PartnershipFactory.create(name="Far"))
    outsider = member(Role.COORDINATOR, elsewhere, email="far@example.test")
    assert run_report(get_report("cpd-needs"), outsider, ReportParams()).rows == []


def test_academics_and_practice_educators_are_not_offered_the_report(
    org_b: Organisation, bob: User
) -> None:
    academic = member(Role.ACADEMIC, org_b, email="academic@example.test")
    assert not get_report("cpd-needs").visible_to(academic)
    assert not get_report("cpd-needs").visible_to(bob)
