"""Import kinds of the CPD-needs survey (``cpd-needs-surveys``), its answers
(``cpd-needs-responses``) and each time it was e-mailed (``cpd-needs-mailings``); see
docs/0004-imports.md for the framework.

A row names its survey by an organisation of the survey's partnership and the academic year; a
person by e-mail address.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from practica.accounts.models import User
from practica.accounts.permissions import MANAGE
from practica.core.models import Organisation, Person
from practica.imports import lookups
from practica.imports import parsers as p
from practica.imports.framework import (
    Column,
    ImportCellError,
    ImportContext,
    Importer,
    as_columns,
    key_of,
)
from practica.imports.registry import register_importer
from practica.learning.surveys import services
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
        "file of CPD-needs survey answers."
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

    def records(self, viewer: Viewer) -> QuerySet[CpdNeedsSurvey]:
        return (
            CpdNeedsSurvey.objects.visible_to(viewer, MANAGE)
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
        "academic year, as in the file of CPD-needs surveys; the person by e-mail address."
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
            p.choice(PreferredFormat),
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
            CpdNeedsResponse.objects.filter(survey=survey, person__email__address=values["email"])
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

    def records(self, viewer: Viewer) -> QuerySet[CpdNeedsResponse]:
        surveys = CpdNeedsSurvey.objects.visible_to(viewer, MANAGE)
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
            sender = User.objects.filter(email__address=values["sent_by"]).first()
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

    def records(self, viewer: Viewer) -> QuerySet[CpdNeedsSurveyMailing]:
        surveys = CpdNeedsSurvey.objects.visible_to(viewer, MANAGE)
        return (
            CpdNeedsSurveyMailing.objects.filter(survey__in=surveys)
            .select_related("survey__academic_year", "survey__partnership__lead_organisation")
            .select_related("sent_by")
            .prefetch_related("recipients")
            .order_by("survey__partnership__name", "survey__academic_year__start_year", "sent_at")
        )
