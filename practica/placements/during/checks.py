"""Whether a student's pre-placement checks let a placement be confirmed (docs/0029).

A check counts when it is recorded for the student and still valid on the later of today and
the placement's first day. Which kinds are required is a setting
(``PRACTICA_REQUIRED_CHECKS``: DBS, health and agreement by default)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format

from practica.placements.during.models import CheckKind, PreplacementCheck
from practica.placements.models import Placement, Student

# the checks a service looks up for the student it was handed (the caller is allowed to act
# on the student's placement; the checks' own scope would answer the same)
CHECKS_OF_STUDENT = "the checks of the student whose placement a service confirms"


def required_kinds() -> list[str]:
    return [kind for kind in settings.PRACTICA_REQUIRED_CHECKS if kind in CheckKind.values]


@dataclass(frozen=True)
class CheckState:
    kind: str
    check: PreplacementCheck | None
    # the day the check must still be valid on
    needed_on: datetime.date

    @property
    def label(self) -> str:
        return CheckKind(self.kind).label

    @property
    def missing(self) -> bool:
        return self.check is None

    @property
    def expired(self) -> bool:
        return (
            self.check is not None
            and self.check.expires_on is not None
            and self.check.expires_on < self.needed_on
        )

    @property
    def ok(self) -> bool:
        return not self.missing and not self.expired

    @property
    def problem(self) -> str:
        """What stops the placement, in a sentence ("" when the check is fine)."""
        if self.check is None:
            return f"{self.label} is not recorded."
        expires_on = self.check.expires_on
        if self.expired and expires_on is not None:
            if expires_on < timezone.localdate():
                return f"{self.label} expired on {date_format(expires_on, 'j F Y')}."
            return (
                f"{self.label} expires on {date_format(expires_on, 'j F Y')}, before the "
                f"placement starts on {date_format(self.needed_on, 'j F Y')}."
            )
        return ""


def check_states(student: Student, starts_on: datetime.date | None = None) -> list[CheckState]:
    """Each required check of the student, and whether it is valid on the later of today and
    ``starts_on``."""
    today = timezone.localdate()
    needed_on = max(today, starts_on) if starts_on else today
    checks = {
        check.kind: check
        for check in PreplacementCheck.objects.unscoped(CHECKS_OF_STUDENT).filter(
            student_id=student.pk
        )
    }
    return [CheckState(kind, checks.get(kind), needed_on) for kind in required_kinds()]


def problems_confirming(placement: Placement) -> list[str]:
    """Why the student's checks stop the placement being confirmed ([] when they do not)."""
    states = check_states(placement.student, placement.starts_on)
    problems = [state.problem for state in states if not state.ok]
    if problems:
        problems.append(
            "The student's university records the checks (on the student's page) before the "
            "placement can be confirmed."
        )
    return problems
