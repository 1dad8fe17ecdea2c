"""Import kinds of the universities' sessions with practitioners: ``teaching-sessions`` and
``admissions-interviews``, the module leaders' ``peer-observations`` of them, and the request
protocol's ``teaching-requests`` and ``teaching-offers`` (docs/0004-imports.md for the
framework).

One row per practitioner per session: the rows with the same university, date, module and
title (for interviews: date and length) are one session, whose status and hours repeat on each
row. The practitioner is found by e-mail address; a person who is not yet in their employer's
directory of practitioner teachers is added to it. ``organisation`` and ``service_area`` are
where the practitioner came from at the time (what the reports count).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet

from practica.accounts.models import User
from practica.accounts.permissions import MANAGE
from practica.core.audit import save_audited
from practica.core.models import Organisation, OrganisationKind
from practica.imports import lookups
from practica.imports import parsers as p
from practica.imports.framework import Column, ImportCellError, ImportContext, Importer, as_columns
from practica.imports.registry import register_importer
from practica.learning.events.importers import ORGANISATIONS
from practica.teaching.directory import services as directory_services
from practica.teaching.directory.abilities import LISTED
from practica.teaching.directory.importers import EXPERTISE_HELP, expertise_cell
from practica.teaching.directory.models import (
    LivedExperienceContributor,
    PractitionerStatus,
    PractitionerTeacher,
)
from practica.teaching.sessions import services
from practica.teaching.sessions.models import (
    INTERVIEW_KINDS,
    OfferStatus,
    PeerObservation,
    RequestOffer,
    RequestStatus,
    SessionContributor,
    SessionKind,
    SessionStatus,
    TeachingRequest,
    TeachingSession,
)

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

NATURAL_KEY = "an import finds the record a row names by its natural key; rows are checked against the importer's organisations"
LENGTHS = {"half": SessionKind.INTERVIEW_HALF, "full": SessionKind.INTERVIEW_FULL}
LENGTH_OF: dict[str, str] = {kind: length for length, kind in LENGTHS.items()}


def _employer(code: str, ctx: ImportContext) -> Organisation | None:
    code = code.strip().upper()
    return ctx.remember(
        ("teaching:employer", code),
        lambda: Organisation.objects.unscoped(NATURAL_KEY).filter(code=code).first(),
    )


def _practitioner(email: str, ctx: ImportContext) -> PractitionerTeacher | None:
    person = lookups.person(ctx, email=email)
    if person is None:
        return None
    return PractitionerTeacher.objects.unscoped(NATURAL_KEY).filter(person=person).first()


class _SessionRows(Importer):
    """What both kinds share: the session found or made from the row, the practitioner on it."""

    depends_on = ("organisations", "people", "practitioner-teachers")

    def kind_of(self, values: dict[str, Any]) -> str:
        raise NotImplementedError

    def session_filter(self, values: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        hei = values["hei"]
        if isinstance(hei, Organisation) and hei.kind != OrganisationKind.HEI:
            problems.append(("hei", f"{hei.code} is not a university."))
        employer = _employer(values["organisation"], ctx)
        if employer is None and not ctx.is_pending("organisations", values["organisation"]):
            problems.append(("organisation", f"there is no organisation {values['organisation']}."))
        if not ctx.is_pending("people", values["practitioner_email"]):
            person = lookups.person(ctx, email=values["practitioner_email"])
            if person is None:
                problems.append(
                    ("practitioner_email", "no such person; add them in a people file first.")
                )
            elif person.organisation.kind == OrganisationKind.HEI:
                problems.append(
                    ("practitioner_email", "this person works for a university, not an employer.")
                )
        return problems

    def _session(self, values: dict[str, Any]) -> TeachingSession | None:
        return (
            TeachingSession.objects.unscoped(NATURAL_KEY)
            .filter(hei=values["hei"], date=values["date"], **self.session_filter(values))
            .first()
        )

    def find(self, values: dict[str, Any], ctx: ImportContext) -> SessionContributor | None:
        session = self._session(values)
        practitioner = _practitioner(values["practitioner_email"], ctx)
        if session is None or practitioner is None:
            return None
        return (
            SessionContributor.objects.unscoped(NATURAL_KEY)
            .filter(session=session, practitioner_teacher=practitioner)
            .first()
        )

    def _session_state(self, values: dict[str, Any]) -> dict[str, Any]:
        # a blank cell (or none, for interviews) keeps the hours: the kind's default when new
        return {"status": values["status"], "hours": values.get("hours") or None}

    def create(self, values: dict[str, Any], ctx: ImportContext) -> SessionContributor:
        try:
            session = self._session(values)
            state = self._session_state(values)
            if session is None:
                session = services.record_session(
                    actor=ctx.actor,
                    hei=values["hei"],
                    kind=self.kind_of(values),
                    date=values["date"],
                    module=values.get("module") or "",
                    title=values.get("title") or "",
                    **state,
                )
            else:
                self._update_session(session, state, ctx)
            practitioner = self._practitioner_or_new(values, ctx)
            return services.add_practitioner(
                actor=ctx.actor,
                session=session,
                practitioner_teacher=practitioner,
                organisation=_employer(values["organisation"], ctx),
                service_area=values.get("service_area"),
                as_recorded=True,
            )
        except ValidationError as error:
            raise as_columns(error, {}, "date") from error

    def update(
        self, obj: SessionContributor, values: dict[str, Any], ctx: ImportContext
    ) -> SessionContributor:
        try:
            self._update_session(obj.session, self._session_state(values), ctx)
            obj.organisation = _employer(values["organisation"], ctx)
            if "service_area" in values:
                obj.service_area = values["service_area"]
            return save_audited(obj, actor=ctx.actor)
        except ValidationError as error:
            raise as_columns(error, {}, "date") from error

    def _update_session(
        self, session: TeachingSession, state: dict[str, Any], ctx: ImportContext
    ) -> None:
        changed = False
        if session.status != state["status"]:
            session.status, changed = state["status"], True
        if state["hours"] is not None and session.hours != state["hours"]:
            session.hours, changed = state["hours"], True
        if changed:
            save_audited(session, actor=ctx.actor)

    def _practitioner_or_new(
        self, values: dict[str, Any], ctx: ImportContext
    ) -> PractitionerTeacher:
        practitioner = _practitioner(values["practitioner_email"], ctx)
        if practitioner is not None:
            return practitioner
        person = lookups.person(ctx, email=values["practitioner_email"])
        if person is None:
            raise ValidationError({"practitioner_email": "No such person."})
        # someone who taught before the directory was kept: added to their employer's
        return directory_services.create_practitioner_teacher(
            actor=ctx.actor, person=person, status=PractitionerStatus.ACTIVE
        )


def _organisation_code(row: SessionContributor) -> str:
    return row.organisation.code if row.organisation else ""


def _email(row: SessionContributor) -> str:
    assert row.practitioner_teacher is not None
    return row.practitioner_teacher.person.email


def _session_columns() -> list[Column]:
    """The columns that name a teaching session: its university, date, module and title."""
    return [
        Column(
            "hei",
            p.organisation,
            required=True,
            help="The university's code",
            example="CCCU",
            source="session.hei",
        ),
        Column("date", p.date, required=True, example="2019-11-14", source="session.date"),
        Column(
            "module",
            p.text(max_length=200),
            example="Social work with adults",
            source="session.module",
        ),
        Column(
            "title",
            p.text(max_length=200),
            example="Mental capacity in practice",
            source="session.title",
        ),
    ]


@register_importer
class TeachingSessionImporter(_SessionRows):
    kind = "teaching-sessions"
    title = "Teaching sessions"
    description = (
        "Practitioners' teaching sessions at the universities: one row per practitioner and "
        "session. Rows with the same university, date, module and title are one session; its "
        "status and hours repeat on each row. The practitioner is found by e-mail address."
    )
    columns = [
        *_session_columns(),
        Column(
            "status",
            p.choice(SessionStatus),
            help=" | ".join(SessionStatus.values) + " (empty: scheduled)",
            default=SessionStatus.SCHEDULED,
            source="session.status",
        ),
        Column(
            "hours",
            p.decimal,
            help="Hours per practitioner (empty: 2)",
            example="2",
            source="session.hours",
            blank_keeps=True,  # an empty cell keeps the hours (2 for a new session),
        ),
        Column(
            "practitioner_email", p.email, required=True, example="sam@kent.gov.uk", source=_email
        ),
        Column(
            "organisation",
            p.text(max_length=20),
            required=True,
            help="The practitioner's employer's code",
            example="KCC",
            source=_organisation_code,
        ),
        Column(
            "service_area",
            p.service_area,
            help="The practitioner's service area's code",
            example="adults",
        ),
    ]
    natural_key = ("hei", "date", "module", "title", "practitioner_email")

    def kind_of(self, values: dict[str, Any]) -> str:
        return SessionKind.TEACHING

    def session_filter(self, values: dict[str, Any]) -> dict[str, Any]:
        return {
            "kind": SessionKind.TEACHING,
            "module__iexact": values.get("module") or "",
            "title__iexact": values.get("title") or "",
        }

    def records(self, viewer: Viewer) -> QuerySet[SessionContributor]:
        return (
            SessionContributor.objects.visible_to(viewer, MANAGE)
            .filter(practitioner_teacher__isnull=False, session__kind=SessionKind.TEACHING)
            .select_related(
                "session__hei", "practitioner_teacher__person", "organisation", "service_area"
            )
            .order_by(
                "session__hei__code",
                "session__date",
                "session__module",
                "session__title",
                "practitioner_teacher__person__email",
                "pk",
            )
        )


def _length(row: SessionContributor) -> str:
    return LENGTH_OF[row.session.kind]


@register_importer
class AdmissionsInterviewImporter(_SessionRows):
    kind = "admissions-interviews"
    title = "Admissions interviews"
    description = (
        "Practitioners on the universities' admissions interview panels: one row per "
        "practitioner and session. Rows with the same university, date and length (half or "
        "full day) are one session; its status repeats on each row."
    )
    columns = [
        Column(
            "hei",
            p.organisation,
            required=True,
            help="The university's code",
            example="UOK",
            source="session.hei",
        ),
        Column("date", p.date, required=True, example="2020-01-22", source="session.date"),
        Column(
            "length",
            p.choice(list(LENGTHS)),
            required=True,
            help="half | full",
            example="full",
            source=_length,
        ),
        Column(
            "status",
            p.choice(SessionStatus),
            help=" | ".join(SessionStatus.values) + " (empty: scheduled)",
            default=SessionStatus.SCHEDULED,
            source="session.status",
        ),
        Column(
            "practitioner_email", p.email, required=True, example="sam@kent.gov.uk", source=_email
        ),
        Column(
            "organisation",
            p.text(max_length=20),
            required=True,
            help="The practitioner's employer's code",
            example="KCC",
            source=_organisation_code,
        ),
    ]
    natural_key = ("hei", "date", "length", "practitioner_email")

    def kind_of(self, values: dict[str, Any]) -> str:
        return LENGTHS[values["length"]]

    def session_filter(self, values: dict[str, Any]) -> dict[str, Any]:
        return {"kind": LENGTHS[values["length"]]}

    def records(self, viewer: Viewer) -> QuerySet[SessionContributor]:
        return (
            SessionContributor.objects.visible_to(viewer, MANAGE)
            .filter(practitioner_teacher__isnull=False, session__kind__in=INTERVIEW_KINDS)
            .select_related("session__hei", "practitioner_teacher__person", "organisation")
            .order_by(
                "session__hei__code",
                "session__date",
                "session__kind",
                "practitioner_teacher__person__email",
                "pk",
            )
        )


# the service's fields named by the file's columns
OBSERVATION_COLUMNS = {"practitioner_teacher": "practitioner_email"}


def _observed_email(row: PeerObservation) -> str:
    return row.practitioner_teacher.person.email


@register_importer
class PeerObservationImporter(Importer):
    """The module leaders' peer observations of practitioners teaching, with their feedback."""

    kind = "peer-observations"
    title = "Peer observations"
    description = (
        "The module leader's observation of a practitioner teaching a session, with the "
        "feedback given after it: one row per practitioner and session. The session is found "
        "as the teaching sessions file names it (university, date, module and title), the "
        "practitioner by e-mail address; they must be on the session."
    )
    columns = [
        *_session_columns(),
        Column(
            "practitioner_email",
            p.email,
            required=True,
            example="sam@kent.gov.uk",
            source=_observed_email,
        ),
        Column("observed_on", p.date, required=True, example="2019-11-14"),
        Column(
            "observer",
            p.user_email,
            help="E-mail of the user who observed (the module leader)",
            example="lead@cccu.ac.uk",
            source="observer.email",
        ),
        Column("strengths", p.text(), required=True, example="Brought real cases to life."),
        Column(
            "areas_to_develop",
            p.text(),
            required=True,
            example="Leave time at the end for reflection.",
        ),
    ]
    natural_key = ("hei", "date", "module", "title", "practitioner_email")
    depends_on = ("users", "teaching-sessions")

    def _session(self, values: dict[str, Any]) -> TeachingSession | None:
        return (
            TeachingSession.objects.unscoped(NATURAL_KEY)
            .filter(
                hei=values["hei"],
                date=values["date"],
                kind=SessionKind.TEACHING,
                module__iexact=values.get("module") or "",
                title__iexact=values.get("title") or "",
            )
            .first()
        )

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        hei = values["hei"]
        if isinstance(hei, Organisation) and hei.kind != OrganisationKind.HEI:
            return [("hei", f"{hei.code} is not a university.")]
        if ctx.is_pending("teaching-sessions", *self.key_of(values)):
            return []
        if self._session(values) is None:
            return [("date", "no such teaching session; add it in a teaching sessions file first.")]
        if _practitioner(values["practitioner_email"], ctx) is None:
            return [("practitioner_email", "no such practitioner teacher.")]
        return []

    def find(self, values: dict[str, Any], ctx: ImportContext) -> PeerObservation | None:
        session = self._session(values)
        practitioner = _practitioner(values["practitioner_email"], ctx)
        if session is None or practitioner is None:
            return None
        return (
            PeerObservation.objects.unscoped(NATURAL_KEY)
            .filter(session=session, practitioner_teacher=practitioner)
            .first()
        )

    def _observer(self, values: dict[str, Any]) -> User | None:
        if not values.get("observer"):
            return None
        return User.objects.filter(email__address=values["observer"]).first()

    def create(self, values: dict[str, Any], ctx: ImportContext) -> PeerObservation:
        session = self._session(values)
        practitioner = _practitioner(values["practitioner_email"], ctx)
        if session is None or practitioner is None:
            raise ValidationError({"date": "No such teaching session or practitioner."})
        try:
            observation = services.record_observation(
                actor=ctx.actor,
                session=session,
                practitioner_teacher=practitioner,
                observed_on=values["observed_on"],
                strengths=values["strengths"],
                areas_to_develop=values["areas_to_develop"],
            )
            # who observed, as the file says (the service takes the actor for it)
            observation.observer = self._observer(values)
            return save_audited(observation, actor=ctx.actor)
        except ValidationError as error:
            raise as_columns(error, OBSERVATION_COLUMNS, "date") from error

    def update(
        self, obj: PeerObservation, values: dict[str, Any], ctx: ImportContext
    ) -> PeerObservation:
        obj.observed_on = values["observed_on"]
        obj.observer = self._observer(values)
        obj.strengths = values["strengths"].strip()
        obj.areas_to_develop = values["areas_to_develop"].strip()
        try:
            return save_audited(obj, actor=ctx.actor)
        except ValidationError as error:
            raise as_columns(error, OBSERVATION_COLUMNS, "date") from error

    def records(self, viewer: Viewer) -> QuerySet[PeerObservation]:
        return (
            PeerObservation.objects.visible_to(viewer, MANAGE)
            .select_related("session__hei", "practitioner_teacher__person", "observer")
            .order_by(
                "session__hei__code",
                "session__date",
                "session__module",
                "session__title",
                "practitioner_teacher__person__email",
                "pk",
            )
        )


