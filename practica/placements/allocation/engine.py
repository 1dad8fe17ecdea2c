"""The exact lexicographic allocation: most placed, then the fairest worst case, then cheapest.

1. ``placed``: a maximum flow over every allowed pair (OR-Tools SimpleMaxFlow), or, when
   the price of fairness is asked for (the default), the cheapest maximum flow over every
   pair (OR-Tools SimpleMinCostFlow), which gives it and the comparison at once, and whose
   worst cost ``W`` caps the next step's search.
2. ``worst_cost``: a search over the pairs' distinct costs for the least threshold ``T``
   at which pairs costing at most ``T`` still place as many (each probe a maximum flow),
   starting from a counting bound (fewer students than ``placed`` have a pair cheaper
   than the ``placed``-th smallest of their cheapest pairs) and skipping the costs a
   failing probe's minimum cut rules out (least_threshold). That ``T`` cannot be lowered
   is certified by such a cut under the next lower cost, whose capacity, summed here, is
   below ``placed`` (certificate.check_cut).
3. ``total_cost``: a min-cost maximum flow over the pairs costing at most ``T`` (OR-Tools
   SimpleMinCostFlow), unless ``T == W`` (then step 1's flow is it), certified on every run
   (certificate.py).
Pinned pairs are placed before the solve and take their slots (and PE capacity) with them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from practica.placements.allocation import explain
from practica.placements.allocation.certificate import certify, check_cut
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
    minimum_cut,
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


# The bottleneck search probes the least cost left after a failing probe that placed all but
# a few (at most one in CLOSE_SHARE of the students placed, or one), at most LOW_TRIES times
# in a row; otherwise it halves the range (see least_threshold).
CLOSE_SHARE, LOW_TRIES = 500, 3


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
    """Solve ``problem`` to a proven lexicographic optimum (see the module docstring);
    ``price_of_fairness=False`` skips the comparison solve without the worst-cost bound."""
    clock = Clock()
    edges = clock.time("feasibility", lambda: build_edges(problem))
    pins = clock.time("pins", lambda: apply_pins(problem, edges))
    free = edges.select(pins.offer_of[edges.student] == NONE)
    layer = pe_layer(problem, pins)
    network = build_network(
        pair_student=free.student,
        pair_offer=free.offer,
        pair_cost=free.cost,
        student_capacity=(pins.offer_of == NONE).astype(np.int64),
        offer_capacity=layer.offer_capacity,
        offer_pe=layer.offer_pe,
        pe_capacity=layer.pe_capacity,
    )
    everything = np.ones(network.tail.shape[0], bool)
    cheapest, highest = None, None
    if price_of_fairness:  # also gives step 1 and an upper end for step 2's search
        cheapest = clock.time("price_of_fairness", lambda: min_cost_max_flow(network, everything))
        placed, highest = cheapest.value, worst_of(network, free, cheapest.flow)
    else:
        placed = clock.time("max_flow", lambda: maximum_flow(network, everything))
    bottleneck = clock.time(
        "bottleneck",
        lambda: least_threshold(network, free.student, free.cost, placed, highest),
    )
    fair = network.keeping(free.cost <= bottleneck.threshold)
    if cheapest is not None and bottleneck.threshold == highest:
        solution = cheapest  # the cheapest flow already keeps the least worst cost
    else:
        solution = clock.time("min_cost_flow", lambda: min_cost_max_flow(network, fair))
    if solution.value != placed:
        raise SolverError(f"the fair flow places {solution.value}, not {placed}")
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
        if cheapest is None
        else cheapest.cost + int(pinned_cost.sum()),
        worst_cost_without_fairness=None
        if cheapest is None
        else max([worst_of(network, free, cheapest.flow), *pinned_cost.tolist()]),
    )
    n, m = len(problem.students), len(problem.offers)
    potentials = certificate.potentials
    offer_nodes = 1 + n + np.arange(m)
    pe_nodes = 1 + n + m + np.arange(layer.shared.size)
    offer_price = (
        potentials[network.head[network.pairs + n : network.pairs + n + m]]
        - potentials[offer_nodes]
    )
    pe_price = np.zeros(problem.pe_capacity.shape[0], np.int64)
    pe_price[layer.shared] = potentials[network.sink] - potentials[pe_nodes]
    merged = (problem.offers.pe >= 0) & (layer.offer_pe == NONE)
    pe_price[problem.offers.pe[merged]] = offer_price[merged]
    proof = Proof(
        min_reduced_cost=certificate.min_reduced_cost,
        residual_arcs=certificate.residual_arcs,
        placed_below_worst=bottleneck.placed_below,
        offer_price=offer_price,
        pe_price=pe_price,
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


@dataclass(frozen=True)
class PeLayer:
    """Capacities as the network takes them: a PE with a single offer is folded into it
    (the offer's capacity becomes the lesser of its slots and the PE's capacity), so only
    PEs shared by several offers keep a node of their own."""

    offer_capacity: IntArray
    offer_pe: IntArray  # the offer's PE node (its position in ``shared``), NONE if folded
    pe_capacity: IntArray  # of the PEs in ``shared``
    shared: IntArray  # the PEs (indices into Problem.pe_capacity) that keep a node


def pe_layer(problem: Problem, pins: Pins) -> PeLayer:
    pe = problem.offers.pe
    count = np.bincount(pe[pe >= 0], minlength=pins.pe_capacity.shape[0])
    named = pe >= 0
    shared = np.zeros(pe.shape, bool)
    shared[named] = count[pe[named]] > 1
    single = named & ~shared
    offer_capacity = pins.offer_capacity.copy()
    offer_capacity[single] = np.minimum(offer_capacity[single], pins.pe_capacity[pe[single]])
    kept = np.flatnonzero(count > 1)
    node = np.full(count.shape, NONE, np.int64)
    node[kept] = np.arange(kept.size)
    offer_pe = np.full(pe.shape, NONE, np.int64)
    offer_pe[shared] = node[pe[shared]]
    return PeLayer(offer_capacity, offer_pe, pins.pe_capacity[kept], kept)


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


def least_threshold(
    network: Network, student: IntArray, cost: IntArray, placed: int, highest: int | None
) -> Bottleneck:
    """The least distinct cost ``T`` such that pairs costing at most ``T`` place ``placed``.

    A search between the ``placed``-th smallest of the students' cheapest pairs (below it,
    fewer students have any pair at all) and ``highest``, a cost known to be enough (the
    cheapest flow's worst; every pair's cost when not given). Each failing probe's minimum
    cut stays a cut at higher costs, letting through one more unit per pair arc across it
    that the higher cost admits; so it rules out every cost at which it still lets fewer
    than ``placed`` through (``cut_rules_out``), often several at once. When that probe
    placed all but a few, the next one tries the least cost left, which is then usually the
    answer; otherwise, or after ``LOW_TRIES`` such tries fail in a row, a probe halves the
    range. So the search takes at most about four times a binary search's probes, and on
    the benchmark instances fewer than it (national: 4 probes, not 6). The cut that ruled out the cost just below ``T`` is checked
    (certificate.check_cut) as the proof that ``T`` cannot be lowered.
    """
    lowest = lowest_threshold(student, cost, placed)
    top = int(cost.max(initial=0)) if highest is None else highest  # enough, by assumption
    values = np.unique(cost[(cost >= lowest) & (cost <= top)])
    if placed == 0 or not values.size:
        return Bottleneck(int(values[-1]) if values.size else 0, None)
    proof: IntArray | None = None  # the source side of the cut that ruled out values[low - 1]
    low, high = 0, len(values) - 1  # values[high] is enough; below low is not
    close = max(1, placed // CLOSE_SHARE)
    short, tries = None, 0  # how many the last probe left out if it failed; tries at low
    while low < high:
        at_low = short is not None and short <= close and tries < LOW_TRIES
        middle = low if at_low else (low + high) // 2
        flow, side = minimum_cut(network, network.keeping(cost <= values[middle]))
        if flow == placed:
            high, short = middle, None
            continue
        short, tries = placed - flow, tries + 1 if at_low else 0
        low, proof = min(cut_rules_out(network, side, values, placed) + 1, high), side
    if low > 0 and proof is not None:
        arcs = network.keeping(cost <= values[low - 1])
        return Bottleneck(int(values[low]), check_cut(network, arcs, proof, placed))
    having = np.unique(student[cost < values[0]]).size  # bounds what any flow below places
    return Bottleneck(int(values[0]), having if values[0] > 0 else None)


def cut_rules_out(network: Network, side: IntArray, values: IntArray, placed: int) -> int:
    """The position of the highest of ``values`` at which the cut with this source side still
    lets fewer than ``placed`` through (its capacity grows by one for each pair arc across
    it that a higher cost admits; structural arcs are always kept)."""
    inside = np.zeros(network.nodes, bool)
    inside[side] = True
    across = inside[network.tail] & ~inside[network.head]
    fixed = int(network.capacity[network.pairs :][across[network.pairs :]].sum())
    pair_costs = np.sort(network.cost[: network.pairs][across[: network.pairs]])
    capacity = fixed + np.searchsorted(pair_costs, values, side="right")
    return int(np.flatnonzero(capacity < placed).max())


def lowest_threshold(student: IntArray, cost: IntArray, placed: int) -> int:
    """The ``placed``-th smallest of the students' cheapest pair costs (0 if none placed)."""
    if placed == 0 or not student.size:
        return 0
    cheapest = np.full(int(student.max()) + 1, np.iinfo(np.int64).max)
    np.minimum.at(cheapest, student, cost)
    return int(np.partition(cheapest, placed - 1)[placed - 1])


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
