"""Rules that couple students (Step Up's two placements, quotas per university): the
integer program against a brute force, and examples."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from practica.placements.allocation import (
    NONE,
    Offers,
    Problem,
    Quota,
    Stage,
    Students,
    Travel,
    Weights,
    solve,
)
from practica.placements.allocation.coupled import coupled_result, repaired
from practica.placements.allocation.feasibility import build_edges
from practica.placements.tests.test_allocation_properties import (
    Tiny,
    allowed,
    cost,
    fits,
    tiny_problems,
)

TRAVEL_ONLY = Weights(preference_step=0, unranked_area=0, pe_stage_shortfall=0)


def keeps_coupled_rules(p: Problem, choice: tuple[int, ...]) -> bool:
    index = {int(i): n for n, i in enumerate(p.students.ids.tolist())}
    for first, final in p.couples:
        a, b = choice[index[first]], choice[index[final]]
        if (a == NONE) != (b == NONE):
            return False
        if a != NONE and p.offers.setting[a] == p.offers.setting[b]:
            return False
    for quota in p.quotas:
        inside = [
            i
            for i, j in enumerate(choice)
            if j != NONE
            and p.students.hei[i] == quota.hei
            and quota.provider in (NONE, int(p.offers.provider[j]))
        ]
        if len(inside) > quota.limit:
            return False
    return True


def brute_force(p: Problem) -> tuple[int, int, int]:
    n, m = len(p.students), len(p.offers)
    pins = {
        int(np.flatnonzero(p.students.ids == s)[0]): int(np.flatnonzero(p.offers.ids == o)[0])
        for s, o in p.pinned
    }
    options = [
        [pins[i]] if i in pins else [NONE, *[j for j in range(m) if allowed(p, i, j)]]
        for i in range(n)
    ]
    best = (1, 0, 0)
    for choice in itertools.product(*options):
        if fits(p, choice) and keeps_coupled_rules(p, choice):
            costs = [cost(p, i, j) for i, j in enumerate(choice) if j != NONE]
            best = min(best, (-len(costs), max(costs, default=0), sum(costs)))
    return -best[0], best[1], best[2]


@st.composite
def coupled_problems(draw: st.DrawFn) -> Problem:
    tiny: Tiny = draw(tiny_problems())
    p = tiny.problem
    n, m = len(p.students), len(p.offers)
    students = dataclasses.replace(
        p.students, hei=np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    )
    offers = dataclasses.replace(
        p.offers, provider=np.array(draw(st.lists(st.integers(0, 1), min_size=m, max_size=m)))
    )
    ids = p.students.ids.tolist()
    couples = [(ids[0], ids[1])] if n >= 2 and draw(st.booleans()) else []
    quotas = [
        Quota(hei=draw(st.integers(0, 1)), limit=draw(st.integers(0, 2)), provider=provider)
        for provider in draw(st.lists(st.sampled_from([NONE, 0, 1]), max_size=2))
    ]
    if not couples and not quotas:
        quotas = [Quota(hei=0, limit=1)]
    return dataclasses.replace(
        p, students=students, offers=offers, couples=couples, quotas=quotas, pinned=()
    )


@settings(deadline=None, max_examples=60)
@given(coupled_problems())
def test_the_integer_program_reaches_the_brute_force_optimum_under_coupled_rules(
    p: Problem,
) -> None:
    result = solve(p)
    assert result.optimal
    assert all(stage.proven for stage in result.stages)
    objective = result.objective
    assert (objective.placed, objective.worst_cost, objective.total_cost) == brute_force(p)
    assert keeps_coupled_rules(p, tuple(result.offer_of.tolist()))
    assert fits(p, tuple(result.offer_of.tolist()))
    for i, j in enumerate(result.offer_of.tolist()):
        assert j == NONE or allowed(p, i, j)
    assert len(result.unplaced) == objective.unplaced
    # a quota named as the reason is full, of the student's university
    for unplaced in result.unplaced:
        if unplaced.binding == "quota":
            i = int(p.student_index([unplaced.student_id])[0])
            named = [q for q in p.quotas if f"{q.words()} is full" in unplaced.reason]
            assert named
            for q in named:
                assert q.hei == p.students.hei[i]
                inside = [
                    k
                    for k, j in enumerate(result.offer_of.tolist())
                    if j != NONE
                    and p.students.hei[k] == q.hei
                    and q.provider in (NONE, int(p.offers.provider[j]))
                ]
                assert len(inside) == q.limit


def step_up(**problem: object) -> Problem:
    """One Step Up student as two entries (10: first placement, 11: final), two offers in
    setting 1 (near) and one in setting 2 (far)."""
    return Problem(
        students=Students.build(
            ids=[10, 11], route=[0, 0], needs_type=[0, 1], location=[0, 0], hei=[1, 1]
        ),
        offers=Offers.build(
            ids=[100, 101, 102],
            slots=[1, 1, 1],
            routes=[1, 1, 1],
            placement_type=[0, 1, 1],
            location=[1, 1, 2],
            setting=[1, 1, 2],
            provider=[5, 5, 6],
        ),
        travel=Travel.from_triples(3, [0, 0], [1, 2], [10, 50]),
        weights=TRAVEL_ONLY,
        **problem,  # type: ignore[arg-type]  # keyword arguments of Problem
    )


def test_a_step_up_students_two_placements_are_in_different_settings() -> None:
    assert dict(enumerate(solve(step_up()).offer_of.tolist())) == {0: 0, 1: 1}
    result = solve(step_up(couples=[(10, 11)]))
    assert dict(enumerate(result.offer_of.tolist())) == {0: 0, 1: 2}
    assert result.optimal
    assert result.proof is None
    assert [stage.name for stage in result.stages] == [
        "most placed",
        "least worst cost",
        "least total cost",
    ]
    assert all(
        a.explanation.endswith("integer program: proven optimal") for a in result.assignments
    )


def test_a_step_up_student_is_placed_twice_or_not_at_all() -> None:
    result = solve(step_up(couples=[(10, 11)], forbidden=[(11, 102)]))
    assert result.objective.placed == 0
    assert {u.binding for u in result.unplaced} == {"coupled_rule"}
    assert "other Step Up placement" in result.unplaced[0].reason


def test_a_university_quota_with_a_provider_caps_its_students_there() -> None:
    result = solve(step_up(quotas=[Quota(hei=1, provider=5, limit=1)]))
    assert dict(enumerate(result.offer_of.tolist())) == {0: 0, 1: 2}


def test_a_student_left_out_by_a_quota_is_told_which_quota_is_full() -> None:
    quota = Quota(hei=1, provider=5, limit=0, name="the quota of 0 for Northbridge with Eastshire")
    result = solve(step_up(quotas=[quota], forbidden=[(11, 102)]))
    assert dict(enumerate(result.offer_of.tolist())) == {0: NONE, 1: NONE}
    assert {u.binding for u in result.unplaced} == {"quota"}
    assert all(
        u.reason == "the quota of 0 for Northbridge with Eastshire is full" for u in result.unplaced
    )


def test_an_unproven_integer_program_result_is_never_called_optimal() -> None:
    problem = step_up(couples=[(10, 11)])
    edges = build_edges(problem)
    stages = (
        Stage("most placed", 2, 2, proven=True),
        Stage("least worst cost", 50, 40, proven=False),
        Stage("least total cost", 60, 60, proven=True),
    )
    offer_of = np.array([0, 2])
    result = coupled_result(problem, edges, offer_of, np.full(2, NONE), stages, {})
    assert not result.optimal
    assert stages[1].gap == 0.2
    assert all(
        "not proven optimal (least worst cost: gap 20.0%)" in a.explanation
        for a in result.assignments
    )


def test_when_the_flow_optimum_keeps_the_coupled_rules_no_integer_program_is_run() -> None:
    result = solve(step_up(quotas=[Quota(hei=1, limit=2)]))
    assert result.optimal
    assert "most_placed" not in result.timings
    assert [stage.proven for stage in result.stages] == [True, True, True]


def test_the_integer_programs_start_keeps_the_coupled_rules() -> None:
    problem = step_up(couples=[(10, 11)], quotas=[Quota(hei=1, limit=1, provider=6)])
    start = repaired(problem, np.array([0, 1]), np.full(2, NONE))  # same setting: both out
    assert start.tolist() == [NONE, NONE]
    problem = step_up(quotas=[Quota(hei=1, limit=1, provider=5)])
    assert repaired(problem, np.array([0, 1]), np.full(2, NONE)).tolist() == [0, NONE]
