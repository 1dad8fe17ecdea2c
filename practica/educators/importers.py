"""Import kinds of the register (``practice-educators``) and of PEPS training
(``peps-enrolments``); see docs/0004-imports.md for the framework."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Field
from django.utils import timezone
from django.utils.text import capfirst

from practica.accounts.models import User
from practica.core import academic_years
from practica.core import services as core_services
from practica.core.models import AcademicYear, Location, Organisation, Person, ServiceArea, Team
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
from practica.imports import parsers as p
from practica.imports.framework import (
    KEEP,
    Column,
    ImportCellError,
    ImportContext,
    Importer,
    as_columns,
    key_of,
)
from practica.imports.registry import register_importer

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


def service_area(value: str, ctx: ImportContext) -> ServiceArea:
    key = ("service_area", value.strip().lower())
    if key not in ctx.cache:
        ctx.cache[key] = ServiceArea.objects.filter(code=key[1]).first()
    area: ServiceArea | None = ctx.cache[key]
    if area is None:
        codes = ", ".join(ServiceArea.objects.values_list("code", flat=True))
        raise ImportCellError(f"“{value}” is not a service area; use one of: {codes}.")
    return area


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
        Column("email", p.email, required=True, example="priya.patel@medway.gov.uk"),
        Column("first_name", p.text(max_length=100), required=True, example="Priya"),
        Column("last_name", p.text(max_length=100), required=True, example="Patel"),
        Column("organisation", p.organisation, required=True, help="Employer's code", example="MC"),
        Column("team", p.text(max_length=200), help="A team of the organisation"),
        Column(
            "service_area", p.Cell(service_area), help="childrens | adults | mental_health | other"
        ),
        Column("location", p.text(max_length=120), help="A location of the organisation"),
        Column("independent", p.yes_no, help="yes | no (off-site PE)", example="no"),
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
        ),
        Column("last_student_date", p.date, help=DATE_HELP, example="2019-12-20"),
        Column("last_training_date", p.date, help=DATE_HELP, example="2019-10-01"),
        Column(
            "reviewed_on",
            p.date,
            help="Last annual review of the entry (empty: none to record)",
            keep_if_missing=True,
        ),
        Column(
            "reviewed_by",
            p.user_email,
            help="E-mail of the user who reviewed it (with reviewed_on)",
            keep_if_missing=True,
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
        person = Person.objects.filter(email__iexact=values["email"]).first()
        if person is not None and person.organisation_id != organisation.pk:
            problems.append(("email", ANOTHER_ORGANISATION))
        team = values["team"]
        if (
            team
            and not ctx.is_pending("teams", organisation, team)
            and not Team.objects.filter(organisation=organisation, name__iexact=team).exists()
        ):
            problems.append(("team", f"{organisation.code} has no team “{team}”; add it first."))
        location = None
        if values["location"]:
            location = Location.objects.filter(
                organisation=organisation, name__iexact=values["location"]
            ).first()
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
        try:
            entry.full_clean(exclude=["person"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = "peps_stage" if name == "__all__" else name
                problems.extend((column, message) for message in messages)
        return problems

    def find(self, values: dict[str, Any], ctx: ImportContext) -> PracticeEducator | None:
        return (
            PracticeEducator.objects.select_related("person__team", "location", "service_area")
            .filter(person__email__iexact=values["email"])
            .first()
        )

    def is_unchanged(
        self, obj: PracticeEducator, values: dict[str, Any], ctx: ImportContext
    ) -> bool:
        person = obj.person
        current = set(
            obj.activities.filter(
                PracticeEducatorActivity.current_on(timezone.localdate())
            ).values_list("kind", flat=True)
        )
        return (
            (person.first_name, person.last_name) == (values["first_name"], values["last_name"])
            and (person.team.name.lower() if person.team else "") == (values["team"] or "").lower()
            and (obj.location.name.lower() if obj.location else "")
            == (values["location"] or "").lower()
            and obj.service_area == values["service_area"]
            and all(
                getattr(obj, name) == value for name, value in self._register_fields(values).items()
            )
            and (values["activities"] is KEEP or current == set(values["activities"] or []))
            and not self._review_changes(obj, values)
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> PracticeEducator:
        person = Person.objects.filter(email__iexact=values["email"]).first()
        if person is None:
            person = core_services.create_person(
                actor=ctx.actor,
                organisation=values["organisation"],
                first_name=values["first_name"],
                last_name=values["last_name"],
                email=values["email"],
                team=self._team(values),
            )
        else:
            self._update_person(person, values, ctx)
        educator = services.create_practice_educator(
            actor=ctx.actor,
            person=person,
            service_area=values["service_area"],
            location=self._location(values),
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
            location=self._location(values),
            team=obj.person.team,
            **self._register_fields(values),
        )
        self._activities(educator, values, ctx)
        self._review(educator, values, ctx)
        return educator

    def _register_fields(self, values: dict[str, Any]) -> dict[str, Any]:
        fields = {name: values[name] for name in REGISTER_FIELDS}
        fields["independent"] = bool(values["independent"])
        return fields

    def _team(self, values: dict[str, Any]) -> Team | None:
        if not values["team"]:
            return None
        return Team.objects.filter(
            organisation=values["organisation"], name__iexact=values["team"]
        ).first()

    def _location(self, values: dict[str, Any]) -> Location | None:
        if not values["location"]:
            return None
        return Location.objects.filter(
            organisation=values["organisation"], name__iexact=values["location"]
        ).first()

    def _update_person(self, person: Person, values: dict[str, Any], ctx: ImportContext) -> None:
        team = self._team(values)
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

    def export_rows(self, viewer: Viewer) -> list[dict[str, str]]:
        educators = (
            PracticeEducator.objects.visible_to(viewer, "manage")
            .select_related(
                "person__organisation", "person__team", "service_area", "location", "reviewed_by"
            )
            .order_by("person__email")
        )
        return [
            {
                "email": e.person.email,
                "first_name": e.person.first_name,
                "last_name": e.person.last_name,
                "organisation": e.person.organisation.code,
                "team": e.person.team.name if e.person.team else "",
                "service_area": e.service_area.code if e.service_area else "",
                "location": e.location.name if e.location else "",
                "independent": "yes" if e.independent else "no",
                "peps_stage": e.peps_stage,
                "stage1_date": _iso(e.stage1_date),
                "stage2_date": _iso(e.stage2_date),
                "last_student_date": _iso(e.last_student_date),
                "last_training_date": _iso(e.last_training_date),
                "reviewed_on": _iso(e.reviewed_on),
                "reviewed_by": e.reviewed_by.email if e.reviewed_by else "",
            }
            for e in educators
        ]


def _iso(value: Any) -> str:
    return value.isoformat() if value else ""


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
        Column("email", p.email, required=True, help="The candidate's e-mail on the register"),
        Column("organisation", p.organisation, required=True, help="Code of the organisation"),
        Column("academic_year", p.academic_year, required=True, example="2019/20"),
        Column("stage", p.choice(["1", "2"]), required=True, help="1 | 2", example="1"),
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
        organisation = values["organisation"]
        if isinstance(organisation, Organisation) and not ctx.is_pending(
            "practice-educators", values["email"]
        ):
            educator = (
                PracticeEducator.objects.filter(person__email__iexact=values["email"])
                .select_related("person")
                .first()
            )
            if educator is None:
                problems.append(
                    ("email", "no practice educator on the register has this e-mail address.")
                )
            elif educator.person.organisation_id != organisation.pk:
                problems.append(
                    ("email", f"this practice educator does not work for {organisation.code}.")
                )
        assessor = values["assessor"]
        if (
            assessor
            and not ctx.is_pending("practice-educators", assessor)
            and not PracticeEducator.objects.filter(person__email__iexact=assessor).exists()
        ):
            problems.append(("assessor", "no practice educator on the register has this address."))
        return problems

    def find(self, values: dict[str, Any], ctx: ImportContext) -> PepsEnrolment | None:
        return PepsEnrolment.objects.filter(
            educator__person__email__iexact=values["email"],
            cohort__organisation=values["organisation"],
            cohort__academic_year__start_year=values["academic_year"].start_year,
            cohort__stage=int(values["stage"]),
        ).first()

    def is_unchanged(self, obj: PepsEnrolment, values: dict[str, Any], ctx: ImportContext) -> bool:
        return (obj.outcome, obj.outcome_date) == (
            values["outcome"],
            values["outcome_date"],
        ) and not self._assessor_changes(obj, values)

    def _assessor_changes(self, enrolment: PepsEnrolment, values: dict[str, Any]) -> bool:
        if values["assessor"] is KEEP:
            return False
        current = enrolment.assessor.person.email.lower() if enrolment.assessor else None
        return current != (values["assessor"] or None)

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
        educator = PracticeEducator.objects.get(person__email__iexact=values["email"])
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
                    assessor = PracticeEducator.objects.get(
                        person__email__iexact=values["assessor"]
                    )
                enrolment = services.set_enrolment_assessor(
                    actor=ctx.actor, enrolment=enrolment, assessor=assessor
                )
            return enrolment
        except ValidationError as error:
            raise as_columns(error, ENROLMENT_COLUMNS, "outcome") from error

    def export_rows(self, viewer: Viewer) -> list[dict[str, str]]:
        enrolments = (
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
        return [
            {
                "email": e.educator.person.email,
                "organisation": e.cohort.organisation.code,
                "academic_year": e.cohort.academic_year.label,
                "stage": str(e.cohort.stage),
                "outcome": e.outcome,
                "outcome_date": _iso(e.outcome_date),
                "assessor": e.assessor.person.email if e.assessor else "",
            }
            for e in enrolments
        ]


@register_importer
class ActivityImporter(Importer):
    kind = "pe-activities"
    title = "Practice educator activities"
    description = (
        "Each activity of a practice educator on the register with its dates, current or ended "
        "(the history on their profile): found by e-mail, activity and start date."
    )
    columns = [
        Column("email", p.email, required=True, help="The practice educator's e-mail"),
        Column("organisation", p.organisation, required=True, help="Their employer's code"),
        Column(
            "activity",
            p.choice(ActivityKind.values),
            required=True,
            help=" | ".join(ActivityKind.values),
            example="student_pe",
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
        organisation = values["organisation"]
        if isinstance(organisation, Organisation) and not ctx.is_pending(
            "practice-educators", values["email"]
        ):
            educator = self._educator(values)
            if educator is None:
                problems.append(
                    ("email", "no practice educator on the register has this e-mail address.")
                )
            elif educator.person.organisation_id != organisation.pk:
                problems.append(
                    ("email", f"this practice educator does not work for {organisation.code}.")
                )
        return problems

    def _educator(self, values: dict[str, Any]) -> PracticeEducator | None:
        return (
            PracticeEducator.objects.select_related("person")
            .filter(person__email__iexact=values["email"])
            .first()
        )

    def find(self, values: dict[str, Any], ctx: ImportContext) -> PracticeEducatorActivity | None:
        return PracticeEducatorActivity.objects.filter(
            educator__person__email__iexact=values["email"],
            kind=values["activity"],
            started_on=values["started_on"],
        ).first()

    def is_unchanged(
        self, obj: PracticeEducatorActivity, values: dict[str, Any], ctx: ImportContext
    ) -> bool:
        return obj.ended_on == values["ended_on"]

    def create(self, values: dict[str, Any], ctx: ImportContext) -> PracticeEducatorActivity:
        educator = self._educator(values)
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

    def export_rows(self, viewer: Viewer) -> list[dict[str, str]]:
        activities = (
            PracticeEducatorActivity.objects.visible_to(viewer, "manage")
            .select_related("educator__person__organisation")
            .order_by("educator__person__email", "kind", "started_on")
        )
        return [
            {
                "email": a.educator.person.email,
                "organisation": a.educator.person.organisation.code,
                "activity": a.kind,
                "started_on": _iso(a.started_on),
                "ended_on": _iso(a.ended_on),
            }
            for a in activities
        ]


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
        Column("lead_organisation", p.organisation, required=True, help="The lead's code"),
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
        try:
            CurrencyRule(**{name: values[name] for name in RULE_FIELDS}).full_clean(
                exclude=["partnership"]
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = "warning_months" if name == "__all__" else name
                problems.extend((column, message) for message in messages)
        return problems

    def find(self, values: dict[str, Any], ctx: ImportContext) -> CurrencyRule | None:
        return CurrencyRule.objects.filter(
            partnership_id=values["lead_organisation"].partnership_id
        ).first()

    def is_unchanged(self, obj: CurrencyRule, values: dict[str, Any], ctx: ImportContext) -> bool:
        return all(getattr(obj, name) == values[name] for name in RULE_FIELDS)

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

    def export_rows(self, viewer: Viewer) -> list[dict[str, str]]:
        rules = (
            CurrencyRule.objects.visible_to(viewer, "manage")
            .select_related("partnership__lead_organisation")
            .order_by("partnership__name")
        )
        return [
            {
                "lead_organisation": rule.partnership.lead_organisation.code,
                **{name: str(getattr(rule, name)) for name in RULE_FIELDS},
            }
            for rule in rules
            if rule.partnership.lead_organisation is not None
        ]


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
        Column("max_score", p.integer(minimum=1, maximum=100), help="Empty: 5", example="5"),
        Column("position", p.integer(minimum=0, maximum=32767), help="Order on the score sheet"),
        Column("in_use", p.yes_no, help="yes | no (empty: yes)", example="yes"),
    ]
    natural_key = ("organisation", "title")
    depends_on = ("organisations",)

    def find(self, values: dict[str, Any], ctx: ImportContext) -> SelectionCriterion | None:
        return SelectionCriterion.objects.filter(
            organisation=values["organisation"], title__iexact=values["title"]
        ).first()

    def is_unchanged(
        self, obj: SelectionCriterion, values: dict[str, Any], ctx: ImportContext
    ) -> bool:
        wanted = self._fields(values)
        return obj.title == values["title"] and all(
            getattr(obj, name) == value for name, value in wanted.items()
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
            "max_score": 5 if values["max_score"] is None else values["max_score"],
            "position": values["position"] or 0,
            "is_active": values["in_use"] is not False,
        }

    def export_rows(self, viewer: Viewer) -> list[dict[str, str]]:
        criteria = (
            SelectionCriterion.objects.visible_to(viewer, "manage")
            .select_related("organisation")
            .order_by("organisation__code", "title")
        )
        return [
            {
                "organisation": c.organisation.code,
                "title": c.title,
                "description": c.description,
                "max_score": str(c.max_score),
                "position": str(c.position),
                "in_use": "yes" if c.is_active else "no",
            }
            for c in criteria
        ]


def _when(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S.%f") if value else ""


def _applicant_key(values: dict[str, Any]) -> tuple[Any, ...]:
    return key_of(values, ("email", "stage", "submitted_at"))


def _application(values: dict[str, Any]) -> PeApplication | None:
    return (
        PeApplication.objects.select_related("applicant", "decided_by")
        .prefetch_related("panel_members__person")
        .filter(
            applicant__email__iexact=values["email"],
            stage=int(values["stage"]),
            created_at=values["submitted_at"],
        )
        .first()
    )


APPLICATION_KEY = [
    Column("email", p.email, required=True, help="The applicant's e-mail address"),
    Column("organisation", p.organisation, required=True, help="The applicant's employer's code"),
    Column("stage", p.choice(["1", "2"]), required=True, help="1 | 2", example="1"),
    Column(
        "submitted_at",
        p.date_time,
        required=True,
        help="When the application was made, like 2019-03-04 10:30",
        example="2019-03-04 10:30",
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
        *APPLICATION_KEY,
        Column("statement", p.text(max_length=20000), required=True),
        Column("line_manager_name", p.text(max_length=200), required=True),
        Column("line_manager_email", p.email, required=True),
        Column("line_manager_supports", p.yes_no, help="yes | no (empty: not answered yet)"),
        Column("line_manager_statement", p.text(max_length=20000)),
        Column("support_given_at", p.date_time, help="When the line manager answered"),
        Column("panel", p.lines, help="Panel members' e-mails, one per line or separated by ;"),
        Column("interview_at", p.date_time, help="The panel interview"),
        Column("decision", p.choice(Decision.values), help=" | ".join(Decision.values)),
        Column("decided_on", p.date, help=DATE_HELP),
        Column("decided_by", p.user_email, help="E-mail of the user who recorded the decision"),
        Column("feedback_letter", p.text(max_length=20000)),
        Column("feedback_sent_to", p.email, help="Where the letter was e-mailed, if it was"),
    ]
    natural_key = ("email", "stage", "submitted_at")
    depends_on = ("organisations", "people", "users", "practice-educators", "peps-enrolments")

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return _applicant_key(values)

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        organisation = values["organisation"]
        draft = PeApplication(**self._fields(values, decided_by=None))
        try:
            draft.full_clean(exclude=["organisation", "applicant", "decided_by", "enrolment"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = "decision" if name == "__all__" else name
                problems.extend((column, message) for message in messages)
        if not isinstance(organisation, Organisation):
            return problems
        if not ctx.is_pending("people", values["email"]):
            applicant = Person.objects.filter(email__iexact=values["email"]).first()
            if applicant is None:
                problems.append(("email", "no such person; add them in a people file first."))
            elif applicant.organisation_id != organisation.pk:
                problems.append(("email", f"this person does not work for {organisation.code}."))
        for email in values["panel"] or []:
            member = Person.objects.filter(email__iexact=email).select_related("organisation")
            if not ctx.is_pending("people", email) and not member.exists():
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

    def is_unchanged(self, obj: PeApplication, values: dict[str, Any], ctx: ImportContext) -> bool:
        fields = self._fields(values, decided_by=obj.decided_by)
        decider = obj.decided_by.email.lower() if obj.decided_by else None
        panel = {member.person.email.lower() for member in obj.panel_members.all()}
        return (
            all(getattr(obj, name) == value for name, value in fields.items())
            and decider == (values["decided_by"] or None)
            and panel == {email.lower() for email in values["panel"] or []}
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> PeApplication:
        applicant = Person.objects.get(email__iexact=values["email"])
        decider = None
        if values["decided_by"]:
            decider = User.objects.filter(email__iexact=values["decided_by"]).first()
        fields = self._fields(values, decided_by=decider)
        del fields["stage"]
        panel = [
            Person.objects.select_related("organisation").get(email__iexact=email)
            for email in values["panel"] or []
        ]
        try:
            return services.record_pe_application(
                actor=ctx.actor,
                record=services.RecordedApplication(
                    applicant=applicant,
                    stage=int(values["stage"]),
                    created_at=values["submitted_at"],
                    panel=panel,
                    **fields,
                ),
            )
        except ValidationError as error:
            raise as_columns(error, {"applicant": "email"}, "decision") from error

    def update(
        self, obj: PeApplication, values: dict[str, Any], ctx: ImportContext
    ) -> PeApplication:
        return self.create(values, ctx)

    def export_rows(self, viewer: Viewer) -> list[dict[str, str]]:
        applications = (
            PeApplication.objects.visible_to(viewer, "manage")
            .select_related("applicant", "organisation", "decided_by")
            .prefetch_related("panel_members__person")
            .order_by("applicant__email", "stage", "created_at")
        )
        return [
            {
                "email": a.applicant.email,
                "organisation": a.organisation.code,
                "stage": str(a.stage),
                "submitted_at": _when(a.created_at),
                "statement": a.statement,
                "line_manager_name": a.line_manager_name,
                "line_manager_email": a.line_manager_email,
                "line_manager_supports": {None: "", True: "yes", False: "no"}[
                    a.line_manager_supports
                ],
                "line_manager_statement": a.line_manager_statement,
                "support_given_at": _when(a.support_given_at),
                "panel": "\n".join(sorted(member.person.email for member in a.panel_members.all())),
                "interview_at": _when(a.interview_at),
                "decision": a.decision,
                "decided_on": _iso(a.decided_on),
                "decided_by": a.decided_by.email if a.decided_by else "",
                "feedback_letter": a.feedback_letter,
                "feedback_sent_to": a.feedback_sent_to,
            }
            for a in applications
        ]


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
        *APPLICATION_KEY,
        Column("criterion", p.text(max_length=200), required=True, help="The criterion's title"),
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
        return SelectionCriterion.objects.filter(
            organisation=values["organisation"], title__iexact=values["criterion"]
        ).first()

    def find(self, values: dict[str, Any], ctx: ImportContext) -> ApplicationScore | None:
        return ApplicationScore.objects.filter(
            application=_application(values),
            criterion__organisation=values["organisation"],
            criterion__title__iexact=values["criterion"],
        ).first()

    def is_unchanged(
        self, obj: ApplicationScore, values: dict[str, Any], ctx: ImportContext
    ) -> bool:
        return (obj.score, obj.comment) == (values["score"], values["comment"] or "")

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

    def export_rows(self, viewer: Viewer) -> list[dict[str, str]]:
        applications = PeApplication.objects.visible_to(viewer, "manage")
        scores = (
            ApplicationScore.objects.filter(application__in=applications)
            .select_related("application__applicant", "application__organisation", "criterion")
            .order_by(
                "application__applicant__email",
                "application__stage",
                "application__created_at",
                "criterion__title",
            )
        )
        return [
            {
                "email": s.application.applicant.email,
                "organisation": s.application.organisation.code,
                "stage": str(s.application.stage),
                "submitted_at": _when(s.application.created_at),
                "criterion": s.criterion.title,
                "score": str(s.score),
                "comment": s.comment,
            }
            for s in scores
        ]
