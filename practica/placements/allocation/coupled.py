"""Rules that couple students, solved as an integer program (OR-Tools CP-SAT).

A Step Up student's two placements (``Problem.couples``: both placed or neither, in
different settings) and quotas per university (``Problem.quotas``) are not flows, so these
problems go to CP-SAT with one 0/1 variable per allowed pair. The same lexicographic
objective is solved in three stages, each keeping the best value of the ones before:
most placed, then the least worst cost (with the total as a tie-break, so that its solution
is already a good start for the last stage), then the least total. Every stage is warm-started
(a solution hint) from the previous one, the first from the certified flow solution of the
same problem without the coupling rules. Each stage reports its value, its proven bound and
their gap; ``Result.optimal`` is True only when all three are proven, and an unproven result
is never called optimal.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from practica.placements.allocation import engine
from practica.placements.allocation.engine import Clock, apply_pins, rejected_counts
from practica.placements.allocation.explain import Words, head_text
from practica.placements.allocation.feasibility import Edges, build_edges
from practica.placements.allocation.problem import NONE, IntArray, Problem, Quota
from practica.placements.allocation.result import Assignment, Objective, Result, Stage, Unplaced


class CoupledRulesError(ValueError):
    """The pins cannot hold together with the coupling rules."""


@dataclass
class Model:
    """The CP-SAT model over the allowed pairs and its pair variables."""

    model: cp_model.CpModel
    pairs: list[cp_model.IntVar]
    placed: cp_model.LinearExpr


def build_model(problem: Problem, edges: Edges, pinned: IntArray) -> Model:
    """Variables and constraints: one offer per student, slots, PE capacity, pins, couples,
    quotas."""
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"pair{e}") for e in range(len(edges))]
    for group in groups(edges.student):
        model.add(sum(x[e] for e in group) <= 1)
    offers = problem.offers
    for group in groups(edges.offer):
        model.add(sum(x[e] for e in group) <= int(offers.slots[edges.offer[group[0]]]))
    pe = offers.pe[edges.offer]
    for group in groups(pe[pe >= 0], np.flatnonzero(pe >= 0)):
        model.add(sum(x[e] for e in group) <= int(problem.pe_capacity[pe[group[0]]]))
    for student in np.flatnonzero(pinned != NONE).tolist():
        chosen = np.flatnonzero((edges.student == student) & (edges.offer == pinned[student]))
        model.add(x[int(chosen[0])] == 1)
    add_couples(problem, edges, model, x)
    add_quotas(problem, edges, model, x)
    return Model(model, x, sum(x))  # type: ignore[arg-type]  # a sum of variables is a LinearExpr


def groups(keys: IntArray, positions: IntArray | None = None) -> list[list[int]]:
    """Positions (default: indices) grouped by equal key."""
    where = np.arange(keys.size) if positions is None else positions
    order = np.argsort(keys, kind="stable")
    splits = np.flatnonzero(np.diff(keys[order])) + 1
    return [where[part].tolist() for part in np.split(order, splits) if part.size]


def add_couples(
    problem: Problem, edges: Edges, model: cp_model.CpModel, x: Sequence[cp_model.IntVar]
) -> None:
    """Both placements of a couple or neither, and never in the same setting."""
    if not problem.couples:
        return
    pairs = np.asarray(problem.couples, np.int64).reshape(-1, 2)
    firsts, finals = problem.student_index(pairs[:, 0]), problem.student_index(pairs[:, 1])
    setting = problem.offers.setting[edges.offer]
    for first, final in zip(firsts.tolist(), finals.tolist(), strict=True):
        a, b = np.flatnonzero(edges.student == first), np.flatnonzero(edges.student == final)
        model.add(sum(x[e] for e in a.tolist()) == sum(x[e] for e in b.tolist()))
        for shared in np.intersect1d(setting[a], setting[b]).tolist():
            both = np.r_[a[setting[a] == shared], b[setting[b] == shared]]
            model.add(sum(x[e] for e in both.tolist()) <= 1)


def add_quotas(
    problem: Problem, edges: Edges, model: cp_model.CpModel, x: Sequence[cp_model.IntVar]
) -> None:
    hei = problem.students.hei[edges.student]
    provider = problem.offers.provider[edges.offer]
    for quota in problem.quotas:
        inside = (hei == quota.hei) & ((quota.provider == NONE) | (provider == quota.provider))
        model.add(sum(x[e] for e in np.flatnonzero(inside).tolist()) <= quota.limit)


def run_stage(
    name: str,
    m: Model,
    objective: cp_model.LinearExpr,
    *,
    maximise: bool,
    hint: list[int],
    limit: float,
    workers: int,
    scale: int = 1,
) -> tuple[Stage, list[int]]:
    """Solve one stage from ``hint``; its Stage record and the pair values found. With
    ``scale``, the objective is ``scale * value + a tie-break below scale``, and the stage
    reports the value and bound of the first part."""
    m.model.clear_hints()  # type: ignore[no-untyped-call]  # OR-Tools leaves it unannotated
    for variable, value in zip(m.pairs, hint, strict=True):
        m.model.add_hint(variable, value)
    if maximise:
        m.model.maximize(objective)
    else:
        m.model.minimize(objective)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit
    solver.parameters.num_workers = workers
    status = solver.solve(m.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise CoupledRulesError(f"the {name} stage ended {solver.status_name(status)}")
    value = round(solver.objective_value) // scale
    bound = math.ceil(solver.best_objective_bound) // scale
    stage = Stage(
        name=name, value=value, bound=bound, proven=status == cp_model.OPTIMAL or value == bound
    )
    return stage, [int(solver.value(v)) for v in m.pairs]


def solve_coupled(problem: Problem, *, time_limit: float = 30.0, workers: int = 1) -> Result:
    """The lexicographic optimum under the coupling rules, or the best found within
    ``time_limit`` seconds per stage with its proven gap."""
    clock = Clock()
    edges = clock.time("feasibility", lambda: build_edges(problem))
    pins = apply_pins(problem, edges)
    relaxed = dataclasses.replace(problem, couples=(), quotas=())
    warm = clock.time("flow_warm_start", lambda: engine.solve(relaxed, price_of_fairness=False))
    relaxation = warm.objective  # coupling rules only remove solutions: its optimum bounds ours
    if keeps_coupled_rules(problem, warm.offer_of):  # then it is our optimum too
        return clock.time(
            "explanations",
            lambda: coupled_result(
                problem, edges, warm.offer_of, pins.offer_of, settled(relaxation), clock.timings
            ),
        )
    start = repaired(problem, warm.offer_of, pins.offer_of)
    hint = (start[edges.student] == edges.offer).astype(int).tolist()
    m = build_model(problem, edges, pins.offer_of)
    m.model.add(m.placed <= relaxation.placed)
    cost = edges.cost.tolist()
    most, hint = clock.time(
        "most_placed",
        lambda: run_stage(
            "most placed", m, m.placed, maximise=True, hint=hint, limit=time_limit, workers=workers
        ),
    )
    most = bounded(most, relaxation.placed, above=True)
    m.model.add(m.placed >= most.value)
    worst_var = m.model.new_int_var(0, max(cost, default=0), "worst")
    for variable, c in zip(m.pairs, cost, strict=True):
        m.model.add(worst_var >= c * variable)
    m.pairs.append(worst_var)
    as_many = most.value == relaxation.placed
    if as_many:  # then every solution here is one of the relaxation's with the most placed
        m.model.add(worst_var >= relaxation.worst_cost)
    found_worst = max((c for c, v in zip(cost, hint, strict=True) if v), default=0)
    hint = [*hint, found_worst]
    total_expr = sum(c * v for c, v in zip(cost, m.pairs, strict=False))
    scale = sum(cost) + 1  # above any total: the total only breaks ties between worst costs
    if as_many and found_worst == relaxation.worst_cost:  # already at its bound
        worst = Stage("least worst cost", found_worst, found_worst, proven=True)
    else:
        worst, hint = clock.time(
            "least_worst",
            lambda: run_stage(
                "least worst cost",
                m,
                worst_var * scale + total_expr,
                maximise=False,
                hint=hint,
                limit=time_limit,
                workers=workers,
                scale=scale,
            ),
        )
        reached = max((c for c, v in zip(cost, hint, strict=False) if v), default=0)
        worst = dataclasses.replace(
            worst, value=reached, proven=worst.proven or reached == worst.bound
        )
        hint = [*hint[:-1], reached]  # the worst cost the solution reached, not the variable
    if as_many:
        worst = bounded(worst, relaxation.worst_cost, above=False)
    m.model.add(worst_var <= worst.value)
    if as_many and worst.value == relaxation.worst_cost:
        m.model.add(total_expr >= relaxation.total_cost)
    total, hint = clock.time(
        "least_total",
        lambda: run_stage(
            "least total cost",
            m,
            total_expr,
            maximise=False,
            hint=hint,
            limit=time_limit,
            workers=workers,
        ),
    )
    chosen = np.flatnonzero(np.asarray(hint[: len(edges)]) > 0)
    final_worst = int(edges.cost[chosen].max(initial=0))
    if final_worst <= worst.bound:  # the last stage's solution reached the worst-cost bound
        worst = Stage(worst.name, final_worst, worst.bound, proven=True)
    if as_many and worst.value == relaxation.worst_cost:
        total = bounded(total, relaxation.total_cost, above=False)
    offer_of = np.full(len(problem.students), NONE, np.int64)
    offer_of[edges.student[chosen]] = edges.offer[chosen]
    return clock.time(
        "explanations",
        lambda: coupled_result(
            problem, edges, offer_of, pins.offer_of, (most, worst, total), clock.timings
        ),
    )


def repaired(problem: Problem, offer_of: IntArray, pinned: IntArray) -> IntArray:
    """``offer_of`` made to keep the coupling rules by taking students out (never pinned
    ones): the excess over each quota, then both entries of every broken couple. A feasible
    start for the integer program."""
    fixed = offer_of.copy()
    hei, provider = problem.students.hei, problem.offers.provider
    for quota in problem.quotas:
        placed = fixed != NONE
        inside = placed & (hei == quota.hei)
        if quota.provider != NONE:
            inside &= provider[np.maximum(fixed, 0)] == quota.provider
        movable = np.flatnonzero(inside & (pinned == NONE))
        excess = int(inside.sum()) - quota.limit
        if excess > 0:
            fixed[movable[len(movable) - excess :]] = NONE
    if problem.couples:
        pairs = np.asarray(problem.couples, np.int64).reshape(-1, 2)
        a, b = problem.student_index(pairs[:, 0]), problem.student_index(pairs[:, 1])
        setting = problem.offers.setting
        one_only = (fixed[a] == NONE) != (fixed[b] == NONE)
        same = (fixed[a] != NONE) & (fixed[b] != NONE)
        same[same] = setting[fixed[a][same]] == setting[fixed[b][same]]
        broken = one_only | same
        for student in np.r_[a[broken], b[broken]].tolist():
            if pinned[student] == NONE:
                fixed[student] = NONE
    return fixed


def bounded(stage: Stage, bound: int, *, above: bool) -> Stage:
    """``stage`` with the relaxation's bound where it is tighter than the solver's."""
    best = min(stage.bound, bound) if above else max(stage.bound, bound)
    return dataclasses.replace(stage, bound=best, proven=stage.proven or best == stage.value)


def settled(relaxation: Objective) -> tuple[Stage, Stage, Stage]:
    """The stages when the relaxation's optimum keeps the coupling rules: all proven."""
    return (
        Stage("most placed", relaxation.placed, relaxation.placed, proven=True),
        Stage("least worst cost", relaxation.worst_cost, relaxation.worst_cost, proven=True),
        Stage("least total cost", relaxation.total_cost, relaxation.total_cost, proven=True),
    )


