"""Every write to the practice educator register, PEPS training and PE selection.

Each function is keyword-only, takes the ``actor`` whose change history records, validates in
full and raises ``ValidationError`` with a message a coordinator can act on.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Literal

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import hash_token
from practica.core import academic_years
from practica.core import services as core_services
from practica.core.audit import delete_audited, save_audited
from practica.core.models import (
    AcademicYear,
    Location,
    Organisation,
    OrganisationKind,
    Partnership,
    Person,
    ServiceArea,
    Team,
)
from practica.educators.models import (
    ActivityKind,
    ApplicationScore,
    CohortStage,
    CurrencyRule,
    Decision,
    Outcome,
    PanelMember,
    PeApplication,
    PepsCohort,
    PepsEnrolment,
    PepsStage,
    PracticeEducator,
    PracticeEducatorActivity,
    SelectionCriterion,
)
from practica.educators.selectors import stage_to_apply_for

# why the queries below read every organisation's rows (core/scoping.py)
SERVICE = "a service works on the records its caller was allowed to hand it"

if TYPE_CHECKING:
    from practica.accounts.models import User

SUPPORT_LINK_LIFETIME = timedelta(days=21)


def _day(day: datetime.date | None) -> str:
    """A date as the partnership writes it: 6 January 2020."""
    return f"{day.day} {day:%B %Y}" if day else ""


# --- the register -------------------------------------------------------------------------


def _set_register_fields(
    educator: PracticeEducator,
    *,
    peps_stage: str,
    stage1_date: datetime.date | None,
    stage2_date: datetime.date | None,
    independent: bool,
    service_area: ServiceArea | None,
    location: Location | None,
    last_student_date: datetime.date | None,
    last_training_date: datetime.date | None,
) -> None:
    if peps_stage not in PepsStage.values:
        raise ValidationError(
            {
                "peps_stage": f"“{peps_stage}” is not a PEPS stage; use one of {', '.join(PepsStage.values)}."
            }
        )
    educator.peps_stage = peps_stage
    educator.stage1_date, educator.stage2_date = stage1_date, stage2_date
    educator.independent = independent
    educator.service_area, educator.location = service_area, location
    educator.last_student_date = last_student_date
    educator.last_training_date = last_training_date


@transaction.atomic
def create_practice_educator(
    *,
    actor: User | None,
    person: Person,
    peps_stage: str = PepsStage.NONE,
    stage1_date: datetime.date | None = None,
    stage2_date: datetime.date | None = None,
    independent: bool = False,
    service_area: ServiceArea | None = None,
    location: Location | None = None,
    last_student_date: datetime.date | None = None,
    last_training_date: datetime.date | None = None,
) -> PracticeEducator:
    """Puts ``person`` on the register. Refuses a person who is already on it."""
    if PracticeEducator.objects.unscoped(SERVICE).filter(person=person).exists():
        raise ValidationError(f"{person.full_name} is already on the practice educator register.")
    educator = PracticeEducator(person=person)
    _set_register_fields(
        educator,
        peps_stage=peps_stage,
        stage1_date=stage1_date,
        stage2_date=stage2_date,
        independent=independent,
        service_area=service_area,
        location=location,
        last_student_date=last_student_date,
        last_training_date=last_training_date,
    )
    return save_audited(educator, actor=actor)


@transaction.atomic
def create_practice_educator_for(
    *,
    actor: User | None,
    organisation: Organisation,
    person: Person | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    team: Team | None = None,
    **register_fields: object,
) -> PracticeEducator:
    """Puts a person of ``organisation`` on the register: ``person`` if given, else a new
    person with these names. Refuses a person of another organisation."""
    if person is None:
        person = core_services.create_person(
            actor=actor,
            organisation=organisation,
            first_name=first_name,
            last_name=last_name,
            email=email,
            team=team,
        )
    elif person.organisation_id != organisation.pk:
        raise ValidationError({"person": "Choose someone who works for your organisation."})
    elif team is not None and team != person.team:
        core_services.update_person(
            actor=actor,
            person=person,
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            job_title=person.job_title,
            team=team,
        )
    return create_practice_educator(actor=actor, person=person, **register_fields)  # type: ignore[arg-type]


@transaction.atomic
def update_practice_educator(
    *,
    actor: User | None,
    educator: PracticeEducator,
    peps_stage: str,
    stage1_date: datetime.date | None,
    stage2_date: datetime.date | None,
    independent: bool,
    service_area: ServiceArea | None,
    location: Location | None,
    last_student_date: datetime.date | None,
    last_training_date: datetime.date | None,
    team: Team | None,
) -> PracticeEducator:
    """Changes a register entry and the person's team (their employer's teams only)."""
    person = educator.person
    if team != person.team:
        core_services.update_person(
            actor=actor,
            person=person,
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            job_title=person.job_title,
            team=team,
        )
    _set_register_fields(
        educator,
        peps_stage=peps_stage,
        stage1_date=stage1_date,
        stage2_date=stage2_date,
        independent=independent,
        service_area=service_area,
        location=location,
        last_student_date=last_student_date,
        last_training_date=last_training_date,
    )
    return save_audited(educator, actor=actor)


@transaction.atomic
def review_practice_educator(
    *,
    actor: User | None,
    educator: PracticeEducator,
    reviewed_on: datetime.date,
    reviewed_by: User | Literal["actor"] | None = "actor",
) -> PracticeEducator:
    """Records the annual review of a register entry, by ``actor`` unless a review from an
    earlier record names its reviewer (or none). Refuses a date in the future or one earlier
    than the last review."""
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": "The review date cannot be in the future."})
    if educator.reviewed_on and reviewed_on < educator.reviewed_on:
        raise ValidationError(
            {"reviewed_on": f"The entry was last reviewed later, on {_day(educator.reviewed_on)}."}
        )
    educator.reviewed_on = reviewed_on
    educator.reviewed_by = actor if reviewed_by == "actor" else reviewed_by
    return save_audited(educator, actor=actor)


@transaction.atomic
def start_activity(
    *, actor: User | None, educator: PracticeEducator, kind: str, started_on: datetime.date
) -> PracticeEducatorActivity:
    """Records that the PE has started an activity. Refuses a second open activity of a kind."""
    if kind not in ActivityKind.values:
        raise ValidationError({"kind": f"“{kind}” is not a practice educator activity."})
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": "The start date cannot be in the future."})
    if educator.activities.filter(kind=kind, ended_on__isnull=True).exists():
        raise ValidationError(
            {"kind": f"{educator} is already recorded as {ActivityKind(kind).label.lower()}."}
        )
    activity = PracticeEducatorActivity(educator=educator, kind=kind, started_on=started_on)
    return save_audited(activity, actor=actor)


@transaction.atomic
def end_activity(
    *, actor: User | None, activity: PracticeEducatorActivity, ended_on: datetime.date
) -> PracticeEducatorActivity:
    """Records the day an activity stopped. Refuses a day before it started or in the future."""
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": "The end date cannot be in the future."})
    activity.ended_on = ended_on
    return save_audited(activity, actor=actor)


@transaction.atomic
def set_current_activities(
    *,
    actor: User | None,
    educator: PracticeEducator,
    kinds: Iterable[str],
    on: datetime.date,
) -> None:
    """Makes ``kinds`` the PE's current activities on ``on`` (as a spreadsheet import states
    the activities of its day): starts the missing ones on ``on``, and ends the others the day
    before — or removes them if they only started on ``on``, as recorded by mistake."""
    wanted = set(kinds)
    unknown = wanted - set(ActivityKind.values)
    if unknown:
        raise ValidationError(f"Unknown activities: {', '.join(sorted(unknown))}.")
    open_activities = {a.kind: a for a in educator.activities.filter(ended_on__isnull=True)}
    for kind, activity in open_activities.items():
        if kind in wanted:
            continue
        if activity.started_on >= on:
            remove_activity(actor=actor, activity=activity)
        else:
            end_activity(actor=actor, activity=activity, ended_on=on - timedelta(days=1))
    for kind in sorted(wanted - set(open_activities)):
        start_activity(actor=actor, educator=educator, kind=kind, started_on=on)


@transaction.atomic
def record_activity(
    *,
    actor: User | None,
    educator: PracticeEducator,
    kind: str,
    started_on: datetime.date,
    ended_on: datetime.date | None,
) -> PracticeEducatorActivity:
    """Records an activity from an earlier record, with its dates: the one that started that
    day is updated, or a new one is added. Refuses what starting and ending refuse, and a
    period that overlaps another of the same kind."""
    if kind not in ActivityKind.values:
        raise ValidationError({"kind": f"“{kind}” is not a practice educator activity."})
    today = timezone.localdate()
    if started_on > today:
        raise ValidationError({"started_on": "The start date cannot be in the future."})
    if ended_on is not None and ended_on > today:
        raise ValidationError({"ended_on": "The end date cannot be in the future."})
    activity = educator.activities.filter(
        kind=kind, started_on=started_on
    ).first() or PracticeEducatorActivity(educator=educator, kind=kind, started_on=started_on)
    overlapping = educator.activities.filter(kind=kind).exclude(pk=activity.pk)
    overlapping = overlapping.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=started_on))
    if ended_on is not None:
        overlapping = overlapping.filter(started_on__lte=ended_on)
    clash = overlapping.first()
    if clash is not None:
        raise ValidationError(
            {"started_on": f"It overlaps the same activity recorded {clash.started_on:%d/%m/%Y}."}
        )
    activity.ended_on = ended_on
    return save_audited(activity, actor=actor)


@transaction.atomic
def remove_activity(*, actor: User | None, activity: PracticeEducatorActivity) -> None:
    """Deletes an activity recorded by mistake (history keeps it)."""
    delete_audited(activity, actor=actor)


@transaction.atomic
def set_currency_rule(
    *,
    actor: User | None,
    partnership: Partnership,
    months_since_student: int,
    months_since_training: int,
    warning_months: int,
    review_months: int,
) -> CurrencyRule:
    """Sets the partnership's currency rules. Refuses a warning as long as a period."""
    rule = CurrencyRule.objects.unscoped(SERVICE).filter(
        partnership=partnership
    ).first() or CurrencyRule(partnership=partnership)
    rule.months_since_student = months_since_student
    rule.months_since_training = months_since_training
    rule.warning_months = warning_months
    rule.review_months = review_months
    if warning_months >= min(months_since_student, months_since_training):
        raise ValidationError(
            {"warning_months": "The warning must be shorter than both periods it warns about."}
        )
    return save_audited(rule, actor=actor)


