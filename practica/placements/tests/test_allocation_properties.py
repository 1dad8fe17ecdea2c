"""Property tests of the allocation engine against an independent brute force.

On random tiny instances, every assignment of students to offers (or to nobody) is tried
with plain Python rules written here from the issue's wording, not from the engine's code;
the engine's lexicographic objective must equal the best one found, break no hard rule,
give every unplaced student a true binding reason and pass its own certificate.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp

from practica.placements.allocation import (
    NONE,
    Offers,
    PinError,
    Problem,
    Result,
    Students,
    Travel,
    Weights,
    solve,
)

ROUTES, TYPES, AREAS, LOCATIONS, TEAMS = 3, 2, 2, 3, 3


@dataclass(frozen=True)
class Tiny:
    problem: Problem
    pin_requested: bool


def maybe(size: int) -> st.SearchStrategy[int]:
    """A code below ``size``, or NONE."""
    return st.one_of(st.just(NONE), st.integers(0, size - 1))


@st.composite
def tiny_problems(draw: st.DrawFn) -> Tiny:
    n = draw(st.integers(0, 5))
    m = draw(st.integers(0, 4))
    pes = draw(st.integers(0, 2))
    small = st.integers
    students = Students.build(
        ids=[100 + i for i in range(n)],
        route=draw(st.lists(small(0, ROUTES - 1), min_size=n, max_size=n)),
        needs_type=draw(st.lists(small(0, TYPES - 1), min_size=n, max_size=n)),
        location=draw(st.lists(small(0, LOCATIONS - 1), min_size=n, max_size=n)),
        travel_limit=draw(st.lists(st.sampled_from([NONE, 10, 30, 60]), min_size=n, max_size=n)),
        employer_team=draw(st.lists(maybe(TEAMS), min_size=n, max_size=n)),
        previous_setting=draw(st.lists(maybe(TEAMS), min_size=n, max_size=n)),
        area_rank=np.array(
            draw(
                st.lists(
                    st.lists(small(0, 2), min_size=AREAS, max_size=AREAS), min_size=n, max_size=n
                )
            ),
            dtype=np.int64,
        ).reshape(n, AREAS),
    )
    offers = Offers.build(
        ids=[200 + j for j in range(m)],
        slots=draw(st.lists(small(0, 2), min_size=m, max_size=m)),
        routes=draw(st.lists(small(0, 2**ROUTES - 1), min_size=m, max_size=m)),
        placement_type=draw(st.lists(small(0, TYPES - 1), min_size=m, max_size=m)),
        location=draw(st.lists(small(0, LOCATIONS - 1), min_size=m, max_size=m)),
        team=draw(st.lists(small(0, TEAMS - 1), min_size=m, max_size=m)),
        setting=draw(st.lists(small(0, TEAMS - 1), min_size=m, max_size=m)),
        service_area=draw(st.lists(maybe(AREAS), min_size=m, max_size=m)),
        pe=draw(st.lists(maybe(pes) if pes else st.just(NONE), min_size=m, max_size=m)),
        pe_stage=draw(st.lists(small(0, 2), min_size=m, max_size=m)),
    )
    minutes = np.array(
        draw(
            st.lists(
                st.sampled_from([NONE, 5, 20, 40, 70]),
                min_size=LOCATIONS**2,
                max_size=LOCATIONS**2,
            )
        ),
        dtype=np.int64,
    ).reshape(LOCATIONS, LOCATIONS)
    pairs = list(itertools.product(students.ids.tolist(), offers.ids.tolist()))
    forbidden = draw(st.lists(st.sampled_from(pairs), max_size=2, unique=True)) if pairs else []
    pinned = draw(st.lists(st.sampled_from(pairs), max_size=1)) if pairs else []
    problem = Problem(
        students=students,
        offers=offers,
        travel=Travel(minutes),
        pe_capacity=np.array(draw(st.lists(small(0, 2), min_size=pes, max_size=pes)), np.int64),
        pinned=pinned,
        forbidden=forbidden,
        unknown_travel=draw(st.sampled_from(["allow", "exclude"])),
        weights=Weights(preference_step=draw(small(0, 20)), pe_stage_shortfall=draw(small(0, 20))),
    )
    return Tiny(problem, bool(pinned))


def allowed(p: Problem, i: int, j: int) -> bool:
    """The hard rules, pair by pair, in plain Python."""
    s, o = p.students, p.offers
    minutes = int(p.travel.minutes[s.location[i], o.location[j]])
    limit = int(s.travel_limit[i])
    pe = int(o.pe[j])
    return (
        s.needs_type[i] == o.placement_type[j]
        and bool((int(o.routes[j]) >> int(s.route[i])) & 1)
        and o.slots[j] > 0
        and (pe == NONE or p.pe_capacity[pe] > 0)
        and (s.employer_team[i] == NONE or s.employer_team[i] != o.team[j])
        and (s.previous_setting[i] == NONE or s.previous_setting[i] != o.setting[j])
        and (limit == NONE or minutes == NONE or minutes <= limit)
        and (limit == NONE or minutes != NONE or p.unknown_travel == "allow")
        and (int(s.ids[i]), int(o.ids[j])) not in set(p.forbidden)
    )


def cost(p: Problem, i: int, j: int) -> int:
    """A pair's cost, from the Weights docstring, in plain Python."""
    s, o, w = p.students, p.offers, p.weights
    area = int(o.service_area[j])
    rank = int(s.area_rank[i][area]) if area != NONE else 0
    preference = (rank - 1) * w.preference_step if rank else w.unranked_area
    minutes = int(p.travel.minutes[s.location[i], o.location[j]])
    limit = int(s.travel_limit[i])
    if minutes == NONE:
        minutes = limit if limit != NONE else w.unknown_travel_minutes
    return (
        preference
        + minutes * w.travel_minute
        + max(0, 2 - int(o.pe_stage[j])) * w.pe_stage_shortfall
    )


