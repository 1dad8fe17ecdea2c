"""Import kinds of CPD events (``events``) and of who registered and came
(``event-registrations``); see docs/0004-imports.md for the framework.

An event is found by its organiser, title and start; a person by e-mail address or, without
one, by organisation and name (as the ``people`` kind finds them).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils import timezone

from practica.accounts.models import User
from practica.core.models import Location, Organisation, Person
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
from practica.learning import services
from practica.learning.models import (
    Attendance,
    Audience,
    CpdNeedsResponse,
    CpdNeedsSurvey,
    CpdNeedsSurveyMailing,
    Event,
    EventKind,
    PreferredFormat,
    Registration,
    RegistrationStatus,
)
from practica.organisations.importers import find_person

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

WHEN_HELP = "Date and time, like 2019-10-03 09:30"
# The service's field names, as this import's column names.
EVENT_COLUMNS = {"starts_at": "starts", "ends_at": "ends"}


def _when(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


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


def _organisation_by_code(code: str, ctx: ImportContext) -> Organisation | None:
    """Any organisation of the partnership by code, looked up once per import."""
    return ctx.remember(
        ("organisation", code), lambda: Organisation.objects.filter(code=code).first()
    )


def _location_name(location: Location | None, organiser_id: int) -> str:
    if location is None:
        return ""
    if location.organisation_id == organiser_id:
        return location.name
    return f"{location.organisation.code}: {location.name}"


def _location(value: str | None, organisation: Organisation) -> Location | None:
    """A location of the organiser by name, or another organisation's as "CODE: name"."""
    if not value:
        return None
    code, separator, name = value.partition(":")
    locations = Location.objects.select_related("organisation")
    if separator:
        found = locations.filter(organisation__code__iexact=code.strip(), name__iexact=name.strip())
        if found.exists():
            return found.first()
    return locations.filter(organisation=organisation, name__iexact=value.strip()).first()


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
        Column("starts", p.date_time, required=True, help=WHEN_HELP, example="2019-10-03 09:30"),
        Column("ends", p.date_time, required=True, help=WHEN_HELP, example="2019-10-03 12:30"),
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
        ),
        Column(
            "location",
            p.text(max_length=250),
            help="A location of the organiser, or another's as CODE: name",
            example="Gillingham",
        ),
        Column("place", p.text(max_length=300), example="Council chamber"),
        Column("online_link", p.text(max_length=500), help="The meeting link, if online"),
        Column(
            "co_facilitators",
            _organisations,
            help="Codes of co-facilitating organisations, separated by ;",
            example="CCCU",
        ),
        Column("capacity", p.integer(minimum=1), help="Places; empty for no limit", example="40"),
        Column("registration_open", p.yes_no, help="yes | no (empty: yes)", example="yes"),
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
        if values["location"] and _location(values["location"], organisation) is None:
            problems.append(
                ("location", f"there is no location “{values['location']}”; add it first.")
            )
        try:
            services.check_event(organisation=organisation, details=self._details(values))
        except ValidationError as error:
            for name, messages in as_columns(error, EVENT_COLUMNS, "title").message_dict.items():
                problems.extend((name, message) for message in messages)
        return problems

    def find(self, values: dict[str, Any], ctx: ImportContext) -> Event | None:
        return (
            Event.objects.select_related("location__organisation")
            .prefetch_related("co_facilitators")
            .filter(
                organisation=values["organisation"],
                title__iexact=values["title"],
                starts_at=values["starts"],
            )
            .first()
        )

    def is_unchanged(self, obj: Event, values: dict[str, Any], ctx: ImportContext) -> bool:
        details = self._details(values)
        return all(
            getattr(obj, name) == getattr(details, name)
            for name in (
                "kind",
                "title",
                "theme",
                "description",
                "ends_at",
                "location",
                "place",
                "online_link",
                "capacity",
                "registration_open",
                "audience",
            )
        ) and set(obj.co_facilitators.all()) == set(details.co_facilitators)

    def create(self, values: dict[str, Any], ctx: ImportContext) -> Event:
        try:
            return services.create_event(
                actor=ctx.actor, organisation=values["organisation"], details=self._details(values)
            )
        except ValidationError as error:
            raise as_columns(error, EVENT_COLUMNS, "title") from error

    def update(self, obj: Event, values: dict[str, Any], ctx: ImportContext) -> Event:
        try:
            return services.update_event(actor=ctx.actor, event=obj, details=self._details(values))
        except ValidationError as error:
            raise as_columns(error, EVENT_COLUMNS, "title") from error

    def _details(self, values: dict[str, Any]) -> services.EventDetails:
        return services.EventDetails(
            kind=values["kind"],
            title=values["title"],
            starts_at=values["starts"],
            ends_at=values["ends"],
            theme=values["theme"] or "",
            description=values["description"] or "",
            location=_location(values["location"], values["organisation"]),
            place=values["place"] or "",
            online_link=values["online_link"] or "",
            co_facilitators=values["co_facilitators"] or [],
            capacity=values["capacity"],
            registration_open=values["registration_open"] is not False,
            audience=values["audience"] or Audience.EVERYONE,
        )

    def export_rows(self, viewer: Viewer) -> list[dict[str, str]]:
        events = (
            Event.objects.visible_to(viewer, "manage")
            .select_related("organisation", "location__organisation")
            .prefetch_related("co_facilitators")
            .order_by("organisation__code", "title", "starts_at", "pk")
        )
        return [
            {
                "organisation": event.organisation.code,
                "title": event.title,
                "starts": _when(event.starts_at),
                "ends": _when(event.ends_at),
                "kind": event.kind,
                "theme": event.theme,
                "audience": event.audience,
                "location": _location_name(event.location, event.organisation_id),
                "place": event.place,
                "online_link": event.online_link,
                "co_facilitators": ";".join(sorted(o.code for o in event.co_facilitators.all())),
                "capacity": "" if event.capacity is None else str(event.capacity),
                "registration_open": "yes" if event.registration_open else "no",
                "description": event.description,
            }
            for event in events
        ]


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
        Column("organisation", p.organisation, required=True, help="The event organiser's code"),
        Column("event_title", p.text(max_length=200), required=True, example="Autumn PE forum"),
        Column("event_starts", p.date_time, required=True, help=WHEN_HELP),
        Column("email", p.email, help="The person's e-mail address", example="nia@medway.gov.uk"),
        Column("person_organisation", p.text(max_length=20), help="Without e-mail: their code"),
        Column("first_name", p.text(max_length=100), help="Without e-mail: their first name"),
        Column("last_name", p.text(max_length=100), help="Without e-mail: their last name"),
        Column(
            "status",
            p.choice(RegistrationStatus.values),
            help=" | ".join(RegistrationStatus.values) + " (empty: registered)",
            example="registered",
        ),
        Column(
            "attended",
            p.choice(Attendance.values),
            help=" | ".join(Attendance.values) + " (empty: unknown)",
            example="yes",
        ),
        Column(
            "registered_at", p.date_time, help="When they asked for a place (" + WHEN_HELP + ")"
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
        status = values["status"] or RegistrationStatus.REGISTERED
        attended = values["attended"] or Attendance.UNKNOWN
        problem = services.attendance_problem(
            starts_at=values["event_starts"], status=status, attended=attended
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
            lambda: Event.objects.filter(
                organisation=values["organisation"],
                title__iexact=values["event_title"],
                starts_at=values["event_starts"],
            ).first(),
        )

    def _person(self, values: dict[str, Any], ctx: ImportContext) -> Person | None:
        return ctx.remember(
            ("event-registrations:person", *self.key_of(values)[3:]),
            lambda: find_person(
                email=values["email"],
                organisation=values["person_organisation"] or "",
                first_name=values["first_name"],
                last_name=values["last_name"],
            ),
        )

    def find(self, values: dict[str, Any], ctx: ImportContext) -> Registration | None:
        event, person = self._event(values, ctx), self._person(values, ctx)
        if event is None or person is None:
            return None
        return Registration.objects.filter(event=event, person=person).first()

    def is_unchanged(self, obj: Registration, values: dict[str, Any], ctx: ImportContext) -> bool:
        wanted = self._state(values)
        return (obj.status, obj.attended) == (wanted["status"], wanted["attended"]) and (
            wanted["registered_at"] is None or obj.registered_at == wanted["registered_at"]
        )

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
        return {
            "status": values["status"] or RegistrationStatus.REGISTERED,
            "attended": values["attended"] or Attendance.UNKNOWN,
            "registered_at": values["registered_at"],
        }

    def export_rows(self, viewer: Viewer) -> list[dict[str, str]]:
        registrations = (
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
        return [
            {
                "organisation": r.event.organisation.code,
                "event_title": r.event.title,
                "event_starts": _when(r.event.starts_at),
                "email": r.person.email,
                "person_organisation": "" if r.person.email else r.person.organisation.code,
                "first_name": "" if r.person.email else r.person.first_name,
                "last_name": "" if r.person.email else r.person.last_name,
                "status": r.status,
                "attended": r.attended,
                "registered_at": timezone.localtime(r.registered_at).strftime(
                    "%Y-%m-%d %H:%M:%S.%f"
                ),
            }
            for r in registrations
        ]


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
        CpdNeedsSurvey.objects.filter(
            partnership_id=organisation.partnership_id, academic_year__start_year=year.start_year
        )
        .prefetch_related("topics")
        .first()
    )


ANSWERED_DIFFERENTLY = (
    "{name} has already answered this survey differently; an import does not change answers."
)
SURVEY_KEY = Column(
    "organisation",
    p.organisation,
    required=True,
    help="Code of an organisation of the survey's partnership (the lead's, in an export)",
    example="MC",
)


@register_importer
class CpdNeedsSurveyImporter(Importer):
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

    def is_unchanged(self, obj: CpdNeedsSurvey, values: dict[str, Any], ctx: ImportContext) -> bool:
        return (obj.title, obj.opens_on, obj.closes_on) == (
            values["title"],
            values["opens_on"],
            values["closes_on"],
        ) and [topic.name for topic in obj.topics.all()] == values["topics"]

    def create(self, values: dict[str, Any], ctx: ImportContext) -> CpdNeedsSurvey:
        return services.create_cpd_needs_survey(
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
        return services.update_cpd_needs_survey(
            actor=ctx.actor,
            survey=obj,
            title=values["title"],
            opens_on=values["opens_on"],
            closes_on=values["closes_on"],
            topics=values["topics"],
        )

    def export_rows(self, viewer: Viewer) -> list[dict[str, str]]:
        surveys = (
            CpdNeedsSurvey.objects.visible_to(viewer, "manage")
            .select_related("academic_year", "partnership__lead_organisation")
            .prefetch_related("topics")
            .order_by("partnership__name", "academic_year__start_year")
        )
        return [
            {
                "organisation": _partnership_code(survey, viewer),
                "academic_year": survey.academic_year.label,
                "title": survey.title,
                "opens_on": survey.opens_on.isoformat(),
                "closes_on": survey.closes_on.isoformat(),
                "topics": "\n".join(topic.name for topic in survey.topics.all()),
            }
            for survey in surveys
        ]


@register_importer
class CpdNeedsResponseImporter(Importer):
    kind = "cpd-needs-responses"
    title = "CPD-needs survey answers"
    description = (
        "Practice educators' answers to a CPD-needs survey: one row per person, with a rating "
        "from 1 to 5 for every topic of the survey. The survey is found by organisation and "
        "academic year, as in the cpd-needs-surveys file; the person by e-mail address."
    )
    columns = [
        SURVEY_KEY,
        Column("academic_year", p.academic_year, required=True, example="2019/20"),
        Column("email", p.email, required=True, example="nia@medway.gov.uk"),
        Column(
            "preferred_format",
            p.choice(PreferredFormat.values),
            required=True,
            help=" | ".join(PreferredFormat.values),
            example="forum",
        ),
        Column(
            "ratings",
            _ratings,
            required=True,
            help="Topic = rating (1 to 5), one per line or separated by ;",
            example="Reflective supervision = 4; Unconscious bias = 5",
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
            person = Person.objects.filter(email__iexact=values["email"]).first()
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

    def is_unchanged(
        self, obj: CpdNeedsResponse, values: dict[str, Any], ctx: ImportContext
    ) -> bool:
        ratings = {rating.topic.name.lower(): rating.interest for rating in obj.ratings.all()}
        return (
            obj.preferred_format == values["preferred_format"]
            and obj.comments == (values["comments"] or "")
            and obj.submitted_at == values["submitted_at"]
            and ratings == values["ratings"]
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> CpdNeedsResponse:
        survey = _survey(values)
        person = Person.objects.filter(email__iexact=values["email"]).first()
        if survey is None or person is None:  # checked before applying
            raise ValidationError({"email": "The survey or the person was not found."})
        topics = {topic.name.lower(): topic.pk for topic in survey.topics.all()}
        try:
            return services.submit_cpd_needs_response(
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

    def export_rows(self, viewer: Viewer) -> list[dict[str, str]]:
        surveys = CpdNeedsSurvey.objects.visible_to(viewer, "manage")
        responses = (
            CpdNeedsResponse.objects.filter(survey__in=surveys)
            .select_related("survey__academic_year", "survey__partnership__lead_organisation")
            .select_related("person")
            .prefetch_related("ratings__topic")
            .order_by(
                "survey__partnership__name", "survey__academic_year__start_year", "person__email"
            )
        )
        return [
            {
                "organisation": _partnership_code(r.survey, viewer),
                "academic_year": r.survey.academic_year.label,
                "email": r.person.email,
                "preferred_format": r.preferred_format,
                "ratings": "\n".join(
                    f"{rating.topic.name} = {rating.interest}"
                    for rating in sorted(r.ratings.all(), key=lambda x: x.topic.position)
                ),
                "comments": r.comments,
                "submitted_at": timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M:%S.%f"),
            }
            for r in responses
        ]


def _people_by_email(emails: list[str]) -> dict[str, Person]:
    """The people with these e-mail addresses (in any case), by lower-case address: one query."""
    wanted = {email.lower() for email in emails}
    people = (
        Person.objects.select_related("organisation")
        .annotate(address=Lower("email"))
        .filter(address__in=wanted)
    )
    return {person.email.lower(): person for person in people}


@register_importer
class CpdNeedsMailingImporter(Importer):
    kind = "cpd-needs-mailings"
    title = "CPD-needs survey mailings"
    description = (
        "The record of each time a CPD-needs survey was e-mailed to practice educators: when, "
        "by whom and to whom. The import records it and sends nothing."
    )
    columns = [
        SURVEY_KEY,
        Column("academic_year", p.academic_year, required=True, example="2019/20"),
        Column("sent_at", p.date_time, required=True, help=WHEN_HELP),
        Column("sent_by", p.user_email, help="E-mail of the user who sent it"),
        Column("recipients", p.lines, required=True, help="E-mails, one per line or with ;"),
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

    def is_unchanged(
        self, obj: CpdNeedsSurveyMailing, values: dict[str, Any], ctx: ImportContext
    ) -> bool:
        sender = obj.sent_by.email.lower() if obj.sent_by else None
        recipients = {email.lower() for email in obj.recipients.values_list("email", flat=True)}
        return sender == (values["sent_by"] or None) and recipients == {
            email.lower() for email in values["recipients"]
        }

    def create(self, values: dict[str, Any], ctx: ImportContext) -> CpdNeedsSurveyMailing:
        survey = _survey(values)
        if survey is None:  # checked before applying
            raise ValidationError({"academic_year": "The survey was not found."})
        sender = None
        if values["sent_by"]:
            sender = User.objects.filter(email__iexact=values["sent_by"]).first()
        known = _people_by_email(values["recipients"])
        people = [known[email.lower()] for email in values["recipients"]]
        return services.record_survey_mailing(
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

    def export_rows(self, viewer: Viewer) -> list[dict[str, str]]:
        surveys = CpdNeedsSurvey.objects.visible_to(viewer, "manage")
        mailings = (
            CpdNeedsSurveyMailing.objects.filter(survey__in=surveys)
            .select_related("survey__academic_year", "survey__partnership__lead_organisation")
            .select_related("sent_by")
            .prefetch_related("recipients")
            .order_by("survey__partnership__name", "survey__academic_year__start_year", "sent_at")
        )
        return [
            {
                "organisation": _partnership_code(m.survey, viewer),
                "academic_year": m.survey.academic_year.label,
                "sent_at": timezone.localtime(m.sent_at).strftime("%Y-%m-%d %H:%M:%S.%f"),
                "sent_by": m.sent_by.email if m.sent_by else "",
                "recipients": "\n".join(sorted(person.email for person in m.recipients.all())),
            }
            for m in mailings
        ]
