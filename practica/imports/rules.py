"""Who imports, and who sees the record of each import."""

from __future__ import annotations

from typing import Any

from practica.accounts.grants import (
    COORDINATORS,
    MANAGE,
    PARTNERSHIP_MANAGER,
    PARTNERSHIP_MANAGER_READS,
    VIEW,
    InOrganisation,
    Rules,
)
from practica.imports.models import ImportRun

# bring in spreadsheets (each import kind still checks every row's organisation)
IMPORT = "import"

RULES = [
    Rules(
        ImportRun,
        InOrganisation(COORDINATORS, {VIEW, MANAGE}),
        PARTNERSHIP_MANAGER_READS,
        InOrganisation(COORDINATORS | PARTNERSHIP_MANAGER, {IMPORT}),
    ),
]


def may_start_again(viewer: Any, run: ImportRun) -> bool:
    """Whether ``viewer`` may start ``run``'s upload again: try a stopped import again, or
    import a checked file for real. Only who started the import may (whoever else may see it
    reads it only); the services refuse anyone else, and pages ask this to offer the button."""
    return viewer is not None and run.created_by_id is not None and run.created_by_id == viewer.pk
