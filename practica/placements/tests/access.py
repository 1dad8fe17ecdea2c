"""This app's entries for the URL-walking access tests (see practica/organisations/tests/access.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from practica.accounts.models import Role
from practica.core.models import Organisation
from practica.placements.tests.factories import (
    PlacementFactory,
    PlacementOfferFactory,
    StudentFactory,
)
from tests.access_tables import only


def _offer(org: Organisation) -> dict[str, Any]:
    return {"pk": PlacementOfferFactory.create(organisation=org).pk}


def _placement(org: Organisation) -> dict[str, Any]:
    return {"pk": PlacementFactory.create(organisation=org).pk}


OBJECT_ROUTES: dict[str, Callable[[Organisation], dict[str, Any]]] = {
    "placements:student-detail": lambda org: {"pk": StudentFactory.create(hei=org).pk},
    "placements:student-profile": lambda org: {"pk": StudentFactory.create(hei=org).pk},
    "placements:offer-detail": _offer,
    "placements:offer-edit": _offer,
    "placements:placement-detail": _placement,
    "placements:placement-step": lambda org: {**_placement(org), "step": "match"},
}
# The single-use link of a PE or supervisor without an account: a secret token, not an id.
TOKEN_ROUTES = {"placements:placement-link": "practica/placements/tests/test_placement_links.py"}
PUBLIC = {"placements:placement-link"}
ROLE_MATRIX: dict[str, dict[Role, int]] = {
    "placements:student-list": only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR),
    "placements:offer-list": only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR),
    "placements:placement-list": only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR),
    # a local authority's coordinator offers placements; universities ask for them
    "placements:offer-create": only(Role.COORDINATOR),
    "placements:placement-request": only(),
}

# placement evaluations (docs/0031-placement-evaluation.md)
OBJECT_ROUTES["placements:evaluation"] = _placement
# a local authority's coordinator reads its placements' evaluations (a university's staff their
# students', but the matrix's organisation is not a university)
ROLE_MATRIX["placements:evaluations"] = only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR)
