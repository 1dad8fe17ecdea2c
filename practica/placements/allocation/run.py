"""The one entry point: flow for independent students, integer program for coupled rules."""

from __future__ import annotations

from practica.placements.allocation import coupled, engine
from practica.placements.allocation.problem import Problem
from practica.placements.allocation.result import Result


def solve(
    problem: Problem, *, price_of_fairness: bool = True, time_limit: float = 30.0, workers: int = 1
) -> Result:
    """Allocate ``problem``: the certified min-cost flow (engine.py), or, when it has
    couples or quotas, the integer program warm-started from it (coupled.py), which stops
    each stage after ``time_limit`` seconds on ``workers`` threads and reports its gap."""
    if problem.couples or problem.quotas:
        return coupled.solve_coupled(problem, time_limit=time_limit, workers=workers)
    return engine.solve(problem, price_of_fairness=price_of_fairness)
