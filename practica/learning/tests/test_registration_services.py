"""Registering, the waiting list, cancelling and attendance (services)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from pytest_django import DjangoCaptureOnCommitCallbacks

from practica.accounts.models import User
from practica.core.models import Organisation, Person
from practica.learning.events import selectors, services
from practica.learning.events.models import Attendance, Event, Registration, RegistrationStatus
from practica.learning.tests.conftest import started
from practica.organisations.tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
)


def register(event: Event, person: Person) -> Registration:
    return services.register_for_event(actor=None, event=event, person=person)


def test_people_get_places_until_the_event_is_full_then_join_the_waiting_list(
    event: Event, people: list[Person]
) -> None:
    statuses = [register(event, person).status for person in people]
    assert statuses == ["registered", "registered", "waitlisted", "waitlisted"]
    third, fourth = (
        Registration.objects.unscoped("test")
        .filter(person__in=people[2:])
        .order_by("registered_at")
    )
    assert selectors.waiting_list_position(third) == 1
    assert selectors.waiting_list_position(fourth) == 2


def test_an_event_without_a_capacity_never_fills(event: Event, people: list[Person]) -> None:
    Event.objects.unscoped("test").filter(pk=event.pk).update(capacity=None)
    assert {register(event, person).status for person in people} == {"registered"}


def test_registering_twice_is_refused(event: Event, people: list[Person]) -> None:
    register(event, people[0])
    with pytest.raises(ValidationError, match="already registered"):
        register(event, people[0])
    assert Registration.objects.unscoped("test").count() == 1


def test_joining_the_waiting_list_twice_is_refused(event: Event, people: list[Person]) -> None:
    for person in people[:3]:
        register(event, person)
    with pytest.raises(ValidationError, match="already on the waiting list"):
        register(event, people[2])


def test_the_database_refuses_a_second_row_for_the_same_person(
    event: Event, people: list[Person]
) -> None:
    from django.db import IntegrityError, transaction

    register(event, people[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, person=people[0])


def test_a_cancellation_gives_the_place_to_the_first_person_waiting_and_emails_them_after_commit(
    event: Event,
    people: list[Person],
    alice: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    first, _second, waiting_first, waiting_second = (register(event, p) for p in people)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        promoted = services.cancel_registration(
            actor=alice, registration=first, base_url="https://practica.example"
        )
        assert mail.outbox == []  # nothing is sent before the change is committed

    assert promoted == [waiting_first]
    waiting_first.refresh_from_db()
    waiting_second.refresh_from_db()
    assert waiting_first.status == RegistrationStatus.REGISTERED
    assert waiting_second.status == RegistrationStatus.WAITLISTED
    assert selectors.waiting_list_position(waiting_second) == 1
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [people[2].email]
    assert message.subject == "You have a place at Winter forum"
    assert f"https://practica.example/learning/events/{event.pk}/" in message.body
    assert waiting_first.history.first().history_user == alice


def test_leaving_the_waiting_list_promotes_nobody(event: Event, people: list[Person]) -> None:
    registrations = [register(event, p) for p in people]
    assert services.cancel_registration(actor=None, registration=registrations[2]) == []
    registrations[3].refresh_from_db()
    assert registrations[3].status == RegistrationStatus.WAITLISTED
    assert selectors.waiting_list_position(registrations[3]) == 1


def test_someone_who_cancelled_may_register_again_at_the_back_of_the_queue(
    event: Event, people: list[Person]
) -> None:
    registrations = [register(event, p) for p in people[:3]]
    services.cancel_registration(actor=None, registration=registrations[2])
    register(event, people[3])
    again = register(event, people[2])
    assert again.pk == registrations[2].pk
    assert again.status == RegistrationStatus.WAITLISTED
    assert selectors.waiting_list_position(again) == 2


def test_cancelling_twice_is_refused(event: Event, people: list[Person]) -> None:
    registration = register(event, people[0])
    services.cancel_registration(actor=None, registration=registration)
    with pytest.raises(ValidationError, match="already cancelled"):
        services.cancel_registration(actor=None, registration=registration)


def test_registration_is_refused_when_closed(event: Event, people: list[Person]) -> None:
    Event.objects.unscoped("test").filter(pk=event.pk).update(registration_open=False)
    with pytest.raises(ValidationError, match="Registration for this event is closed"):
        register(event, people[0])
    assert not Registration.objects.unscoped("test").exists()


def test_registration_and_cancellation_are_refused_once_the_event_has_started(
    event: Event, people: list[Person]
) -> None:
    registration = register(event, people[0])
    started(event)
    with pytest.raises(ValidationError, match="already started"):
        register(event, people[1])
    with pytest.raises(ValidationError, match="has started"):
        services.cancel_registration(actor=None, registration=registration)


def test_people_of_another_partnership_cannot_register(event: Event) -> None:
    stranger = PersonFactory.create(
        organisation=OrganisationFactory.create(partnership=PartnershipFactory.create(name="Far"))
    )
    with pytest.raises(ValidationError, match="another partnership"):
        register(event, stranger)


def test_more_places_go_to_the_waiting_list_in_order(
    event: Event, people: list[Person], org_a: Organisation
) -> None:
    registrations = [register(event, p) for p in people]
    details = services.EventDetails(
        kind=event.kind,
        title=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        place=event.place,
        capacity=3,
    )
    services.update_event(actor=None, event=event, details=details)
    statuses = [Registration.objects.unscoped("test").get(pk=r.pk).status for r in registrations]
    assert statuses == ["registered", "registered", "registered", "waitlisted"]


def test_capacity_below_the_people_registered_is_refused(
    event: Event, people: list[Person]
) -> None:
    for person in people[:2]:
        register(event, person)
    details = services.EventDetails(
        kind=event.kind,
        title="Renamed",
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        place=event.place,
        capacity=1,
    )
    with pytest.raises(ValidationError) as refused:
        services.update_event(actor=None, event=event, details=details)
    assert "2 people are registered" in refused.value.message_dict["capacity"][0]
    event.refresh_from_db()
    assert (event.title, event.capacity) == ("Winter forum", 2)


def test_the_organiser_records_attendance_once_the_event_has_started(
    event: Event, people: list[Person], alice: User
) -> None:
    registration = register(event, people[0])
    with pytest.raises(ValidationError, match="once the event has started"):
        services.mark_attendance(actor=alice, registration=registration, attended="yes")
    started(event)
    marked = services.mark_attendance(actor=alice, registration=registration, attended="yes")
    assert marked.attended == Attendance.YES
    assert marked.history.first().history_user == alice


def test_attendance_is_refused_for_people_without_a_place(
    event: Event, people: list[Person]
) -> None:
    registrations = [register(event, p) for p in people[:3]]
    started(event)
    with pytest.raises(ValidationError, match="did not hold a place"):
        services.mark_attendance(actor=None, registration=registrations[2], attended="yes")


def test_an_unknown_attendance_answer_is_refused(event: Event, people: list[Person]) -> None:
    registration = register(event, people[0])
    started(event)
    with pytest.raises(ValidationError, match="not an answer"):
        services.mark_attendance(actor=None, registration=registration, attended="maybe")
    registration.refresh_from_db()
    assert registration.attended == Attendance.UNKNOWN


def test_a_sign_in_sheet_records_attendance_after_the_event_even_beyond_capacity(
    event: Event, people: list[Person], alice: User
) -> None:
    started(event)
    for person in people:
        services.record_attendance(actor=alice, event=event, person=person, attended="yes")
    assert (
        Registration.objects.unscoped("test").filter(status="registered", attended="yes").count()
        == 4
    )
    again = services.record_attendance(actor=alice, event=event, person=people[0], attended="no")
    assert again.attended == "no"
    assert Registration.objects.unscoped("test").count() == 4


def test_a_sign_in_sheet_is_refused_before_the_event(event: Event, people: list[Person]) -> None:
    with pytest.raises(ValidationError, match="once the event has started"):
        services.record_attendance(actor=None, event=event, person=people[0], attended="yes")
    assert not Registration.objects.unscoped("test").exists()
