"""Recruitment's records: published selection criteria, applications, their panels and scores."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from practica.core.models import Organisation, Person
from practica.core.scoping import ScopedManager, ScopedModel
from practica.educators.training.models import CohortStage, PepsEnrolment


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
