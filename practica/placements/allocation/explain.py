"""Readable reasons for every proposal and every unplaced student, from the certificate.

An offer's price is what its last slot is worth to the cohort (the potential difference
across its capacity arc; 0 unless it is full). A pair's reduced cost,
``cost + potential[student] - potential[offer]``, is at least how much the total cost would
rise if that student were moved there instead: so a cheaper offer the student did not get
was full (its price says how contested), and a dearer one "would have cost at least N more".
The per-pair numbers are computed as arrays; only the final sentences are built one by one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from practica.placements.allocation.feasibility import DESCRIPTIONS, Constraint, Edges
from practica.placements.allocation.problem import NONE, BoolArray, IntArray, Problem
from practica.placements.allocation.result import (
    Assignment,
    Objective,
    Proof,
    Result,
    Unplaced,
)

MAX_NAMED = 5


def ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


@dataclass(frozen=True)
class Facts:
    """Per-student numbers behind the sentences (index-aligned with the students)."""

    edge: IntArray  # the assigned pair's position in ``edges`` (NONE if unplaced)
    closer: IntArray  # allowed offers with a shorter known journey than the assigned one
    cheaper: IntArray  # the cheapest cheaper pair (NONE if the student got their cheapest)
    next_best: IntArray  # the free pair with the least reduced cost besides the assigned one
    beyond: IntArray  # the cheapest free pair dearer than the fairness bound
    reduced: IntArray  # reduced cost of every free pair (aligned with ``free``)
    offer_full: BoolArray
    pe_full: BoolArray


def facts(
    problem: Problem,
    edges: Edges,
    free: Edges,
    fair: BoolArray,
    offer_of: IntArray,
    potentials: IntArray,
) -> Facts:
    n, m = len(problem.students), len(problem.offers)
    offers = problem.offers
    placed = offer_of != NONE
    filled = np.bincount(offer_of[placed], minlength=m)
    offer_full = filled >= offers.slots
    pe_filled = np.bincount(
        offers.pe[offer_of[placed]][offers.pe[offer_of[placed]] >= 0],
        minlength=problem.pe_capacity.shape[0],
    )
    pe_full = np.zeros(m, bool)
    has_pe = offers.pe >= 0
    pe_full[has_pe] = (pe_filled >= problem.pe_capacity)[offers.pe[has_pe]]
    edge = assigned_edges(edges, offer_of, n)
    assigned_minutes = gather(edges.minutes, edge, NONE)
    shorter = (edges.minutes != NONE) & (edges.minutes < assigned_minutes[edges.student])
    closer = np.bincount(edges.student[shorter], minlength=n)
    assigned_cost = gather(edges.cost, edge, 0)
    first = first_per_student(edges.student, n)
    cheaper = np.where((edge >= 0) & (gather(edges.cost, first, 0) < assigned_cost), first, NONE)
    reduced = free.cost + potentials[1 + free.student] - potentials[1 + n + free.offer]
    other = (
        fair & (free.offer != offer_of[free.student]) & (free.cost >= assigned_cost[free.student])
    )
    candidates = np.flatnonzero(other)
    order = candidates[np.lexsort((reduced[candidates], free.student[candidates]))]
    next_best = np.full(n, NONE, np.int64)
    starts = first_per_student(free.student[order], n)
    has = starts >= 0
    next_best[has] = order[starts[has]]
    dear = np.flatnonzero(~fair)
    beyond = np.full(n, NONE, np.int64)
    firsts = first_per_student(free.student[dear], n)
    beyond[firsts >= 0] = dear[firsts[firsts >= 0]]
    return Facts(edge, closer, cheaper, next_best, beyond, reduced, offer_full, pe_full)


def gather(values: IntArray, positions: IntArray, missing: int) -> IntArray:
    """``values[positions]``, with ``missing`` where a position is NONE."""
    if not values.size:
        return np.full(positions.shape, missing, np.int64)
    return np.where(positions >= 0, values[np.maximum(positions, 0)], missing)


def first_per_student(student: IntArray, n: int) -> IntArray:
    """Position of each student's first entry in ``student`` (sorted), NONE if absent."""
    first = np.full(n, NONE, np.int64)
    if student.size:
        starts = np.flatnonzero(np.r_[True, student[1:] != student[:-1]])
        first[student[starts]] = starts
    return first


def assigned_edges(edges: Edges, offer_of: IntArray, n: int) -> IntArray:
    """Position in ``edges`` of each student's assigned pair (NONE if unplaced)."""
    chosen = np.flatnonzero(offer_of[edges.student] == edges.offer)
    edge = np.full(n, NONE, np.int64)
    edge[edges.student[chosen]] = chosen
    return edge


