"""Scoped reads of events, registrations and waiting lists, and of CPD records."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from practica.accounts import permissions
from practica.core.models import Organisation, Partnership, Person
from practica.core.request_memo import remembered
from practica.educators.models import PepsEnrolment, PracticeEducator
from practica.learning.abilities import CPD_RECORD
from practica.learning.events.models import (
    DEFAULT_UPDATE_TRAINING_KINDS,
    Attendance,
    Event,
    Registration,
    RegistrationStatus,
    UpdateTrainingRule,
)
from practica.learning.outside.models import OutsideCpd
from practica.learning.outside.selectors import outside_cpd_of

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

WHEN = ("upcoming", "past", "all")
# the home page's event tasks, each a filter of the events list (``?task=``)
TASKS = {
    "places": "Places still free",
    "attendance": "Attendance to record",
    "mine": "Events you are registered for",
}


def events_visible_to(
    user: Viewer,
    *,
    when: str = "upcoming",
    kind: str = "",
    theme: str = "",
    organisation: str = "",
    search: str = "",
    task: str = "",
    now: datetime.datetime | None = None,
) -> QuerySet[Event]:
    """Events the user may see, with their registered and waiting counts.

    ``when`` is upcoming (not yet ended), past or all; ``organisation`` is a code and matches
    the organiser or a co-facilitator. ``task`` (``TASKS``): "places", events not yet started
    that take registrations and have a place free; "attendance", events that have started
    with someone registered whose attendance is not recorded; "mine", events the user holds
    a place (or a place in the queue) at.
    """
    now = now or timezone.now()
    events = Event.objects.visible_to(user).select_related("organisation", "location")
    if when == "upcoming":
        events = events.filter(ends_at__gte=now)
    elif when == "past":
        events = events.filter(ends_at__lt=now)
    if kind:
        events = events.filter(kind=kind)
    if theme:
        events = events.filter(theme__iexact=theme)
    if organisation:
        events = events.filter(
            Q(organisation__code__iexact=organisation)
            | Q(
                pk__in=Event.co_facilitators.through.objects.filter(
                    organisation__code__iexact=organisation
                ).values("event_id")
            )
        )
    if search:
        events = events.filter(
            Q(title__icontains=search)
            | Q(theme__icontains=search)
            | Q(description__icontains=search)
        )
    counted = events.annotate(
        registered_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
        ),
        waitlisted_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
        ),
    )
    return _for_task(counted, task, user, now)


def _for_task(
    events: QuerySet[Any], task: str, user: Viewer, now: datetime.datetime
) -> QuerySet[Event]:
    chosen: QuerySet[Event] = events
    if task == "places":
        chosen = events.filter(starts_at__gt=now, registration_open=True).filter(
            Q(capacity__isnull=True) | Q(capacity__gt=F("registered_count"))
        )
    if task == "attendance":
        unrecorded = Registration.objects.unscoped(
            "whether an event the user sees has attendance to record, no names"
        ).filter(
            event=OuterRef("pk"),
            status=RegistrationStatus.REGISTERED,
            attended=Attendance.UNKNOWN,
        )
        chosen = events.filter(starts_at__lte=now).filter(Exists(unrecorded))
    if task == "mine":
        user_id: int | None = getattr(user, "pk", None)
        if user_id is None:
            return events.none()
        own = Registration.objects.unscoped("the user's own places, asked for by the user").filter(
            event=OuterRef("pk"),
            person__user_id=user_id,
            status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED],
        )
        chosen = events.filter(Exists(own))
    return chosen


def event_themes_visible_to(user: Viewer) -> list[str]:
    """The distinct themes of the events the user may see, for the theme filter."""
    themes = (
        Event.objects.visible_to(user)
        .exclude(theme="")
        .order_by("theme")
        .values_list("theme", flat=True)
        .distinct()
    )
    return list(themes)


def event_organisers_visible_to(user: Viewer) -> QuerySet[Organisation]:
    """Organisations that organise or co-facilitate an event the user may see."""
    visible = Event.objects.visible_to(user).values("pk")
    return (
        Organisation.objects.unscoped("the names on events the user may see cross over (docs/0007)")
        .filter(Q(organised_events__in=visible) | Q(co_facilitated_events__in=visible))
        .distinct()
        .order_by("name")
    )


def registration_of(event: Event, person: Person | None) -> Registration | None:
    """The person's registration for the event (any status), if there is one."""
    if person is None:
        return None
    return (
        Registration.objects.unscoped("the person's own place, asked for by the person")
        .filter(event=event, person=person)
        .first()
    )