# --- PEPS training ------------------------------------------------------------------------

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


@transaction.atomic
def record_peps_outcome(
    *,
    actor: User | None,
    enrolment: PepsEnrolment,
    outcome: str,
    outcome_date: datetime.date | None,
) -> PepsEnrolment:
    """Records a candidate's outcome; a pass gives the PE the cohort's stage from that date.

    Withdrawing returns the PE to the stage they held before training; deferring keeps them in
    training. Refuses an outcome date in the future or before the cohort's academic year, a
    second outcome after a pass (a pass has changed the register), and a pass for someone no
    longer in training for the stage.
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
    if enrolment.outcome == Outcome.PASSED:
        raise ValidationError(
            "This candidate has already passed; the pass is on the register and cannot be "
            "replaced here."
        )
    if outcome == Outcome.ENROLLED:
        outcome_date = None
    else:
        if outcome_date is None:
            raise ValidationError({"outcome_date": "Give the date of the outcome."})
        if outcome_date > timezone.localdate():
            raise ValidationError({"outcome_date": "The date cannot be in the future."})
        if outcome_date < enrolment.cohort.academic_year.starts_on:
            raise ValidationError(
                {
                    "outcome_date": (
                        f"The date is before academic year {enrolment.cohort.academic_year.label} "
                        "began."
                    )
                }
            )
    stage = enrolment.cohort.stage
    if outcome == Outcome.PASSED:
        if educator.peps_stage not in {_TRAINING_STAGE[stage], _STAGE_BEFORE[stage]}:
            raise ValidationError(
                f"{educator} is recorded as {educator.get_peps_stage_display()}, not in training "
                f"for Stage {stage}; correct the register entry first."
            )
        if stage == 1:
            educator.peps_stage, educator.stage1_date = PepsStage.STAGE1, outcome_date
        else:
            educator.peps_stage, educator.stage2_date = PepsStage.STAGE2, outcome_date
        save_audited(educator, actor=actor)
    elif outcome == Outcome.WITHDRAWN and educator.peps_stage == _TRAINING_STAGE[stage]:
        educator.peps_stage = _STAGE_BEFORE[stage]
        save_audited(educator, actor=actor)
    elif (
        outcome in {Outcome.ENROLLED, Outcome.DEFERRED}
        and educator.peps_stage == _STAGE_BEFORE[stage]
    ):
        educator.peps_stage = _TRAINING_STAGE[stage]
        save_audited(educator, actor=actor)
    enrolment.outcome, enrolment.outcome_date = outcome, outcome_date
    enrolment.educator = educator
    return save_audited(enrolment, actor=actor)


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

    Refuses a pass whose date disagrees with the date the register holds for that stage, and
    anything the two services refuse.
    """
    existing = (
        PepsEnrolment.objects.unscoped(SERVICE).filter(cohort=cohort, educator=educator).first()
    )
    if existing is not None:
        if (existing.outcome, existing.outcome_date) == (outcome, outcome_date):
            return existing
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
                        f"{_day(held_since)}; correct the register or this date."
                    )
                }
            )
    enrolment = PepsEnrolment(
        cohort=cohort, educator=educator, outcome=outcome, outcome_date=outcome_date
    )
    return save_audited(enrolment, actor=actor)


