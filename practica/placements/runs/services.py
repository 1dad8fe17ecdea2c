"""Every write of allocation runs: start one (a background task), store what the engine
proposes, pin or forbid pairs, confirm the proposals (docs/0028-allocation-runs.md)."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from practica.core.audit import delete_audited, save_audited
from practica.core.models import AcademicYear, Organisation, Partnership
from practica.placements import allocation_runs
from practica.placements.allocation import PinError, Unplaced
from practica.placements.allocation_models import (
    AllocationConstraint,
    AllocationProposal,
    AllocationRun,
    ConstraintKind,
    PlacementQuota,
    RunStatus,
    UnplacedStudent,
)
from practica.placements.models import Placement, PlacementOffer, PlacementStatus, Student
from practica.placements.runs import selectors

if TYPE_CHECKING:
    from practica.accounts.models import User

logger = logging.getLogger(__name__)

WORKER = "the background worker runs the allocation it was handed"
RUN_READS = "an allocation run's own proposals, constraints and the placements they meet"


@transaction.atomic
def start_run(
    *,
    actor: User | None,
    partnership: Partnership,
    organisation: Organisation | None,
    academic_year: AcademicYear,
) -> AllocationRun:
    """Records a run and hands it to the background worker once this transaction commits; its
    page shows how it is going."""
    if organisation is not None and organisation.partnership_id != partnership.pk:
        raise ValidationError("Choose a university of your partnership.")
    if organisation is not None and not organisation.is_hei:
        raise ValidationError("A run places the students of a university: choose one.")
    run = AllocationRun(
        partnership=partnership,
        organisation=organisation,
        academic_year=academic_year,
        created_by=actor,
    )
    save_audited(run, actor=actor)
    transaction.on_commit(lambda: process_allocation.enqueue(run.pk))
    return run


STOPPED = "Stopped: the background worker stopped before this run finished. A new run replaced it."


@transaction.atomic
def run_again(*, actor: User | None, run: AllocationRun) -> AllocationRun:
    """A new run of the same year and scope (with the pins and forbids as they are now). A run
    that has not finished is started again only when it cannot finish (its worker stopped, or
    none runs): it is marked failed and the new one replaces it."""
    if not run.is_finished:
        if not selectors.is_stalled(run):
            raise ValidationError("This run is still going: wait for it to finish.")
        _fail(run, STOPPED)
    return start_run(
        actor=actor,
        partnership=run.partnership,
        organisation=run.organisation,
        academic_year=run.academic_year,
    )


@task()
def process_allocation(run_id: int) -> None:
    """The background worker's job (``practica db_worker``): runs a queued allocation;
    idempotent when retried: a finished run, and one a live worker is running, are left alone;
    a run whose worker died part way (its results were one transaction, undone) is run again."""
    with transaction.atomic():
        run = (
            AllocationRun.objects.unscoped(WORKER)
            .select_for_update()
            .filter(pk=run_id, status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
            .first()
        )
        if run is None or (run.status == RunStatus.RUNNING and not selectors.is_stalled(run)):
            return
        run.status, run.started_at = RunStatus.RUNNING, timezone.now()
        run.save(update_fields=["status", "started_at"])
    execute_run(run)


def constraints_of(run: AllocationRun) -> list[AllocationConstraint]:
    """The pins and forbids of the run's year and scope."""
    return list(
        AllocationConstraint.objects.unscoped(RUN_READS)
        .select_related("student__person", "offer__team", "offer__organisation")
        .filter(
            partnership=run.partnership_id,
            organisation=run.organisation_id,
            academic_year=run.academic_year_id,
        )
    )


def execute_run(run: AllocationRun) -> AllocationRun:
    """Reads the database, solves, and stores the proposals and unplaced students with their
    explanations; a pin that cannot hold (or any failure) leaves the run failed, saying why."""
    started = time.perf_counter()
    constraints = constraints_of(run)
    pins = [(c.student_id, c.offer_id) for c in constraints if c.kind == ConstraintKind.PIN]
    forbids = [(c.student_id, c.offer_id) for c in constraints if c.kind == ConstraintKind.FORBID]
    try:
        outcome = allocation_runs.build_run(
            year=run.academic_year,
            organisation=run.organisation,
            partnership=run.partnership,
            pinned=pins,
            forbidden=forbids,
        )
    except PinError as error:
        return _fail(run, readable_pin_error(str(error), constraints))
    except Exception:
        logger.exception("Allocation run %s failed", run.pk)
        _fail(run, "The allocation could not be run because of an error in Practica. Try again.")
        raise
    store(run, outcome, constraints, seconds=time.perf_counter() - started)
    return run


def readable_pin_error(message: str, constraints: list[AllocationConstraint]) -> str:
    """The engine's "student 12 cannot be pinned to offer 5: ..." with names, not ids."""
    found = re.match(
        r"student (\d+) cannot be pinned to offer (\d+): (?:the offer is )?(.*)", message
    )
    if found is None:
        return f"The pins cannot all hold: {message}. Remove a pin and run again."
    student = allocation_runs.student_pk(int(found.group(1)))
    offer = int(found.group(2))
    pin = next((c for c in constraints if (c.student_id, c.offer_id) == (student, offer)), None)
    if pin is None:
        return f"A pin cannot hold: the offer is {found.group(3)}. Remove it and run again."
    return (
        f"{pin.student.student_ref} cannot be pinned to {pin.offer.setting_name}: the offer is "
        f"{found.group(3)}. Remove the pin and run again."
    )


