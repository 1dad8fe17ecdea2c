"""Gathers every app's ``tests/access.py`` tables for the URL-walking access tests."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from django.apps import apps

from practica.accounts.models import Role
from practica.core.models import Organisation

ALL: dict[Role, int] = dict.fromkeys(Role, 200)
STAFF = (
    Role.COORDINATOR,
    Role.ACADEMIC,
    Role.LINE_MANAGER,
    Role.PRACTICE_EDUCATOR,
    Role.PRACTITIONER_TEACHER,
)


def only(*roles: Role, otherwise: int = 403) -> dict[Role, int]:
    """200 for these roles, ``otherwise`` for the rest."""
    return {role: 200 if role in roles else otherwise for role in Role}


def _gather() -> tuple[
    dict[str, Callable[[Organisation], dict[str, Any]]],
    dict[str, str],
    dict[str, dict[Role, int]],
    set[str],
]:
    objects: dict[str, Callable[[Organisation], dict[str, Any]]] = {}
    tokens: dict[str, str] = {}
    matrix: dict[str, dict[Role, int]] = {}
    public: set[str] = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("practica."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.access")
        except ModuleNotFoundError as error:
            if error.name not in {f"{config.name}.tests", f"{config.name}.tests.access"}:
                raise
            continue
        objects.update(getattr(module, "OBJECT_ROUTES", {}))
        tokens.update(getattr(module, "TOKEN_ROUTES", {}))
        tokens.update(getattr(module, "NAMED_ROUTES", {}))
        matrix.update(getattr(module, "ROLE_MATRIX", {}))
        public.update(getattr(module, "PUBLIC", set()))
    return objects, tokens, matrix, public


OBJECT_ROUTES, TOKEN_ROUTES, ROLE_MATRIX, PUBLIC = _gather()


def _gather_anonymous_statuses() -> dict[str, int]:
    """Routes that answer an anonymous request with a status of their own instead of sending
    it to sign in (the API's 401): each app's ``ANONYMOUS_STATUS``."""
    statuses: dict[str, int] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("practica."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.access")
        except ModuleNotFoundError as error:
            if error.name not in {f"{config.name}.tests", f"{config.name}.tests.access"}:
                raise
            continue
        statuses.update(getattr(module, "ANONYMOUS_STATUS", {}))
    return statuses


ANONYMOUS_STATUS = _gather_anonymous_statuses()