# --- recruitment and selection ------------------------------------------------------------


@transaction.atomic
def create_selection_criterion(
    *,
    actor: User | None,
    organisation: Organisation,
    title: str,
    description: str = "",
    max_score: int = 5,
    position: int = 0,
) -> SelectionCriterion:
    criterion = SelectionCriterion(
        organisation=organisation,
        title=title.strip(),
        description=description.strip(),
        max_score=max_score,
        position=position,
    )
    return save_audited(criterion, actor=actor)


@transaction.atomic
def update_selection_criterion(
    *,
    actor: User | None,
    criterion: SelectionCriterion,
    title: str,
    description: str,
    max_score: int,
    position: int,
    is_active: bool,
) -> SelectionCriterion:
    """Refuses lowering the highest score below a score already given against it."""
    highest_given = max(criterion.scores.values_list("score", flat=True), default=0)
    if max_score < highest_given:
        raise ValidationError(
            {"max_score": f"A panel has already given a score of {highest_given} against it."}
        )
    criterion.title, criterion.description = title.strip(), description.strip()
    criterion.max_score, criterion.position, criterion.is_active = max_score, position, is_active
    return save_audited(criterion, actor=actor)


@transaction.atomic
def create_pe_application(
    *,
    actor: User | None,
    applicant: Person,
    stage: int,
    statement: str,
    line_manager_name: str,
    line_manager_email: str,
) -> PeApplication:
    """Starts an application for ``applicant``'s organisation.

    Refuses a Stage 1 application from someone who already holds Stage 1, a Stage 2 application
    from someone without Stage 1, and a second open application for the same stage.
    """
    if stage != stage_to_apply_for(applicant):
        if stage == 1:
            raise ValidationError(
                {"stage": f"{applicant.full_name} already holds PEPS Stage 1; apply for Stage 2."}
            )
        raise ValidationError(
            {"stage": f"{applicant.full_name} needs PEPS Stage 1 before applying for Stage 2."}
        )
    if (
        PeApplication.objects.unscoped(SERVICE)
        .filter(applicant=applicant, stage=stage, decision="")
        .exists()
    ):
        raise ValidationError(
            {"applicant": f"{applicant.full_name} already has an open application for this stage."}
        )
    application = PeApplication(
        organisation=applicant.organisation,
        applicant=applicant,
        stage=stage,
        statement=statement.strip(),
        line_manager_name=line_manager_name.strip(),
        line_manager_email=line_manager_email.strip().lower(),
    )
    return save_audited(application, actor=actor)


