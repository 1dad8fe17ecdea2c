"""The flow network of an allocation and the OR-Tools solves on it.

Nodes: a source, one node per student, one per offer, one per practice educator, a sink.
Arcs, in this order: one per allowed pair (student -> offer, capacity 1, the pair's cost),
source -> student (capacity 1, or 0 for a pinned student), offer -> its PE or the sink
(capacity: its slots left after pins), PE -> sink (capacity: the PE's capacity left).
A unit of flow through a pair arc is that student placed in that offer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from practica.placements.allocation.problem import BoolArray, IntArray


class SolverError(RuntimeError):
    """OR-Tools did not return an optimal solution (which would be a bug in the network)."""


@dataclass(frozen=True)
class Network:
    """Arc arrays of the network; the first ``pairs`` arcs are the allowed pairs."""

    nodes: int
    source: int
    sink: int
    tail: IntArray
    head: IntArray
    capacity: IntArray
    cost: IntArray
    pairs: int

    def keeping(self, pair_mask: BoolArray) -> BoolArray:
        """An arc mask keeping the pair arcs in ``pair_mask`` and every structural arc."""
        return np.concatenate([pair_mask, np.ones(self.tail.shape[0] - self.pairs, bool)])


def build_network(
    *,
    pair_student: IntArray,
    pair_offer: IntArray,
    pair_cost: IntArray,
    student_capacity: IntArray,
    offer_capacity: IntArray,
    offer_pe: IntArray,
    pe_capacity: IntArray,
) -> Network:
    """The network of the pairs and capacities (see the module docstring)."""
    n, m, p = student_capacity.shape[0], offer_capacity.shape[0], pe_capacity.shape[0]
    source, sink = 0, n + m + p + 1
    students = 1 + np.arange(n, dtype=np.int64)
    offers = 1 + n + np.arange(m, dtype=np.int64)
    offer_to = np.where(offer_pe >= 0, 1 + n + m + offer_pe, sink)
    tail = np.concatenate(
        [students[pair_student], np.full(n, source), offers, 1 + n + m + np.arange(p)]
    )
    head = np.concatenate([offers[pair_offer], students, offer_to, np.full(p, sink)])
    capacity = np.concatenate(
        [np.ones(pair_student.shape[0], np.int64), student_capacity, offer_capacity, pe_capacity]
    )
    cost = np.concatenate([pair_cost, np.zeros(n + m + p, np.int64)])
    return Network(
        nodes=sink + 1,
        source=source,
        sink=sink,
        tail=tail.astype(np.int64),
        head=head.astype(np.int64),
        capacity=np.maximum(capacity, 0).astype(np.int64),
        cost=cost.astype(np.int64),
        pairs=int(pair_student.shape[0]),
    )


def maximum_flow(network: Network, arcs: BoolArray) -> int:
    """The most students that can be placed using only the ``arcs`` kept."""
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(
        network.tail[arcs].astype(np.int32),
        network.head[arcs].astype(np.int32),
        network.capacity[arcs],
    )
    if not arcs.any():
        return 0
    status = solver.solve(network.source, network.sink)
    if status != solver.OPTIMAL:
        raise SolverError(f"max flow ended with status {status}")
    return int(solver.optimal_flow())


def minimum_cut(network: Network, arcs: BoolArray) -> tuple[int, IntArray]:
    """The maximum flow using only the ``arcs`` kept, and the source side of a minimum cut
    (the nodes still reachable from the source), its proof of maximality."""
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(
        network.tail[arcs].astype(np.int32),
        network.head[arcs].astype(np.int32),
        network.capacity[arcs],
    )
    status = solver.solve(network.source, network.sink)
    if status != solver.OPTIMAL:
        raise SolverError(f"max flow ended with status {status}")
    side = np.asarray(solver.get_source_side_min_cut(), np.int64)
    return int(solver.optimal_flow()), side


@dataclass(frozen=True)
class FlowSolution:
    """Flow on every arc of the network (0 on arcs not kept), its value and its cost."""

    flow: IntArray
    value: int
    cost: int


def min_cost_max_flow(network: Network, arcs: BoolArray) -> FlowSolution:
    """The cheapest of the largest flows using only the ``arcs`` kept.

    Every largest flow sends the same number of units through pair arcs (one per student
    placed), so the pair arcs are handed to the solver less the cheapest pair's cost (a
    narrower cost range, fewer cost-scaling rounds) and that is added back per unit."""
    kept = np.flatnonzero(arcs)
    flow = np.zeros(network.tail.shape[0], np.int64)
    if not kept.size:
        return FlowSolution(flow, 0, 0)
    pairs = kept < network.pairs
    shift = int(network.cost[kept[pairs]].min()) if pairs.any() else 0
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        network.tail[kept].astype(np.int32),
        network.head[kept].astype(np.int32),
        network.capacity[kept],
        network.cost[kept] - shift * pairs,
    )
    supply = int(network.capacity[network.tail == network.source].sum())
    solver.set_node_supply(network.source, supply)
    solver.set_node_supply(network.sink, -supply)
    status = solver.solve_max_flow_with_min_cost()
    if status != solver.OPTIMAL:
        raise SolverError(f"min cost flow ended with status {status}")
    flow[kept] = np.asarray(solver.flows(np.arange(kept.size, dtype=np.int32)), np.int64)
    value = int(solver.maximum_flow())
    return FlowSolution(flow, value, int(solver.optimal_cost()) + shift * value)
