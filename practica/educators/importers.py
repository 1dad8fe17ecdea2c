"""Import kinds of the register (``practice-educators``) and of PEPS training
(``peps-enrolments``); see docs/0004-imports.md for the framework."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Field, QuerySet
from django.utils import timezone
from django.utils.text import capfirst

from practica.accounts.models import User
from practica.core import academic_years
from practica.core import services as core_services
from practica.core.models import AcademicYear, Location, Organisation, Person, Team
from practica.educators import services
from practica.educators.models import (
    ActivityKind,
    ApplicationScore,
    CurrencyRule,
    Decision,
    Outcome,
    PeApplication,
    PepsCohort,
    PepsEnrolment,
    PepsStage,
    PracticeEducator,
    PracticeEducatorActivity,
    SelectionCriterion,
)
from practica.imports import lookups
from practica.imports import parsers as p
from practica.imports.framework import (
    KEEP,
    Column,
    ImportContext,
    Importer,
    as_columns,
    key_of,
    model_problems,
)
from practica.imports.registry import register_importer

# why the queries below read every organisation's rows (core/scoping.py)
NATURAL_KEY = "an import finds the record a row names by its natural key; rows are checked against the importer's organisations"

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

ANOTHER_ORGANISATION = "this e-mail address belongs to someone of another organisation."
DATE_HELP = "A date like 2019-06-30 or 30/06/2019"
REGISTER_FIELDS = (
    "peps_stage",
    "stage1_date",
    "stage2_date",
    "independent",
    "last_student_date",
    "last_training_date",
)


# PEPS stage 1 or 2, which the records hold as a number
STAGE = p.Cell(p.choice(["1", "2"]).parse, key=str)


def _educator(email: str) -> PracticeEducator | None:
    """The practice educator on the register with this e-mail address."""
    return (
        PracticeEducator.objects.unscoped(NATURAL_KEY)
        .select_related("person")
        .filter(person__email__iexact=email)
        .first()
    )


def _educator_problems(values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
    """The row's practice educator (its e-mail address) must be on the register and work for
    the row's organisation, unless an earlier file of the batch adds them."""
    organisation = values["organisation"]
    if not isinstance(organisation, Organisation) or ctx.is_pending(
        "practice-educators", values["email"]
    ):
        return []
    educator = _educator(values["email"])
    if educator is None:
        return [("email", "no practice educator on the register has this e-mail address.")]
    if educator.person.organisation_id != organisation.pk:
        return [("email", f"this practice educator does not work for {organisation.code}.")]
    return []


def _current_activities(educator: PracticeEducator) -> set[str]:
    current = PracticeEducatorActivity.current_on(timezone.localdate())
    return set(educator.activities.filter(current).values_list("kind", flat=True))


