"""The ``pt-directory`` report: each local authority's practitioner teachers, how many are
trained (ready to teach), how many took part in a session in the year and how many entries
were reviewed in time. Computed from the records the viewer may see.

The case study also asks for the diversity of the pool, "only where recorded with consent": the
companion report ``pt-directory-diversity`` counts the practitioners' own diversity monitoring
answers (``PractitionerDiversity``, given with their consent and cleared when they withdraw it)
per local authority, with small numbers suppressed the way every published count about people
is (``learning.surveys.suppression``, SECURITY.md §12)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.utils import timezone

from practica.core.academic_years import academic_year_of, bounds
from practica.learning.surveys.suppression import suppress
from practica.reports.registry import Chart, Column, Report, ReportParams, register_report, share
from practica.teaching.directory.models import (
    DIVERSITY_CHARACTERISTICS,
    PractitionerStatus,
    PractitionerTeacher,
)
from practica.teaching.directory.selectors import review_cutoff

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

IN_TRAINING = (PractitionerStatus.INTERESTED, PractitionerStatus.IN_TRAINING)
CANCELLED = "cancelled"  # a session's status (``sessions``, which this area does not import)


@register_report
class PtDirectory(Report):
    name = "pt-directory"
    title = "Practitioner teacher directory"
    description = (
        "Per local authority: practitioner teachers in the directory (not counting those who "
        "have left), how many are trained and active, how many are still in training, how many "
        "took part in a teaching session or admissions interviews in the academic year (the "
        "current one unless chosen), and how many entries were reviewed in the year before its "
        "end (or today, for the current year). The diversity of the pool is in the "
        "practitioner teacher diversity report."
    )
    columns = [
        Column("organisation", "Organisation"),
        Column("practitioner_teachers", "Practitioner teachers", "integer", total="sum"),
        Column("trained", "Trained and active", "integer", total="sum"),
        Column("in_training", "In training", "integer", total="sum"),
        Column("active_this_year", "Took part in the year", "integer", total="sum"),
        Column("reviewed_on_time", "Reviewed in time", "integer", total="sum"),
        Column("reviewed_share", "Share reviewed in time", "percent"),
    ]
    filters = ("organisation", "year")
    chart = Chart(
        kind="bar",
        label="organisation",
        values=("practitioner_teachers", "trained", "active_this_year"),
    )

    def rows(self, viewer: Viewer, params: ReportParams) -> list[dict[str, Any]]:
        today = timezone.localdate()
        year = params.year if params.year is not None else academic_year_of(today)
        as_of = min(today, bounds(year)[1])
        teachers = PractitionerTeacher.objects.visible_to(viewer).exclude(
            status=PractitionerStatus.LEFT
        )
        if params.organisations:
            teachers = teachers.filter(person__organisation__code__in=params.organisations)
        in_year = Q(session_contributions__session__academic_year__start_year=year) & ~Q(
            session_contributions__session__status=CANCELLED
        )
        took_part = teachers.filter(in_year).values("pk")
        grouped = (
            teachers.values("person__organisation__name")
            .annotate(
                practitioner_teachers=Count("pk", distinct=True),
                trained=Count("pk", filter=Q(status=PractitionerStatus.ACTIVE), distinct=True),
                in_training=Count("pk", filter=Q(status__in=IN_TRAINING), distinct=True),
                active_this_year=Count("pk", filter=Q(pk__in=took_part), distinct=True),
                reviewed_on_time=Count(
                    "pk",
                    filter=Q(reviewed_on__gte=review_cutoff(as_of), reviewed_on__lte=as_of),
                    distinct=True,
                ),
            )
            .order_by("person__organisation__name")
        )
        return [
            {
                "organisation": group["person__organisation__name"],
                **{k: v for k, v in group.items() if k != "person__organisation__name"},
                "reviewed_share": share(group["reviewed_on_time"], group["practitioner_teachers"]),
            }
            for group in grouped
        ]

    def totals(
        self, rows: list[dict[str, Any]], viewer: Viewer, params: ReportParams
    ) -> dict[str, Any]:
        totals = super().totals(rows, viewer, params)
        totals["reviewed_share"] = share(
            totals["reviewed_on_time"], totals["practitioner_teachers"]
        )
        return totals


ALL_ORGANISATIONS = "All local authorities"
ANSWERED = "Answered"


@register_report
class PtDirectoryDiversity(Report):
    name = "pt-directory-diversity"
    title = "Practitioner teacher diversity"
    description = (
        "Per local authority and characteristic (ethnic group in the 2021 census's five groups, "
        "disability, gender, age): how many practitioner teachers in the directory (not counting "
        "those who have left) gave each answer. Only the answers practitioners recorded "
        "themselves, with their consent to being counted, are counted; a withdrawn consent "
        "deletes the answers. Counts from 1 to 4 are hidden ('fewer than 5'), and so is "
        "another count that would give a hidden one away ('not shown'): the count is then "
        "empty and the next column says why."
    )
    columns = [
        Column("organisation", "Organisation"),
        Column("characteristic", "Characteristic"),
        Column("answer", "Answer"),
        Column("practitioner_teachers", "Practitioner teachers", type="integer"),
        Column("hidden", "Count hidden"),
    ]
    filters = ("organisation",)

    def rows(self, viewer: Viewer, params: ReportParams) -> list[dict[str, Any]]:
        teachers = PractitionerTeacher.objects.visible_to(viewer).exclude(
            status=PractitionerStatus.LEFT
        )
        if params.organisations:
            teachers = teachers.filter(person__organisation__code__in=params.organisations)
        counted = teachers.filter(diversity__isnull=False, diversity__withdrawn_on__isnull=True)
        counts: dict[str, Any] = {}
        for field, _label, choices in DIVERSITY_CHARACTERISTICS:
            counts[f"{field}__answered"] = Count("pk", filter=~Q(**{f"diversity__{field}": ""}))
            for value in choices.values:
                counts[f"{field}__{value}"] = Count(
                    "pk", filter=Q(**{f"diversity__{field}": value})
                )
        by_organisation = (
            counted.values("person__organisation__name")
            .annotate(**counts)
            .order_by("person__organisation__name")
        )
        grouped: list[dict[str, Any]] = [dict(group) for group in by_organisation]
        if not grouped:
            return []  # no one has answered: nothing to count (not a table of noughts)
        rows: list[dict[str, Any]] = []
        for field, label, choices in DIVERSITY_CHARACTERISTICS:
            keys = [f"{field}__answered", *(f"{field}__{value}" for value in choices.values)]
            names = [ANSWERED, *choices.labels]
            cells, totals = suppress(
                [[group[key] for key in keys] for group in grouped], width=len(keys)
            )
            organisations = [group["person__organisation__name"] for group in grouped]
            for organisation, row in [
                *zip(organisations, cells, strict=True),
                (ALL_ORGANISATIONS, totals),
            ]:
                rows += [
                    {
                        "organisation": organisation,
                        "characteristic": label,
                        "answer": name,
                        # a number where shown; where hidden, nothing, and why
                        "practitioner_teachers": None if cell.hidden else cell.value,
                        "hidden": str(cell) if cell.hidden else "",
                    }
                    for name, cell in zip(names, row, strict=True)
                ]
        return rows