# --- the request protocol: requests and the offers made for them -----------------------------


def _parse_time(value: str, ctx: ImportContext) -> datetime.time:
    for pattern in p.TIME_FORMATS:
        try:
            return datetime.datetime.strptime(value.strip(), pattern).time()
        except ValueError:
            continue
    raise ImportCellError(f"“{value}” is not a time of day like 14:30.")


TIME = p.Cell(_parse_time, format=lambda value: value.strftime("%H:%M"))


def _request_key_columns(source: str = "") -> list[Column]:
    """The columns that name a request: its university, date, start, type, module and topic
    (``source``: where a row's record holds the request)."""
    prefix = f"{source}." if source else ""
    return [
        Column(
            "hei",
            p.organisation,
            required=True,
            help="The university's code",
            example="UOK",
            source=f"{prefix}hei",
        ),
        Column("date", p.date, required=True, example="2020-02-11", source=f"{prefix}date"),
        Column(
            "starts",
            TIME,
            required=True,
            help="Time of day, like 10:00",
            example="10:00",
            source=f"{prefix}starts_at",
        ),
        Column(
            "type",
            p.choice(SessionKind),
            required=True,
            help=" | ".join(SessionKind.values),
            example=SessionKind.TEACHING,
            source=f"{prefix}kind",
        ),
        Column(
            "module",
            p.text(max_length=200),
            example="Skills for practice",
            source=f"{prefix}module",
        ),
        Column(
            "topic",
            p.text(max_length=200),
            example="Working with interpreters",
            source=f"{prefix}topic",
        ),
    ]


