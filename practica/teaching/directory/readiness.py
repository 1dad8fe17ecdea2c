"""Whether a practitioner teacher is ready to teach: the steps their partnership's rule
requires (``ReadinessRule``, or the defaults), each worked out from what is recorded — the
expression of interest their line manager agreed to, the practitioner teacher workshops they
attended (``learning`` events of the kind ``pt_workshop``), and shadowing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format

from practica.learning.events.models import Attendance, EventKind, Registration, RegistrationStatus
from practica.teaching.directory.models import (
    ExpressionOfInterest,
    PractitionerTeacher,
    ReadinessRule,
    Shadowing,
)

# the steps of a practitioner teacher's own record, not anyone else's
OWN_RECORD = "the steps of the practitioner teacher whose page or status is being worked out"


@dataclass(frozen=True)
class Step:
    label: str
    required: bool
    done: bool
    detail: str  # what was recorded, in words (or what is still to do)


@dataclass(frozen=True)
class Steps:
    steps: list[Step]
    workshops: list[tuple[str, datetime.date]]  # (title, date) of each workshop attended

    @property
    def ready(self) -> bool:
        return all(step.done for step in self.steps if step.required)

    @property
    def any_done(self) -> bool:
        return any(step.done for step in self.steps)


def _day(moment: datetime.date | datetime.datetime) -> str:
    if isinstance(moment, datetime.datetime):
        moment = timezone.localdate(moment)
    return date_format(moment, "j F Y")


def rule_for(partnership_id: int) -> ReadinessRule:
    """The partnership's rule, or an unsaved one with the defaults."""
    return ReadinessRule.objects.unscoped(
        "a partnership's readiness rule is no secret to its members' pages"
    ).filter(partnership_id=partnership_id).first() or ReadinessRule(partnership_id=partnership_id)


def steps_of(teacher: PractitionerTeacher) -> Steps:
    """The teacher's steps under their partnership's rule, in a fixed number of queries."""
    person = teacher.person
    rule = rule_for(person.organisation.partnership_id)
    interests = list(
        ExpressionOfInterest.objects.unscoped(OWN_RECORD)
        .filter(person=person)
        .order_by("-submitted_at")
    )
    agreed = next((interest for interest in interests if interest.agreed), None)
    if agreed is not None:
        interest_detail = f"Sent on {_day(agreed.submitted_at)}; {agreed.line_manager_name} agreed."
    elif interests:
        interest_detail = (
            f"Sent on {_day(interests[0].submitted_at)}; waiting for the line manager."
        )
        if interests[0].line_manager_agrees is False:
            interest_detail = f"{interests[0].line_manager_name} did not agree."
    else:
        interest_detail = "Not sent yet."
    attended = (
        Registration.objects.unscoped(OWN_RECORD)
        .filter(
            person=person,
            status=RegistrationStatus.REGISTERED,
            attended=Attendance.YES,
            event__kind=EventKind.PT_WORKSHOP,
        )
        .select_related("event")
        .order_by("event__starts_at")
    )
    workshops = [
        (registration.event.title, timezone.localdate(registration.event.starts_at))
        for registration in attended
    ]
    shadowings = list(
        Shadowing.objects.unscoped(OWN_RECORD).filter(practitioner_teacher=teacher).order_by("-on")
    )
    steps = [
        Step(
            "Expression of interest agreed by their line manager",
            rule.interest_required,
            agreed is not None,
            interest_detail,
        ),
        Step(
            "Practitioner teacher workshops",
            rule.workshops_required > 0,
            len(workshops) >= rule.workshops_required,
            f"{len(workshops)} of {rule.workshops_required} attended.",
        ),
        Step(
            "Shadowing an experienced practitioner teacher",
            rule.shadowing_required,
            bool(shadowings),
            f"Shadowed {shadowings[0].session} on {_day(shadowings[0].on)}."
            if shadowings
            else "Not recorded yet.",
        ),
    ]
    return Steps(steps=steps, workshops=workshops)