def preference_text(rank: int) -> str:
    if rank <= 0:
        return "service area not ranked"
    if rank == 1:
        return "first-choice service area"
    return f"{ordinal(rank)}-choice service area"


@dataclass(frozen=True)
class Words:
    """Labels looked up once: offer names by index, routes and placement types by code."""

    offers: list[str]
    routes: dict[int, str]
    types: dict[int, str]

    @classmethod
    def of(cls, problem: Problem) -> Words:
        labels, ids = problem.labels, problem.offers.ids.tolist()
        codes = problem.students
        return cls(
            offers=[labels.offer(j, ids[j]) for j in range(len(ids))],
            routes={c: labels.route(c) for c in np.unique(codes.route).tolist()},
            types={c: labels.placement_type(c) for c in np.unique(codes.needs_type).tolist()},
        )


def head_text(
    words: Words,
    *,
    closer: int,
    limit: int,
    route: int,
    kind: int,
    minutes: int,
    rank: int,
    stage: int,
) -> str:
    """ "closest offer accepting MA final placements within 45 min; 38-minute journey; ..." """
    position = "closest" if closer == 0 else f"{ordinal(closer + 1)} closest"
    within = f" within {limit} min" if limit != NONE else ""
    parts = [
        f"{position} offer accepting {words.routes[route]} {words.types[kind]} placements{within}"
    ]
    if minutes == NONE:
        parts.append(
            "journey time unknown: travel limit could not be checked"
            if limit != NONE
            else "journey time unknown"
        )
    else:
        parts.append(f"{minutes}-minute journey")
    parts.append(preference_text(rank))
    if stage < 2:
        parts.append(f"PE at stage {stage}" if stage else "no PE stage recorded")
    return "; ".join(parts)


@dataclass(frozen=True)
class Alternatives:
    """Per placed student (as lists): the cheaper offer they missed and why, the next best
    offer and its reduced cost, or the cheapest offer beyond the fairness bound."""

    cheaper: list[int]
    cheaper_full: list[bool]
    cheaper_price: list[int]
    best: list[int]
    best_more: list[int]
    dear: list[int]
    dear_more: list[int]

    @classmethod
    def of(
        cls, problem: Problem, edges: Edges, free: Edges, f: Facts, proof: Proof, placed: IntArray
    ) -> Alternatives:
        cheaper = gather(edges.offer, f.cheaper[placed], NONE)
        known = np.maximum(cheaper, 0)
        pe = problem.offers.pe[known]
        full = f.offer_full[known]
        pe_price = np.zeros(cheaper.shape, np.int64)
        pe_price[pe >= 0] = proof.pe_price[pe[pe >= 0]]
        price = np.where(full, proof.offer_price[known], pe_price)
        cost = gather(edges.cost, f.edge[placed], 0)
        return cls(
            cheaper=cheaper.tolist(),
            cheaper_full=full.tolist(),
            cheaper_price=price.tolist(),
            best=gather(free.offer, f.next_best[placed], NONE).tolist(),
            best_more=gather(f.reduced, f.next_best[placed], 0).tolist(),
            dear=gather(free.offer, f.beyond[placed], NONE).tolist(),
            dear_more=(gather(free.cost, f.beyond[placed], 0) - cost).tolist(),
        )

    def text(self, words: Words, i: int, bound: int) -> str:
        """ "Team B was full (price 7); Team C would have cost at least 12 more"."""
        parts = []
        cheaper = self.cheaper[i]
        if cheaper != NONE:
            name = words.offers[cheaper]
            if self.cheaper_full[i]:
                parts.append(f"{name} was full (price {self.cheaper_price[i]})")
            else:
                parts.append(
                    f"{name}'s practice educator was fully booked (price {self.cheaper_price[i]})"
                )
        if self.best[i] != NONE:
            parts.append(
                f"{words.offers[self.best[i]]} would have cost at least {self.best_more[i]} more"
            )
        elif self.dear[i] != NONE:
            parts.append(
                f"{words.offers[self.dear[i]]} would have cost {self.dear_more[i]} more, "
                f"above the fairness bound of {bound}"
            )
        return "; ".join(parts)