def fits(p: Problem, choice: tuple[int, ...]) -> bool:
    """Slots and PE capacity respected by an assignment (offer index or NONE per student)."""
    taken = [j for j in choice if j != NONE]
    for j in set(taken):
        if taken.count(j) > p.offers.slots[j]:
            return False
    pes = [int(p.offers.pe[j]) for j in taken if p.offers.pe[j] != NONE]
    return all(pes.count(pe) <= p.pe_capacity[pe] for pe in set(pes))


def brute_force(p: Problem) -> tuple[tuple[int, int, int] | None, int | None]:
    """The best (−placed, worst cost, total cost) over every assignment, and the cheapest
    total placing as many with no bound on the worst; None if pins cannot be honoured."""
    n, m = len(p.students), len(p.offers)
    pins = {
        int(np.flatnonzero(p.students.ids == s)[0]): int(np.flatnonzero(p.offers.ids == o)[0])
        for s, o in p.pinned
    }
    options = [
        [pins[i]] if i in pins else [NONE, *[j for j in range(m) if allowed(p, i, j)]]
        for i in range(n)
    ]
    best: tuple[int, int, int] | None = None
    unfair: tuple[int, int] | None = None
    for choice in itertools.product(*options):
        if any(i in pins and not allowed(p, i, pins[i]) for i in range(n)) or not fits(p, choice):
            continue
        costs = [cost(p, i, j) for i, j in enumerate(choice) if j != NONE]
        key = (-len(costs), max(costs, default=0), sum(costs))
        best = key if best is None or key < best else best
        plain = (-len(costs), sum(costs))
        unfair = plain if unfair is None or plain < unfair else unfair
    return best, None if unfair is None else unfair[1]


def check_result(p: Problem, result: Result) -> None:
    """No hard rule broken, capacities kept, objective parts consistent, reasons true."""
    offer_of = result.offer_of
    placed = [i for i in range(len(p.students)) if offer_of[i] != NONE]
    for i in placed:
        assert allowed(p, i, int(offer_of[i]))
    assert fits(p, tuple(int(j) for j in offer_of))
    costs = [cost(p, i, int(offer_of[i])) for i in placed]
    assert result.objective.total_cost == sum(costs)
    assert result.objective.worst_cost == max(costs, default=0)
    assert {a.student_id for a in result.assignments} == {int(p.students.ids[i]) for i in placed}
    assert all(a.explanation for a in result.assignments)
    assert result.proof is not None
    assert result.proof.min_reduced_cost >= 0
    free_placed = sum(not a.pinned for a in result.assignments)
    below = result.proof.placed_below_worst
    assert below is None or below < free_placed
    for unplaced in result.unplaced:
        i = int(np.flatnonzero(p.students.ids == unplaced.student_id)[0])
        open_offers = [j for j in range(len(p.offers)) if allowed(p, i, j)]
        assert unplaced.reason
        if unplaced.binding == "no_feasible_offer":
            assert not open_offers
            assert sum(unplaced.rejected.values()) == len(p.offers)
        else:
            assert unplaced.binding == "offers_full"
            assert sorted(unplaced.full_offers) == sorted(int(p.offers.ids[j]) for j in open_offers)
            for j in open_offers:  # every one of them would break a capacity if added
                assert not fits(p, (*offer_of.tolist(), j))


@settings(deadline=None, max_examples=150)
@given(tiny_problems())
def test_the_engine_reaches_the_brute_force_optimum_and_breaks_no_rule(tiny: Tiny) -> None:
    p = tiny.problem
    best, unfair_total = brute_force(p)
    if best is None:  # the pin breaks a hard rule or overfills its offer
        with pytest.raises(PinError):
            solve(p)
        return
    result = solve(p)
    objective = result.objective
    assert (-objective.placed, objective.worst_cost, objective.total_cost) == best
    assert objective.total_cost_without_fairness == unfair_total
    assert objective.price_of_fairness is not None
    assert objective.price_of_fairness >= 0
    check_result(p, result)
    lean = solve(p, price_of_fairness=False)
    assert lean.objective.total_cost_without_fairness is None
    assert (lean.objective.placed, lean.objective.worst_cost, lean.objective.total_cost) == (
        objective.placed,
        objective.worst_cost,
        objective.total_cost,
    )
    for pinned_student, pinned_offer in p.pinned:
        i = int(np.flatnonzero(p.students.ids == pinned_student)[0])
        assert int(p.offers.ids[result.offer_of[i]]) == pinned_offer


