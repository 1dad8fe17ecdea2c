"""Every write to PEPS training: cohorts, enrolments, assessors and outcomes, which move a
practice educator's stage on the register.

Each function is keyword-only, takes the ``actor`` whose change history records, validates in
full and raises ``ValidationError`` with a message a coordinator can act on.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format

from practica.core import services as core_services
from practica.core.audit import save_audited
from practica.core.models import AcademicYear, Organisation
from practica.educators.register.models import PepsStage, PracticeEducator
from practica.educators.training.models import (
    FINAL_OUTCOMES,
    CohortStage,
    Outcome,
    PepsCohort,
    PepsEnrolment,
)

if TYPE_CHECKING:
    from practica.accounts.models import User

# why the queries below read every organisation's rows (core/scoping.py)
SERVICE = "a service works on the records its caller was allowed to hand it"

_TRAINING_STAGE = {1: PepsStage.STAGE1_TRAINING, 2: PepsStage.STAGE2_TRAINING}
_STAGE_BEFORE = {1: PepsStage.NONE, 2: PepsStage.STAGE1}


@transaction.atomic
def create_peps_cohort(
    *, actor: User | None, organisation: Organisation, academic_year: AcademicYear, stage: int
) -> PepsCohort:
    """Refuses a second cohort of the same stage, organisation and year."""
    if stage not in CohortStage.values:
        raise ValidationError({"stage": "Choose PEPS Stage 1 or Stage 2."})
    cohort = PepsCohort(organisation=organisation, academic_year=academic_year, stage=stage)
    return save_audited(cohort, actor=actor)


def ensure_peps_cohort(
    *, actor: User | None, organisation: Organisation, start_year: int, stage: int
) -> PepsCohort:
    """The organisation's cohort for this stage and academic year, created if it is new."""
    year = core_services.ensure_academic_year(start_year=start_year)
    existing = (
        PepsCohort.objects.unscoped(SERVICE)
        .filter(organisation=organisation, academic_year=year, stage=stage)
        .first()
    )
    return existing or create_peps_cohort(
        actor=actor, organisation=organisation, academic_year=year, stage=stage
    )


@transaction.atomic
def enrol_in_peps_cohort(
    *,
    actor: User | None,
    cohort: PepsCohort,
    educator: PracticeEducator,
    assessor: PracticeEducator | None = None,
) -> PepsEnrolment:
    """Enrols a candidate and marks them as in training for the cohort's stage.

    Refuses someone who already holds the stage, or who lacks Stage 1 for a Stage 2 cohort.
    """
    stage = cohort.stage
    allowed = {_STAGE_BEFORE[stage], _TRAINING_STAGE[stage]}
    if educator.peps_stage not in allowed:
        needed = "has not achieved PEPS Stage 1" if stage == 2 else "already holds PEPS Stage 1"
        if educator.peps_stage == PepsStage.STAGE2:
            needed = "already holds PEPS Stage 2"
        raise ValidationError({"educator": f"{educator} {needed}, so cannot join this cohort."})
    enrolment = PepsEnrolment(cohort=cohort, educator=educator, assessor=assessor)
    save_audited(enrolment, actor=actor)
    if educator.peps_stage != _TRAINING_STAGE[stage]:
        educator.peps_stage = _TRAINING_STAGE[stage]
        save_audited(educator, actor=actor)
    return enrolment


@transaction.atomic
def set_enrolment_assessor(
    *, actor: User | None, enrolment: PepsEnrolment, assessor: PracticeEducator | None
) -> PepsEnrolment:
    enrolment.assessor = assessor
    return save_audited(enrolment, actor=actor)


class NothingChangedError(ValidationError):
    """Saving what is already recorded: the caller says so rather than writing history."""


_HELD = {1: PepsStage.STAGE1, 2: PepsStage.STAGE2}
_STAGE_DATE = {1: "stage1_date", 2: "stage2_date"}


