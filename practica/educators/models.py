"""The practice educator register, PEPS training cohorts, and PE recruitment and selection."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from practica.core.models import (
    AcademicYear,
    Location,
    Organisation,
    Partnership,
    Person,
    ServiceArea,
)
from practica.core.scoping import ScopedManager, ScopedModel
from practica.educators.currency import Currency, CurrencyRules, currency_of

if TYPE_CHECKING:
    pass


class PepsStage(models.TextChoices):
    NONE = "none", "Not trained"
    STAGE1_TRAINING = "stage1_training", "In training for PEPS Stage 1"
    STAGE1 = "stage1", "PEPS Stage 1"
    STAGE2_TRAINING = "stage2_training", "In training for PEPS Stage 2"
    STAGE2 = "stage2", "PEPS Stage 2"


# Stages at which a person is a qualified practice educator, so currency rules apply.
QUALIFIED_STAGES = (PepsStage.STAGE1, PepsStage.STAGE2_TRAINING, PepsStage.STAGE2)


class ActivityKind(models.TextChoices):
    STUDENT_PE = "student_pe", "Practice educator for social work students"
    PEPS_ASSESSOR = "peps_assessor", "PEPS assessor or mentor"
    ASYE_ASSESSOR = "asye_assessor", "ASYE assessor for newly qualified social workers"
    AMHP_BIA_PE = "amhp_bia_pe", "Practice educator for AMHP or BIA candidates"
    ONSITE_SUPERVISOR = "onsite_supervisor", "On-site supervisor"


class PracticeEducator(ScopedModel):
    """One register entry per person: their PEPS stage, activities, currency dates and review.

    The employer is the person's organisation and the team is the person's team.
    """

    scope_path = "person__organisation"

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="practice_educator"
    )
    service_area = models.ForeignKey(
        ServiceArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Leave empty to use the service area of the person's team.",
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practice_educators",
        help_text="Where they are based. Leave empty to use their team's location.",
    )
    peps_stage = models.CharField(
        "PEPS stage", max_length=20, choices=PepsStage.choices, default=PepsStage.NONE
    )
    stage1_date = models.DateField("date PEPS Stage 1 was achieved", null=True, blank=True)
    stage2_date = models.DateField("date PEPS Stage 2 was achieved", null=True, blank=True)
    independent = models.BooleanField(
        "independent (off-site) practice educator",
        default=False,
        help_text="Works as an off-site practice educator rather than in the student's team.",
    )
    last_student_date = models.DateField(
        "last student supervised or assessed",
        null=True,
        blank=True,
        help_text="The day their most recent student placement ended.",
    )
    last_training_date = models.DateField("last update training", null=True, blank=True)
    reviewed_on = models.DateField("last annual review", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="reviewed by",
    )
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[PracticeEducator]]

    class Meta:
        ordering = ["person__last_name", "person__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(peps_stage__in=PepsStage.values), name="pe_stage_valid"
            ),
            models.CheckConstraint(
                condition=~Q(peps_stage=PepsStage.STAGE1) | Q(stage1_date__isnull=False),
                name="pe_stage1_has_date",
                violation_error_message="Give the date PEPS Stage 1 was achieved.",
            ),
            models.CheckConstraint(
                condition=~Q(peps_stage=PepsStage.STAGE2) | Q(stage2_date__isnull=False),
                name="pe_stage2_has_date",
                violation_error_message="Give the date PEPS Stage 2 was achieved.",
            ),
            models.CheckConstraint(
                condition=Q(stage1_date__isnull=True)
                | Q(peps_stage__in=[s.value for s in QUALIFIED_STAGES]),
                name="pe_stage1_date_only_when_achieved",
                violation_error_message=(
                    "A Stage 1 date is only recorded for someone who has achieved Stage 1."
                ),
            ),
            models.CheckConstraint(
                condition=Q(stage2_date__isnull=True) | Q(peps_stage=PepsStage.STAGE2),
                name="pe_stage2_date_only_when_achieved",
                violation_error_message=(
                    "A Stage 2 date is only recorded for someone who has achieved Stage 2."
                ),
            ),
            models.CheckConstraint(
                condition=Q(stage1_date__isnull=True)
                | Q(stage2_date__isnull=True)
                | Q(stage1_date__lte=F("stage2_date")),
                name="pe_stage1_before_stage2",
                violation_error_message="Stage 2 cannot be achieved before Stage 1.",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | Q(reviewed_on__isnull=False),
                name="pe_review_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.person.full_name

    def get_absolute_url(self) -> str:
        return reverse("educators:detail", args=[self.pk])

    @property
    def is_qualified(self) -> bool:
        return self.peps_stage in QUALIFIED_STAGES

    @property
    def effective_service_area(self) -> ServiceArea | None:
        if self.service_area is not None:
            return self.service_area
        team = self.person.team
        return team.service_area if team is not None else None

    @property
    def effective_location(self) -> Location | None:
        if self.location is not None:
            return self.location
        team = self.person.team
        return team.location if team is not None else None

    def currency(self, rules: CurrencyRules, today: datetime.date) -> Currency:
        return currency_of(
            qualified=self.is_qualified,
            stage1_date=self.stage1_date,
            stage2_date=self.stage2_date,
            last_student_date=self.last_student_date,
            last_training_date=self.last_training_date,
            rules=rules,
            today=today,
        )

    def clean(self) -> None:
        errors: dict[str, str] = {}
        today = timezone.localdate()
        for name in ("stage1_date", "stage2_date", "last_student_date", "last_training_date"):
            value = getattr(self, name)
            if value is not None and value > today:
                label = str(getattr(self._meta.get_field(name), "verbose_name", name))
                errors[name] = f"The {label} cannot be in the future."
        if (
            self.location_id
            and self.person_id
            and self.location is not None
            and self.location.organisation_id != self.person.organisation_id
        ):
            errors["location"] = "Choose a location of the practice educator's organisation."
        if errors:
            raise ValidationError(errors)


class PracticeEducatorActivity(ScopedModel):
    """Something a practice educator does, from a date and (once it stops) to a date."""

    scope_path = "educator__person__organisation"

    educator = models.ForeignKey(
        PracticeEducator, on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField("activity", max_length=20, choices=ActivityKind.choices)
    started_on = models.DateField("started on")
    ended_on = models.DateField("ended on", null=True, blank=True)
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[PracticeEducatorActivity]]

    class Meta:
        ordering = ["-started_on", "kind"]
        verbose_name = "practice educator activity"
        verbose_name_plural = "practice educator activities"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ActivityKind.values), name="pe_activity_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="pe_activity_ends_after_start",
                violation_error_message="An activity cannot end before it starts.",
            ),
            models.UniqueConstraint(
                fields=["educator", "kind"],
                condition=Q(ended_on__isnull=True),
                name="pe_activity_one_open_per_kind",
                violation_error_message="This practice educator already has this activity.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.started_on.day} {self.started_on:%B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("educators:detail", args=[self.educator_id])

    def is_current_on(self, day: datetime.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)

    @staticmethod
    def current_on(day: datetime.date, prefix: str = "") -> Q:
        """Activities going on during ``day`` (its last day included): the one definition the
        register, its filters, reports and exports share."""
        return Q(**{f"{prefix}started_on__lte": day}) & (
            Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": day})
        )


class CurrencyRule(ScopedModel):
    """A partnership's rules for keeping practice educators current, and the review interval.

    Managed by the coordinators of the partnership's lead organisation. A partnership without a
    row uses the PEPS defaults (docs/0006-pe-currency.md).
    """

    scope_path = "partnership__lead_organisation"

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="pe_currency_rule"
    )
    months_since_student = models.PositiveSmallIntegerField(
        "months allowed since the last student",
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    months_since_training = models.PositiveSmallIntegerField(
        "months allowed since the last update training",
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    warning_months = models.PositiveSmallIntegerField(
        "months of warning before a practice educator lapses",
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )
    review_months = models.PositiveSmallIntegerField(
        "months between reviews of a register entry",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[CurrencyRule]]

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(months_since_student__gte=1)
                & Q(months_since_training__gte=1)
                & Q(review_months__gte=1),
                name="pe_currency_periods_positive",
            ),
            models.CheckConstraint(
                condition=Q(warning_months__lt=F("months_since_student"))
                & Q(warning_months__lt=F("months_since_training")),
                name="pe_currency_warning_shorter_than_periods",
                violation_error_message=(
                    "The warning must be shorter than both periods it warns about."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Currency rules of {self.partnership}"

    def get_absolute_url(self) -> str:
        return reverse("educators:currency-rule")


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
    DEFERRED = "deferred", "Deferred"
    WITHDRAWN = "withdrawn", "Withdrawn"


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


class SelectionCriterion(ScopedModel):
    """A criterion an organisation publishes for selecting practice educator candidates."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="pe_selection_criteria"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="What the panel looks for.")
    max_score = models.PositiveSmallIntegerField(
        "highest score", default=5, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("in use", default=True)
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[SelectionCriterion]]

    class Meta:
        ordering = ["position", "title"]
        verbose_name = "selection criterion"
        verbose_name_plural = "selection criteria"
        constraints = [
            models.CheckConstraint(
                condition=Q(max_score__gte=1), name="pe_criterion_max_score_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("educators:criterion-list")


class Decision(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Not accepted"


class PeApplication(ScopedModel):
    """An application to train as a practice educator (Stage 1) or to move to Stage 2.

    The line manager's support arrives through a link sent to them; only the link token's
    hash is stored.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="pe_applications"
    )
    applicant = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="pe_applications")
    stage = models.PositiveSmallIntegerField("stage applied for", choices=CohortStage.choices)
    statement = models.TextField(
        "written statement",
        help_text="Why they want to be a practice educator and the experience they bring.",
    )
    line_manager_name = models.CharField("line manager's name", max_length=200)
    line_manager_email = models.EmailField("line manager's e-mail address")
    support_token_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    support_requested_at = models.DateTimeField(null=True, blank=True)
    support_expires_at = models.DateTimeField(null=True, blank=True)
    line_manager_supports = models.BooleanField(
        "line manager supports the application", null=True, blank=True
    )
    line_manager_statement = models.TextField("line manager's statement", blank=True)
    support_given_at = models.DateTimeField(null=True, blank=True)
    interview_at = models.DateTimeField("panel interview", null=True, blank=True)
    panel = models.ManyToManyField(
        Person, through="PanelMember", related_name="pe_selection_panels", blank=True
    )
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    feedback_letter = models.TextField(blank=True)
    feedback_sent_to = models.EmailField(
        "address the feedback letter was e-mailed to",
        blank=True,
        help_text="Empty when the applicant had no e-mail address: the letter went by hand.",
    )
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    enrolment = models.OneToOneField(
        PepsEnrolment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["support_token_hash"])

    objects: ClassVar[ScopedManager[PeApplication]]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "practice educator application"
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=[1, 2]), name="pe_application_stage"),
            models.CheckConstraint(
                condition=Q(decision__in=["", *Decision.values]),
                name="pe_application_decision_valid",
            ),
            models.CheckConstraint(
                condition=Q(decision="") | (Q(decided_on__isnull=False) & ~Q(feedback_letter="")),
                name="pe_application_decision_has_letter",
                violation_error_message="A decision needs its date and a feedback letter.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant.full_name} – {self.get_stage_display()}"

    def get_absolute_url(self) -> str:
        return reverse("educators:application-detail", args=[self.pk])

    def clean(self) -> None:
        if (
            self.applicant_id
            and self.organisation_id
            and self.applicant.organisation_id != self.organisation_id
        ):
            raise ValidationError({"applicant": "Choose someone who works for the organisation."})


class PanelMember(ScopedModel):
    """A member of an application's selection panel."""

    scope_path = "application__organisation"

    application = models.ForeignKey(
        PeApplication, on_delete=models.CASCADE, related_name="panel_members"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[PanelMember]]

    class Meta:
        ordering = ["person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "person"], name="pe_panel_member_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.person.full_name


class ApplicationScore(ScopedModel):
    """The panel's score of one application against one published criterion."""

    scope_path = "application__organisation"

    application = models.ForeignKey(PeApplication, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        SelectionCriterion, on_delete=models.PROTECT, related_name="scores"
    )
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[ApplicationScore]]

    class Meta:
        ordering = ["criterion__position", "criterion__title"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="pe_application_score_unique"
            ),
            models.CheckConstraint(condition=Q(score__gte=0), name="pe_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"

    def clean(self) -> None:
        if self.criterion_id and self.score is not None and self.score > self.criterion.max_score:
            raise ValidationError(
                {"score": f"The highest score for {self.criterion} is {self.criterion.max_score}."}
            )
        if (
            self.criterion_id
            and self.application_id
            and self.criterion.organisation_id != self.application.organisation_id
        ):
            raise ValidationError({"criterion": "Use the organisation's own criteria."})
