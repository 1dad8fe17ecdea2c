"""A practice educator's last student comes from the placements they supervise in Practica:
starting one makes them current from its first day, finishing one from its last; the date
entered by hand stays for what came before, and nothing moves it back or into the future."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from practica.accounts.models import User
from practica.core import academic_years
from practica.core.models import Organisation
from practica.core.services import ensure_academic_year
from practica.educators.models import PracticeEducator
from practica.educators.tests.factories import PracticeEducatorFactory
from practica.placements import services
from practica.placements.models import Placement, PlacementStatus
from practica.placements.tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db

HAND_ENTERED = datetime.date(2018, 3, 1)


def supervised(org: Organisation, **fields: object) -> Placement:
    educator = PracticeEducatorFactory.create(
        person__organisation=org, last_student_date=HAND_ENTERED
    )
    return PlacementFactory.create(
        organisation=org, practice_educator=educator, confirmed=True, **fields
    )


def last_student(placement: Placement) -> datetime.date | None:
    assert placement.practice_educator is not None
    return (
        PracticeEducator.objects.unscoped("test")
        .get(pk=placement.practice_educator.pk)
        .last_student_date
    )


def test_starting_a_placement_makes_its_first_day_the_pes_last_student(
    alice: User, org_a: Organisation
) -> None:
    placement = supervised(org_a)
    services.start_placement(actor=alice, placement=placement)
    assert last_student(placement) == datetime.date(2020, 1, 6)
    assert placement.practice_educator is not None
    history: Any = placement.practice_educator.history
    reason = history.latest().history_change_reason
    assert reason == f"Last student: placement {placement.pk} with {org_a.name}"
    assert placement.student.person.last_name not in reason


def test_completing_it_moves_the_date_to_its_last_day(alice: User, org_a: Organisation) -> None:
    placement = supervised(org_a)
    services.start_placement(actor=alice, placement=placement)
    services.complete_placement(actor=alice, placement=placement)
    assert last_student(placement) == datetime.date(2020, 6, 5)


def test_a_later_hand_entered_date_is_kept(alice: User, org_a: Organisation) -> None:
    placement = supervised(org_a)
    assert placement.practice_educator is not None
    PracticeEducator.objects.unscoped("test").filter(pk=placement.practice_educator.pk).update(
        last_student_date=datetime.date(2021, 1, 1)
    )
    services.start_placement(actor=alice, placement=placement)
    assert last_student(placement) == datetime.date(2021, 1, 1)


def test_a_placement_withdrawn_before_it_started_had_no_student(
    alice: User, org_a: Organisation
) -> None:
    placement = supervised(org_a)
    services.end_placement_early(actor=alice, placement=placement, reason="Student withdrew")
    assert last_student(placement) == HAND_ENTERED


def test_a_placement_ended_early_counts_to_the_day_it_ended(
    alice: User, org_a: Organisation
) -> None:
    placement = supervised(org_a)
    services.start_placement(actor=alice, placement=placement)
    ended = datetime.date(2020, 3, 13)
    services.end_placement_early(actor=alice, placement=placement, reason="Illness", ended_on=ended)
    assert last_student(placement) == ended


def test_a_placement_still_to_come_never_dates_the_pe_in_the_future(
    alice: User, org_a: Organisation
) -> None:
    future = datetime.date.today() + datetime.timedelta(days=40)
    placement = supervised(
        org_a,
        academic_year=ensure_academic_year(start_year=academic_years.academic_year_of(future)),
        starts_on=future,
        ends_on=future + datetime.timedelta(days=1),
    )
    services.start_placement(actor=alice, placement=placement)
    assert last_student(placement) == datetime.date.today()


def test_a_recorded_completed_placement_counts(alice: User, org_a: Organisation) -> None:
    placement = supervised(org_a)
    services.record_placement(
        actor=alice,
        student=placement.student,
        organisation=org_a,
        academic_year=placement.academic_year,
        placement_type=placement.placement_type,
        status=PlacementStatus.COMPLETED,
        starts_on=datetime.date(2019, 9, 2),
        ends_on=datetime.date(2019, 12, 13),
        practice_educator=placement.practice_educator,
        placement=placement,
    )
    assert last_student(placement) == datetime.date(2019, 12, 13)
