"""Attendance logged weekly by the student or the practice educator, signed off by the
practice educator; totals against the placement's days and the programme's practice days."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from practica.accounts.models import User
from practica.core.models import Organisation
from practica.placements.during import progress, services
from practica.placements.during.models import AttendanceWeek
from practica.placements.models import PlacementStatus
from practica.placements.tests.during_conftest_helpers import People, placement_under_way

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2020, 1, 6)  # the placement's first day (factories)


@pytest.fixture
def people(org_a: Organisation, org_b: Organisation) -> People:
    return placement_under_way(org_a, org_b)


def test_the_student_logs_and_the_educator_signs_off_from_the_pages(
    client: Client, people: People
) -> None:
    placement = people.placement
    client.force_login(people.student)
    response = client.post(
        reverse("placements:attendance-log", args=[placement.pk]),
        {"week_starting_0": "6", "week_starting_1": "1", "week_starting_2": "2020", "days": "4.5"},
    )
    assert response.status_code == 302
    week = AttendanceWeek.objects.unscoped("test").get()
    sign_off = reverse("placements:attendance-sign-off", args=[placement.pk, week.pk])
    assert client.post(sign_off).status_code == 404  # the student cannot sign off
    client.force_login(people.educator)
    client.post(sign_off)
    week.refresh_from_db()
    assert week.signed_off_by == people.educator
    page = client.get(reverse("placements:placement-during", args=[placement.pk]))
    assert "4.5 of 100 days signed off" in page.text


def test_a_signed_off_week_cannot_change(people: People) -> None:
    week = services.log_attendance(
        actor=people.student, placement=people.placement, week_starting=MONDAY, days=Decimal(4)
    )
    services.sign_off_attendance(actor=people.educator, week=week)
    with pytest.raises(ValidationError, match="signed off"):
        services.log_attendance(
            actor=people.student, placement=people.placement, week_starting=MONDAY, days=Decimal(5)
        )


def test_a_week_starts_on_a_monday_within_the_placement(people: People) -> None:
    with pytest.raises(ValidationError, match="Monday"):
        services.log_attendance(
            actor=people.student,
            placement=people.placement,
            week_starting=MONDAY + datetime.timedelta(days=1),
            days=Decimal(3),
        )
    with pytest.raises(ValidationError, match="before the placement started"):
        services.log_attendance(
            actor=people.student,
            placement=people.placement,
            week_starting=MONDAY - datetime.timedelta(days=14),
            days=Decimal(3),
        )


def test_only_signed_off_days_count_and_skills_days_count_up_to_the_limit(
    people: People, charlie: User
) -> None:
    placement = people.placement
    first = services.log_attendance(
        actor=people.student, placement=placement, week_starting=MONDAY, days=Decimal(5)
    )
    services.log_attendance(
        actor=people.student,
        placement=placement,
        week_starting=MONDAY + datetime.timedelta(days=7),
        days=Decimal("3.5"),
    )
    services.sign_off_attendance(actor=people.educator, week=first)
    attendance = progress.attendance_of(placement)
    assert (attendance.signed_off, attendance.logged, attendance.remaining) == (
        Decimal(5),
        Decimal("8.5"),
        Decimal(95),
    )
    for _ in range(2):
        services.record_skills_days(
            actor=charlie,
            student=placement.student,
            held_on=datetime.date(2019, 10, 1),
            days=Decimal(20),
            topic="Communication skills",
        )
    with override_settings(PRACTICA_SKILLS_DAYS_MAX=30, PRACTICA_PRACTICE_DAYS=200):
        days = progress.practice_days_of(placement.student)
    assert (days.skills_days, days.skills_counted, days.total, days.remaining) == (
        Decimal(40),
        Decimal(30),
        Decimal(35),
        Decimal(165),
    )


def test_a_placement_not_yet_confirmed_offers_no_logging(client: Client, people: People) -> None:
    placement = people.placement
    placement.status = PlacementStatus.MATCHED
    placement.save()
    client.force_login(people.student)
    page = client.get(reverse("placements:placement-during", args=[placement.pk]))
    assert page.status_code == 200
    assert "Log a week" not in page.text
    with pytest.raises(ValidationError, match="not confirmed yet"):
        services.log_attendance(
            actor=people.student, placement=placement, week_starting=MONDAY, days=Decimal(3)
        )
