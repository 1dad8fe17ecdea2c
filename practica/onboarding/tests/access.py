"""This app's entries for the URL-walking access tests (see practica/organisations/tests/access.py).

The wizard is open only to a superuser while no organisation exists, so every role (each a
member of an organisation) is refused."""

from __future__ import annotations

from practica.accounts.models import Role
from tests.access_tables import only

NOBODY = only(otherwise=403)
ROLE_MATRIX: dict[str, dict[Role, int]] = {
    f"onboarding:{name}": NOBODY
    for name in ("task-list", "partnership", "lead", "members", "year", "coordinators", "check")
}
ROLE_MATRIX["onboarding:done"] = NOBODY
