"""This app's entries for the URL-walking access tests (see practica/organisations/tests/access.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from practica.accounts.models import Role
from practica.core.models import Organisation
from practica.placements.tests.factories import StudentFactory
from tests.access_tables import only

OBJECT_ROUTES: dict[str, Callable[[Organisation], dict[str, Any]]] = {
    "placements:student-detail": lambda org: {"pk": StudentFactory.create(hei=org).pk},
}
ROLE_MATRIX: dict[str, dict[Role, int]] = {
    "placements:student-list": only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR),
}
