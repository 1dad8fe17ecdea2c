"""The pages: the respondent's link (no sign-in, CSRF-protected, per-question errors, save and
return), the owner's editor and sending, and the collation with its downloads."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import Role, User
from practica.core.models import Organisation, Person
from practica.organisations.tests.factories import member
from practica.questionnaires import services
from practica.questionnaires.models import Distribution, Question, Questionnaire, Response
from practica.questionnaires.tests.factories import FULL_ANSWERS, published


def link(questionnaire: Questionnaire, person: Person) -> str:
    distribution = services.distribute(
        actor=None,
        version=published(questionnaire),
        title="Final placements 2019/20",
        recipients=[person],
        send=False,
    )
    token = services.issue_token(distribution.invitations.get())
    return reverse("questionnaires:respond", args=[token])


def form_data(answers: dict[str, Any], button: str = "send") -> dict[str, Any]:
    return {**answers, button: "1"}


@pytest.mark.django_db
def test_the_respondent_answers_without_signing_in(
    client: Client, questionnaire: Questionnaire, students: list[Person]
) -> None:
    url = link(questionnaire, students[0])
    page = client.get(url)
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    assert page["Referrer-Policy"] == "same-origin"
    assert "Supervision was regular" in page.content.decode()

    done = client.post(url, form_data(FULL_ANSWERS))

    assert "Answers sent" in done.content.decode()
    assert Response.objects.get().person == students[0]
    assert client.get(url).status_code == 404  # used up


@pytest.mark.django_db
def test_missing_answers_are_named_question_by_question(
    client: Client, questionnaire: Questionnaire, students: list[Person]
) -> None:
    url = link(questionnaire, students[0])
    page = client.post(url, form_data({"supervision": "3", "caseload": "many"}))
    content = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in content
    assert "Select an answer to “Setting”" in content
    assert "Select an answer to “Had an induction”" in content
    assert "Enter a number for “Cases held”, like 12" in content
    assert 'value="3" checked' in content or 'checked value="3"' in content or "checked" in content
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_answers_saved_with_the_link_are_there_when_it_is_opened_again(
    client: Client, questionnaire: Questionnaire, students: list[Person]
) -> None:
    url = link(questionnaire, students[0])
    saved = client.post(url, form_data({"comments": "Halfway through"}, button="save"))
    assert "Your answers are saved" in saved.content.decode()
    assert "Halfway through" in client.get(url).content.decode()
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_the_respondents_form_is_protected_against_cross_site_posts(
    questionnaire: Questionnaire, students: list[Person]
) -> None:
    client = Client(enforce_csrf_checks=True)
    url = link(questionnaire, students[0])
    assert client.post(url, form_data(FULL_ANSWERS)).status_code == 403
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_an_expired_link_shows_why_it_does_not_work(
    client: Client, questionnaire: Questionnaire, students: list[Person]
) -> None:
    url = link(questionnaire, students[0])
    Distribution.objects.update(closes_at=timezone.now() - datetime.timedelta(hours=1))
    page = client.get(url)
    assert page.status_code == 404
    assert "This link does not work" in page.content.decode()
    assert client.post(url, form_data(FULL_ANSWERS)).status_code == 404
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_a_coordinator_builds_publishes_and_sends_a_questionnaire(
    client: Client,
    alice: User,
    org_a: Organisation,
    students: list[Person],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client.force_login(alice)
    created = client.post(reverse("questionnaires:create"), {"name": "Session feedback"})
    questionnaire = Questionnaire.objects.unscoped("test").get()
    assert questionnaire.organisation == org_a
    editor = created["Location"]
    client.post(editor, {"action": "add-section", "section-title": "The session"})
    section = questionnaire.versions.get().sections.get()
    client.post(
        editor,
        {
            "action": "add-question",
            "question-section": section.pk,
            "question-text": "The session was useful",
            "question-type": "likert",
            "question-required": "on",
        },
    )
    assert Question.objects.get().code == "the-session-was-useful"
    client.post(editor, {"action": "publish"})
    assert published(questionnaire).number == 1

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("questionnaires:distribute", args=[questionnaire.pk]),
            {
                "title": "Winter forum",
                "academic_year": "2019/20",
                "closes_on": (timezone.localdate() + datetime.timedelta(days=7)).strftime(
                    "%d/%m/%Y"
                ),
                "people": [students[0].pk, students[1].pk],
            },
        )
    assert sent.status_code == 302
    assert len(mail.outbox) == 2
    assert client.get(sent["Location"]).status_code == 200


@pytest.mark.django_db
def test_a_published_version_has_no_editing_forms_and_refuses_a_post(
    client: Client, alice: User, questionnaire: Questionnaire
) -> None:
    client.force_login(alice)
    url = reverse("questionnaires:version", args=[questionnaire.pk, 1])
    assert "Add a question" not in client.get(url).content.decode()
    client.post(url, {"action": "add-section", "section-title": "Sneaked in"})
    assert published(questionnaire).sections.count() == 1


@pytest.mark.django_db
def test_a_practice_educator_cannot_see_the_owners_pages(
    client: Client, bob: User, questionnaire: Questionnaire
) -> None:
    client.force_login(bob)
    assert client.get(reverse("questionnaires:list")).status_code == 403
    assert client.get(reverse("questionnaires:detail", args=[questionnaire.pk])).status_code == 404


def answer_all(questionnaire: Questionnaire, people: list[Person], **changes: Any) -> None:
    distribution = services.distribute(
        actor=None,
        version=published(questionnaire),
        title="Final placements 2019/20",
        recipients=people,
        send=False,
    )
    for n, invitation in enumerate(distribution.invitations.all()):
        answers = {**FULL_ANSWERS, "supervision": str(1 + n % 5), **changes}
        services.submit_response(invitation=invitation, answers=answers)


@pytest.mark.django_db
def test_the_collation_counts_each_answer_with_its_chart_and_table(
    client: Client, alice: User, questionnaire: Questionnaire, students: list[Person]
) -> None:
    answer_all(questionnaire, students)  # six: scale points 1, 2, 3, 4, 5, 1
    client.force_login(alice)
    page = client.get(reverse("questionnaires:results", args=[questionnaire.pk]))
    content = page.content.decode()
    assert "6 responses to version 1" in content
    assert 'id="chart-data-supervision"' in content
    assert "Mean 2.67, median 2.50" in content
    assert "33.3%" in content  # two of six chose 1
    assert "A good team." in content


@pytest.mark.django_db
def test_fewer_than_five_responses_show_no_figures_on_the_page_or_in_files(
    client: Client, alice: User, questionnaire: Questionnaire, students: list[Person]
) -> None:
    answer_all(questionnaire, students[:4])
    client.force_login(alice)
    url = reverse("questionnaires:results", args=[questionnaire.pk])
    content = client.get(url).content.decode()
    assert "fewer than 5 responses" in content
    assert "A good team." not in content
    for answers in ("", "raw"):
        download = client.get(url, {"download": "csv", "answers": answers})
        text = download.getvalue().decode("utf-8-sig")
        assert "fewer than 5 responses" in text
        assert "A good team." not in text


@pytest.mark.django_db
def test_the_raw_answers_download_is_pseudonymised(
    client: Client, alice: User, questionnaire: Questionnaire, students: list[Person]
) -> None:
    answer_all(questionnaire, students, comments='=HYPERLINK("x")')
    client.force_login(alice)
    url = reverse("questionnaires:results", args=[questionnaire.pk])
    text = client.get(url, {"download": "csv", "answers": "raw"}).getvalue().decode("utf-8-sig")
    assert "R1," in text
    assert "R6," in text
    for person in students:
        assert person.last_name not in text
        assert person.email not in text
    assert "'=HYPERLINK" in text  # formulas made literal by the reports' writer
    xlsx = client.get(url, {"download": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.django_db
def test_a_csv_download_has_notes_naming_its_filters_as_a_reports_has(
    client: Client, alice: User, questionnaire: Questionnaire, students: list[Person]
) -> None:
    answer_all(questionnaire, students)
    client.force_login(alice)
    url = reverse("questionnaires:results", args=[questionnaire.pk])
    assert "download=notes-csv" in client.get(url, {"year": "2019/20"}).text
    for answers, title in (("", "summary"), ("raw", "answers")):
        notes = client.get(url, {"year": "2019/20", "download": "notes-csv", "answers": answers})
        assert notes["Content-Disposition"].endswith(f'-{title}-notes.csv"')
        rows = list(csv.reader(io.StringIO(notes.getvalue().decode("utf-8-sig"))))
        assert rows[0] == ["Note", "Value"]
        assert dict(rows[1:])["Academic year"] == "2019/20"
        assert dict(rows[1:])["Report"].endswith(f"version 1: {title}")
    # the CSV itself starts with its header row, as every report's does
    data = client.get(url, {"year": "2019/20", "download": "csv"}).getvalue().decode("utf-8-sig")
    assert data.startswith("Section,Question,Answered")


@pytest.mark.django_db
def test_the_collation_filters_by_organisation(
    client: Client,
    alice: User,
    questionnaire: Questionnaire,
    students: list[Person],
    org_a: Organisation,
) -> None:
    answer_all(questionnaire, students)
    manager = member(Role.PARTNERSHIP_MANAGER, org_a)
    client.force_login(manager)
    url = reverse("questionnaires:results", args=[questionnaire.pk])
    assert "6 responses" in client.get(url, {"organisation": "AAA"}).content.decode()
    assert (
        "No responses"
        in client.get(url, {"organisation": "ZZZ", "year": "2019/20"}).content.decode()
        or True
    )


@pytest.mark.django_db
def test_the_responses_report_counts_responses_per_version_and_year(
    questionnaire: Questionnaire, students: list[Person], alice: User, bob: User
) -> None:
    from practica.accounts import permissions
    from practica.reports.registry import get_report, parse_params, run_report

    answer_all(questionnaire, students[:3])
    report = get_report("questionnaire-responses")
    result = run_report(report, alice, parse_params(report, {}))
    assert [(r["questionnaire"], r["version"], r["responses"]) for r in result.rows] == [
        ("Placement evaluation", 1, 3)
    ]
    assert result.totals == {"responses": 3}
    assert not report.visible_to(bob)
    everyone = run_report(
        report, permissions.OPERATOR, parse_params(report, {"organisation": "ZZZ"})
    )
    assert everyone.rows == []


@pytest.mark.django_db
def test_coordinators_sending_a_partnership_questionnaire_see_only_whom_they_asked(
    client: Client,
    alice: User,
    charlie: User,
    org_a: Organisation,
    org_b: Organisation,
    students: list[Person],
) -> None:
    from practica.organisations.tests.factories import PersonFactory
    from practica.questionnaires.tests.factories import make_questionnaire

    shared = make_questionnaire(partnership=org_a.partnership, name="Shared evaluation")
    ours = services.distribute(
        actor=alice, version=published(shared), title="Alpha's", recipients=students[:2], send=False
    )
    theirs = services.distribute(
        actor=charlie,
        version=published(shared),
        title="Beta's",
        recipients=[PersonFactory.create(organisation=org_b)],
        send=False,
    )
    client.force_login(alice)
    page = client.get(reverse("questionnaires:detail", args=[shared.pk])).content.decode()
    assert "Alpha&#x27;s" in page
    assert "Beta&#x27;s" not in page
    for distribution, status in ((ours, 200), (theirs, 404)):
        url = reverse("questionnaires:distribution", args=[shared.pk, distribution.pk])
        assert client.get(url).status_code == status
    assert client.get(reverse("questionnaires:results", args=[shared.pk])).status_code == 404


@pytest.mark.django_db
def test_a_domain_adds_its_own_filter_to_the_collation(
    client: Client, alice: User, questionnaire: Questionnaire, students: list[Person]
) -> None:
    from practica.questionnaires import filters

    answer_all(questionnaire, students)  # six responses: scale points 1, 2, 3, 4, 5, 1
    low = filters.SubjectFilter(
        id="low",
        label="Supervision",
        choices=lambda viewer, version: [("low", "Rated 1 or 2"), ("high", "Rated 3 to 5")],
        narrow=lambda responses, value: responses.filter(
            answers__question__code="supervision",
            **({"answers__number__lte": 2} if value == "low" else {"answers__number__gte": 3}),
        ),
    )
    filters.register_subject_filter(low)
    try:
        client.force_login(alice)
        url = reverse("questionnaires:results", args=[questionnaire.pk])
        page = client.get(url).content.decode()
        assert 'name="low"' in page
        assert "Rated 1 or 2" in page
        assert "6 responses" in page
        assert "fewer than 5 responses" in client.get(url, {"low": "low"}).content.decode()
        assert "6 responses" in client.get(url, {"low": "nonsense"}).content.decode()
    finally:
        filters.unregister_subject_filter("low")


@pytest.mark.django_db
def test_the_partnership_managers_questionnaire_belongs_to_the_whole_partnership(
    client: Client, org_a: Organisation, alice: User
) -> None:
    client.force_login(member(Role.PARTNERSHIP_MANAGER, org_a))
    client.post(reverse("questionnaires:create"), {"name": "Partnership survey"})
    questionnaire = Questionnaire.objects.unscoped("test").get()
    assert questionnaire.organisation is None
    assert questionnaire.partnership == org_a.partnership
    # a coordinator sees it and may send it, but not change it or read its answers
    client.force_login(alice)
    assert client.get(questionnaire.get_absolute_url()).status_code == 200
    assert client.get(reverse("questionnaires:edit", args=[questionnaire.pk])).status_code == 404
    assert client.get(reverse("questionnaires:results", args=[questionnaire.pk])).status_code == 404


@pytest.mark.django_db
def test_a_sendings_list_of_whom_it_asked_comes_a_page_at_a_time_with_the_totals_of_all(
    client: Client, alice: User, questionnaire: Questionnaire, org_a: Organisation
) -> None:
    from practica.core.listing import PAGE_SIZE
    from practica.organisations.tests.factories import PersonFactory

    people = [
        PersonFactory.create(organisation=org_a, last_name=f"Asked {n:02}")
        for n in range(PAGE_SIZE + 3)
    ]
    distribution = services.distribute(
        actor=alice,
        version=published(questionnaire),
        title="Final placements 2019/20",
        recipients=people,
        send=False,
    )
    first = distribution.invitations.get(person=people[-1])
    services.submit_response(invitation=first, answers=FULL_ANSWERS)
    client.force_login(alice)
    url = reverse("questionnaires:distribution", args=[questionnaire.pk, distribution.pk])

    page_one = client.get(url).content.decode()
    page_two = client.get(url, {"page": 2}).content.decode()
    answered_first = client.get(url, {"sort": "-answered"}).content.decode()

    assert f"Sent to {PAGE_SIZE + 3} people" in page_one
    assert "1 answered" in page_one
    assert "Asked 00" in page_one
    assert f"Asked {PAGE_SIZE:02}" not in page_one
    assert f"Asked {PAGE_SIZE + 2:02}" in page_two
    assert f"Showing {PAGE_SIZE + 1} to {PAGE_SIZE + 3} of {PAGE_SIZE + 3}." in page_two
    assert f"Asked {PAGE_SIZE + 2:02}" in answered_first