@transaction.atomic
def record_peps_outcome(
    *,
    actor: User | None,
    enrolment: PepsEnrolment,
    outcome: str,
    outcome_date: datetime.date | None,
    reason: str = "",
) -> PepsEnrolment:
    """Records a candidate's outcome; a pass gives the PE the cohort's stage from that date.

    Withdrawing or not passing returns the PE to the stage they held before training; deferring
    keeps them in training. Changing a final outcome (passed, not passed, withdrawn) is a
    correction: it needs a ``reason``, which history keeps, and a corrected pass first takes
    back the stage it gave (refused once the register has moved on from it). Refuses an outcome
    date in the future or before the cohort's academic year, and raises ``NothingChangedError`` when
    the outcome and date are those already recorded.
    """
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": f"“{outcome}” is not an outcome."})
    educator = (
        PracticeEducator.objects.unscoped(SERVICE).select_for_update().get(pk=enrolment.educator_id)
    )
    enrolment = (
        PepsEnrolment.objects.unscoped(SERVICE)
        .select_for_update()
        .select_related("cohort__academic_year")
        .get(pk=enrolment.pk)
    )
    if outcome == Outcome.ENROLLED:
        outcome_date = None
    else:
        _check_outcome_date(enrolment, outcome_date)
    if (enrolment.outcome, enrolment.outcome_date) == (outcome, outcome_date):
        raise NothingChangedError(
            f"Nothing changed: {educator}'s outcome is already "
            f"{_outcome_in_words(outcome, outcome_date)}."
        )
    reason = reason.strip()
    register_before = _register_entry(educator)
    if enrolment.outcome in FINAL_OUTCOMES:
        if not reason:
            raise ValidationError({"reason": "Say why you are correcting the recorded outcome."})
        if enrolment.outcome == Outcome.PASSED:
            _take_back_pass(educator, enrolment)
    _move_register(educator, stage=enrolment.cohort.stage, outcome=outcome, date=outcome_date)
    if _register_entry(educator) != register_before:
        _save_with_reason(educator, actor=actor, reason=reason)
    enrolment.outcome, enrolment.outcome_date = outcome, outcome_date
    enrolment.educator = educator
    return _save_with_reason(enrolment, actor=actor, reason=reason)


def _check_outcome_date(enrolment: PepsEnrolment, outcome_date: datetime.date | None) -> None:
    if outcome_date is None:
        raise ValidationError({"outcome_date": "Give the date of the outcome."})
    if outcome_date > timezone.localdate():
        raise ValidationError({"outcome_date": "The date cannot be in the future."})
    year = enrolment.cohort.academic_year
    if outcome_date < year.starts_on:
        raise ValidationError(
            {"outcome_date": f"The date is before academic year {year.label} began."}
        )


def _outcome_in_words(outcome: str, outcome_date: datetime.date | None) -> str:
    words = Outcome(outcome).label.lower()
    return f"{words} on {date_format(outcome_date, 'j F Y')}" if outcome_date else words


def _take_back_pass(educator: PracticeEducator, enrolment: PepsEnrolment) -> None:
    """Returns the educator to training for the stage a pass being corrected gave them."""
    stage = enrolment.cohort.stage
    date_field = _STAGE_DATE[stage]
    if educator.peps_stage != _HELD[stage] or getattr(educator, date_field) != (
        enrolment.outcome_date
    ):
        raise ValidationError(
            f"{educator} is recorded as {educator.get_peps_stage_display()} and the register no "
            f"longer shows the Stage {stage} this pass gave; correct the register entry first."
        )
    educator.peps_stage = _TRAINING_STAGE[stage]
    setattr(educator, date_field, None)


