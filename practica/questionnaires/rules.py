"""Who sees and does what with questionnaires (docs/0024-questionnaire-engine.md).

A questionnaire of an organisation is its coordinators' to change, send and read; one of the
whole partnership (no organisation) is the partnership manager's, and any coordinator of the
partnership may send it to their people. The partnership manager changes and reads them all.
Answering needs no account: the personal link is the credential (``services.invitation_for_token``).
"""

from __future__ import annotations

from django.db.models import Q

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
from practica.questionnaires.models import Questionnaire

# send a published version to people, and remind them
DISTRIBUTE = "distribute"
# read the collated answers and download them
RESULTS = "results"

__all__ = ["DISTRIBUTE", "MANAGE", "RESULTS", "RULES", "VIEW"]

PARTNERSHIP_WIDE = Q(organisation__isnull=True)

RULES = [
    Rules(
        Questionnaire,
        InOrganisation(COORDINATORS, {VIEW, MANAGE, DISTRIBUTE, RESULTS}),
        InPartnership(COORDINATORS, {VIEW, DISTRIBUTE}, where=PARTNERSHIP_WIDE),
        PARTNERSHIP_MANAGER_READS,
        InPartnership(PARTNERSHIP_MANAGER, {MANAGE, DISTRIBUTE, RESULTS}),
        organisation="organisation",
        partnership="partnership",
    ),
]