def random_problem(seed: int, n: int, m: int) -> Problem:
    """A random instance too large for brute force (shared PEs, unknown journeys, forbids)."""
    rng = np.random.default_rng(seed)
    pes = max(1, m // 2)
    minutes = rng.choice([NONE, 5, 15, 25, 40, 60], size=(6, 6))
    students = Students.build(
        ids=np.arange(n) + 1,
        route=rng.integers(0, ROUTES, n),
        needs_type=rng.integers(0, TYPES, n),
        location=rng.integers(0, 6, n),
        travel_limit=rng.choice([NONE, 20, 30, 45], n),
        employer_team=np.where(rng.random(n) < 0.2, rng.integers(0, m, n), NONE),
        previous_setting=np.where(rng.random(n) < 0.3, rng.integers(0, m, n), NONE),
        area_rank=rng.integers(0, 4, (n, 3)),
    )
    offers = Offers.build(
        ids=np.arange(m) + 1000,
        slots=rng.integers(0, 4, m),
        routes=rng.integers(0, 2**ROUTES, m),
        placement_type=rng.integers(0, TYPES, m),
        location=rng.integers(0, 6, m),
        team=np.arange(m),
        setting=rng.integers(0, m, m),
        service_area=rng.integers(-1, 3, m),
        pe=np.where(rng.random(m) < 0.8, rng.integers(0, pes, m), NONE),
        pe_stage=rng.integers(0, 3, m),
    )
    forbidden = [(int(rng.integers(1, n + 1)), int(rng.integers(1000, 1000 + m))) for _ in range(3)]
    return Problem(
        students,
        offers,
        Travel(minutes),
        pe_capacity=rng.integers(0, 5, pes),
        forbidden=forbidden,
        unknown_travel=str(rng.choice(["allow", "exclude"])),  # type: ignore[arg-type]  # one of the two literals
    )


def optimum(solution: OptimizeResult) -> float:
    assert solution.success, solution.message
    assert solution.fun is not None
    return float(solution.fun)


def with_zero_column(matrix: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.hstack([matrix, np.zeros((matrix.shape[0], 1))])


def milp_optimum(p: Problem) -> tuple[int, int, int]:
    """(placed, worst cost, total cost) by three integer programs (SciPy's HiGHS), each
    keeping the optimum of the ones before: the independent exact solve."""
    pairs = [
        (i, j) for i in range(len(p.students)) for j in range(len(p.offers)) if allowed(p, i, j)
    ]
    if not pairs:
        return 0, 0, 0
    costs = np.array([cost(p, i, j) for i, j in pairs], float)
    rows = [[1.0 if i == s else 0.0 for i, _ in pairs] for s in range(len(p.students))]
    limits = [1.0] * len(p.students)
    for j in range(len(p.offers)):
        rows.append([1.0 if o == j else 0.0 for _, o in pairs])
        limits.append(float(p.offers.slots[j]))
    for pe in range(p.pe_capacity.shape[0]):
        rows.append([1.0 if p.offers.pe[o] == pe else 0.0 for _, o in pairs])
        limits.append(float(p.pe_capacity[pe]))
    capacity = LinearConstraint(np.array(rows), -np.inf, np.array(limits))
    ones = np.ones(len(pairs))
    binary = np.ones(len(pairs), np.int64)
    most = milp(-ones, constraints=[capacity], integrality=binary, bounds=Bounds(0, 1))
    placed = round(-optimum(most))
    # worst cost: variables x and z; z >= cost_e * x_e
    width = len(pairs) + 1
    worst_rows = np.hstack([np.diag(costs), -np.ones((len(pairs), 1))])
    worst = milp(
        np.r_[np.zeros(len(pairs)), 1.0],
        constraints=[
            LinearConstraint(with_zero_column(np.array(rows)), -np.inf, np.array(limits)),
            LinearConstraint(np.r_[ones, 0.0][None, :], placed, placed),
            LinearConstraint(worst_rows, -np.inf, 0),
        ],
        integrality=np.r_[binary, 0],
        bounds=Bounds(np.zeros(width), np.r_[np.ones(len(pairs)), np.inf]),
    )
    bound = round(optimum(worst))
    total = milp(
        costs,
        constraints=[capacity, LinearConstraint(ones[None, :], placed, placed)],
        integrality=binary,
        bounds=Bounds(0, np.where(costs <= bound, 1.0, 0.0)),
    )
    return placed, bound, round(optimum(total))


@settings(deadline=None, max_examples=25)
@given(st.integers(0, 2**32 - 1), st.integers(5, 30), st.integers(2, 12))
def test_the_engine_matches_an_independent_integer_program_on_larger_instances(
    seed: int, n: int, m: int
) -> None:
    p = random_problem(seed, n, m)
    result = solve(p)
    objective = result.objective
    assert (objective.placed, objective.worst_cost, objective.total_cost) == milp_optimum(p)
    check_result(p, result)
