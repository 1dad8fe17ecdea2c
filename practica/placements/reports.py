"""Reports over placement offers and placements (registered from PlacementsConfig.ready). Each
starts from what the viewer may see. A placement counts as provided once it is matched: from
then on it takes a slot, and it still counts if it ended early (docs/0022)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum

from practica.core.academic_years import format_academic_year
from practica.placements.models import (
    FILLING_STATUSES,
    Placement,
    PlacementOffer,
    PlacementType,
    Route,
)
from practica.reports.registry import Chart, Column, Report, ReportParams, register_report, share

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

HEI_ROUTES = (Route.BA, Route.MA, Route.FRONTLINE)
SHADOWING = Q(placement_type=PlacementType.SHADOWING)
SCHOOL = Q(placement_type=PlacementType.SCHOOL_SETTING)
PRACTICE = ~SHADOWING & ~SCHOOL


def _route(*routes: str) -> Q:
    return Q(student__route__in=routes)


def _type(kind: str) -> Q:
    return Q(placement_type=kind)


# Each placement falls in exactly one of these (shadowing and school settings by their type,
# the rest by the student's route, then first or final), so the parts add up to the whole.
CATEGORIES: dict[str, tuple[str, Q]] = {
    "hei_first": (
        "University students' first (70-day)",
        PRACTICE & _route(*HEI_ROUTES) & _type(PlacementType.FIRST_70),
    ),
    "hei_final": (
        "University students' final (100-day)",
        PRACTICE & _route(*HEI_ROUTES) & _type(PlacementType.FINAL_100),
    ),
    "step_up": ("Step Up", PRACTICE & _route(Route.STEP_UP)),
    "think_ahead": ("Think Ahead", PRACTICE & _route(Route.THINK_AHEAD)),
    "ou_first": (
        "Open University first",
        PRACTICE & _route(Route.OU) & _type(PlacementType.FIRST_70),
    ),
    "ou_final": (
        "Open University final",
        PRACTICE & _route(Route.OU) & _type(PlacementType.FINAL_100),
    ),
    "apprentice": ("Apprentices", PRACTICE & _route(Route.APPRENTICE)),
    "school_setting": ("In school settings", SCHOOL),
    "shadowing": ("Shadowing", SHADOWING),
    "other": ("Other", PRACTICE & _route(Route.OU, *HEI_ROUTES) & _type(PlacementType.OTHER)),
}


def provided(viewer: Viewer, params: ReportParams) -> QuerySet[Placement]:
    """The placements ``viewer`` may see that an organisation provided (matched or further),
    filtered by the report's organisations and year."""
    placements = Placement.objects.visible_to(viewer).filter(status__in=FILLING_STATUSES)
    if params.organisations:
        placements = placements.filter(organisation__code__in=params.organisations)
    if params.year is not None:
        placements = placements.filter(academic_year__start_year=params.year)
    return placements


@register_report
class PlacementsSummary(Report):
    name = "placements-summary"
    title = "Placements provided"
    description = (
        "Per providing organisation and academic year: the placements it provided (matched, "
        "confirmed, in progress, completed or ended early) by route and type — universities' "
        "first and final placements, Step Up, Think Ahead, Open University first and final, "
        "apprentices, school settings and shadowing — and the days of placement they provide."
    )
    columns = [
        Column("organisation", "Organisation"),
        Column("year", "Academic year"),
        *[Column(key, label, "integer", total="sum") for key, (label, _q) in CATEGORIES.items()],
        Column("placements", "Placements", "integer", total="sum"),
        Column("days", "Days provided", "integer", total="sum"),
    ]
    chart = Chart(
        kind="bar",
        label="organisation",
        values=("hei_first", "hei_final", "step_up", "ou_first", "ou_final", "apprentice"),
        stacked=True,
    )

    def rows(self, viewer: Viewer, params: ReportParams) -> list[dict[str, Any]]:
        grouped = (
            provided(viewer, params)
            .values("organisation__name", "academic_year__start_year")
            .annotate(
                **{key: Count("pk", filter=q) for key, (_label, q) in CATEGORIES.items()},
                placements=Count("pk"),
                days=Sum("days"),
            )
            .order_by("organisation__name", "academic_year__start_year")
        )
        rows: list[dict[str, Any]] = []
        for found in grouped:
            group: dict[str, Any] = dict(found)  # the annotations' names are CATEGORIES' keys
            rows.append(
                {
                    "organisation": group["organisation__name"],
                    "year": format_academic_year(group["academic_year__start_year"]),
                    **{key: group[key] for key in CATEGORIES},
                    "placements": group["placements"],
                    "days": group["days"] or 0,
                }
            )
        return rows


@register_report
class PlacementCapacity(Report):
    name = "placement-capacity"
    title = "Placement capacity"
    description = (
        "Per providing organisation, team (or other setting) and academic year: the slots its "
        "placement offers hold, how many placements fill them (matched or further, whether or "
        "not they were recorded against an offer) and how many are free. A negative number "
        "free means more placements than slots offered."
    )
    columns = [
        Column("organisation", "Organisation"),
        Column("setting", "Team or setting"),
        Column("year", "Academic year"),
        Column("slots", "Slots offered", "integer", total="sum"),
        Column("filled", "Filled", "integer", total="sum"),
        Column("free", "Free", "integer", total="sum"),
        Column("filled_share", "Share filled", "percent"),
    ]
    chart = Chart(kind="bar", label="setting", values=("slots", "filled"))

    def rows(self, viewer: Viewer, params: ReportParams) -> list[dict[str, Any]]:
        offers = PlacementOffer.objects.visible_to(viewer)
        if params.organisations:
            offers = offers.filter(organisation__code__in=params.organisations)
        if params.year is not None:
            offers = offers.filter(academic_year__start_year=params.year)
        keys = ("organisation__name", "team__name", "setting", "academic_year__start_year")
        slots = {
            tuple(group[k] for k in keys): group["slots"]
            for group in offers.values(*keys).annotate(slots=Sum("slots")).order_by()
        }
        filled = {
            tuple(group[k] for k in keys): group["filled"]
            for group in provided(viewer, params)
            .values(*keys)
            .annotate(filled=Count("pk"))
            .order_by()
        }
        rows = []
        for key in sorted(set(slots) | set(filled), key=_order):
            organisation, team, setting, year = key
            offered, used = slots.get(key, 0) or 0, filled.get(key, 0)
            rows.append(
                {
                    "organisation": organisation,
                    "setting": " – ".join(part for part in (team, setting) if part),
                    "year": format_academic_year(year),
                    "slots": offered,
                    "filled": used,
                    "free": offered - used,
                    "filled_share": share(used, offered),
                }
            )
        return rows

    def totals(
        self, rows: list[dict[str, Any]], viewer: Viewer, params: ReportParams
    ) -> dict[str, Any]:
        totals = super().totals(rows, viewer, params)
        totals["filled_share"] = share(totals["filled"], totals["slots"])
        return totals


def _order(key: tuple[Any, ...]) -> tuple[Any, ...]:
    organisation, team, setting, year = key
    return (organisation, year, (team or setting or "").lower(), (setting or "").lower())
