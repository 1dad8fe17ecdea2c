"""Where a placement stands: attendance against its days and the programme's practice days,
and whether its direct observations are behind (docs/0029-during-placement.md)."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, Sum

from practica.placements.during.models import AttendanceWeek, SkillsDays
from practica.placements.models import Placement, PlacementStatus, Student

# the totals of a student or a placement the viewer already reads (their own records' sums)
TOTALS = "sums of the attendance of a student or placement the viewer already reads"


def minimum_observations(placement_type: str) -> int:
    """The fewest direct observations a placement of this type needs (0: no minimum)."""
    return int(settings.PRACTICA_MIN_OBSERVATIONS.get(placement_type, 0))


def share_elapsed(placement: Placement, on: datetime.date) -> float:
    """The share of the placement's calendar days that have passed on ``on`` (0 to 1)."""
    if placement.starts_on is None or placement.ends_on is None or on < placement.starts_on:
        return 0.0
    length = (placement.ends_on - placement.starts_on).days + 1
    return min(1.0, ((on - placement.starts_on).days + 1) / length)


def observations_expected(placement: Placement, on: datetime.date) -> int:
    """How many observations should have been recorded by ``on``: the minimum times the share
    of the placement elapsed, rounded down (on a 100-day placement needing 3: one once a third
    has passed, two at two thirds, three at the end)."""
    return math.floor(minimum_observations(placement.placement_type) * share_elapsed(placement, on))


def is_behind(placement: Placement, observations: int, on: datetime.date) -> bool:
    """A placement under way (or finished) is behind when it has fewer observations than the
    share of its days elapsed implies."""
    if placement.status not in (
        PlacementStatus.IN_PROGRESS,
        PlacementStatus.COMPLETED,
        PlacementStatus.CONFIRMED,
    ):
        return False
    return observations < observations_expected(placement, on)


@dataclass(frozen=True)
class Attendance:
    signed_off: Decimal
    logged: Decimal  # signed off or not
    days: int

    @property
    def remaining(self) -> Decimal:
        return max(Decimal(0), Decimal(self.days) - self.signed_off)


def attendance_of(placement: Placement) -> Attendance:
    weeks = AttendanceWeek.objects.unscoped(TOTALS).filter(placement_id=placement.pk)
    totals = weeks.aggregate(
        logged=Sum("days"), signed=Sum("days", filter=Q(signed_off_at__isnull=False))
    )
    return Attendance(
        signed_off=totals["signed"] or Decimal(0),
        logged=totals["logged"] or Decimal(0),
        days=placement.days,
    )


@dataclass(frozen=True)
class PracticeDays:
    placement_days: Decimal  # signed off on all the student's placements
    skills_days: Decimal  # recorded
    skills_counted: Decimal  # up to the limit
    required: int
    skills_max: int

    @property
    def total(self) -> Decimal:
        return self.placement_days + self.skills_counted

    @property
    def remaining(self) -> Decimal:
        return max(Decimal(0), Decimal(self.required) - self.total)


def practice_days_of(student: Student) -> PracticeDays:
    """The student's practice days: days signed off on every placement, plus skills days up to
    ``PRACTICA_SKILLS_DAYS_MAX``, against ``PRACTICA_PRACTICE_DAYS``."""
    placement_days = AttendanceWeek.objects.unscoped(TOTALS).filter(
        placement__student_id=student.pk, signed_off_at__isnull=False
    ).aggregate(total=Sum("days"))["total"] or Decimal(0)
    skills = SkillsDays.objects.unscoped(TOTALS).filter(student_id=student.pk).aggregate(
        total=Sum("days")
    )["total"] or Decimal(0)
    skills_max = settings.PRACTICA_SKILLS_DAYS_MAX
    return PracticeDays(
        placement_days=placement_days,
        skills_days=skills,
        skills_counted=min(skills, Decimal(skills_max)),
        required=settings.PRACTICA_PRACTICE_DAYS,
        skills_max=skills_max,
    )
