"""Who sees and does what with the practitioner-teacher and lived-experience directories and the
universities' sessions (docs/0003-data-sharing.md, docs/0032-teaching-app.md).

A first cut that the directory and session work refine: employers keep their practitioner
teachers; a university keeps its lived-experience contributors, whom nobody else sees (not even
the partnership manager, who reads only the reports' totals); a university keeps its sessions,
and the employers and people who took part in one read it.
"""

from __future__ import annotations

from practica.accounts.grants import (
    COORDINATORS,
    MANAGE,
    PARTNERSHIP_MANAGER_READS,
    VIEW,
    AboutThemselves,
    InOrganisation,
    Rules,
    Through,
)
from practica.accounts.models import Role
from practica.core.models import OrganisationKind
from practica.teaching.models import (
    LivedExperienceContributor,
    NominatedContact,
    OfferLink,
    PeerObservation,
    PractitionerTeacher,
    RequestOffer,
    SessionContributor,
    TeachingRequest,
    TeachingSession,
)
from practica.teaching.sessions.abilities import ACCEPT, CONFIRM, OFFER

__all__ = ["ACCEPT", "CONFIRM", "HEI", "HEI_STAFF", "OFFER", "RULES"]

HEI = {OrganisationKind.HEI}
HEI_STAFF = COORDINATORS | {Role.ACADEMIC}

RULES = [
    Rules(
        PractitionerTeacher,
        InOrganisation(COORDINATORS, {VIEW, MANAGE}),
        PARTNERSHIP_MANAGER_READS,
        AboutThemselves("person__user", {VIEW}),
    ),
    Rules(
        LivedExperienceContributor,
        InOrganisation(HEI_STAFF, {VIEW, MANAGE}, organisation_kinds=HEI),
        AboutThemselves("person__user", {VIEW}),
    ),
    Rules(
        TeachingSession,
        InOrganisation(HEI_STAFF, {VIEW, MANAGE}, organisation_kinds=HEI),
        PARTNERSHIP_MANAGER_READS,
        # the employers of the practitioners who took part read the session
        InOrganisation(COORDINATORS, {VIEW}, via=("contributors__organisation",)),
        AboutThemselves("contributors__practitioner_teacher__person__user", {VIEW}),
        AboutThemselves("contributors__contributor__person__user", {VIEW}),
    ),
    Rules(
        SessionContributor,
        Through("session", VIEW, {VIEW}),
        # the university keeps who took part in its sessions (sessions/services.py, imports)
        Through("session", MANAGE, {MANAGE}),
    ),
    # --- the request protocol and quality (sessions/) ---
    # an organisation's coordinators name its contact; everyone of the partnership may read who
    Rules(
        NominatedContact,
        InOrganisation(COORDINATORS, {VIEW, MANAGE}),
        PARTNERSHIP_MANAGER_READS,
    ),
    Rules(
        TeachingRequest,
        InOrganisation(HEI_STAFF, {VIEW, MANAGE, ACCEPT}, organisation_kinds=HEI),
        PARTNERSHIP_MANAGER_READS,
        # the local authorities asked read it and offer practitioners from their directory
        InOrganisation(
            COORDINATORS,
            {VIEW, OFFER},
            via=("targets",),
            organisation_kinds={OrganisationKind.LOCAL_AUTHORITY},
        ),
        AboutThemselves("offers__practitioner_teacher__person__user", {VIEW}),
    ),
    Rules(
        RequestOffer,
        InOrganisation(HEI_STAFF, {VIEW, ACCEPT}, organisation_kinds=HEI),
        PARTNERSHIP_MANAGER_READS,
        InOrganisation(COORDINATORS, {VIEW, MANAGE}, via=("organisation",)),
        AboutThemselves("practitioner_teacher__person__user", {VIEW, CONFIRM}),
    ),
    # who was sent a link (never the token, which is not stored)
    Rules(
        OfferLink,
        InOrganisation(COORDINATORS, {VIEW}, via=("offer__organisation",)),
        PARTNERSHIP_MANAGER_READS,
    ),
    # the university's staff and the practitioner observed; no other practitioner, no employer
    Rules(
        PeerObservation,
        InOrganisation(HEI_STAFF, {VIEW, MANAGE}, organisation_kinds=HEI),
        AboutThemselves("practitioner_teacher__person__user", {VIEW}),
    ),
]
