"""Teaching sessions and admissions interviews at the universities, and who contributed to each.

One model for both (``kind``): an HEI's request, the practitioners offered and confirmed, and
the hours the partnership reports (docs/0032-teaching-app.md) are the same for either.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from practica.core.models import AcademicYear, Organisation, OrganisationKind, ServiceArea
from practica.core.scoping import ScopedManager, ScopedModel
from practica.teaching.directory.models import LivedExperienceContributor, PractitionerTeacher

HOURS_MAX = Decimal(12)


class SessionKind(models.TextChoices):
    TEACHING = "teaching", "Teaching session"
    INTERVIEW_HALF = "interview_half", "Admissions interviews, half day"
    INTERVIEW_FULL = "interview_full", "Admissions interviews, full day"


INTERVIEW_KINDS = frozenset({SessionKind.INTERVIEW_HALF, SessionKind.INTERVIEW_FULL})


def default_hours(kind: str) -> Decimal:
    """A practitioner's hours for a session of ``kind`` unless the session says otherwise:
    2 for teaching, 4 for half a day and 6 for a full day of interviews (settings
    ``PRACTICA_TEACHING_HOURS``)."""
    return Decimal(str(settings.PRACTICA_TEACHING_HOURS[kind]))


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"


class TeachingSession(ScopedModel):
    """A teaching session on a module, or a half or full day of admissions interviews, at a
    university; the university holds it."""

    scope_path = "hei"

    hei = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="teaching_sessions",
        verbose_name="university",
        limit_choices_to={"kind": OrganisationKind.HEI},
    )
    kind = models.CharField("type", max_length=20, choices=SessionKind.choices)
    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.PROTECT, related_name="teaching_sessions"
    )
    date = models.DateField()
    module = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    place = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    hours = models.DecimalField(
        "hours per practitioner",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(HOURS_MAX)],
        help_text="Each practitioner's hours (2 for teaching, 4 for half a day of interviews "
        "and 6 for a full day unless stated).",
    )
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[TeachingSession]]

    class Meta:
        ordering = ["-date", "module", "title"]
        indexes = [models.Index(fields=["hei", "academic_year", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=SessionKind.values), name="teaching_session_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=SessionStatus.values),
                name="teaching_session_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gte=Decimal("0.5"), hours__lte=HOURS_MAX),
                name="teaching_session_hours_in_range",
            ),
        ]

    def __str__(self) -> str:
        what = self.title or self.module or self.get_kind_display()
        return f"{what}, {self.date:%-d %B %Y}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.hei_id and self.hei.kind != OrganisationKind.HEI:
            errors["hei"] = f"{self.hei.name} is not a university."
        if (
            self.academic_year_id
            and self.date
            and not (self.academic_year.starts_on <= self.date <= self.academic_year.ends_on)
        ):
            errors["date"] = f"The date is not in the academic year {self.academic_year.label}."
        if errors:
            raise ValidationError(errors)


class SessionContributor(ScopedModel):
    """A practitioner teacher or a lived-experience contributor taking part in a session, with
    the employer and service area they came from at the time (what the reports count)."""

    scope_path = "session__hei"

    session = models.ForeignKey(
        TeachingSession, on_delete=models.CASCADE, related_name="contributors"
    )
    practitioner_teacher = models.ForeignKey(
        PractitionerTeacher,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="session_contributions",
    )
    contributor = models.ForeignKey(
        LivedExperienceContributor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="session_contributions",
        verbose_name="lived-experience contributor",
    )
    # the practitioner's employer and service area when they took part
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[SessionContributor]]

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(practitioner_teacher__isnull=False, contributor__isnull=True)
                | models.Q(practitioner_teacher__isnull=True, contributor__isnull=False),
                name="session_contributor_one_person",
                violation_error_message="Name a practitioner teacher or a contributor, not both.",
            ),
            models.UniqueConstraint(
                fields=["session", "practitioner_teacher"],
                condition=models.Q(practitioner_teacher__isnull=False),
                name="session_practitioner_once",
                violation_error_message="This practitioner is already on this session.",
            ),
            models.UniqueConstraint(
                fields=["session", "contributor"],
                condition=models.Q(contributor__isnull=False),
                name="session_contributor_once",
                violation_error_message="This contributor is already on this session.",
            ),
        ]

    def __str__(self) -> str:
        person = self.practitioner_teacher or self.contributor
        return f"{person} at {self.session}"
