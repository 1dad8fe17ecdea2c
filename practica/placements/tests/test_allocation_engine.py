"""Examples of the allocation engine's behaviour, one rule or explanation at a time."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from practica.placements import allocation
from practica.placements.allocation import (
    NONE,
    CertificateError,
    Labels,
    Offers,
    PinError,
    Problem,
    Students,
    Travel,
    Weights,
    engine,
    route_mask,
    solve,
)
from practica.placements.allocation.certificate import certify, check_cut
from practica.placements.allocation.network import (
    FlowSolution,
    Network,
    build_network,
    min_cost_max_flow,
)

MA, BA, APPRENTICE = 0, 1, 2
FIRST, FINAL = 0, 1
TRAVEL_ONLY = Weights(preference_step=0, unranked_area=0, pe_stage_shortfall=0)
LABELS = Labels(
    offers=["Team A", "Team B", "Team C", "Team D"],
    routes={MA: "MA", BA: "BA", APPRENTICE: "apprentice"},
    placement_types={FIRST: "first 70-day", FINAL: "final 100-day"},
)


def travel(minutes: dict[tuple[int, int], int], locations: int = 6) -> Travel:
    pairs = list(minutes)
    return Travel.from_triples(
        locations, [a for a, _ in pairs], [b for _, b in pairs], list(minutes.values())
    )


def students(count: int, **columns: object) -> Students:
    values: dict[str, object] = {
        "route": [MA] * count,
        "needs_type": [FINAL] * count,
        "location": list(range(count)),
    }
    values.update(columns)
    return Students.build(ids=[10 + i for i in range(count)], **values)  # type: ignore[arg-type]  # the columns are array-likes


def offers(count: int, **columns: object) -> Offers:
    values: dict[str, object] = {
        "slots": [1] * count,
        "routes": [route_mask([MA, BA, APPRENTICE])] * count,
        "placement_type": [FINAL] * count,
        "location": [4 + i for i in range(count)] if count <= 2 else list(range(count)),
    }
    values.update(columns)
    return Offers.build(ids=[100 + j for j in range(count)], **values)  # type: ignore[arg-type]  # the columns are array-likes


def two_by_two(**problem: object) -> Problem:
    """Students 10 (at 0) and 11 (at 1); Team A (at 4) and Team B (at 5), one slot each."""
    return Problem(
        students=students(2, travel_limit=[45, 45]),
        offers=offers(2),
        travel=travel({(0, 4): 10, (0, 5): 30, (1, 4): 20, (1, 5): 40}),
        weights=TRAVEL_ONLY,
        labels=LABELS,
        **problem,  # type: ignore[arg-type]  # keyword arguments of Problem
    )


def placements(result: allocation.Result) -> dict[int, int]:
    return {a.student_id: a.offer_id for a in result.assignments}


def test_an_assignment_explains_itself_as_the_closest_offer_for_the_students_route() -> None:
    result = solve(
        Problem(
            students=students(1, travel_limit=[45], area_rank=[[1]]),
            offers=offers(2, service_area=[0, 0], pe_stage=[2, 2]),
            travel=travel({(0, 4): 38, (0, 5): 44}),
            labels=LABELS,
        )
    )
    (assignment,) = result.assignments
    assert assignment.offer_id == 100
    assert assignment.explanation.startswith(
        "closest offer accepting MA final 100-day placements within 45 min; "
        "38-minute journey; first-choice service area"
    )
    assert assignment.explanation.endswith(
        "Team B would have cost 6 more, above the fairness bound of 38"
    )


def test_placing_more_students_comes_before_a_lower_cost() -> None:
    # Cheapest for 10 is Team A, but only 10 can take Team B: both are placed.
    problem = two_by_two()
    problem = Problem(
        students=students(2, travel_limit=[45, 25]),
        offers=problem.offers,
        travel=problem.travel,
        weights=TRAVEL_ONLY,
        labels=LABELS,
    )
    result = solve(problem)
    assert placements(result) == {10: 101, 11: 100}
    assert result.objective.placed == 2
    assert result.unplaced == ()


def test_the_worst_placed_student_is_helped_first_and_the_price_in_total_cost_is_reported() -> None:
    # Cheapest total: 10 -> A (0), 11 -> B (80): worst 80. Fairest: 10 -> B (60), 11 -> A (30).
    problem = Problem(
        students=students(2),
        offers=offers(2),
        travel=travel({(0, 4): 0, (0, 5): 60, (1, 4): 30, (1, 5): 80}),
        weights=TRAVEL_ONLY,
    )
    result = solve(problem)
    assert placements(result) == {10: 101, 11: 100}
    assert result.objective.worst_cost == 60
    assert result.objective.total_cost == 90
    assert result.objective.total_cost_without_fairness == 80
    assert result.objective.worst_cost_without_fairness == 80
    assert result.objective.price_of_fairness == 10
    assert result.proof is not None
    assert result.proof.placed_below_worst == 1


def test_a_student_is_never_placed_in_their_own_team_or_their_previous_setting() -> None:
    problem = Problem(
        students=students(1, route=[APPRENTICE], employer_team=[7], previous_setting=[3]),
        offers=offers(3, team=[7, 8, 9], setting=[1, 3, 2], location=[1, 1, 2]),
        travel=travel({(0, 1): 5, (0, 2): 50}),
    )
    result = solve(problem)
    assert placements(result) == {10: 102}


def test_an_unknown_journey_is_allowed_with_a_warning_that_the_limit_was_not_checked() -> None:
    problem = Problem(
        students=students(1, travel_limit=[30]),
        offers=offers(1),
        travel=travel({}),
        labels=LABELS,
    )
    result = solve(problem)
    (assignment,) = result.assignments
    assert assignment.travel_unchecked
    assert "travel limit could not be checked" in assignment.explanation
    assert result.warnings == (
        "student 10 in Team A: travel limit could not be checked (journey time unknown)",
    )


def test_an_unknown_journey_can_be_excluded_and_is_then_named_as_the_reason() -> None:
    problem = Problem(
        students=students(1, travel_limit=[30]),
        offers=offers(1),
        travel=travel({}),
        unknown_travel="exclude",
    )
    (unplaced,) = solve(problem).unplaced
    assert unplaced.binding == "no_feasible_offer"
    assert unplaced.rejected == {"travel_unknown": 1}
    assert "travel limit could not be checked" in unplaced.reason


def test_a_student_with_no_open_offer_is_told_which_constraints_ruled_each_out() -> None:
    problem = Problem(
        students=students(1, route=[BA], travel_limit=[20]),
        offers=offers(
            4,
            placement_type=[FIRST, FINAL, FINAL, FINAL],
            routes=[route_mask([BA]), route_mask([MA]), route_mask([BA]), route_mask([BA])],
            location=[1, 1, 2, 1],
        ),
        travel=travel({(0, 1): 10, (0, 2): 50}),
        forbidden=[(10, 103)],
    )
    (unplaced,) = solve(problem).unplaced
    assert unplaced.rejected == {
        "placement_type": 1,
        "route": 1,
        "travel_limit": 1,
        "forbidden": 1,
    }
    assert unplaced.reason.startswith("no offer is open to this student: of 4 offers, 1 of")


def test_a_student_whose_open_offers_are_all_taken_is_told_which() -> None:
    problem = Problem(
        students=students(2, location=[0, 0]),
        offers=offers(1),
        travel=travel({(0, 4): 10}),
        labels=LABELS,
    )
    result = solve(problem)
    (unplaced,) = result.unplaced
    assert unplaced.binding == "offers_full"
    assert unplaced.full_offers == (100,)
    assert unplaced.reason == "the one offer open to this student is taken: Team A (full)"


def test_a_cheaper_offer_the_student_did_not_get_is_named_as_full_with_its_price() -> None:
    # 10 and 11 both prefer Team A; 11 has no other option, so 10 goes to Team B.
    problem = Problem(
        students=students(2, travel_limit=[45, 15]),
        offers=offers(2),
        travel=travel({(0, 4): 10, (0, 5): 30, (1, 4): 10, (1, 5): 40}),
        weights=TRAVEL_ONLY,
        labels=LABELS,
    )
    result = solve(problem)
    assert placements(result) == {10: 101, 11: 100}
    explanation = next(a.explanation for a in result.assignments if a.student_id == 10)
    assert "Team A was full (price " in explanation
    assert result.proof is not None
    assert int(result.proof.offer_price[0]) >= 20


def test_a_practice_educators_capacity_is_shared_by_their_offers() -> None:
    problem = Problem(
        students=students(2, location=[0, 0]),
        offers=offers(2, pe=[0, 0], location=[4, 4]),
        travel=travel({(0, 4): 10}),
        pe_capacity=np.array([1]),
        labels=LABELS,
    )
    result = solve(problem)
    assert result.objective.placed == 1
    (unplaced,) = result.unplaced
    assert "practice educator fully booked" in unplaced.reason


def test_a_pinned_pair_is_kept_even_when_it_costs_more() -> None:
    result = solve(two_by_two(pinned=[(10, 101)]))
    assert placements(result) == {10: 101, 11: 100}
    assert next(a for a in result.assignments if a.student_id == 10).pinned
    assert result.objective.total_cost == 30 + 20


def test_a_pin_that_breaks_a_hard_constraint_is_refused_with_the_reason() -> None:
    problem = Problem(
        students=students(1, travel_limit=[15]),
        offers=offers(1),
        travel=travel({(0, 4): 40}),
        pinned=[(10, 100)],
    )
    with pytest.raises(PinError, match="beyond the student's travel limit"):
        solve(problem)


def test_a_forbidden_pair_is_never_proposed() -> None:
    result = solve(two_by_two(forbidden=[(10, 101), (11, 101)]))
    assert placements(result) == {10: 100}
    (unplaced,) = result.unplaced
    assert unplaced.binding == "offers_full"
    assert unplaced.full_offers == (100,)


def test_a_flow_that_is_not_cheapest_fails_its_certificate() -> None:
    network = build_network(
        pair_student=np.array([0, 0]),
        pair_offer=np.array([0, 1]),
        pair_cost=np.array([5, 1]),
        student_capacity=np.array([1]),
        offer_capacity=np.array([1, 1]),
        offer_pe=np.array([NONE, NONE]),
        pe_capacity=np.zeros(0, np.int64),
    )
    dearer = np.array([1, 0, 1, 1, 0])  # pair arcs, source arc, offer arcs
    with pytest.raises(CertificateError, match=r"negative reduced cost|negative cycle"):
        certify(network, np.ones(5, bool), dearer)
    nothing = np.zeros(5, np.int64)
    with pytest.raises(CertificateError, match="augmenting path"):
        certify(network, np.ones(5, bool), nothing)


def test_a_cut_that_lets_as_many_through_does_not_certify_a_lower_worst_cost() -> None:
    network = build_network(
        pair_student=np.array([0, 1]),
        pair_offer=np.array([0, 0]),
        pair_cost=np.array([5, 9]),
        student_capacity=np.array([1, 1]),
        offer_capacity=np.array([2]),
        offer_pe=np.array([NONE]),
        pe_capacity=np.zeros(0, np.int64),
    )
    everything = np.ones(network.tail.shape[0], bool)
    assert check_cut(network, everything, np.array([network.source]), placed=3) == 2
    with pytest.raises(CertificateError, match="lets 2 through"):
        check_cut(network, everything, np.array([network.source]), placed=2)


def test_the_engine_imports_nothing_from_django_or_the_rest_of_practica() -> None:
    folder = Path(allocation.__file__).parent
    for source in folder.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                assert not name.startswith("django"), source
                if name.startswith("practica"):
                    assert name.startswith("practica.placements.allocation"), source


def test_every_run_checks_its_certificate_and_refuses_a_dearer_flow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = min_cost_max_flow

    def dearest(network: Network, arcs: npt.NDArray[np.bool_]) -> FlowSolution:
        worst = real(dataclasses.replace(network, cost=-network.cost), arcs)
        return FlowSolution(worst.flow, worst.value, int((worst.flow * network.cost).sum()))

    monkeypatch.setattr(engine, "min_cost_max_flow", dearest)
    with pytest.raises(CertificateError):
        solve(cheap_and_dear())


def cheap_and_dear() -> Problem:
    """Student 10 can only reach Team A, 50 minutes away (so the fairness bound is 50);
    student 11 reaches Team B in 10 minutes and Team C in 20: Team C is the dearer flow."""
    return Problem(
        students=students(2, travel_limit=[60, 60]),
        offers=offers(3, location=[3, 4, 5]),
        travel=travel({(0, 3): 50, (1, 4): 10, (1, 5): 20}),
        weights=TRAVEL_ONLY,
        unknown_travel="exclude",
    )
