"""The register's history travels through imports: activities with their dates
(``pe-activities``), the annual review (``reviewed_on``, ``reviewed_by``) and a PEPS
candidate's assessor. Columns a file leaves out keep what the register holds."""

from __future__ import annotations

import datetime

import pytest

from practica.accounts.models import User
from practica.core.models import Organisation
from practica.educators.models import PepsEnrolment, PracticeEducator, PracticeEducatorActivity
from practica.educators.tests.factories import (
    PepsEnrolmentFactory,
    PracticeEducatorFactory,
)
from practica.imports.framework import BatchResult
from practica.imports.testing import import_text

ACTIVITIES = "email,organisation,activity,started_on,ended_on\n"
REGISTER = (
    "email,first_name,last_name,organisation,peps_stage,stage1_date,stage2_date,reviewed_on,"
    "reviewed_by\n"
)


def run(user: User, *files: tuple[str, str]) -> tuple[list[str], BatchResult]:
    return import_text(*files, viewer=user)


@pytest.fixture
def nia(org_a: Organisation) -> PracticeEducator:
    return PracticeEducatorFactory.create(
        person__organisation=org_a, person__email="nia@example.test", person__first_name="Nia"
    )


def test_activities_come_in_with_their_dates_current_and_ended(
    alice: User, nia: PracticeEducator
) -> None:
    errors, _result = run(
        alice,
        (
            "pe-activities",
            ACTIVITIES
            + "nia@example.test,AAA,student_pe,2016-09-01,2018-07-31\n"
            + "nia@example.test,AAA,student_pe,2019-09-01,\n"
            + "nia@example.test,AAA,peps_assessor,2018-01-15,\n",
        ),
    )
    assert errors == []
    assert sorted(nia.activities.values_list("kind", "started_on", "ended_on")) == [
        ("peps_assessor", datetime.date(2018, 1, 15), None),
        ("student_pe", datetime.date(2016, 9, 1), datetime.date(2018, 7, 31)),
        ("student_pe", datetime.date(2019, 9, 1), None),
    ]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "nia@example.test,AAA,student_pe,2018-01-01,\n",
            "column started_on: It overlaps the same activity recorded 01/09/2017.",
        ),
        ("nia@example.test,AAA,student_pe,2019-09-01,2019-08-01\n", "column ended_on: An activity"),
        ("who@example.test,AAA,student_pe,2019-09-01,\n", "column email: no practice educator"),
        ("nia@example.test,AAA,mentoring,2019-09-01,\n", "column activity: “mentoring” is not"),
        ("nia@example.test,BBB,student_pe,2019-09-01,\n", "column organisation: you cannot"),
    ],
)
def test_each_activity_error_names_its_row_and_column_and_nothing_is_written(
    alice: User, nia: PracticeEducator, org_b: Organisation, row: str, expected: str
) -> None:
    PracticeEducatorActivity.objects.create(
        educator=nia, kind="student_pe", started_on=datetime.date(2017, 9, 1)
    )
    errors, result = run(alice, ("pe-activities", ACTIVITIES + row))
    assert any(expected in error for error in errors), errors
    assert not result.applied
    assert nia.activities.count() == 1


def test_a_register_file_without_the_activities_column_keeps_the_activities(
    alice: User, nia: PracticeEducator
) -> None:
    PracticeEducatorActivity.objects.create(
        educator=nia, kind="student_pe", started_on=datetime.date(2017, 9, 1)
    )
    row = f"nia@example.test,Nia,{nia.person.last_name},AAA,stage2,2015-07-01,2017-07-01,,\n"
    errors, _result = run(alice, ("practice-educators", REGISTER + row))
    assert errors == []
    assert nia.activities.get().ended_on is None


def test_a_review_comes_in_with_its_date_and_reviewer(alice: User, nia: PracticeEducator) -> None:
    row = (
        f"nia@example.test,Nia,{nia.person.last_name},AAA,stage2,2015-07-01,2017-07-01,"
        "2020-03-02,alice@example.test\n"
    )
    errors, _result = run(alice, ("practice-educators", REGISTER + row))
    assert errors == []
    nia.refresh_from_db()
    assert (nia.reviewed_on, nia.reviewed_by) == (datetime.date(2020, 3, 2), alice)
    _errors, again = run(alice, ("practice-educators", REGISTER + row))
    assert again.counts()["unchanged"] == 1


@pytest.mark.parametrize(
    ("review", "expected"),
    [
        (",alice@example.test", "column reviewed_on: is empty; give the date of the review"),
        ("2020-03-02,nobody@example.test", "column reviewed_by: no user has the e-mail address"),
    ],
)
def test_a_review_needs_its_date_and_a_known_reviewer(
    alice: User, nia: PracticeEducator, review: str, expected: str
) -> None:
    row = f"nia@example.test,Nia,{nia.person.last_name},AAA,stage2,2015-07-01,2017-07-01,{review}\n"
    errors, _result = run(alice, ("practice-educators", REGISTER + row))
    assert len(errors) == 1
    assert errors[0].startswith(f"row 2, {expected}")
    nia.refresh_from_db()
    assert nia.reviewed_on is None


ENROLMENTS = "email,organisation,academic_year,stage,outcome,outcome_date,assessor\n"


@pytest.fixture
def enrolment(org_a: Organisation) -> PepsEnrolment:
    trainee = PracticeEducatorFactory.create(
        person__organisation=org_a, person__email="ola@example.test", trainee=True
    )
    return PepsEnrolmentFactory.create(
        educator=trainee,
        cohort__organisation=org_a,
        cohort__academic_year__start_year=2019,
        cohort__stage=1,
    )


def test_a_candidate_s_assessor_comes_in_with_the_enrolment(
    alice: User, nia: PracticeEducator, enrolment: PepsEnrolment
) -> None:
    row = "ola@example.test,AAA,2019/20,1,enrolled,,nia@example.test\n"
    errors, _result = run(alice, ("peps-enrolments", ENROLMENTS + row))
    assert errors == []
    enrolment.refresh_from_db()
    assert enrolment.assessor == nia


def test_an_assessor_who_is_not_on_the_register_is_refused(
    alice: User, enrolment: PepsEnrolment
) -> None:
    row = "ola@example.test,AAA,2019/20,1,enrolled,,who@example.test\n"
    errors, _result = run(alice, ("peps-enrolments", ENROLMENTS + row))
    assert errors == [
        "row 2, column assessor: no practice educator on the register has this address."
    ]


def test_an_assessor_below_stage_2_rolls_the_file_back(
    alice: User, org_a: Organisation, enrolment: PepsEnrolment
) -> None:
    PracticeEducatorFactory.create(
        person__organisation=org_a,
        person__email="sam@example.test",
        peps_stage="stage1",
        stage2_date=None,
    )
    row = "ola@example.test,AAA,2019/20,1,enrolled,,sam@example.test\n"
    errors, result = run(alice, ("peps-enrolments", ENROLMENTS + row))
    assert errors == [
        "peps-enrolments.csv, row 2, column assessor: An assessor or mentor must hold PEPS Stage 2."
    ]
    assert not result.applied
    enrolment.refresh_from_db()
    assert enrolment.assessor is None