@transaction.atomic
def _fail(run: AllocationRun, error: str) -> AllocationRun:
    run.status, run.error, run.finished_at = RunStatus.FAILED, error, timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])
    return run


def _constraint_sentences(
    outcome: allocation_runs.AllocationRun, constraints: list[AllocationConstraint]
) -> list[str]:
    unused = set(outcome.unused_pins) | set(outcome.unused_forbids)
    sentences = []
    for constraint in constraints:
        pair = (constraint.student_id, constraint.offer_id)
        verb = "pinned to" if constraint.kind == ConstraintKind.PIN else "never placed in"
        text = f"{constraint.student.student_ref} {verb} {constraint.offer.setting_name}"
        if pair in unused:
            text += (
                " – not used: the student is placed already or no longer needs this placement, "
                "or the offer has no slot left"
            )
        sentences.append(text)
    return sentences + [f"Quota: {sentence}" for sentence in outcome.quotas]


@transaction.atomic
def store(
    run: AllocationRun,
    outcome: allocation_runs.AllocationRun,
    constraints: list[AllocationConstraint],
    *,
    seconds: float,
) -> None:
    """The result as rows: one proposal per assignment (explanation, dual prices), one row per
    unplaced student (binding reason), the objective and certificate on the run."""
    result, problem = outcome.result, outcome.problem
    proof = result.proof
    assignments = result.assignments
    offer_price: list[int] = [0] * len(assignments)
    pe_price: list[int] = [0] * len(assignments)
    if proof is not None and assignments:
        indices = problem.offer_index([a.offer_id for a in assignments])
        offer_price = proof.offer_price[indices].tolist()
        pes = problem.offers.pe[indices]
        prices = np.append(proof.pe_price, 0)  # NONE (-1) reads the 0 appended
        pe_price = prices[pes].tolist()
    _insert_rows(
        INSERT_PROPOSALS,
        (
            (
                run.pk,
                allocation_runs.student_pk(a.student_id),
                a.offer_id,
                a.cost,
                None if a.minutes < 0 else a.minutes,
                a.travel_unchecked,
                a.pinned,
                a.explanation,
                int(offer_price[i]),
                int(pe_price[i]),
            )
            for i, a in enumerate(assignments)
        ),
    )
    # both entries of a Step Up student's couple are left out together: one row says why
    unplaced: dict[int, Unplaced] = {}
    for u in result.unplaced:
        unplaced.setdefault(allocation_runs.student_pk(u.student_id), u)
    rejected = UnplacedStudent._meta.get_field("rejected")
    full_offers = UnplacedStudent._meta.get_field("full_offers")
    _insert_rows(
        INSERT_UNPLACED,
        (
            (
                run.pk,
                student,
                u.binding,
                u.reason,
                rejected.get_db_prep_save(dict(u.rejected), connection),
                full_offers.get_db_prep_save(list(u.full_offers), connection),
            )
            for student, u in unplaced.items()
        ),
    )
    objective = result.objective
    run.status, run.finished_at, run.error = RunStatus.FINISHED, timezone.now(), ""
    run.worst_cost, run.total_cost = objective.worst_cost, objective.total_cost
    run.total_cost_without_fairness = objective.total_cost_without_fairness
    run.optimal, run.certificate_checked = result.optimal, proof is not None
    if proof is not None:
        run.min_reduced_cost = proof.min_reduced_cost
        run.residual_arcs = proof.residual_arcs
        run.placed_below_worst = proof.placed_below_worst
    run.warnings = list(result.warnings)
    run.constraints_used = _constraint_sentences(outcome, constraints)
    run.seconds = round(seconds, 3)
    run.save()


# Written out whole (no names formatted in): a national run writes ~15,000 proposals and
# hundreds of unplaced students, which the ORM's bulk_create prepares field by field at about
# ten times the cost (make bench). The JSON columns are adapted by their own fields.
INSERT_PROPOSALS = (
    "INSERT INTO placements_allocationproposal (run_id, student_id, offer_id, cost, minutes, "
    "travel_unchecked, pinned, explanation, offer_price, pe_price) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
INSERT_UNPLACED = (
    "INSERT INTO placements_unplacedstudent (run_id, student_id, binding, reason, rejected, "
    "full_offers) VALUES (%s, %s, %s, %s, %s, %s)"
)


def _insert_rows(sql: str, rows: Iterable[tuple[Any, ...]]) -> None:
    assert AllocationProposal._meta.db_table == "placements_allocationproposal"
    assert UnplacedStudent._meta.db_table == "placements_unplacedstudent"
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(rows))


