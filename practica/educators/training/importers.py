"""The ``peps-enrolments`` import kind: PEPS candidates and their outcomes; see
docs/0004-imports.md for the framework."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from practica.core import academic_years
from practica.core.models import AcademicYear
from practica.educators.register.importers import (
    DATE_HELP,
    educator_problems,
    educator_with_email,
)
from practica.educators.register.models import PracticeEducator
from practica.educators.training import services
from practica.educators.training.models import Outcome, PepsCohort, PepsEnrolment
from practica.imports import parsers as p
from practica.imports.framework import (
    NATURAL_KEY,
    Column,
    ImportContext,
    Importer,
    as_columns,
    key_of,
)
from practica.imports.registry import register_importer

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer


# PEPS stage 1 or 2, which the records hold as a number
STAGE = p.Cell(p.choice(["1", "2"]).parse, key=str)

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
            p.choice(Outcome),
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
        problems.extend(educator_problems(values, ctx))
        assessor = values["assessor"]
        if (
            assessor
            and not ctx.is_pending("practice-educators", assessor)
            and educator_with_email(assessor) is None
        ):
            problems.append(("assessor", "no practice educator on the register has this address."))
        return problems

    def find(self, values: dict[str, Any], ctx: ImportContext) -> PepsEnrolment | None:
        return (
            PepsEnrolment.objects.unscoped(NATURAL_KEY)
            .filter(
                educator__person__email__address=values["email"],
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
            person__email__address=values["email"]
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
                        person__email__address=values["assessor"]
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
