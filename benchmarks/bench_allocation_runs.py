"""An allocation run end to end through the database (docs/0028-allocation-runs.md): read the
year's offers and students with the adapter's bulk queries, solve, and write the proposals and
unplaced students with their explanations (``runs.services.execute_run``), against the core
solve (max flow, bottleneck search, min-cost flow) of the same problem in the same run.

The instance is written to the benchmark database first (bulk inserts, timed and printed):
towns with coordinates (journeys come from the great-circle estimate), students of one
university with a home town and travel limit, offers of one local authority of three slots,
two placement types and seven routes as in the national instance of bench_allocation. Offers
name no practice educator (each would take one student at a time: docs/0028).
``PRACTICA_BENCH_E2E_STUDENTS`` sets the number of students (default 15,000, the national
size, whose setup takes well under a minute; offers are two fifths of it)."""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from benchmarks.__main__ import Result

if TYPE_CHECKING:
    from practica.core.models import AcademicYear, Organisation, Partnership
    from practica.placements.allocation_models import AllocationRun as AllocationRunRecord

STUDENTS = int(os.environ.get("PRACTICA_BENCH_E2E_STUDENTS", "15000"))
TOWNS = 600
SQUARE_KM = 333.0  # 500 minutes at the fallback's 40 km/h, as bench_allocation's square
LIMITS = (12, 20)  # minutes: about ten allowed offers per student, as bench_allocation
TARGET_SECONDS = 3.0  # issue 12: end to end at 15,000 students
CORE_STEPS = ("max_flow", "bottleneck", "min_cost_flow")
REPEATS = int(os.environ.get("PRACTICA_BENCH_E2E_REPEATS", "2"))


def build(students: int, seed: int = 4) -> tuple[Partnership, Organisation, AcademicYear, float]:
    """The instance in the database: (partnership, university, academic year, seconds)."""
    from practica.core.models import Location, Organisation, Partnership, Person
    from practica.core.services import ensure_academic_year
    from practica.placements.models import PlacementOffer, PlacementType, Route, Student

    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    offers = students * 2 // 5
    partnership = Partnership.objects.create(name="Bench partnership")
    hei = Organisation.objects.create(
        partnership=partnership, code="RUNSU", name="Bench University", kind="hei"
    )
    provider = Organisation.objects.create(
        partnership=partnership, code="RUNSLA", name="Bench Council", kind="local_authority"
    )
    year = ensure_academic_year(start_year=2040)
    xy = rng.uniform(0, SQUARE_KM, (TOWNS, 2))
    latitude = 51.0 + xy[:, 1] / 111.2
    longitude = -3.0 + xy[:, 0] / (111.2 * math.cos(math.radians(52.5)))
    towns = Location.objects.bulk_create(
        Location(
            organisation=provider,
            name=f"Town {t}",
            latitude=round(float(latitude[t]), 5),
            longitude=round(float(longitude[t]), 5),
        )
        for t in range(TOWNS)
    )
    routes = list(Route.values)
    types = [PlacementType.FIRST_70, PlacementType.FINAL_100]
    people = Person.objects.bulk_create(
        Person(organisation=hei, first_name="Student", last_name=str(i)) for i in range(students)
    )
    home = rng.integers(0, TOWNS, students)
    route = rng.integers(0, len(routes), students)
    need = rng.integers(0, 2, students)
    # a Step Up student needing their first placement would be placed with their final one
    # as a couple (the integer program, meant for cohorts of hundreds): here they need a final
    need[np.asarray(routes)[route] == Route.STEP_UP] = 1
    limit = rng.integers(*LIMITS, students)
    Student.objects.bulk_create(
        Student(
            person=person,
            hei=hei,
            student_ref=f"B{i:06d}",
            route=routes[route[i]],
            year_of_study=2,
            home_location=f"Town {home[i]}",
            travel_limit_minutes=int(limit[i]),
            stage=types[need[i]],
        )
        for i, person in enumerate(people)
    )
    where = rng.integers(0, TOWNS, offers)
    kind = rng.integers(0, 2, offers)
    accepts = rng.random((offers, len(routes))) < 0.8
    PlacementOffer.objects.bulk_create(
        PlacementOffer(
            organisation=provider,
            academic_year=year,
            placement_type=types[kind[j]],
            days=70 if kind[j] == 0 else 100,
            slots=3,
            setting=f"Setting {j}",
            location=towns[where[j]],
            routes=[r for r, yes in zip(routes, accepts[j], strict=True) if yes],
        )
        for j in range(offers)
    )
    return partnership, hei, year, time.perf_counter() - started


