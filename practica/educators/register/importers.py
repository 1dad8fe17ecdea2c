"""Import kinds of the register: ``practice-educators``, ``pe-activities`` and
``currency-rules``; see docs/0004-imports.md for the framework."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Field, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import capfirst

from practica.accounts.models import User
from practica.core import services as core_services
from practica.core.models import Location, Organisation, Person, Team
from practica.educators.register import services
from practica.educators.register.models import (
    ActivityKind,
    CurrencyRule,
    PepsStage,
    PracticeEducator,
    PracticeEducatorActivity,
)
from practica.imports import lookups
from practica.imports import parsers as p
from practica.imports.framework import (
    KEEP,
    NATURAL_KEY,
    Action,
    BulkApplyError,
    Column,
    ImportContext,
    Importer,
    as_columns,
    model_problems,
)
from practica.imports.person_columns import employer_columns, name_columns
from practica.imports.registry import register_importer

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer


DATE_HELP = "A date like 2019-06-30 or 30/06/2019"
REGISTER_FIELDS = (
    "peps_stage",
    "stage1_date",
    "stage2_date",
    "independent",
    "last_student_date",
    "last_training_date",
)


def educator_with_email(email: str) -> PracticeEducator | None:
    """The practice educator on the register with this e-mail address."""
    return (
        PracticeEducator.objects.unscoped(NATURAL_KEY)
        .select_related("person")
        .filter(person__email__address=email)
        .first()
    )


def educator_problems(values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
    """The row's practice educator (its e-mail address) must be on the register and work for
    the row's organisation, unless an earlier file of the batch adds them."""
    organisation = values["organisation"]
    if not isinstance(organisation, Organisation) or ctx.is_pending(
        "practice-educators", values["email"]
    ):
        return []
    educator = educator_with_email(values["email"])
    if educator is None:
        return [("email", "no practice educator on the register has this e-mail address.")]
    if educator.person.organisation_id != organisation.pk:
        return [("email", f"this practice educator does not work for {organisation.code}.")]
    return []


def _current_activities(educator: PracticeEducator) -> set[str]:
    kinds: set[str] | None = getattr(educator, CURRENT_KINDS, None)
    if kinds is not None:  # educators_by_email found them, as of the day it looked
        return kinds
    today = timezone.localdate()
    fetched = getattr(educator, OPEN_OR_CURRENT, None)  # educators_by_email fetched them along
    if fetched is not None:
        return {activity.kind for activity in fetched if activity.is_current_on(today)}
    current = PracticeEducatorActivity.current_on(today)
    return set(educator.activities.filter(current).values_list("kind", flat=True))


# the attribute under which educators_by_email keeps each educator's activities that are open
# (not ended) or current today: what comparing and applying a row of the register read
OPEN_OR_CURRENT = "open_or_current_activities"
# and the kinds of those current today, worked out once for every educator looked up (asking
# for today's date for each of 20,000 rows took a tenth of a re-check: docs/0025 section 10)
CURRENT_KINDS = "current_activity_kinds"


def educators_by_email(emails: Iterable[str]) -> dict[str, PracticeEducator]:
    """The practice educators on the register with these addresses, by address in lower case:
    what ``PracticeEducatorImporter.find`` finds for each, with their open or current
    activities, in a few queries (``lookups.chunks``)."""
    wanted = sorted({email.strip().lower() for email in emails if email and email.strip()})
    today = timezone.localdate()
    activities = PracticeEducatorActivity.objects.unscoped(NATURAL_KEY).filter(
        Q(ended_on__isnull=True) | PracticeEducatorActivity.current_on(today)
    )
    educators = (
        PracticeEducator.objects.unscoped(NATURAL_KEY)
        .select_related("person", "reviewed_by")
        # shared by many entries: each fetched once, not a copy for every entry (lookups)
        .prefetch_related(
            *(f"person__{name}" for name in lookups.SHARED_RELATED), "location", "service_area"
        )
        .prefetch_related(Prefetch("activities", queryset=activities, to_attr=OPEN_OR_CURRENT))
        .exclude(person__email="")
        .annotate(address=Lower("person__email"))
        .order_by()  # found by address: the model's ordering would only sort them
    )
    found: dict[str, PracticeEducator] = {}
    for chunk in lookups.chunks(wanted):
        for educator in educators.filter(address__in=chunk):
            found[educator.person.email.lower()] = educator
            kinds = {a.kind for a in getattr(educator, OPEN_OR_CURRENT) if a.is_current_on(today)}
            setattr(educator, CURRENT_KINDS, kinds)
    return found


