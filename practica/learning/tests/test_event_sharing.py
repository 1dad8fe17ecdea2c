"""Events are partnership-wide; attendee lists are the organisers' (docs/0007)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from practica.accounts.models import Role, User
from practica.core.models import Organisation, Partnership, Person
from practica.learning.abilities import ATTENDEES
from practica.learning.events import services
from practica.learning.events.models import Audience, Event, Registration
from practica.learning.tests.factories import EventFactory
from practica.organisations.tests.factories import OrganisationFactory, PartnershipFactory, member


def test_a_practice_educator_of_another_organisation_sees_and_may_register_for_the_event(
    client: Client, org_b: Organisation, event: Event
) -> None:
    educator = member(Role.PRACTICE_EDUCATOR, org_b)
    client.force_login(educator)
    assert event in Event.objects.visible_to(educator)
    page = client.get(reverse("learning:event-detail", args=[event.pk])).content.decode()
    assert "Winter forum" in page
    assert "Registrations and attendance" not in page
    assert "Change event details" not in page


def test_the_audience_decides_who_sees_an_event(
    org_a: Organisation, org_b: Organisation, bob: User, alice: User
) -> None:
    teachers_only = EventFactory.create(
        organisation=org_b, audience=Audience.PRACTITIONER_TEACHERS, title="PT workshop"
    )
    teacher = member(Role.PRACTITIONER_TEACHER, org_a)
    student = member(Role.STUDENT, org_a)
    assert teachers_only in Event.objects.visible_to(teacher)
    assert teachers_only not in Event.objects.visible_to(bob)  # a practice educator
    assert teachers_only not in Event.objects.visible_to(student)
    assert teachers_only in Event.objects.visible_to(alice)  # coordinators see every event


def test_nobody_outside_the_partnership_sees_the_event(event: Event) -> None:
    far = OrganisationFactory.create(partnership=PartnershipFactory.create(name="Far"))
    for role in Role:
        assert not Event.objects.visible_to(member(role, far)).exists(), role


def test_the_attendee_list_is_hidden_from_a_coordinator_whose_organisation_does_not_facilitate(
    client: Client, charlie: User, event: Event, people: list[Person]
) -> None:
    services.register_for_event(actor=None, event=event, person=people[0])
    client.force_login(charlie)
    assert client.get(reverse("learning:event-attendance", args=[event.pk])).status_code == 404
    assert client.get(reverse("learning:event-edit", args=[event.pk])).status_code == 404
    registration = Registration.objects.unscoped("test").get()
    response = client.post(
        reverse("learning:registration-attendance", args=[registration.pk]), {"attended": "yes"}
    )
    assert response.status_code == 404
    assert not Registration.objects.visible_to(charlie).exists()
    detail = client.get(reverse("learning:event-detail", args=[event.pk])).content.decode()
    assert people[0].full_name not in detail


def test_the_attendee_list_is_hidden_from_practice_educators_of_the_organiser(
    client: Client, bob: User, event: Event
) -> None:
    client.force_login(bob)
    assert client.get(reverse("learning:event-attendance", args=[event.pk])).status_code == 404


def test_co_facilitating_coordinators_see_the_attendee_list_but_do_not_change_the_event(
    client: Client, charlie: User, org_b: Organisation, event: Event, people: list[Person]
) -> None:
    event.co_facilitators.set([org_b])
    services.register_for_event(actor=None, event=event, person=people[0])
    client.force_login(charlie)
    page = client.get(reverse("learning:event-attendance", args=[event.pk]))
    assert page.status_code == 200
    assert people[0].full_name in page.content.decode()
    assert client.get(reverse("learning:event-edit", args=[event.pk])).status_code == 404


def test_the_partnership_manager_sees_every_attendee_list_of_the_partnership(
    client: Client, manager: User, org_b: Organisation
) -> None:
    other_organisers = EventFactory.create(organisation=org_b)
    assert other_organisers in Event.objects.visible_to(manager, ATTENDEES)
    client.force_login(manager)
    url = reverse("learning:event-attendance", args=[other_organisers.pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("learning:event-edit", args=[other_organisers.pk])).status_code == 404


def test_people_see_their_own_registrations_and_no_one_elses(
    bob: User, bob_person: Person, event: Event, people: list[Person]
) -> None:
    mine = services.register_for_event(actor=None, event=event, person=bob_person)
    services.register_for_event(actor=None, event=event, person=people[0])
    assert list(Registration.objects.visible_to(bob)) == [mine]


def test_the_organisers_coordinator_manages_the_event(alice: User, event: Event) -> None:
    assert event in Event.objects.visible_to(alice, "manage")
    assert event in Event.objects.visible_to(alice, ATTENDEES)


def test_a_coordinator_of_two_partnerships_sees_each_partnerships_events(
    partnership: Partnership, event: Event
) -> None:
    far = OrganisationFactory.create(partnership=PartnershipFactory.create(name="Far"))
    far_event = EventFactory.create(organisation=far)
    user = member(Role.PRACTICE_EDUCATOR, event.organisation)
    member_of_far = member(Role.COORDINATOR, far)
    assert set(Event.objects.visible_to(user)) == {event}
    assert set(Event.objects.visible_to(member_of_far)) == {far_event}