@transaction.atomic
def submit_own_pe_application(
    *,
    actor: User,
    applicant: Person,
    stage: int,
    statement: str,
    line_manager_name: str,
    line_manager_email: str,
    base_url: str = "",
    send: bool = True,
) -> PeApplication:
    """An applicant's own expression of interest: recorded as ``create_pe_application`` does,
    and the line manager's link e-mailed after commit, so nobody has to forward it.

    Refuses what ``create_pe_application`` refuses, an empty statement, and the applicant's own
    address as their line manager's (they cannot support themselves).
    """
    if not statement.strip():
        raise ValidationError({"statement": "Write your statement."})
    email = line_manager_email.strip().lower()
    own = {address.lower() for address in (applicant.email, actor.email) if address}
    if email in own:
        raise ValidationError(
            {"line_manager_email": "Give your line manager's e-mail address, not your own."}
        )
    application = create_pe_application(
        actor=actor,
        applicant=applicant,
        stage=stage,
        statement=statement,
        line_manager_name=line_manager_name,
        line_manager_email=email,
    )
    request_line_manager_support(actor=actor, application=application, base_url=base_url, send=send)
    application.refresh_from_db()
    return application


@transaction.atomic
def update_own_pe_statement(
    *, actor: User, application: PeApplication, statement: str
) -> PeApplication:
    """The applicant rewrites their written statement; the line manager named stays, so a
    link already sent keeps working. Refuses an empty statement and a decided application."""
    if not statement.strip():
        raise ValidationError({"statement": "Write your statement."})
    current = _open_application(application)
    return update_pe_application(
        actor=actor,
        application=current,
        statement=statement,
        line_manager_name=current.line_manager_name,
        line_manager_email=current.line_manager_email,
    )


