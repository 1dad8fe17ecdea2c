"""Scoped reads of allocation runs: each starts from ``visible_to(user)``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from practica.accounts import permissions
from practica.accounts.grants import MANAGE, VIEW
from practica.accounts.models import Role
from practica.core import health
from practica.core import selectors as core_selectors
from practica.core.models import AcademicYear, Organisation, OrganisationKind
from practica.core.scoping import get_visible_or_404
from practica.placements.allocation_models import (
    AllocationConstraint,
    AllocationProposal,
    AllocationRun,
    PlacementQuota,
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


# --- quotas per university (docs/0028-allocation-runs.md, "Quotas") ---------------------------


def quotas_visible_to(user: Viewer, year: AcademicYear | None = None) -> QuerySet[PlacementQuota]:
    """The quotas ``user`` may see, of ``year`` if given."""
    quotas = PlacementQuota.objects.visible_to(user).select_related(
        "hei", "provider", "academic_year"
    )
    return quotas if year is None else quotas.filter(academic_year=year)


def quota_to_manage(user: Viewer, pk: int) -> PlacementQuota:
    """A quota ``user`` may change or remove; 404 otherwise."""
    return get_visible_or_404(PlacementQuota, user, MANAGE, pk=pk)


def quotas_to_manage(user: Viewer, quotas: Iterable[PlacementQuota]) -> set[int]:
    """The pks of ``quotas`` that ``user`` may change (one query)."""
    pks = [quota.pk for quota in quotas]
    return set(
        PlacementQuota.objects.visible_to(user, MANAGE)
        .filter(pk__in=pks)
        .values_list("pk", flat=True)
    )


def quota_universities(partnership_id: int) -> QuerySet[Organisation]:
    """The universities of a partnership a quota may name (names only, to choose from)."""
    return (
        Organisation.objects.unscoped("the partnership's universities, names only, to choose from")
        .filter(partnership=partnership_id, kind=OrganisationKind.HEI)
        .order_by("name")
    )


def quota_providers(membership: Any) -> QuerySet[Organisation] | None:
    """The providing organisations a partnership manager may name in a quota (None for a
    provider's coordinator, whose quotas are with their own organisation)."""
    if membership is None or membership.role != Role.PARTNERSHIP_MANAGER:
        return None
    return (
        Organisation.objects.unscoped("the partnership's providers, names only, to choose from")
        .filter(partnership=membership.organisation.partnership_id)
        .exclude(kind=OrganisationKind.HEI)
        .order_by("name")
    )


def quota_years() -> QuerySet[AcademicYear]:
    return AcademicYear.objects.order_by("-start_year")
