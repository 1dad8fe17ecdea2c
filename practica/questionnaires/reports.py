"""The questionnaire-responses report: how many answered each published version, by academic
year (registered from QuestionnairesConfig.ready). The answers themselves are collated on each
questionnaire's page, with the small-number rule."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count

from practica.core.academic_years import format_academic_year
from practica.questionnaires.models import Questionnaire, Response
from practica.questionnaires.rules import RESULTS
from practica.reports.registry import Chart, Column, Report, ReportParams, register_report

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer


@register_report
class QuestionnaireResponses(Report):
    name = "questionnaire-responses"
    title = "Questionnaire responses"
    description = (
        "Per questionnaire, version and academic year: how many responses there are (answered "
        "through a link or loaded from a file), counted from the responses themselves. The "
        "organisation filter keeps the responses of people of those organisations."
    )
    columns = [
        Column("questionnaire", "Questionnaire"),
        Column("version", "Version", "integer"),
        Column("year", "Academic year"),
        Column("responses", "Responses", "integer", total="sum"),
    ]
    filters = ("organisation", "year")
    chart = Chart(kind="bar", label="questionnaire", values=("responses",))
    requires = (RESULTS, Questionnaire)

    def rows(self, viewer: Viewer, params: ReportParams) -> list[dict[str, Any]]:
        responses = Response.objects.filter(
            version__questionnaire__in=Questionnaire.objects.visible_to(viewer, RESULTS)
        )
        if params.year is not None:
            responses = responses.filter(academic_year__start_year=params.year)
        if params.organisations:
            responses = responses.filter(organisation__code__in=params.organisations)
        counted = (
            responses.values(
                "version__questionnaire__name",
                "version__number",
                "academic_year__start_year",
            )
            .annotate(responses=Count("id"))
            .order_by(
                "version__questionnaire__name", "version__number", "academic_year__start_year"
            )
        )
        return [
            {
                "questionnaire": row["version__questionnaire__name"],
                "version": row["version__number"],
                "year": (
                    format_academic_year(row["academic_year__start_year"])
                    if row["academic_year__start_year"] is not None
                    else "Not given"
                ),
                "responses": row["responses"],
            }
            for row in counted
        ]