def _open_application(application: PeApplication) -> PeApplication:
    """The application as stored now, locked for this transaction; refused once decided.

    Services change this fresh copy, so a caller's stale instance cannot undo a decision.
    """
    fresh = PeApplication.objects.unscoped(SERVICE).select_for_update().get(pk=application.pk)
    if fresh.decision:
        raise ValidationError("A decision has been made on this application; it cannot change.")
    return fresh


@transaction.atomic
def update_pe_application(
    *,
    actor: User | None,
    application: PeApplication,
    statement: str,
    line_manager_name: str,
    line_manager_email: str,
) -> PeApplication:
    """Changes the written application. A new line manager address voids a link already sent."""
    application = _open_application(application)
    email = line_manager_email.strip().lower()
    if email != application.line_manager_email and application.support_given_at is None:
        application.support_token_hash = None
        application.support_requested_at = application.support_expires_at = None
    application.statement = statement.strip()
    application.line_manager_name, application.line_manager_email = line_manager_name.strip(), email
    return save_audited(application, actor=actor)


@transaction.atomic
def request_line_manager_support(
    *, actor: User | None, application: PeApplication, base_url: str = "", send: bool = True
) -> str:
    """Creates the line manager's single-use link (replacing any earlier one) and e-mails it
    after commit. Returns the raw token, which is stored only as a hash.

    Refuses once the line manager has responded or a decision has been made.
    """
    application = _open_application(application)
    if application.support_given_at is not None:
        raise ValidationError("The line manager has already responded to this application.")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    application.support_token_hash = hash_token(token)
    application.support_requested_at = now
    application.support_expires_at = now + SUPPORT_LINK_LIFETIME
    save_audited(application, actor=actor)
    if send:
        link = base_url + reverse("educators:line-manager-support", args=[token])
        transaction.on_commit(lambda: _send_support_request(application, link))
    return token


