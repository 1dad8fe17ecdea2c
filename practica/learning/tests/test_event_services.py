"""Creating events: the co-facilitator rule for joint forums, places, times (services + DB)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from practica.accounts.models import User
from practica.core.models import Organisation
from practica.learning.events import services
from practica.learning.events.models import Event, EventKind
from practica.learning.tests.factories import EventFactory
from practica.organisations.tests.factories import (
    LocationFactory,
    OrganisationFactory,
    PartnershipFactory,
)

START = timezone.make_aware(datetime.datetime(2030, 2, 27, 10, 0))


def details(**overrides: Any) -> services.EventDetails:
    values: dict[str, Any] = {
        "kind": EventKind.JOINT_PE_FORUM,
        "title": "February joint forum",
        "theme": "Unconscious bias",
        "starts_at": START,
        "ends_at": START + datetime.timedelta(hours=3),
        "place": "Medway campus",
        "capacity": 60,
    }
    values.update(overrides)
    return services.EventDetails(**values)


def test_a_joint_forum_organised_by_an_la_with_an_hei_is_accepted(
    alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    event = services.create_event(
        actor=alice, organisation=org_a, details=details(co_facilitators=[org_b])
    )
    assert list(event.co_facilitators.all()) == [org_b]
    assert event.history.first().history_user == alice


def test_a_joint_forum_organised_by_an_hei_with_an_la_is_accepted(
    org_a: Organisation, org_b: Organisation
) -> None:
    event = services.create_event(
        actor=None, organisation=org_b, details=details(co_facilitators=[org_a])
    )
    assert event.organisation == org_b


def test_a_joint_forum_without_a_university_is_refused_and_nothing_is_written(
    org_a: Organisation, partnership: object
) -> None:
    other_la = OrganisationFactory.create(partnership=partnership, kind="local_authority")
    with pytest.raises(ValidationError) as refused:
        services.create_event(
            actor=None, organisation=org_a, details=details(co_facilitators=[other_la])
        )
    assert refused.value.message_dict["co_facilitators"] == [
        "A quarterly joint forum is facilitated by at least one local authority and one "
        "university: add a university as co-facilitator."
    ]
    assert not Event.objects.unscoped("test").exists()


def test_a_joint_forum_without_a_local_authority_is_refused(
    org_b: Organisation,
) -> None:
    with pytest.raises(ValidationError, match="add a local authority as co-facilitator"):
        services.create_event(actor=None, organisation=org_b, details=details())


def test_other_events_need_no_co_facilitator(org_a: Organisation) -> None:
    event = services.create_event(
        actor=None, organisation=org_a, details=details(kind=EventKind.WORKSHOP)
    )
    assert event.co_facilitators.count() == 0


def test_a_co_facilitator_from_another_partnership_is_refused(org_a: Organisation) -> None:
    stranger = OrganisationFactory.create(
        partnership=PartnershipFactory.create(name="Far away"), kind="hei", name="Far University"
    )
    with pytest.raises(ValidationError, match="Far University is not in the partnership"):
        services.create_event(
            actor=None, organisation=org_a, details=details(co_facilitators=[stranger])
        )


def test_the_organiser_cannot_also_be_a_co_facilitator(
    org_a: Organisation, org_b: Organisation
) -> None:
    with pytest.raises(ValidationError, match="organises this event"):
        services.create_event(
            actor=None, organisation=org_a, details=details(co_facilitators=[org_a, org_b])
        )


def test_an_end_before_the_start_is_refused(org_a: Organisation, org_b: Organisation) -> None:
    with pytest.raises(ValidationError) as refused:
        services.create_event(
            actor=None,
            organisation=org_a,
            details=details(co_facilitators=[org_b], ends_at=START - datetime.timedelta(hours=1)),
        )
    assert refused.value.message_dict["ends_at"] == ["The event must end after it starts."]


def test_an_event_needs_a_location_a_place_or_an_online_link(
    org_a: Organisation, org_b: Organisation
) -> None:
    with pytest.raises(ValidationError, match="Give a location, a place or an online link"):
        services.create_event(
            actor=None, organisation=org_a, details=details(co_facilitators=[org_b], place="")
        )
    online = services.create_event(
        actor=None,
        organisation=org_a,
        details=details(
            kind=EventKind.WORKSHOP, place="", online_link="https://meet.example/forum"
        ),
    )
    assert online.where == "Online"


def test_a_location_of_another_partnership_is_refused(org_a: Organisation) -> None:
    far = LocationFactory.create(
        organisation=OrganisationFactory.create(partnership=PartnershipFactory.create(name="Far"))
    )
    with pytest.raises(ValidationError, match="location of an organisation of the partnership"):
        services.create_event(
            actor=None, organisation=org_a, details=details(kind=EventKind.WORKSHOP, location=far)
        )


@pytest.mark.parametrize(
    ("field", "value"),
    [("capacity", 0), ("kind", "party"), ("audience", "nobody")],
)
def test_the_database_refuses_impossible_events(
    org_a: Organisation, field: str, value: object
) -> None:
    event = EventFactory.build(organisation=org_a, **{field: value})
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_the_database_refuses_an_event_that_ends_before_it_starts(org_a: Organisation) -> None:
    event = EventFactory.build(organisation=org_a)
    event.ends_at = event.starts_at - datetime.timedelta(minutes=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()
