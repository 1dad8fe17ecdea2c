"""Who imports, and who sees the record of each import."""

from __future__ import annotations

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
