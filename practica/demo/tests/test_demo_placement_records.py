"""The demo's records kept during placements: every student has valid pre-placement checks (so a
demo placement can be confirmed), some expiring soon (the reminder card shows), and placements
under way or done have attendance and observations, meetings and reviews, and resolved causes
for concern; some students have skills days."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from practica.demo.data import load_demo
from practica.placements import services
from practica.placements.during.checks import problems_confirming
from practica.placements.during.models import (
    OPEN_CONCERN_STATUSES,
    AttendanceWeek,
    CauseForConcern,
    DirectObservation,
    PlacementReview,
    PreplacementCheck,
    ReviewKind,
    SkillsDays,
)
from practica.placements.models import Placement, PlacementStatus, Student

pytestmark = pytest.mark.django_db


def test_every_demo_student_has_every_required_check_and_some_expire_soon() -> None:
    load_demo()
    students = Student.objects.unscoped("test").count()
    kinds = settings.PRACTICA_REQUIRED_CHECKS
    assert PreplacementCheck.objects.unscoped("test").count() == students * len(kinds)
    soon = timezone.localdate() + datetime.timedelta(days=settings.PRACTICA_CHECK_REMINDER_DAYS)
    expiring = PreplacementCheck.objects.unscoped("test").filter(
        expires_on__gte=timezone.localdate(), expires_on__lte=soon
    )
    assert expiring.exists()
    assert expiring.filter(student__placements__status=PlacementStatus.IN_PROGRESS).exists()


def test_a_matched_demo_placement_is_confirmed_without_asking_for_checks() -> None:
    load_demo()
    placement = Placement.objects.unscoped("test").filter(status=PlacementStatus.MATCHED).first()
    assert placement is not None
    assert problems_confirming(placement) == []
    confirmed = services.confirm_placement(actor=None, placement=placement)
    assert confirmed.status == PlacementStatus.CONFIRMED


def test_demo_placements_under_way_or_done_have_attendance_and_observations() -> None:
    load_demo()
    assert AttendanceWeek.objects.unscoped("test").filter(signed_off_at__isnull=False).exists()
    assert AttendanceWeek.objects.unscoped("test").filter(signed_off_at__isnull=True).exists()
    assert DirectObservation.objects.unscoped("test").exists()


def test_demo_placements_have_reviews_resolved_concerns_and_students_skills_days() -> None:
    load_demo()
    kinds = set(PlacementReview.objects.unscoped("test").values_list("kind", flat=True))
    assert kinds == set(ReviewKind.values)
    concerns = CauseForConcern.objects.unscoped("test")
    assert concerns.exists()
    assert not concerns.filter(status__in=OPEN_CONCERN_STATUSES).exists()  # none open
    skills = SkillsDays.objects.unscoped("test")
    assert skills.exists()
    assert not skills.filter(student__person__email="student@demo.practica.test").exists()