@register_importer
class PracticeEducatorImporter(Importer):
    kind = "practice-educators"
    title = "Practice educators"
    description = (
        "The practice educator register: one row per practice educator, found by e-mail address "
        "(the person is added if they are new). The activities column states their current "
        "activities: those listed start on the day of the import if they are new, and others "
        "end that day. Leave the column out to keep activities as they are (an export does: "
        "their dates travel in a pe-activities file)."
    )
    columns = [
        Column(
            "email",
            p.email,
            required=True,
            example="priya.patel@medway.gov.uk",
            source="person.email",
        ),
        Column(
            "first_name",
            p.text(max_length=100),
            required=True,
            example="Priya",
            source="person.first_name",
        ),
        Column(
            "last_name",
            p.text(max_length=100),
            required=True,
            example="Patel",
            source="person.last_name",
        ),
        Column(
            "organisation",
            p.organisation,
            required=True,
            help="Employer's code",
            example="MC",
            source="person.organisation",
        ),
        Column(
            "team",
            p.text(max_length=200, ignore_case=True),
            help="A team of the organisation",
            source="person.team.name",
        ),
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
            p.choice(PepsStage.values),
            required=True,
            help=" | ".join(PepsStage.values),
            example="stage2",
        ),
        Column("stage1_date", p.date, help=DATE_HELP, example="2016-07-01"),
        Column("stage2_date", p.date, help=DATE_HELP, example="2018-07-01"),
        Column(
            "activities",
            p.multi_choice(ActivityKind.values),
            help=";".join(ActivityKind.values),
            example="student_pe;peps_assessor",
            keep_if_missing=True,
            source=_current_activities,
            # as of the day of the import: their dates travel in a pe-activities file
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

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        """Everything that can be known before writing: the person's organisation, the team and
        location, and the register's own rules (stages and their dates)."""
        organisation = values["organisation"]
        if not isinstance(organisation, Organisation):
            return []  # created by an earlier file of this batch: checked when it exists
        problems: list[tuple[str, str]] = []
        person = lookups.person(ctx, email=values["email"])
        if person is not None and person.organisation_id != organisation.pk:
            problems.append(("email", ANOTHER_ORGANISATION))
        team = values["team"]
        if (
            team
            and not ctx.is_pending("teams", organisation, team)
            and lookups.team(ctx, organisation, team) is None
        ):
            problems.append(("team", f"{organisation.code} has no team “{team}”; add it first."))
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
        entry = PracticeEducator(
            **self._register_fields(values), location=location, service_area=values["service_area"]
        )
        return problems + model_problems(entry, exclude=["person"], default="peps_stage")

    def find(self, values: dict[str, Any], ctx: ImportContext) -> PracticeEducator | None:
        return (
            PracticeEducator.objects.unscoped(NATURAL_KEY)
            .select_related("person__team", "location", "service_area")
            .filter(person__email__iexact=values["email"])
            .first()
        )

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
            raise ValidationError({"email": ANOTHER_ORGANISATION})
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
            reviewer = User.objects.filter(email__iexact=values["reviewed_by"]).first()
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


ENROLMENT_COLUMNS = {
    "educator": "email",
    "outcome_date": "outcome_date",
    "outcome": "outcome",
    "assessor": "assessor",
}


@register_importer
class PepsEnrolmentImporter(Importer):
    kind = "peps-enrolments"
    title = "PEPS enrolments"
    description = (
        "Candidates supported through PEPS Stage 1 or Stage 2 training, per organisation and "
        "academic year, with their outcome. The practice educator must be on the register; a "
        "pass gives them the stage from the outcome date."
    )
    columns = [
        Column(
            "email",
            p.email,
            required=True,
            help="The candidate's e-mail on the register",
            source="educator.person.email",
        ),
        Column(
            "organisation",
            p.organisation,
            required=True,
            help="Code of the organisation",
            source="cohort.organisation",
        ),
        Column(
            "academic_year",
            p.academic_year,
            required=True,
            example="2019/20",
            source="cohort.academic_year",
        ),
        Column("stage", STAGE, required=True, help="1 | 2", example="1", source="cohort.stage"),
        Column(
            "outcome",
            p.choice(Outcome.values),
            required=True,
            help=" | ".join(Outcome.values),
            example="passed",
        ),
        Column("outcome_date", p.date, help="Empty while enrolled; " + DATE_HELP),
        Column(
            "assessor",
            p.email,
            help="E-mail of their assessor or mentor, a Stage 2 PE of the organisation",
            keep_if_missing=True,
            source="assessor.person.email",
        ),
    ]
    natural_key = ("email", "organisation", "academic_year", "stage")
    depends_on = ("organisations", "practice-educators")

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        year = values.get("academic_year")
        return (
            *key_of(values, ("email", "organisation", "stage")),
            year.start_year if isinstance(year, AcademicYear) else year,
        )

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        outcome, when = values["outcome"], values["outcome_date"]
        year: AcademicYear = values["academic_year"]
        if outcome == Outcome.ENROLLED and when is not None:
            problems.append(("outcome_date", "leave it empty while the candidate is enrolled."))
        if outcome != Outcome.ENROLLED and when is None:
            problems.append(("outcome_date", f"is empty; a {outcome} outcome needs its date."))
        if when is not None and when > timezone.localdate():
            problems.append(("outcome_date", "cannot be in the future."))
        if when is not None and when < academic_years.bounds(year.start_year)[0]:
            problems.append(("outcome_date", f"is before academic year {year.label} began."))
        problems.extend(_educator_problems(values, ctx))
        assessor = values["assessor"]
        if (
            assessor
            and not ctx.is_pending("practice-educators", assessor)
            and _educator(assessor) is None
        ):
            problems.append(("assessor", "no practice educator on the register has this address."))
        return problems

    def find(self, values: dict[str, Any], ctx: ImportContext) -> PepsEnrolment | None:
        return (
            PepsEnrolment.objects.unscoped(NATURAL_KEY)
            .filter(
                educator__person__email__iexact=values["email"],
                cohort__organisation=values["organisation"],
                cohort__academic_year__start_year=values["academic_year"].start_year,
                cohort__stage=int(values["stage"]),
            )
            .first()
        )

    def _assessor_changes(self, enrolment: PepsEnrolment, values: dict[str, Any]) -> bool:
        return not self.column("assessor").same(enrolment, values["assessor"])

    def create(self, values: dict[str, Any], ctx: ImportContext) -> PepsEnrolment:
        cohort = services.ensure_peps_cohort(
            actor=ctx.actor,
            organisation=values["organisation"],
            start_year=values["academic_year"].start_year,
            stage=int(values["stage"]),
        )
        return self._record(cohort, values, ctx)

    def update(
        self, obj: PepsEnrolment, values: dict[str, Any], ctx: ImportContext
    ) -> PepsEnrolment:
        return self._record(obj.cohort, values, ctx)

    def _record(
        self, cohort: PepsCohort, values: dict[str, Any], ctx: ImportContext
    ) -> PepsEnrolment:
        educator = PracticeEducator.objects.unscoped(NATURAL_KEY).get(
            person__email__iexact=values["email"]
        )
        try:
            enrolment = services.record_peps_enrolment(
                actor=ctx.actor,
                cohort=cohort,
                educator=educator,
                outcome=values["outcome"],
                outcome_date=values["outcome_date"],
            )
            if self._assessor_changes(enrolment, values):
                assessor = None
                if values["assessor"]:
                    assessor = PracticeEducator.objects.unscoped(NATURAL_KEY).get(
                        person__email__iexact=values["assessor"]
                    )
                enrolment = services.set_enrolment_assessor(
                    actor=ctx.actor, enrolment=enrolment, assessor=assessor
                )
            return enrolment
        except ValidationError as error:
            raise as_columns(error, ENROLMENT_COLUMNS, "outcome") from error

    def records(self, viewer: Viewer) -> QuerySet[PepsEnrolment]:
        return (
            PepsEnrolment.objects.visible_to(viewer, "manage")
            .select_related(
                "educator__person",
                "cohort__organisation",
                "cohort__academic_year",
                "assessor__person",
            )
            .order_by(
                "educator__person__email",
                "cohort__organisation__code",
                "cohort__academic_year__start_year",
                "cohort__stage",
            )
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
            p.choice(ActivityKind.values),
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
        problems: list[tuple[str, str]] = []
        if values["ended_on"] and values["ended_on"] < values["started_on"]:
            problems.append(("ended_on", "An activity cannot end before it starts."))
        return problems + _educator_problems(values, ctx)

    def find(self, values: dict[str, Any], ctx: ImportContext) -> PracticeEducatorActivity | None:
        return (
            PracticeEducatorActivity.objects.unscoped(NATURAL_KEY)
            .filter(
                educator__person__email__iexact=values["email"],
                kind=values["activity"],
                started_on=values["started_on"],
            )
            .first()
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> PracticeEducatorActivity:
        educator = _educator(values["email"])
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


@register_importer
class SelectionCriterionImporter(Importer):
    kind = "selection-criteria"
    title = "Practice educator selection criteria"
    description = (
        "The criteria an organisation publishes for selecting practice educator candidates, "
        "found by organisation and title."
    )
    columns = [
        Column("organisation", p.organisation, required=True, help="Code of the organisation"),
        Column("title", p.text(max_length=200), required=True, example="Reflective practice"),
        Column("description", p.text(max_length=5000), help="What the panel looks for"),
        Column(
            "max_score",
            p.integer(minimum=1, maximum=100),
            help="Empty: 5",
            example="5",
            default=5,
        ),
        Column(
            "position",
            p.integer(minimum=0, maximum=32767),
            help="Order on the score sheet",
            default=0,
        ),
        Column(
            "in_use",
            p.yes_no,
            help="yes | no (empty: yes)",
            example="yes",
            default=True,
            source="is_active",
        ),
    ]
    natural_key = ("organisation", "title")
    depends_on = ("organisations",)

    def find(self, values: dict[str, Any], ctx: ImportContext) -> SelectionCriterion | None:
        return (
            SelectionCriterion.objects.unscoped(NATURAL_KEY)
            .filter(organisation=values["organisation"], title__iexact=values["title"])
            .first()
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> SelectionCriterion:
        fields = self._fields(values)
        criterion = services.create_selection_criterion(
            actor=ctx.actor,
            organisation=values["organisation"],
            title=values["title"],
            description=fields["description"],
            max_score=fields["max_score"],
            position=fields["position"],
        )
        if not fields["is_active"]:
            return self.update(criterion, values, ctx)
        return criterion

    def update(
        self, obj: SelectionCriterion, values: dict[str, Any], ctx: ImportContext
    ) -> SelectionCriterion:
        return services.update_selection_criterion(
            actor=ctx.actor, criterion=obj, title=values["title"], **self._fields(values)
        )

    def _fields(self, values: dict[str, Any]) -> dict[str, Any]:
        return {
            "description": values["description"] or "",
            "max_score": values["max_score"],
            "position": values["position"],
            "is_active": values["in_use"],
        }

    def records(self, viewer: Viewer) -> QuerySet[SelectionCriterion]:
        return (
            SelectionCriterion.objects.visible_to(viewer, "manage")
            .select_related("organisation")
            .order_by("organisation__code", "title")
        )


def _applicant_key(values: dict[str, Any]) -> tuple[Any, ...]:
    return key_of(values, ("email", "stage", "submitted_at"))


def _application(values: dict[str, Any]) -> PeApplication | None:
    return (
        PeApplication.objects.unscoped(NATURAL_KEY)
        .select_related("applicant", "decided_by")
        .prefetch_related("panel_members__person")
        .filter(
            applicant__email__iexact=values["email"],
            stage=int(values["stage"]),
            created_at=values["submitted_at"],
        )
        .first()
    )


def _application_key(path: str = "") -> list[Column]:
    """The columns that name an application; ``path`` leads from the record to it."""
    return [
        Column(
            "email",
            p.email,
            required=True,
            help="The applicant's e-mail address",
            source=f"{path}applicant.email",
        ),
        Column(
            "organisation",
            p.organisation,
            required=True,
            help="The applicant's employer's code",
            source=f"{path}organisation",
        ),
        Column("stage", STAGE, required=True, help="1 | 2", example="1", source=f"{path}stage"),
        Column(
            "submitted_at",
            p.date_time,
            required=True,
            help="When the application was made, like 2019-03-04 10:30",
            example="2019-03-04 10:30",
            source=f"{path}created_at",
        ),
    ]


@register_importer
class PeApplicationImporter(Importer):
    kind = "pe-applications"
    title = "Applications to be a practice educator"
    description = (
        "Applications to train for PEPS Stage 1 or 2, at whatever point each reached: the "
        "written application, the line manager's answer, the selection panel and interview, "
        "and the decision with its feedback letter. Nothing is e-mailed by the import. The "
        "panel's scores go in a pe-application-scores file."
    )
    columns = [
        *_application_key(),
        Column("statement", p.text(max_length=20000), required=True),
        Column("line_manager_name", p.text(max_length=200), required=True),
        Column("line_manager_email", p.email, required=True),
        Column("line_manager_supports", p.yes_no, help="yes | no (empty: not answered yet)"),
        Column("line_manager_statement", p.text(max_length=20000)),
        Column("support_given_at", p.date_time, help="When the line manager answered"),
        Column(
            "panel",
            p.email_list,
            help="Panel members' e-mails, one per line or separated by ;",
            source=lambda application: [
                member.person.email for member in application.panel_members.all()
            ],
        ),
        Column("interview_at", p.date_time, help="The panel interview"),
        Column("decision", p.choice(Decision.values), help=" | ".join(Decision.values)),
        Column("decided_on", p.date, help=DATE_HELP),
        Column(
            "decided_by",
            p.user_email,
            help="E-mail of the user who recorded the decision",
            source="decided_by.email",
        ),
        Column("feedback_letter", p.text(max_length=20000)),
        Column("feedback_sent_to", p.email, help="Where the letter was e-mailed, if it was"),
    ]
    natural_key = ("email", "stage", "submitted_at")
    depends_on = ("organisations", "people", "users", "practice-educators", "peps-enrolments")

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return _applicant_key(values)

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        organisation = values["organisation"]
        problems = model_problems(
            PeApplication(**self._fields(values, decided_by=None)),
            exclude=["organisation", "applicant", "decided_by", "enrolment"],
            default="decision",
        )
        if not isinstance(organisation, Organisation):
            return problems
        if not ctx.is_pending("people", values["email"]):
            applicant = lookups.person(ctx, email=values["email"])
            if applicant is None:
                problems.append(("email", "no such person; add them in a people file first."))
            elif applicant.organisation_id != organisation.pk:
                problems.append(("email", f"this person does not work for {organisation.code}."))
        for email in values["panel"] or []:
            if not ctx.is_pending("people", email) and lookups.person(ctx, email=email) is None:
                problems.append(("panel", f"no person has the e-mail address {email}."))
        return problems

    def _fields(self, values: dict[str, Any], *, decided_by: User | None) -> dict[str, Any]:
        return {
            "stage": int(values["stage"]),
            "statement": values["statement"],
            "line_manager_name": values["line_manager_name"],
            "line_manager_email": values["line_manager_email"],
            "line_manager_supports": values["line_manager_supports"],
            "line_manager_statement": values["line_manager_statement"] or "",
            "support_given_at": values["support_given_at"],
            "interview_at": values["interview_at"],
            "decision": values["decision"] or "",
            "decided_on": values["decided_on"],
            "decided_by": decided_by,
            "feedback_letter": values["feedback_letter"] or "",
            "feedback_sent_to": values["feedback_sent_to"] or "",
        }

    def find(self, values: dict[str, Any], ctx: ImportContext) -> PeApplication | None:
        return _application(values)

    def create(self, values: dict[str, Any], ctx: ImportContext) -> PeApplication:
        applicant = lookups.person(ctx, email=values["email"])
        panel = [lookups.person(ctx, email=email) for email in values["panel"] or []]
        if applicant is None or None in panel:  # checked before applying
            raise ValidationError({"email": "The applicant or a panel member was not found."})
        decider = None
        if values["decided_by"]:
            decider = User.objects.filter(email__iexact=values["decided_by"]).first()
        fields = self._fields(values, decided_by=decider)
        del fields["stage"]
        try:
            return services.record_pe_application(
                actor=ctx.actor,
                record=services.RecordedApplication(
                    applicant=applicant,
                    stage=int(values["stage"]),
                    created_at=values["submitted_at"],
                    panel=[member for member in panel if member is not None],
                    **fields,
                ),
            )
        except ValidationError as error:
            raise as_columns(error, {"applicant": "email"}, "decision") from error

    def update(
        self, obj: PeApplication, values: dict[str, Any], ctx: ImportContext
    ) -> PeApplication:
        return self.create(values, ctx)

    def records(self, viewer: Viewer) -> QuerySet[PeApplication]:
        return (
            PeApplication.objects.visible_to(viewer, "manage")
            .select_related("applicant", "organisation", "decided_by")
            .prefetch_related("panel_members__person")
            .order_by("applicant__email", "stage", "created_at")
        )


@register_importer
class ApplicationScoreImporter(Importer):
    kind = "pe-application-scores"
    title = "Selection panels' scores"
    description = (
        "The panel's score of an application against each published criterion, with its "
        "comment: one row per application and criterion. The application is found as in the "
        "pe-applications file; the criterion by its title."
    )
    columns = [
        *_application_key("application."),
        Column(
            "criterion",
            p.text(max_length=200, ignore_case=True),  # finds the criterion; never renames it
            required=True,
            help="The criterion's title",
            source="criterion.title",
        ),
        Column("score", p.integer(minimum=0, maximum=100), required=True, example="4"),
        Column("comment", p.text(max_length=5000)),
    ]
    natural_key = ("email", "stage", "submitted_at", "criterion")
    depends_on = ("pe-applications", "selection-criteria")

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return (*_applicant_key(values), *key_of(values, ("criterion",)))

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        organisation = values["organisation"]
        if not isinstance(organisation, Organisation):
            return []
        problems: list[tuple[str, str]] = []
        if (
            not ctx.is_pending("pe-applications", *_applicant_key(values))
            and _application(values) is None
        ):
            problems.append(
                ("submitted_at", "no application of this person, stage and time is recorded.")
            )
        if not ctx.is_pending("selection-criteria", organisation, values["criterion"]):
            criterion = self._criterion(values)
            if criterion is None:
                problems.append(
                    ("criterion", f"{organisation.code} publishes no criterion with this title.")
                )
            elif values["score"] > criterion.max_score:
                problems.append(
                    ("score", f"The highest score for {criterion} is {criterion.max_score}.")
                )
        return problems

    def _criterion(self, values: dict[str, Any]) -> SelectionCriterion | None:
        return (
            SelectionCriterion.objects.unscoped(NATURAL_KEY)
            .filter(organisation=values["organisation"], title__iexact=values["criterion"])
            .first()
        )

    def find(self, values: dict[str, Any], ctx: ImportContext) -> ApplicationScore | None:
        return (
            ApplicationScore.objects.unscoped(NATURAL_KEY)
            .filter(
                application=_application(values),
                criterion__organisation=values["organisation"],
                criterion__title__iexact=values["criterion"],
            )
            .first()
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> ApplicationScore:
        application, criterion = _application(values), self._criterion(values)
        if application is None or criterion is None:  # checked before applying
            raise ValidationError({"criterion": "The application or criterion was not found."})
        return services.record_application_score(
            actor=ctx.actor,
            application=application,
            criterion=criterion,
            score=values["score"],
            comment=values["comment"] or "",
        )

    def update(
        self, obj: ApplicationScore, values: dict[str, Any], ctx: ImportContext
    ) -> ApplicationScore:
        return self.create(values, ctx)

    def records(self, viewer: Viewer) -> QuerySet[ApplicationScore]:
        applications = PeApplication.objects.visible_to(viewer, "manage")
        return (
            ApplicationScore.objects.unscoped(NATURAL_KEY)
            .filter(application__in=applications)
            .select_related("application__applicant", "application__organisation", "criterion")
            .order_by(
                "application__applicant__email",
                "application__stage",
                "application__created_at",
                "criterion__title",
            )
        )
