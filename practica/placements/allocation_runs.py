"""The allocation engine's database adapter: bulk reads into the engine's arrays, the solve, and
the proposals written back as matched placements (docs/0021-allocation-engine.md, "The
database adapter").

A run covers one academic year. Narrowed to an organisation, a university (HEI) places its own
students in every open offer of the year; any other organisation places every student needing a
placement in its own offers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q

from practica.core import academic_years
from practica.core.models import AcademicYear, Organisation, Partnership
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
# A practice educator supervises this many students at once (no capacity is recorded per PE):
# their matched, confirmed and in-progress placements of the year take it (docs/0028).
PE_CONCURRENT_STUDENTS = 1
CONCURRENT_STATUSES = (
    PlacementStatus.MATCHED,
    PlacementStatus.CONFIRMED,
    PlacementStatus.IN_PROGRESS,
)


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
    # pins and forbids asked for whose student or offer is not in this run (placed since,
    # or the offer full): they could not be used
    unused_pins: tuple[tuple[int, int], ...] = ()
    unused_forbids: tuple[tuple[int, int], ...] = ()


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


def build_run(
    *,
    year: AcademicYear,
    organisation: Organisation | None = None,
    partnership: Partnership | None = None,
    pinned: Iterable[tuple[int, int]] = (),
    forbidden: Iterable[tuple[int, int]] = (),
) -> AllocationRun:
    """Reads the year's open offers and the students needing a placement (narrowed to
    ``organisation``: its students if it is a university, else its offers; and to the
    organisations of ``partnership``), builds the engine's problem with the coordinators'
    ``pinned`` and ``forbidden`` (student pk, offer pk) pairs and solves it (PinError when a
    pin cannot hold)."""
    offers_qs = PlacementOffer.objects.unscoped(RUN).filter(academic_year=year)
    students_qs = Student.objects.unscoped(RUN).filter(stage__in=NEEDS)
    if partnership is not None:
        offers_qs = offers_qs.filter(organisation__partnership=partnership)
        students_qs = students_qs.filter(hei__partnership=partnership)
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
            "practice_educator_id",
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
    spelt: dict[str | None, int] = {}  # each spelling read is normalised once, not per row

    def town(name: str | None) -> int:
        if name not in spelt:
            key = " ".join((name or "").split()).lower()
            spelt[name] = towns.setdefault(key, len(towns)) if key else NONE
        return spelt[name]

    student_town = np.array([town(r[3]) for r in student_rows], dtype=np.int64)
    offer_town = np.array([town(r[5]) for r in offer_rows], dtype=np.int64)
    journeys = JourneyTimes.load()
    names = list(towns)
    matrix = np.full((len(names), len(names)), NONE, dtype=np.int64)
    homes = np.unique(student_town[student_town >= 0])
    places = np.unique(offer_town[offer_town >= 0])
    matrix[np.ix_(homes, places)] = journeys.minutes_between(
        [names[a] for a in homes], [names[b] for b in places]
    )

    students = Students.build(
        ids=[r[0] for r in student_rows],
        route=[ROUTES[r[1]] for r in student_rows],
        needs_type=[TYPES[r[2]] for r in student_rows],
        location=student_town,
        travel_limit=[NONE if r[4] is None else r[4] for r in student_rows],
        employer_team=[NONE if r[5] is None else r[5] for r in student_rows],
        previous_setting=[first_setting.get(r[0], NONE) for r in student_rows],
    )
    # -- practice educators: each offer's PE is a shared capacity, less what they supervise now
    pe_ids = sorted({r[13] for r in offer_rows if r[13] is not None})
    pe_index = {pk: index for index, pk in enumerate(pe_ids)}
    busy = dict(
        Placement.objects.unscoped(RUN)
        .filter(academic_year=year, practice_educator_id__in=pe_ids, status__in=CONCURRENT_STATUSES)
        .values("practice_educator_id")
        .annotate(n=Count("pk"))
        .values_list("practice_educator_id", "n")
    )
    pe_capacity = np.array(
        [max(0, PE_CONCURRENT_STUDENTS - busy.get(pk, 0)) for pk in pe_ids], dtype=np.int64
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
        pe=[NONE if r[13] is None else pe_index[r[13]] for r in offer_rows],
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
    in_run_students = {r[0] for r in student_rows}
    in_run_offers = {r[0] for r in offer_rows}

    def split(
        pairs: Iterable[tuple[int, int]],
    ) -> tuple[list[tuple[int, int]], tuple[tuple[int, int], ...]]:
        pairs = list(pairs)
        used = [p for p in pairs if p[0] in in_run_students and p[1] in in_run_offers]
        return used, tuple(p for p in pairs if p not in used)

    pins, unused_pins = split(pinned)
    forbids, unused_forbids = split(forbidden)
    problem = Problem(
        students,
        offers,
        Travel(matrix),
        labels=labels,
        pe_capacity=pe_capacity,
        pinned=pins,
        forbidden=forbids,
    )
    return AllocationRun(
        year=year,
        organisation=organisation,
        problem=problem,
        result=solve(problem),
        students={r[0]: StudentRow(pk=r[0], ref=r[6], hei=r[7], needs=r[2]) for r in student_rows},
        offers=offer_names,
        unused_pins=unused_pins,
        unused_forbids=unused_forbids,
    )


def _offer_setting_name(team: str | None, setting: str) -> str:
    if team and setting:
        return f"{team} – {setting}"
    return setting or team or ""


def apply_proposals(*, actor: User | None, run: AllocationRun) -> list[Placement]:
    """Writes every proposal as a *matched* placement through the lifecycle services (a
    requested placement of the student's type is matched; otherwise one is requested and
    matched, and only the match is notified), all or nothing. Coordinators review and confirm them as any other match."""
    return apply_pairs(
        actor=actor,
        year=run.year,
        proposals={a.student_id: a.offer_id for a in run.result.assignments},
    )


@transaction.atomic
def apply_pairs(
    *, actor: User | None, year: AcademicYear, proposals: dict[int, int]
) -> list[Placement]:
    """``apply_proposals`` for (student pk -> offer pk) proposals, e.g. a stored run's."""
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
            academic_year=year,
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
            academic_year=year,
            placement_type=offer.placement_type,
            status=PlacementStatus.REQUESTED,
            organisation=offer.organisation,
            team=offer.team,
            setting=offer.setting,
            days=offer.days,
        )
        placements.append(services.match_placement(actor=actor, placement=placement, offer=offer))
    return placements
