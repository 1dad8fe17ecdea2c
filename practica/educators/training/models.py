"""PEPS training's records: an organisation's cohort for a stage and year, and its candidates."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from practica.core.models import AcademicYear, Organisation
from practica.core.scoping import ScopedManager, ScopedModel
from practica.educators.register.models import PepsStage, PracticeEducator


class CohortStage(models.IntegerChoices):
    STAGE1 = 1, "PEPS Stage 1"
    STAGE2 = 2, "PEPS Stage 2"


class PepsCohort(ScopedModel):
    """The people an organisation supports through PEPS training at one stage in one year."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="peps_cohorts"
    )
    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.PROTECT, related_name="peps_cohorts"
    )
    stage = models.PositiveSmallIntegerField(choices=CohortStage.choices)
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[PepsCohort]]

    class Meta:
        ordering = ["-academic_year__start_year", "organisation__name", "stage"]
        verbose_name = "PEPS cohort"
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=[1, 2]), name="peps_cohort_stage_valid"),
            models.UniqueConstraint(
                fields=["organisation", "academic_year", "stage"],
                name="peps_cohort_unique",
                violation_error_message=(
                    "This organisation already has a cohort for this stage and academic year."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.academic_year.label}"

    def get_absolute_url(self) -> str:
        return reverse("educators:cohort-detail", args=[self.pk])


class Outcome(models.TextChoices):
    ENROLLED = "enrolled", "Enrolled"
    PASSED = "passed", "Passed"
    NOT_PASSED = "not_passed", "Not passed"
    DEFERRED = "deferred", "Deferred"
    WITHDRAWN = "withdrawn", "Withdrawn"


# outcomes that end the candidate's training; changing one afterwards is a correction, with a reason
FINAL_OUTCOMES = frozenset({Outcome.PASSED, Outcome.NOT_PASSED, Outcome.WITHDRAWN})


class PepsEnrolment(ScopedModel):
    """A candidate in a PEPS cohort, with their assessor or mentor and the outcome."""

    scope_path = "cohort__organisation"

    cohort = models.ForeignKey(PepsCohort, on_delete=models.PROTECT, related_name="enrolments")
    educator = models.ForeignKey(
        PracticeEducator,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name="candidate",
    )
    assessor = models.ForeignKey(
        PracticeEducator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessed_enrolments",
        verbose_name="assessor or mentor",
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.ENROLLED)
    outcome_date = models.DateField("date of the outcome", null=True, blank=True)
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[PepsEnrolment]]

    class Meta:
        ordering = ["educator__person__last_name", "educator__person__first_name"]
        verbose_name = "PEPS enrolment"
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="peps_enrolment_outcome_valid"
            ),
            models.CheckConstraint(
                condition=(Q(outcome=Outcome.ENROLLED) & Q(outcome_date__isnull=True))
                | (~Q(outcome=Outcome.ENROLLED) & Q(outcome_date__isnull=False)),
                name="peps_enrolment_outcome_has_date",
                violation_error_message="Give the date of the outcome.",
            ),
            models.CheckConstraint(
                condition=~Q(assessor=F("educator")),
                name="peps_enrolment_not_own_assessor",
                violation_error_message="A candidate cannot be their own assessor.",
            ),
            models.UniqueConstraint(
                fields=["cohort", "educator"],
                name="peps_enrolment_unique",
                violation_error_message="This person is already in this cohort.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.educator} in {self.cohort}"

    def get_absolute_url(self) -> str:
        return reverse("educators:cohort-detail", args=[self.cohort_id])

    def clean(self) -> None:
        if not (self.cohort_id and self.educator_id):
            return
        organisation_id = self.cohort.organisation_id
        if self.educator.person.organisation_id != organisation_id:
            raise ValidationError(
                {"educator": "Choose a practice educator of the cohort's organisation."}
            )
        if self.assessor is not None:
            if self.assessor.person.organisation_id != organisation_id:
                raise ValidationError(
                    {"assessor": "Choose an assessor of the cohort's organisation."}
                )
            if self.assessor.peps_stage != PepsStage.STAGE2:
                raise ValidationError({"assessor": "An assessor or mentor must hold PEPS Stage 2."})
