"""The demo's records kept during placements (docs/0029): every demo student's pre-placement
checks (some expiring within the reminder period, so the coordinators' card shows them), and
for a share of the placements under way or done, weekly attendance signed off and direct
observations. Loaded once, with the placements; dates of the checks are relative to the day
the demo is loaded (a check must be valid today for a demo placement to be confirmed)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from practica.core.models import Organisation
from practica.demo import DEMO
from practica.placements.during.models import (
    AttendanceWeek,
    CauseForConcern,
    CheckKind,
    ConcernStatus,
    DirectObservation,
    PlacementReview,
    PreplacementCheck,
    RaisedBy,
    ReviewKind,
    ReviewOutcome,
    SkillsDays,
)
from practica.placements.models import Placement, PlacementStatus, PlacementType, Student

# every how many'th student's checks expire soon (within the reminder period), and how many
# days from today they do
SOON_EVERY, SOON_DAYS = 9, 18
# every how many'th placement under way or done has attendance and observations recorded
RECORDED_EVERY = 5
DONE = (PlacementStatus.IN_PROGRESS, PlacementStatus.COMPLETED)
# every how many'th of those had a cause for concern, resolved (none is open: the home cards of
# open concerns count those raised in the tour)
CONCERN_EVERY = 4
# every how many'th student attended two skills days at their university (not the student
# login, whose practice days the tour shows from its placement alone)
SKILLS_EVERY = 3
# placements shorter than this many days (shadowing) have no meetings or reviews recorded
LONG_ENOUGH = 28


def load_records(organisations: dict[str, Organisation]) -> None:
    partnership = organisations["MC"].partnership
    students = list(
        Student.objects.unscoped(DEMO)
        .filter(hei__partnership=partnership)
        .select_related("person")
        .order_by("pk")
    )
    _checks(students)
    _skills_days(
        [s for s in students[::SKILLS_EVERY] if s.person.email != "student@demo.practica.test"]
    )
    placements = list(
        Placement.objects.unscoped(DEMO)
        .filter(
            organisation__partnership=partnership,
            status__in=DONE,
            starts_on__isnull=False,
            ends_on__isnull=False,
        )
        .select_related("practice_educator__person", "student__person")
        .order_by("pk")
    )
    demo_student = [p for p in placements if p.student.person.email == "student@demo.practica.test"]
    sampled = [p for p in placements[::RECORDED_EVERY] if p not in demo_student]
    # the student login logs its own weeks in the tour (and its browser tests): none are
    # recorded for it, so every week it has been on placement is still there to log
    _attendance(sampled)
    _observations([*sampled, *demo_student])
    _reviews(sampled)
    _concerns(sampled[::CONCERN_EVERY])


def _checks(students: list[Student]) -> None:
    """A DBS check and occupational health clearance from when the student started, valid for
    three years from today, and this year's placement agreement; every ninth student's DBS
    runs out in a few weeks."""
    today = timezone.localdate()
    started = today - datetime.timedelta(days=400)
    checks = []
    for index, student in enumerate(students):
        soon = index % SOON_EVERY == 0
        checks += [
            PreplacementCheck(
                student=student,
                kind=CheckKind.DBS,
                completed_on=started,
                expires_on=today
                + datetime.timedelta(days=SOON_DAYS + index % 7 if soon else 3 * 365),
                reference=f"0012{student.pk:08d}",
            ),
            PreplacementCheck(
                student=student,
                kind=CheckKind.HEALTH,
                completed_on=started + datetime.timedelta(days=14),
                expires_on=None,
                reference="Occupational health clearance",
            ),
            PreplacementCheck(
                student=student,
                kind=CheckKind.AGREEMENT,
                completed_on=today - datetime.timedelta(days=60),
                expires_on=today + datetime.timedelta(days=300),
                reference="Placement agreement signed",
            ),
        ]
    bulk_create_with_history(checks, PreplacementCheck)


def _mondays(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    monday = first - datetime.timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        weeks.append(monday)
        monday += datetime.timedelta(days=7)
    return weeks


def _attendance(placements: list[Placement]) -> None:
    """Each week of the placement, four or five days (its days spread over its weeks), signed
    off a week later; a placement still under way has its last fortnight not signed off."""
    today = timezone.localdate()
    weeks = []
    for placement in placements:
        assert placement.starts_on
        assert placement.ends_on
        mondays = _mondays(placement.starts_on, min(placement.ends_on, today))
        owed = Decimal(placement.days or 0)
        for index, monday in enumerate(mondays):
            days = min(Decimal(5), owed, Decimal(5 if index % 3 else 4))
            if days <= 0:
                break
            owed -= days
            unsigned = placement.status == PlacementStatus.IN_PROGRESS and index >= len(mondays) - 2
            signed = datetime.datetime.combine(
                monday + datetime.timedelta(days=7), datetime.time(9, 30)
            )
            weeks.append(
                AttendanceWeek(
                    placement=placement,
                    week_starting=monday,
                    days=days,
                    signed_off_at=None if unsigned else timezone.make_aware(signed),
                )
            )
    bulk_create_with_history(weeks, AttendanceWeek)


def _observations(placements: list[Placement]) -> None:
    """The minimum number of direct observations for the placement's type, spread over it
    (one fewer on every third placement under way, so some are behind)."""
    minimum: dict[str, int] = settings.PRACTICA_MIN_OBSERVATIONS
    observations = []
    for index, placement in enumerate(placements):
        assert placement.starts_on
        assert placement.ends_on
        wanted = minimum.get(placement.placement_type, 0)
        if placement.status == PlacementStatus.IN_PROGRESS and index % 3 == 0:
            wanted -= 1
        span = (placement.ends_on - placement.starts_on).days
        educator = placement.practice_educator
        observer = educator.person.full_name if educator else "On-site supervisor"
        for n in range(max(wanted, 0)):
            day = placement.starts_on + datetime.timedelta(days=span * (n + 1) // (wanted + 1))
            observations.append(
                DirectObservation(
                    placement=placement,
                    observed_on=day,
                    observer=observer,
                    summary=(
                        "Home visit with the practice educator: clear explanation of the plan; "
                        "next, record the family's own words."
                        if placement.placement_type == PlacementType.FINAL_100
                        else "Duty call handled well; feedback on checking consent first."
                    ),
                )
            )
    bulk_create_with_history(observations, DirectObservation)


def _reviews(placements: list[Placement]) -> None:
    """The learning agreement meeting in the first week, the midpoint review half way and the
    final review in the last week, each once its day has come."""
    today = timezone.localdate()
    reviews = []
    for placement in placements:
        assert placement.starts_on
        assert placement.ends_on
        span = (placement.ends_on - placement.starts_on).days
        if span < LONG_ENOUGH:
            continue  # shadowing: a few days, without these meetings
        meetings = [
            (ReviewKind.LEARNING_AGREEMENT, 3, ReviewOutcome.AGREED, "Learning needs agreed."),
            (ReviewKind.MIDPOINT, span // 2, ReviewOutcome.ON_TRACK, "Evidence on track."),
            (ReviewKind.FINAL, span - 3, ReviewOutcome.PASS, "Capabilities met at the level."),
        ]
        for kind, after, outcome, notes in meetings:
            held_on = placement.starts_on + datetime.timedelta(days=after)
            if held_on <= today:
                reviews.append(
                    PlacementReview(
                        placement=placement,
                        kind=kind,
                        held_on=held_on,
                        outcome=outcome,
                        notes=notes,
                    )
                )
    bulk_create_with_history(reviews, PlacementReview)


def _concerns(placements: list[Placement]) -> None:
    """A concern raised by the practice educator a month in, met about a week later with an
    action plan, and resolved six weeks in (only where that day has passed)."""
    today = timezone.localdate()
    concerns = []
    for placement in placements:
        assert placement.starts_on
        assert placement.ends_on
        raised = placement.starts_on + datetime.timedelta(days=28)
        closed = raised + datetime.timedelta(days=14)
        if closed > min(today, placement.ends_on):
            continue
        concerns.append(
            CauseForConcern(
                placement=placement,
                raised_on=raised,
                raised_as=RaisedBy.PRACTICE_EDUCATOR,
                concern="Recording falls behind; two case notes were late.",
                meeting_on=raised + datetime.timedelta(days=5),
                meeting_notes="Agreed protected time for recording.",
                action_plan="An hour a day for recording; weekly check in supervision.",
                review_on=closed,
                outcome="Case notes up to date for three weeks.",
                closed_on=closed,
                status=ConcernStatus.RESOLVED,
            )
        )
    bulk_create_with_history(concerns, CauseForConcern)


def _skills_days(students: list[Student]) -> None:
    """Two skills days on communication, half a year before the demo is loaded."""
    held_on = timezone.localdate() - datetime.timedelta(days=180)
    records = [
        SkillsDays(student=student, held_on=held_on, days=Decimal(2), topic="Communication skills")
        for student in students
    ]
    bulk_create_with_history(records, SkillsDays)
