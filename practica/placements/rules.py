"""Who sees and does what with students, placement offers and placements
(docs/0003-data-sharing.md, docs/0022-placements-domain.md)."""

from __future__ import annotations

from practica.accounts.grants import (
    COORDINATORS,
    MANAGE,
    PARTNERSHIP_MANAGER,
    PARTNERSHIP_MANAGER_READS,
    VIEW,
    AboutThemselves,
    InOrganisation,
    InPartnership,
    Rules,
)
from practica.accounts.models import Role
from practica.core.models import OrganisationKind
from practica.placements.allocation_models import (
    AllocationConstraint,
    AllocationRun,
    PlacementQuota,
)
from practica.placements.during.rules import RULES as DURING_RULES
from practica.placements.models import Placement, PlacementLink, PlacementOffer, Student

__all__ = [
    "ALLOCATE",
    "KEEP",
    "KEEP_OFFERS",
    "KEEP_PLACEMENTS",
    "KEEP_QUOTAS",
    "REQUEST",
    "RULES",
]

# keep a student list: a university's coordinators (the partnership manager reads them all);
# a local authority's coordinators hold no students, so their navigation offers none
KEEP = "keep"
# keep the lists of offers and of placements (coordinators of every kind, the manager reads)
KEEP_OFFERS, KEEP_PLACEMENTS = "keep_offers", "keep_placements"
# ask a providing organisation for a placement of one of the university's students
REQUEST = "request"
HEI = {OrganisationKind.HEI}
# who provides placements: every kind of organisation but a university
PROVIDERS = set(OrganisationKind.values) - HEI
HEI_STAFF = COORDINATORS | {Role.ACADEMIC}
# start allocation runs, pin or forbid pairs and confirm proposals (docs/0028): a university's
# coordinators for its students, the partnership manager for the whole partnership (the case
# study's "student faculty"); a providing organisation confirms each match as before
ALLOCATE = "allocate"
# keep quotas per university (docs/0028, "Quotas"): as with offers, the providing
# organisation's coordinators keep its quotas; the partnership manager keeps every quota,
# including those with any provider; a university's coordinators read their university's
KEEP_QUOTAS = "keep_quotas"

RULES = [
    Rules(
        Student,
        InOrganisation(COORDINATORS, {VIEW, MANAGE}),
        PARTNERSHIP_MANAGER_READS,
        InOrganisation(COORDINATORS, {KEEP}, organisation_kinds=HEI),
        InPartnership(PARTNERSHIP_MANAGER, {KEEP}),
        # the organisation that places a student reads who they are, and so does their PE
        InOrganisation(COORDINATORS, {VIEW}, via=("placements__organisation",)),
        AboutThemselves("placements__practice_educator__person__user", {VIEW}),
        AboutThemselves("person__user", {VIEW}),
    ),
    Rules(
        PlacementOffer,
        # the providing organisation's coordinators keep its offers
        InOrganisation(COORDINATORS, {VIEW, MANAGE, KEEP_OFFERS}, organisation_kinds=PROVIDERS),
        # the universities' coordinators read every offer of the partnership (where to place)
        InPartnership(COORDINATORS, {VIEW, KEEP_OFFERS}, organisation_kinds=HEI),
        PARTNERSHIP_MANAGER_READS,
        InPartnership(PARTNERSHIP_MANAGER, {KEEP_OFFERS}),
    ),
    Rules(
        Placement,
        # the providing organisation's coordinators run the placement's lifecycle
        InOrganisation(COORDINATORS, {VIEW, MANAGE, KEEP_PLACEMENTS}, organisation_kinds=PROVIDERS),
        # the student's university follows its students' placements
        InOrganisation(
            HEI_STAFF, {VIEW, KEEP_PLACEMENTS}, via=("student__hei",), organisation_kinds=HEI
        ),
        InOrganisation(COORDINATORS, {REQUEST}, via=("student__hei",), organisation_kinds=HEI),
        PARTNERSHIP_MANAGER_READS,
        InPartnership(PARTNERSHIP_MANAGER, {KEEP_PLACEMENTS}),
        # the practice educator and on-site supervisor see the placements they supervise,
        # the student their own
        AboutThemselves("practice_educator__person__user", {VIEW}),
        AboutThemselves("onsite_supervisor__user", {VIEW}),
        AboutThemselves("student__person__user", {VIEW}),
    ),
    # the links e-mailed to PEs and supervisors without an account: their organisation's
    # coordinators see who was sent one (never the token, which is not stored)
    Rules(
        PlacementLink,
        InOrganisation(COORDINATORS, {VIEW}, organisation_kinds=PROVIDERS),
        PARTNERSHIP_MANAGER_READS,
    ),
    # allocation runs and the pins and forbids they use (docs/0028-allocation-runs.md)
    *(
        Rules(
            model,
            InOrganisation(COORDINATORS, {VIEW, ALLOCATE}, organisation_kinds=HEI),
            InPartnership(PARTNERSHIP_MANAGER, {VIEW, ALLOCATE}),
            organisation="organisation",
            partnership="partnership",
        )
        for model in (AllocationRun, AllocationConstraint)
    ),
    Rules(
        PlacementQuota,
        InOrganisation(COORDINATORS, {VIEW, MANAGE, KEEP_QUOTAS}, organisation_kinds=PROVIDERS),
        InOrganisation(COORDINATORS, {VIEW, KEEP_QUOTAS}, via=("hei",), organisation_kinds=HEI),
        InPartnership(PARTNERSHIP_MANAGER, {VIEW, MANAGE, KEEP_QUOTAS}),
        organisation="provider",
        partnership="partnership",
    ),
]

# the records kept during a placement (docs/0029-during-placement.md)
RULES += DURING_RULES

# --- placement evaluations (docs/0031-placement-evaluation.md) --------------------------------
# send the Practice Placement Evaluation Tool to a placement's people, and remind them
EVALUATE = "evaluate"
# read the collated evaluations of placements (never one person's answers)
READ_EVALUATIONS = "read_evaluations"
__all__ += ["EVALUATE", "READ_EVALUATIONS"]

RULES += [
    Rules(
        Placement,
        InOrganisation(COORDINATORS, {EVALUATE, READ_EVALUATIONS}, organisation_kinds=PROVIDERS),
        InOrganisation(COORDINATORS, {EVALUATE}, via=("student__hei",), organisation_kinds=HEI),
        InOrganisation(
            HEI_STAFF, {READ_EVALUATIONS}, via=("student__hei",), organisation_kinds=HEI
        ),
        InPartnership(PARTNERSHIP_MANAGER, {READ_EVALUATIONS}),
    ),
]
