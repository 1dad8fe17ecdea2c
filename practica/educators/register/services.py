"""Every write to the practice educator register: entries, activities, reviews and the
partnership's currency rules.

Each function is keyword-only, takes the ``actor`` whose change history records, validates in
full and raises ``ValidationError`` with a message a coordinator can act on.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone
from django.utils.formats import date_format

from practica.core import services as core_services
from practica.core.audit import (
    create_all_audited,
    delete_audited,
    save_audited,
    update_all_audited,
)
from practica.core.models import Location, Organisation, Partnership, Person, ServiceArea, Team
from practica.educators.register.models import (
    ActivityKind,
    ChangeReport,
    ChangeStatus,
    CurrencyRule,
    EducatorMessage,
    EducatorMessageDelivery,
    PepsStage,
    PracticeEducator,
    PracticeEducatorActivity,
)

if TYPE_CHECKING:
    from practica.accounts.models import User

# why the queries below read every organisation's rows (core/scoping.py)
SERVICE = "a service works on the records its caller was allowed to hand it"
# the stages and activities there are, asked once (an enumeration's ``values`` builds its list
# again each time it is read: an import reads them for every row)
PEPS_STAGES = frozenset(PepsStage.values)
ACTIVITY_KINDS = frozenset(ActivityKind.values)


def change_practice_educator(
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
) -> PracticeEducator:
    """``educator`` (saved or not) with these register fields, not saved: what
    ``create_practice_educator``, ``update_practice_educator`` and the import's
    ``save_register`` write."""
    if peps_stage not in PEPS_STAGES:
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
    if educator.last_training_date != last_training_date:  # typed in: no event behind it
        educator.last_training_source = educator.last_training_source_url = ""
    educator.last_training_date = last_training_date
    return educator


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
    change_practice_educator(
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
    return create_practice_educator(actor=actor, person=person, **register_fields)  # type: ignore[arg-type]  # the form's cleaned register fields


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
    change_practice_educator(
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
    change_review(educator, actor=actor, reviewed_on=reviewed_on, reviewed_by=reviewed_by)
    return save_audited(educator, actor=actor)


def change_review(
    educator: PracticeEducator,
    *,
    actor: User | None,
    reviewed_on: datetime.date,
    reviewed_by: User | Literal["actor"] | None = "actor",
) -> PracticeEducator:
    """``educator`` with the review recorded as ``review_practice_educator`` records it (and
    refusing what it refuses), not saved: that function and ``save_register`` save it."""
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": "The review date cannot be in the future."})
    if educator.reviewed_on and reviewed_on < educator.reviewed_on:
        raise ValidationError(
            {
                "reviewed_on": f"The entry was last reviewed later, on {date_format(educator.reviewed_on, 'j F Y')}."
            }
        )
    educator.reviewed_on = reviewed_on
    educator.reviewed_by = actor if reviewed_by == "actor" else reviewed_by
    return educator


@transaction.atomic
def start_activity(
    *, actor: User | None, educator: PracticeEducator, kind: str, started_on: datetime.date
) -> PracticeEducatorActivity:
    """Records that the PE has started an activity. Refuses a second open activity of a kind."""
    activity = _new_activity(educator, kind=kind, started_on=started_on)
    if educator.activities.filter(kind=kind, ended_on__isnull=True).exists():
        raise ValidationError(
            {"kind": f"{educator} is already recorded as {ActivityKind(kind).label.lower()}."}
        )
    return save_audited(activity, actor=actor)


def _new_activity(
    educator: PracticeEducator,
    *,
    kind: str,
    started_on: datetime.date,
    today: datetime.date | None = None,
) -> PracticeEducatorActivity:
    """An activity starting, not saved; refuses an unknown kind and a start in the future
    (after ``today``, by default the day it is now)."""
    if kind not in ACTIVITY_KINDS:
        raise ValidationError({"kind": f"“{kind}” is not a practice educator activity."})
    if started_on > (today or timezone.localdate()):
        raise ValidationError({"started_on": "The start date cannot be in the future."})
    return PracticeEducatorActivity(educator=educator, kind=kind, started_on=started_on)


@transaction.atomic
def end_activity(
    *, actor: User | None, activity: PracticeEducatorActivity, ended_on: datetime.date
) -> PracticeEducatorActivity:
    """Records the day an activity stopped. Refuses a day before it started or in the future."""
    return save_audited(_ended(activity, ended_on=ended_on), actor=actor)


def _ended(
    activity: PracticeEducatorActivity, *, ended_on: datetime.date
) -> PracticeEducatorActivity:
    """``activity`` ending on ``ended_on``, not saved; refuses a day in the future (and its
    ``full_clean`` a day before it started)."""
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": "The end date cannot be in the future."})
    activity.ended_on = ended_on
    return activity


@dataclass
class ActivityChanges:
    """What makes a list of activities an educator's current ones (``current_activity_changes``),
    not yet written: activities to remove, activities ended, activities started."""

    removed: list[PracticeEducatorActivity] = field(default_factory=list)
    ended: list[PracticeEducatorActivity] = field(default_factory=list)
    started: list[PracticeEducatorActivity] = field(default_factory=list)


def current_activity_changes(
    educator: PracticeEducator,
    *,
    open_activities: Iterable[PracticeEducatorActivity],
    kinds: Iterable[str],
    on: datetime.date,
    today: datetime.date | None = None,
) -> ActivityChanges:
    """What ``set_current_activities`` does, worked out from the educator's open activities
    (those not ended) and written by it or by ``save_register``: the missing ``kinds`` start
    on ``on``, and the others end the day before — or are removed if they only started on
    ``on``, as recorded by mistake. ``today``: the day it is now, if the caller (writing many
    educators' activities) has asked already."""
    wanted = set(kinds)
    unknown = wanted - ACTIVITY_KINDS
    if unknown:
        raise ValidationError(f"Unknown activities: {', '.join(sorted(unknown))}.")
    changes = ActivityChanges()
    open_by_kind = {activity.kind: activity for activity in open_activities}
    for kind, activity in open_by_kind.items():
        if kind in wanted:
            continue
        if activity.started_on >= on:
            changes.removed.append(activity)
        else:
            changes.ended.append(_ended(activity, ended_on=on - timedelta(days=1)))
    for kind in sorted(wanted - set(open_by_kind)):
        changes.started.append(_new_activity(educator, kind=kind, started_on=on, today=today))
    return changes


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
    changes = current_activity_changes(
        educator,
        open_activities=educator.activities.filter(ended_on__isnull=True),
        kinds=kinds,
        on=on,
    )
    for activity in changes.removed:
        remove_activity(actor=actor, activity=activity)
    for activity in changes.ended:
        save_audited(activity, actor=actor)
    for activity in changes.started:
        save_audited(activity, actor=actor)


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
    if kind not in ACTIVITY_KINDS:
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


# what change_practice_educator sets: the fields an update of a register entry writes
ENTRY_FIELDS = (
    "peps_stage",
    "stage1_date",
    "stage2_date",
    "independent",
    "service_area",
    "location",
    "last_student_date",
    "last_training_date",
    "last_training_source",
    "last_training_source_url",
)


@dataclass
class RegisterChanges:
    """Many register entries changed at once (the practice-educators import), each part made
    by the functions the one-at-a-time services use: people by ``core.services.change_person``,
    entries by ``change_practice_educator``, activities by ``current_activity_changes``,
    reviews (entry, date, reviewer) by ``change_review`` when written."""

    people_created: list[Person] = field(default_factory=list)
    people_changed: list[Person] = field(default_factory=list)
    created: list[PracticeEducator] = field(default_factory=list)
    changed: list[PracticeEducator] = field(default_factory=list)
    activities: list[ActivityChanges] = field(default_factory=list)
    reviews: list[tuple[PracticeEducator, datetime.date, User | None]] = field(default_factory=list)


@transaction.atomic
def save_register(*, actor: User | None, changes: RegisterChanges) -> None:
    """Writes ``changes`` in bulk (``core.audit``: validated, with history rows), leaving what
    the same changes made one at a time leave: people first, then entries (new ones on the
    register as they were, then changed), their activities, and last the reviews, each a
    change of its own in the entry's history as ``review_practice_educator`` records it."""
    core_services.save_people(
        actor=actor, created=changes.people_created, changed=changes.people_changed
    )
    for educator in changes.created:
        educator.person = educator.person  # the id of a person created just above
    create_all_audited(changes.created, actor=actor)
    update_all_audited(changes.changed, fields=ENTRY_FIELDS, actor=actor)
    removed = [activity for part in changes.activities for activity in part.removed]
    for activity in removed:  # one started and removed on the same day: rare
        remove_activity(actor=actor, activity=activity)
    ended = [activity for part in changes.activities for activity in part.ended]
    update_all_audited(ended, fields=("ended_on",), actor=actor)
    started = [activity for part in changes.activities for activity in part.started]
    for activity in started:
        activity.educator = activity.educator  # the id of an entry created just above
    create_all_audited(started, actor=actor)
    reviewed = [
        change_review(educator, actor=actor, reviewed_on=on, reviewed_by=by)
        for educator, on, by in changes.reviews
    ]
    update_all_audited(reviewed, fields=("reviewed_on", "reviewed_by"), actor=actor)


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


@transaction.atomic
def credit_update_training(
    *, actor: User | None, educator: PracticeEducator, on: datetime.date, source: str, url: str
) -> bool:
    """Moves the educator's last update training forward to ``on``, naming where it came from
    (``source``, e.g. the event attended, and its page ``url``). An earlier date changes nothing.
    Returns whether the register changed.
    """
    educator = PracticeEducator.objects.unscoped(SERVICE).select_for_update().get(pk=educator.pk)
    if educator.last_training_date is not None and educator.last_training_date >= on:
        return False
    educator.last_training_date = on
    educator.last_training_source, educator.last_training_source_url = source[:300], url
    educator._change_reason = f"Update training: {source}"[:100]  # type: ignore[attr-defined]  # django-simple-history reads it
    save_audited(educator, actor=actor)
    return True


@transaction.atomic
def credit_student(
    *, actor: User | None, educator: PracticeEducator, on: datetime.date, source: str
) -> bool:
    """Moves the educator's last student forward to ``on`` (a placement they supervise,
    ``source``, recorded in Practica); the date entered by hand stays for what came before, and
    an earlier date changes nothing. Returns whether the register changed."""
    educator = PracticeEducator.objects.unscoped(SERVICE).select_for_update().get(pk=educator.pk)
    if educator.last_student_date is not None and educator.last_student_date >= on:
        return False
    educator.last_student_date = on
    educator._change_reason = f"Last student: {source}"[:100]  # type: ignore[attr-defined]  # django-simple-history reads it
    save_audited(educator, actor=actor)
    return True


@transaction.atomic
def withdraw_update_training(
    *,
    actor: User | None,
    educator: PracticeEducator,
    url: str,
    instead: tuple[datetime.date, str, str] | None,
) -> bool:
    """Takes back update training credited from ``url`` (attendance recorded by mistake).

    The date returns to what the register held before that credit, or to ``instead`` (the
    latest other training that counts, as date, source and url) when that is later. Changes
    nothing when the register's date did not come from ``url``. Returns whether it changed.
    """
    educator = PracticeEducator.objects.unscoped(SERVICE).select_for_update().get(pk=educator.pk)
    if educator.last_training_source_url != url:
        return False
    manager: Any = educator.history  # django-simple-history adds it
    before = manager.exclude(last_training_source_url=url).order_by("-history_date").first()
    restored = (
        (before.last_training_date, before.last_training_source, before.last_training_source_url)
        if before is not None
        else (None, "", "")
    )
    if instead is not None and (restored[0] is None or instead[0] > restored[0]):
        restored = instead
    educator.last_training_date, educator.last_training_source = restored[0], restored[1]
    educator.last_training_source_url = restored[2]
    educator._change_reason = "Update training taken back: attendance changed"  # type: ignore[attr-defined]  # django-simple-history reads it
    save_audited(educator, actor=actor)
    return True


@transaction.atomic
def report_change(
    *,
    actor: User | None,
    educator: PracticeEducator,
    changed_on: datetime.date,
    team: Team | None = None,
    location: Location | None = None,
    activities_started: Iterable[str] = (),
    activities_stopped: Iterable[str] = (),
    note: str = "",
) -> ChangeReport:
    """A practice educator tells their coordinators of a change to their entry.

    Refuses a report that changes nothing, a team or location of another organisation, an
    activity started that they already do or stopped that they do not, and a future date.
    """
    started, stopped = sorted(set(activities_started)), sorted(set(activities_stopped))
    current = set(educator.activities.filter(ended_on__isnull=True).values_list("kind", flat=True))
    errors: dict[str, str] = {}
    if changed_on > timezone.localdate():
        errors["changed_on"] = "The date of the change cannot be in the future."
    organisation_id = educator.person.organisation_id
    if team is not None and team.organisation_id != organisation_id:
        errors["team"] = "Choose a team of your organisation."
    if location is not None and location.organisation_id != organisation_id:
        errors["location"] = "Choose a location of your organisation."
    if already := [ActivityKind(kind).label for kind in started if kind in current]:
        errors["activities_started"] = f"You are already recorded as doing: {'; '.join(already)}."
    if missing := [ActivityKind(kind).label for kind in stopped if kind not in current]:
        errors["activities_stopped"] = f"You are not recorded as doing: {'; '.join(missing)}."
    if errors:
        raise ValidationError(errors)
    if team == educator.person.team:
        team = None
    if location == educator.location:
        location = None
    if team is None and location is None and not started and not stopped:
        raise ValidationError(
            "Tell us what has changed: a new team, a new location, or an activity started or "
            "stopped."
        )
    report = ChangeReport(
        educator=educator,
        changed_on=changed_on,
        team=team,
        location=location,
        activities_started=started,
        activities_stopped=stopped,
        note=note.strip(),
    )
    return save_audited(report, actor=actor)


@transaction.atomic
def decide_change(
    *, actor: User | None, report: ChangeReport, accept: bool, reason: str = ""
) -> ChangeReport:
    """A coordinator accepts a reported change, which is then applied to the register from its
    date, or declines it with a reason (the practice educator sees it). Refuses a report that
    has been decided already, and declining without a reason."""
    report = (
        ChangeReport.objects.unscoped(SERVICE)
        .select_for_update()
        .select_related("educator__person")
        .get(pk=report.pk)
    )
    if report.status != ChangeStatus.WAITING:
        raise ValidationError(f"This change was {report.get_status_display().lower()} already.")
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError({"reason": "Say why the change is declined."})
    if accept:
        _apply_change(report, actor=actor)
    report.status = ChangeStatus.ACCEPTED if accept else ChangeStatus.DECLINED
    report.decided_by, report.decision_reason = actor, reason
    return save_audited(report, actor=actor)


def _apply_change(report: ChangeReport, *, actor: User | None) -> None:
    educator, on = report.educator, report.changed_on
    person = educator.person
    if report.team is not None and report.team != person.team:
        core_services.update_person(
            actor=actor,
            person=person,
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            job_title=person.job_title,
            team=report.team,
        )
    if report.location is not None and report.location != educator.location:
        educator.location = report.location
        save_audited(educator, actor=actor)
    for activity in educator.activities.filter(
        kind__in=report.activities_stopped, ended_on__isnull=True
    ):
        end_activity(actor=actor, activity=activity, ended_on=max(on, activity.started_on))
    for kind in report.activities_started:
        start_activity(actor=actor, educator=educator, kind=kind, started_on=on)


# --- messages to practice educators (from the lapsing list) ----------------------------


@transaction.atomic
def message_educators(
    *,
    actor: User | None,
    organisation: Organisation,
    educators: Iterable[PracticeEducator],
    subject: str,
    body: str,
) -> EducatorMessage:
    """E-mails ``subject`` and ``body`` to each of ``educators`` (practice educators of
    ``organisation`` with an e-mail address) from the background worker once committed, and
    records who sent what to whom. Refuses an empty subject or message, nobody to send it to,
    and a practice educator of another organisation."""
    chosen = list(educators)
    errors: dict[str, str] = {}
    if not subject.strip():
        errors["subject"] = "Enter a subject."
    if not body.strip():
        errors["body"] = "Enter the message."
    if errors:
        raise ValidationError(errors)
    outside = [e for e in chosen if e.person.organisation_id != organisation.pk]
    if outside:
        raise ValidationError(
            f"{outside[0].person.full_name} is not a practice educator of {organisation.name}."
        )
    recipients = [e for e in chosen if e.person.email]
    if not recipients:
        raise ValidationError("None of these practice educators has an e-mail address.")
    message = EducatorMessage.objects.create(
        organisation=organisation, sent_by=actor, subject=subject.strip(), body=body.strip()
    )
    message.recipients.set(recipients)
    transaction.on_commit(lambda: send_educator_message.enqueue(message.pk))
    return message


def educator_message_emails(
    message: EducatorMessage,
) -> list[tuple[PracticeEducator, EmailMessage]]:
    """The message's e-mails not sent yet, one per recipient (nobody sees the others'
    addresses), each with its recipient."""
    waiting = (
        message.recipients.exclude(pk__in=message.deliveries.values("educator_id"))
        .select_related("person")
        .order_by("person__email")
    )
    return [
        (
            educator,
            EmailMessage(
                subject=message.subject,
                body=f"Dear {educator.person.first_name},\n\n{message.body}\n",
                to=[educator.person.email],
            ),
        )
        for educator in waiting
    ]


@task()
def send_educator_message(message_id: int) -> int:
    """The background worker's job: sends one message's e-mails over one connection; returns
    how many were sent.

    Idempotent when retried: each e-mail is recorded as sent (an ``EducatorMessageDelivery``)
    in the transaction that sends it, committed only once it has gone, and a recipient with a
    record is left alone; so a worker that dies between two e-mails leaves the rest to the
    retry (the way ``questionnaires.services.send_links`` is)."""
    message = EducatorMessage.objects.unscoped("the worker sends a recorded message").get(
        pk=message_id
    )
    sent = 0
    with mailers["default"] as connection:
        for educator, email in educator_message_emails(message):
            with transaction.atomic():
                _, first = EducatorMessageDelivery.objects.get_or_create(
                    message=message, educator=educator
                )
                if first:  # not sent by an earlier try that is still running or has finished
                    sent += connection.send_messages([email]) or 0
    return sent
