"""Scoped reads of PEPS training: cohorts, their candidates and who may join or assess them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from practica.core.models import AcademicYear
from practica.core.scoping import get_visible_or_404
from practica.educators.register.models import PepsStage, PracticeEducator
from practica.educators.training.models import Outcome, PepsCohort, PepsEnrolment

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

# choices for a coordinator's form, of the organisation whose record they are changing
FOR_THE_COORDINATOR = "choices in the coordinator's own organisation, behind a MANAGE check"


def cohorts_visible_to(
    user: Viewer, *, year: str = "", stage: str = "", organisation: str = "", outcome: str = ""
) -> QuerySet[PepsCohort]:
    """``outcome="waiting"``: only cohorts with a candidate still waiting for an outcome."""
    cohorts = PepsCohort.objects.visible_to(user).select_related("organisation", "academic_year")
    if year.isdigit():
        cohorts = cohorts.filter(academic_year__start_year=int(year))
    if stage in {"1", "2"}:
        cohorts = cohorts.filter(stage=int(stage))
    if organisation:
        cohorts = cohorts.filter(organisation__code__iexact=organisation)
    if outcome == "waiting":
        cohorts = cohorts.filter(enrolments__outcome=Outcome.ENROLLED).distinct()
    return cohorts.annotate(
        waiting_count=Count(
            "enrolments", filter=Q(enrolments__outcome=Outcome.ENROLLED), distinct=True
        ),
        candidate_count=Count("enrolments", distinct=True),
        passed_count=Count(
            "enrolments", filter=Q(enrolments__outcome=Outcome.PASSED), distinct=True
        ),
    )


def enrolments_of(cohort: PepsCohort) -> QuerySet[PepsEnrolment]:
    return cohort.enrolments.select_related("educator__person__team", "assessor__person").order_by(
        "educator__person__last_name", "educator__person__first_name"
    )


def enrolment_for(user: Viewer, pk: int, *, ability: str = "view") -> PepsEnrolment:
    enrolment: PepsEnrolment = get_visible_or_404(PepsEnrolment, user, ability, pk=pk)
    return enrolment


def candidates_for(cohort: PepsCohort) -> QuerySet[PracticeEducator]:
    """Register entries of the cohort's organisation who may join a cohort of its stage."""
    allowed = (
        [PepsStage.NONE, PepsStage.STAGE1_TRAINING]
        if cohort.stage == 1
        else [PepsStage.STAGE1, PepsStage.STAGE2_TRAINING]
    )
    return (
        PracticeEducator.objects.unscoped(FOR_THE_COORDINATOR)
        .filter(person__organisation_id=cohort.organisation_id, peps_stage__in=allowed)
        .exclude(enrolments__cohort=cohort)
        .select_related("person")
    )


def assessors_for(organisation_id: int) -> QuerySet[PracticeEducator]:
    """Stage 2 PEs of the organisation, who may assess or mentor PEPS candidates."""
    return (
        PracticeEducator.objects.unscoped(FOR_THE_COORDINATOR)
        .filter(person__organisation_id=organisation_id, peps_stage=PepsStage.STAGE2)
        .select_related("person")
    )


def cohort_years_visible_to(user: Viewer) -> list[AcademicYear]:
    """The academic years of the PEPS cohorts ``user`` may see, newest first."""
    cohorts = PepsCohort.objects.visible_to(user).select_related("academic_year")
    return sorted({c.academic_year for c in cohorts}, key=lambda year: -year.start_year)
