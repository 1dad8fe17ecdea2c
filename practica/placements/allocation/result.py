"""What an allocation run returns: proposals with explanations, the unplaced with their
binding reasons, the objective's parts and the certificate that proved them."""

from __future__ import annotations

from dataclasses import dataclass, field

from practica.placements.allocation.problem import IntArray


@dataclass(frozen=True)
class Assignment:
    """A proposed placement of one student in one offer (a proposal, never applied here)."""

    student_id: int
    offer_id: int
    cost: int
    minutes: int
    travel_unchecked: bool
    pinned: bool
    explanation: str


@dataclass(frozen=True)
class Unplaced:
    """A student the optimum cannot place, and why.

    ``binding`` is ``"no_feasible_offer"`` (``rejected`` counts the offers each hard
    constraint ruled out), ``"offers_full"`` (``full_offers`` names every feasible offer,
    each full itself or through its practice educator's capacity) or, only under coupled
    rules, ``"quota"`` (``reason`` names each full quota of the student's university that
    covers an offer open to them with room: "the quota of 4 for … with … is full") or
    ``"coupled_rule"`` (the other placement of a couple binds).
    """

    student_id: int
    binding: str
    reason: str
    rejected: dict[str, int] = field(default_factory=dict)
    full_offers: tuple[int, ...] = ()


@dataclass(frozen=True)
class Objective:
    """The lexicographic objective's parts, in order of priority.

    ``placed`` is maximised first; then ``worst_cost``, the highest cost of any placed
    student, is minimised; then ``total_cost``. ``total_cost_without_fairness`` is the
    cheapest total placing as many students with no bound on the worst cost, and
    ``price_of_fairness`` the difference (None when that comparison was not asked for).
    """

    placed: int
    unplaced: int
    worst_cost: int
    total_cost: int
    total_cost_without_fairness: int | None
    worst_cost_without_fairness: int | None

    @property
    def price_of_fairness(self) -> int | None:
        if self.total_cost_without_fairness is None:
            return None
        return self.total_cost - self.total_cost_without_fairness


@dataclass(frozen=True)
class Proof:
    """What was checked on this run.

    ``min_reduced_cost`` >= 0 over ``residual_arcs`` arcs proves the total cost cheapest;
    no residual source -> sink path proves ``placed`` largest; ``placed_below_worst`` bounds
    the students placeable when every pair must cost less than ``worst_cost`` (the capacity
    of a cut there, or where that threshold is the count bound, the number of students with
    any such pair), which is fewer than ``placed``, so the worst cost cannot be lowered; None when
    nobody is placed or no cheaper pair exists. ``offer_price`` and ``pe_price`` are the
    dual prices of offers' and PEs' capacity (0 unless full).
    """

    min_reduced_cost: int
    residual_arcs: int
    placed_below_worst: int | None
    offer_price: IntArray
    pe_price: IntArray


@dataclass(frozen=True)
class Stage:
    """One stage of the integer program (coupled rules): the value found and the bound
    proven for it; ``proven`` when they meet (the solver proved optimality)."""

    name: str
    value: int
    bound: int
    proven: bool

    @property
    def gap(self) -> float:
        """The relative gap between the value found and the proven bound."""
        return abs(self.bound - self.value) / max(1, abs(self.value))


@dataclass(frozen=True)
class Result:
    """One run's outcome; ``offer_of[i]`` is the offer index of student ``i`` or -1.

    ``proof`` is the flow's certificate (None when the integer program solved coupled
    rules: then ``stages`` hold each stage's value, bound and gap). ``optimal`` is True only
    when optimality was proven: always for the flow, for the integer program only when every
    stage was.
    """

    offer_of: IntArray
    assignments: tuple[Assignment, ...]
    unplaced: tuple[Unplaced, ...]
    objective: Objective
    proof: Proof | None
    warnings: tuple[str, ...]
    timings: dict[str, float]
    optimal: bool = True
    stages: tuple[Stage, ...] = ()
