"""The ``time-audit`` report (registered from TimeAuditConfig.ready): per audit, the case
study's table — practice educators, weeks logged, total daytime and out-of-hours hours, the
average per PE-week and the highest single week — and the same per week of placement, with the
hours per activity where educators split them. Every figure is computed from the raw weekly
logs each time; nothing is stored (docs/0030-time-audit.md)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from practica.core.academic_years import format_academic_year
from practica.reports.registry import (
    Chart,
    Column,
    ExtraFilter,
    Report,
    ReportParams,
    register_report,
)
from practica.timeaudit.models import ACTIVITY_FIELDS, Activity, TimeAudit, TimeLog, monday_of

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

ONE_PLACE = Decimal("0.1")
BY_WEEK = "week"
SUMS = (
    "pe_weeks",
    "daytime_total",
    "ooh_total",
    *[f"{activity}_total" for activity in ACTIVITY_FIELDS],
    "unsplit_total",
)


def average(total: Decimal, weeks: int) -> Decimal | None:
    """Hours per PE-week to one decimal place; None without weeks."""
    return (total / weeks).quantize(ONE_PLACE) if weeks else None


def plain(hours: Decimal) -> Decimal:
    """Hours without trailing zeros: 1922, 7.5, 0.25 (not 1922.00)."""
    if hours == hours.to_integral_value():
        return hours.quantize(Decimal(1))
    return hours.normalize()


@dataclass
class Tally:
    """The logs of one audit (or one week of it), added up."""

    educators: set[int] = field(default_factory=set)
    weeks: int = 0
    daytime: Decimal = Decimal(0)
    ooh: Decimal = Decimal(0)
    daytime_highest: Decimal = Decimal(0)
    ooh_highest: Decimal = Decimal(0)
    activities: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    unsplit: Decimal = Decimal(0)

    def add(self, log: Log) -> None:
        self.educators.add(log.enrolment_id)
        self.weeks += 1
        self.daytime += log.daytime
        self.ooh += log.ooh
        self.daytime_highest = max(self.daytime_highest, log.daytime)
        self.ooh_highest = max(self.ooh_highest, log.ooh)
        if any(hours is not None for hours in log.activities):
            for activity, hours in zip(ACTIVITY_FIELDS, log.activities, strict=True):
                self.activities[activity] += hours or 0
        else:
            self.unsplit += log.daytime + log.ooh

    def row(self) -> dict[str, Any]:
        return {
            "pes": len(self.educators),
            "pe_weeks": self.weeks,
            "daytime_total": plain(self.daytime),
            "ooh_total": plain(self.ooh),
            "daytime_average": average(self.daytime, self.weeks),
            "ooh_average": average(self.ooh, self.weeks),
            "daytime_highest": plain(self.daytime_highest),
            "ooh_highest": plain(self.ooh_highest),
            **{f"{a}_total": plain(self.activities.get(a, Decimal(0))) for a in ACTIVITY_FIELDS},
            "unsplit_total": plain(self.unsplit),
        }


@dataclass(frozen=True, slots=True)
class Log:
    """What the report reads of one weekly log (plain values: at national scale there are tens
    of thousands, and a model instance each, with its enrolment, audit and placement, cost
    seconds and a hundred megabytes)."""

    enrolment_id: int
    audit_id: int
    week_start: Any
    starts_on: Any  # the placement's first day, or None
    daytime: Decimal
    ooh: Decimal
    activities: tuple[Decimal | None, ...]  # in ACTIVITY_FIELDS' order

    @property
    def first_week(self) -> Any:
        """The enrolment's week 1: the Monday of its placement's first day (as
        ``AuditEnrolment.first_week``), or None."""
        return monday_of(self.starts_on) if self.starts_on is not None else None


def logs_for(viewer: Viewer, params: ReportParams) -> Iterator[Log]:
    """The weekly logs ``viewer`` may see, of the audits of the report's organisations (who
    run them) and year, read in chunks in their enrolment's order and week by week."""
    logs = TimeLog.objects.visible_to(viewer)
    if params.organisations:
        logs = logs.filter(enrolment__audit__organisation__code__in=params.organisations)
    if params.year is not None:
        logs = logs.filter(enrolment__audit__academic_year__start_year=params.year)
    columns = (
        "enrolment_id",
        "enrolment__audit_id",
        "week_start",
        "enrolment__placement__starts_on",
        "daytime_hours",
        "ooh_hours",
        *ACTIVITY_FIELDS.values(),
    )
    for row in logs.order_by("enrolment_id", "week_start").values_list(*columns).iterator(2000):
        yield Log(row[0], row[1], row[2], row[3], row[4], row[5], tuple(row[6:]))