def waiting_list_position(registration: Registration) -> int | None:
    """1 for the first person waiting; None if the registration is not on the waiting list."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = (
        Registration.objects.unscoped("a count of the places ahead in the queue, no names")
        .filter(event_id=registration.event_id, status=RegistrationStatus.WAITLISTED)
        .filter(
            Q(registered_at__lt=registration.registered_at)
            | Q(registered_at=registration.registered_at, pk__lt=registration.pk)
        )
    )
    return ahead.count() + 1


@dataclass(frozen=True)
class Attendees:
    registered: list[Registration]  # by name
    waiting: list[Registration]  # in the order places will be offered
    cancelled: list[Registration]  # by name


def attendees_of(event: Event) -> Attendees:
    """Every registration of an event, in the order each list is read. The caller has fetched
    ``event`` with the ATTENDEES ability."""
    registrations = list(
        event.registrations.select_related("person", "person__organisation").order_by(
            "person__last_name", "person__first_name", "pk"
        )
    )
    waiting = [r for r in registrations if r.status == RegistrationStatus.WAITLISTED]
    return Attendees(
        registered=[r for r in registrations if r.status == RegistrationStatus.REGISTERED],
        waiting=sorted(waiting, key=lambda r: (r.registered_at, r.pk)),
        cancelled=[r for r in registrations if r.status == RegistrationStatus.CANCELLED],
    )


# --- CPD records -------------------------------------------------------------------------


@dataclass(frozen=True)
class CpdEntry:
    """One line of a CPD record: an event attended or a piece of training."""

    date: datetime.date
    title: str
    kind: str
    provider: str
    theme: str = ""
    hours: Decimal | None = None
    url: str = ""
    status: str = ""


@dataclass(frozen=True)
class CpdRecord:
    person: Person
    attended: list[CpdEntry]
    training: list[CpdEntry]
    upcoming: list[Registration] = field(default_factory=list)
    # CPD the person did outside the partnership's events, as they recorded it
    outside: list[OutsideCpd] = field(default_factory=list)

    @property
    def hours(self) -> Decimal:
        return sum((entry.hours or Decimal(0) for entry in self.attended), Decimal(0))

    @property
    def outside_hours(self) -> Decimal:
        return sum((entry.hours for entry in self.outside), Decimal(0))


def cpd_record_for(viewer: Viewer, person: Person) -> CpdRecord:
    """The events ``person`` attended (newest first), their upcoming places and waiting lists,
    their PEPS training when the educators app records it, and the CPD they recorded doing
    outside Practica's events.

    Refuses (PermissionDenied) a viewer who is neither the person nor someone who may see the
    person's record (their organisation's coordinators and line managers, the partnership
    manager).
    """
    if not permissions.can(viewer, CPD_RECORD, person):
        raise PermissionDenied("You may not see this person's CPD record.")
    registrations = (
        Registration.objects.visible_to(viewer, CPD_RECORD)
        .filter(person=person)
        .select_related("event", "event__organisation")
    )
    attended = [
        CpdEntry(
            date=timezone.localtime(r.event.starts_at).date(),
            title=r.event.title,
            kind=r.event.get_kind_display(),
            provider=r.event.organisation.name,
            theme=r.event.theme,
            hours=_hours(r.event),
            url=r.event.get_absolute_url(),
        )
        for r in registrations.filter(
            status=RegistrationStatus.REGISTERED, attended=Attendance.YES
        ).order_by("-event__starts_at")
    ]
    upcoming = list(
        registrations.filter(
            status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED],
            event__starts_at__gt=timezone.now(),
        ).order_by("event__starts_at")
    )
    outside = list(outside_cpd_of(viewer, person))
    return CpdRecord(person, attended, _training(viewer, person), upcoming, outside)


def _hours(event: Event) -> Decimal:
    seconds = Decimal((event.ends_at - event.starts_at).total_seconds())
    return (seconds / Decimal(3600)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _training(viewer: Viewer, person: Person) -> list[CpdEntry]:
    """The person's PEPS enrolments, newest first: the outcome's date, or the start of the
    cohort's academic year while they are still enrolled."""
    enrolments = (
        PepsEnrolment.objects.visible_to(viewer, CPD_RECORD)
        .filter(educator__person=person)
        .select_related("cohort", "cohort__organisation", "cohort__academic_year")
    )
    entries = [
        CpdEntry(
            date=enrolment.outcome_date or enrolment.cohort.academic_year.starts_on,
            title=f"{enrolment.cohort.get_stage_display()} training, {enrolment.cohort.academic_year.label}",
            kind="PEPS training",
            provider=enrolment.cohort.organisation.name,
            status=enrolment.get_outcome_display(),
        )
        for enrolment in enrolments
    ]
    return sorted(entries, key=lambda entry: entry.date, reverse=True)


# what counts as update training is the partnership's rule, public to its people
RULES_ARE_PUBLIC = "a partnership's rules apply to all its people"


def update_training_rule_of(partnership: Partnership) -> UpdateTrainingRule:
    """The partnership's rule, or an unsaved one holding the defaults."""
    return UpdateTrainingRule.objects.unscoped(RULES_ARE_PUBLIC).filter(
        partnership=partnership
    ).first() or UpdateTrainingRule(
        partnership=partnership, kinds=list(DEFAULT_UPDATE_TRAINING_KINDS)
    )


def update_training_kinds(partnership_id: int) -> frozenset[str]:
    """The kinds of event whose attendance counts as update training in the partnership."""
    rule = (
        UpdateTrainingRule.objects.unscoped(RULES_ARE_PUBLIC)
        .filter(partnership_id=partnership_id)
        .first()
    )
    return frozenset(rule.kinds if rule is not None else DEFAULT_UPDATE_TRAINING_KINDS)


def person_in_partnership_by_email(partnership_id: int, email: str) -> Person | None:
    """Someone of the partnership, named by e-mail address in a booking taken for them."""
    return (
        Person.objects.unscoped("a booking names someone of the event's partnership by e-mail")
        .select_related("organisation")
        .filter(organisation__partnership_id=partnership_id, email__address=email.strip())
        .first()
    )


@remembered
def is_practice_educator(user: Viewer) -> bool:
    """Whether ``user`` is on the practice educator register themselves (their navigation then
    offers their CPD record)."""
    if not user.is_authenticated or user.pk is None:
        return False
    return (
        PracticeEducator.objects.unscoped("whether a user is on the register themselves")
        .filter(person__user_id=user.pk)
        .exists()
    )
