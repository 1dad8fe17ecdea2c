"""Scoped reads of events, registrations, CPD records and CPD-needs survey results."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from practica.accounts import permissions
from practica.core.models import Organisation, Person
from practica.educators.models import PepsEnrolment, PracticeEducator
from practica.learning.abilities import CPD_RECORD
from practica.learning.events.models import Attendance, Event, Registration, RegistrationStatus
from practica.learning.suppression import SuppressedCount, suppress
from practica.learning.surveys.models import (
    CpdNeedsRating,
    CpdNeedsResponse,
    CpdNeedsSurvey,
    CpdNeedsSurveyMailing,
    PreferredFormat,
)

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

WHEN = ("upcoming", "past", "all")


def events_visible_to(
    user: Viewer,
    *,
    when: str = "upcoming",
    kind: str = "",
    theme: str = "",
    organisation: str = "",
    search: str = "",
    now: datetime.datetime | None = None,
) -> QuerySet[Event]:
    """Events the user may see, with their registered and waiting counts.

    ``when`` is upcoming (not yet ended), past or all; ``organisation`` is a code and matches
    the organiser or a co-facilitator.
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
    return events.annotate(
        registered_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
        ),
        waitlisted_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
        ),
    )


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

    @property
    def hours(self) -> Decimal:
        return sum((entry.hours or Decimal(0) for entry in self.attended), Decimal(0))


def cpd_record_for(viewer: Viewer, person: Person) -> CpdRecord:
    """The events ``person`` attended (newest first), their upcoming places and waiting lists,
    and their PEPS training when the educators app records it.

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
    return CpdRecord(person, attended, _training(viewer, person), upcoming)


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


# --- The CPD-needs survey -----------------------------------------------------------------


def surveys_visible_to(user: Viewer) -> QuerySet[CpdNeedsSurvey]:
    return (
        CpdNeedsSurvey.objects.visible_to(user)
        .select_related("academic_year", "partnership")
        .annotate(
            topic_count=Count("topics", distinct=True),
            response_count=Count("responses", distinct=True),
        )
    )


@dataclass(frozen=True)
class TopicSummary:
    name: str
    responses: int
    interested: int  # rated 4 or 5
    mean: Decimal | None
    distribution: list[int]  # how many rated 1, 2, 3, 4, 5

    @property
    def interested_share(self) -> Decimal | None:
        if not self.responses:
            return None
        return (Decimal(100) * self.interested / self.responses).quantize(Decimal("1"))


@dataclass(frozen=True)
class OrganisationRow:
    organisation: str
    respondents: SuppressedCount
    formats: list[SuppressedCount]


@dataclass(frozen=True)
class SurveySummary:
    survey: CpdNeedsSurvey
    respondents: int
    topics: list[TopicSummary]
    formats: list[tuple[str, int]]
    organisations: list[OrganisationRow]
    organisation_totals: OrganisationRow
    comments: list[str]

    def chart_data(self) -> dict[str, Any]:
        """What the bar chart shows (the same figures as the table beside it)."""
        return {
            "labels": [topic.name for topic in self.topics],
            "datasets": [
                {
                    "label": "Mean interest (1 to 5)",
                    "data": [float(t.mean) if t.mean is not None else None for t in self.topics],
                }
            ],
            "max": 5,
        }


def survey_summary(survey: CpdNeedsSurvey, *, with_comments: bool = False) -> SurveySummary:
    """Per topic: responses, how many rated 4 or 5 (and their share), the mean and the spread;
    preferred formats; respondents per organisation with counts of 1 to 4 suppressed (and a
    second cell where one suppressed cell could be worked out from the total). The caller has
    fetched ``survey`` with the RESULTS ability."""
    ratings = CpdNeedsRating.objects.filter(topic__survey=survey)
    per_topic: dict[int, dict[str, Any]] = {
        row["topic"]: dict(row)
        for row in ratings.values("topic").annotate(
            responses=Count("pk"),
            interested=Count("pk", filter=Q(interest__gte=4)),
            mean=Avg("interest"),
            **{f"r{value}": Count("pk", filter=Q(interest=value)) for value in range(1, 6)},
        )
    }
    topics = []
    for topic in survey.topics.all():
        row: dict[str, Any] = per_topic.get(topic.pk, {})
        mean = row.get("mean")
        topics.append(
            TopicSummary(
                name=topic.name,
                responses=row.get("responses", 0),
                interested=row.get("interested", 0),
                mean=Decimal(str(mean)).quantize(Decimal("0.1")) if mean is not None else None,
                distribution=[row.get(f"r{value}", 0) for value in range(1, 6)],
            )
        )
    responses = CpdNeedsResponse.objects.filter(survey=survey)
    format_counts = dict(
        responses.values_list("preferred_format").annotate(n=Count("pk")).order_by()
    )
    formats = [(label, format_counts.get(value, 0)) for value, label in PreferredFormat.choices]

    by_organisation: list[dict[str, Any]] = [
        dict(row)
        for row in responses.values("organisation__name")
        .annotate(
            total=Count("pk"),
            **{
                value: Count("pk", filter=Q(preferred_format=value))
                for value in PreferredFormat.values
            },
        )
        .order_by("organisation__name")
    ]
    table = [
        [row["total"], *(row[value] for value in PreferredFormat.values)] for row in by_organisation
    ]
    suppressed, totals = suppress(table, width=1 + len(PreferredFormat.values))
    organisations = [
        OrganisationRow(row["organisation__name"], cells[0], cells[1:])
        for row, cells in zip(by_organisation, suppressed, strict=True)
    ]
    comments = (
        list(responses.exclude(comments="").order_by("pk").values_list("comments", flat=True))
        if with_comments
        else []
    )
    return SurveySummary(
        survey=survey,
        respondents=responses.count(),
        topics=topics,
        formats=formats,
        organisations=organisations,
        organisation_totals=OrganisationRow("All organisations", totals[0], totals[1:]),
        comments=comments,
    )


def response_of(survey: CpdNeedsSurvey, person: Person | None) -> CpdNeedsResponse | None:
    if person is None:
        return None
    return CpdNeedsResponse.objects.filter(survey=survey, person=person).first()


def survey_mailings(survey: CpdNeedsSurvey) -> QuerySet[CpdNeedsSurveyMailing]:
    """The times the survey was e-mailed, first to last, each with who sent it and
    ``recipient_count``, how many people it went to."""
    return (
        survey.mailings.select_related("sent_by")
        .annotate(recipient_count=Count("recipients"))
        .order_by("sent_at", "pk")
    )


RECIPIENTS = "a survey goes to every practice educator of its partnership (docs/0007)"


def survey_recipients(survey: CpdNeedsSurvey) -> QuerySet[Person]:
    """Who the survey is sent to now: the practice educators on the register of the survey's
    partnership who have an e-mail address and have not answered it."""
    register = PracticeEducator.objects.unscoped(RECIPIENTS).values("person_id")
    return (
        Person.objects.unscoped(RECIPIENTS)
        .filter(organisation__partnership_id=survey.partnership_id, pk__in=register)
        .exclude(email="")
        .exclude(cpd_needs_responses__survey=survey)
        .order_by("email")
    )
