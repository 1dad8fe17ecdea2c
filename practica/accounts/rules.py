"""Who sees and changes memberships and invitations: the organisation's coordinators."""

from __future__ import annotations

from practica.accounts.grants import (
    COORDINATORS,
    MANAGE,
    PARTNERSHIP_MANAGER_READS,
    VIEW,
    InOrganisation,
    Rules,
)
from practica.accounts.models import Invitation, Membership

RULES = [
    Rules(Membership, InOrganisation(COORDINATORS, {VIEW, MANAGE}), PARTNERSHIP_MANAGER_READS),
    Rules(Invitation, InOrganisation(COORDINATORS, {VIEW, MANAGE}), PARTNERSHIP_MANAGER_READS),
]
