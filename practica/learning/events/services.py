"""Every write to events, registrations and attendance: the waiting list is served in order
and its people e-mailed when a place comes up."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.models import Membership, Role
from practica.core.audit import save_audited
from practica.core.models import Location, Organisation, OrganisationKind, Partnership, Person
from practica.educators.models import PracticeEducator
from practica.educators.register import services as register_services
from practica.learning.abilities import RECORD_ATTENDANCE, REGISTER
from practica.learning.events import selectors
from practica.learning.events.models import (
    AUDIENCE_ROLES,
    Attendance,
    Event,
    EventKind,
    Registration,
    RegistrationStatus,
    UpdateTrainingRule,
)

# why the queries below read every organisation's rows (core/scoping.py)
SERVICE = "a service works on the records its caller was allowed to hand it"

if TYPE_CHECKING:
    from practica.accounts.models import User


@dataclass(frozen=True)
class EventDetails:
    """What a coordinator says about an event (the same for creating and changing it)."""

    kind: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    theme: str = ""
    description: str = ""
    location: Location | None = None
    place: str = ""
    online_link: str = ""
    co_facilitators: Sequence[Organisation] = ()
    capacity: int | None = None
    registration_open: bool = True
    audience: str = "everyone"


@transaction.atomic
def create_event(*, actor: User | None, organisation: Organisation, details: EventDetails) -> Event:
    """Creates an event organised by ``organisation``.

    Refuses an end before the start, an event with no location, place or online link, a
    location or co-facilitator outside the organiser's partnership, and a quarterly joint forum
    that is not facilitated by at least one local authority and one university.
    """
    event = check_event(organisation=organisation, details=details)
    save_audited(event, actor=actor)
    event.co_facilitators.set(details.co_facilitators)
    return event


def check_event(*, organisation: Organisation, details: EventDetails) -> Event:
    """The event ``details`` describe, unsaved, or the ValidationError that
    :func:`create_event` would raise."""
    event = Event(organisation=organisation)
    _apply(event, details)
    _check_facilitators(event, details.co_facilitators)
    event.full_clean()
    return event


@transaction.atomic
def update_event(
    *, actor: User | None, event: Event, details: EventDetails, base_url: str = ""
) -> Event:
    """Changes an event; a larger capacity gives places to the waiting list, in order (each
    promoted person is e-mailed a link that starts with ``base_url``).

    Refuses what :func:`create_event` refuses, and a capacity below the number of people
    already registered.
    """
    event = Event.objects.unscoped(SERVICE).select_for_update().get(pk=event.pk)
    _apply(event, details)
    _check_facilitators(event, details.co_facilitators)
    registered = event.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    if event.capacity is not None and event.capacity < registered:
        raise ValidationError(
            {
                "capacity": f"{registered} people are registered, so the capacity cannot be "
                f"less than {registered}. Cancel registrations first."
            }
        )
    save_audited(event, actor=actor)
    if set(event.co_facilitators.all()) != set(details.co_facilitators):
        event.co_facilitators.set(details.co_facilitators)
    _promote_from_waiting_list(event, actor=actor, base_url=base_url)
    return event


def _apply(event: Event, details: EventDetails) -> None:
    event.kind = details.kind
    event.title = details.title.strip()
    event.theme = details.theme.strip()
    event.description = details.description.strip()
    event.starts_at, event.ends_at = details.starts_at, details.ends_at
    event.location = details.location
    event.place = details.place.strip()
    event.online_link = details.online_link.strip()
    event.capacity = details.capacity
    event.registration_open = details.registration_open
    event.audience = details.audience


def _check_facilitators(event: Event, co_facilitators: Iterable[Organisation]) -> None:
    errors: dict[str, str] = {}
    if event.ends_at <= event.starts_at:
        errors["ends_at"] = "The event must end after it starts."
    if not (event.location or event.place.strip() or event.online_link.strip()):
        errors["place"] = "Give a location, a place or an online link for the event."
    partnership_id = event.organisation.partnership_id
    if event.location is not None and event.location.organisation.partnership_id != partnership_id:
        errors["location"] = "Choose a location of an organisation of the partnership."
    co_facilitators = list(co_facilitators)
    outside = [o.name for o in co_facilitators if o.partnership_id != partnership_id]
    if outside:
        errors["co_facilitators"] = (
            f"{', '.join(outside)} is not in the partnership, so cannot co-facilitate."
        )
    elif any(o.pk == event.organisation_id for o in co_facilitators):
        errors["co_facilitators"] = (
            f"{event.organisation.name} organises this event; choose only other organisations."
        )
    elif event.kind == EventKind.JOINT_PE_FORUM:
        kinds = {event.organisation.kind} | {o.kind for o in co_facilitators}
        missing = [
            label
            for kind, label in (
                (OrganisationKind.LOCAL_AUTHORITY, "a local authority"),
                (OrganisationKind.HEI, "a university"),
            )
            if kind not in kinds
        ]
        if missing:
            errors["co_facilitators"] = (
                "A quarterly joint forum is facilitated by at least one local authority and "
                f"one university: add {' and '.join(missing)} as co-facilitator."
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def register_for_event(*, actor: User | None, event: Event, person: Person) -> Registration:
    """Gives ``person`` a place, or a place on the waiting list when the event is full.

    Refuses when registration is closed or the event has started, a person from outside the
    event's partnership, a user registering whose roles are not in the event's audience
    (``learning/rules.py``; the command line and the demo, without an actor, are not asked),
    and a person who is already registered or on the waiting list. Someone who cancelled may
    register again (at the back of the queue).
    """
    event = _locked(event)
    if actor is not None and not permissions.can(actor, REGISTER, event):
        raise ValidationError(
            f"This event is for {event.get_audience_display().lower()}, so you cannot register "
            "for it."
        )
    return _give_place(event, person, actor=actor)


@transaction.atomic
def register_someone(*, actor: User, event: Event, person: Person) -> Registration:
    """A booking taken for someone else (by telephone or e-mail) by a coordinator who runs the
    event: a place, or a place on the waiting list when it is full.

    Refuses an actor who does not run the event, a person the event's audience leaves out
    (their roles, or being on the practice educator register), and whatever registering
    oneself refuses.
    """
    event = _locked(event)
    if not permissions.can(actor, RECORD_ATTENDANCE, event):
        raise ValidationError("Only the coordinators who run this event can book places on it.")
    if not _in_audience(person, event):
        raise ValidationError(
            {
                "email": f"{person.full_name} is not among the people this event is for "
                f"({event.get_audience_display().lower()})."
            }
        )
    return _give_place(event, person, actor=actor)


def book_or_record(*, actor: User, event: Event, email: str, attended: str = "") -> Registration:
    """What a coordinator who runs the event does for the person with this e-mail address: before
    the event starts, book them a place (a telephone booking, ``register_someone``); once it
    has started, record whether they came (someone who had not registered,
    ``record_attendance``)."""
    person = selectors.person_in_partnership_by_email(event.organisation.partnership_id, email)
    if person is None:
        raise ValidationError(
            {"email": "Nobody in the partnership has this e-mail address in Practica."}
        )
    if not event.has_started:
        return register_someone(actor=actor, event=event, person=person)
    if not permissions.can(actor, RECORD_ATTENDANCE, event):
        raise ValidationError("Only the coordinators who run this event can record who came.")
    return record_attendance(actor=actor, event=event, person=person, attended=attended)


def _locked(event: Event) -> Event:
    return (
        Event.objects.unscoped("the event being registered for, locked while places are counted")
        .select_for_update()
        .select_related("organisation")
        .get(pk=event.pk)
    )


def _in_audience(person: Person, event: Event) -> bool:
    reached = AUDIENCE_ROLES[event.audience]
    if reached == frozenset(Role):
        return True
    roles: set[str] = set()
    if person.user_id is not None:
        roles.update(
            Membership.objects.unscoped(SERVICE)
            .filter(user_id=person.user_id, is_active=True)
            .values_list("role", flat=True)
        )
    if PracticeEducator.objects.unscoped(SERVICE).filter(person=person).exists():
        roles.add(Role.PRACTICE_EDUCATOR)
    return bool(roles & reached)


def _give_place(event: Event, person: Person, *, actor: User | None) -> Registration:
    if person.organisation.partnership_id != event.organisation.partnership_id:
        raise ValidationError("This event is for people of another partnership.")
    if event.has_started:
        raise ValidationError("Registration has closed: this event has already started.")
    if not event.registration_open:
        raise ValidationError("Registration for this event is closed.")
    registration = Registration.objects.unscoped(SERVICE).filter(event=event, person=person).first()
    if registration is not None and registration.status == RegistrationStatus.REGISTERED:
        raise ValidationError(f"{person.full_name} is already registered for this event.")
    if registration is not None and registration.status == RegistrationStatus.WAITLISTED:
        raise ValidationError(f"{person.full_name} is already on the waiting list for this event.")
    if registration is None:
        registration = Registration(event=event, person=person)
    registration.status = (
        RegistrationStatus.REGISTERED if _has_space(event) else RegistrationStatus.WAITLISTED
    )
    registration.attended = Attendance.UNKNOWN
    registration.registered_at = timezone.now()
    return save_audited(registration, actor=actor)


@transaction.atomic
def cancel_registration(
    *, actor: User | None, registration: Registration, base_url: str = ""
) -> list[Registration]:
    """Cancels a place (or a place on the waiting list); a freed place goes to the first person
    waiting, who is told by e-mail once the change is committed. Returns who was promoted.

    Refuses a registration already cancelled and an event that has started.
    """
    event = Event.objects.unscoped(SERVICE).select_for_update().get(pk=registration.event_id)
    registration = (
        Registration.objects.unscoped(SERVICE).select_for_update().get(pk=registration.pk)
    )
    if registration.status == RegistrationStatus.CANCELLED:
        raise ValidationError("This registration is already cancelled.")
    if event.has_started:
        raise ValidationError("This event has started, so its registrations can no longer change.")
    registration.status = RegistrationStatus.CANCELLED
    registration.attended = Attendance.UNKNOWN
    save_audited(registration, actor=actor)
    return _promote_from_waiting_list(event, actor=actor, base_url=base_url)


@transaction.atomic
def mark_attendance(
    *, actor: User | None, registration: Registration, attended: str
) -> Registration:
    """Records whether a registered person came.

    Refuses an unknown answer, people on the waiting list or cancelled, and events that have
    not started yet.
    """
    if attended not in Attendance.values:
        raise ValidationError(
            {
                "attended": f"“{attended}” is not an answer; choose one of {', '.join(Attendance.values)}."
            }
        )
    registration = (
        Registration.objects.unscoped(SERVICE)
        .select_related("event", "person")
        .get(pk=registration.pk)
    )
    if registration.status != RegistrationStatus.REGISTERED:
        raise ValidationError(
            f"{registration.person.full_name} did not hold a place, so their attendance is not recorded."
        )
    if not registration.event.has_started:
        raise ValidationError("Attendance can be recorded once the event has started.")
    was = registration.attended
    registration.attended = attended
    save_audited(registration, actor=actor)
    _credit_update_training(registration, was=was, actor=actor)
    return registration


@transaction.atomic
def record_attendance(
    *, actor: User | None, event: Event, person: Person, attended: str
) -> Registration:
    """Records attendance from a sign-in sheet: the person is given a place (whatever the
    capacity, since they came or were expected) and marked as attending or not.

    Refuses an event that has not started, an unknown answer, and a person from outside the
    event's partnership.
    """
    event = (
        Event.objects.unscoped(SERVICE)
        .select_for_update()
        .select_related("organisation")
        .get(pk=event.pk)
    )
    if attended not in Attendance.values:
        raise ValidationError(
            {
                "attended": f"“{attended}” is not an answer; choose one of {', '.join(Attendance.values)}."
            }
        )
    if person.organisation.partnership_id != event.organisation.partnership_id:
        raise ValidationError("This event is for people of another partnership.")
    if not event.has_started:
        raise ValidationError("Attendance can be recorded once the event has started.")
    registration = Registration.objects.unscoped(SERVICE).filter(event=event, person=person).first()
    if registration is None:
        registration = Registration(event=event, person=person, registered_at=event.starts_at)
    was = registration.attended
    registration.status = RegistrationStatus.REGISTERED
    registration.attended = attended
    save_audited(registration, actor=actor)
    _credit_update_training(registration, was=was, actor=actor)
    return registration


def attendance_problem(*, starts_at: datetime.datetime, status: str, attended: str) -> str | None:
    """Why this attendance cannot be recorded for this registration status at an event that
    starts at ``starts_at`` (None when it can)."""
    if attended not in Attendance.values:
        return f"“{attended}” is not an answer; choose one of {', '.join(Attendance.values)}."
    if attended == Attendance.UNKNOWN:
        return None
    if status != RegistrationStatus.REGISTERED:
        return "Attendance can only be recorded for registered people."
    if starts_at > timezone.now():
        return "Attendance can be recorded once the event has started."
    return None


@transaction.atomic
def record_registration(
    *,
    actor: User | None,
    event: Event,
    person: Person,
    status: str,
    attended: str,
    registered_at: datetime.datetime | None = None,
) -> Registration:
    """Records a registration as it stands in an earlier record (an import or a sign-in sheet
    kept elsewhere): the status and attendance are taken as given, not worked out.

    Refuses an unknown status or answer, a person from outside the event's partnership,
    attendance for someone who held no place or at an event that has not started, and a place
    beyond the capacity of an event that has not started (its waiting list still counts).
    """
    event = (
        Event.objects.unscoped(SERVICE)
        .select_for_update()
        .select_related("organisation")
        .get(pk=event.pk)
    )
    errors: dict[str, str] = {}
    if status not in RegistrationStatus.values:
        errors["status"] = (
            f"“{status}” is not a status; choose one of {', '.join(RegistrationStatus.values)}."
        )
    problem = attendance_problem(starts_at=event.starts_at, status=status, attended=attended)
    if problem:
        errors["attended"] = problem
    if errors:
        raise ValidationError(errors)
    if person.organisation.partnership_id != event.organisation.partnership_id:
        raise ValidationError("This event is for people of another partnership.")
    registration = Registration.objects.unscoped(SERVICE).filter(
        event=event, person=person
    ).first() or Registration(event=event, person=person)
    if (
        status == RegistrationStatus.REGISTERED
        and (registration.pk is None or registration.status != RegistrationStatus.REGISTERED)
        and not event.has_started
        and not _has_space(event)
    ):
        raise ValidationError({"status": f"{event.title} is full: no place is left to record."})
    was = registration.attended
    registration.status, registration.attended = status, attended
    if registered_at is not None:
        registration.registered_at = registered_at
    save_audited(registration, actor=actor)
    _credit_update_training(registration, was=was, actor=actor)
    return registration


def _has_space(event: Event) -> bool:
    if event.capacity is None:
        return True
    taken = event.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    return taken < event.capacity


def _promote_from_waiting_list(
    event: Event, *, actor: User | None, base_url: str
) -> list[Registration]:
    """Gives free places to the waiting list in the order people asked; e-mails after commit."""
    if event.has_started:
        return []
    waiting = list(
        event.registrations.filter(status=RegistrationStatus.WAITLISTED)
        .select_related("person")
        .order_by("registered_at", "pk")
    )
    promoted: list[Registration] = []
    for registration in waiting:
        if not _has_space(event):
            break
        registration.status = RegistrationStatus.REGISTERED
        save_audited(registration, actor=actor)
        promoted.append(registration)
        if registration.person.email:
            link = base_url + reverse("learning:event-detail", args=[event.pk])
            transaction.on_commit(partial(_send_place_available, registration, link))
    return promoted


def _send_place_available(registration: Registration, link: str) -> None:
    event = registration.event
    when = timezone.localtime(event.starts_at)
    send_mail(
        subject=f"You have a place at {event.title}",
        message=(
            f"Dear {registration.person.first_name},\n\n"
            f"A place has come up at {event.title} on {when:%-d %B %Y} at {when:%H:%M}, and it "
            "is yours: you were first on the waiting list.\n\n"
            f"The event's page, with a calendar file to download: {link}\n\n"
            "If you can no longer come, please cancel on that page so the next person can go."
        ),
        from_email=None,
        recipient_list=[registration.person.email],
    )


@transaction.atomic
def set_update_training_kinds(
    *, actor: User | None, partnership: Partnership, kinds: Iterable[str]
) -> UpdateTrainingRule:
    """Says which kinds of event count as update training from now on (attendance already
    recorded keeps the dates it gave)."""
    rule = UpdateTrainingRule.objects.unscoped(SERVICE).filter(
        partnership=partnership
    ).first() or UpdateTrainingRule(partnership=partnership)
    rule.kinds = sorted(set(kinds))
    return save_audited(rule, actor=actor)


def _credit_update_training(registration: Registration, *, was: str, actor: User | None) -> None:
    """Attending an event that counts as update training moves the practice educator's date
    on the register forward (with the event as its source); taking the attendance back
    returns it to the latest other training that counts."""
    now = registration.attended == Attendance.YES
    if now == (was == Attendance.YES):
        return
    event = registration.event
    partnership_id = event.organisation.partnership_id
    counted = selectors.update_training_kinds(partnership_id)
    if event.kind not in counted:
        return
    educator = (
        PracticeEducator.objects.unscoped(SERVICE).filter(person_id=registration.person_id).first()
    )
    if educator is None:
        return
    if now:
        register_services.credit_update_training(
            actor=actor,
            educator=educator,
            on=timezone.localdate(event.starts_at),
            source=_training_source(event),
            url=event.get_absolute_url(),
        )
        return
    latest = (
        Registration.objects.unscoped(SERVICE)
        .filter(
            person_id=registration.person_id,
            attended=Attendance.YES,
            event__kind__in=counted,
        )
        .exclude(pk=registration.pk)
        .select_related("event")
        .order_by("-event__starts_at")
        .first()
    )
    instead = (
        (
            timezone.localdate(latest.event.starts_at),
            _training_source(latest.event),
            latest.event.get_absolute_url(),
        )
        if latest is not None
        else None
    )
    register_services.withdraw_update_training(
        actor=actor, educator=educator, url=event.get_absolute_url(), instead=instead
    )


def _training_source(event: Event) -> str:
    return f"{event.title} ({event.get_kind_display()})"
