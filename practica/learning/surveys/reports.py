"""The cpd-needs report: per survey and topic, how much practice educators want it (registered
from LearningConfig.ready)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Q

from practica.core.academic_years import format_academic_year
from practica.learning.abilities import RESULTS
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
