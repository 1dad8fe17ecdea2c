"""The collation of placement evaluations: the placements' filters (registered with the engine),
the student–educator comparison for the same placements, downloads that carry the filters, and
who sees what (a providing organisation its placements, a university its students', the
partnership manager all, a respondent only their own answers)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from practica.accounts.models import Role, User
from practica.core.models import Organisation, Partnership
from practica.organisations.tests.factories import OrganisationFactory, TeamFactory, member
from practica.placements import evaluation
from practica.placements.models import Placement, Route
from practica.placements.tests.evaluation_helpers import People, answer, completed_placement, people
from practica.questionnaires import filters as subject_filters
from practica.questionnaires import selectors, services
from practica.questionnaires.models import Questionnaire, Response
from practica.questionnaires.standard import install_standard_questionnaires
from practica.questionnaires.tests.factories import FULL_ANSWERS, make_questionnaire, published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_numbers(settings: object) -> None:
    settings.PRACTICA_QUESTIONNAIRE_MIN_RESPONDENTS = 2  # type: ignore[attr-defined]


@pytest.fixture
def other_la(partnership: Partnership) -> Organisation:
    return OrganisationFactory.create(partnership=partnership, code="DDD", name="Delta Council")


@pytest.fixture
def staff(org_a: Organisation, other_la: Organisation, org_b: Organisation) -> People:
    return people(org_a, other_la, org_b)


@pytest.fixture
def evaluated(
    partnership: Partnership, org_a: Organisation, other_la: Organisation, org_b: Organisation
) -> dict[str, list[Placement]]:
    """Alpha Council: three BA placements in one team, scored 5 by students and 3 by
    educators, and an MA placement only its student answered; Delta Council: two placements
    scored 2 by everyone."""
    install_standard_questionnaires(actor=None, partnership=partnership)
    team = TeamFactory.create(organisation=org_a, name="Children North")
    alpha = [completed_placement(org_a, org_b, team=team) for _ in range(3)]
    alpha_ma = completed_placement(org_a, org_b, route=Route.MA)
    delta = [completed_placement(other_la, org_b) for _ in range(2)]
    everyone = [*alpha, alpha_ma, *delta]
    evaluation.send_evaluations(actor=None, placements=everyone, send=False)
    for placement in everyone:
        for invitation in evaluation.asked_about(placement):
            is_student = invitation.person_id == placement.student.person_id
            if placement in alpha:
                answer(invitation, "5" if is_student else "3", "yes" if is_student else "no")
            elif placement == alpha_ma:
                if is_student:
                    answer(invitation, "1")
            else:
                answer(invitation, "2")
    return {"alpha": alpha, "alpha_ma": [alpha_ma], "delta": delta}


def page(client: Client, user: User, **params: str) -> str:
    client.force_login(user)
    response = client.get(reverse("placements:evaluations"), params)
    assert response.status_code == 200
    return response.content.decode()


def readable_respondents(user: User) -> int:
    versions = evaluation.versions_for(user.memberships.get().organisation.partnership_id)
    filters = evaluation.response_filters(evaluation.readable_placements(user))
    return selectors.collate(versions[evaluation.STUDENT], filters).respondents


def test_each_viewer_collates_only_the_evaluations_of_placements_they_follow(
    evaluated: dict[str, list[Placement]], staff: People
) -> None:
    assert readable_respondents(staff.la_coordinator) == 4  # Alpha's four students
    assert readable_respondents(staff.other_la_coordinator) == 2
    assert readable_respondents(staff.hei_coordinator) == 6  # all are its students
    assert readable_respondents(staff.hei_academic) == 6
    assert readable_respondents(staff.manager) == 6


def test_the_comparison_counts_only_placements_where_both_answered(
    evaluated: dict[str, list[Placement]], staff: People
) -> None:
    versions = evaluation.versions_for(evaluated["alpha"][0].organisation.partnership)
    comparison = evaluation.compare(evaluation.readable_placements(staff.la_coordinator), versions)
    assert comparison.placements == 3  # the MA placement's educator did not answer
    by_code = {q.code: q for q in comparison.questions}
    overall = by_code["overall-rating"]
    assert (overall.student, overall.educator) == (Decimal(5), Decimal(3))
    assert (overall.student_count, overall.educator_count) == (3, 3)
    meeting = by_code["preparation-meeting"]
    assert (meeting.kind, meeting.student, meeting.educator) == ("yes", Decimal(100), Decimal(0))


def test_each_side_of_the_comparison_is_the_collation_of_the_same_placements(
    evaluated: dict[str, list[Placement]], staff: People
) -> None:
    """The comparison sets two collations side by side: a figure never differs from the
    collation page's for the same placements (the manager's view, where some placements have
    several educators' answers and one only its student's)."""
    versions = evaluation.versions_for(evaluated["alpha"][0].organisation.partnership)
    readable = evaluation.readable_placements(staff.manager)
    comparison = evaluation.compare(readable, versions)
    both = readable.exclude(pk=evaluated["alpha_ma"][0].pk)
    for who, side in ((evaluation.STUDENT, "student"), (evaluation.EDUCATOR, "educator")):
        collation = selectors.collate(versions[who], evaluation.response_filters(both))
        summaries = {summary.question.code: summary for summary in collation.questions}
        for question in comparison.questions:
            summary = summaries[question.code]
            expected = summary.mean
            if question.kind == "yes":
                expected = next(o.percent for o in summary.options if o.value == "yes")
            assert getattr(question, side) == expected
            assert getattr(question, f"{side}_count") == summary.answered
    assert {q.code for q in comparison.questions} >= {"overall-rating", "preparation-meeting"}


def test_the_comparison_shows_no_figures_under_the_small_number_rule(
    evaluated: dict[str, list[Placement]], staff: People, settings: object
) -> None:
    settings.PRACTICA_QUESTIONNAIRE_MIN_RESPONDENTS = 4  # type: ignore[attr-defined]
    versions = evaluation.versions_for(evaluated["alpha"][0].organisation.partnership)
    comparison = evaluation.compare(evaluation.readable_placements(staff.la_coordinator), versions)
    assert comparison.suppressed
    assert comparison.questions == []


def test_the_page_compares_students_and_educators_and_says_which_placements_count(
    client: Client, evaluated: dict[str, list[Placement]], staff: People
) -> None:
    html = page(client, staff.la_coordinator)
    assert "Students and educators compared" in html
    assert "Only the 3 placements where the student and at least one educator" in html
    assert 'data-questionnaire-chart="chart-data-comparison"' in html


def test_the_filters_narrow_by_team_route_service_area_and_provider(
    evaluated: dict[str, list[Placement]], staff: People
) -> None:
    alpha = evaluated["alpha"][0]
    assert alpha.team is not None
    chosen = {
        "team": (str(alpha.team_id), 3),
        "route": (Route.MA, 1),
        "provider": ("DDD", 2),
        "service-area": (alpha.team.service_area.code, None),
    }
    for filter_id, (value, expected) in chosen.items():
        placements = evaluation.Chosen(values=((filter_id, value),)).apply(
            evaluation.readable_placements(staff.manager)
        )
        if expected is not None:
            assert placements.count() == expected, filter_id
        else:
            assert alpha in placements
    by_year = evaluation.Chosen(year=2018).apply(evaluation.readable_placements(staff.manager))
    assert not by_year.exists()


def test_the_engines_collation_page_offers_the_placements_filters(
    client: Client, evaluated: dict[str, list[Placement]], staff: People
) -> None:
    questionnaire = Questionnaire.objects.unscoped("test").get(slug="placement-evaluation-student")
    offered = {f.id for f in subject_filters.filters_for(questionnaire)}
    assert {"provider", "team", "service-area", "route"} <= offered
    client.force_login(staff.manager)
    url = reverse("questionnaires:results", args=[questionnaire.pk])
    html = client.get(url, {"route": Route.MA}).content.decode()
    assert "Student&#x27;s route" in html or "Student's route" in html
    assert "1 response to version" not in html  # one MA student: under the small-number rule
    assert "fewer than 2 responses" in html
    html = client.get(url, {"provider": "DDD"}).content.decode()
    assert "2 responses to version 1" in html


def test_the_raw_answers_download_holds_only_the_filtered_placements_and_says_so(
    client: Client, evaluated: dict[str, list[Placement]], staff: People
) -> None:
    client.force_login(staff.manager)
    url = reverse("placements:evaluations")
    response = client.get(url, {"provider": "DDD", "download": "csv", "answers": "raw"})
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert {row["Respondent (pseudonym)"] for row in rows} == {"R1", "R2"}
    assert not any(staff.la_coordinator.email in value for row in rows for value in row.values())
    response = client.get(url, {"provider": "DDD", "download": "xlsx", "answers": "raw"})
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    cells = [
        str(cell)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell
    ]
    assert "Delta Council" in cells


def test_the_csv_downloads_notes_name_the_placement_filters_as_the_workbook_does(
    client: Client, evaluated: dict[str, list[Placement]], staff: People
) -> None:
    client.force_login(staff.manager)
    url = reverse("placements:evaluations")
    assert "download=notes-csv" in client.get(url, {"provider": "DDD"}).text
    response = client.get(url, {"provider": "DDD", "download": "notes-csv"})
    notes = dict(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert notes["Providing organisation"] == "Delta Council"
    assert response["Content-Disposition"].endswith('student-summary-notes.csv"')
    workbook = load_workbook(
        io.BytesIO(client.get(url, {"provider": "DDD", "download": "xlsx"}).getvalue())
    )
    sheet_notes = {row[0]: row[1] for row in workbook["Notes"].iter_rows(values_only=True)}
    assert sheet_notes["Providing organisation"] == notes["Providing organisation"]


def test_a_respondent_sees_only_their_own_answers(
    client: Client, evaluated: dict[str, list[Placement]], org_b: Organisation
) -> None:
    placement = evaluated["alpha"][0]
    student = member(Role.STUDENT, org_b)
    person = placement.student.person
    person.user = student
    person.save()
    client.force_login(student)
    response = client.get(reverse("placements:evaluation", args=[placement.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your answers" in html
    # their own answers (the student version's wording), not the educator's
    assert "I was sent enough information about the placement before it started" in html
    assert "information about the student before" not in html
    assert not evaluation.readable_placements(student).exists()
    assert client.get(reverse("placements:evaluations")).status_code == 403


def test_a_coordinator_sees_who_answered_but_never_what(
    client: Client, evaluated: dict[str, list[Placement]], staff: People
) -> None:
    placement = evaluated["alpha"][0]
    client.force_login(staff.la_coordinator)
    html = client.get(reverse("placements:evaluation", args=[placement.pk])).content.decode()
    assert placement.student.person.full_name in html
    assert "Your answers" not in html
    assert "I was sent enough information about the placement before it started" not in html


def test_the_page_lists_who_has_answered_for_a_year(
    client: Client, evaluated: dict[str, list[Placement]], staff: People
) -> None:
    html = page(client, staff.la_coordinator, year="2019/20")
    ma = evaluated["alpha_ma"][0]
    assert ma.student.person.full_name in html
    assert "Waiting" in html  # the MA placement's educator
    assert evaluated["delta"][0].student.person.full_name not in html


def test_an_anonymous_questionnaire_about_a_placement_keeps_no_trace_of_it_or_its_people(
    evaluated: dict[str, list[Placement]], org_a: Organisation, staff: People
) -> None:
    placement = evaluated["alpha"][0]
    anonymous = make_questionnaire(org_a, name="Anonymous placement survey", anonymous=True)
    distribution = services.distribute(
        actor=None,
        version=published(anonymous),
        title="Anonymous",
        recipients=[services.Recipient(placement.student.person, placement)],
        send=False,
    )
    invitation = distribution.invitations.get()
    services.submit_response(invitation=invitation, answers=FULL_ANSWERS)
    response = Response.objects.get(version__questionnaire=anonymous)
    assert (response.person, response.subject_id, response.invitation) == (None, None, None)
    readable = evaluation.readable_placements(staff.manager)
    assert not evaluation.about(Response.objects.filter(pk=response.pk), readable).exists()