def _send_support_request(application: PeApplication, link: str) -> None:
    expires = application.support_expires_at
    send_mail(
        subject=f"Please support {application.applicant.full_name}'s practice educator application",
        message=(
            f"Dear {application.line_manager_name},\n\n"
            f"{application.applicant.full_name} has applied to {application.organisation.name} "
            f"for PEPS {application.get_stage_display().removeprefix('PEPS ')} practice educator "
            "training and named you as their line manager.\n\n"
            f"Please give your support statement here: {link}\n\n"
            f"The link works once and expires on {_day(expires)}."
        ),
        from_email=None,
        recipient_list=[application.line_manager_email],
    )


def application_for_support_token(token: str) -> PeApplication | None:
    """The application waiting for its line manager behind ``token``, or None if the token is
    unknown, used or expired."""
    application = (
        PeApplication.objects.unscoped(SERVICE)
        .select_related("applicant", "organisation")
        .filter(support_token_hash=hash_token(token), support_given_at__isnull=True, decision="")
        .first()
    )
    if application is None or application.support_expires_at is None:
        return None
    if timezone.now() >= application.support_expires_at:
        return None
    return application


@transaction.atomic
def give_line_manager_support(
    *, application: PeApplication, supports: bool, statement: str
) -> PeApplication:
    """Records the line manager's response and makes their link unusable. Refuses an empty
    statement and a link that has been used or has expired."""
    application = PeApplication.objects.unscoped(SERVICE).select_for_update().get(pk=application.pk)
    if (
        application.support_given_at is not None
        or application.support_token_hash is None
        or application.support_expires_at is None
        or timezone.now() >= application.support_expires_at
    ):
        raise ValidationError("This link has already been used or has expired.")
    if not statement.strip():
        raise ValidationError({"statement": "Write your statement."})
    application.line_manager_supports = supports
    application.line_manager_statement = statement.strip()
    application.support_given_at = timezone.now()
    application.support_token_hash = None
    return save_audited(application, actor=None)


@transaction.atomic
def set_selection_panel(
    *, actor: User | None, application: PeApplication, members: Sequence[Person]
) -> list[PanelMember]:
    """Replaces the selection panel. Refuses a panel without a member from an HEI of the
    partnership, and members from outside the partnership."""
    application = _open_application(application)
    partnership_id = application.organisation.partnership_id
    if not members:
        raise ValidationError({"members": "Choose the members of the panel."})
    outsiders = [m for m in members if m.organisation.partnership_id != partnership_id]
    if outsiders:
        raise ValidationError(
            {"members": f"{outsiders[0].full_name} is not in the teaching partnership."}
        )
    if not any(m.organisation.kind == OrganisationKind.HEI for m in members):
        raise ValidationError(
            {"members": "Include at least one member from a university (HEI) programme provider."}
        )
    wanted = {m.pk: m for m in members}
    for existing in application.panel_members.all():
        if existing.person_id not in wanted:
            delete_audited(existing, actor=actor)
    have = set(application.panel_members.values_list("person_id", flat=True))
    for pk, person in wanted.items():
        if pk not in have:
            save_audited(PanelMember(application=application, person=person), actor=actor)
    return list(application.panel_members.select_related("person__organisation"))


@transaction.atomic
def schedule_panel_interview(
    *, actor: User | None, application: PeApplication, interview_at: datetime.datetime
) -> PeApplication:
    """Refuses scheduling before the panel (with its HEI member) has been chosen."""
    application = _open_application(application)
    if not application.panel_members.exists():
        raise ValidationError({"interview_at": "Choose the selection panel first."})
    application.interview_at = interview_at
    return save_audited(application, actor=actor)


@transaction.atomic
def record_application_scores(
    *,
    actor: User | None,
    application: PeApplication,
    scores: dict[SelectionCriterion, tuple[int, str]],
) -> list[ApplicationScore]:
    """Records the panel's score (and comment) against each criterion given.

    Refuses scores before the interview date is set, above a criterion's highest score, and
    criteria of another organisation.
    """
    application = _open_application(application)
    if application.interview_at is None:
        raise ValidationError("Schedule the panel interview before recording scores.")
    saved = []
    for criterion, (score, comment) in scores.items():
        row = ApplicationScore.objects.unscoped(SERVICE).filter(
            application=application, criterion=criterion
        ).first() or ApplicationScore(application=application, criterion=criterion)
        row.score, row.comment = score, comment.strip()
        saved.append(save_audited(row, actor=actor))
    return saved


