"""The optimality certificate of a min-cost max-flow, derived and checked on every run.

A flow is a cheapest largest flow exactly when (1) it respects capacities and conservation,
(2) the residual graph has no source -> sink path (no one more student can be placed) and
(3) the residual graph has no negative cycle, i.e. there are node potentials ``p`` with
every residual arc's reduced cost ``cost + p[tail] - p[head] >= 0`` (complementary
slackness). The potentials are shortest-path distances from a virtual root joined to every
node at cost 0, found by Bellman-Ford rounds vectorised with numpy; then the three
conditions are checked independently of how the flow or the potentials were found.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sparse
from scipy.sparse import csgraph

from practica.placements.allocation.network import Network
from practica.placements.allocation.problem import BoolArray, IntArray


class CertificateError(RuntimeError):
    """The solution failed its optimality certificate: do not use it."""


@dataclass(frozen=True)
class Residual:
    """The residual graph's arcs: tail, head, cost."""

    tail: IntArray
    head: IntArray
    cost: IntArray


def residual(network: Network, arcs: BoolArray, flow: IntArray) -> Residual:
    """Forward arcs with room left and backward arcs carrying flow, among the ``arcs`` kept."""
    forward = arcs & (flow < network.capacity)
    backward = arcs & (flow > 0)
    return Residual(
        tail=np.concatenate([network.tail[forward], network.head[backward]]),
        head=np.concatenate([network.head[forward], network.tail[backward]]),
        cost=np.concatenate([network.cost[forward], -network.cost[backward]]),
    )


def potentials(graph: Residual, nodes: int) -> IntArray:
    """Shortest distances from a virtual root (0 to every node); CertificateError on a
    negative cycle (no convergence within ``nodes`` rounds)."""
    distance = np.zeros(nodes, np.int64)
    if not graph.tail.size:
        return distance
    order = np.argsort(graph.head, kind="stable")
    tail, head, cost = graph.tail[order], graph.head[order], graph.cost[order]
    starts = np.flatnonzero(np.r_[True, head[1:] != head[:-1]])
    targets = head[starts]
    for _ in range(nodes + 1):
        best = np.minimum.reduceat(distance[tail] + cost, starts)
        improved = best < distance[targets]
        if not improved.any():
            return distance
        distance[targets[improved]] = best[improved]
    raise CertificateError("the residual graph has a negative cycle: the flow is not cheapest")


def sink_reachable(graph: Residual, nodes: int, source: int, sink: int) -> bool:
    """Whether the residual graph has a source -> sink path (one more student placeable)."""
    if not graph.tail.size:
        return False
    matrix = sparse.csr_array(
        (np.ones(graph.tail.size, np.int8), (graph.tail, graph.head)), shape=(nodes, nodes)
    )
    reached = csgraph.breadth_first_order(matrix, source, directed=True, return_predecessors=False)
    return bool(np.isin(sink, reached))


@dataclass(frozen=True)
class Certificate:
    """Node potentials and the checks they passed; ``min_reduced_cost`` is >= 0 when valid."""

    potentials: IntArray
    min_reduced_cost: int
    residual_arcs: int


def certify(network: Network, arcs: BoolArray, flow: IntArray) -> Certificate:
    """Check that ``flow`` is a cheapest largest flow on the kept ``arcs`` (raise if not)."""
    check_feasible(network, arcs, flow)
    graph = residual(network, arcs, flow)
    if sink_reachable(graph, network.nodes, network.source, network.sink):
        raise CertificateError("an augmenting path exists: more students could be placed")
    prices = potentials(graph, network.nodes)
    reduced = graph.cost + prices[graph.tail] - prices[graph.head]
    lowest = int(reduced.min()) if reduced.size else 0
    if lowest < 0:
        raise CertificateError(f"a residual arc has negative reduced cost {lowest}")
    return Certificate(prices, lowest, int(graph.tail.size))


def check_feasible(network: Network, arcs: BoolArray, flow: IntArray) -> None:
    """Capacities respected, nothing on dropped arcs, flow conserved at inner nodes."""
    if (flow < 0).any() or (flow > network.capacity).any() or flow[~arcs].any():
        raise CertificateError("the flow breaks an arc's capacity")
    balance = np.zeros(network.nodes, np.int64)
    np.add.at(balance, network.tail, flow)
    np.subtract.at(balance, network.head, flow)
    balance[[network.source, network.sink]] = 0
    if balance.any():
        raise CertificateError("the flow is not conserved at some node")


def check_cut(network: Network, arcs: BoolArray, source_side: IntArray, placed: int) -> int:
    """The capacity of the cut between ``source_side`` and the rest over the kept ``arcs``,
    checked to be below ``placed``: no flow on those arcs places ``placed`` students."""
    inside = np.zeros(network.nodes, bool)
    inside[source_side] = True
    if not inside[network.source] or inside[network.sink]:
        raise CertificateError("the cut does not separate the source from the sink")
    crossing = arcs & inside[network.tail] & ~inside[network.head]
    capacity = int(network.capacity[crossing].sum())
    if capacity >= placed:
        raise CertificateError(f"the cut below the worst cost lets {capacity} through")
    return capacity
