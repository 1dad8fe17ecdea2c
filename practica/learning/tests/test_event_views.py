"""Event pages: the list, the form, registering and cancelling, and recording attendance."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import User
from practica.core.models import Organisation, Person
from practica.learning.events import services
from practica.learning.events.models import Event, Registration, RegistrationStatus
from practica.learning.tests.conftest import started
from practica.learning.tests.factories import EventFactory

GOOD_FORM = {
    "kind": "joint_pe_forum",
    "title": "February joint forum",
    "theme": "Unconscious bias",
    "description": "Sessions by academics from both universities.",
    "date_0": "27",
    "date_1": "2",
    "date_2": "2030",
    "start_time": "10:00",
    "end_time": "13:30",
    "place": "Medway campus",
    "capacity": "60",
    "audience": "practice_educators",
    "registration_open": "on",
}


def test_a_coordinator_adds_a_joint_forum(
    client: Client, alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    client.force_login(alice)
    response = client.post(
        reverse("learning:event-create"), {**GOOD_FORM, "co_facilitators": [org_b.pk]}
    )
    event = Event.objects.unscoped("test").get()
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:event-detail", args=[event.pk])
    assert event.organisation == org_a
    assert timezone.localtime(event.starts_at) == timezone.make_aware(
        datetime.datetime(2030, 2, 27, 10, 0)
    )
    assert list(event.co_facilitators.all()) == [org_b]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date_0": "31", "date_1": "2"}, "The date must be a real date"),
        ({"date_0": "", "date_1": "", "date_2": ""}, "Enter the date"),
        ({"date_2": ""}, "The date must include a day, month and year"),
        ({"end_time": "09:00"}, "The end time must be after the start time"),
        ({"start_time": "ten"}, "Enter a valid time."),
        ({"capacity": "0"}, "Capacity must be at least 1 place"),
        ({"online_link": "not a link", "place": ""}, "Enter the online link as a web address"),
        ({"place": ""}, "Give a location, a place or an online link for the event."),
        ({}, "add a university as co-facilitator"),
    ],
)
def test_bad_answers_show_clear_errors_and_write_nothing(
    client: Client, alice: User, changes: dict[str, str], message: str
) -> None:
    client.force_login(alice)
    response = client.post(reverse("learning:event-create"), {**GOOD_FORM, **changes})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert message in page
    assert "<title>Error: " in page
    assert not Event.objects.unscoped("test").exists()


def test_the_form_shows_an_event_s_answers_for_changing(
    client: Client, alice: User, event: Event
) -> None:
    client.force_login(alice)
    page = client.get(reverse("learning:event-edit", args=[event.pk])).content.decode()
    local = timezone.localtime(event.starts_at)
    assert f'name="date_2" type="text" inputmode="numeric" value="{local.year}"' in page
    assert 'value="Winter forum"' in page


def test_a_practice_educator_registers_and_sees_their_place(
    client: Client, bob: User, bob_person: Person, event: Event
) -> None:
    client.force_login(bob)
    url = reverse("learning:event-register", args=[event.pk])
    response = client.post(url, follow=True)
    page = response.content.decode()
    assert "You are registered for Winter forum." in page
    assert "Cancel my place" in page
    assert Registration.objects.unscoped("test").get().person == bob_person


def test_when_the_event_is_full_the_page_gives_the_waiting_list_position(
    client: Client, bob: User, bob_person: Person, event: Event, people: list[Person]
) -> None:
    for person in people[:3]:
        services.register_for_event(actor=None, event=event, person=person)
    client.force_login(bob)
    detail = reverse("learning:event-detail", args=[event.pk])
    assert "Join the waiting list" in client.get(detail).content.decode()
    page = client.post(reverse("learning:event-register", args=[event.pk]), follow=True)
    text = page.content.decode()
    assert "Winter forum is full: you are number 2 on the waiting list." in text
    assert "You are number 2 on the waiting list" in text


def test_registering_twice_shows_the_refusal(
    client: Client, bob: User, bob_person: Person, event: Event
) -> None:
    client.force_login(bob)
    url = reverse("learning:event-register", args=[event.pk])
    client.post(url)
    page = client.post(url, follow=True).content.decode()
    assert "Bob Educator is already registered for this event." in page
    assert Registration.objects.unscoped("test").count() == 1


def test_register_and_cancel_answer_only_post(client: Client, bob: User, event: Event) -> None:
    client.force_login(bob)
    assert client.get(reverse("learning:event-register", args=[event.pk])).status_code == 405
    assert client.get(reverse("learning:event-cancel", args=[event.pk])).status_code == 405


def test_cancelling_frees_the_place(
    client: Client, bob: User, bob_person: Person, event: Event
) -> None:
    services.register_for_event(actor=None, event=event, person=bob_person)
    client.force_login(bob)
    page = client.post(reverse("learning:event-cancel", args=[event.pk]), follow=True)
    assert "Your registration for Winter forum is cancelled." in page.content.decode()
    assert Registration.objects.unscoped("test").get().status == RegistrationStatus.CANCELLED


def test_the_organiser_marks_attendance_inline_with_htmx(
    client: Client, alice: User, event: Event, people: list[Person]
) -> None:
    registration = services.register_for_event(actor=None, event=event, person=people[0])
    started(event)
    client.force_login(alice)
    page = client.get(reverse("learning:event-attendance", args=[event.pk])).content.decode()
    assert f'id="attendance-{registration.pk}" aria-live="polite"' in page
    assert f'hx-target="#attendance-{registration.pk}"' in page

    url = reverse("learning:registration-attendance", args=[registration.pk])
    response = client.post(url, {"attended": "yes"}, headers={"HX-Request": "true"})
    fragment = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in fragment
    assert "Attended" in fragment
    assert "Ada Tester: attended" in fragment
    registration.refresh_from_db()
    assert registration.attended == "yes"


def test_without_javascript_marking_attendance_returns_to_the_list(
    client: Client, alice: User, event: Event, people: list[Person]
) -> None:
    registration = services.register_for_event(actor=None, event=event, person=people[0])
    started(event)
    client.force_login(alice)
    url = reverse("learning:registration-attendance", args=[registration.pk])
    response = client.post(url, {"attended": "no"})
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:event-attendance", args=[event.pk])
    registration.refresh_from_db()
    assert registration.attended == "no"


def test_a_refused_attendance_says_why_in_the_live_region(
    client: Client, alice: User, event: Event, people: list[Person]
) -> None:
    registration = services.register_for_event(actor=None, event=event, person=people[0])
    client.force_login(alice)
    url = reverse("learning:registration-attendance", args=[registration.pk])
    response = client.post(url, {"attended": "yes"}, headers={"HX-Request": "true"})
    assert "Not saved: Attendance can be recorded once the event has started." in (
        response.content.decode()
    )
    registration.refresh_from_db()
    assert registration.attended == "unknown"


def test_the_list_filters_by_type_theme_organisation_and_search(
    client: Client, bob: User, org_a: Organisation, org_b: Organisation
) -> None:
    EventFactory.create(organisation=org_a, title="Reflective supervision forum")
    workshop = EventFactory.create(
        organisation=org_b, kind="pt_workshop", title="Teaching session workshop", theme="Teaching"
    )
    EventFactory.create(
        organisation=org_a,
        title="Last year's forum",
        starts_at=timezone.now() - datetime.timedelta(days=300),
        ends_at=timezone.now() - datetime.timedelta(days=300, hours=-3),
    )
    client.force_login(bob)
    url = reverse("learning:event-list")

    def titles(**query: str) -> list[str]:
        listing = client.get(url, query).context["listing"]
        return [event.title for event in listing.page]

    assert titles() == ["Reflective supervision forum", "Teaching session workshop"]
    assert titles(kind="pt_workshop") == [workshop.title]
    assert titles(theme="teaching") == [workshop.title]
    assert titles(organisation="BBB") == [workshop.title]
    assert titles(search="reflective") == ["Reflective supervision forum"]
    assert titles(when="past") == ["Last year's forum"]
    assert titles(when="all", sort="title")[0] == "Last year's forum"


def test_the_list_reads_the_same_number_of_queries_however_many_events(
    client: Client,
    bob: User,
    org_a: Organisation,
    people: list[Person],
) -> None:
    client.force_login(bob)
    url = reverse("learning:event-list")
    EventFactory.create(organisation=org_a)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        event = EventFactory.create(organisation=org_a, capacity=None)
        for person in people:
            services.register_for_event(actor=None, event=event, person=person)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_attendance_page_reads_a_fixed_number_of_queries(
    client: Client, alice: User, event: Event, people: list[Person]
) -> None:
    client.force_login(alice)
    url = reverse("learning:event-attendance", args=[event.pk])
    services.register_for_event(actor=None, event=event, person=people[0])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for person in people[1:]:
        services.register_for_event(actor=None, event=event, person=person)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
