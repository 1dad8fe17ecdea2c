"""This app's entries for the URL-walking access tests (see practica/organisations/tests/access.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from practica.accounts.models import Role
from practica.core.models import Organisation
from tests.access_tables import ALL, only

OBJECT_ROUTES: dict[str, Callable[[Organisation], dict[str, Any]]] = {}

# Routes whose parameter is a secret token rather than an object id; tested on their own.
TOKEN_ROUTES = {
    "accounts:password-reset-confirm": "practica/accounts/tests/test_password_reset.py",
    "accounts:invitation-accept": "practica/accounts/tests/test_invitations.py",
}

ROLE_MATRIX: dict[str, dict[Role, int]] = {
    "accounts:invitation-list": only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR),
    "accounts:invitation-create": only(Role.COORDINATOR),
    "accounts:switch-organisation": dict.fromkeys(Role, 405),
    "accounts:login": dict.fromkeys(Role, 302),
    "accounts:logout": dict.fromkeys(Role, 405),
    "accounts:password-reset": ALL,
    "accounts:password-reset-done": ALL,
    "accounts:password-reset-complete": ALL,
    "accounts:account": ALL,
    # The matrix runs with PRACTICA_MFA_REQUIRED off and no one set up: anyone may set it up;
    # with nothing set up, the other two-factor pages send the user on (test_two_factor_*.py).
    "accounts:two-factor-setup": ALL,
    "accounts:two-factor-verify": dict.fromkeys(Role, 302),
    "accounts:two-factor-recovery-codes": dict.fromkeys(Role, 302),
    "accounts:two-factor-turn-off": dict.fromkeys(Role, 302),
}

# Routes an anonymous visitor may reach without signing in.
PUBLIC = {
    "accounts:login",
    "accounts:logout",
    "accounts:password-reset",
    "accounts:password-reset-done",
    "accounts:password-reset-complete",
    "accounts:password-reset-confirm",
    "accounts:invitation-accept",
}
