"""The time audit's pages and home-page cards: an educator logs and corrects a week, sees the
weeks they have not logged; the running organisation's coordinators see who is behind; nobody
else reaches an educator's weeks."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practica.accounts.models import Role, User
from practica.organisations.tests.factories import OrganisationFactory, member
from practica.timeaudit.models import AuditEnrolment, TimeLog
from practica.timeaudit.tests.factories import STARTS_ON, AuditEnrolmentFactory, TimeLogFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment() -> AuditEnrolment:
    return AuditEnrolmentFactory.create(audit__name="PE time audit")


@pytest.fixture
def educator(enrolment: AuditEnrolment) -> User:
    """The enrolled practice educator's login."""
    user = member(Role.PRACTICE_EDUCATOR, enrolment.audit.organisation)
    person = enrolment.practice_educator.person
    person.user = user
    person.save()
    return user


def cards(client: Client) -> dict[str, int | None]:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {card.title: card.count for card in response.context["dashboard"].cards}


def week_url(enrolment: AuditEnrolment, day: datetime.date = STARTS_ON) -> str:
    return reverse("timeaudit:log-week", args=[enrolment.pk, day.isoformat()])


def test_an_educator_logs_a_week_from_its_page(
    client: Client, educator: User, enrolment: AuditEnrolment
) -> None:
    client.force_login(educator)
    response = client.post(week_url(enrolment), {"daytime_hours": "7.5", "ooh_hours": "1"})
    assert response.status_code == 302
    log = TimeLog.objects.unscoped("test").get()
    assert (log.daytime_hours, log.ooh_hours, log.is_split) == (Decimal("7.5"), 1, False)
    weeks = client.get(reverse("timeaudit:enrolment-detail", args=[enrolment.pk]))
    assert "Your weeks" in weeks.text
    assert "7.5" in weeks.text


def test_a_correction_from_the_page_changes_the_week_and_keeps_its_history(
    client: Client, educator: User, enrolment: AuditEnrolment
) -> None:
    log = TimeLogFactory.create(enrolment=enrolment)
    client.force_login(educator)
    page = client.get(week_url(enrolment))
    assert "Change the hours of the week" in page.text
    client.post(week_url(enrolment), {"daytime_hours": "9", "ooh_hours": "0"})
    log.refresh_from_db()
    assert log.daytime_hours == 9
    assert log.history.count() == 2


def test_a_bad_week_keeps_the_form_with_the_reason(
    client: Client, educator: User, enrolment: AuditEnrolment
) -> None:
    client.force_login(educator)
    response = client.post(week_url(enrolment), {"daytime_hours": "70", "ooh_hours": "20"})
    assert response.status_code == 200
    assert "make 90: a week holds at most 80 hours" in response.text
    assert not TimeLog.objects.unscoped("test").exists()


def test_a_day_that_is_not_a_monday_leads_to_its_weeks_monday(
    client: Client, educator: User, enrolment: AuditEnrolment
) -> None:
    client.force_login(educator)
    response = client.get(week_url(enrolment, STARTS_ON + datetime.timedelta(days=2)))
    assert response["Location"] == week_url(enrolment)
    assert client.get(reverse("timeaudit:log-week", args=[enrolment.pk, "soon"])).status_code == 404


def test_the_educator_sees_the_weeks_they_have_not_logged(
    client: Client, educator: User, enrolment: AuditEnrolment
) -> None:
    TimeLogFactory.create(enrolment=enrolment)
    client.force_login(educator)
    # the placement runs 6 January to 5 June 2020: 22 weeks, all ended, 1 logged
    assert cards(client)["Weeks to log for PE time audit"] == 21


def test_the_coordinators_running_the_audit_see_who_is_behind(
    client: Client, enrolment: AuditEnrolment
) -> None:
    coordinator = member(Role.COORDINATOR, enrolment.audit.organisation)
    client.force_login(coordinator)
    assert cards(client)["Practice educators behind with their time audit"] == 1
    page = client.get(reverse("timeaudit:audit-detail", args=[enrolment.audit.pk]))
    assert "22 behind" in page.text
    listing = client.get(reverse("timeaudit:audit-list"))
    assert "PE time audit" in listing.text


def test_a_coordinator_enters_a_week_for_the_educator(
    client: Client, enrolment: AuditEnrolment
) -> None:
    client.force_login(member(Role.COORDINATOR, enrolment.audit.organisation))
    client.post(week_url(enrolment), {"daytime_hours": "6", "ooh_hours": "0"})
    assert TimeLog.objects.unscoped("test").count() == 1


def test_another_educator_of_the_organisation_cannot_reach_the_weeks(
    client: Client, enrolment: AuditEnrolment
) -> None:
    client.force_login(member(Role.PRACTICE_EDUCATOR, enrolment.audit.organisation))
    assert client.get(week_url(enrolment)).status_code == 404
    detail = reverse("timeaudit:enrolment-detail", args=[enrolment.pk])
    assert client.get(detail).status_code == 404


def test_the_partnership_manager_reads_but_does_not_log(
    client: Client, enrolment: AuditEnrolment
) -> None:
    manager = member(
        Role.PARTNERSHIP_MANAGER,
        OrganisationFactory.create(partnership=enrolment.audit.organisation.partnership),
    )
    client.force_login(manager)
    detail = reverse("timeaudit:enrolment-detail", args=[enrolment.pk])
    assert client.get(detail).status_code == 200
    assert (
        client.post(week_url(enrolment), {"daytime_hours": "1", "ooh_hours": "0"}).status_code
        == 404
    )


def test_a_coordinator_whose_organisation_runs_no_audit_sees_no_card(client: Client) -> None:
    client.force_login(member(Role.COORDINATOR, OrganisationFactory.create()))
    assert "Practice educators behind with their time audit" not in cards(client)


def _home_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries.captured_queries)


def test_the_home_cards_read_every_enrolment_in_a_fixed_number_of_queries(
    client: Client, educator: User, enrolment: AuditEnrolment
) -> None:
    """A practice educator's own weeks and the coordinators' "behind" count come from one read
    of the enrolments with their logs, however many enrolments there are."""
    coordinator = member(Role.COORDINATOR, enrolment.audit.organisation)
    client.force_login(coordinator)
    coordinator_one = _home_queries(client)
    client.force_login(educator)
    educator_one = _home_queries(client)
    for _ in range(4):  # more audits of the same educator, each with a logged week
        more = AuditEnrolmentFactory.create(
            audit__organisation=enrolment.audit.organisation,
            practice_educator=enrolment.practice_educator,
        )
        TimeLogFactory.create(enrolment=more)
        AuditEnrolmentFactory.create(audit=enrolment.audit)  # and other educators behind

    assert _home_queries(client) == educator_one
    assert len([t for t in cards(client) if t.startswith("Weeks to log for")]) == 5
    client.force_login(coordinator)
    assert _home_queries(client) == coordinator_one
    assert cards(client)["Practice educators behind with their time audit"] == 9