def keeps_coupled_rules(problem: Problem, offer_of: IntArray) -> bool:
    """Whether an assignment keeps every couple (both or neither, different settings) and
    every quota."""
    if problem.couples:
        pairs = np.asarray(problem.couples, np.int64).reshape(-1, 2)
        a = offer_of[problem.student_index(pairs[:, 0])]
        b = offer_of[problem.student_index(pairs[:, 1])]
        if ((a == NONE) != (b == NONE)).any():
            return False
        both = (a != NONE) & (b != NONE)
        setting = problem.offers.setting
        if (setting[a[both]] == setting[b[both]]).any():
            return False
    placed = offer_of != NONE
    hei = problem.students.hei[placed]
    provider = problem.offers.provider[offer_of[placed]]
    return all(
        int(((hei == q.hei) & ((q.provider == NONE) | (provider == q.provider))).sum()) <= q.limit
        for q in problem.quotas
    )


def coupled_result(
    problem: Problem,
    edges: Edges,
    offer_of: IntArray,
    pinned: IntArray,
    stages: tuple[Stage, Stage, Stage],
    timings: dict[str, float],
) -> Result:
    """Proposals with the integer program's own account (no dual prices), and reasons."""
    words = Words.of(problem)
    proven = all(stage.proven for stage in stages)
    status = (
        "proven optimal"
        if proven
        else "best found, not proven optimal ("
        + "; ".join(f"{s.name}: gap {s.gap:.1%}" for s in stages if not s.proven)
        + ")"
    )
    s = problem.students
    assignments = []
    chosen = np.flatnonzero(offer_of[edges.student] == edges.offer).tolist()
    closer_all = {}
    for e in chosen:
        student = int(edges.student[e])
        mine = edges.minutes[edges.student == student]
        closer_all[student] = (
            int(((mine != NONE) & (mine < edges.minutes[e])).sum())
            if edges.minutes[e] != NONE
            else 0
        )
        text = head_text(
            words,
            closer=closer_all[student],
            limit=int(s.travel_limit[student]),
            route=int(s.route[student]),
            kind=int(s.needs_type[student]),
            minutes=int(edges.minutes[e]),
            rank=int(edges.rank[e]),
            stage=int(problem.offers.pe_stage[edges.offer[e]]),
        )
        prefix = "pinned by a coordinator; " if pinned[student] != NONE else ""
        assignments.append(
            Assignment(
                student_id=int(s.ids[student]),
                offer_id=int(problem.offers.ids[edges.offer[e]]),
                cost=int(edges.cost[e]),
                minutes=int(edges.minutes[e]),
                travel_unchecked=bool(edges.unchecked[e]),
                pinned=pinned[student] != NONE,
                explanation=f"{prefix}{text}. Coupled rules, integer program: {status}",
            )
        )
    costs = edges.cost[chosen]
    objective = Objective(
        placed=len(chosen),
        unplaced=len(problem.students) - len(chosen),
        worst_cost=int(costs.max(initial=0)),
        total_cost=int(costs.sum()),
        total_cost_without_fairness=None,
        worst_cost_without_fairness=None,
    )
    return Result(
        offer_of=offer_of,
        assignments=tuple(assignments),
        unplaced=unplaced_reasons(problem, edges, offer_of),
        objective=objective,
        proof=None,
        warnings=tuple(
            f"student {a.student_id}: travel limit could not be checked (journey time unknown)"
            for a in assignments
            if a.travel_unchecked
        ),
        timings=timings,
        optimal=proven,
        stages=stages,
    )


