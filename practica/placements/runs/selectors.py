"""Scoped reads of allocation runs: each starts from ``visible_to(user)``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from practica.accounts import permissions
from practica.accounts.grants import VIEW
from practica.accounts.models import Role
from practica.core import health
from practica.core import selectors as core_selectors
from practica.core.models import AcademicYear, Organisation, OrganisationKind
from practica.core.scoping import get_visible_or_404
from practica.placements.allocation_models import (
    AllocationConstraint,
    AllocationProposal,
    AllocationRun,
    RunStatus,
    UnplacedStudent,
    with_counts,
)
from practica.placements.models import PlacementOffer, Student
from practica.placements.rules import ALLOCATE

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer


def may_allocate(user: Viewer) -> bool:
    return permissions.can_in(user, ALLOCATE, AllocationRun)


def may_allocate_run(user: Viewer, run: AllocationRun) -> bool:
    return permissions.can(user, ALLOCATE, run)


def runs_visible_to(user: Viewer) -> QuerySet[AllocationRun]:
    return with_counts(
        AllocationRun.objects.visible_to(user).select_related(
            "organisation", "academic_year", "created_by"
        )
    )


def run_for(user: Viewer, pk: int, ability: str = VIEW) -> AllocationRun:
    """The run if ``user`` holds ``ability`` on it; 404 otherwise."""
    return get_visible_or_404(AllocationRun, user, ability, pk=pk)


def constraint_for(user: Viewer, run: AllocationRun, pk: int) -> AllocationConstraint:
    """A pin or forbid of ``run``'s year and scope that ``user`` may change; 404 otherwise."""
    return get_visible_or_404(
        AllocationConstraint,
        user,
        ALLOCATE,
        pk=pk,
        partnership=run.partnership_id,
        organisation=run.organisation_id,
        academic_year=run.academic_year_id,
    )


def constraints_of(user: Viewer, run: AllocationRun) -> QuerySet[AllocationConstraint]:
    """The pins and forbids the next run of ``run``'s year and scope will use."""
    return (
        AllocationConstraint.objects.visible_to(user)
        .filter(
            partnership=run.partnership_id,
            organisation=run.organisation_id,
            academic_year=run.academic_year_id,
        )
        .select_related("student__person", "offer__team", "offer__organisation", "created_by")
    )


def proposals_of(run: AllocationRun) -> QuerySet[AllocationProposal]:
    """The proposals of a run the caller was allowed to see (``run_for``)."""
    return run.proposals.select_related(
        "student__person", "student__hei", "offer__team", "offer__organisation"
    ).order_by("student__student_ref")


def unplaced_of(run: AllocationRun) -> QuerySet[UnplacedStudent]:
    """The unplaced students of a run the caller was allowed to see (``run_for``)."""
    return run.unplaced_students.select_related("student__person", "student__hei").order_by(
        "student__student_ref"
    )


def students_of(user: Viewer, run: AllocationRun) -> QuerySet[Student]:
    """The students of the run (proposed or unplaced) ``user`` may see, for the pin form."""
    ids = [*run.proposals.values_list("student_id", flat=True)]
    ids += run.unplaced_students.values_list("student_id", flat=True)
    return (
        Student.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("person")
        .order_by("student_ref")
    )


def offers_for(user: Viewer, run: AllocationRun) -> QuerySet[PlacementOffer]:
    """The offers of the run's year in its partnership that ``user`` may see."""
    return (
        PlacementOffer.objects.visible_to(user)
        .filter(academic_year=run.academic_year_id, organisation__partnership=run.partnership_id)
        .select_related("team", "organisation", "academic_year")
        .order_by("organisation__name", "team__name", "setting", "pk")
    )


def years_for(user: Viewer) -> QuerySet[AcademicYear]:
    """The academic years with placement offers ``user`` may see."""
    years = PlacementOffer.objects.visible_to(user).values("academic_year")
    return AcademicYear.objects.filter(pk__in=years).order_by("-start_year")


def universities_to_choose(membership: Any) -> QuerySet[Organisation] | None:
    """The universities a partnership manager may narrow a run to (None for a university's
    coordinator, whose runs place their own university's students)."""
    if membership is None or membership.role != Role.PARTNERSHIP_MANAGER:
        return None
    return Organisation.objects.visible_to(membership.user).filter(
        partnership=membership.organisation.partnership_id, kind=OrganisationKind.HEI
    )


def is_stalled(run: AllocationRun) -> bool:
    """Whether an unfinished run can no longer finish: taken up by a worker that has stopped,
    or waiting while no worker runs at all (the same test as a stopped import's)."""
    if run.is_finished:
        return False
    if run.status == RunStatus.QUEUED:
        return not core_selectors.live_workers().exists()
    return core_selectors.worker_lost_since(run.started_at or run.created_at)


def worker_problem(run: AllocationRun) -> str:
    """What keeps ``run`` from finishing ("" while a worker runs it or it has finished)."""
    if not is_stalled(run):
        return ""
    problem = health.worker()
    return "it stopped while this run was going" if problem == health.OK else problem
