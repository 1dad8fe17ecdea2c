"""Each role's home page lists its tasks (core.home) with counts that equal the rows of the
filtered list each task links to, never counting another organisation's records."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import Role, User
from practica.core.home import Card
from practica.core.models import Organisation
from practica.educators.recruitment import services as recruitment
from practica.educators.tests.factories import (
    PanelMemberFactory,
    PeApplicationFactory,
    PepsEnrolmentFactory,
    PracticeEducatorFactory,
    person_with_login,
)
from practica.educators.training.models import Outcome
from practica.imports.models import ImportRun, ImportStatus
from practica.learning.events.models import Attendance
from practica.learning.tests.factories import EventFactory, RegistrationFactory
from practica.organisations.tests.factories import PersonFactory, member

TODAY = datetime.date.today()


def _days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def _work_in(org: Organisation, *, lapsing: int, lapsed: int) -> None:
    """Practice educators lapsing and lapsed, open applications, a PEPS cohort with a
    candidate without an outcome, events to fill and to record, and a failed import."""
    PracticeEducatorFactory.create(person__organisation=org, reviewed_on=TODAY)
    for _ in range(lapsing):
        PracticeEducatorFactory.create(person__organisation=org, last_student_date=_days_ago(700))
    for _ in range(lapsed):
        PracticeEducatorFactory.create(person__organisation=org, last_student_date=_days_ago(1000))
    PeApplicationFactory.create_batch(2, organisation=org)
    waiting = PepsEnrolmentFactory.create(cohort__organisation=org)
    PepsEnrolmentFactory.create(
        cohort=waiting.cohort,
        educator__person__organisation=org,
        outcome=Outcome.PASSED,
        outcome_date=TODAY,
    )
    EventFactory.create(organisation=org, capacity=10)  # places free
    full = EventFactory.create(organisation=org, capacity=1)
    RegistrationFactory.create(event=full)
    held = EventFactory.create(
        organisation=org,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3, hours=-2),
    )
    RegistrationFactory.create(event=held)  # attendance not recorded
    recorded = EventFactory.create(
        organisation=org,
        starts_at=timezone.now() - datetime.timedelta(days=5),
        ends_at=timezone.now() - datetime.timedelta(days=5, hours=-2),
    )
    RegistrationFactory.create(event=recorded, attended=Attendance.YES)
    ImportRun.objects.create(
        kind="teams", file_name="teams.csv", organisation=org, status=ImportStatus.FAILED
    )
    ImportRun.objects.create(
        kind="teams", file_name="teams.csv", organisation=org, status=ImportStatus.APPLIED
    )


@pytest.fixture
def work(org_a: Organisation, org_b: Organisation) -> None:
    _work_in(org_a, lapsing=2, lapsed=1)
    _work_in(org_b, lapsing=1, lapsed=3)


def home_cards(client: Client) -> dict[str, Card]:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {card.title: card for card in response.context["dashboard"].cards}


def rows_behind(client: Client, url: str) -> int:
    """How many rows the list a task links to shows (every page of it)."""
    response = client.get(url)
    assert response.status_code == 200, url
    context: Any = response.context
    for key in ("listing", "waiting", "applications"):
        if key in context:
            value = context[key]
            return int(value.total) if key == "listing" else len(value)
    raise AssertionError(f"no list on {url}")


def assert_counts_equal_rows(client: Client) -> dict[str, int]:
    counts = {}
    for title, card in home_cards(client).items():
        if card.kind == "task" and card.count is not None:
            assert card.count == rows_behind(client, card.url), title
            counts[title] = card.count
    return counts


def test_a_coordinators_tasks_count_their_organisations_rows_as_the_lists_behind_them(
    client: Client, alice: User, work: None
) -> None:
    client.force_login(alice)
    counts = assert_counts_equal_rows(client)
    assert counts["Practice educators lapsing"] == 2
    assert counts["Practice educators who have lapsed"] == 1
    assert counts["Applications waiting for a decision"] == 2
    assert counts["PEPS cohorts with candidates without an outcome"] == 1
    assert counts["Upcoming events with places free"] == 1
    assert counts["Events with attendance to record"] == 1
    assert counts["Imports that failed"] == 1
    # every entry but the one reviewed today (the two candidates' included) was never reviewed
    assert counts["Register entries due for review"] == 5


def test_a_partnership_manager_sees_the_same_tasks_across_the_partnership_and_figures(
    client: Client, manager: User, work: None
) -> None:
    client.force_login(manager)
    counts = assert_counts_equal_rows(client)
    assert counts["Practice educators lapsing"] == 3
    assert counts["Practice educators who have lapsed"] == 4
    assert counts["Applications waiting for a decision"] == 4
    figures = {c.title: c.count for c in home_cards(client).values() if c.kind == "figure"}
    assert figures["Practice educators on the register"] == 13  # 6 + 7
    this_year = [title for title in figures if title.startswith("PEPS passes")]
    assert len(this_year) == 2  # this and last academic year
    page = client.get(reverse("home")).content.decode()
    assert "Headline figures" in page


def test_a_practice_educator_sees_their_currency_review_events_and_cpd(
    client: Client, org_a: Organisation
) -> None:
    person = person_with_login(Role.PRACTICE_EDUCATOR, org_a)
    PracticeEducatorFactory.create(person=person, last_student_date=_days_ago(700))
    mine = EventFactory.create(organisation=org_a)
    RegistrationFactory.create(event=mine, person=person)
    EventFactory.create(organisation=org_a)  # not registered
    assert person.user is not None
    client.force_login(person.user)
    counts = assert_counts_equal_rows(client)
    assert counts["Events you are registered for"] == 1
    cards = home_cards(client)
    assert cards["Your currency"].status == "Lapsing"
    assert cards["Your next review"].status == "Overdue"
    assert cards["Your CPD record"].status == "0 events attended"
    assert "Practice educators lapsing" not in cards


def test_a_panel_member_sees_the_panels_waiting_for_their_scores(
    client: Client, org_a: Organisation, org_b: Organisation
) -> None:
    academic = person_with_login(Role.ACADEMIC, org_b)
    PanelMemberFactory.create(application__organisation=org_a, person=academic)
    PanelMemberFactory.create(application__organisation=org_a)  # someone else's panel
    assert academic.user is not None
    client.force_login(academic.user)
    counts = assert_counts_equal_rows(client)
    assert counts["Selection panels waiting for your scores"] == 1


def test_an_academic_on_no_panel_is_told_what_will_appear(
    client: Client, org_b: Organisation
) -> None:
    client.force_login(member(Role.ACADEMIC, org_b))
    page = client.get(reverse("home")).content.decode()
    assert "No panel is waiting for you" in page


def test_a_line_manager_sees_the_applications_waiting_for_their_support(
    client: Client, alice: User, org_a: Organisation
) -> None:
    line_manager = member(Role.LINE_MANAGER, org_a, email="lin@example.test")
    application = PeApplicationFactory.create(
        organisation=org_a, line_manager_email="Lin@Example.test"
    )
    recruitment.request_line_manager_support(actor=alice, application=application, send=False)
    other = PeApplicationFactory.create(organisation=org_a)  # another line manager's
    recruitment.request_line_manager_support(actor=alice, application=other, send=False)
    client.force_login(line_manager)
    counts = assert_counts_equal_rows(client)
    assert counts == {"Applications waiting for your support": 1}


def test_empty_tasks_say_what_will_appear(client: Client, alice: User) -> None:
    client.force_login(alice)
    page = client.get(reverse("home")).content.decode()
    assert "Nobody is lapsing" in page
    assert "No import has failed" in page
    assert "govuk-tag--grey" in page


def test_a_student_with_nothing_to_do_is_not_shown_an_empty_list_of_tasks(
    client: Client, org_b: Organisation
) -> None:
    PersonFactory.create(organisation=org_b)
    client.force_login(member(Role.STUDENT, org_b))
    page = client.get(reverse("home")).content.decode()
    assert "Practice educators lapsing" not in page
    assert "Imports that failed" not in page
