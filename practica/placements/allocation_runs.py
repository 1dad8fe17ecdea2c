"""The allocation engine's database adapter: bulk reads into the engine's arrays, the solve, and
the proposals written back as matched placements (docs/0021-allocation-engine.md, "The
database adapter").

A run covers one academic year. Narrowed to an organisation, a university (HEI) places its own
students in every open offer of the year; any other organisation places every student needing a
placement in its own offers.

Students' ranked service areas (their choices in the year's preference window) weigh in the
cost of each pair. A Step Up student who needs their first placement needs their final one in
the same run: the student is two entries of the problem, the first under the student's own pk
and the final under ``pk + STEP_UP_FINAL``, joined as a couple (both placed or neither, in
different settings), which sends the run to the engine's integer program.
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
    Quota,
    Result,
    Students,
    Travel,
    route_mask,
    solve,
)
from practica.placements.allocation.problem import IntArray
from practica.placements.allocation_models import PlacementQuota
from practica.placements.during.models import StudentPreference
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
# The problem's id of a Step Up student's final placement, when both are placed in one run:
# the student's pk plus this (pks stay far below it).
STEP_UP_FINAL = 1 << 40


def student_pk(entry: int) -> int:
    """The student's pk of a problem entry (a Step Up final's entry is offset)."""
    return entry - STEP_UP_FINAL if entry >= STEP_UP_FINAL else entry


@dataclass(frozen=True)
class StudentRow:
    """One entry of the problem: a student and the placement type the entry places them in."""

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
    # by the problem's entry id (a Step Up final's entry is offset: ``student_pk``)
    students: dict[int, StudentRow]
    offers: dict[int, OfferRow]
    # pins and forbids asked for whose student or offer is not in this run (placed since,
    # or the offer full): they could not be used
    unused_pins: tuple[tuple[int, int], ...] = ()
    unused_forbids: tuple[tuple[int, int], ...] = ()
    # the quotas the run kept, as sentences ("At most 1 of … in 2019/20; 0 placed before")
    quotas: tuple[str, ...] = ()


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
    return read_input(
        year=year,
        organisation=organisation,
        partnership=partnership,
        pinned=pinned,
        forbidden=forbidden,
    ).solved()


@dataclass(frozen=True)
class RunInput:
    """A run's input as read from the database, before the solve."""

    year: AcademicYear
    organisation: Organisation | None
    problem: Problem
    students: dict[int, StudentRow]
    offers: dict[int, OfferRow]
    unused_pins: tuple[tuple[int, int], ...] = ()
    unused_forbids: tuple[tuple[int, int], ...] = ()
    quotas: tuple[str, ...] = ()

    def solved(self) -> AllocationRun:
        return AllocationRun(
            year=self.year,
            organisation=self.organisation,
            problem=self.problem,
            result=solve(self.problem),
            students=self.students,
            offers=self.offers,
            unused_pins=self.unused_pins,
            unused_forbids=self.unused_forbids,
            quotas=self.quotas,
        )


