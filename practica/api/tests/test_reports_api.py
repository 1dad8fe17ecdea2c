"""/api/v1/reports/: the reports the user may see, and each one's result exactly as
``run_report(...).as_json()`` gives it to ``practica report --format json``."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from practica.accounts.models import Role, User
from practica.api.tests.conftest import ClientFor
from practica.core.models import Organisation
from practica.organisations.tests.factories import PersonFactory, TeamFactory, member
from practica.reports.registry import get_report, parse_params, reports_visible_to, run_report

LIST = reverse("api:report-list")
SUMMARY = reverse("api:report-detail", args=["organisation-summary"])


def test_the_list_names_each_report_the_user_may_see_with_its_columns_and_filters(
    api_as: ClientFor, alice: User
) -> None:
    response = api_as(alice).get(LIST)

    assert response.status_code == 200
    listed = {entry["name"]: entry for entry in response.json()}
    assert set(listed) == {report.name for report in reports_visible_to(alice)}
    summary = listed["organisation-summary"]
    assert summary["url"] == SUMMARY
    assert summary["filters"] == ["organisation", "service_area"]
    assert summary["columns"][0] == {"id": "organisation", "label": "Organisation", "type": "text"}


def test_a_role_that_no_report_is_for_is_refused_the_list(
    api_as: ClientFor, org_a: Organisation
) -> None:
    student = member(Role.STUDENT, org_a)
    assert not reports_visible_to(student)

    assert api_as(student).get(LIST).status_code == 403


def test_a_report_is_exactly_run_report_as_json_for_the_same_user_and_filters(
    api_as: ClientFor, manager: User, org_a: Organisation, org_b: Organisation
) -> None:
    team = TeamFactory.create(organisation=org_b)
    PersonFactory.create_batch(3, organisation=org_b, team=team)
    TeamFactory.create(organisation=org_a)
    query = {"organisation": ["BBB", "aaa"], "service_area": "childrens"}

    response = api_as(manager).get(SUMMARY, query)

    report = get_report("organisation-summary")
    expected = run_report(report, manager, parse_params(report, query)).as_json()
    assert response.status_code == 200
    assert response.json() == expected
    assert expected["filters"] == {"organisation": ["BBB", "AAA"], "service_area": "childrens"}
    assert [row["code"] for row in expected["rows"]] == ["AAA", "BBB"]
    assert expected["totals"] == {"teams": 2, "childrens_teams": 2, "adults_teams": 0, "people": 3}


def test_a_report_shows_only_the_users_scope_whatever_the_filters(
    api_as: ClientFor, alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    TeamFactory.create(organisation=org_b)

    response = api_as(alice).get(SUMMARY, {"organisation": ["AAA", "BBB"]})

    assert [row["code"] for row in response.json()["rows"]] == ["AAA"]


def test_an_unknown_report_is_404(api_as: ClientFor, alice: User) -> None:
    response = api_as(alice).get(reverse("api:report-detail", args=["no-such-report"]))

    assert response.status_code == 404
    assert response.json() == {"detail": "There is no report with this name."}


def test_a_report_that_is_not_for_the_users_roles_is_403(
    api_as: ClientFor, org_a: Organisation
) -> None:
    student = member(Role.STUDENT, org_a)

    response = api_as(student).get(SUMMARY)

    assert response.status_code == 403
    assert response.json() == {"detail": "This report is not available to you."}


def test_a_filter_the_report_does_not_have_is_refused_naming_it(
    api_as: ClientFor, alice: User
) -> None:
    response = api_as(alice).get(SUMMARY, {"year": "2019/20"})

    assert response.status_code == 400
    assert response.json() == {"year": ["The report organisation-summary has no year filter."]}


def test_text_that_no_database_accepts_is_refused_before_the_query(
    api_as: ClientFor, alice: User
) -> None:
    response = api_as(alice).get(SUMMARY, {"organisation": "A\x00", "service_area": "x" * 41})

    assert response.status_code == 400
    assert set(response.json()) == {"organisation.0", "service_area"}


def test_an_anonymous_request_is_401_and_names_the_token_scheme(client: Client) -> None:
    for url in (LIST, SUMMARY):
        response = client.get(url)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
