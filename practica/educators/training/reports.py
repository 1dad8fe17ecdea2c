"""Reports over PEPS training and the practice educators a partnership will have (registered
from EducatorsConfig.ready). Each is computed from the records, starting from what the viewer
may see."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.utils import timezone

from practica.core import academic_years
from practica.core.academic_years import format_academic_year
from practica.educators.register.currency import CurrencyStatus
from practica.educators.register.models import PracticeEducator
from practica.educators.register.selectors import with_currency
from practica.educators.training.models import Outcome, PepsEnrolment
from practica.reports.registry import Chart, Column, Report, ReportParams, register_report

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

# The years of study in which each route has a placement (70-day first, 100-day final): a
# student now in year Y needs a practice educator next year when Y + 1 is one of them.
PLACEMENT_YEARS: dict[str, frozenset[int]] = {
    "ba": frozenset({2, 3}),
    "apprentice": frozenset({2, 3}),
    "ou": frozenset({2, 3}),
    "ma": frozenset({1, 2}),
    "step_up": frozenset({1, 2}),
    "think_ahead": frozenset({1, 2}),
    "frontline": frozenset({1, 2}),
}
STUDENTS_PER_PE = 1  # one student at a time, as the PE time audit (seeds/002) supports


@register_report
class PeCapacityForecast(Report):
    name = "pe-capacity-forecast"
    title = "Practice educators needed next academic year"
    description = (
        "For the next academic year, per organisation: the placement slots it offers (each "
        "needs a practice educator; one student per PE) against its qualified practice "
        "educators still current on the first day of that year and its pipeline (this year's "
        "PEPS Stage 1 candidates, who qualify by then); the balance is available minus needed "
        "within the same organisation, and the total balance is the partnership's. Students "
        "who will then be in a placement year of their route are counted at their university "
        "as the demand the offers must meet (from the students recorded now: next year's new "
        "intakes are not known yet, so MA and fast-track demand is a floor); when they "
        "outnumber the slots offered, more offers, and PEs for them, are needed."
    )
    columns = [
        Column("organisation", "Organisation"),
        Column("academic_year", "Academic year"),
        Column("students", "Students needing a placement", "integer", total="sum"),
        Column("slots_offered", "Placement slots offered", "integer", total="sum"),
        Column("pes_needed", "PEs needed", "integer", total="sum"),
        Column("pes_current", "PEs current", "integer", total="sum"),
        Column("pipeline", "PEPS Stage 1 pipeline", "integer", total="sum"),
        Column("pes_available", "PEs available", "integer", total="sum"),
        Column("balance", "Balance (available − needed)", "integer", total="sum"),
    ]
    filters = ("organisation",)
    chart = Chart(kind="bar", label="organisation", values=("pes_needed", "pes_available"))

    def rows(self, viewer: Viewer, params: ReportParams) -> list[dict[str, Any]]:
        # placements sits above educators (the app order): its models are looked up
        student_model: Any = apps.get_model("placements", "Student")
        offer_model: Any = apps.get_model("placements", "PlacementOffer")
        today = timezone.localdate()
        next_year = academic_years.academic_year_of(today) + 1
        next_start = academic_years.bounds(next_year)[0]

        students = student_model.objects.visible_to(viewer)
        needing = Q()
        for route, years in PLACEMENT_YEARS.items():
            needing |= Q(route=route, year_of_study__in=[year - 1 for year in years])
        demand = _counts(students.filter(needing), "hei")
        slots = {
            (row["organisation__code"], row["organisation__name"]): row["slots"] or 0
            for row in offer_model.objects.visible_to(viewer)
            .filter(academic_year__start_year=next_year)
            .values("organisation__code", "organisation__name")
            .annotate(slots=Sum("slots"))
        }
        educators = PracticeEducator.objects.visible_to(viewer)
        current = _counts(
            with_currency(educators, next_start).filter(
                currency_status__in=[CurrencyStatus.CURRENT, CurrencyStatus.LAPSING]
            ),
            "person__organisation",
        )
        pipeline = _counts(
            PepsEnrolment.objects.visible_to(viewer).filter(
                cohort__stage=1,
                cohort__academic_year__start_year=next_year - 1,
                outcome=Outcome.ENROLLED,
            ),
            "cohort__organisation",
        )
        keys = sorted(
            set(demand) | set(slots) | set(current) | set(pipeline), key=lambda key: key[1]
        )
        if params.organisations:
            keys = [key for key in keys if key[0] in params.organisations]
        rows = []
        for key in keys:
            needed = -(-slots.get(key, 0) // STUDENTS_PER_PE)  # whole PEs, rounded up
            available = current.get(key, 0) + pipeline.get(key, 0)
            rows.append(
                {
                    "organisation": key[1],
                    "academic_year": format_academic_year(next_year),
                    "students": demand.get(key, 0),
                    "slots_offered": slots.get(key, 0),
                    "pes_needed": needed,
                    "pes_current": current.get(key, 0),
                    "pipeline": pipeline.get(key, 0),
                    "pes_available": available,
                    "balance": available - needed,
                }
            )
        return rows


def _counts(queryset: Any, organisation: str) -> dict[tuple[str, str], int]:
    """Rows counted per organisation, keyed by (code, name)."""
    return {
        (row[f"{organisation}__code"], row[f"{organisation}__name"]): row["n"]
        for row in queryset.values(f"{organisation}__code", f"{organisation}__name").annotate(
            n=Count("pk")
        )
    }


@register_report
class PepsActivity(Report):
    name = "peps-activity"
    title = "PEPS training supported"
    description = (
        "Per organisation and academic year: social workers supported through PEPS Stage 1 and "
        "Stage 2 training (everyone enrolled in that year's cohorts, whatever their outcome), "
        "and how many of them passed."
    )
    columns = [
        Column("organisation", "Organisation"),
        Column("academic_year", "Academic year"),
        Column("stage1_supported", "Stage 1 supported", "integer", total="sum"),
        Column("stage1_passed", "Stage 1 passed", "integer", total="sum"),
        Column("stage2_supported", "Stage 2 supported", "integer", total="sum"),
        Column("stage2_passed", "Stage 2 passed", "integer", total="sum"),
        Column("supported", "Supported in all", "integer", total="sum"),
    ]
    filters = ("organisation", "year")
    chart = Chart(
        kind="bar",
        label="academic_year",
        values=("stage1_supported", "stage2_supported"),
        stacked=True,
    )

    def rows(self, viewer: Viewer, params: ReportParams) -> list[dict[str, Any]]:
        enrolments = PepsEnrolment.objects.visible_to(viewer)
        if params.organisations:
            enrolments = enrolments.filter(cohort__organisation__code__in=params.organisations)
        if params.year is not None:
            enrolments = enrolments.filter(cohort__academic_year__start_year=params.year)
        passed = Q(outcome=Outcome.PASSED)
        grouped = (
            enrolments.values("cohort__organisation__name", "cohort__academic_year__start_year")
            .annotate(
                stage1_supported=Count("pk", filter=Q(cohort__stage=1)),
                stage1_passed=Count("pk", filter=Q(cohort__stage=1) & passed),
                stage2_supported=Count("pk", filter=Q(cohort__stage=2)),
                stage2_passed=Count("pk", filter=Q(cohort__stage=2) & passed),
                supported=Count("pk"),
            )
            .order_by("cohort__organisation__name", "cohort__academic_year__start_year")
        )
        return [
            {
                "organisation": group["cohort__organisation__name"],
                "academic_year": format_academic_year(group["cohort__academic_year__start_year"]),
                "stage1_supported": group["stage1_supported"],
                "stage1_passed": group["stage1_passed"],
                "stage2_supported": group["stage2_supported"],
                "stage2_passed": group["stage2_passed"],
                "supported": group["supported"],
            }
            for group in grouped
        ]
