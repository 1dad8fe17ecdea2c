"""Bookings taken for someone else, and attendance of people who came without registering."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import User
from practica.core.models import Organisation
from practica.educators.tests.factories import PracticeEducatorFactory
from practica.learning.events import services
from practica.learning.events.models import Attendance, Event, Registration, RegistrationStatus
from practica.learning.tests.factories import EventFactory, RegistrationFactory
from practica.organisations.tests.factories import PersonFactory


def _book(client: Client, event: Event, **data: str) -> str:
    response = client.post(reverse("learning:event-book", args=[event.pk]), data, follow=True)
    return response.content.decode()


def _registration(event: Event, email: str) -> Registration | None:
    return (
        Registration.objects.unscoped("test")
        .filter(event=event, person__email__address=email)
        .first()
    )


def test_a_coordinator_books_a_place_for_someone_who_phoned(
    client: Client, alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    event = EventFactory.create(organisation=org_a)
    PersonFactory.create(organisation=org_b, email="sam.jones@example.test")
    client.force_login(alice)
    page = _book(client, event, email="Sam.Jones@example.test")
    registration = _registration(event, "sam.jones@example.test")
    assert registration is not None
    assert registration.status == RegistrationStatus.REGISTERED
    assert "is registered for" in page


def test_a_full_event_puts_the_booking_on_the_waiting_list(
    client: Client, alice: User, org_a: Organisation
) -> None:
    event = EventFactory.create(organisation=org_a, capacity=1)
    RegistrationFactory.create(event=event)
    PersonFactory.create(organisation=org_a, email="late@example.test")
    client.force_login(alice)
    assert "on the waiting list" in _book(client, event, email="late@example.test")
    registration = _registration(event, "late@example.test")
    assert registration is not None
    assert registration.status == RegistrationStatus.WAITLISTED


def test_an_unknown_address_is_refused_with_a_clear_message(
    client: Client, alice: User, org_a: Organisation
) -> None:
    event = EventFactory.create(organisation=org_a)
    client.force_login(alice)
    page = _book(client, event, email="nobody@example.test")
    assert "Nobody in the partnership has this e-mail address" in page
    assert not Registration.objects.unscoped("test").filter(event=event).exists()


def test_someone_outside_the_audience_is_refused(
    client: Client, alice: User, org_a: Organisation
) -> None:
    event = EventFactory.create(organisation=org_a, audience="practice_educators")
    PersonFactory.create(organisation=org_a, email="not.a.pe@example.test")
    PracticeEducatorFactory.create(person__organisation=org_a, person__email="pe@example.test")
    client.force_login(alice)
    assert "is not among the people this event is for" in _book(
        client, event, email="not.a.pe@example.test"
    )
    assert _registration(event, "not.a.pe@example.test") is None
    _book(client, event, email="pe@example.test")
    assert _registration(event, "pe@example.test") is not None


def test_after_the_start_the_coordinator_records_someone_who_came_unregistered(
    client: Client, alice: User, org_a: Organisation
) -> None:
    starts = timezone.now() - datetime.timedelta(hours=3)
    event = EventFactory.create(
        organisation=org_a, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
    )
    PersonFactory.create(organisation=org_a, email="walk.in@example.test")
    client.force_login(alice)
    _book(client, event, email="walk.in@example.test", attended=Attendance.YES)
    registration = _registration(event, "walk.in@example.test")
    assert registration is not None
    assert (registration.status, registration.attended) == (
        RegistrationStatus.REGISTERED,
        Attendance.YES,
    )


def test_a_coordinator_who_does_not_run_the_event_cannot_book(
    client: Client, charlie: User, org_a: Organisation, org_b: Organisation
) -> None:
    event = EventFactory.create(organisation=org_a)
    PersonFactory.create(organisation=org_b, email="b.person@example.test")
    client.force_login(charlie)
    response = client.post(
        reverse("learning:event-book", args=[event.pk]), {"email": "b.person@example.test"}
    )
    assert response.status_code == 404
    assert _registration(event, "b.person@example.test") is None


def test_recording_who_came_is_refused_to_someone_who_does_not_run_the_event(
    charlie: User, org_a: Organisation
) -> None:
    # the service itself refuses, whatever calls it (the page checks before it gets there)
    started = timezone.now() - datetime.timedelta(hours=1)
    event = EventFactory.create(organisation=org_a, starts_at=started)
    PersonFactory.create(organisation=org_a, email="came@example.test")
    with pytest.raises(ValidationError, match="Only the coordinators who run this event"):
        services.book_or_record(
            actor=charlie, event=event, email="came@example.test", attended=Attendance.YES
        )
    assert _registration(event, "came@example.test") is None
