"""The allocation engine's database adapter: bulk reads into the engine's arrays, the solve, and
the proposals written back as matched placements (docs/0021-allocation-engine.md, "The
database adapter").

A run covers one academic year. Narrowed to an organisation, a university (HEI) places its own
students in every open offer of the year; any other organisation places every student needing a
placement in its own offers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q

from practica.core import academic_years
from practica.core.models import AcademicYear, Organisation
from practica.placements import services
from practica.placements.allocation import (
    NONE,
    Labels,
    Offers,
    Problem,
    Result,
    Students,
    Travel,
    route_mask,
    solve,
)
from practica.placements.models import (
    FILLING_STATUSES,
    Placement,
    PlacementOffer,
    PlacementStatus,
    PlacementType,
    Route,
    Student,
    StudentStage,
)
from practica.placements.travel import JourneyTimes

if TYPE_CHECKING:
    from practica.accounts.models import User

RUN = "an allocation run reads every open offer and every student to place in the year"

ROUTES = {route: code for code, route in enumerate(Route.values)}
TYPES = {kind: code for code, kind in enumerate(PlacementType.values)}
NEEDS = [StudentStage.SHADOWING, StudentStage.FIRST_70, StudentStage.FINAL_100]
PE_STAGES = {"stage1": 1, "stage1_training": 0, "stage2_training": 1, "stage2": 2}


@dataclass(frozen=True)
class StudentRow:
    pk: int
    ref: str
    hei: str
    needs: str


@dataclass(frozen=True)
class OfferRow:
    pk: int
    setting: str
    organisation: str


@dataclass(frozen=True)
class AllocationRun:
    """One run's input, its result and the words to show them."""

    year: AcademicYear
    organisation: Organisation | None
    problem: Problem
    result: Result
    students: dict[int, StudentRow]
    offers: dict[int, OfferRow]


def find_year(label: str) -> AcademicYear:
    """The recorded academic year written ``label`` (``2019/20``); ValidationError otherwise."""
    start = academic_years.parse_academic_year(label)
    year = AcademicYear.objects.filter(start_year=start).first()
    if year is None:
        raise ValidationError(f"No academic year {label} is recorded in Practica.")
    return year


def find_organisation(code: str) -> Organisation:
    """The organisation with ``code`` (any case); ValidationError otherwise."""
    organisation = (
        Organisation.objects.unscoped("an allocation run is narrowed by an organisation's code")
        .filter(code__iexact=code.strip())
        .first()
    )
    if organisation is None:
        raise ValidationError(f"There is no organisation with the code {code}.")
    return organisation


def _setting_key(organisation: int, team: int | None, setting: str) -> tuple[int, int, str]:
    return organisation, team if team is not None else NONE, setting.strip().lower()