def _move_register(
    educator: PracticeEducator, *, stage: int, outcome: str, date: datetime.date | None
) -> None:
    """The educator's stage after ``outcome`` of training for ``stage`` (not yet saved)."""
    if outcome == Outcome.PASSED:
        if educator.peps_stage not in {_TRAINING_STAGE[stage], _STAGE_BEFORE[stage]}:
            raise ValidationError(
                f"{educator} is recorded as {educator.get_peps_stage_display()}, not in training "
                f"for Stage {stage}; correct the register entry first."
            )
        educator.peps_stage = _HELD[stage]
        setattr(educator, _STAGE_DATE[stage], date)
    elif outcome in {Outcome.WITHDRAWN, Outcome.NOT_PASSED}:
        if educator.peps_stage == _TRAINING_STAGE[stage]:
            educator.peps_stage = _STAGE_BEFORE[stage]
    elif educator.peps_stage == _STAGE_BEFORE[stage]:  # enrolled or deferred: in training
        educator.peps_stage = _TRAINING_STAGE[stage]


def _register_entry(educator: PracticeEducator) -> tuple[object, ...]:
    return (educator.peps_stage, educator.stage1_date, educator.stage2_date)


def _save_with_reason[M: models.Model](obj: M, *, actor: User | None, reason: str) -> M:
    """``save_audited`` with ``reason`` (if any) kept in the history row."""
    if reason:
        obj._change_reason = reason[:100]  # type: ignore[attr-defined]  # django-simple-history reads it
    return save_audited(obj, actor=actor)


@transaction.atomic
def record_peps_enrolment(
    *,
    actor: User | None,
    cohort: PepsCohort,
    educator: PracticeEducator,
    outcome: str,
    outcome_date: datetime.date | None,
) -> PepsEnrolment:
    """Records an enrolment and its outcome as a spreadsheet of past and present cohorts states
    it: through ``enrol_in_peps_cohort`` and ``record_peps_outcome`` for a candidate the register
    shows as not yet holding the stage; for someone who already holds it, as history only (a pass
    then fills in the stage's date if the register lacks it).

    Refuses a pass whose date disagrees with the date the register holds for that stage, a
    change to a final outcome (a correction needs a reason, given on the cohort's page), and
    anything the two services refuse.
    """
    existing = (
        PepsEnrolment.objects.unscoped(SERVICE).filter(cohort=cohort, educator=educator).first()
    )
    if existing is not None:
        if (existing.outcome, existing.outcome_date) == (outcome, outcome_date):
            return existing
        if existing.outcome in FINAL_OUTCOMES:
            raise ValidationError(
                f"{educator}'s outcome in {cohort} is already recorded as "
                f"{_outcome_in_words(existing.outcome, existing.outcome_date)}; correct it on the "
                "cohort's page, which keeps the reason."
            )
        return record_peps_outcome(
            actor=actor, enrolment=existing, outcome=outcome, outcome_date=outcome_date
        )
    stage = cohort.stage
    holds = educator.peps_stage not in {
        _STAGE_BEFORE[stage],
        _TRAINING_STAGE[stage],
        *([PepsStage.NONE, PepsStage.STAGE1_TRAINING] if stage == 2 else []),
    }
    if not holds:
        enrolment = enrol_in_peps_cohort(actor=actor, cohort=cohort, educator=educator)
        if outcome == Outcome.ENROLLED:
            return enrolment
        return record_peps_outcome(
            actor=actor, enrolment=enrolment, outcome=outcome, outcome_date=outcome_date
        )
    if outcome == Outcome.ENROLLED:
        raise ValidationError(
            {"educator": f"{educator} already holds PEPS Stage {stage}, so cannot be enrolled."}
        )
    if outcome_date is not None and outcome_date > timezone.localdate():
        raise ValidationError({"outcome_date": "The date cannot be in the future."})
    if outcome == Outcome.PASSED:
        date_field = "stage1_date" if stage == 1 else "stage2_date"
        held_since = getattr(educator, date_field)
        if held_since is None:
            setattr(educator, date_field, outcome_date)
            save_audited(educator, actor=actor)
        elif held_since != outcome_date:
            raise ValidationError(
                {
                    "outcome_date": (
                        f"The register says {educator} achieved Stage {stage} on "
                        f"{date_format(held_since, 'j F Y')}; correct the register or this date."
                    )
                }
            )
    enrolment = PepsEnrolment(
        cohort=cohort, educator=educator, outcome=outcome, outcome_date=outcome_date
    )
    return save_audited(enrolment, actor=actor)
