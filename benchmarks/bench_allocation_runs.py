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
from typing import TYPE_CHECKING

import numpy as np

from benchmarks.__main__ import Result

if TYPE_CHECKING:
    from practica.core.models import AcademicYear, Organisation, Partnership

STUDENTS = int(os.environ.get("PRACTICA_BENCH_E2E_STUDENTS", "15000"))
TOWNS = 600
SQUARE_KM = 333.0  # 500 minutes at the fallback's 40 km/h, as bench_allocation's square
LIMITS = (12, 20)  # minutes: about ten allowed offers per student, as bench_allocation
TARGET_SECONDS = 3.0  # issue 12: end to end at 15,000 students
CORE_STEPS = ("max_flow", "bottleneck", "min_cost_flow")


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
        partnership=partnership, code="BENCHU", name="Bench University", kind="hei"
    )
    provider = Organisation.objects.create(
        partnership=partnership, code="BENCHLA", name="Bench Council", kind="local_authority"
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


def run() -> list[Result]:
    from practica.placements import allocation_runs
    from practica.placements.allocation import solve
    from practica.placements.allocation_models import AllocationRun, RunStatus
    from practica.placements.runs import services

    partnership, hei, year, setup = build(STUDENTS)
    record = AllocationRun.objects.create(
        partnership=partnership, organisation=hei, academic_year=year
    )
    started = time.perf_counter()
    services.execute_run(record)
    end_to_end = time.perf_counter() - started
    record.refresh_from_db()
    assert record.status == RunStatus.FINISHED, record.error
    outcome = allocation_runs.build_run(year=year, organisation=hei, partnership=partnership)
    timings = solve(outcome.problem, price_of_fairness=False).timings
    core = sum(timings[step] for step in CORE_STEPS)
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
    if STUDENTS >= 15_000 and end_to_end > TARGET_SECONDS:
        print(
            f"FAIL allocation end to end {end_to_end:.2f} s > {TARGET_SECONDS} s at "
            f"{STUDENTS} students",
            flush=True,
        )
    return [
        Result(
            f"allocation run end to end (read, solve, write proposals), {STUDENTS} students",
            end_to_end,
            "core solve of the same problem",
            core,
        )
    ]
