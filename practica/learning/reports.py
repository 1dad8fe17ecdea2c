"""Reports over events and attendance (registered from LearningConfig.ready)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Q
from django.utils import timezone

from practica.core.academic_years import format_academic_year
from practica.learning.abilities import RESULTS
from practica.learning.events.models import Attendance, Event, RegistrationStatus
from practica.learning.surveys.models import CpdNeedsSurvey, CpdNeedsTopic
from practica.reports.registry import (
    Chart,
    Column,
    Report,
    ReportParams,
    register_report,
    share,
)

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

NO_THEME = "No theme"


@register_report
class CpdEvents(Report):
    name = "cpd-events"
    title = "CPD events and attendance"
    description = (
        "Per theme and organising organisation: events held, places taken (people registered), "
        "and attendance as recorded by the organisers. The attended share counts only "
        "registrations whose attendance has been recorded."
    )
    columns = [
        Column("theme", "Theme"),
        Column("organisation", "Organising organisation"),
        Column("events", "Events", "integer", total="sum"),
        Column("registered", "People registered", "integer", total="sum"),
        Column("attended", "Attended", "integer", total="sum"),
        Column("did_not_attend", "Did not attend", "integer", total="sum"),
        Column("attended_share", "Attended (of those recorded)", "percent"),
    ]
    filters = ("organisation", "year")
    chart = Chart(kind="bar", label="theme", values=("registered", "attended"))

    def rows(self, viewer: Viewer, params: ReportParams) -> list[dict[str, Any]]:
        events = Event.objects.visible_to(viewer)
        if params.organisations:
            events = events.filter(organisation__code__in=params.organisations)
        if params.year is not None:
            starts = timezone.make_aware(datetime.datetime(params.year, 9, 1))
            ends = timezone.make_aware(datetime.datetime(params.year + 1, 9, 1))
            events = events.filter(starts_at__gte=starts, starts_at__lt=ends)
        registered = Q(registrations__status=RegistrationStatus.REGISTERED)
        grouped = (
            events.values("theme", "organisation__name")
            .annotate(
                events=Count("pk", distinct=True),
                registered=Count("registrations", filter=registered),
                attended=Count(
                    "registrations", filter=registered & Q(registrations__attended=Attendance.YES)
                ),
                did_not_attend=Count(
                    "registrations", filter=registered & Q(registrations__attended=Attendance.NO)
                ),
            )
            .order_by("theme", "organisation__name")
        )
        rows = []
        for group in grouped:
            rows.append(
                {
                    "theme": group["theme"] or NO_THEME,
                    "organisation": group["organisation__name"],
                    "events": group["events"],
                    "registered": group["registered"],
                    "attended": group["attended"],
                    "did_not_attend": group["did_not_attend"],
                    "attended_share": share(
                        group["attended"], group["attended"] + group["did_not_attend"]
                    ),
                }
            )
        return rows

    def totals(
        self, rows: list[dict[str, Any]], viewer: Viewer, params: ReportParams
    ) -> dict[str, Any]:
        totals = super().totals(rows, viewer, params)
        totals["attended_share"] = share(
            totals["attended"], totals["attended"] + totals["did_not_attend"]
        )
        return totals


@register_report
class CpdNeeds(Report):
    name = "cpd-needs"
    title = "CPD needs of practice educators"
    description = (
        "Per academic year's CPD-needs survey and topic: how many practice educators rated it, "
        "how many rated it 4 or 5 (needed, or needed very much) and the mean rating from 1 to "
        "5. The survey's page also breaks the answers down by organisation, with small numbers "
        "suppressed."
    )
    columns = [
        Column("year", "Academic year"),
        Column("topic", "Topic"),
        Column("answers", "Answers", "integer"),
        Column("interested", "Rated 4 or 5", "integer"),
        Column("interested_share", "Share rating 4 or 5", "percent"),
        Column("mean", "Mean rating (1 to 5)", "number"),
    ]
    filters = ("year",)
    chart = Chart(kind="bar", label="topic", values=("interested_share",))
    requires = (RESULTS, CpdNeedsSurvey)  # who sees survey results

    def rows(self, viewer: Viewer, params: ReportParams) -> list[dict[str, Any]]:
        surveys = CpdNeedsSurvey.objects.visible_to(viewer, RESULTS)
        if params.year is not None:
            surveys = surveys.filter(academic_year__start_year=params.year)
        topics = (
            CpdNeedsTopic.objects.filter(survey__in=surveys)
            .values("survey__academic_year__start_year", "name", "position")
            .annotate(
                answers=Count("ratings"),
                interested=Count("ratings", filter=Q(ratings__interest__gte=4)),
                mean=Avg("ratings__interest"),
            )
            .order_by("survey__academic_year__start_year", "position", "name")
        )
        return [
            {
                "year": format_academic_year(topic["survey__academic_year__start_year"]),
                "topic": topic["name"],
                "answers": topic["answers"],
                "interested": topic["interested"],
                "interested_share": share(topic["interested"], topic["answers"]),
                "mean": (
                    Decimal(str(topic["mean"])).quantize(Decimal("0.1"))
                    if topic["mean"] is not None
                    else None
                ),
            }
            for topic in topics
        ]
