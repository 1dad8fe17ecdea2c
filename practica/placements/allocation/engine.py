"""The exact lexicographic allocation: most placed, then the fairest worst case, then cheapest.

1. ``placed``: a maximum flow over every allowed pair (OR-Tools SimpleMaxFlow).
2. ``worst_cost``: binary search over the pairs' distinct costs for the least threshold
   ``T`` at which pairs costing at most ``T`` still place as many (each probe a max flow).
3. ``total_cost``: a min-cost maximum flow over the pairs costing at most ``T``
   (OR-Tools SimpleMinCostFlow), certified on every run (certificate.py).
The same min-cost flow without the threshold gives the price of fairness.
Pinned pairs are placed before the solve and take their slots (and PE capacity) with them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from practica.placements.allocation import explain
from practica.placements.allocation.certificate import certify
from practica.placements.allocation.feasibility import (
    DESCRIPTIONS,
    Constraint,
    Edges,
    build_edges,
    pair_checks,
    rejections,
)
from practica.placements.allocation.network import (
    Network,
    SolverError,
    build_network,
    maximum_flow,
    min_cost_max_flow,
)
from practica.placements.allocation.problem import NONE, IntArray, Problem
from practica.placements.allocation.result import Objective, Proof, Result


class PinError(ValueError):
    """A pinned pair breaks a hard constraint or overfills an offer or a PE."""


@dataclass(frozen=True)
class Pins:
    """Pinned students' offers (``NONE`` for free students) and the capacity they leave."""

    offer_of: IntArray
    offer_capacity: IntArray
    pe_capacity: IntArray


@dataclass(frozen=True)
class Bottleneck:
    """The least worst cost keeping the most placed, and the evidence it cannot be lower."""

    threshold: int
    placed_below: int | None


