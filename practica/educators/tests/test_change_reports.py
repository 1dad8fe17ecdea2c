"""A practice educator reports a change to their entry; a coordinator accepts or declines it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from practica.accounts.models import Role, User
from practica.core.models import Organisation
from practica.educators.models import PracticeEducator
from practica.educators.register import services
from practica.educators.register.models import ActivityKind, ChangeReport, ChangeStatus
from practica.educators.tests.factories import ActivityFactory, PracticeEducatorFactory
from practica.organisations.tests.factories import LocationFactory, TeamFactory, member

ON = datetime.date(2020, 9, 1)


@pytest.fixture
def educator(org_a: Organisation) -> PracticeEducator:
    educator = PracticeEducatorFactory.create(person__organisation=org_a)
    ActivityFactory.create(
        educator=educator, kind=ActivityKind.STUDENT_PE, started_on=datetime.date(2019, 1, 1)
    )
    return educator


@pytest.fixture
def pe_user(educator: PracticeEducator, org_a: Organisation) -> User:
    user = member(Role.PRACTICE_EDUCATOR, org_a, email="own.entry@example.test")
    educator.person.user = user
    educator.person.save()
    return user


def _report(educator: PracticeEducator, **change: object) -> ChangeReport:
    return services.report_change(actor=None, educator=educator, changed_on=ON, **change)  # type: ignore[arg-type]  # keyword values of several types


def test_accepting_a_change_moves_team_location_and_activities_from_its_date(
    alice: User, educator: PracticeEducator, org_a: Organisation
) -> None:
    team, location = (
        TeamFactory.create(organisation=org_a),
        LocationFactory.create(organisation=org_a),
    )
    report = _report(
        educator,
        team=team,
        location=location,
        activities_started=[ActivityKind.ASYE_ASSESSOR],
        activities_stopped=[ActivityKind.STUDENT_PE],
    )
    services.decide_change(actor=alice, report=report, accept=True)
    educator.refresh_from_db()
    assert (educator.person.team, educator.location) == (team, location)
    activities = {a.kind: a for a in educator.activities.all()}
    assert activities[ActivityKind.STUDENT_PE].ended_on == ON
    assert activities[ActivityKind.ASYE_ASSESSOR].started_on == ON
    report.refresh_from_db()
    assert (report.status, report.decided_by) == (ChangeStatus.ACCEPTED, alice)


def test_declining_needs_a_reason_and_changes_nothing(
    alice: User, educator: PracticeEducator, org_a: Organisation
) -> None:
    report = _report(educator, team=TeamFactory.create(organisation=org_a))
    with pytest.raises(ValidationError, match="Say why"):
        services.decide_change(actor=alice, report=report, accept=False)
    services.decide_change(actor=alice, report=report, accept=False, reason="Not yet moved")
    educator.refresh_from_db()
    assert educator.person.team != report.team
    report.refresh_from_db()
    assert report.status == ChangeStatus.DECLINED


def test_a_change_is_decided_once(alice: User, educator: PracticeEducator) -> None:
    report = _report(educator, activities_started=[ActivityKind.PEPS_ASSESSOR])
    services.decide_change(actor=alice, report=report, accept=True)
    with pytest.raises(ValidationError, match="accepted already"):
        services.decide_change(actor=alice, report=report, accept=True)
    assert educator.activities.filter(kind=ActivityKind.PEPS_ASSESSOR).count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({}, "Tell us what has changed"),
        ({"activities_started": [ActivityKind.STUDENT_PE]}, "already recorded as doing"),
        ({"activities_stopped": [ActivityKind.ASYE_ASSESSOR]}, "not recorded as doing"),
    ],
)
def test_a_report_that_changes_nothing_or_contradicts_the_register_is_refused(
    educator: PracticeEducator, change: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        _report(educator, **change)
    assert not ChangeReport.objects.unscoped("test").exists()


def test_a_team_of_another_organisation_is_refused(
    educator: PracticeEducator, org_b: Organisation
) -> None:
    with pytest.raises(ValidationError, match="a team of your organisation"):
        _report(educator, team=TeamFactory.create(organisation=org_b))


def test_the_practice_educator_reports_a_change_from_their_profile(
    client: Client, pe_user: User, educator: PracticeEducator
) -> None:
    client.force_login(pe_user)
    profile = client.get(reverse("educators:detail", args=[educator.pk])).content.decode()
    assert reverse("educators:report-change") in profile
    response = client.post(
        reverse("educators:report-change"),
        {
            "changed_on_0": "1",
            "changed_on_1": "9",
            "changed_on_2": "2020",
            "activities_started": [ActivityKind.ASYE_ASSESSOR],
        },
    )
    assert response.status_code == 302
    report = ChangeReport.objects.unscoped("test").get(educator=educator)
    assert report.activities_started == [ActivityKind.ASYE_ASSESSOR]
    assert report.status == ChangeStatus.WAITING


def test_the_coordinator_accepts_on_the_change_page(
    client: Client, alice: User, educator: PracticeEducator
) -> None:
    report = _report(educator, activities_started=[ActivityKind.ASYE_ASSESSOR])
    client.force_login(alice)
    listed = client.get(reverse("educators:change-list")).content.decode()
    assert reverse("educators:change-report", args=[report.pk]) in listed
    url = reverse("educators:change-report", args=[report.pk])
    assert client.post(url, {"decision": "accept"}).status_code == 302
    assert educator.activities.filter(kind=ActivityKind.ASYE_ASSESSOR).exists()


def test_the_practice_educator_sees_but_cannot_decide_their_own_change(
    client: Client, pe_user: User, educator: PracticeEducator
) -> None:
    report = _report(educator, activities_started=[ActivityKind.ASYE_ASSESSOR])
    client.force_login(pe_user)
    url = reverse("educators:change-report", args=[report.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Save decision" not in page.content.decode()
    assert client.post(url, {"decision": "accept"}).status_code == 403
    report.refresh_from_db()
    assert report.status == ChangeStatus.WAITING


def test_a_coordinator_of_another_organisation_gets_404(
    client: Client, charlie: User, educator: PracticeEducator
) -> None:
    report = _report(educator, activities_started=[ActivityKind.ASYE_ASSESSOR])
    client.force_login(charlie)
    url = reverse("educators:change-report", args=[report.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "accept"}).status_code == 404


def test_the_coordinators_home_page_counts_the_changes_waiting(
    client: Client, alice: User, educator: PracticeEducator
) -> None:
    _report(educator, activities_started=[ActivityKind.ASYE_ASSESSOR])
    client.force_login(alice)
    page = client.get(reverse("home")).content.decode()
    assert "Changes reported by practice educators" in page
    assert reverse("educators:change-list") in page
