"""Who sees and does what with the practitioner-teacher and lived-experience directories and the
universities' sessions (docs/0003-data-sharing.md, docs/0032-teaching-app.md).

A first cut that the directory and session work refine: employers keep their practitioner
teachers; a university keeps its lived-experience contributors, whom nobody else sees (not even
the partnership manager, who reads only the reports' totals); a university keeps its sessions,
and the employers and people who took part in one read it.
"""

from __future__ import annotations

from django.db.models import Q

from practica.accounts.grants import (
    COORDINATORS,
    MANAGE,
    PARTNERSHIP_MANAGER,
    PARTNERSHIP_MANAGER_READS,
    SUBJECT_ACCESS,
    VIEW,
    AboutThemselves,
    InOrganisation,
    InPartnership,
    Rules,
    StartsForThemselves,
    Through,
)
from practica.accounts.models import Role
from practica.core.models import OrganisationKind
from practica.teaching.directory.abilities import (
    CONSENT,
    CONTRIBUTION_LISTED,
    CONTRIBUTION_SHARED,
    EXPRESS_INTEREST,
    LISTED,
    PRIVATE_DETAILS,
    SHARED_WITH_PARTNERS,
)
from practica.teaching.models import (
    ContributorConsent,
    ExpressionOfInterest,
    LivedExperienceContributor,
    NominatedContact,
    OfferLink,
    PeerObservation,
    PractitionerDiversity,
    PractitionerTeacher,
    ReadinessRule,
    RequestOffer,
    SessionContributor,
    Shadowing,
    TeachingRequest,
    TeachingSession,
)
from practica.teaching.sessions.abilities import ACCEPT, CONFIRM, OFFER

__all__ = [
    "ACCEPT",
    "CONFIRM",
    "CONSENT",
    "EXPRESS_INTEREST",
    "HEI",
    "HEI_STAFF",
    "LISTED",
    "OFFER",
    "PRIVATE_DETAILS",
    "RULES",
    "SHARED_WITH_PARTNERS",
]

HEI = {OrganisationKind.HEI}
LOCAL_AUTHORITIES = {OrganisationKind.LOCAL_AUTHORITY}
HEI_STAFF = COORDINATORS | {Role.ACADEMIC}

RULES = [
    Rules(
        PractitionerTeacher,
        InOrganisation(COORDINATORS, {VIEW, MANAGE}),
        PARTNERSHIP_MANAGER_READS,
        AboutThemselves("person__user", {VIEW}),
    ),
    # the practitioner's own diversity answers: nobody else reads them one by one (the
    # pt-directory-diversity report counts them over the directory its viewer may read)
    Rules(PractitionerDiversity, AboutThemselves("practitioner_teacher__person__user", {VIEW})),
    Rules(
        LivedExperienceContributor,
        # the university's staff, while the contributor consents to being listed
        InOrganisation(
            HEI_STAFF, {VIEW, MANAGE, PRIVATE_DETAILS}, organisation_kinds=HEI, where=LISTED
        ),
        # the partnership's local authorities, only if the contributor consents to it; never
        # their payment preferences or accessibility needs
        InPartnership(
            COORDINATORS, {VIEW}, organisation_kinds=LOCAL_AUTHORITIES, where=SHARED_WITH_PARTNERS
        ),
        AboutThemselves("person__user", {VIEW, PRIVATE_DETAILS, CONSENT}),
    ),
    Rules(ContributorConsent, Through("contributor", PRIVATE_DETAILS, {VIEW})),
    Rules(
        ExpressionOfInterest,
        InOrganisation(COORDINATORS, {VIEW, MANAGE}),
        PARTNERSHIP_MANAGER_READS,
        StartsForThemselves(
            {Role.PRACTITIONER_TEACHER, Role.PRACTICE_EDUCATOR}, {EXPRESS_INTEREST}
        ),
        AboutThemselves("person__user", {VIEW}),
    ),
    Rules(Shadowing, Through("practitioner_teacher", VIEW, {VIEW})),
    Rules(
        ReadinessRule,
        InPartnership(COORDINATORS, {VIEW}),
        InOrganisation(COORDINATORS, {MANAGE}),
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
    # who took part in a session: a lived-experience contributor only as their consent allows
    # (the university while they are listed, the employers of the session's practitioners only
    # when they share with partners, the partnership manager never), like the directory
    Rules(
        SessionContributor,
        # the university keeps who took part in its sessions (sessions/services.py, imports)
        InOrganisation(
            HEI_STAFF, {VIEW, MANAGE}, organisation_kinds=HEI, where=CONTRIBUTION_LISTED
        ),
        InPartnership(PARTNERSHIP_MANAGER, {VIEW, SUBJECT_ACCESS}, where=Q(contributor=None)),
        InOrganisation(
            COORDINATORS,
            {VIEW},
            via=("session__contributors__organisation",),
            where=CONTRIBUTION_SHARED,
        ),
        AboutThemselves("practitioner_teacher__person__user", {VIEW}),
        AboutThemselves("contributor__person__user", {VIEW}),
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
        AboutThemselves("contributors__person__user", {VIEW}),
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
