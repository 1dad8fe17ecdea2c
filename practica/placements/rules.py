"""Who sees and does what with students (docs/0003-data-sharing.md)."""

from __future__ import annotations

from practica.accounts.grants import (
    COORDINATORS,
    MANAGE,
    PARTNERSHIP_MANAGER,
    PARTNERSHIP_MANAGER_READS,
    VIEW,
    InOrganisation,
    InPartnership,
    Rules,
)
from practica.core.models import OrganisationKind
from practica.placements.models import Student

# keep a student list: a university's coordinators (the partnership manager reads them all);
# a local authority's coordinators hold no students, so their navigation offers none
KEEP = "keep"

RULES = [
    Rules(
        Student,
        InOrganisation(COORDINATORS, {VIEW, MANAGE}),
        PARTNERSHIP_MANAGER_READS,
        InOrganisation(COORDINATORS, {KEEP}, organisation_kinds={OrganisationKind.HEI}),
        InPartnership(PARTNERSHIP_MANAGER, {KEEP}),
    ),
]
