"""Reports over the practice educator register (registered from EducatorsConfig.ready). Each
is computed from the records, starting from what the viewer may see; shares in the totals are
recomputed from the summed parts."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from practica.educators.register.currency import CurrencyStatus
from practica.educators.register.models import (
    ActivityKind,
    PepsStage,
    PracticeEducator,
    PracticeEducatorActivity,
)
from practica.educators.register.selectors import with_currency
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

INDEPENDENT_TARGET = Decimal(20)  # the national target for the share of independent PEs, in %
ACTIVITY_COLUMNS = {
    ActivityKind.STUDENT_PE: "Student PEs",
    ActivityKind.PEPS_ASSESSOR: "PEPS assessors",
    ActivityKind.ASYE_ASSESSOR: "ASYE assessors",
    ActivityKind.AMHP_BIA_PE: "AMHP or BIA PEs",
    ActivityKind.ONSITE_SUPERVISOR: "On-site supervisors",
}


@register_report
class PeRegister(Report):
    name = "pe-register"
    title = "Practice educator register"
    description = (
        "Per employing organisation, today: practice educators on the register (including those "
        "in training), the number and share at PEPS Stage 2, the number and share working as "
        "independent (off-site) PEs beside the national target of 20%, how many currently do "
        "each activity, and how many qualified PEs are lapsing or have lapsed under the "
        "partnership's currency rules."
    )
    columns = [
        Column("organisation", "Organisation"),
        Column("pes", "Practice educators", "integer", total="sum"),
        Column("stage2", "At PEPS Stage 2", "integer", total="sum"),
        Column("stage2_share", "Share at Stage 2", "percent"),
        Column("independent", "Independent", "integer", total="sum"),
        Column("independent_share", "Share independent", "percent"),
        Column("independent_target", "Independent target", "percent"),
        *[
            Column(kind.value, label, "integer", total="sum")
            for kind, label in ACTIVITY_COLUMNS.items()
        ],
        Column("lapsing", "Lapsing", "integer", total="sum"),
        Column("lapsed", "Lapsed", "integer", total="sum"),
    ]
    filters = ("organisation", "service_area")
    chart = Chart(kind="bar", label="organisation", values=("pes", "stage2", "independent"))

    def rows(self, viewer: Viewer, params: ReportParams) -> list[dict[str, Any]]:
        today = timezone.localdate()
        educators = PracticeEducator.objects.visible_to(viewer)
        if params.organisations:
            educators = educators.filter(person__organisation__code__in=params.organisations)
        if params.service_area:
            educators = educators.filter(
                Q(service_area__code=params.service_area)
                | Q(service_area__isnull=True, person__team__service_area__code=params.service_area)
            )
        current = PracticeEducatorActivity.objects.unscoped(
            "the activities of each practice educator the outer, narrowed query counts"
        ).filter(PracticeEducatorActivity.current_on(today), educator=OuterRef("pk"))
        annotated = with_currency(educators, today).annotate(
            **{f"does_{kind.value}": Exists(current.filter(kind=kind)) for kind in ACTIVITY_COLUMNS}
        )
        grouped = (
            annotated.values("person__organisation__name")
            .annotate(
                pes=Count("pk"),
                stage2=Count("pk", filter=Q(peps_stage=PepsStage.STAGE2)),
                independent=Count("pk", filter=Q(independent=True)),
                lapsing=Count("pk", filter=Q(currency_status=CurrencyStatus.LAPSING)),
                lapsed=Count("pk", filter=Q(currency_status=CurrencyStatus.LAPSED)),
                **{
                    kind.value: Count("pk", filter=Q(**{f"does_{kind.value}": True}))
                    for kind in ACTIVITY_COLUMNS
                },
            )
            .order_by("person__organisation__name")
        )
        return [
            {
                "organisation": group["person__organisation__name"],
                **{
                    key: value
                    for key, value in group.items()
                    if key != "person__organisation__name"
                },
                "stage2_share": share(group["stage2"], group["pes"]),
                "independent_share": share(group["independent"], group["pes"]),
                "independent_target": INDEPENDENT_TARGET,
            }
            for group in grouped
        ]

    def totals(
        self, rows: list[dict[str, Any]], viewer: Viewer, params: ReportParams
    ) -> dict[str, Any]:
        totals = super().totals(rows, viewer, params)
        totals["stage2_share"] = share(totals["stage2"], totals["pes"])
        totals["independent_share"] = share(totals["independent"], totals["pes"])
        totals["independent_target"] = INDEPENDENT_TARGET
        return totals
