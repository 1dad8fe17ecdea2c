"""Real concurrent transactions on PostgreSQL (issue 15, "Concurrency"): two people doing the
same thing at the same moment — one wins, the other gets a clear message, and the counts are
what was written. Each call runs in its own thread with its own database connection; a barrier
starts them together.

On SQLite (one writer at a time, whole-database locks) these are skipped with the reason
shown; they run under ``make test-postgres``. They need committed data (``transaction=True``),
and ``serialized_rollback=True`` puts back the rows the migrations seeded (service areas) for
the tests that run after them in the same process.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from practica.accounts.models import Role
from practica.core.models import Organisation, Partnership
from practica.educators.tests.factories import PracticeEducatorFactory
from practica.learning.events import services as events
from practica.learning.events.models import Event, Registration, RegistrationStatus
from practica.learning.tests.factories import EventFactory
from practica.organisations.tests.factories import OrganisationFactory, PersonFactory, member
from practica.placements import services as placements
from practica.placements.models import Placement, PlacementOffer, PlacementStatus, PlacementType
from practica.placements.tests.during_factories import with_checks
from practica.placements.tests.factories import PlacementOfferFactory, StudentFactory, year_2019

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent transactions are tested on PostgreSQL (make test-postgres)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def at_once(*calls: Callable[[], object]) -> list[Any]:
    """Runs each call in its own thread and connection, all starting together; each result is
    what the call returned or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def work(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def refused(results: list[Any]) -> list[str]:
    return [" ".join(r.messages) for r in results if isinstance(r, ValidationError)]


@pytest.fixture
def lead() -> Organisation:
    partnership = Partnership.objects.create(name="Concurrent partnership")
    organisation: Organisation = OrganisationFactory.create(
        partnership=partnership, code="CON", name="Concurrent Council"
    )
    return organisation


def registered(event: Event) -> int:
    return (
        Registration.objects.unscoped("test")
        .filter(event=event, status=RegistrationStatus.REGISTERED)
        .count()
    )


def test_two_coordinators_taking_the_last_place_one_gets_it_the_other_the_waiting_list(
    lead: Organisation,
) -> None:
    event = EventFactory.create(organisation=lead, capacity=2)
    events.register_for_event(
        actor=None, event=event, person=PersonFactory.create(organisation=lead)
    )
    coordinators = [member(Role.COORDINATOR, lead) for _ in range(2)]
    people = [PersonFactory.create(organisation=lead) for _ in range(2)]

    results = at_once(
        *(
            lambda c=c, p=p: events.register_someone(actor=c, event=event, person=p)
            for c, p in zip(coordinators, people, strict=True)
        )
    )

    assert sorted(r.status for r in results) == ["registered", "waitlisted"]
    assert registered(event) == 2


def test_two_cancellations_at_once_promote_the_one_person_waiting_once(
    lead: Organisation,
) -> None:
    event = EventFactory.create(organisation=lead, capacity=2)
    first, second, waiting = (
        events.register_for_event(
            actor=None, event=event, person=PersonFactory.create(organisation=lead)
        )
        for _ in range(3)
    )

    results = at_once(
        lambda: events.cancel_registration(actor=None, registration=first),
        lambda: events.cancel_registration(actor=None, registration=second),
    )

    promoted = [r for result in results for r in result]
    assert [r.pk for r in promoted] == [waiting.pk]
    assert registered(event) == 1


def test_the_same_cancellation_twice_at_once_is_done_once_and_promotes_once(
    lead: Organisation,
) -> None:
    event = EventFactory.create(organisation=lead, capacity=1)
    first, waiting, _last = (
        events.register_for_event(
            actor=None, event=event, person=PersonFactory.create(organisation=lead)
        )
        for _ in range(3)
    )

    results = at_once(
        lambda: events.cancel_registration(actor=None, registration=first),
        lambda: events.cancel_registration(actor=None, registration=first),
    )

    assert refused(results) == ["This registration is already cancelled."]
    assert [r.pk for result in results if isinstance(result, list) for r in result] == [waiting.pk]
    assert registered(event) == 1


def _matched(lead: Organisation, offer: PlacementOffer) -> Placement:
    university = OrganisationFactory.create(
        partnership=lead.partnership, code=f"U{offer.pk}", kind="hei"
    )
    placement = placements.request_placement(
        actor=None,
        # confirming needs the student's pre-placement checks
        student=with_checks(StudentFactory.create(hei=university)),
        academic_year=year_2019(),
        placement_type=PlacementType.FINAL_100,
        organisation=lead,
    )
    return placements.match_placement(actor=None, placement=placement, offer=offer)


def _offer(lead: Organisation, slots: int) -> PlacementOffer:
    offer: PlacementOffer = PlacementOfferFactory.create(
        organisation=lead,
        slots=slots,
        practice_educator=PracticeEducatorFactory.create(person__organisation=lead),
        starts_on=datetime.date(2020, 1, 6),
        ends_on=datetime.date(2020, 6, 5),
    )
    return offer


def test_two_confirmations_of_the_same_placement_confirm_it_once(lead: Organisation) -> None:
    placement = _matched(lead, _offer(lead, slots=1))
    copies = [Placement.objects.unscoped("test").get(pk=placement.pk) for _ in range(2)]

    results = at_once(
        *(lambda p=p: placements.confirm_placement(actor=None, placement=p) for p in copies)
    )

    assert refused(results) == ["A placement that is confirmed cannot become confirmed."]
    assert placement.history.filter(status=PlacementStatus.CONFIRMED).count() == 1


def test_two_coordinators_matching_the_last_slot_one_gets_it(lead: Organisation) -> None:
    offer = _offer(lead, slots=2)
    _matched(lead, offer)
    university = OrganisationFactory.create(partnership=lead.partnership, code="UNI", kind="hei")
    requested = [
        placements.request_placement(
            actor=None,
            student=StudentFactory.create(hei=university),
            academic_year=year_2019(),
            placement_type=PlacementType.FINAL_100,
            organisation=lead,
        )
        for _ in range(2)
    ]

    results = at_once(
        *(
            lambda p=p: placements.match_placement(actor=None, placement=p, offer=offer)
            for p in requested
        )
    )

    assert refused(results) == [f"Every slot of {offer.setting_name} is filled."]
    assert placements.filled_slots(offer) == 2