@dataclass
class Clock:
    """Wall-clock and process CPU seconds of each phase, and the time spent inside database
    calls (queries and fetching their rows) with their number."""

    wall: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    db: dict[str, float] = field(default_factory=dict)
    queries: dict[str, int] = field(default_factory=dict)
    phase: str = ""

    def timed[T](self, phase: str, work: Callable[[], T]) -> T:
        from django.db import connection

        self.phase = phase
        self.db.setdefault(phase, 0.0)
        self.queries.setdefault(phase, 0)
        wall, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(self.wrapper):
            value = work()
        self.wall[phase] = time.perf_counter() - wall
        self.cpu[phase] = time.process_time() - cpu
        return value

    def wrapper(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.db[self.phase] += time.perf_counter() - started
            self.queries[self.phase] += 1

    def line(self, phase: str) -> str:
        return (
            f"{phase} {self.wall[phase]:.3f} s wall, {self.cpu[phase]:.3f} s CPU, "
            f"{self.db[phase]:.3f} s in {self.queries[phase]} database calls"
        )


def phases(record: AllocationRunRecord) -> tuple[Clock, Any]:
    """``execute_run``'s steps one by one, each timed: read, solve, store (and commit)."""
    from django.db import transaction

    from practica.placements import allocation_runs
    from practica.placements.runs import services

    clock = Clock()
    constraints = clock.timed("constraints", lambda: services.constraints_of(record))
    read = clock.timed(
        "read",
        lambda: allocation_runs.read_input(
            year=record.academic_year,
            organisation=record.organisation,
            partnership=record.partnership,
        ),
    )
    outcome = clock.timed("solve", read.solved)

    def store() -> None:
        with transaction.atomic():
            services.store(record, outcome, constraints, seconds=0.0)

    clock.timed("store", store)
    return clock, outcome


def run() -> list[Result]:
    from benchmarks.bench_allocation import raw_flow
    from practica.placements import allocation_runs
    from practica.placements.allocation import solve
    from practica.placements.allocation.feasibility import build_edges
    from practica.placements.allocation_models import AllocationRun, RunStatus
    from practica.placements.runs import services

    partnership, hei, year, setup = build(STUDENTS)
    print(f"load before the run: {os.getloadavg()[0]:.2f} (1 min), 2 cores shared", flush=True)
    results = []
    for attempt in range(REPEATS):
        record = AllocationRun.objects.create(
            partnership=partnership, organisation=hei, academic_year=year
        )
        started, cpu = time.perf_counter(), time.process_time()
        services.execute_run(record)
        end_to_end = time.perf_counter() - started
        end_to_end_cpu = time.process_time() - cpu
        record.refresh_from_db()
        assert record.status == RunStatus.FINISHED, record.error
        # the same problem's raw OR-Tools min-cost max-flow (bench_allocation's independent
        # solve, built from scratch), timed right after, for the ratio that travels
        outcome = allocation_runs.build_run(year=year, organisation=hei, partnership=partnership)
        raw = raw_flow(outcome.problem, build_edges(outcome.problem))
        timings = solve(outcome.problem, price_of_fairness=False).timings
        core = sum(timings[step] for step in CORE_STEPS)
        print(
            f"run {attempt + 1}: end to end {end_to_end:.3f} s wall, {end_to_end_cpu:.3f} s CPU "
            f"of this process (load {os.getloadavg()[0]:.2f}); raw OR-Tools min-cost flow "
            f"{raw.seconds:.3f} s, so {end_to_end / raw.seconds:.2f} x raw; core solve "
            f"{core:.3f} s",
            flush=True,
        )
        results.append((end_to_end, raw.seconds, core, record))
    end_to_end, raw_seconds, core, record = min(results, key=lambda r: r[0] / r[1])
    print(
        f"allocation run end to end through the database: {STUDENTS} students, "
        f"{int(outcome.problem.offers.slots.sum())} slots (setup {setup:.1f} s); "
        f"placed {record.placed}, unplaced {record.unplaced}, "
        f"{record.proposals.count()} proposals written with explanations",
        flush=True,
    )
    print(
        "  engine steps inside it: "
        + ", ".join(f"{k} {v:.3f} s" for k, v in outcome.result.timings.items()),
        flush=True,
    )
    spare = AllocationRun.objects.create(
        partnership=partnership, organisation=hei, academic_year=year
    )
    clock, _ = phases(spare)
    print("  phase by phase (a further run):", flush=True)
    for phase in clock.wall:
        print(f"    {clock.line(phase)}", flush=True)
    if STUDENTS >= 15_000 and end_to_end > TARGET_SECONDS:
        print(
            f"FAIL allocation end to end {end_to_end:.2f} s > {TARGET_SECONDS} s at "
            f"{STUDENTS} students (load {os.getloadavg()[0]:.2f})",
            flush=True,
        )
    return [
        Result(
            f"allocation run end to end (read, solve, write proposals), {STUDENTS} students",
            end_to_end,
            "raw OR-Tools min-cost flow of the same problem",
            raw_seconds,
        ),
        Result(
            f"allocation run end to end, {STUDENTS} students",
            end_to_end,
            "core solve of the same problem",
            core,
        ),
    ]