@register_report
class TimeAuditReport(Report):
    name = "time-audit"
    title = "Practice educator time audit"
    description = (
        "Per time audit: the practice educators who logged their time, the weeks they logged "
        "(PE-weeks: one educator's one week), their total hours in the working day (daytime) "
        "and out of hours (OOH), the average per PE-week — the hours logged divided by the "
        "PE-weeks logged, so a week not logged counts as no week rather than as no hours — and "
        "the most hours one educator logged in a single week. The hours per activity add up "
        "the weeks educators split by activity; the rest are not split. Shown per week of "
        "placement, week 1 is the week (Monday to Sunday) the educator's placement starts in "
        "(without a placement date, the first week they logged). Computed from the weekly "
        "logs each time."
    )
    columns = [
        Column("audit", "Time audit"),
        Column("year", "Academic year"),
        Column("organisation", "Run by"),
        Column("part", "Weeks"),
        Column("pes", "Practice educators", "integer"),
        Column("pe_weeks", "PE-weeks logged", "integer", total="sum"),
        Column("daytime_total", "Total hours (daytime)", "number", total="sum"),
        Column("ooh_total", "Total hours (OOH)", "number", total="sum"),
        Column("daytime_average", "Average per PE-week (daytime)", "number"),
        Column("ooh_average", "Average per PE-week (OOH)", "number"),
        Column("daytime_highest", "Highest daytime in 1 week", "number"),
        Column("ooh_highest", "Highest OOH in 1 week", "number"),
        *[
            Column(f"{activity.value}_total", f"{activity.label} (hours)", "number", total="sum")
            for activity in Activity
        ],
        Column("unsplit_total", "Not split by activity (hours)", "number", total="sum"),
    ]
    extra_filters = [
        ExtraFilter(
            "view", "Show", (("audit", "Totals per audit"), (BY_WEEK, "Per week of placement"))
        )
    ]
    chart = Chart(kind="bar", label="part", values=("daytime_total", "ooh_total"), stacked=True)

    def rows(self, viewer: Viewer, params: ReportParams) -> list[dict[str, Any]]:
        by_week = params.extra.get("view") == BY_WEEK
        tallies: dict[tuple[Any, ...], Tally] = defaultdict(Tally)
        first_weeks: dict[int, Any] = {}
        for log in logs_for(viewer, params):
            key: tuple[Any, ...] = (log.audit_id,)
            if by_week:
                first = first_weeks.get(log.enrolment_id)
                if first is None:
                    first = first_weeks[log.enrolment_id] = log.first_week or log.week_start
                key = (log.audit_id, (log.week_start - first).days // 7 + 1)
            tallies[key].add(log)
        audits = (
            TimeAudit.objects.unscoped("the audits of the logs the viewer may see")
            .select_related("organisation", "academic_year")
            .in_bulk({key[0] for key in tallies})
        )
        rows = []
        for key in sorted(tallies, key=lambda k: (_audit_order(audits[k[0]]), k[1:])):
            audit = audits[key[0]]
            rows.append(
                {
                    "audit": audit.name,
                    "year": format_academic_year(audit.academic_year.start_year),
                    "organisation": audit.organisation.name,
                    "part": f"Week {key[1]}" if by_week else "All weeks",
                    **tallies[key].row(),
                }
            )
        return rows

    def totals(
        self, rows: list[dict[str, Any]], viewer: Viewer, params: ReportParams
    ) -> dict[str, Any]:
        totals: dict[str, Any] = {name: sum((row[name] for row in rows), 0) for name in SUMS}
        totals["pes"] = (
            None if params.extra.get("view") == BY_WEEK else sum(row["pes"] for row in rows)
        )
        totals["daytime_average"] = average(Decimal(totals["daytime_total"]), totals["pe_weeks"])
        totals["ooh_average"] = average(Decimal(totals["ooh_total"]), totals["pe_weeks"])
        for name in ("daytime_highest", "ooh_highest"):
            totals[name] = max((row[name] for row in rows), default=None)
        return totals


def _audit_order(audit: Any) -> tuple[Any, ...]:
    return (-audit.academic_year.start_year, audit.organisation.name, audit.name.lower(), audit.pk)
