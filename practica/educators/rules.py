"""Who sees and does what with the practice educator register, PEPS training and recruitment
(docs/0010-pe-sharing.md, docs/0011-pe-self-service-and-panels.md)."""

from __future__ import annotations

from django.db.models import Q

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
    StartsForThemselves,
)
from practica.accounts.models import Role
from practica.core.models import OrganisationKind
from practica.educators.abilities import APPLY, READERS, REPORT_CHANGE, SCORE, SHARED_REGISTER
from practica.educators.recruitment.models import (
    ApplicationScore,
    PanelMember,
    PeApplication,
    SelectionCriterion,
)
from practica.educators.register.models import (
    ChangeReport,
    CurrencyRule,
    EducatorMessage,
    PepsStage,
    PracticeEducator,
    PracticeEducatorActivity,
)
from practica.educators.training.models import PepsCohort, PepsEnrolment

__all__ = ["APPLY", "READERS", "REPORT_CHANGE", "RULES", "SCORE", "SHARED_REGISTER"]

STAGE_2 = Q(peps_stage=PepsStage.STAGE2)


def _kept_by_coordinators(model: type, *, readers: frozenset[Role] = COORDINATORS) -> Rules:
    return Rules(
        model,
        InOrganisation(readers, {VIEW}),
        InOrganisation(COORDINATORS, {MANAGE}),
        PARTNERSHIP_MANAGER_READS,
    )


RULES = [
    Rules(
        PracticeEducator,
        InOrganisation(READERS, {VIEW}),
        InOrganisation(COORDINATORS, {MANAGE}),
        PARTNERSHIP_MANAGER_READS,
        # a practice educator reads their own entry, whatever their role, and reports changes
        AboutThemselves("person__user", {VIEW, REPORT_CHANGE}),
        # universities place students with the LAs' Stage 2 PEs
        InPartnership(
            READERS, {SHARED_REGISTER}, organisation_kinds={OrganisationKind.HEI}, where=STAGE_2
        ),
        InPartnership(PARTNERSHIP_MANAGER, {SHARED_REGISTER}, where=STAGE_2),
    ),
    _kept_by_coordinators(PracticeEducatorActivity, readers=READERS),
    _kept_by_coordinators(PepsCohort),
    _kept_by_coordinators(PepsEnrolment),
    _kept_by_coordinators(SelectionCriterion),
    _kept_by_coordinators(PanelMember),
    _kept_by_coordinators(ApplicationScore),
    _kept_by_coordinators(CurrencyRule),
    _kept_by_coordinators(EducatorMessage),
    Rules(
        ChangeReport,
        InOrganisation(COORDINATORS, {VIEW, MANAGE}),
        PARTNERSHIP_MANAGER_READS,
        AboutThemselves("educator__person__user", {VIEW}),
    ),
    Rules(
        PeApplication,
        InOrganisation(COORDINATORS, {VIEW, MANAGE}),
        PARTNERSHIP_MANAGER_READS,
        # practitioners apply themselves and follow their own applications
        StartsForThemselves({Role.PRACTICE_EDUCATOR, Role.PRACTITIONER_TEACHER}, {APPLY}),
        AboutThemselves("applicant__user", {APPLY}),
        # a panel's members score the applications they sit on, whoever employs them
        AboutThemselves("panel_members__person__user", {SCORE}),
    ),
]