class Clock:
    """Named wall-clock timings of a run's steps."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    def time[T](self, name: str, work: Callable[[], T]) -> T:
        started = time.perf_counter()
        value = work()
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started
        return value


def solve(problem: Problem, *, price_of_fairness: bool = True) -> Result:
    """Solve ``problem`` to a proven lexicographic optimum (see the module docstring)."""
    clock = Clock()
    edges = clock.time("feasibility", lambda: build_edges(problem))
    pins = clock.time("pins", lambda: apply_pins(problem, edges))
    free = edges.select(pins.offer_of[edges.student] == NONE)
    network = build_network(
        pair_student=free.student,
        pair_offer=free.offer,
        pair_cost=free.cost,
        student_capacity=(pins.offer_of == NONE).astype(np.int64),
        offer_capacity=pins.offer_capacity,
        offer_pe=problem.offers.pe,
        pe_capacity=pins.pe_capacity,
    )
    everything = np.ones(network.tail.shape[0], bool)
    placed = clock.time("max_flow", lambda: maximum_flow(network, everything))
    bottleneck = clock.time("bottleneck", lambda: least_threshold(network, free.cost, placed))
    fair = network.keeping(free.cost <= bottleneck.threshold)
    solution = clock.time("min_cost_flow", lambda: min_cost_max_flow(network, fair))
    if solution.value != placed:
        raise SolverError(f"the fair flow places {solution.value}, not {placed}")
    unfair = None
    if price_of_fairness:
        unfair = clock.time("price_of_fairness", lambda: min_cost_max_flow(network, everything))
    certificate = clock.time("certificate", lambda: certify(network, fair, solution.flow))
    offer_of = pins.offer_of.copy()
    chosen = solution.flow[: network.pairs] > 0
    offer_of[free.student[chosen]] = free.offer[chosen]
    pinned_cost = pair_costs(edges, np.flatnonzero(pins.offer_of != NONE), pins.offer_of)
    objective = Objective(
        placed=int((offer_of != NONE).sum()),
        unplaced=int((offer_of == NONE).sum()),
        worst_cost=max([bottleneck.threshold if placed else 0, *pinned_cost.tolist()]),
        total_cost=solution.cost + int(pinned_cost.sum()),
        total_cost_without_fairness=None
        if unfair is None
        else unfair.cost + int(pinned_cost.sum()),
        worst_cost_without_fairness=None
        if unfair is None
        else worst_of(network, free, unfair.flow),
    )
    n, m = len(problem.students), len(problem.offers)
    potentials = certificate.potentials
    offer_nodes = 1 + n + np.arange(m)
    pe_nodes = 1 + n + m + np.arange(problem.pe_capacity.shape[0])
    proof = Proof(
        min_reduced_cost=certificate.min_reduced_cost,
        residual_arcs=certificate.residual_arcs,
        placed_below_worst=bottleneck.placed_below,
        offer_price=potentials[network.head[network.pairs + n : network.pairs + n + m]]
        - potentials[offer_nodes],
        pe_price=potentials[network.sink] - potentials[pe_nodes],
    )
    return clock.time(
        "explanations",
        lambda: explain.result(
            problem=problem,
            edges=edges,
            offer_of=offer_of,
            pinned=pins.offer_of != NONE,
            fair=fair[: network.pairs],
            free=free,
            potentials=potentials,
            objective=objective,
            proof=proof,
            bound=bottleneck.threshold,
            timings=clock.timings,
            rejected=rejected_counts(problem, edges, offer_of),
        ),
    )


def apply_pins(problem: Problem, edges: Edges) -> Pins:
    """Place the pinned pairs; PinError if one is not an allowed pair or overfills."""
    n, m = len(problem.students), len(problem.offers)
    offer_of = np.full(n, NONE, np.int64)
    offer_capacity = problem.offers.slots.copy()
    pe_capacity = problem.pe_capacity.copy()
    if not problem.pinned:
        return Pins(offer_of, offer_capacity, pe_capacity)
    pairs = np.asarray(problem.pinned, dtype=np.int64).reshape(-1, 2)
    students, offers = problem.student_index(pairs[:, 0]), problem.offer_index(pairs[:, 1])
    if np.unique(students).size != students.size:
        raise PinError("a student is pinned to more than one offer")
    allowed = np.isin(students * m + offers, edges.student * m + edges.offer)
    if not allowed.all():
        raise PinError(pin_refusal(problem, int(students[~allowed][0]), int(offers[~allowed][0])))
    offer_of[students] = offers
    np.subtract.at(offer_capacity, offers, 1)
    pes = problem.offers.pe[offers]
    np.subtract.at(pe_capacity, pes[pes >= 0], 1)
    if (offer_capacity < 0).any() or (pe_capacity < 0).any():
        raise PinError("the pinned pairs need more slots or PE capacity than an offer has")
    return Pins(offer_of, offer_capacity, pe_capacity)


def pin_refusal(problem: Problem, student: int, offer: int) -> str:
    """Why the pinned pair (by index) is not allowed."""
    checks, _ = pair_checks(problem, np.array([student]), np.array([offer]))
    broken = [DESCRIPTIONS[c] for c in Constraint if not checks[c][0]]
    return (
        f"student {problem.students.ids[student]} cannot be pinned to offer "
        f"{problem.offers.ids[offer]}: the offer is {'; '.join(broken)}"
    )


def least_threshold(network: Network, cost: IntArray, placed: int) -> Bottleneck:
    """The least distinct cost ``T`` such that pairs costing at most ``T`` place ``placed``."""
    values = np.unique(cost)
    if placed == 0 or not values.size:
        return Bottleneck(int(values[-1]) if values.size else 0, None)
    found: dict[int, int] = {len(values) - 1: placed}

    def placeable(position: int) -> int:
        if position not in found:
            found[position] = maximum_flow(network, network.keeping(cost <= values[position]))
        return found[position]

    low, high = 0, len(values) - 1
    while low < high:
        middle = (low + high) // 2
        if placeable(middle) == placed:
            high = middle
        else:
            low = middle + 1
    below = placeable(low - 1) if low > 0 else None
    return Bottleneck(int(values[low]), below)


def pair_costs(edges: Edges, students: IntArray, offer_of: IntArray) -> IntArray:
    """The cost of each of ``students``' pair with ``offer_of[student]`` (all allowed pairs)."""
    if not students.size:
        return np.zeros(0, np.int64)
    keys = edges.student * (int(edges.offer.max(initial=0)) + 1) + edges.offer
    wanted = students * (int(edges.offer.max(initial=0)) + 1) + offer_of[students]
    order = np.argsort(keys)
    return edges.cost[order[np.searchsorted(keys, wanted, sorter=order)]]


def worst_of(network: Network, free: Edges, flow: IntArray) -> int:
    used = flow[: network.pairs] > 0
    return int(free.cost[used].max(initial=0))


def rejected_counts(problem: Problem, edges: Edges, offer_of: IntArray) -> dict[int, IntArray]:
    """For each unplaced student with no allowed pair at all, the offers each constraint
    ruled out (feasibility.rejections), keyed by student index."""
    unplaced = np.flatnonzero(offer_of == NONE)
    has_pairs = np.zeros(len(problem.students), bool)
    has_pairs[edges.student] = True
    hopeless = unplaced[~has_pairs[unplaced]]
    counts = rejections(problem, hopeless)
    return {int(s): counts[i] for i, s in enumerate(hopeless)}