def missing_for_acceptance(application: PeApplication) -> list[str]:
    """What still stands between this application and acceptance (empty when nothing)."""
    missing = []
    if application.line_manager_supports is not True:
        missing.append("the line manager's support")
    if not application.panel_members.filter(
        person__organisation__kind=OrganisationKind.HEI
    ).exists():
        missing.append("a selection panel with a member from a university")
    if application.interview_at is None:
        missing.append("a panel interview")
    criteria = SelectionCriterion.objects.unscoped(SERVICE).filter(
        organisation_id=application.organisation_id, is_active=True
    )
    scored = set(application.scores.values_list("criterion_id", flat=True))
    if not criteria.exists() or any(c.pk not in scored for c in criteria):
        missing.append("a score against every published criterion")
    return missing


def next_cohort_year(today: datetime.date) -> int:
    """Training starts in the academic year after the one in which the decision is made."""
    return academic_years.academic_year_of(today) + 1


@transaction.atomic
def decide_pe_application(
    *,
    actor: User,
    application: PeApplication,
    decision: str,
    feedback_letter: str,
    today: datetime.date | None = None,
) -> PeApplication:
    """Records the decision and its feedback letter, and e-mails the letter to the applicant
    after commit (when they have an address; otherwise the letter goes by hand and
    ``feedback_sent_to`` stays empty). Accepting puts the applicant on the register (if they
    are not on it) and enrols them in their organisation's cohort of the applied-for stage in
    the next academic year, creating the cohort if needed.

    Refuses a second decision, an empty letter, and acceptance while anything in
    ``missing_for_acceptance`` is outstanding.
    """
    application = _open_application(application)
    today = today or timezone.localdate()
    if decision not in Decision.values:
        raise ValidationError({"decision": "Choose whether the application is accepted."})
    if not feedback_letter.strip():
        raise ValidationError({"feedback_letter": "Write the feedback letter."})
    if decision == Decision.ACCEPTED:
        missing = missing_for_acceptance(application)
        if missing:
            raise ValidationError(
                {"decision": f"The application cannot be accepted without {', '.join(missing)}."}
            )
        educator = PracticeEducator.objects.unscoped(SERVICE).filter(
            person=application.applicant
        ).first() or create_practice_educator(actor=actor, person=application.applicant)
        cohort = ensure_peps_cohort(
            actor=actor,
            organisation=application.organisation,
            start_year=next_cohort_year(today),
            stage=application.stage,
        )
        application.enrolment = enrol_in_peps_cohort(actor=actor, cohort=cohort, educator=educator)
    application.decision = decision
    application.feedback_letter = feedback_letter.strip()
    application.decided_on, application.decided_by = today, actor
    application.feedback_sent_to = application.applicant.email.strip().lower()
    save_audited(application, actor=actor)
    if application.feedback_sent_to:
        transaction.on_commit(lambda: _send_feedback_letter(application))
    return application


def _send_feedback_letter(application: PeApplication) -> None:
    stage = application.get_stage_display()
    send_mail(
        subject=f"Your application for {stage} practice educator training: the decision",
        message=(
            f"Dear {application.applicant.full_name},\n\n"
            f"{application.organisation.name} has decided on your application for {stage} "
            f"practice educator training: {application.get_decision_display().lower()}.\n\n"
            f"{application.feedback_letter}\n"
        ),
        from_email=None,
        recipient_list=[application.feedback_sent_to],
    )


# --- applications from earlier records (imports) -------------------------------------------


