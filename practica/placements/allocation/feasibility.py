"""Which (student, offer) pairs the hard constraints allow, and what each allowed pair costs.

Candidate pairs are made with numpy joins, never a loop over students: only offers of the
placement type a student needs, with capacity, and (for a student with a travel limit)
reachable from their home location; students without a limit meet their type's offers a
block at a time (about a million pairs). Every constraint is then one vectorised test over
the candidates. ``rejections`` tests a student against every offer (as a matrix) to say
which constraint ruled each out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from practica.placements.allocation.problem import NONE, BoolArray, IntArray, Problem

BLOCK_PAIRS = 1_000_000
FULL_PE_STAGE = 2


class Constraint(IntEnum):
    """The hard constraints, in the order a rejected pair is charged to the first it breaks."""

    PLACEMENT_TYPE = 0
    ROUTE = 1
    NO_CAPACITY = 2
    OWN_TEAM = 3
    SAME_SETTING = 4
    TRAVEL_LIMIT = 5
    TRAVEL_UNKNOWN = 6
    FORBIDDEN = 7


DESCRIPTIONS = {
    Constraint.PLACEMENT_TYPE: "of another placement type than the student needs",
    Constraint.ROUTE: "not accepting the student's route",
    Constraint.NO_CAPACITY: "without slots or with a PE who has no capacity",
    Constraint.OWN_TEAM: "in the team the student works in",
    Constraint.SAME_SETTING: "in the setting of the student's previous placement",
    Constraint.TRAVEL_LIMIT: "beyond the student's travel limit",
    Constraint.TRAVEL_UNKNOWN: "with an unknown journey time (travel limit could not be checked)",
    Constraint.FORBIDDEN: "forbidden by a coordinator",
}


@dataclass(frozen=True)
class Edges:
    """The allowed pairs, sorted by student then cost: index-aligned arrays.

    ``minutes`` is the journey time (``NONE`` if unknown), ``rank`` the student's rank of
    the offer's service area (0 = not ranked) and ``unchecked`` marks pairs whose journey
    time is unknown although the student has a travel limit.
    """

    student: IntArray
    offer: IntArray
    cost: IntArray
    minutes: IntArray
    rank: IntArray
    unchecked: BoolArray

    def __len__(self) -> int:
        return int(self.student.shape[0])

    def select(self, keep: BoolArray | IntArray) -> Edges:
        return Edges(
            self.student[keep],
            self.offer[keep],
            self.cost[keep],
            self.minutes[keep],
            self.rank[keep],
            self.unchecked[keep],
        )


def offer_has_capacity(problem: Problem) -> BoolArray:
    """Offers with at least one slot whose PE (if any) can take at least one student."""
    offers = problem.offers
    pe_room = np.ones(len(offers), bool)
    named = offers.pe >= 0
    pe_room[named] = problem.pe_capacity[offers.pe[named]] > 0
    return (offers.slots > 0) & pe_room


def pair_checks(
    problem: Problem, students: IntArray, offers: IntArray
) -> tuple[dict[Constraint, BoolArray], IntArray]:
    """Which (student, offer) pairs pass each constraint, and every pair's journey minutes.

    ``students`` and ``offers`` are index arrays that broadcast together: aligned 1-D arrays
    test listed pairs, a column against a row tests every pair of two blocks.
    """
    s, o = problem.students, problem.offers
    shape = np.broadcast_shapes(students.shape, offers.shape)
    minutes = problem.travel.lookup(s.location[students], o.location[offers])
    limit = s.travel_limit[students]
    unknown = minutes == NONE
    team, previous = s.employer_team[students], s.previous_setting[students]
    checks = {
        Constraint.PLACEMENT_TYPE: s.needs_type[students] == o.placement_type[offers],
        Constraint.ROUTE: ((o.routes[offers] >> s.route[students]) & 1) == 1,
        Constraint.NO_CAPACITY: offer_has_capacity(problem)[offers],
        Constraint.OWN_TEAM: (team == NONE) | (team != o.team[offers]),
        Constraint.SAME_SETTING: (previous == NONE) | (previous != o.setting[offers]),
        Constraint.TRAVEL_LIMIT: (limit == NONE) | unknown | (minutes <= limit),
        Constraint.TRAVEL_UNKNOWN: (limit == NONE)
        | ~unknown
        | np.bool_(problem.unknown_travel == "allow"),
        Constraint.FORBIDDEN: ~forbidden_pairs(problem, students, offers),
    }
    return {c: np.broadcast_to(v, shape) for c, v in checks.items()}, np.broadcast_to(
        minutes, shape
    )


def forbidden_pairs(problem: Problem, students: IntArray, offers: IntArray) -> BoolArray:
    """True where a coordinator forbade the pair (broadcasting like ``pair_checks``)."""
    pairs = students * len(problem.offers) + offers
    if not problem.forbidden:
        return np.zeros(pairs.shape, bool)
    return np.isin(pairs, forbidden_keys(problem))


def forbidden_keys(problem: Problem) -> IntArray:
    pairs = np.asarray(problem.forbidden, dtype=np.int64).reshape(-1, 2)
    return problem.student_index(pairs[:, 0]) * len(problem.offers) + problem.offer_index(
        pairs[:, 1]
    )


def candidates(problem: Problem) -> Iterator[tuple[IntArray, IntArray]]:
    """Aligned (student, offer) arrays holding every pair that could pass: offers of the
    type the student needs, with capacity, within reach of the student's home location.

    Students with a travel limit are joined to the offers reachable from their home
    location (within the largest limit of anyone living there, or of unknown journey time);
    students without one meet every offer of their type, a block at a time.
    """
    s, o = problem.students, problem.offers
    open_offers = offer_has_capacity(problem)
    for kind in np.unique(s.needs_type):
        offers = np.flatnonzero((o.placement_type == kind) & open_offers)
        students = np.flatnonzero(s.needs_type == kind)
        if not offers.size:
            continue
        limited = s.travel_limit[students] != NONE
        yield reachable_pairs(problem, students[limited], offers)
        unlimited = students[~limited]
        step = max(1, BLOCK_PAIRS // offers.size)
        for start in range(0, unlimited.size, step):
            block = unlimited[start : start + step]
            yield np.repeat(block, offers.size), np.tile(offers, block.size)


def reachable_pairs(
    problem: Problem, students: IntArray, offers: IntArray
) -> tuple[IntArray, IntArray]:
    """Students (all with a travel limit) joined to the offers reachable from home."""
    homes, group = np.unique(problem.students.location[students], return_inverse=True)
    furthest = np.full(homes.size, -1, np.int64)
    np.maximum.at(furthest, group, problem.students.travel_limit[students])
    # looked up once per (home, offer location): many offers share a town
    places, place = np.unique(problem.offers.location[offers], return_inverse=True)
    minutes = problem.travel.lookup(homes[:, None], places[None, :])
    reach = (minutes == NONE) | (minutes <= furthest[:, None])
    home, offer = np.nonzero(reach[:, place])
    per_home = np.bincount(home, minlength=homes.size)
    first = np.concatenate([[0], np.cumsum(per_home)[:-1]])
    count = per_home[group]
    before = np.concatenate([[0], np.cumsum(count)[:-1]])
    position = np.repeat(first[group] - before, count) + np.arange(int(count.sum()))
    return np.repeat(students, count), offers[offer[position]]


def build_edges(problem: Problem) -> Edges:
    """Every allowed pair with its cost, sorted by student, cost, offer."""
    found_students, found_offers, found_minutes = [], [], []
    for students, offers in candidates(problem):
        checks, minutes = pair_checks(problem, students, offers)
        allowed = np.logical_and.reduce(list(checks.values()))
        found_students.append(students[allowed])
        found_offers.append(offers[allowed])
        found_minutes.append(minutes[allowed])
    student = np.concatenate([np.zeros(0, np.int64), *found_students])
    offer = np.concatenate([np.zeros(0, np.int64), *found_offers])
    minutes = np.concatenate([np.zeros(0, np.int64), *found_minutes])
    return costed(problem, student, offer, minutes)


def costed(problem: Problem, student: IntArray, offer: IntArray, minutes: IntArray) -> Edges:
    """The pairs with their rank, cost and unchecked flags, sorted by student, cost, offer."""
    weights, s, o = problem.weights, problem.students, problem.offers
    area = o.service_area[offer]
    ranks = s.area_rank
    ranked = (area >= 0) & (area < ranks.shape[1])
    rank = np.zeros(student.shape[0], np.int64)
    rank[ranked] = ranks[student[ranked], area[ranked]]
    preference = np.where(
        rank > 0, (rank - 1) * weights.preference_step, weights.unranked_area
    ).astype(np.int64)
    limit = s.travel_limit[student]
    unknown = minutes == NONE
    assumed = np.where(limit == NONE, weights.unknown_travel_minutes, limit)
    travel = np.where(unknown, assumed, minutes) * weights.travel_minute
    shortfall = np.maximum(0, FULL_PE_STAGE - o.pe_stage[offer]) * weights.pe_stage_shortfall
    cost = (preference + travel + shortfall).astype(np.int64)
    order = np.lexsort((offer, cost, student))
    unchecked = unknown & (limit != NONE)
    return Edges(
        student[order], offer[order], cost[order], minutes[order], rank[order], unchecked[order]
    )


def rejections(problem: Problem, students: IntArray) -> IntArray:
    """For each of ``students``, how many offers each constraint (first broken) rules out.

    Returns a (len(students), len(Constraint)) count matrix.
    """
    counts = np.zeros((students.shape[0], len(Constraint)), np.int64)
    offers = np.arange(len(problem.offers), dtype=np.int64)
    step = max(1, BLOCK_PAIRS // max(offers.size, 1))
    for start in range(0, students.shape[0], step):
        block = students[start : start + step]
        checks, _ = pair_checks(problem, block[:, None], offers[None, :])
        broken = ~np.stack([checks[c] for c in Constraint])  # (constraint, student, offer)
        first = np.where(broken.any(axis=0), broken.argmax(axis=0), -1)
        for constraint in Constraint:
            counts[start : start + step, constraint] = (first == constraint).sum(axis=1)
    return counts
