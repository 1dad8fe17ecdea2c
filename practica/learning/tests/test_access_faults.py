"""Two faults found by probing the demo (issue 10): the partnership manager could change
attendance although their access to attendee lists is read-only, and anyone could register
for an event whatever its audience. Both are rules in learning/rules.py now."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from practica.accounts.models import Role, User
from practica.core.models import Organisation, Person
from practica.learning.events import services
from practica.learning.events.models import Attendance, Audience, Event, Registration
from practica.learning.tests.conftest import started
from practica.learning.tests.factories import EventFactory
from practica.organisations.tests.factories import PersonFactory, member


def test_the_partnership_manager_reads_attendance_but_cannot_change_it(
    client: Client, manager: User, event: Event, people: list[Person]
) -> None:
    registration = services.register_for_event(actor=None, event=event, person=people[0])
    started(event)
    client.force_login(manager)
    page = client.get(reverse("learning:event-attendance", args=[event.pk]))
    assert page.status_code == 200
    assert people[0].full_name in page.content.decode()
    assert "Did not attend" not in page.content.decode()  # no buttons to record it

    url = reverse("learning:registration-attendance", args=[registration.pk])
    assert client.post(url, {"attended": "yes"}).status_code == 404
    registration.refresh_from_db()
    assert registration.attended == Attendance.UNKNOWN


def test_a_co_facilitating_coordinator_records_attendance(
    client: Client, charlie: User, org_b: Organisation, event: Event, people: list[Person]
) -> None:
    event.co_facilitators.add(org_b)
    registration = services.register_for_event(actor=None, event=event, person=people[0])
    started(event)
    client.force_login(charlie)
    url = reverse("learning:registration-attendance", args=[registration.pk])
    assert client.post(url, {"attended": "yes"}).status_code == 302
    registration.refresh_from_db()
    assert registration.attended == Attendance.YES


def test_a_coordinator_cannot_register_for_another_organisations_event_for_practice_educators(
    client: Client, charlie: User, org_a: Organisation, org_b: Organisation
) -> None:
    event = EventFactory.create(organisation=org_a, audience=Audience.PRACTICE_EDUCATORS)
    PersonFactory.create(organisation=org_b, user=charlie)
    client.force_login(charlie)
    detail = client.get(reverse("learning:event-detail", args=[event.pk])).content.decode()
    assert "This event is for practice educators" in detail
    assert reverse("learning:event-register", args=[event.pk]) not in detail

    page = client.post(reverse("learning:event-register", args=[event.pk]), follow=True)
    assert "so you cannot register for it" in page.content.decode()
    assert not Registration.objects.unscoped("test").exists()


def test_the_service_refuses_a_registrant_outside_the_audience(
    org_a: Organisation, charlie: User
) -> None:
    event = EventFactory.create(organisation=org_a, audience=Audience.PRACTICE_EDUCATORS)
    person = PersonFactory.create(organisation=event.organisation, user=charlie)
    with pytest.raises(ValidationError, match="for practice educators"):
        services.register_for_event(actor=charlie, event=event, person=person)


def test_a_practice_educator_of_another_organisation_may_register(
    client: Client, org_a: Organisation, org_b: Organisation
) -> None:
    event = EventFactory.create(organisation=org_a, audience=Audience.PRACTICE_EDUCATORS)
    educator = member(Role.PRACTICE_EDUCATOR, org_b, email="pe@b.example.test")
    PersonFactory.create(organisation=org_b, user=educator)
    client.force_login(educator)
    page = client.post(reverse("learning:event-register", args=[event.pk]), follow=True)
    assert f"You are registered for {event.title}." in page.content.decode()
