"""This app's entries for the URL-walking access tests (see practica/organisations/tests/access.py)."""

from __future__ import annotations

from practica.accounts.models import Role

# /healthz answers everyone alike, without sign-in; under the tests no background worker runs,
# so it answers 503 (practica/core/tests/test_healthz.py covers 200).
ROLE_MATRIX = {"healthz": dict.fromkeys(Role, 503)}
PUBLIC = {"healthz"}
