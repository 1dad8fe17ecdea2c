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
    InPartnership,
    Rules,
    StartsForThemselves,
    Through,
)
from practica.accounts.models import Role
from practica.core.models import OrganisationKind
from practica.teaching.directory.abilities import (
    CONSENT,
    EXPRESS_INTEREST,
    LISTED,
    PRIVATE_DETAILS,
    SHARED_WITH_PARTNERS,
)
from practica.teaching.models import (
    ContributorConsent,
    ExpressionOfInterest,
    LivedExperienceContributor,
    PractitionerTeacher,
    ReadinessRule,
    SessionContributor,
    Shadowing,
    TeachingSession,
)

__all__ = [
    "CONSENT",
    "EXPRESS_INTEREST",
    "HEI",
    "HEI_STAFF",
    "LISTED",
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
    Rules(SessionContributor, Through("session", VIEW, {VIEW})),
]