def _find_request(values: dict[str, Any]) -> TeachingRequest | None:
    return (
        TeachingRequest.objects.unscoped(NATURAL_KEY)
        .filter(
            hei=values["hei"],
            date=values["date"],
            starts_at=values["starts"],
            kind=values["type"],
            module__iexact=values.get("module") or "",
            topic__iexact=values.get("topic") or "",
        )
        .order_by("pk")
        .first()
    )


def _request_contributors(request: TeachingRequest) -> list[str]:
    """Only those still listed: a contributor who withdrew is exported to no one."""
    listed = getattr(request, "listed_contributors", None)
    if listed is None:  # a record the import found, not one of records()
        listed = request.contributors.filter(LISTED).select_related("person")
    return [contributor.person.email for contributor in listed]


def _contributors_by_email(emails: list[str]) -> list[LivedExperienceContributor]:
    people = lookups.people_by_email(emails)
    found = {
        contributor.person.email.lower(): contributor
        for contributor in LivedExperienceContributor.objects.unscoped(NATURAL_KEY)
        .select_related("person")
        .filter(person__in=list(people.values()))
    }
    missing = [email for email in emails if email.lower() not in found]
    if missing:
        raise ValidationError({"contributors": f"no such contributor: {', '.join(missing)}."})
    return [found[email.lower()] for email in emails]


