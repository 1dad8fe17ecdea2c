"""A person's CPD record: the selector, the page, and the {% cpd_record %} tag."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import Role, User
from practica.core.models import Organisation, Person
from practica.learning.events import selectors, services
from practica.learning.events.models import Event
from practica.learning.tests.conftest import started
from practica.learning.tests.factories import EventFactory
from practica.organisations.tests.factories import member


@pytest.fixture
def attended(org_a: Organisation, bob_person: Person) -> Event:
    """A three-and-a-half-hour forum Bob attended."""
    event = EventFactory.create(
        organisation=org_a, title="November joint forum", theme="Reflective supervision"
    )
    event.ends_at = event.starts_at + datetime.timedelta(hours=3, minutes=30)
    event.save()
    registration = services.register_for_event(actor=None, event=event, person=bob_person)
    started(event)
    services.mark_attendance(actor=None, registration=registration, attended="yes")
    return event


def test_the_record_lists_events_attended_with_hours_and_upcoming_places(
    bob: User, bob_person: Person, attended: Event, org_a: Organisation
) -> None:
    missed = EventFactory.create(organisation=org_a, title="Missed forum")
    services.register_for_event(actor=None, event=missed, person=bob_person)
    record = selectors.cpd_record_for(bob, bob_person)
    assert [entry.title for entry in record.attended] == ["November joint forum"]
    assert record.attended[0].hours == Decimal("3.5")
    assert record.hours == Decimal("3.5")
    assert [r.event.title for r in record.upcoming] == ["Missed forum"]


def test_events_marked_not_attended_are_not_in_the_record(
    bob: User, bob_person: Person, event: Event
) -> None:
    registration = services.register_for_event(actor=None, event=event, person=bob_person)
    started(event)
    services.mark_attendance(actor=None, registration=registration, attended="no")
    assert selectors.cpd_record_for(bob, bob_person).attended == []


def test_the_person_s_coordinator_and_the_manager_may_read_it_but_others_may_not(
    alice: User, manager: User, charlie: User, bob_person: Person, org_a: Organisation
) -> None:
    assert selectors.cpd_record_for(alice, bob_person).person == bob_person
    assert selectors.cpd_record_for(manager, bob_person).person == bob_person
    with pytest.raises(PermissionDenied):
        selectors.cpd_record_for(charlie, bob_person)
    with pytest.raises(PermissionDenied):
        selectors.cpd_record_for(member(Role.PRACTICE_EDUCATOR, org_a), bob_person)


def test_my_cpd_record_page_shows_the_signed_in_person_s_record(
    client: Client, bob: User, attended: Event
) -> None:
    client.force_login(bob)
    page = client.get(reverse("learning:my-cpd-record")).content.decode()
    assert "1 event attended, 3.5 hours" in page
    assert "November joint forum" in page


def test_my_cpd_record_explains_when_the_sign_in_has_no_person(client: Client, alice: User) -> None:
    client.force_login(alice)
    page = client.get(reverse("learning:my-cpd-record")).content.decode()
    assert "not linked to a person record" in page


def render_tag(viewer: User, person: Person, extra: str = "") -> str:
    request = RequestFactory().get("/")
    request.user = viewer
    template = Template("{% load learning_tags %}{% cpd_record person" + extra + " %}")
    return template.render(Context({"request": request, "person": person}))


def test_the_tag_renders_the_record_for_a_permitted_viewer(
    alice: User, bob_person: Person, attended: Event
) -> None:
    html = render_tag(alice, bob_person)
    assert '<h2 class="govuk-heading-m" id="cpd-record-heading">CPD record</h2>' in html
    assert "November joint forum" in html
    assert '<h3 class="govuk-heading-m"' in render_tag(alice, bob_person, " heading_level=3")


def test_the_tag_renders_nothing_for_a_viewer_who_may_not_see_the_person(
    charlie: User, bob_person: Person, attended: Event
) -> None:
    assert render_tag(charlie, bob_person).strip() == ""


def test_peps_training_appears_when_the_educators_app_records_it(
    bob: User, bob_person: Person, org_a: Organisation
) -> None:
    from django.apps import apps

    try:
        apps.get_model("educators", "PepsEnrolment")
    except LookupError:
        pytest.skip("the educators app does not record PEPS enrolments in this tree")
    from practica.core.services import ensure_academic_year
    from practica.educators.models import PepsCohort, PepsEnrolment, PracticeEducator

    educator = PracticeEducator.objects.create(person=bob_person)
    cohort = PepsCohort.objects.create(
        organisation=org_a, academic_year=ensure_academic_year(start_year=2019), stage=1
    )
    PepsEnrolment.objects.create(
        cohort=cohort, educator=educator, outcome="passed", outcome_date=datetime.date(2020, 6, 30)
    )
    record = selectors.cpd_record_for(bob, bob_person)
    assert [(e.title, e.status, e.date) for e in record.training] == [
        ("PEPS Stage 1 training, 2019/20", "Passed", datetime.date(2020, 6, 30))
    ]
    assert timezone.now()  # the record is read at request time, never stored
