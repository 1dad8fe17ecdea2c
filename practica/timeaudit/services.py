"""Every write to time audits: each validated in full and recorded with its actor; a corrected
week keeps its earlier figures in the log's history (docs/0030-time-audit.md)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from practica.core.audit import delete_audited, save_audited
from practica.core.models import AcademicYear, Organisation
from practica.educators.register.models import PracticeEducator
from practica.placements.models import Placement, PlacementStatus
from practica.timeaudit.models import (
    ACTIVITY_FIELDS,
    AuditEnrolment,
    TimeAudit,
    TimeLog,
)

if TYPE_CHECKING:
    from practica.accounts.models import User

# the reason given for the reads services make for the system (no viewer applies)
LINKING = "a service finds the enrolled practice educator's own placement to link"


@transaction.atomic
def create_audit(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    academic_year: AcademicYear,
    placement_type: str,
) -> TimeAudit:
    """Starts an audit of placements of ``placement_type`` in ``academic_year``, run by
    ``organisation``. Refuses a name the organisation already uses for an audit."""
    audit = TimeAudit(
        organisation=organisation,
        name=name.strip(),
        academic_year=academic_year,
        placement_type=placement_type,
    )
    return save_audited(audit, actor=actor)


def placement_for(audit: TimeAudit, educator: PracticeEducator) -> Placement | None:
    """The educator's placement of the audit's type and year: the first to start among those
    that did not end early, else the first that did; None when they have none."""
    placements = (
        Placement.objects.unscoped(LINKING)
        .filter(
            practice_educator=educator,
            academic_year=audit.academic_year,
            placement_type=audit.placement_type,
        )
        .select_related("student")
    )
    ordered = sorted(
        placements,
        key=lambda p: (
            p.status == PlacementStatus.ENDED_EARLY,
            p.starts_on or datetime.date.max,
            p.student.student_ref,  # then as an export orders them, not by id
            p.pk,
        ),
    )
    return ordered[0] if ordered else None


@transaction.atomic
def enrol_educator(
    *,
    actor: User | None,
    audit: TimeAudit,
    practice_educator: PracticeEducator,
    placement: Placement | None = None,
) -> AuditEnrolment:
    """Enrols a practice educator in the audit, linked to ``placement`` or, without one, to
    their placement of the audit's type and year when there is one. Refuses an educator who is
    already enrolled and a placement they do not supervise or of another type or year."""
    if placement is None:
        placement = placement_for(audit, practice_educator)
    enrolment = AuditEnrolment(
        audit=audit, practice_educator=practice_educator, placement=placement
    )
    return save_audited(enrolment, actor=actor)


def removable(*, weeks_logged: int) -> bool:
    """Whether an enrolment may leave its audit: not once a week is logged (its hours are part
    of the audit's figures). A rule that reads and writes nothing, so not a transaction (the
    audit page asks it once per enrolment)."""
    return weeks_logged == 0


def remove_enrolment(*, actor: User | None, enrolment: AuditEnrolment) -> None:
    """Takes a practice educator out of the audit. Refuses one who has logged a week: their
    hours are part of the audit's figures (correct the weeks instead)."""
    logged = enrolment.logs.count()
    if not removable(weeks_logged=logged):
        name = enrolment.practice_educator.person.full_name
        raise ValidationError(
            f"{name} has logged {logged} week{'s' if logged != 1 else ''}: an enrolment with "
            "logged weeks stays in the audit."
        )
    delete_audited(enrolment, actor=actor)


@transaction.atomic
def link_placement(
    *, actor: User | None, enrolment: AuditEnrolment, placement: Placement | None
) -> AuditEnrolment:
    """Links the enrolment to another placement of the educator (or none)."""
    enrolment.placement = placement
    return save_audited(enrolment, actor=actor)


def _activities(activities: Mapping[str, Decimal | None] | None) -> dict[str, Decimal | None]:
    activities = activities or {}
    unknown = set(activities) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown activities: {', '.join(sorted(unknown))}.")
    return {field: activities.get(activity) for activity, field in ACTIVITY_FIELDS.items()}


@transaction.atomic
def log_week(
    *,
    actor: User | None,
    enrolment: AuditEnrolment,
    week_start: datetime.date,
    daytime_hours: Decimal,
    ooh_hours: Decimal,
    activities: Mapping[str, Decimal | None] | None = None,
) -> TimeLog:
    """Records the practice educator's hours for the week beginning ``week_start`` (a
    Monday), optionally split by activity (``Activity`` → hours; the split adds up to the
    week's hours). Refuses a week already logged (correct it instead), a day that is not a
    Monday, a week before the placement starts or not yet started, negative hours and more
    than 80 hours in the week."""
    log = TimeLog(
        enrolment=enrolment,
        week_start=week_start,
        daytime_hours=daytime_hours,
        ooh_hours=ooh_hours,
        **_activities(activities),
    )
    return save_audited(log, actor=actor)


@transaction.atomic
def correct_week(
    *,
    actor: User | None,
    log: TimeLog,
    daytime_hours: Decimal,
    ooh_hours: Decimal,
    activities: Mapping[str, Decimal | None] | None = None,
) -> TimeLog:
    """Changes a logged week's hours (and split); the log's history keeps the earlier figures
    and who changed them. Refuses what ``log_week`` refuses."""
    log.daytime_hours, log.ooh_hours = daytime_hours, ooh_hours
    for field, hours in _activities(activities).items():
        setattr(log, field, hours)
    return save_audited(log, actor=actor)


def record_week(
    *,
    actor: User | None,
    enrolment: AuditEnrolment,
    week_start: datetime.date,
    daytime_hours: Decimal,
    ooh_hours: Decimal,
    activities: Mapping[str, Decimal | None] | None = None,
) -> TimeLog:
    """``log_week`` for a week not logged yet, ``correct_week`` for one that is (the week's
    page and the import both say the hours the week holds)."""
    existing = enrolment.logs.filter(week_start=week_start).first()
    if existing is None:
        return log_week(
            actor=actor,
            enrolment=enrolment,
            week_start=week_start,
            daytime_hours=daytime_hours,
            ooh_hours=ooh_hours,
            activities=activities,
        )
    return correct_week(
        actor=actor,
        log=existing,
        daytime_hours=daytime_hours,
        ooh_hours=ooh_hours,
        activities=activities,
    )