# the service's fields named by the file's columns
REQUEST_COLUMNS = {
    "starts_at": "starts",
    "ends_at": "ends",
    "kind": "type",
    "targets": "asked",
    "raised_by": "raised_by",
}


@register_importer
class TeachingRequestImporter(Importer):
    """The universities' requests for practitioners (the protocol's first step), as they
    stand: the request found by its university, date, start, type, module and topic."""

    kind = "teaching-requests"
    title = "Requests for practitioners"
    description = (
        "The universities' requests for practitioners to teach a session or sit on an "
        "admissions interview panel, one row each, with the local authorities asked and where "
        "the request stands. A filled request is linked to the session of the same university, "
        "date, type, module and title (from the teaching sessions or admissions interviews "
        "file). Nobody is e-mailed."
    )
    columns = [
        *_request_key_columns(),
        Column(
            "ends",
            TIME,
            required=True,
            help="Time of day, like 12:00",
            example="12:00",
            source="ends_at",
        ),
        Column("place", p.text(max_length=200), example="Medway campus, room 2.14"),
        Column(
            "service_area",
            p.service_area,
            help="The service area wanted, by code",
            example="childrens",
        ),
        Column(
            "expertise",
            expertise_cell,
            help=EXPERTISE_HELP,
            example="child_protection",
            source=lambda request: list(request.expertise.all()),
        ),
        Column(
            "practitioners_wanted",
            p.integer(minimum=1, maximum=20),
            help="How many practitioners (empty: 1)",
            example="1",
            default=1,
        ),
        Column(
            "asked",
            ORGANISATIONS,
            help="Codes of the local authorities asked, separated by ; (empty: every one)",
            example="KCC;MC",
            source=lambda request: list(request.targets.all()),
        ),
        Column(
            "status",
            p.choice(RequestStatus),
            help=" | ".join(RequestStatus.values) + " (empty: open)",
            default=RequestStatus.OPEN,
        ),
        Column(
            "raised_by",
            p.user_email,
            help="E-mail of the user who raised it",
            example="academic@kent.ac.uk",
            source="raised_by.email",
        ),
        Column(
            "contributors",
            p.email_list,
            help="E-mail addresses of the university's lived-experience contributors taking "
            "part, separated by ;",
            source=_request_contributors,
        ),
        Column("change_reason", p.text(), help="Why it last changed or was cancelled"),
    ]
    natural_key = ("hei", "date", "starts", "type", "module", "topic")
    depends_on = (
        "organisations",
        "users",
        "lived-experience-contributors",
        "teaching-sessions",
        "admissions-interviews",
    )

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        hei = values["hei"]
        if isinstance(hei, Organisation) and hei.kind != OrganisationKind.HEI:
            return [("hei", f"{hei.code} is not a university.")]
        return []

    def find(self, values: dict[str, Any], ctx: ImportContext) -> TeachingRequest | None:
        return _find_request(values)

    def _save(
        self, request: TeachingRequest | None, values: dict[str, Any], ctx: ImportContext
    ) -> TeachingRequest:
        raised_by = (
            User.objects.filter(email__address=values["raised_by"]).first()
            if values.get("raised_by")
            else None
        )
        try:
            return services.record_past_request(
                actor=ctx.actor,
                request=request,
                hei=values["hei"],
                kind=values["type"],
                date=values["date"],
                starts_at=values["starts"],
                ends_at=values["ends"],
                module=values.get("module") or "",
                topic=values.get("topic") or "",
                place=values.get("place") or "",
                service_area=values.get("service_area"),
                expertise=values.get("expertise") or [],
                practitioners_wanted=values.get("practitioners_wanted") or 1,
                targets=values.get("asked") or [],
                status=values["status"],
                raised_by=raised_by,
                contributors=_contributors_by_email(values.get("contributors") or []),
                change_reason=values.get("change_reason") or "",
            )
        except ValidationError as error:
            raise as_columns(error, REQUEST_COLUMNS, "date") from error

    def create(self, values: dict[str, Any], ctx: ImportContext) -> TeachingRequest:
        return self._save(None, values, ctx)

    def update(
        self, obj: TeachingRequest, values: dict[str, Any], ctx: ImportContext
    ) -> TeachingRequest:
        return self._save(obj, values, ctx)

    def records(self, viewer: Viewer) -> QuerySet[TeachingRequest]:
        listed = (
            LivedExperienceContributor.objects.unscoped(
                "the contributors of requests an outer, narrowed query has chosen"
            )
            .filter(LISTED)
            .select_related("person")
        )
        return (
            TeachingRequest.objects.visible_to(viewer, MANAGE)
            .select_related("hei", "service_area", "raised_by")
            .prefetch_related(
                "expertise",
                "targets",
                Prefetch("contributors", queryset=listed, to_attr="listed_contributors"),
            )
            .order_by("hei__code", "date", "starts_at", "kind", "module", "topic", "pk")
        )


