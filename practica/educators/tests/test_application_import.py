"""The pe-applications and pe-application-scores import kinds: applications from earlier
records, at whatever point each reached, come in without e-mailing anyone, and go out with
export-all."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practica.accounts.models import User
from practica.core.models import Organisation, Person
from practica.educators.models import ApplicationScore, PeApplication
from practica.educators.tests.factories import (
    PepsEnrolmentFactory,
    PracticeEducatorFactory,
    SelectionCriterionFactory,
)
from practica.imports.framework import BatchResult
from practica.imports.registry import get_importer
from practica.imports.testing import as_csv, import_text
from practica.organisations.tests.factories import PersonFactory

APPLICATIONS = (
    "email,organisation,stage,submitted_at,statement,line_manager_name,line_manager_email,"
    "line_manager_supports,line_manager_statement,support_given_at,panel,interview_at,decision,"
    "decided_on,decided_by,feedback_letter,feedback_sent_to\n"
)
DECIDED = (
    "ola@example.test,AAA,1,2019-03-04 10:30,I want to teach,Lin Manager,lin@example.test,yes,"
    "Ola is ready,2019-03-08 09:00,kim@example.test;alice@example.test,2019-04-01 14:00,"
    "accepted,2019-04-10,alice@example.test,Dear Ola: well done.,ola@example.test\n"
)
SCORES = "email,organisation,stage,submitted_at,criterion,score,comment\n"
SCORE = "ola@example.test,AAA,1,2019-03-04 10:30,Values,4,Clear about anti-oppressive practice\n"


def run(user: User, *files: tuple[str, str]) -> tuple[list[str], BatchResult]:
    return import_text(*files, viewer=user)


@pytest.fixture
def people(org_a: Organisation, org_b: Organisation, alice: User) -> dict[str, Person]:
    ola = PracticeEducatorFactory.create(
        person__organisation=org_a, person__email="ola@example.test", trainee=True
    ).person
    kim = PersonFactory.create(organisation=org_b, email="kim@example.test")
    PersonFactory.create(organisation=org_a, email="alice@example.test", user=alice)
    SelectionCriterionFactory.create(organisation=org_a, title="Values", max_score=5)
    return {"ola": ola, "kim": kim}


def test_a_decided_application_comes_in_whole_and_nobody_is_e_mailed(
    alice: User, people: dict[str, Person], org_a: Organisation
) -> None:
    enrolment = PepsEnrolmentFactory.create(
        educator=people["ola"].practice_educator,
        cohort__organisation=org_a,
        cohort__stage=1,
        cohort__academic_year__start_year=2019,
    )
    errors, _result = run(
        alice,
        ("pe-applications", APPLICATIONS + DECIDED),
        ("pe-application-scores", SCORES + SCORE),
    )
    assert errors == []
    application = PeApplication.objects.unscoped("test").get()
    assert application.created_at == timezone.make_aware(datetime.datetime(2019, 3, 4, 10, 30))
    assert (application.line_manager_supports, application.decision) == (True, "accepted")
    assert application.decided_by == alice
    assert sorted(m.person.email for m in application.panel_members.all()) == [
        "alice@example.test",
        "kim@example.test",
    ]
    assert application.enrolment == enrolment  # the cohort after the decision
    assert application.scores.get().comment == "Clear about anti-oppressive practice"
    assert mail.outbox == []
    _errors, again = run(
        alice,
        ("pe-applications", APPLICATIONS + DECIDED),
        ("pe-application-scores", SCORES + SCORE),
    )
    assert again.counts() == {"create": 0, "update": 0, "unchanged": 2}


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (DECIDED.replace("Dear Ola: well done.", ""), "column decision: A decision needs its date"),
        (DECIDED.replace("kim@example", "who@example"), "column panel: no person has"),
        (
            DECIDED.replace(",alice@example.test,Dear", ",bob@nowhere.test,Dear"),
            "column decided_by",
        ),
        (
            DECIDED.replace("ola@example.test,AAA", "kim@example.test,AAA"),
            "column email: cannot be used for this row",
        ),
        (DECIDED.replace(",1,2019-03-04", ",3,2019-03-04"), "column stage: “3” is not one of"),
    ],
)
def test_each_application_error_names_its_row_and_column_and_nothing_is_written(
    alice: User, people: dict[str, Person], row: str, expected: str
) -> None:
    errors, result = run(alice, ("pe-applications", APPLICATIONS + row))
    assert any(error.startswith(f"row 2, {expected}") for error in errors), errors
    assert not result.applied
    assert not PeApplication.objects.unscoped("test").exists()


def test_a_line_manager_s_answer_without_its_date_rolls_the_file_back(
    alice: User, people: dict[str, Person]
) -> None:
    row = DECIDED.replace("2019-03-08 09:00", "")
    errors, result = run(alice, ("pe-applications", APPLICATIONS + row))
    assert errors == [
        "pe-applications.csv, row 2, column support_given_at: Give the line manager's answer "
        "and the date they gave it together (or neither)."
    ]
    assert not result.applied


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (SCORE.replace(",4,", ",6,"), "column score: The highest score for Values is 5."),
        (SCORE.replace("Values", "Charm"), "column criterion: AAA publishes no criterion"),
        (SCORE.replace("10:30", "11:30"), "column submitted_at: no application of this person"),
    ],
)
def test_each_score_error_names_its_row_and_column(
    alice: User, people: dict[str, Person], row: str, expected: str
) -> None:
    run(alice, ("pe-applications", APPLICATIONS + DECIDED))
    errors, _result = run(alice, ("pe-application-scores", SCORES + row))
    assert any(error.startswith(f"row 2, {expected}") for error in errors), errors
    assert not ApplicationScore.objects.unscoped("test").exists()


def test_exported_applications_and_scores_import_back_the_same(
    alice: User, people: dict[str, Person]
) -> None:
    run(
        alice,
        ("pe-applications", APPLICATIONS + DECIDED),
        ("pe-application-scores", SCORES + SCORE),
    )
    applications = get_importer("pe-applications").export_rows(alice)
    scores = get_importer("pe-application-scores").export_rows(alice)
    PeApplication.objects.unscoped("test").all().delete()
    errors, _result = run(
        alice, ("pe-applications", as_csv(applications)), ("pe-application-scores", as_csv(scores))
    )
    assert errors == []
    assert get_importer("pe-applications").export_rows(alice) == applications
    assert get_importer("pe-application-scores").export_rows(alice) == scores


def test_a_score_file_looks_each_application_up_once_to_check_and_once_to_apply(
    alice: User, people: dict[str, Person], org_a: Organisation
) -> None:
    run(alice, ("pe-applications", APPLICATIONS + DECIDED))
    SelectionCriterionFactory.create(organisation=org_a, title="Reflection", max_score=5)
    second = SCORE.replace("Values,4", "Reflection,3")
    with CaptureQueriesContext(connection) as queries:
        errors, result = run(alice, ("pe-application-scores", SCORES + SCORE + second))
    assert errors == []
    assert result.counts()["create"] == 2
    # by applicant, stage and time: the natural key (saving a score checks its key exists too)
    lookups = [
        query["sql"]
        for query in queries.captured_queries
        if 'FROM "educators_peapplication"' in query["sql"] and "created_at" in query["sql"]
    ]
    assert len(lookups) == 2
