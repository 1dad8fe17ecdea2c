"""Import kinds of CPD events (``events``) and of who registered and came
(``event-registrations``); see docs/0004-imports.md for the framework.

An event is found by its organiser, title and start; a person by e-mail address or, without
one, by organisation and name (as the ``people`` kind finds them).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from practica.accounts.permissions import MANAGE
from practica.core import selectors as core_selectors
from practica.core.models import Location, Organisation, Person
from practica.imports import lookups
from practica.imports import parsers as p
from practica.imports.framework import (
    Column,
    ImportCellError,
    ImportContext,
    Importer,
    Pending,
    as_columns,
    key_of,
)
from practica.imports.registry import register_importer
from practica.learning.events import services
from practica.learning.events.models import (
    Attendance,
    Audience,
    Event,
    EventKind,
    Registration,
    RegistrationStatus,
)

# why the queries below read every organisation's rows (core/scoping.py)
NATURAL_KEY = "an import finds the record a row names by its natural key; rows are checked against the importer's organisations"

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

WHEN_HELP = "Date and time, like 2019-10-03 09:30"
# The service's field names, as this import's column names.
EVENT_COLUMNS = {"starts_at": "starts", "ends_at": "ends"}


def _when(value: datetime.datetime) -> str:
    return p.date_time.write(value)


def _organisations(value: str, ctx: ImportContext) -> list[Organisation | Pending]:
    """Organisation codes separated by ';'. Any organisation of the partnership may
    co-facilitate, so the importer need not be able to write to it."""
    found: list[Organisation | Pending] = []
    for code in dict.fromkeys(part.strip().upper() for part in value.split(";") if part.strip()):
        organisation = _organisation_by_code(code, ctx)
        if organisation is not None:
            found.append(organisation)
        elif ctx.is_pending("organisations", code):
            found.append(Pending("organisations", (code,)))
        else:
            raise ImportCellError(f"there is no organisation with the code “{code}”.")
    return found


# Organisation codes separated by ";", written sorted, compared as a set.
ORGANISATIONS = p.Cell(
    _organisations,
    format=lambda organisations: ";".join(sorted(o.code for o in organisations)),
    key=lambda organisations: frozenset(o.pk for o in organisations),
)


def _organisation_by_code(code: str, ctx: ImportContext) -> Organisation | None:
    """Any organisation of the partnership by code, looked up once per import."""
    return ctx.remember(
        ("organisation", code),
        lambda: Organisation.objects.unscoped(NATURAL_KEY).filter(code=code).first(),
    )


def _location_name(location: Location | None, organiser_id: int) -> str:
    if location is None:
        return ""
    if location.organisation_id == organiser_id:
        return location.name
    return f"{location.organisation.code}: {location.name}"


def _location(value: str | None, organisation: Organisation, ctx: ImportContext) -> Location | None:
    """A location of the organiser by name, or another organisation's as "CODE: name"."""
    if not value:
        return None
    code, separator, name = value.partition(":")
    if separator:
        found = (
            Location.objects.unscoped(NATURAL_KEY)
            .select_related("organisation")
            .filter(organisation__code__iexact=code.strip(), name__iexact=name.strip())
            .first()
        )
        if found is not None:
            return found
    return lookups.location(ctx, organisation, value)