def read_input(
    *,
    year: AcademicYear,
    organisation: Organisation | None = None,
    partnership: Partnership | None = None,
    pinned: Iterable[tuple[int, int]] = (),
    forbidden: Iterable[tuple[int, int]] = (),
) -> RunInput:
    """``build_run``'s reads: the problem and the words to show it, with bulk queries."""
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
    rows = students_qs.order_by("pk").values_list(
        "pk",
        "route",
        "stage",
        "home_location",
        "travel_limit_minutes",
        "employer_team_id",
        "student_ref",
        "hei__code",
        "hei_id",
    )
    # one entry per placement to make: (entry id, placement type, student row); a Step Up
    # student needing their first placement needs their final one in the same run too
    entries = [
        (row[0] if kind == row[2] else row[0] + STEP_UP_FINAL, kind, row)
        for row in rows
        for kind in (
            (StudentStage.FIRST_70, StudentStage.FINAL_100)
            if row[1] == Route.STEP_UP and row[2] == StudentStage.FIRST_70
            else (row[2],)
        )
        if (row[0], kind) not in placed
    ]
    entry_ids = [entry for entry, _, _ in entries]
    couples = [
        (row[0], entry)
        for entry, _, row in entries
        if entry >= STEP_UP_FINAL and (row[0], row[2]) not in placed
    ]
    student_rows = [row for _, _, row in entries]
    is_final = [kind == StudentStage.FINAL_100 for _, kind, _ in entries]

    # -- settings: an offer's setting is its organisation, team and setting; a final placement
    # goes elsewhere than the student's first (any year, unless it ended early)
    settings: dict[tuple[int, int, str], int] = {}
    offer_setting = [
        settings.setdefault(_setting_key(r[7], r[6], r[8]), len(settings)) for r in offer_rows
    ]
    finals = [r[0] for r, final in zip(student_rows, is_final, strict=True) if final]
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

    areas = {area: code for code, area in enumerate(sorted({r[9] for r in offer_rows if r[9]}))}
    students = Students.build(
        ids=entry_ids,
        route=[ROUTES[r[1]] for r in student_rows],
        needs_type=[TYPES[kind] for _, kind, _ in entries],
        location=student_town,
        travel_limit=[NONE if r[4] is None else r[4] for r in student_rows],
        employer_team=[NONE if r[5] is None else r[5] for r in student_rows],
        previous_setting=[
            first_setting.get(r[0], NONE) if final else NONE
            for r, final in zip(student_rows, is_final, strict=True)
        ],
        area_rank=area_ranks(year, entry_ids, areas),
        hei=[r[8] for r in student_rows],
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
    in_run_offers = {r[0]: r[4] for r in offer_rows}
    entry_set = set(entry_ids)

    def split(
        pairs: Iterable[tuple[int, int]],
    ) -> tuple[list[tuple[int, int]], tuple[tuple[int, int], ...]]:
        pairs = list(pairs)
        used = [p for p in pairs if p[0] in in_run_students and p[1] in in_run_offers]
        return used, tuple(p for p in pairs if p not in used)

    def entries_of(student: int, offer: int) -> list[int]:
        """The student's entries a pin or forbid of ``offer`` concerns, the one of the offer's
        type first (a Step Up student may have two)."""
        final = student + STEP_UP_FINAL
        found = [entry for entry in (student, final) if entry in entry_set]
        if in_run_offers[offer] == StudentStage.FINAL_100:
            found.reverse()
        return found

    # the quotas of universities with students in the run (any other cannot bind)
    heis = {r[8] for r in student_rows}
    quotas = [q for q in quotas_of(year, organisation, partnership) if q[0].hei in heis]
    pins, unused_pins = split(pinned)
    forbids, unused_forbids = split(forbidden)
    # a Step Up student's pin holds for the entry of the offer's type; a forbid for both
    pins = [(entries_of(student, offer)[0], offer) for student, offer in pins]
    forbids = [(entry, offer) for student, offer in forbids for entry in entries_of(student, offer)]
    problem = Problem(
        students,
        offers,
        Travel(matrix),
        labels=labels,
        pe_capacity=pe_capacity,
        pinned=pins,
        forbidden=forbids,
        couples=couples,
        quotas=[quota for quota, _ in quotas],
    )
    return RunInput(
        year=year,
        organisation=organisation,
        problem=problem,
        students={
            entry: StudentRow(pk=row[0], ref=row[6], hei=row[7], needs=kind)
            for entry, kind, row in entries
        },
        offers=offer_names,
        unused_pins=unused_pins,
        unused_forbids=unused_forbids,
        quotas=tuple(sentence for _, sentence in quotas),
    )


def quotas_of(
    year: AcademicYear, organisation: Organisation | None, partnership: Partnership | None
) -> list[tuple[Quota, str]]:
    """The year's quotas per university a run keeps, each as the engine's ``Quota`` (what is
    left of its limit after the placements its university's students hold already with its
    provider this year) and a sentence saying so. Narrowed like the run: a university's run
    keeps its own quotas; a provider's, the quotas with it or with any provider."""
    found = (
        PlacementQuota.objects.unscoped(RUN)
        .filter(academic_year=year)
        .select_related("hei", "provider", "academic_year")
        .order_by("hei__name", "provider__name", "pk")
    )
    if partnership is not None:
        found = found.filter(partnership=partnership)
    if organisation is not None and organisation.is_hei:
        found = found.filter(hei=organisation)
    elif organisation is not None:
        found = found.filter(Q(provider=organisation) | Q(provider__isnull=True))
    quotas = list(found)
    if not quotas:
        return []
    held: dict[tuple[int, int], int] = {}
    for hei, provider, n in (
        Placement.objects.unscoped(RUN)
        .filter(academic_year=year, student__hei_id__in={q.hei_id for q in quotas})
        .exclude(status__in=[PlacementStatus.REQUESTED, PlacementStatus.ENDED_EARLY])
        .values("student__hei_id", "organisation_id")
        .annotate(n=Count("pk"))
        .values_list("student__hei_id", "organisation_id", "n")
    ):
        held[hei, provider] = n
    rows = []
    for quota in quotas:
        before = sum(
            n
            for (hei, provider), n in held.items()
            if hei == quota.hei_id and quota.provider_id in (None, provider)
        )
        engine_quota = Quota(
            hei=quota.hei_id,
            limit=max(0, quota.limit - before),
            provider=NONE if quota.provider_id is None else quota.provider_id,
            name=quota.engine_name(),
        )
        rows.append((engine_quota, f"{quota.sentence()}; {before} placed before this run"))
    return rows


def area_ranks(year: AcademicYear, entries: list[int], areas: dict[int, int]) -> IntArray:
    """Each entry's rank of each service area (codes ``areas``: service area pk -> column) as
    the students chose them in the year's preference window (0: not ranked), from one query;
    both entries of a Step Up student carry the student's ranks."""
    ranks = np.zeros((len(entries), len(areas)), np.int64)
    if not entries or not areas:
        return ranks
    rows = np.array(
        StudentPreference.objects.unscoped(RUN)
        .filter(window__academic_year=year, service_area_id__in=list(areas))
        .values_list("student_id", "service_area_id", "rank"),
        dtype=np.int64,
    ).reshape(-1, 3)
    code = np.full(max(areas) + 1, NONE, np.int64)
    code[list(areas)] = list(areas.values())
    pks = np.array([student_pk(entry) for entry in entries], np.int64)
    order = np.argsort(pks, kind="stable")
    sorted_pks = pks[order]
    first = np.searchsorted(sorted_pks, rows[:, 0], side="left")
    count = np.searchsorted(sorted_pks, rows[:, 0], side="right") - first
    for k in (0, 1):  # a student has one entry, or two (a Step Up student's couple)
        hit = count > k
        ranks[order[first[hit] + k], code[rows[hit, 1]]] = rows[hit, 2]
    return ranks


def _offer_setting_name(team: str | None, setting: str) -> str:
    if team and setting:
        return f"{team} – {setting}"
    return setting or team or ""


def apply_proposals(*, actor: User | None, run: AllocationRun) -> list[Placement]:
    """Writes every proposal as a *matched* placement through the lifecycle services (a
    requested placement of the student's type is matched; otherwise one is requested and
    matched, and only the match is notified), all or nothing. Coordinators review and confirm
    them as any other match."""
    return apply_pairs(
        actor=actor,
        year=run.year,
        proposals=[(student_pk(a.student_id), a.offer_id) for a in run.result.assignments],
    )


@transaction.atomic
def apply_pairs(
    *, actor: User | None, year: AcademicYear, proposals: Iterable[tuple[int, int]]
) -> list[Placement]:
    """``apply_proposals`` for (student pk, offer pk) proposals, e.g. a stored run's (a Step Up
    student may have two: their first and final placements)."""
    proposals = list(proposals)
    student_ids = sorted({student for student, _ in proposals})
    students = Student.objects.unscoped(RUN).select_related("person").in_bulk(student_ids)
    offers = (
        PlacementOffer.objects.unscoped(RUN)
        .select_related("organisation", "team", "practice_educator", "onsite_supervisor")
        .in_bulk([offer for _, offer in proposals])
    )
    requested = {
        (placement.student_id, placement.placement_type): placement
        for placement in Placement.objects.unscoped(RUN).filter(
            student_id__in=student_ids,
            academic_year=year,
            status=PlacementStatus.REQUESTED,
        )
    }
    placements = []
    for student_id, offer_id in proposals:
        offer = offers[offer_id]
        # a new request is recorded quietly: the match below is what people hear of
        placement = requested.get((student_id, offer.placement_type)) or services.record_placement(
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
