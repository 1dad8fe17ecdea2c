"""The allocation engine: a pure library (numpy, SciPy, OR-Tools; no Django) that places
students in offers to a proven lexicographic optimum and explains every proposal.

Build a ``Problem`` from arrays (``Students.build``, ``Offers.build``, ``Travel``), call
``solve(problem)`` and read the ``Result``. docs/0021-allocation-engine.md describes the
model, the objective, the certificate and how an adapter fills the arrays.
"""

from practica.placements.allocation.certificate import CertificateError
from practica.placements.allocation.coupled import CoupledRulesError
from practica.placements.allocation.engine import PinError
from practica.placements.allocation.feasibility import Constraint
from practica.placements.allocation.problem import (
    NONE,
    Labels,
    Offers,
    Problem,
    Quota,
    Students,
    Travel,
    Weights,
    route_mask,
)
from practica.placements.allocation.result import (
    Assignment,
    Objective,
    Proof,
    Result,
    Stage,
    Unplaced,
)
from practica.placements.allocation.run import solve

__all__ = [
    "NONE",
    "Assignment",
    "CertificateError",
    "Constraint",
    "CoupledRulesError",
    "Labels",
    "Objective",
    "Offers",
    "PinError",
    "Problem",
    "Proof",
    "Quota",
    "Result",
    "Stage",
    "Students",
    "Travel",
    "Unplaced",
    "Weights",
    "route_mask",
    "solve",
]