@dataclass(frozen=True)
class RecordedApplication:
    """An application as an earlier record states it, at whatever point it had reached."""

    applicant: Person
    stage: int
    created_at: datetime.datetime
    statement: str
    line_manager_name: str
    line_manager_email: str
    line_manager_supports: bool | None = None
    line_manager_statement: str = ""
    support_given_at: datetime.datetime | None = None
    panel: Sequence[Person] = ()
    interview_at: datetime.datetime | None = None
    decision: str = ""
    decided_on: datetime.date | None = None
    decided_by: User | None = None
    feedback_letter: str = ""
    feedback_sent_to: str = ""


@transaction.atomic
def record_pe_application(*, actor: User | None, record: RecordedApplication) -> PeApplication:
    """Records (or brings up to date) an application from an earlier record, found by applicant,
    stage and when it was made. Nothing is sent: the line manager answered, the panel met and
    the letter went out when the record says. An accepted application is linked to the
    applicant's enrolment in the cohort after the decision, when there is one.

    Refuses what the application itself refuses (an applicant of another organisation, a
    decision without its date and letter), a line manager's response without its date or the
    other way round, and panel members from outside the partnership.
    """
    applicant = record.applicant
    application = PeApplication.objects.unscoped(SERVICE).filter(
        applicant=applicant, stage=record.stage, created_at=record.created_at
    ).first() or PeApplication(
        organisation=applicant.organisation,
        applicant=applicant,
        stage=record.stage,
        created_at=record.created_at,
    )
    if (record.line_manager_supports is None) != (record.support_given_at is None):
        raise ValidationError(
            {
                "support_given_at": "Give the line manager's answer and the date they gave it "
                "together (or neither)."
            }
        )
    partnership_id = applicant.organisation.partnership_id
    outsiders = [p for p in record.panel if p.organisation.partnership_id != partnership_id]
    if outsiders:
        raise ValidationError(
            {"panel": f"{outsiders[0].full_name} is not in the teaching partnership."}
        )
    application.statement = record.statement.strip()
    application.line_manager_name = record.line_manager_name.strip()
    application.line_manager_email = record.line_manager_email.strip().lower()
    application.line_manager_supports = record.line_manager_supports
    application.line_manager_statement = record.line_manager_statement.strip()
    application.support_given_at = record.support_given_at
    application.interview_at = record.interview_at
    application.decision = record.decision
    application.decided_on, application.decided_by = record.decided_on, record.decided_by
    application.feedback_letter = record.feedback_letter.strip()
    application.feedback_sent_to = record.feedback_sent_to.strip().lower()
    application.enrolment = _enrolment_after(application)
    save_audited(application, actor=actor)
    wanted = {person.pk: person for person in record.panel}
    for member in application.panel_members.all():
        if member.person_id not in wanted:
            delete_audited(member, actor=actor)
    seated = set(application.panel_members.values_list("person_id", flat=True))
    for pk, person in wanted.items():
        if pk not in seated:
            save_audited(PanelMember(application=application, person=person), actor=actor)
    return application


def _enrolment_after(application: PeApplication) -> PepsEnrolment | None:
    """The applicant's enrolment that an accepted application led to: in their organisation's
    cohort of the stage, in the academic year after the decision."""
    if application.decision != Decision.ACCEPTED or application.decided_on is None:
        return None
    return (
        PepsEnrolment.objects.unscoped(SERVICE)
        .filter(
            educator__person=application.applicant,
            cohort__organisation_id=application.organisation_id,
            cohort__stage=application.stage,
            cohort__academic_year__start_year=next_cohort_year(application.decided_on),
        )
        .first()
    )


@transaction.atomic
def record_application_score(
    *,
    actor: User | None,
    application: PeApplication,
    criterion: SelectionCriterion,
    score: int,
    comment: str = "",
) -> ApplicationScore:
    """Records a panel's score from an earlier record, whatever the application's state.
    Refuses a score above the criterion's highest and a criterion of another organisation."""
    row = ApplicationScore.objects.unscoped(SERVICE).filter(
        application=application, criterion=criterion
    ).first() or ApplicationScore(application=application, criterion=criterion)
    row.score, row.comment = score, comment.strip()
    return save_audited(row, actor=actor)
