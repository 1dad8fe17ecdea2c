"""This app's entries for the URL-walking access tests (see practica/organisations/tests/access.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from practica.accounts.models import Role
from practica.core.models import Organisation

OBJECT_ROUTES: dict[str, Callable[[Organisation], dict[str, Any]]] = {}
ROLE_MATRIX: dict[str, dict[Role, int]] = {}
