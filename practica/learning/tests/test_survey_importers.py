"""The cpd-needs-surveys and cpd-needs-responses import kinds: a survey and its answers come in
from spreadsheets (and go out with export-all) like every other record."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail

from practica.accounts.models import User
from practica.core.models import Organisation, Person
from practica.imports.framework import BatchResult
from practica.imports.registry import get_importer
from practica.imports.testing import as_csv, import_text
from practica.learning.surveys import services
from practica.learning.surveys.models import CpdNeedsResponse, CpdNeedsSurvey, CpdNeedsSurveyMailing
from practica.organisations.tests.factories import PersonFactory

SURVEYS = "organisation,academic_year,title,opens_on,closes_on,topics\n"
SURVEY = "AAA,2019/20,PE CPD needs,2019-09-16,2019-10-11,Reflective supervision; Unconscious bias\n"
RESPONSES = "organisation,academic_year,email,preferred_format,ratings,comments,submitted_at\n"
ANSWER = (
    "AAA,2019/20,nia@example.test,forum,Reflective supervision = 4; Unconscious bias = 5,"
    "More on bias please,2019-09-20 10:15\n"
)


def run(user: User, *files: tuple[str, str]) -> tuple[list[str], BatchResult]:
    return import_text(*files, viewer=user)


@pytest.fixture
def nia(org_a: Organisation) -> Person:
    return PersonFactory.create(organisation=org_a, email="nia@example.test", first_name="Nia")


def test_a_survey_and_its_answers_import_together(
    alice: User, org_a: Organisation, nia: Person
) -> None:
    errors, _result = run(
        alice, ("cpd-needs-surveys", SURVEYS + SURVEY), ("cpd-needs-responses", RESPONSES + ANSWER)
    )
    assert errors == []
    survey = CpdNeedsSurvey.objects.unscoped("test").get()
    assert [topic.name for topic in survey.topics.all()] == [
        "Reflective supervision",
        "Unconscious bias",
    ]
    response = CpdNeedsResponse.objects.get()
    assert {r.topic.name: r.interest for r in response.ratings.all()} == {
        "Reflective supervision": 4,
        "Unconscious bias": 5,
    }
    assert (response.preferred_format, response.comments) == ("forum", "More on bias please")
    _errors, again = run(
        alice, ("cpd-needs-surveys", SURVEYS + SURVEY), ("cpd-needs-responses", RESPONSES + ANSWER)
    )
    assert again.counts() == {"create": 0, "update": 0, "unchanged": 2}


def test_a_changed_survey_row_renames_it_and_adds_the_new_topic(
    alice: User, org_a: Organisation
) -> None:
    run(alice, ("cpd-needs-surveys", SURVEYS + SURVEY))
    changed = SURVEY.replace("PE CPD needs", "CPD needs 2019").replace(
        "Unconscious bias", "Unconscious bias; Assessing students"
    )
    errors, result = run(alice, ("cpd-needs-surveys", SURVEYS + changed))
    assert errors == []
    assert result.counts()["update"] == 1
    survey = CpdNeedsSurvey.objects.unscoped("test").get()
    assert survey.title == "CPD needs 2019"
    assert [t.name for t in survey.topics.all()][-1] == "Assessing students"


def test_a_topic_people_have_rated_cannot_be_dropped(
    alice: User, org_a: Organisation, nia: Person
) -> None:
    run(alice, ("cpd-needs-surveys", SURVEYS + SURVEY), ("cpd-needs-responses", RESPONSES + ANSWER))
    errors, result = run(
        alice, ("cpd-needs-surveys", SURVEYS + SURVEY.replace("; Unconscious bias", ""))
    )
    assert errors == [
        "cpd-needs-surveys.csv, row 2, column topics: People have already rated Unconscious "
        "bias; keep it in the survey."
    ]
    assert not result.applied
    assert CpdNeedsSurvey.objects.unscoped("test").get().topics.count() == 2


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            ANSWER.replace("Unconscious bias = 5", "Bias = 5"),
            "column ratings: the survey has no topic bias.",
        ),
        (
            ANSWER.replace("; Unconscious bias = 5", ""),
            "column ratings: rate every topic: Unconscious bias is missing.",
        ),
        (
            ANSWER.replace("= 5", "= 6"),
            "column ratings: Unconscious bias is rated “6”; rate 1 to 5.",
        ),
        (ANSWER.replace("= 5", "five"), "column ratings: “Unconscious bias five” is not a rating"),
        (ANSWER.replace("2019-09-20", "2019-12-01"), "column submitted_at: is outside the days"),
        (ANSWER.replace("nia@", "who@"), "column email: no such person"),
        (
            ANSWER.replace("2019/20", "2020/21"),
            "column academic_year: the partnership has no CPD-needs survey for 2020/21",
        ),
        (ANSWER.replace("forum", "podcast", 1), "column preferred_format: “podcast” is not one of"),
    ],
)
def test_each_answer_error_names_its_row_and_column_and_nothing_is_written(
    alice: User, org_a: Organisation, nia: Person, row: str, expected: str
) -> None:
    run(alice, ("cpd-needs-surveys", SURVEYS + SURVEY))
    errors, result = run(alice, ("cpd-needs-responses", RESPONSES + row))
    assert any(error.startswith(f"row 2, {expected}") for error in errors), errors
    assert not result.applied
    assert not CpdNeedsResponse.objects.exists()


def test_an_import_does_not_change_answers_already_given(
    alice: User, org_a: Organisation, nia: Person
) -> None:
    run(alice, ("cpd-needs-surveys", SURVEYS + SURVEY), ("cpd-needs-responses", RESPONSES + ANSWER))
    errors, _result = run(alice, ("cpd-needs-responses", RESPONSES + ANSWER.replace("= 4", "= 1")))
    assert errors == [
        "row 2, column email: Nia "
        f"{nia.last_name} has already answered this survey differently; an import does not "
        "change answers."
    ]
    assert (
        CpdNeedsResponse.objects.get().ratings.get(topic__name="Reflective supervision").interest
        == 4
    )


def test_exported_surveys_and_answers_import_back_the_same(
    alice: User, org_a: Organisation, nia: Person
) -> None:
    run(alice, ("cpd-needs-surveys", SURVEYS + SURVEY), ("cpd-needs-responses", RESPONSES + ANSWER))
    surveys = get_importer("cpd-needs-surveys").export_rows(alice)
    answers = get_importer("cpd-needs-responses").export_rows(alice)
    assert "\n" in surveys[0]["topics"]  # one topic per line, so a topic may hold a ';'
    CpdNeedsSurvey.objects.unscoped("test").all().delete()
    errors, _result = run(
        alice, ("cpd-needs-surveys", as_csv(surveys)), ("cpd-needs-responses", as_csv(answers))
    )
    assert errors == []
    assert get_importer("cpd-needs-surveys").export_rows(alice) == surveys
    assert get_importer("cpd-needs-responses").export_rows(alice) == answers


def test_updating_a_survey_keeps_the_ratings_of_topics_it_keeps(
    org_a: Organisation, nia: Person
) -> None:
    survey = services.create_cpd_needs_survey(
        actor=None,
        partnership=org_a.partnership,
        academic_year="2019/20",
        title="PE CPD needs",
        opens_on=datetime.date(2019, 9, 16),
        closes_on=datetime.date(2019, 10, 11),
        topics=["A", "B"],
    )
    services.update_cpd_needs_survey(
        actor=None,
        survey=survey,
        title="PE CPD needs",
        opens_on=survey.opens_on,
        closes_on=survey.closes_on,
        topics=["b", "C"],
    )
    assert [(t.name, t.position) for t in survey.topics.all()] == [("b", 1), ("C", 2)]


MAILINGS = "organisation,academic_year,sent_at,sent_by,recipients\n"
MAILING = "AAA,2019/20,2019-09-16 09:00,alice@example.test,nia@example.test\n"


def test_a_survey_mailing_is_recorded_without_sending_and_exports_back_the_same(
    alice: User, org_a: Organisation, nia: Person
) -> None:
    errors, _result = run(
        alice, ("cpd-needs-surveys", SURVEYS + SURVEY), ("cpd-needs-mailings", MAILINGS + MAILING)
    )
    assert errors == []
    mailing = CpdNeedsSurvey.objects.unscoped("test").get().mailings.get()
    assert (mailing.sent_by, mailing.recipients.count()) == (alice, 1)
    assert list(mailing.recipients.all()) == [nia]
    assert mail.outbox == []
    exported = get_importer("cpd-needs-mailings").export_rows(alice)
    CpdNeedsSurveyMailing.objects.all().delete()
    errors, _result = run(alice, ("cpd-needs-mailings", as_csv(exported)))
    assert errors == []
    assert get_importer("cpd-needs-mailings").export_rows(alice) == exported


def test_a_mailing_to_someone_unknown_is_refused(alice: User, org_a: Organisation) -> None:
    run(alice, ("cpd-needs-surveys", SURVEYS + SURVEY))
    errors, _result = run(alice, ("cpd-needs-mailings", MAILINGS + MAILING))
    assert errors == ["row 2, column recipients: no person has the address nia@example.test."]
    assert not CpdNeedsSurveyMailing.objects.exists()


def test_checking_a_mailing_looks_its_recipients_up_in_one_query(
    alice: User,
    org_a: Organisation,
    nia: Person,
    django_assert_max_num_queries: Any,
) -> None:
    run(alice, ("cpd-needs-surveys", SURVEYS + SURVEY))
    emails = [f"pe{n}@example.test" for n in range(30)]
    for email in emails:
        PersonFactory.create(organisation=org_a, email=email)
    row = MAILING.replace("nia@example.test", ";".join(emails))
    with django_assert_max_num_queries(25):  # one per recipient would be 30 and more
        errors, _result = import_text(
            ("cpd-needs-mailings", MAILINGS + row), viewer=alice, dry_run=True
        )
    assert errors == []