# the service's fields named by the file's columns
OFFER_COLUMNS = {"practitioner_teacher": "practitioner_email"}


@register_importer
class TeachingOfferImporter(Importer):
    """The practitioners the local authorities offered for the requests, and where each offer
    stands."""

    kind = "teaching-offers"
    title = "Practitioners offered for requests"
    description = (
        "The practitioners each local authority offered for a university's request, one row "
        "per practitioner and request, with where the offer stands. The request is found as "
        "the requests file names it (university, date, start, type, module and topic), the "
        "practitioner by e-mail address. Nobody is e-mailed."
    )
    columns = [
        *_request_key_columns("request"),
        Column(
            "practitioner_email",
            p.email,
            required=True,
            example="sam@kent.gov.uk",
            source="practitioner_teacher.person.email",
        ),
        Column(
            "organisation",
            p.text(max_length=20),
            required=True,
            help="The code of the local authority that offered them",
            example="KCC",
            source="organisation.code",
        ),
        Column(
            "status",
            p.choice(OfferStatus),
            help=" | ".join(OfferStatus.values) + " (empty: offered)",
            default=OfferStatus.OFFERED,
        ),
        Column(
            "offered_by",
            p.user_email,
            help="E-mail of the user who offered them",
            example="lead@kent.gov.uk",
            source="offered_by.email",
        ),
        Column("note", p.text(), help="The local authority's note with the offer"),
        Column("reason", p.text(), help="Why it last changed (declined, withdrawn)"),
    ]
    natural_key = ("hei", "date", "starts", "type", "module", "topic", "practitioner_email")
    depends_on = ("organisations", "users", "practitioner-teachers", "teaching-requests")

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        if ctx.is_pending("teaching-requests", *self.key_of(values)[:-1]):
            return []
        if _find_request(values) is None:
            return [("date", "no such request; add it in a requests file first.")]
        if _employer(values["organisation"], ctx) is None and not ctx.is_pending(
            "organisations", values["organisation"]
        ):
            return [("organisation", f"there is no organisation {values['organisation']}.")]
        if not ctx.is_pending("practitioner-teachers", values["practitioner_email"]) and (
            _practitioner(values["practitioner_email"], ctx) is None
        ):
            return [("practitioner_email", "no such practitioner teacher.")]
        return []

    def find(self, values: dict[str, Any], ctx: ImportContext) -> RequestOffer | None:
        request = _find_request(values)
        practitioner = _practitioner(values["practitioner_email"], ctx)
        if request is None or practitioner is None:
            return None
        return (
            RequestOffer.objects.unscoped(NATURAL_KEY)
            .filter(request=request, practitioner_teacher=practitioner)
            .first()
        )

    def _save(
        self, offer: RequestOffer | None, values: dict[str, Any], ctx: ImportContext
    ) -> RequestOffer:
        request = _find_request(values)
        practitioner = _practitioner(values["practitioner_email"], ctx)
        organisation = _employer(values["organisation"], ctx)
        if request is None or practitioner is None or organisation is None:
            raise ValidationError({"date": "No such request, practitioner or organisation."})
        offered_by = (
            User.objects.filter(email__address=values["offered_by"]).first()
            if values.get("offered_by")
            else None
        )
        try:
            return services.record_past_offer(
                actor=ctx.actor,
                offer=offer,
                request=request,
                practitioner_teacher=practitioner,
                organisation=organisation,
                status=values["status"],
                offered_by=offered_by,
                note=values.get("note") or "",
                reason=values.get("reason") or "",
            )
        except ValidationError as error:
            raise as_columns(error, OFFER_COLUMNS, "date") from error

    def create(self, values: dict[str, Any], ctx: ImportContext) -> RequestOffer:
        return self._save(None, values, ctx)

    def update(self, obj: RequestOffer, values: dict[str, Any], ctx: ImportContext) -> RequestOffer:
        return self._save(obj, values, ctx)

    def records(self, viewer: Viewer) -> QuerySet[RequestOffer]:
        return (
            RequestOffer.objects.visible_to(viewer, MANAGE)
            .select_related(
                "request__hei", "practitioner_teacher__person", "organisation", "offered_by"
            )
            .order_by(
                "request__hei__code",
                "request__date",
                "request__starts_at",
                "request__kind",
                "request__module",
                "request__topic",
                "practitioner_teacher__person__email",
                "pk",
            )
        )
