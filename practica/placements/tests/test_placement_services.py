"""The placement lifecycle: each step a service that checks the step, records its actor and
e-mails the student, the practice educator and the university."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from pytest_django import DjangoCaptureOnCommitCallbacks

from practica.accounts.models import Role, User
from practica.core.models import Organisation
from practica.educators.tests.factories import PracticeEducatorFactory
from practica.organisations.tests.factories import PersonFactory, member
from practica.placements import services
from practica.placements.models import Placement, PlacementOffer, PlacementStatus, PlacementType
from practica.placements.tests.during_factories import with_checks
from practica.placements.tests.factories import (
    PlacementFactory,
    PlacementOfferFactory,
    StudentFactory,
    year_2019,
)

pytestmark = pytest.mark.django_db
START, END = datetime.date(2020, 1, 6), datetime.date(2020, 6, 5)


@pytest.fixture
def offer(org_a: Organisation) -> PlacementOffer:
    educator = PracticeEducatorFactory.create(
        person__organisation=org_a, person__email="pe@la.example"
    )
    return PlacementOfferFactory.create(
        organisation=org_a, slots=1, practice_educator=educator, starts_on=START, ends_on=END
    )


@pytest.fixture
def requested(org_a: Organisation, org_b: Organisation, charlie: User) -> Placement:
    student = StudentFactory.create(hei=org_b, person__email="student@uni.example")
    with_checks(student)  # confirming needs the student's pre-placement checks
    return services.request_placement(
        actor=charlie,
        student=student,
        academic_year=year_2019(),
        placement_type=PlacementType.FINAL_100,
        organisation=org_a,
    )


def test_a_placement_goes_from_request_to_completion_with_history_and_mail(
    requested: Placement,
    offer: PlacementOffer,
    alice: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.match_placement(actor=alice, placement=requested, offer=offer)
    assert (requested.status, requested.offer, requested.team) == ("matched", offer, offer.team)
    assert (requested.practice_educator, requested.starts_on) == (offer.practice_educator, START)
    assert {message.subject.split(":")[0] for message in mail.outbox} == {"Placement matched"}
    # the PE has no account, so theirs is a message of its own with a single-use link
    assert sorted(sorted(message.to) for message in mail.outbox) == [
        ["charlie@example.test", "student@uni.example"],
        ["pe@la.example"],
    ]
    for step in (
        services.confirm_placement,
        services.start_placement,
        services.complete_placement,
    ):
        step(actor=alice, placement=requested)
    assert requested.status == PlacementStatus.COMPLETED
    statuses = [row.status for row in requested.history.order_by("history_date", "history_id")]
    assert statuses == ["requested", "matched", "confirmed", "in_progress", "completed"]
    assert requested.history.latest().history_user == alice


def test_a_step_out_of_order_is_refused(requested: Placement, alice: User) -> None:
    with pytest.raises(ValidationError, match="requested cannot become in progress"):
        services.start_placement(actor=alice, placement=requested)
    with pytest.raises(ValidationError, match="requested cannot become completed"):
        services.complete_placement(actor=alice, placement=requested)


def test_a_full_offer_takes_no_more_students(
    requested: Placement, offer: PlacementOffer, alice: User, org_a: Organisation
) -> None:
    PlacementFactory.create(
        organisation=org_a, team=offer.team, offer=offer, status=PlacementStatus.MATCHED
    )
    with pytest.raises(ValidationError, match="Every slot"):
        services.match_placement(actor=alice, placement=requested, offer=offer)


def test_unmatching_frees_the_slot(
    requested: Placement, offer: PlacementOffer, alice: User
) -> None:
    services.match_placement(actor=alice, placement=requested, offer=offer)
    assert services.filled_slots(offer) == 1
    services.unmatch_placement(actor=alice, placement=requested)
    assert (requested.status, requested.offer, services.filled_slots(offer)) == (
        "requested",
        None,
        0,
    )


def test_confirming_needs_a_practice_educator_and_an_offsite_ones_supervisor(
    requested: Placement, offer: PlacementOffer, alice: User, org_a: Organisation
) -> None:
    offer.practice_educator = None
    offer.save()
    services.match_placement(actor=alice, placement=requested, offer=offer)
    with pytest.raises(ValidationError) as error:
        services.confirm_placement(actor=alice, placement=requested)
    assert "practice_educator" in error.value.message_dict
    requested.practice_educator = PracticeEducatorFactory.create(independent=True)
    with pytest.raises(ValidationError) as error:
        services.confirm_placement(actor=alice, placement=requested)
    assert "onsite_supervisor" in error.value.message_dict
    requested.onsite_supervisor = PersonFactory.create(organisation=org_a)
    services.confirm_placement(actor=alice, placement=requested)
    assert requested.status == PlacementStatus.CONFIRMED


def test_ending_early_says_why_and_when(
    requested: Placement, offer: PlacementOffer, alice: User
) -> None:
    services.match_placement(actor=alice, placement=requested, offer=offer)
    services.confirm_placement(actor=alice, placement=requested)
    services.start_placement(actor=alice, placement=requested)
    with pytest.raises(ValidationError, match="Say why"):
        services.end_placement_early(actor=alice, placement=requested, reason=" ")
    with pytest.raises(ValidationError, match="Give the day"):
        services.end_placement_early(actor=alice, placement=requested, reason="Ill health")
    services.end_placement_early(
        actor=alice, placement=requested, reason="Ill health", ended_on=datetime.date(2020, 3, 2)
    )
    requested.refresh_from_db()
    assert (requested.status, requested.ended_reason, requested.ends_on) == (
        "ended_early",
        "Ill health",
        datetime.date(2020, 3, 2),
    )
    assert services.filled_slots(offer) == 1  # the slot was used


def test_an_offer_keeps_at_least_the_slots_its_placements_fill(
    requested: Placement, offer: PlacementOffer, alice: User
) -> None:
    offer.slots = 2
    offer.save()
    services.match_placement(actor=alice, placement=requested, offer=offer)
    with pytest.raises(ValidationError, match="1 placements already fill"):
        services.update_offer(actor=alice, offer=offer, placement_type="final_100", slots=0)


def test_a_new_offer_takes_its_days_and_setting_from_its_type_and_team(
    org_a: Organisation, alice: User
) -> None:
    offer = PlacementOfferFactory.create(organisation=org_a)
    assert offer.team is not None
    created = services.create_offer(
        actor=alice,
        organisation=org_a,
        academic_year=year_2019(),
        placement_type=PlacementType.FIRST_70,
        slots=3,
        team=offer.team,
        routes=["ma", "ba", "ma"],
    )
    assert (created.days, created.service_area, created.routes) == (
        70,
        offer.team.service_area,
        ["ba", "ma"],
    )
    with pytest.raises(ValidationError, match="how many days"):
        services.create_offer(
            actor=alice,
            organisation=org_a,
            academic_year=year_2019(),
            placement_type=PlacementType.SHADOWING,
            slots=3,
            setting="Duty desk",
        )


def test_the_universitys_coordinators_hear_of_each_step_but_not_those_who_left(
    requested: Placement, org_b: Organisation
) -> None:
    member(Role.COORDINATOR, org_b, email="second@uni.example", is_active=False)
    member(Role.ACADEMIC, org_b, email="academic@uni.example")
    assert services.placement_recipients(requested) == [
        "student@uni.example",
        "charlie@example.test",
    ]


def test_needs_are_removed_when_consent_is_withdrawn(org_b: Organisation, charlie: User) -> None:
    student = StudentFactory.create(hei=org_b)
    services.record_needs(
        actor=charlie, student=student, needs=" Hearing loop ", consent_on=datetime.date(2019, 9, 1)
    )
    assert (student.needs, student.needs_consent) == ("Hearing loop", True)
    services.record_needs(actor=charlie, student=student, needs="Hearing loop", consent_on=None)
    assert (student.needs, student.needs_consent, student.needs_consent_on) == ("", False, None)
