"""Reports over the core records."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q

from practica.core.models import Organisation, Person, Team
from practica.reports.registry import Chart, Column, Report, ReportParams, register_report

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer


@register_report
class OrganisationSummary(Report):
    name = "organisation-summary"
    title = "Organisations, teams and people"
    description = (
        "Per organisation: its kind, the teams recorded (in all and in children's and adult "
        "services) and the people recorded in Practica."
    )
    columns = [
        Column("organisation", "Organisation"),
        Column("code", "Code"),
        Column("kind", "Kind"),
        Column("teams", "Teams", "integer", total="sum"),
        Column("childrens_teams", "Children's services teams", "integer", total="sum"),
        Column("adults_teams", "Adult services teams", "integer", total="sum"),
        Column("people", "People", "integer", total="sum"),
    ]
    filters = ("organisation", "service_area")
    chart = Chart(kind="bar", label="organisation", values=("teams", "people"))

    def rows(self, viewer: Viewer, params: ReportParams) -> list[dict[str, Any]]:
        organisations = Organisation.objects.visible_to(viewer)
        if params.organisations:
            organisations = organisations.filter(code__in=params.organisations)
        teams = Team.objects.visible_to(viewer).filter(organisation__in=organisations)
        people = Person.objects.visible_to(viewer).filter(organisation__in=organisations)
        if params.service_area:
            teams = teams.filter(service_area__code=params.service_area)
            people = people.filter(team__service_area__code=params.service_area)
        team_counts = {
            row["organisation"]: row
            for row in teams.values("organisation").annotate(
                total=Count("pk"),
                childrens=Count("pk", filter=Q(service_area__code="childrens")),
                adults=Count("pk", filter=Q(service_area__code="adults")),
            )
        }
        people_counts = dict(
            people.values("organisation")
            .annotate(total=Count("pk"))
            .values_list("organisation", "total")
        )
        rows = []
        for organisation in organisations.order_by("name"):
            counts: dict[str, Any] = dict(team_counts.get(organisation.pk) or {})
            rows.append(
                {
                    "organisation": organisation.name,
                    "code": organisation.code,
                    "kind": organisation.get_kind_display(),
                    "teams": counts.get("total", 0),
                    "childrens_teams": counts.get("childrens", 0),
                    "adults_teams": counts.get("adults", 0),
                    "people": people_counts.get(organisation.pk, 0),
                }
            )
        return rows