@register_importer
class EventImporter(Importer):
    kind = "events"
    title = "CPD events"
    description = (
        "Forums, workshops and training days, one row per event, found by organiser, title and "
        "start. Registrations and attendance go in a file of event registrations."
    )
    columns = [
        Column(
            "organisation", p.organisation, required=True, help="Organiser's code", example="MC"
        ),
        Column("title", p.text(max_length=200), required=True, example="Autumn PE forum"),
        Column(
            "starts",
            p.date_time,
            required=True,
            help=WHEN_HELP,
            example="2019-10-03 09:30",
            source="starts_at",
        ),
        Column(
            "ends",
            p.date_time,
            required=True,
            help=WHEN_HELP,
            example="2019-10-03 12:30",
            source="ends_at",
        ),
        Column(
            "kind",
            p.choice(EventKind),
            required=True,
            help=" | ".join(EventKind.values),
            example="pe_forum",
        ),
        Column("theme", p.text(max_length=200), example="Reflective supervision"),
        Column(
            "audience",
            p.choice(Audience),
            help=" | ".join(Audience.values) + " (empty: everyone)",
            example="practice_educators",
            default=Audience.EVERYONE,
        ),
        Column(
            "location",
            p.text(max_length=250),
            help="A location of the organiser, or another's as CODE: name",
            example="Gillingham",
            source=lambda event: _location_name(event.location, event.organisation_id),
            # names a location of the organiser (another column): is_unchanged compares them
            compared=False,
        ),
        Column("place", p.text(max_length=300), example="Council chamber"),
        Column("online_link", p.text(max_length=500), help="The meeting link, if online"),
        Column(
            "co_facilitators",
            ORGANISATIONS,
            help="Codes of co-facilitating organisations, separated by ;",
            example="CCCU",
            source=lambda event: list(event.co_facilitators.all()),
        ),
        Column("capacity", p.integer(minimum=1), help="Places; empty for no limit", example="40"),
        Column(
            "registration_open",
            p.yes_no,
            help="yes | no (empty: yes)",
            example="yes",
            default=True,
        ),
        Column("description", p.text(max_length=5000)),
    ]
    natural_key = ("organisation", "title", "starts")
    depends_on = ("organisations", "locations")

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        organisation = values["organisation"]
        co_facilitators = values["co_facilitators"] or []
        if not isinstance(organisation, Organisation) or any(
            isinstance(o, Pending) for o in co_facilitators
        ):
            return []  # created by an earlier file of this batch: checked when it exists
        problems: list[tuple[str, str]] = []
        if values["location"] and _location(values["location"], organisation, ctx) is None:
            problems.append(
                ("location", f"there is no location “{values['location']}”; add it first.")
            )
        try:
            services.check_event(organisation=organisation, details=self._details(values, ctx))
        except ValidationError as error:
            for name, messages in as_columns(error, EVENT_COLUMNS, "title").message_dict.items():
                problems.extend((name, message) for message in messages)
        return problems

    def find(self, values: dict[str, Any], ctx: ImportContext) -> Event | None:
        return (
            Event.objects.unscoped(NATURAL_KEY)
            .select_related("location__organisation")
            .prefetch_related("co_facilitators")
            .filter(
                organisation=values["organisation"],
                title__iexact=values["title"],
                starts_at=values["starts"],
            )
            .first()
        )

    def is_unchanged(self, obj: Event, values: dict[str, Any], ctx: ImportContext) -> bool:
        # the location cell names a location of the organiser, which one record cannot compare
        return super().is_unchanged(obj, values, ctx) and obj.location == _location(
            values["location"], values["organisation"], ctx
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> Event:
        try:
            return services.create_event(
                actor=ctx.actor,
                organisation=values["organisation"],
                details=self._details(values, ctx),
            )
        except ValidationError as error:
            raise as_columns(error, EVENT_COLUMNS, "title") from error

    def update(self, obj: Event, values: dict[str, Any], ctx: ImportContext) -> Event:
        try:
            return services.update_event(
                actor=ctx.actor, event=obj, details=self._details(values, ctx)
            )
        except ValidationError as error:
            raise as_columns(error, EVENT_COLUMNS, "title") from error

    def _details(self, values: dict[str, Any], ctx: ImportContext) -> services.EventDetails:
        return services.EventDetails(
            kind=values["kind"],
            title=values["title"],
            starts_at=values["starts"],
            ends_at=values["ends"],
            theme=values["theme"] or "",
            description=values["description"] or "",
            location=_location(values["location"], values["organisation"], ctx),
            place=values["place"] or "",
            online_link=values["online_link"] or "",
            co_facilitators=values["co_facilitators"] or [],
            capacity=values["capacity"],
            registration_open=values["registration_open"],
            audience=values["audience"],
        )

    def records(self, viewer: Viewer) -> QuerySet[Event]:
        return (
            Event.objects.visible_to(viewer, MANAGE)
            .select_related("organisation", "location__organisation")
            .prefetch_related("co_facilitators")
            .order_by("organisation__code", "title", "starts_at", "pk")
        )


@register_importer
class RegistrationImporter(Importer):
    kind = "event-registrations"
    title = "Event registrations and attendance"
    description = (
        "Who registered for each event (or waited, or cancelled) and whether they came: one row "
        "per person and event. The event is found by organiser, title and start; the person by "
        "e-mail address or, without one, by their organisation and name."
    )
    columns = [
        Column(
            "organisation",
            p.organisation,
            required=True,
            help="The event organiser's code",
            source="event.organisation",
        ),
        Column(
            "event_title",
            p.text(max_length=200, ignore_case=True),  # finds the event; never renames it
            required=True,
            example="Autumn PE forum",
            source="event.title",
        ),
        Column(
            "event_starts", p.date_time, required=True, help=WHEN_HELP, source="event.starts_at"
        ),
        Column(
            "email",
            p.email,
            help="The person's e-mail address",
            example="nia@medway.gov.uk",
            source="person.email",
        ),
        # Without an e-mail address, these three name the person (find matched them), so they
        # are not compared; an export writes them only for a person who has no address.
        Column(
            "person_organisation",
            p.text(max_length=20),
            help="Without e-mail: their code",
            source=lambda r: "" if r.person.email else r.person.organisation.code,
            compared=False,
        ),
        Column(
            "first_name",
            p.text(max_length=100),
            help="Without e-mail: their first name",
            source=lambda r: "" if r.person.email else r.person.first_name,
            compared=False,
        ),
        Column(
            "last_name",
            p.text(max_length=100),
            help="Without e-mail: their last name",
            source=lambda r: "" if r.person.email else r.person.last_name,
            compared=False,
        ),
        Column(
            "status",
            p.choice(RegistrationStatus),
            help=" | ".join(RegistrationStatus.values) + " (empty: registered)",
            example="registered",
            default=RegistrationStatus.REGISTERED,
        ),
        Column(
            "attended",
            p.choice(Attendance),
            help=" | ".join(Attendance.values) + " (empty: unknown)",
            example="yes",
            default=Attendance.UNKNOWN,
        ),
        Column(
            "registered_at",
            p.date_time,
            help="When they asked for a place (" + WHEN_HELP + ")",
            blank_keeps=True,  # an empty cell keeps when they registered (or now, if new)
        ),
    ]
    natural_key = ("organisation", "event_title", "event_starts", "email")
    depends_on = ("organisations", "people", "events")

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        event = key_of(values, ("organisation", "event_title", "event_starts"))
        if values.get("email"):
            return (*event, *key_of(values, ("email",)))
        return (*event, "", *key_of(values, ("person_organisation", "first_name", "last_name")))

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        if not values["email"] and not all(
            values[name] for name in ("person_organisation", "first_name", "last_name")
        ):
            return [("email", "is empty; give the e-mail address, or the organisation and name.")]
        problem = services.attendance_problem(
            starts_at=values["event_starts"], status=values["status"], attended=values["attended"]
        )
        if problem:
            problems.append(("attended", problem))
        organisation = values["organisation"]
        if not isinstance(organisation, Organisation):
            return problems
        event_key = (organisation, values["event_title"], values["event_starts"])
        if not ctx.is_pending("events", *event_key) and self._event(values, ctx) is None:
            problems.append(
                (
                    "event_title",
                    f"{organisation.code} has no event “{values['event_title']}” starting "
                    f"{_when(values['event_starts'])}; add it in an events file first.",
                )
            )
        if values["email"]:
            pending = ctx.is_pending("people", values["email"])
        else:
            code = values["person_organisation"].strip().upper()
            employer = _organisation_by_code(code, ctx) or Pending("organisations", (code,))
            pending = ctx.is_pending(
                "people", "", employer, values["first_name"], values["last_name"]
            )
        if not pending:
            person = self._person(values, ctx)
            if person is None:
                problems.append(("email", "no such person; add them in a people file first."))
            elif person.organisation.partnership_id != organisation.partnership_id:
                problems.append(
                    (
                        "email",
                        "this person is not in the event's partnership."
                        if core_selectors.may_know_of(ctx.viewer, person)
                        else lookups.EMAIL_NOT_USABLE,
                    )
                )
        return problems

    # check_row, find and create of a row, and the rows of the same event, share one lookup of
    # the event and the person (this kind changes neither)
    def _event(self, values: dict[str, Any], ctx: ImportContext) -> Event | None:
        return ctx.remember(
            ("event-registrations:event", *key_of(values, self.natural_key[:3])),
            lambda: (
                Event.objects.unscoped(NATURAL_KEY)
                .filter(
                    organisation=values["organisation"],
                    title__iexact=values["event_title"],
                    starts_at=values["event_starts"],
                )
                .first()
            ),
        )

    def _person(self, values: dict[str, Any], ctx: ImportContext) -> Person | None:
        return lookups.person(
            ctx,
            email=values["email"],
            organisation=values["person_organisation"],
            first_name=values["first_name"],
            last_name=values["last_name"],
        )

    def find(self, values: dict[str, Any], ctx: ImportContext) -> Registration | None:
        event, person = self._event(values, ctx), self._person(values, ctx)
        if event is None or person is None:
            return None
        return Registration.objects.unscoped(NATURAL_KEY).filter(event=event, person=person).first()

    def create(self, values: dict[str, Any], ctx: ImportContext) -> Registration:
        event, person = self._event(values, ctx), self._person(values, ctx)
        if event is None or person is None:  # checked before applying; a batch may change it
            raise ValidationError({"event_title": "The event or the person was not found."})
        try:
            return services.record_registration(
                actor=ctx.actor, event=event, person=person, **self._state(values)
            )
        except ValidationError as error:
            raise as_columns(error, {}, "status") from error

    def update(self, obj: Registration, values: dict[str, Any], ctx: ImportContext) -> Registration:
        try:
            return services.record_registration(
                actor=ctx.actor, event=obj.event, person=obj.person, **self._state(values)
            )
        except ValidationError as error:
            raise as_columns(error, {}, "status") from error

    def _state(self, values: dict[str, Any]) -> dict[str, Any]:
        return {name: values[name] for name in ("status", "attended", "registered_at")}

    def records(self, viewer: Viewer) -> QuerySet[Registration]:
        return (
            Registration.objects.visible_to(viewer, MANAGE)
            .select_related("event__organisation", "person__organisation")
            .order_by(
                "event__organisation__code",
                "event__title",
                "event__starts_at",
                "person__email",
                "person__last_name",
                "person__first_name",
                "pk",
            )
        )