def build_run(*, year: AcademicYear, organisation: Organisation | None = None) -> AllocationRun:
    """Reads the year's open offers and the students needing a placement (narrowed to
    ``organisation``: its students if it is a university, else its offers), builds the engine's
    problem and solves it."""
    offers_qs = PlacementOffer.objects.unscoped(RUN).filter(academic_year=year)
    students_qs = Student.objects.unscoped(RUN).filter(stage__in=NEEDS)
    if organisation is not None and organisation.is_hei:
        students_qs = students_qs.filter(hei=organisation)
    elif organisation is not None:
        offers_qs = offers_qs.filter(organisation=organisation)

    # -- offers with slots left: slots minus the placements that fill them
    offer_rows = list(
        offers_qs.annotate(
            filled=Count("placements", filter=Q(placements__status__in=FILLING_STATUSES))
        )
        .order_by("pk")
        .values_list(
            "pk",
            "slots",
            "filled",
            "routes",
            "placement_type",
            "location__name",
            "team_id",
            "organisation_id",
            "setting",
            "service_area_id",
            "practice_educator__peps_stage",
            "team__name",
            "organisation__code",
        )
    )
    offer_rows = [row for row in offer_rows if row[1] > row[2]]

    # -- students needing a placement of their stage's type this year, not already placed
    # (a requested placement of that type is still to be matched, so it does not count)
    taken = (
        Placement.objects.unscoped(RUN)
        .filter(academic_year=year)
        .exclude(status__in=[PlacementStatus.REQUESTED, PlacementStatus.ENDED_EARLY])
        .values_list("student_id", "placement_type")
    )
    placed = set(taken)
    student_rows = [
        row
        for row in students_qs.order_by("pk").values_list(
            "pk",
            "route",
            "stage",
            "home_location",
            "travel_limit_minutes",
            "employer_team_id",
            "student_ref",
            "hei__code",
        )
        if (row[0], row[2]) not in placed
    ]

    # -- settings: an offer's setting is its organisation, team and setting; a final placement
    # goes elsewhere than the student's first (any year, unless it ended early)
    settings: dict[tuple[int, int, str], int] = {}
    offer_setting = [
        settings.setdefault(_setting_key(r[7], r[6], r[8]), len(settings)) for r in offer_rows
    ]
    finals = [r[0] for r in student_rows if r[2] == StudentStage.FINAL_100]
    first_setting = {
        student: settings.get(_setting_key(organisation_id, team, setting), NONE)
        for student, organisation_id, team, setting in Placement.objects.unscoped(RUN)
        .filter(student_id__in=finals, placement_type=PlacementType.FIRST_70)
        .exclude(status=PlacementStatus.ENDED_EARLY)
        .values_list("student_id", "organisation_id", "team_id", "setting")
    }

    # -- towns: the students' home towns and the offers' locations, as codes of one matrix
    towns: dict[str, int] = {}

    def town(name: str | None) -> int:
        key = " ".join((name or "").split()).lower()
        return towns.setdefault(key, len(towns)) if key else NONE

    student_town = np.array([town(r[3]) for r in student_rows], dtype=np.int64)
    offer_town = np.array([town(r[5]) for r in offer_rows], dtype=np.int64)
    journeys = JourneyTimes.load()
    names = list(towns)
    matrix = np.full((len(names), len(names)), NONE, dtype=np.int64)
    for a in np.unique(student_town[student_town >= 0]):
        for b in np.unique(offer_town[offer_town >= 0]):
            minutes = journeys.journey(names[a], names[b]).minutes
            matrix[a, b] = NONE if minutes is None else minutes

    students = Students.build(
        ids=[r[0] for r in student_rows],
        route=[ROUTES[r[1]] for r in student_rows],
        needs_type=[TYPES[r[2]] for r in student_rows],
        location=student_town,
        travel_limit=[NONE if r[4] is None else r[4] for r in student_rows],
        employer_team=[NONE if r[5] is None else r[5] for r in student_rows],
        previous_setting=[first_setting.get(r[0], NONE) for r in student_rows],
    )
    areas = {area: code for code, area in enumerate(sorted({r[9] for r in offer_rows if r[9]}))}
    offers = Offers.build(
        ids=[r[0] for r in offer_rows],
        slots=[r[1] - r[2] for r in offer_rows],
        routes=[
            route_mask([ROUTES[route] for route in (r[3] or Route.values)]) for r in offer_rows
        ],
        placement_type=[TYPES[r[4]] for r in offer_rows],
        location=offer_town,
        team=[NONE if r[6] is None else r[6] for r in offer_rows],
        setting=offer_setting,
        service_area=[areas.get(r[9], NONE) for r in offer_rows],
        pe_stage=[PE_STAGES.get(r[10] or "", 0) for r in offer_rows],
        provider=[r[7] for r in offer_rows],
    )
    offer_names = {
        r[0]: OfferRow(pk=r[0], setting=_offer_setting_name(r[11], r[8]), organisation=r[12])
        for r in offer_rows
    }
    labels = Labels(
        offers=[offer_names[r[0]].setting for r in offer_rows],
        routes={code: Route(route).label for route, code in ROUTES.items()},
        placement_types={code: PlacementType(kind).label for kind, code in TYPES.items()},
    )
    problem = Problem(students, offers, Travel(matrix), labels=labels)
    return AllocationRun(
        year=year,
        organisation=organisation,
        problem=problem,
        result=solve(problem),
        students={r[0]: StudentRow(pk=r[0], ref=r[6], hei=r[7], needs=r[2]) for r in student_rows},
        offers=offer_names,
    )


def _offer_setting_name(team: str | None, setting: str) -> str:
    if team and setting:
        return f"{team} – {setting}"
    return setting or team or ""


@transaction.atomic
def apply_proposals(*, actor: User | None, run: AllocationRun) -> list[Placement]:
    """Writes every proposal as a *matched* placement through the lifecycle services (a
    requested placement of the student's type is matched; otherwise one is requested and
    matched, and only the match is notified), all or nothing. Coordinators review and confirm them as any other match."""
    proposals = {a.student_id: a.offer_id for a in run.result.assignments}
    students = Student.objects.unscoped(RUN).select_related("person").in_bulk(list(proposals))
    offers = (
        PlacementOffer.objects.unscoped(RUN)
        .select_related("organisation", "team", "practice_educator", "onsite_supervisor")
        .in_bulk(list(proposals.values()))
    )
    requested = {
        placement.student_id: placement
        for placement in Placement.objects.unscoped(RUN).filter(
            student_id__in=list(proposals),
            academic_year=run.year,
            status=PlacementStatus.REQUESTED,
        )
        if placement.placement_type == students[placement.student_id].stage
    }
    placements = []
    for student_id, offer_id in proposals.items():
        offer = offers[offer_id]
        # a new request is recorded quietly: the match below is what people hear of
        placement = requested.get(student_id) or services.record_placement(
            actor=actor,
            student=students[student_id],
            academic_year=run.year,
            placement_type=offer.placement_type,
            status=PlacementStatus.REQUESTED,
            organisation=offer.organisation,
            team=offer.team,
            setting=offer.setting,
            days=offer.days,
        )
        placements.append(services.match_placement(actor=actor, placement=placement, offer=offer))
    return placements