def unplaced_reasons(problem: Problem, edges: Edges, offer_of: IntArray) -> tuple[Unplaced, ...]:
    """No allowed offer; every allowed offer full; a quota binds (which: every quota that is
    full and covers an allowed offer with room); or the other placement of a couple binds."""
    rejected = rejected_counts(problem, edges, offer_of)
    offers_all = problem.offers
    placed = offer_of[offer_of != NONE]
    full = np.bincount(placed, minlength=len(offers_all)) >= offers_all.slots
    pe = offers_all.pe
    pe_filled = np.bincount(pe[placed][pe[placed] >= 0], minlength=problem.pe_capacity.shape[0])
    full[pe >= 0] |= pe_filled[pe[pe >= 0]] >= problem.pe_capacity[pe[pe >= 0]]
    coupled = {i for pair in problem.couples for i in problem.student_index(list(pair)).tolist()}
    full_quotas = quotas_full(problem, offer_of)
    found = []
    for student in np.flatnonzero(offer_of == NONE).tolist():
        student_id = int(problem.students.ids[student])
        offers = edges.offer[edges.student == student]
        hei = int(problem.students.hei[student])
        open_providers = set(offers_all.provider[offers[~full[offers]]].tolist())
        binding = [
            q
            for q in full_quotas
            if q.hei == hei and (q.provider == NONE or q.provider in open_providers)
        ]
        if student in rejected:
            found.append(
                Unplaced(student_id, "no_feasible_offer", "no offer is open to this student")
            )
        elif full[offers].all():
            found.append(
                Unplaced(
                    student_id,
                    "offers_full",
                    f"all {offers.size} offers open to this student are taken",
                    full_offers=tuple(int(problem.offers.ids[o]) for o in offers.tolist()),
                )
            )
        elif binding:
            names = " and ".join(f"{q.words()} is full" for q in binding)
            found.append(Unplaced(student_id, "quota", names))
        else:
            rule = (
                "their other Step Up placement cannot be placed with it, in a different setting"
                if student in coupled
                else "their university's quota with the offers open to them is reached"
            )
            found.append(
                Unplaced(student_id, "coupled_rule", f"a rule that couples students binds: {rule}")
            )
    return tuple(found)


def quotas_full(problem: Problem, offer_of: IntArray) -> list[Quota]:
    """The quotas that ``offer_of`` fills to their limit."""
    placed = offer_of != NONE
    hei = problem.students.hei[placed]
    provider = problem.offers.provider[offer_of[placed]]
    return [
        q
        for q in problem.quotas
        if int(((hei == q.hei) & ((q.provider == NONE) | (provider == q.provider))).sum())
        >= q.limit
    ]
