"""The register's records: a practice educator's entry and activities, and a partnership's
currency rules."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from practica.core.models import Location, Partnership, Person, ServiceArea, Team
from practica.core.scoping import ScopedManager, ScopedModel
from practica.educators.register.currency import Currency, CurrencyRules, currency_of


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
    last_training_source = models.CharField(
        "where the last update training date came from",
        max_length=300,
        blank=True,
        help_text="The event attended; empty when the date was entered on the register.",
    )
    last_training_source_url = models.CharField(max_length=200, blank=True, editable=False)
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


class ChangeStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for a coordinator"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class ChangeReport(ScopedModel):
    """A practice educator's report of a change to their own register entry (team, location,
    activities), which their organisation's coordinators accept (it is then applied) or
    decline with a reason."""

    scope_path = "educator__person__organisation"

    educator = models.ForeignKey(
        PracticeEducator, on_delete=models.CASCADE, related_name="change_reports"
    )
    changed_on = models.DateField("date of the change")
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="new team",
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="new location",
    )
    activities_started = models.JSONField("activities started", default=list, blank=True)
    activities_stopped = models.JSONField("activities stopped", default=list, blank=True)
    note = models.TextField("anything else", blank=True)
    status = models.CharField(
        max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.WAITING
    )
    reported_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_reason = models.CharField("reason", max_length=300, blank=True)
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[ChangeReport]]

    class Meta:
        ordering = ["-reported_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ChangeStatus.values), name="change_report_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Change reported by {self.educator} on {self.reported_at:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("educators:change-report", args=[self.pk])

    def summary(self) -> list[str]:
        """The change in words, one line per part."""
        lines = []
        if self.team is not None:
            lines.append(f"Team: {self.team.name}")
        if self.location is not None:
            lines.append(f"Location: {self.location.name}")
        for kind in self.activities_started:
            lines.append(f"Started: {ActivityKind(kind).label}")
        for kind in self.activities_stopped:
            lines.append(f"Stopped: {ActivityKind(kind).label}")
        return lines


class EducatorMessage(ScopedModel):
    """An e-mail a coordinator sent to practice educators of their organisation from the
    lapsing list: who sent what to whom, and when (the e-mails go from the task worker)."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(default=timezone.now)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    recipients = models.ManyToManyField(PracticeEducator, related_name="messages_received")

    objects: ClassVar[ScopedManager[EducatorMessage]]

    class Meta:
        ordering = ["-sent_at", "pk"]
        verbose_name = "message to practice educators"

    def __str__(self) -> str:
        return f"{self.subject} – sent {timezone.localtime(self.sent_at):%Y-%m-%d %H:%M}"


class EducatorMessageDelivery(models.Model):
    """That one recipient's e-mail of a message has gone (was handed to the mail server), so a
    retried sending leaves them alone (issue 15: a task that e-mails many people is idempotent
    when retried). Written in the transaction that sends the e-mail."""

    message = models.ForeignKey(
        EducatorMessage, on_delete=models.CASCADE, related_name="deliveries"
    )
    educator = models.ForeignKey(PracticeEducator, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "educator"], name="educator_message_delivery_once"
            )
        ]
        verbose_name = "message to a practice educator sent"

    def __str__(self) -> str:
        return f"{self.message} to {self.educator}"
