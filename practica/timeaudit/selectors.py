"""Scoped reads of time audits: each starts from ``visible_to(user)``. Weeks are counted from
raw weekly logs, never from stored totals."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from practica.accounts.grants import MANAGE, VIEW
from practica.core.models import AcademicYear
from practica.educators.register.models import PracticeEducator
from practica.timeaudit.models import AuditEnrolment, TimeAudit, TimeLog, monday_of
from practica.timeaudit.rules import LOG

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

WEEK = datetime.timedelta(days=7)


def audits_visible_to(user: Viewer) -> QuerySet[TimeAudit]:
    """The audits ``user`` may see, with how many educators are enrolled and weeks logged."""
    return (
        TimeAudit.objects.visible_to(user)
        .select_related("organisation", "academic_year")
        .annotate(
            educators=Count("enrolments", distinct=True),
            weeks_logged=Count("enrolments__logs", distinct=True),
        )
    )


def runs_audits(user: Viewer) -> bool:
    """Whether ``user`` runs any time audit (coordinators of an organisation without one see
    no card about them)."""
    return TimeAudit.objects.visible_to(user, MANAGE).exists()


def audit_for(user: Viewer, pk: int, ability: str = VIEW) -> TimeAudit:
    audit = (
        TimeAudit.objects.visible_to(user, ability)
        .select_related("organisation", "academic_year")
        .filter(pk=pk)
        .first()
    )
    if audit is None:
        raise Http404("No such time audit")
    return audit


def years_to_choose() -> QuerySet[AcademicYear]:
    return AcademicYear.objects.order_by("-start_year")


def educators_to_enrol(user: Viewer, audit: TimeAudit) -> QuerySet[PracticeEducator]:
    """The practice educators ``user`` sees in the audit's partnership who are not in it yet
    (the people a coordinator may enrol by hand, as the import may)."""
    return (
        PracticeEducator.objects.visible_to(user)
        .filter(person__organisation__partnership_id=audit.organisation.partnership_id)
        .exclude(time_audit_enrolments__audit=audit)
        .select_related("person__organisation")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def _with_weeks(enrolments: QuerySet[AuditEnrolment]) -> QuerySet[AuditEnrolment]:
    return enrolments.select_related(
        "audit__organisation",
        "audit__academic_year",
        "practice_educator__person",
        "placement__organisation",
        "placement__team",
        "placement__student__person",
    ).prefetch_related("logs")  # narrowed by the enrolments they belong to


def enrolment_for(user: Viewer, pk: int, ability: str = VIEW) -> AuditEnrolment:
    enrolment = _with_weeks(AuditEnrolment.objects.visible_to(user, ability)).filter(pk=pk).first()
    if enrolment is None:
        raise Http404("No such enrolment")
    return enrolment


@dataclass(frozen=True)
class Week:
    """One week of an educator's placement: its number (week 1 holds the start date), its
    Monday, its log if it has one, and whether it has ended (and so is due)."""

    number: int
    starts_on: datetime.date
    log: TimeLog | None
    due: bool

    @property
    def ends_on(self) -> datetime.date:
        return self.starts_on + datetime.timedelta(days=6)


def weeks_of(enrolment: AuditEnrolment, today: datetime.date | None = None) -> list[Week]:
    """The weeks of the educator's placement, from the week it starts to the week it ends
    (or to this week while it has no end date), with every logged week outside them too.
    Without a placement start date, week 1 is the first week logged."""
    today = today or timezone.localdate()
    logs = {log.week_start: log for log in enrolment.logs.all()}
    first = enrolment.first_week or (min(logs) if logs else None)
    if first is None:
        return []
    placement = enrolment.placement
    ends_on = placement.ends_on if placement is not None and enrolment.first_week else None
    last = monday_of(ends_on) if ends_on is not None else monday_of(today)
    if enrolment.first_week is None:
        last = max(logs)  # without dates, only the weeks logged are known
    mondays = set(logs)
    day = first
    while day <= last:
        mondays.add(day)
        day += WEEK
    return [
        Week(
            number=(monday - first).days // 7 + 1,
            starts_on=monday,
            log=logs.get(monday),
            due=monday + WEEK <= today,
        )
        for monday in sorted(mondays)
    ]


def missing_weeks(enrolment: AuditEnrolment, today: datetime.date | None = None) -> list[Week]:
    """The weeks that have ended without a log."""
    return [week for week in weeks_of(enrolment, today) if week.due and week.log is None]


def enrolments_of_audit(user: Viewer, audit: TimeAudit) -> list[AuditEnrolment]:
    return list(
        _with_weeks(AuditEnrolment.objects.visible_to(user).filter(audit=audit)).order_by(
            "practice_educator__person__last_name", "practice_educator__person__first_name"
        )
    )


def own_enrolments(user: Viewer) -> list[AuditEnrolment]:
    """The audits ``user`` takes part in as a practice educator, newest year first."""
    pk: int = getattr(user, "pk", None) or 0  # the operator is no one's practice educator
    return list(
        _with_weeks(
            AuditEnrolment.objects.visible_to(user, LOG).filter(
                practice_educator__person__user_id=pk
            )
        ).order_by("-audit__academic_year__start_year", "audit__name")
    )


def enrolments_behind(user: Viewer, today: datetime.date | None = None) -> list[AuditEnrolment]:
    """The enrolments of the audits ``user`` runs with a week that has ended unlogged."""
    enrolments = _with_weeks(AuditEnrolment.objects.visible_to(user, MANAGE)).order_by(
        "audit__name", "practice_educator__person__last_name"
    )
    return [enrolment for enrolment in enrolments if missing_weeks(enrolment, today)]