# what comparing a row with its register entry reads
ENTRY_RELATED = ("person__organisation", "person__team", "location", "service_area", "reviewed_by")


def _users_by_email(emails: Iterable[str | None]) -> dict[str, User]:
    """The users with these addresses, by address in lower case (what ``_review`` looks up
    row by row)."""
    wanted = sorted({email.strip().lower() for email in emails if email and email.strip()})
    users = User.objects.exclude(email="").annotate(address=Lower("email")).order_by()
    found: dict[str, User] = {}
    for chunk in lookups.chunks(wanted):
        for user in users.filter(address__in=chunk):
            found[user.email.lower()] = user
    return found


@register_importer
class PracticeEducatorImporter(Importer):
    kind = "practice-educators"
    title = "Practice educators"
    description = (
        "The practice educator register: one row per practice educator, found by e-mail address "
        "(the person is added if they are new). The activities column states their current "
        "activities: those listed start on the day of the import if they are new, and others "
        "end that day. Leave the column out to keep activities as they are (an export does: "
        "their dates travel in a file of practice educator activities)."
    )
    columns = [
        *name_columns(email="priya.patel@medway.gov.uk", first_name="Priya", last_name="Patel"),
        *employer_columns(),
        Column("service_area", p.service_area, help="childrens | adults | mental_health | other"),
        Column(
            "location",
            p.text(max_length=120, ignore_case=True),
            help="A location of the organisation",
            source="location.name",
        ),
        Column("independent", p.yes_no, help="yes | no (off-site PE)", example="no", default=False),
        Column(
            "peps_stage",
            p.choice(PepsStage),
            required=True,
            help=" | ".join(PepsStage.values),
            example="stage2",
        ),
        Column(
            "stage1_date",
            p.date,
            help=f"{DATE_HELP}: when PEPS Stage 1 was achieved. Required when the PEPS stage is "
            "PEPS Stage 1; may be given when in training for, or at, PEPS Stage 2; empty otherwise",
            example="2016-07-01",
        ),
        Column(
            "stage2_date",
            p.date,
            help=f"{DATE_HELP}: when PEPS Stage 2 was achieved. Required when the PEPS stage is "
            "PEPS Stage 2; empty otherwise",
            example="2018-07-01",
        ),
        Column(
            "activities",
            p.multi_choice(ActivityKind),
            help=";".join(ActivityKind.values),
            example="student_pe;peps_assessor",
            keep_if_missing=True,
            source=_current_activities,
            # as of the day of the import: their dates travel in a file of practice educator activities
            exported=False,
        ),
        Column("last_student_date", p.date, help=DATE_HELP, example="2019-12-20"),
        Column("last_training_date", p.date, help=DATE_HELP, example="2019-10-01"),
        # An empty reviewed_on records no review, and reviewed_by counts only with it:
        # is_unchanged compares the two together.
        Column(
            "reviewed_on",
            p.date,
            help="Last annual review of the entry (empty: none to record)",
            keep_if_missing=True,
            compared=False,
        ),
        Column(
            "reviewed_by",
            p.user_email,
            help="E-mail of the user who reviewed it (with reviewed_on)",
            keep_if_missing=True,
            source="reviewed_by.email",
            compared=False,
        ),
    ]
    natural_key = ("email",)
    depends_on = ("organisations", "locations", "teams", "people", "users")
    compares_before_checking = True

    def prefetch(self, rows: list[dict[str, Any]], ctx: ImportContext) -> None:
        """The people, teams and register entries ``check_row`` and ``find`` look up, once per
        file (docs/0025)."""
        emails = {values["email"].strip().lower() for values in rows}
        found = educators_by_email(emails)
        # an entry's person is the person with its address (fetched with the same related
        # records): only the addresses of no entry are looked up again
        for email, educator in found.items():
            ctx.cache.setdefault(("person", email), educator.person)
        lookups.remember_people(ctx, emails - found.keys())
        lookups.remember_teams(ctx, {values["organisation"] for values in rows})
        for email in emails:
            if email in found or email.isascii():
                ctx.cache.setdefault(("practice-educator", email), found.get(email))

    def apply_all(
        self, rows: list[tuple[int, dict[str, Any]]], ctx: ImportContext
    ) -> list[tuple[PracticeEducator, Action]]:
        """The rows in bulk (``register.services.save_register``): each entry found, compared
        and changed as ``find``, ``is_unchanged``, ``create`` and ``update`` do one by one."""
        emails = {values["email"].strip().lower() for _number, values in rows}
        people = lookups.people_by_email(emails)
        educators = educators_by_email(emails)
        lookups.remember_teams(ctx, {values["organisation"] for _number, values in rows})
        reviewers = _users_by_email(values["reviewed_by"] for _number, values in rows)
        today = timezone.localdate()
        changes = services.RegisterChanges()
        applied: list[tuple[PracticeEducator, Action]] = []
        for _number, values in rows:
            email = values["email"].strip().lower()
            organisation = values["organisation"]
            reviewer_email = values["reviewed_by"] or ""
            if not (email + reviewer_email).isascii() or not isinstance(organisation, Organisation):
                raise BulkApplyError  # looked up one by one (see lookups.remember_people)
            educator = educators.get(email)
            if educator is not None and self.is_unchanged(educator, values, ctx):
                continue
            person = educator.person if educator is not None else people.get(email)
            if person is not None and person.organisation_id != organisation.pk:
                raise BulkApplyError  # create() and update() say which row, one by one
            team = self._team(values, ctx)
            if person is None:
                person = core_services.change_person(
                    Person(organisation=organisation),
                    first_name=values["first_name"],
                    last_name=values["last_name"],
                    email=values["email"],
                    team=team,
                )
                changes.people_created.append(person)
            elif (person.first_name, person.last_name, person.team) != (
                values["first_name"],
                values["last_name"],
                team,
            ):
                changes.people_changed.append(
                    core_services.change_person(
                        person,
                        first_name=values["first_name"],
                        last_name=values["last_name"],
                        email=person.email,
                        job_title=person.job_title,
                        team=team,
                    )
                )
            fields = {
                **self._register_fields(values),
                "service_area": values["service_area"],
                "location": self._location(values, ctx),
            }
            if educator is None:
                educator = services.change_practice_educator(
                    PracticeEducator(person=person), **fields
                )
                changes.created.append(educator)
                applied.append((educator, "create"))
                open_activities: list[PracticeEducatorActivity] = []
            else:
                changes.changed.append(services.change_practice_educator(educator, **fields))
                applied.append((educator, "update"))
                open_activities = [
                    activity
                    for activity in getattr(educator, OPEN_OR_CURRENT)
                    if activity.ended_on is None
                ]
            if values["activities"] is not KEEP:
                changes.activities.append(
                    services.current_activity_changes(
                        educator,
                        open_activities=open_activities,
                        kinds=values["activities"] or [],
                        on=today,
                        today=today,
                    )
                )
            if self._review_changes(educator, values):
                reviewer = values["reviewed_by"] and reviewers.get(values["reviewed_by"].lower())
                changes.reviews.append((educator, values["reviewed_on"], reviewer or None))
        services.save_register(actor=ctx.actor, changes=changes)
        return applied

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        """Everything that can be known before writing: the person's organisation, the team and
        location, and the register's own rules (stages and their dates)."""
        organisation = values["organisation"]
        if not isinstance(organisation, Organisation):
            return []  # created by an earlier file of this batch: checked when it exists
        problems: list[tuple[str, str]] = []
        person = lookups.person(ctx, email=values["email"])
        if person is not None and person.organisation_id != organisation.pk:
            problems.append(("email", lookups.email_in_use(ctx, person)))
        team = values["team"]
        if (
            team
            and not ctx.is_pending("teams", organisation, team)
            and lookups.team(ctx, organisation, team) is None
        ):
            problems.append(
                ("team", lookups.unknown_team(ctx, organisation, team, "Add it first."))
            )
        location = None
        if values["location"]:
            location = lookups.location(ctx, organisation, values["location"])
            if location is None and not ctx.is_pending(
                "locations", organisation, values["location"]
            ):
                problems.append(
                    (
                        "location",
                        f"{organisation.code} has no location “{values['location']}”; add it first.",
                    )
                )
        reviewer = values["reviewed_by"]
        if reviewer and not values["reviewed_on"]:
            problems.append(("reviewed_on", "is empty; give the date of the review as well."))
        if ctx.row_unchanged:
            # the entry already holds every field below, as its service validated them: the
            # row writes nothing (docs/0039-unchanged-rows-are-not-validated-again.md)
            return problems
        entry = PracticeEducator(
            **self._register_fields(values), location=location, service_area=values["service_area"]
        )
        return problems + model_problems(entry, exclude=["person"], default="peps_stage")

    def find(self, values: dict[str, Any], ctx: ImportContext) -> PracticeEducator | None:
        def lookup() -> PracticeEducator | None:
            return (
                PracticeEducator.objects.unscoped(NATURAL_KEY)
                .select_related(*ENTRY_RELATED)
                .filter(person__email__address=values["email"])
                .first()
            )

        # while checking, prefetch has looked every entry of the file up; while applying, rows
        # change entries, so nothing is remembered then
        if ctx.applying:
            return lookup()
        return ctx.remember(("practice-educator", values["email"].strip().lower()), lookup)

    def is_unchanged(
        self, obj: PracticeEducator, values: dict[str, Any], ctx: ImportContext
    ) -> bool:
        # reviewed_on and reviewed_by count only together (see the columns)
        return super().is_unchanged(obj, values, ctx) and not self._review_changes(obj, values)

    def create(self, values: dict[str, Any], ctx: ImportContext) -> PracticeEducator:
        person = lookups.person(ctx, email=values["email"])
        if person is None:
            person = core_services.create_person(
                actor=ctx.actor,
                organisation=values["organisation"],
                first_name=values["first_name"],
                last_name=values["last_name"],
                email=values["email"],
                team=self._team(values, ctx),
            )
        else:
            self._update_person(person, values, ctx)
        educator = services.create_practice_educator(
            actor=ctx.actor,
            person=person,
            service_area=values["service_area"],
            location=self._location(values, ctx),
            **self._register_fields(values),
        )
        self._activities(educator, values, ctx)
        self._review(educator, values, ctx)
        return educator

    def update(
        self, obj: PracticeEducator, values: dict[str, Any], ctx: ImportContext
    ) -> PracticeEducator:
        if obj.person.organisation_id != values["organisation"].pk:
            raise ValidationError({"email": lookups.email_in_use(ctx, obj.person)})
        self._update_person(obj.person, values, ctx)
        educator = services.update_practice_educator(
            actor=ctx.actor,
            educator=obj,
            service_area=values["service_area"],
            location=self._location(values, ctx),
            team=obj.person.team,
            **self._register_fields(values),
        )
        self._activities(educator, values, ctx)
        self._review(educator, values, ctx)
        return educator

    def _register_fields(self, values: dict[str, Any]) -> dict[str, Any]:
        return {name: values[name] for name in REGISTER_FIELDS}

    def _team(self, values: dict[str, Any], ctx: ImportContext) -> Team | None:
        if not values["team"]:
            return None
        return lookups.team(ctx, values["organisation"], values["team"])

    def _location(self, values: dict[str, Any], ctx: ImportContext) -> Location | None:
        if not values["location"]:
            return None
        return lookups.location(ctx, values["organisation"], values["location"])

    def _update_person(self, person: Person, values: dict[str, Any], ctx: ImportContext) -> None:
        team = self._team(values, ctx)
        if (person.first_name, person.last_name, person.team) != (
            values["first_name"],
            values["last_name"],
            team,
        ):
            core_services.update_person(
                actor=ctx.actor,
                person=person,
                first_name=values["first_name"],
                last_name=values["last_name"],
                email=person.email,
                job_title=person.job_title,
                team=team,
            )

    def _review_changes(self, educator: PracticeEducator, values: dict[str, Any]) -> bool:
        """Whether the row records a review the register does not hold (an empty reviewed_on
        records none, so it changes nothing)."""
        if not values["reviewed_on"]:
            return False
        reviewer = educator.reviewed_by.email.lower() if educator.reviewed_by else None
        return (educator.reviewed_on, reviewer) != (
            values["reviewed_on"],
            values["reviewed_by"] or None,
        )

    def _review(
        self, educator: PracticeEducator, values: dict[str, Any], ctx: ImportContext
    ) -> None:
        if not self._review_changes(educator, values):
            return
        reviewer = None
        if values["reviewed_by"]:
            reviewer = User.objects.filter(email__address=values["reviewed_by"]).first()
        services.review_practice_educator(
            actor=ctx.actor,
            educator=educator,
            reviewed_on=values["reviewed_on"],
            reviewed_by=reviewer,
        )

    def _activities(
        self, educator: PracticeEducator, values: dict[str, Any], ctx: ImportContext
    ) -> None:
        if values["activities"] is KEEP:
            return
        services.set_current_activities(
            actor=ctx.actor,
            educator=educator,
            kinds=values["activities"] or [],
            on=timezone.localdate(),
        )

    def records(self, viewer: Viewer) -> QuerySet[PracticeEducator]:
        return (
            PracticeEducator.objects.visible_to(viewer, "manage")
            .select_related(
                "person__organisation", "person__team", "service_area", "location", "reviewed_by"
            )
            .order_by("person__email")
        )


