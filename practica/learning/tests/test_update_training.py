"""Attending an event that counts as update training refreshes a practice educator's currency."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import User
from practica.core.models import Organisation, Partnership
from practica.educators.models import PracticeEducator
from practica.educators.register import services as register_services
from practica.educators.tests.factories import PracticeEducatorFactory
from practica.learning.events import services
from practica.learning.events.models import Attendance, Event, EventKind, Registration
from practica.learning.events.selectors import update_training_kinds
from practica.learning.tests.factories import EventFactory, RegistrationFactory

TYPED_IN = datetime.date(2020, 1, 15)


def _past_event(org: Organisation, *, days_ago: int, kind: str = EventKind.PE_FORUM) -> Event:
    starts = timezone.now() - datetime.timedelta(days=days_ago)
    return EventFactory.create(
        organisation=org, kind=kind, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
    )


def _educator(org: Organisation) -> PracticeEducator:
    return PracticeEducatorFactory.create(person__organisation=org, last_training_date=TYPED_IN)


def _attend(event: Event, educator: PracticeEducator, answer: str = Attendance.YES) -> Registration:
    registration = Registration.objects.unscoped("test").filter(
        event=event, person=educator.person
    ).first() or RegistrationFactory.create(event=event, person=educator.person)
    return services.mark_attendance(actor=None, registration=registration, attended=answer)


def test_attending_a_forum_moves_the_last_update_training_to_its_day_naming_it(
    org_a: Organisation,
) -> None:
    educator = _educator(org_a)
    event = _past_event(org_a, days_ago=3)
    _attend(event, educator)
    educator.refresh_from_db()
    assert educator.last_training_date == timezone.localdate(event.starts_at)
    assert event.title in educator.last_training_source
    assert educator.last_training_source_url == event.get_absolute_url()
    assert educator.history.first().history_change_reason.startswith("Update training")


def test_a_kind_the_partnership_does_not_count_changes_nothing(org_a: Organisation) -> None:
    educator = _educator(org_a)
    _attend(_past_event(org_a, days_ago=3, kind=EventKind.PEPS_TRAINING_DAY), educator)
    educator.refresh_from_db()
    assert (educator.last_training_date, educator.last_training_source) == (TYPED_IN, "")


def test_the_partnership_chooses_which_kinds_count(
    org_a: Organisation, partnership: Partnership
) -> None:
    services.set_update_training_kinds(
        actor=None, partnership=partnership, kinds=[EventKind.PEPS_TRAINING_DAY]
    )
    educator = _educator(org_a)
    _attend(_past_event(org_a, days_ago=5), educator)  # a forum no longer counts
    educator.refresh_from_db()
    assert educator.last_training_date == TYPED_IN
    day = _past_event(org_a, days_ago=3, kind=EventKind.PEPS_TRAINING_DAY)
    _attend(day, educator)
    educator.refresh_from_db()
    assert educator.last_training_date == timezone.localdate(day.starts_at)


def test_an_older_event_never_moves_the_date_back(org_a: Organisation) -> None:
    educator = PracticeEducatorFactory.create(
        person__organisation=org_a, last_training_date=timezone.localdate()
    )
    _attend(_past_event(org_a, days_ago=30), educator)
    educator.refresh_from_db()
    assert (educator.last_training_date, educator.last_training_source) == (
        timezone.localdate(),
        "",
    )


def test_taking_attendance_back_returns_the_date_it_replaced(org_a: Organisation) -> None:
    educator = _educator(org_a)
    event = _past_event(org_a, days_ago=3)
    _attend(event, educator)
    _attend(event, educator, Attendance.NO)
    educator.refresh_from_db()
    assert (educator.last_training_date, educator.last_training_source) == (TYPED_IN, "")


def test_taking_attendance_back_falls_back_to_the_latest_other_event_attended(
    org_a: Organisation,
) -> None:
    educator = _educator(org_a)
    earlier, later = _past_event(org_a, days_ago=20), _past_event(org_a, days_ago=3)
    _attend(earlier, educator)
    _attend(later, educator)
    _attend(later, educator, Attendance.NO)
    educator.refresh_from_db()
    assert educator.last_training_date == timezone.localdate(earlier.starts_at)
    assert educator.last_training_source_url == earlier.get_absolute_url()


def test_typing_a_date_on_the_register_clears_the_event_source(org_a: Organisation) -> None:
    educator = _educator(org_a)
    _attend(_past_event(org_a, days_ago=3), educator)
    educator.refresh_from_db()
    register_services.update_practice_educator(
        actor=None,
        educator=educator,
        peps_stage=educator.peps_stage,
        stage1_date=educator.stage1_date,
        stage2_date=educator.stage2_date,
        independent=educator.independent,
        service_area=educator.service_area,
        location=educator.location,
        last_student_date=educator.last_student_date,
        last_training_date=TYPED_IN,
        team=educator.person.team,
    )
    educator.refresh_from_db()
    assert (educator.last_training_source, educator.last_training_source_url) == ("", "")


def test_the_profile_says_where_the_date_came_from(
    client: Client, alice: User, org_a: Organisation
) -> None:
    educator = _educator(org_a)
    client.force_login(alice)
    url = reverse("educators:detail", args=[educator.pk])
    assert "Entered on the register" in client.get(url).content.decode()
    event = _past_event(org_a, days_ago=3)
    _attend(event, educator)
    page = client.get(url).content.decode()
    assert "From attending" in page
    assert event.get_absolute_url() in page


@pytest.fixture
def lead(partnership: Partnership, org_a: Organisation) -> Organisation:
    partnership.lead_organisation = org_a
    partnership.save()
    return org_a


def test_the_lead_organisations_coordinator_chooses_the_kinds(
    client: Client, alice: User, lead: Organisation, partnership: Partnership
) -> None:
    client.force_login(alice)
    url = reverse("learning:update-training")
    assert client.get(url).status_code == 200
    response = client.post(url, {"kinds": [EventKind.WORKSHOP, EventKind.PT_WORKSHOP]})
    assert response.status_code == 302
    assert update_training_kinds(partnership.pk) == {EventKind.WORKSHOP, EventKind.PT_WORKSHOP}


def test_another_organisations_coordinator_cannot_choose_the_kinds(
    client: Client, charlie: User, lead: Organisation
) -> None:
    client.force_login(charlie)
    assert client.get(reverse("learning:update-training")).status_code == 403
    assert client.post(reverse("learning:update-training"), {"kinds": []}).status_code == 403
