"""The hours practitioners give the universities (registered from the app's ready()). Each
report counts ``SessionContributor`` rows the viewer may see — a practitioner teacher on a
session, with the employer and service area they came from then — times the session's hours
per practitioner; cancelled sessions and lived-experience contributors are not counted.
``--org`` names a university or a local authority; ``--year`` the session's academic year."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, QuerySet, Sum

from practica.core.academic_years import format_academic_year
from practica.reports.registry import Column, Report, ReportParams, register_report
from practica.teaching.sessions.models import (
    INTERVIEW_KINDS,
    SessionContributor,
    SessionKind,
    SessionStatus,
)

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

NOT_RECORDED = "Not recorded"


def counted(viewer: Viewer, params: ReportParams) -> QuerySet[SessionContributor]:
    """The practitioners' places on sessions that are scheduled or delivered, as the viewer
    sees them, filtered by the university or employer codes and the academic year."""
    rows = SessionContributor.objects.visible_to(viewer).filter(
        practitioner_teacher__isnull=False,
        session__status__in=(SessionStatus.SCHEDULED, SessionStatus.DELIVERED),
    )
    if params.organisations:
        rows = rows.filter(
            Q(session__hei__code__in=params.organisations)
            | Q(organisation__code__in=params.organisations)
        )
    if params.year is not None:
        rows = rows.filter(session__academic_year__start_year=params.year)
    return rows


def _hours(condition: Q) -> Sum:
    return Sum("session__hours", filter=condition, default=Decimal(0))


def _sessions(condition: Q) -> Count:
    return Count("session", filter=condition, distinct=True)


SCHEDULED = Q(session__status=SessionStatus.SCHEDULED)
DELIVERED = Q(session__status=SessionStatus.DELIVERED)
TEACHING = Q(session__kind=SessionKind.TEACHING)
HALF = Q(session__kind=SessionKind.INTERVIEW_HALF)
FULL = Q(session__kind=SessionKind.INTERVIEW_FULL)
INTERVIEWS = Q(session__kind__in=INTERVIEW_KINDS)


@register_report
class TeachingActivity(Report):
    name = "teaching-activity"
    title = "Practitioner teaching activity"
    description = (
        "Per university and academic year, by the local authority and service area the "
        "practitioners came from: teaching sessions and practitioner hours, scheduled and "
        "delivered shown apart (cancelled sessions are not counted). A session taught by "
        "practitioners of two local authorities or service areas counts once in each."
    )
    columns = [
        Column("hei", "University"),
        Column("year", "Academic year"),
        Column("organisation", "Local authority"),
        Column("service_area", "Service area"),
        Column("scheduled_sessions", "Sessions scheduled", "integer", total="sum"),
        Column("scheduled_hours", "Hours scheduled", "number", total="sum"),
        Column("delivered_sessions", "Sessions delivered", "integer", total="sum"),
        Column("delivered_hours", "Hours delivered", "number", total="sum"),
        Column("hours", "Practitioner hours", "number", total="sum"),
    ]

    def rows(self, viewer: Viewer, params: ReportParams) -> list[dict[str, Any]]:
        grouped = (
            counted(viewer, params)
            .filter(TEACHING)
            .values(
                hei_name=F("session__hei__name"),
                start_year=F("session__academic_year__start_year"),
                organisation_name=F("organisation__name"),
                area=F("service_area__name"),
            )
            .annotate(
                scheduled_sessions=_sessions(SCHEDULED),
                scheduled_hours=_hours(SCHEDULED),
                delivered_sessions=_sessions(DELIVERED),
                delivered_hours=_hours(DELIVERED),
            )
            .order_by("hei_name", "start_year", "organisation_name", "area")
        )
        return [
            {
                "hei": group["hei_name"],
                "year": format_academic_year(group["start_year"]),
                "organisation": group["organisation_name"] or NOT_RECORDED,
                "service_area": group["area"] or NOT_RECORDED,
                "scheduled_sessions": group["scheduled_sessions"],
                "scheduled_hours": group["scheduled_hours"],
                "delivered_sessions": group["delivered_sessions"],
                "delivered_hours": group["delivered_hours"],
                "hours": group["scheduled_hours"] + group["delivered_hours"],
            }
            for group in grouped
        ]


@register_report
class AdmissionsActivity(Report):
    name = "admissions-activity"
    title = "Practitioners on admissions interviews"
    description = (
        "Per university and academic year: the half-day and full-day admissions interview "
        "sessions practitioners sat on (scheduled or delivered) and their hours."
    )
    columns = [
        Column("hei", "University"),
        Column("year", "Academic year"),
        Column("half_days", "Half-day sessions", "integer", total="sum"),
        Column("half_day_hours", "Half-day hours", "number", total="sum"),
        Column("full_days", "Full-day sessions", "integer", total="sum"),
        Column("full_day_hours", "Full-day hours", "number", total="sum"),
        Column("hours", "Practitioner hours", "number", total="sum"),
    ]

    def rows(self, viewer: Viewer, params: ReportParams) -> list[dict[str, Any]]:
        grouped = (
            counted(viewer, params)
            .filter(INTERVIEWS)
            .values(
                hei_name=F("session__hei__name"),
                start_year=F("session__academic_year__start_year"),
            )
            .annotate(
                half_days=_sessions(HALF),
                half_day_hours=_hours(HALF),
                full_days=_sessions(FULL),
                full_day_hours=_hours(FULL),
            )
            .order_by("hei_name", "start_year")
        )
        return [
            {
                "hei": group["hei_name"],
                "year": format_academic_year(group["start_year"]),
                "half_days": group["half_days"],
                "half_day_hours": group["half_day_hours"],
                "full_days": group["full_days"],
                "full_day_hours": group["full_day_hours"],
                "hours": group["half_day_hours"] + group["full_day_hours"],
            }
            for group in grouped
        ]


@register_report
class PractitionerContribution(Report):
    name = "practitioner-contribution"
    title = "Practitioner teacher contribution"
    description = (
        "Per university, local authority and academic year: the hours practitioners gave to "
        "teaching and to admissions interviews (scheduled or delivered), and their total — the "
        "figure the partnership reports to its funder."
    )
    columns = [
        Column("hei", "University"),
        Column("organisation", "Local authority"),
        Column("year", "Academic year"),
        Column("teaching_hours", "Teaching hours", "number", total="sum"),
        Column("admissions_hours", "Admissions hours", "number", total="sum"),
        Column("hours", "Total hours", "number", total="sum"),
    ]

    def rows(self, viewer: Viewer, params: ReportParams) -> list[dict[str, Any]]:
        grouped = (
            counted(viewer, params)
            .values(
                hei_name=F("session__hei__name"),
                organisation_name=F("organisation__name"),
                start_year=F("session__academic_year__start_year"),
            )
            .annotate(teaching_hours=_hours(TEACHING), admissions_hours=_hours(INTERVIEWS))
            .order_by("hei_name", "organisation_name", "start_year")
        )
        return [
            {
                "hei": group["hei_name"],
                "organisation": group["organisation_name"] or NOT_RECORDED,
                "year": format_academic_year(group["start_year"]),
                "teaching_hours": group["teaching_hours"],
                "admissions_hours": group["admissions_hours"],
                "hours": group["teaching_hours"] + group["admissions_hours"],
            }
            for group in grouped
        ]