@register_importer
class ActivityImporter(Importer):
    kind = "pe-activities"
    title = "Practice educator activities"
    description = (
        "Each activity of a practice educator on the register with its dates, current or ended "
        "(the history on their profile): found by e-mail, activity and start date."
    )
    columns = [
        Column(
            "email",
            p.email,
            required=True,
            help="The practice educator's e-mail",
            source="educator.person.email",
        ),
        Column(
            "organisation",
            p.organisation,
            required=True,
            help="Their employer's code",
            source="educator.person.organisation",
        ),
        Column(
            "activity",
            p.choice(ActivityKind),
            required=True,
            help=" | ".join(ActivityKind.values),
            example="student_pe",
            source="kind",
        ),
        Column("started_on", p.date, required=True, help=DATE_HELP, example="2018-09-01"),
        Column("ended_on", p.date, help="Empty while it goes on; " + DATE_HELP),
    ]
    natural_key = ("email", "activity", "started_on")
    depends_on = ("organisations", "practice-educators")

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        activity = PracticeEducatorActivity(
            kind=values["activity"], started_on=values["started_on"], ended_on=values["ended_on"]
        )
        problems = model_problems(
            activity, exclude=["educator"], default="ended_on", names={"kind": "activity"}
        )
        return problems + educator_problems(values, ctx)

    def find(self, values: dict[str, Any], ctx: ImportContext) -> PracticeEducatorActivity | None:
        return (
            PracticeEducatorActivity.objects.unscoped(NATURAL_KEY)
            .filter(
                educator__person__email__address=values["email"],
                kind=values["activity"],
                started_on=values["started_on"],
            )
            .first()
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> PracticeEducatorActivity:
        educator = educator_with_email(values["email"])
        if educator is None:  # checked before applying
            raise ValidationError({"email": "The practice educator was not found."})
        try:
            return services.record_activity(
                actor=ctx.actor,
                educator=educator,
                kind=values["activity"],
                started_on=values["started_on"],
                ended_on=values["ended_on"],
            )
        except ValidationError as error:
            raise as_columns(error, {"kind": "activity"}, "started_on") from error

    def update(
        self, obj: PracticeEducatorActivity, values: dict[str, Any], ctx: ImportContext
    ) -> PracticeEducatorActivity:
        return self.create(values, ctx)

    def records(self, viewer: Viewer) -> QuerySet[PracticeEducatorActivity]:
        return (
            PracticeEducatorActivity.objects.visible_to(viewer, "manage")
            .select_related("educator__person__organisation")
            .order_by("educator__person__email", "kind", "started_on")
        )


RULE_FIELDS = ("months_since_student", "months_since_training", "warning_months", "review_months")


def _rule_column(name: str) -> Column:
    """A currency rule's column as its model field states it: bounds, meaning and default."""
    field = CurrencyRule._meta.get_field(name)
    assert isinstance(field, Field)
    limits = {
        type(validator): validator.limit_value
        for validator in field.validators
        if isinstance(validator, MinValueValidator | MaxValueValidator)
    }
    return Column(
        name,
        p.integer(minimum=limits[MinValueValidator], maximum=limits[MaxValueValidator]),
        required=True,
        help=capfirst(str(field.verbose_name)),
        example=str(field.default),
    )


@register_importer
class CurrencyRuleImporter(Importer):
    kind = "currency-rules"
    title = "Practice educator currency rules"
    description = (
        "The partnership's rules for keeping practice educators current, in one row given by "
        "the lead organisation (a partnership without a row uses the PEPS defaults)."
    )
    columns = [
        Column(
            "lead_organisation",
            p.organisation,
            required=True,
            help="The lead's code",
            source="partnership.lead_organisation",
            compared=False,  # names the partnership (find); check_row says if it is not the lead
        ),
        *[_rule_column(name) for name in RULE_FIELDS],
    ]
    natural_key = ("lead_organisation",)
    depends_on = ("partnership", "organisations")

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        lead = values["lead_organisation"]
        if isinstance(lead, Organisation) and lead.partnership.lead_organisation_id not in {
            None,
            lead.pk,
        }:
            problems.append(("lead_organisation", NOT_THE_LEAD.format(code=lead.code)))
        rule = CurrencyRule(**{name: values[name] for name in RULE_FIELDS})
        return problems + model_problems(rule, exclude=["partnership"], default="warning_months")

    def find(self, values: dict[str, Any], ctx: ImportContext) -> CurrencyRule | None:
        return (
            CurrencyRule.objects.unscoped(NATURAL_KEY)
            .filter(partnership_id=values["lead_organisation"].partnership_id)
            .first()
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> CurrencyRule:
        lead = values["lead_organisation"]
        partnership = lead.partnership
        if partnership.lead_organisation_id != lead.pk:
            raise ValidationError({"lead_organisation": NOT_THE_LEAD.format(code=lead.code)})
        return services.set_currency_rule(
            actor=ctx.actor,
            partnership=partnership,
            **{name: values[name] for name in RULE_FIELDS},
        )

    def update(self, obj: CurrencyRule, values: dict[str, Any], ctx: ImportContext) -> CurrencyRule:
        return self.create(values, ctx)

    def records(self, viewer: Viewer) -> QuerySet[CurrencyRule]:
        return (
            CurrencyRule.objects.visible_to(viewer, "manage")
            .filter(partnership__lead_organisation__isnull=False)  # a row names its lead
            .select_related("partnership__lead_organisation")
            .order_by("partnership__name")
        )


NOT_THE_LEAD = "{code} is not the lead organisation of its partnership, which sets these rules."
