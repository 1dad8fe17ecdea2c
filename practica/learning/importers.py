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
from django.db.models.functions import Lower
from django.utils import timezone

from practica.accounts.models import User
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
from practica.learning.events import services as event_services
from practica.learning.events.models import (
    Attendance,
    Audience,
    Event,
    EventKind,
    Registration,
    RegistrationStatus,
)
from practica.learning.surveys import services as survey_services
from practica.learning.surveys.models import (
    CpdNeedsResponse,
    CpdNeedsSurvey,
    CpdNeedsSurveyMailing,
    PreferredFormat,
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
        "start. Registrations and attendance go in an event-registrations file."
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
            p.choice(EventKind.values),
            required=True,
            help=" | ".join(EventKind.values),
            example="pe_forum",
        ),
        Column("theme", p.text(max_length=200), example="Reflective supervision"),
        Column(
            "audience",
            p.choice(Audience.values),
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
            event_services.check_event(
                organisation=organisation, details=self._details(values, ctx)
            )
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
            return event_services.create_event(
                actor=ctx.actor,
                organisation=values["organisation"],
                details=self._details(values, ctx),
            )
        except ValidationError as error:
            raise as_columns(error, EVENT_COLUMNS, "title") from error

    def update(self, obj: Event, values: dict[str, Any], ctx: ImportContext) -> Event:
        try:
            return event_services.update_event(
                actor=ctx.actor, event=obj, details=self._details(values, ctx)
            )
        except ValidationError as error:
            raise as_columns(error, EVENT_COLUMNS, "title") from error

    def _details(self, values: dict[str, Any], ctx: ImportContext) -> event_services.EventDetails:
        return event_services.EventDetails(
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
            Event.objects.visible_to(viewer, "manage")
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
            p.choice(RegistrationStatus.values),
            help=" | ".join(RegistrationStatus.values) + " (empty: registered)",
            example="registered",
            default=RegistrationStatus.REGISTERED,
        ),
        Column(
            "attended",
            p.choice(Attendance.values),
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
        problem = event_services.attendance_problem(
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
                problems.append(("email", "this person is not in the event's partnership."))
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
            return event_services.record_registration(
                actor=ctx.actor, event=event, person=person, **self._state(values)
            )
        except ValidationError as error:
            raise as_columns(error, {}, "status") from error

    def update(self, obj: Registration, values: dict[str, Any], ctx: ImportContext) -> Registration:
        try:
            return event_services.record_registration(
                actor=ctx.actor, event=obj.event, person=obj.person, **self._state(values)
            )
        except ValidationError as error:
            raise as_columns(error, {}, "status") from error

    def _state(self, values: dict[str, Any]) -> dict[str, Any]:
        return {name: values[name] for name in ("status", "attended", "registered_at")}

    def records(self, viewer: Viewer) -> QuerySet[Registration]:
        return (
            Registration.objects.visible_to(viewer, "manage")
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


def _ratings(value: str, ctx: ImportContext) -> dict[str, int]:
    """Topic ratings written ``Topic name = 4``, one per line (or separated by ';')."""
    ratings: dict[str, int] = {}
    for part in p.lines(value, ctx):
        name, separator, rating = part.rpartition("=")
        if not separator or not name.strip():
            raise ImportCellError(f"“{part}” is not a rating; write it like Unconscious bias = 4.")
        if rating.strip() not in {"1", "2", "3", "4", "5"}:
            raise ImportCellError(f"{name.strip()} is rated “{rating.strip()}”; rate 1 to 5.")
        if name.strip().lower() in ratings:
            raise ImportCellError(f"{name.strip()} is rated twice.")
        ratings[name.strip().lower()] = int(rating)
    return ratings


# Topic ratings, one per line, compared by topic name without case. A response reads back
# its ratings as {topic name: rating}, in the order of the survey's topics.
RATINGS = p.Cell(
    _ratings,
    format=lambda ratings: "\n".join(f"{name} = {rating}" for name, rating in ratings.items()),
    key=lambda ratings: {name.lower(): rating for name, rating in ratings.items()},
)


def _ratings_of(response: CpdNeedsResponse) -> dict[str, int]:
    ratings = sorted(response.ratings.all(), key=lambda rating: rating.topic.position)
    return {rating.topic.name: rating.interest for rating in ratings}


def _partnership_code(survey: CpdNeedsSurvey, viewer: Viewer) -> str:
    """The code that names the survey's partnership in a file: its lead's, or the first code of
    the partnership that ``viewer`` may import for."""
    lead = survey.partnership.lead_organisation
    if lead is not None:
        return lead.code
    found = (
        Organisation.objects.visible_to(viewer)
        .filter(partnership_id=survey.partnership_id)
        .order_by("code")
        .first()
    )
    return found.code if found else ""


def _survey(values: dict[str, Any]) -> CpdNeedsSurvey | None:
    organisation, year = values["organisation"], values["academic_year"]
    if not isinstance(organisation, Organisation):
        return None
    return (
        CpdNeedsSurvey.objects.unscoped(NATURAL_KEY)
        .filter(
            partnership_id=organisation.partnership_id, academic_year__start_year=year.start_year
        )
        .prefetch_related("topics")
        .first()
    )


ANSWERED_DIFFERENTLY = (
    "{name} has already answered this survey differently; an import does not change answers."
)


def _survey_of(record: CpdNeedsSurvey | CpdNeedsResponse | CpdNeedsSurveyMailing) -> Any:
    return record if isinstance(record, CpdNeedsSurvey) else record.survey


SURVEY_KEY = Column(
    "organisation",
    p.organisation,
    required=True,
    help="Code of an organisation of the survey's partnership (the lead's, in an export)",
    example="MC",
    source=lambda record: _survey_of(record).partnership.lead_organisation,
    # any organisation of the partnership names it: found by partnership, so not compared
    compared=False,
)


class SurveyKind(Importer):
    """A CPD-needs kind, whose rows name the survey by an organisation of its partnership."""

    def export_row(self, record: Any, viewer: Viewer) -> dict[str, str]:
        row = super().export_row(record, viewer)
        # A partnership without a lead is named by an organisation ``viewer`` may import for,
        # which the record cannot tell.
        row["organisation"] = _partnership_code(_survey_of(record), viewer)
        return row


@register_importer
class CpdNeedsSurveyImporter(SurveyKind):
    kind = "cpd-needs-surveys"
    title = "CPD-needs surveys"
    description = (
        "The partnership's annual survey of practice educators' CPD needs: one row per academic "
        "year, with its topics one per line (or separated by ;). Answers go in a "
        "cpd-needs-responses file."
    )
    columns = [
        SURVEY_KEY,
        Column("academic_year", p.academic_year, required=True, example="2019/20"),
        Column("title", p.text(max_length=200), required=True, example="PE CPD needs"),
        Column("opens_on", p.date, required=True, example="2019-09-16"),
        Column("closes_on", p.date, required=True, example="2019-10-31"),
        Column(
            "topics",
            p.lines,
            required=True,
            help="One topic per line, or separated by ;",
            example="Reflective supervision; Unconscious bias",
            source=lambda survey: [topic.name for topic in survey.topics.all()],
        ),
    ]
    natural_key = ("organisation", "academic_year")
    depends_on = ("organisations",)

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        organisation, year = values.get("organisation"), values.get("academic_year")
        partnership = getattr(organisation, "partnership_id", organisation)
        return (partnership, getattr(year, "start_year", year))

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        problems = []
        if values["closes_on"] < values["opens_on"]:
            problems.append(("closes_on", "The survey must close on or after the day it opens."))
        names = [name.lower() for name in values["topics"]]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            problems.append(("topics", f"Each topic once, please: {', '.join(repeated)}."))
        return problems

    def find(self, values: dict[str, Any], ctx: ImportContext) -> CpdNeedsSurvey | None:
        return _survey(values)

    def create(self, values: dict[str, Any], ctx: ImportContext) -> CpdNeedsSurvey:
        return survey_services.create_cpd_needs_survey(
            actor=ctx.actor,
            partnership=values["organisation"].partnership,
            academic_year=values["academic_year"].label,
            title=values["title"],
            opens_on=values["opens_on"],
            closes_on=values["closes_on"],
            topics=values["topics"],
        )

    def update(
        self, obj: CpdNeedsSurvey, values: dict[str, Any], ctx: ImportContext
    ) -> CpdNeedsSurvey:
        return survey_services.update_cpd_needs_survey(
            actor=ctx.actor,
            survey=obj,
            title=values["title"],
            opens_on=values["opens_on"],
            closes_on=values["closes_on"],
            topics=values["topics"],
        )

    def records(self, viewer: Viewer) -> QuerySet[CpdNeedsSurvey]:
        return (
            CpdNeedsSurvey.objects.visible_to(viewer, "manage")
            .select_related("academic_year", "partnership__lead_organisation")
            .prefetch_related("topics")
            .order_by("partnership__name", "academic_year__start_year")
        )


@register_importer
class CpdNeedsResponseImporter(SurveyKind):
    kind = "cpd-needs-responses"
    title = "CPD-needs survey answers"
    description = (
        "Practice educators' answers to a CPD-needs survey: one row per person, with a rating "
        "from 1 to 5 for every topic of the survey. The survey is found by organisation and "
        "academic year, as in the cpd-needs-surveys file; the person by e-mail address."
    )
    columns = [
        SURVEY_KEY,
        Column(
            "academic_year",
            p.academic_year,
            required=True,
            example="2019/20",
            source="survey.academic_year",
        ),
        Column("email", p.email, required=True, example="nia@medway.gov.uk", source="person.email"),
        Column(
            "preferred_format",
            p.choice(PreferredFormat.values),
            required=True,
            help=" | ".join(PreferredFormat.values),
            example="forum",
        ),
        Column(
            "ratings",
            RATINGS,
            required=True,
            help="Topic = rating (1 to 5), one per line or separated by ;",
            example="Reflective supervision = 4; Unconscious bias = 5",
            source=_ratings_of,
        ),
        Column("comments", p.text(max_length=2000)),
        Column("submitted_at", p.date_time, required=True, help=WHEN_HELP),
    ]
    natural_key = ("organisation", "academic_year", "email")
    depends_on = ("organisations", "people", "cpd-needs-surveys")

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return (*CpdNeedsSurveyImporter().key_of(values), *key_of(values, ("email",)))

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        organisation = values["organisation"]
        if not isinstance(organisation, Organisation):
            return []
        problems: list[tuple[str, str]] = []
        survey = _survey(values)
        if survey is None:
            if not ctx.is_pending("cpd-needs-surveys", *CpdNeedsSurveyImporter().key_of(values)):
                problems.append(
                    (
                        "academic_year",
                        f"the partnership has no CPD-needs survey for "
                        f"{values['academic_year'].label}; add it in a cpd-needs-surveys file.",
                    )
                )
        else:
            topics = {topic.name.lower(): topic.name for topic in survey.topics.all()}
            unknown = sorted(set(values["ratings"]) - set(topics))
            missing = sorted(topics[name] for name in set(topics) - set(values["ratings"]))
            if unknown:
                problems.append(("ratings", f"the survey has no topic {', '.join(unknown)}."))
            if missing:
                problems.append(("ratings", f"rate every topic: {', '.join(missing)} is missing."))
            existing = self.find(values, ctx)
            if existing is not None and not self.is_unchanged(existing, values, ctx):
                problems.append(("email", ANSWERED_DIFFERENTLY.format(name=existing.person)))
            if not survey.is_open_on(timezone.localdate(values["submitted_at"])):
                problems.append(
                    (
                        "submitted_at",
                        f"is outside the days the survey was open ({survey.opens_on:%d/%m/%Y} "
                        f"to {survey.closes_on:%d/%m/%Y}).",
                    )
                )
        if not ctx.is_pending("people", values["email"]):
            person = lookups.person(ctx, email=values["email"])
            if person is None:
                problems.append(("email", "no such person; add them in a people file first."))
            elif person.organisation.partnership_id != organisation.partnership_id:
                problems.append(("email", "this person is not in the survey's partnership."))
        return problems

    def find(self, values: dict[str, Any], ctx: ImportContext) -> CpdNeedsResponse | None:
        survey = _survey(values)
        if survey is None:
            return None
        return (
            CpdNeedsResponse.objects.filter(survey=survey, person__email__iexact=values["email"])
            .prefetch_related("ratings__topic")
            .first()
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> CpdNeedsResponse:
        survey = _survey(values)
        person = lookups.person(ctx, email=values["email"])
        if survey is None or person is None:  # checked before applying
            raise ValidationError({"email": "The survey or the person was not found."})
        topics = {topic.name.lower(): topic.pk for topic in survey.topics.all()}
        try:
            return survey_services.submit_cpd_needs_response(
                actor=ctx.actor,
                survey=survey,
                person=person,
                interest={topics[name]: rating for name, rating in values["ratings"].items()},
                preferred_format=values["preferred_format"],
                comments=values["comments"] or "",
                submitted_at=values["submitted_at"],
            )
        except ValidationError as error:
            raise as_columns(error, {}, "ratings") from error

    def update(
        self, obj: CpdNeedsResponse, values: dict[str, Any], ctx: ImportContext
    ) -> CpdNeedsResponse:
        raise ValidationError({"email": ANSWERED_DIFFERENTLY.format(name=obj.person)})

    def records(self, viewer: Viewer) -> QuerySet[CpdNeedsResponse]:
        surveys = CpdNeedsSurvey.objects.visible_to(viewer, "manage")
        return (
            CpdNeedsResponse.objects.filter(survey__in=surveys)
            .select_related("survey__academic_year", "survey__partnership__lead_organisation")
            .select_related("person")
            .prefetch_related("ratings__topic")
            .order_by(
                "survey__partnership__name", "survey__academic_year__start_year", "person__email"
            )
        )


def _people_by_email(emails: list[str]) -> dict[str, Person]:
    """The people with these e-mail addresses (in any case), by lower-case address: one query."""
    wanted = {email.lower() for email in emails}
    people = (
        Person.objects.unscoped(NATURAL_KEY)
        .select_related("organisation")
        .annotate(address=Lower("email"))
        .filter(address__in=wanted)
    )
    return {person.email.lower(): person for person in people}


@register_importer
class CpdNeedsMailingImporter(SurveyKind):
    kind = "cpd-needs-mailings"
    title = "CPD-needs survey mailings"
    description = (
        "The record of each time a CPD-needs survey was e-mailed to practice educators: when, "
        "by whom and to whom. The import records it and sends nothing."
    )
    columns = [
        SURVEY_KEY,
        Column(
            "academic_year",
            p.academic_year,
            required=True,
            example="2019/20",
            source="survey.academic_year",
        ),
        Column("sent_at", p.date_time, required=True, help=WHEN_HELP),
        Column(
            "sent_by", p.user_email, help="E-mail of the user who sent it", source="sent_by.email"
        ),
        Column(
            "recipients",
            p.email_list,
            required=True,
            help="E-mails, one per line or with ;",
            source=lambda mailing: [person.email for person in mailing.recipients.all()],
        ),
    ]
    natural_key = ("organisation", "academic_year", "sent_at")
    depends_on = ("organisations", "people", "users", "cpd-needs-surveys")

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return (*CpdNeedsSurveyImporter().key_of(values), values.get("sent_at"))

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        if not isinstance(values["organisation"], Organisation):
            return problems
        if _survey(values) is None and not ctx.is_pending(
            "cpd-needs-surveys", *CpdNeedsSurveyImporter().key_of(values)
        ):
            problems.append(
                (
                    "academic_year",
                    f"the partnership has no CPD-needs survey for "
                    f"{values['academic_year'].label}; add it in a cpd-needs-surveys file.",
                )
            )
        known = _people_by_email(values["recipients"])
        unknown = [
            email
            for email in values["recipients"]
            if email.lower() not in known and not ctx.is_pending("people", email)
        ]
        if unknown:
            problems.append(("recipients", f"no person has the address {', '.join(unknown)}."))
        return problems

    def find(self, values: dict[str, Any], ctx: ImportContext) -> CpdNeedsSurveyMailing | None:
        survey = _survey(values)
        if survey is None:
            return None
        return survey.mailings.filter(sent_at=values["sent_at"]).first()

    def create(self, values: dict[str, Any], ctx: ImportContext) -> CpdNeedsSurveyMailing:
        survey = _survey(values)
        if survey is None:  # checked before applying
            raise ValidationError({"academic_year": "The survey was not found."})
        sender = None
        if values["sent_by"]:
            sender = User.objects.filter(email__iexact=values["sent_by"]).first()
        known = _people_by_email(values["recipients"])
        people = [known[email.lower()] for email in values["recipients"]]
        return survey_services.record_survey_mailing(
            actor=ctx.actor,
            survey=survey,
            sent_at=values["sent_at"],
            sent_by=sender,
            recipients=people,
        )

    def update(
        self, obj: CpdNeedsSurveyMailing, values: dict[str, Any], ctx: ImportContext
    ) -> CpdNeedsSurveyMailing:
        return self.create(values, ctx)

    def records(self, viewer: Viewer) -> QuerySet[CpdNeedsSurveyMailing]:
        surveys = CpdNeedsSurvey.objects.visible_to(viewer, "manage")
        return (
            CpdNeedsSurveyMailing.objects.filter(survey__in=surveys)
            .select_related("survey__academic_year", "survey__partnership__lead_organisation")
            .select_related("sent_by")
            .prefetch_related("recipients")
            .order_by("survey__partnership__name", "survey__academic_year__start_year", "sent_at")
        )