def result(
    *,
    problem: Problem,
    edges: Edges,
    offer_of: IntArray,
    pinned: BoolArray,
    fair: BoolArray,
    free: Edges,
    potentials: IntArray,
    objective: Objective,
    proof: Proof,
    bound: int,
    timings: dict[str, float],
    rejected: dict[int, IntArray],
) -> Result:
    """The Result with every sentence written."""
    f = facts(problem, edges, free, fair, offer_of, potentials)
    words = Words.of(problem)
    placed = np.flatnonzero(offer_of != NONE)
    assignments = assignment_list(
        problem, edges, f, words, placed, offer_of, pinned, proof, free, bound
    )
    warnings = tuple(
        f"student {a.student_id} in {words.offers[int(offer_of[i])]}: travel limit could not "
        "be checked (journey time unknown)"
        for i, a in zip(placed.tolist(), assignments, strict=True)
        if a.travel_unchecked
    )
    starts = np.searchsorted(edges.student, np.arange(len(problem.students) + 1))
    unplaced = [
        unplaced_reason(
            problem,
            words,
            edges.offer[starts[student] : starts[student + 1]],
            f,
            student,
            rejected.get(student),
        )
        for student in np.flatnonzero(offer_of == NONE).tolist()
    ]
    return Result(
        offer_of=offer_of,
        assignments=tuple(assignments),
        unplaced=tuple(unplaced),
        objective=objective,
        proof=proof,
        warnings=warnings,
        timings=timings,
    )


def assignment_list(
    problem: Problem,
    edges: Edges,
    f: Facts,
    words: Words,
    placed: IntArray,
    offer_of: IntArray,
    pinned: BoolArray,
    proof: Proof,
    free: Edges,
    bound: int,
) -> list[Assignment]:
    """One Assignment per placed student, the numbers gathered as arrays first."""
    s, e, offer = problem.students, f.edge[placed], offer_of[placed]
    alternatives = Alternatives.of(problem, edges, free, f, proof, placed)
    columns = zip(
        s.ids[placed].tolist(),
        problem.offers.ids[offer].tolist(),
        edges.cost[e].tolist(),
        edges.minutes[e].tolist(),
        edges.rank[e].tolist(),
        edges.unchecked[e].tolist(),
        pinned[placed].tolist(),
        s.travel_limit[placed].tolist(),
        s.route[placed].tolist(),
        s.needs_type[placed].tolist(),
        problem.offers.pe_stage[offer].tolist(),
        f.closer[placed].tolist(),
        strict=True,
    )
    found = []
    heads: dict[tuple[int, ...], str] = {}  # many students share the same opening words
    for i, (
        sid,
        oid,
        cost,
        minutes,
        rank,
        unchecked,
        pin,
        limit,
        route,
        kind,
        stage,
        closer,
    ) in enumerate(columns):
        key = (closer, limit, route, kind, minutes, rank, stage)
        text = heads.get(key)
        if text is None:
            text = heads[key] = head_text(
                words,
                closer=closer,
                limit=limit,
                route=route,
                kind=kind,
                minutes=minutes,
                rank=rank,
                stage=stage,
            )
        if pin:
            text = f"pinned by a coordinator; {text}"
        else:
            more = alternatives.text(words, i, bound)
            text = f"{text}. {more}" if more else text
        found.append(Assignment(sid, oid, cost, minutes, unchecked, pin, text))
    return found


def unplaced_reason(
    problem: Problem,
    words: Words,
    offers: IntArray,
    f: Facts,
    student: int,
    counts: IntArray | None,
) -> Unplaced:
    """Why the optimum leaves ``student`` out: no allowed offer, or every allowed one full."""
    student_id = int(problem.students.ids[student])
    if counts is not None:
        rejected = {Constraint(c).name.lower(): int(k) for c, k in enumerate(counts) if k}
        listed = ", ".join(
            f"{int(k)} {DESCRIPTIONS[Constraint(c)]}" for c, k in enumerate(counts) if k
        )
        total = len(problem.offers)
        return Unplaced(
            student_id,
            "no_feasible_offer",
            f"no offer is open to this student: of {total} offers, {listed}"
            if total
            else "there are no offers",
            rejected=rejected,
        )
    names = []
    for offer in offers.tolist()[:MAX_NAMED]:
        how = "full" if f.offer_full[offer] else "its practice educator fully booked"
        names.append(f"{words.offers[offer]} ({how})")
    more = f" and {offers.size - MAX_NAMED} more" if offers.size > MAX_NAMED else ""
    which = "the one offer" if offers.size == 1 else f"all {offers.size} offers"
    return Unplaced(
        student_id,
        "offers_full",
        f"{which} open to this student {'is' if offers.size == 1 else 'are'} taken: "
        f"{', '.join(names)}{more}",
        full_offers=tuple(int(problem.offers.ids[o]) for o in offers.tolist()),
    )
