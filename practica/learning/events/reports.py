"""The cpd-events report: events held, places taken and attendance (registered from
LearningConfig.ready)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.utils import timezone

from practica.learning.events.models import Attendance, Event, RegistrationStatus
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
        "Per theme and organising organisation: events held (those that have started), places "
        "taken at them (people registered), and attendance as recorded by the organisers; "
        "events still to come, and the places booked on them, are counted apart. The attended "
        "share counts only registrations whose attendance has been recorded."
    )
    columns = [
        Column("theme", "Theme"),
        Column("organisation", "Organising organisation"),
        Column("events", "Events held", "integer", total="sum"),
        Column("registered", "People registered", "integer", total="sum"),
        Column("attended", "Attended", "integer", total="sum"),
        Column("did_not_attend", "Did not attend", "integer", total="sum"),
        Column("attended_share", "Attended (of those recorded)", "percent"),
        Column("upcoming", "Events to come", "integer", total="sum"),
        Column("upcoming_registered", "Places booked on events to come", "integer", total="sum"),
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
        held = Q(starts_at__lte=timezone.now())
        registered = Q(registrations__status=RegistrationStatus.REGISTERED)
        grouped = (
            events.values("theme", "organisation__name")
            .annotate(
                events=Count("pk", filter=held, distinct=True),
                registered=Count("registrations", filter=held & registered),
                attended=Count(
                    "registrations", filter=registered & Q(registrations__attended=Attendance.YES)
                ),
                did_not_attend=Count(
                    "registrations", filter=registered & Q(registrations__attended=Attendance.NO)
                ),
                upcoming=Count("pk", filter=~held, distinct=True),
                upcoming_registered=Count("registrations", filter=~held & registered),
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
                    "upcoming": group["upcoming"],
                    "upcoming_registered": group["upcoming_registered"],
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