@transaction.atomic
def set_constraint(
    *,
    actor: User | None,
    run: AllocationRun,
    student: Student,
    offer: PlacementOffer,
    kind: str,
) -> AllocationConstraint:
    """Pins (or forbids) ``student`` to ``offer`` for the later runs of ``run``'s year and
    scope. A student has at most one pin: a new one replaces it; a pair is either pinned or
    forbidden."""
    if offer.academic_year_id != run.academic_year_id:
        raise ValidationError({"offer": f"Choose an offer of {run.academic_year}."})
    if offer.organisation.partnership_id != run.partnership_id:
        raise ValidationError({"offer": "Choose an offer of your partnership."})
    if run.organisation_id is not None and student.hei_id != run.organisation_id:
        raise ValidationError({"student": f"Choose a student of {run.organisation}."})
    scope = AllocationConstraint.objects.unscoped(RUN_READS).filter(
        partnership=run.partnership_id,
        organisation=run.organisation_id,
        academic_year=run.academic_year_id,
        student=student,
    )
    same_pair = Q(offer=offer)
    replaced = scope.filter(
        same_pair | Q(kind=ConstraintKind.PIN) if kind == ConstraintKind.PIN else same_pair
    )
    for old in replaced:
        delete_audited(old, actor=actor)
    constraint = AllocationConstraint(
        partnership=run.partnership,
        organisation=run.organisation,
        academic_year=run.academic_year,
        student=student,
        offer=offer,
        kind=kind,
        created_by=actor,
    )
    return save_audited(constraint, actor=actor)


@transaction.atomic
def remove_constraint(*, actor: User | None, constraint: AllocationConstraint) -> None:
    delete_audited(constraint, actor=actor)


@transaction.atomic
def confirm_run(*, actor: User | None, run: AllocationRun) -> list[Placement]:
    """Writes the run's proposals as matched placements (all or nothing), once. Refused when
    the run is not ready, was confirmed already, or a student was placed since it ran."""
    run = (
        AllocationRun.objects.unscoped("the run the confirmer was allowed to see, locked")
        .select_for_update()
        .get(pk=run.pk)
    )
    if run.status == RunStatus.CONFIRMED:
        who = run.confirmed_by.display_name if run.confirmed_by else "someone"
        when = timezone.localtime(run.confirmed_at).strftime("%-d %B %Y at %H:%M")
        raise ValidationError(
            f"These proposals were already confirmed by {who} on {when}; "
            "a run is confirmed only once."
        )
    if run.status != RunStatus.FINISHED:
        raise ValidationError("Only a finished run's proposals can be confirmed.")
    pairs = list(
        AllocationProposal.objects.filter(run=run).values_list(
            "student_id", "offer_id", "offer__placement_type", "student__student_ref"
        )
    )
    if not pairs:
        raise ValidationError("This run proposes no placement: there is nothing to confirm.")
    placed = set(
        Placement.objects.unscoped(RUN_READS)
        .filter(academic_year=run.academic_year_id, student_id__in=[p[0] for p in pairs])
        .exclude(status__in=[PlacementStatus.REQUESTED, PlacementStatus.ENDED_EARLY])
        .values_list("student_id", "placement_type")
    )
    since = sorted(ref for student, _, kind, ref in pairs if (student, kind) in placed)
    if since:
        raise ValidationError(
            f"{len(since)} of these students have been placed since this run "
            f"({', '.join(since[:5])}{'…' if len(since) > 5 else ''}). "
            "Nothing was recorded: run the allocation again."
        )
    placements = allocation_runs.apply_pairs(
        actor=actor,
        year=run.academic_year,
        proposals=[(student, offer) for student, offer, _, _ in pairs],
    )
    run.status, run.confirmed_at, run.confirmed_by = RunStatus.CONFIRMED, timezone.now(), actor
    run.placements_recorded = len(placements)
    save_audited(run, actor=actor)
    return placements


# --- quotas per university (docs/0028-allocation-runs.md, "Quotas") ---------------------------


@transaction.atomic
def save_quota(
    *,
    actor: User | None,
    partnership: Partnership,
    hei: Organisation,
    provider: Organisation | None,
    academic_year: AcademicYear,
    limit: int,
    quota: PlacementQuota | None = None,
) -> PlacementQuota:
    """Records (or, given ``quota``, changes) "at most ``limit`` of ``hei``'s students placed
    with ``provider`` (any provider when None) in ``academic_year``"; every later allocation
    run of the year keeps it. One quota per university, provider and year."""
    if hei.partnership_id != partnership.pk or not hei.is_hei:
        raise ValidationError({"hei": "Choose a university of your partnership."})
    if provider is not None and (provider.partnership_id != partnership.pk or provider.is_hei):
        raise ValidationError({"provider": "Choose a providing organisation of your partnership."})
    if limit is None or limit < 0:
        raise ValidationError({"limit": "Enter how many students, 0 or more."})
    if quota is None:
        quota = PlacementQuota(partnership=partnership, created_by=actor)
    quota.hei, quota.provider = hei, provider
    quota.academic_year, quota.limit = academic_year, limit
    return save_audited(quota, actor=actor)


@transaction.atomic
def remove_quota(*, actor: User | None, quota: PlacementQuota) -> None:
    delete_audited(quota, actor=actor)
