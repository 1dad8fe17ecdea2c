"""The practice educator time audit: practice educators enrolled in an audit log, week by
week of their placement, the hours they spend on practice educator work — in the working day
and out of hours (OOH) — optionally split by activity (docs/0030-time-audit.md)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from practica.core.models import AcademicYear, Organisation
from practica.core.scoping import ScopedManager, ScopedModel
from practica.educators.register.models import PracticeEducator
from practica.placements.models import Placement, PlacementType

# the most hours of practice educator work one week can hold (daytime and OOH together)
WEEK_HOURS_MAX = Decimal(80)


class Activity(models.TextChoices):
    """What the hours of a week were spent on, when the practice educator splits them."""

    SUPERVISION = "supervision", "Supervision"
    OBSERVATION = "observation", "Direct observation"
    PORTFOLIO = "portfolio", "Reading and assessing the portfolio"
    HEI_MEETINGS = "hei_meetings", "Meetings with the university"
    REPORT_WRITING = "report_writing", "Report writing"
    OTHER = "other", "Other"


# the field of a TimeLog that holds each activity's hours
ACTIVITY_FIELDS: dict[str, str] = {
    activity.value: f"{activity.value}_hours" for activity in Activity
}


def monday_of(day: datetime.date) -> datetime.date:
    """The Monday of the week ``day`` falls in (weeks run Monday to Sunday)."""
    return day - datetime.timedelta(days=day.weekday())


class TimeAudit(ScopedModel):
    """An audit of the time practice educators spend on placements of one type in one
    academic year, run by one organisation (its coordinators enrol the practice educators)."""

    scope_path = "organisation"

    name = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="time_audits",
        verbose_name="run by",
    )
    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.PROTECT, related_name="time_audits"
    )
    placement_type = models.CharField(max_length=20, choices=PlacementType.choices)
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[TimeAudit]]

    class Meta:
        ordering = ["-academic_year__start_year", "name"]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("name"),
                name="time_audit_name_unique_per_organisation",
                violation_error_message="This organisation already runs a time audit of this name.",
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="time_audit_name_not_blank"),
            models.CheckConstraint(
                condition=models.Q(placement_type__in=PlacementType.values),
                name="time_audit_placement_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.academic_year})"

    def get_absolute_url(self) -> str:
        return reverse("timeaudit:audit-detail", args=[self.pk])


class AuditEnrolment(ScopedModel):
    """A practice educator taking part in an audit, linked to their placement of the audit's
    type and year when there is one (its start date is the first week they can log)."""

    scope_path = "audit__organisation"

    audit = models.ForeignKey(TimeAudit, on_delete=models.CASCADE, related_name="enrolments")
    practice_educator = models.ForeignKey(
        PracticeEducator, on_delete=models.PROTECT, related_name="time_audit_enrolments"
    )
    placement = models.ForeignKey(
        Placement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="time_audit_enrolments",
        help_text="Their placement of the audit's type and year (none: not known).",
    )
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[AuditEnrolment]]

    class Meta:
        ordering = [
            "audit",
            "practice_educator__person__last_name",
            "practice_educator__person__first_name",
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "practice_educator"],
                name="time_audit_enrolment_once_per_educator",
                violation_error_message="This practice educator is already in the audit.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practice_educator.person.full_name} in {self.audit.name}"

    @property
    def first_week(self) -> datetime.date | None:
        """The Monday of the week their placement starts (None without a placement date)."""
        starts_on = self.placement.starts_on if self.placement is not None else None
        return monday_of(starts_on) if starts_on is not None else None

    def clean(self) -> None:
        if not (self.audit_id and self.placement_id and self.placement is not None):
            return
        placement, audit = self.placement, self.audit
        errors: dict[str, str] = {}
        if placement.practice_educator_id != self.practice_educator_id:
            errors["placement"] = "Choose a placement this practice educator supervises."
        elif placement.academic_year_id != audit.academic_year_id:
            errors["placement"] = f"Choose a placement in {audit.academic_year.label}."
        elif placement.placement_type != audit.placement_type:
            errors["placement"] = (
                f"Choose a {audit.get_placement_type_display().lower()}: the audit's type."
            )
        if errors:
            raise ValidationError(errors)


def _hours(label: str, *, optional: bool = False) -> Any:
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        null=optional,
        blank=optional,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(WEEK_HOURS_MAX)],
    )


class TimeLog(ScopedModel):
    """One practice educator's hours of practice educator work in one week of the audit.

    Corrections change the row (its history keeps every earlier figure, and who changed it).
    """

    scope_path = "enrolment__audit__organisation"

    enrolment = models.ForeignKey(AuditEnrolment, on_delete=models.CASCADE, related_name="logs")
    week_start = models.DateField("week beginning", help_text="The Monday the week starts on.")
    daytime_hours = _hours("daytime hours")
    ooh_hours = _hours("out-of-hours hours")
    supervision_hours = _hours("supervision", optional=True)
    observation_hours = _hours("direct observation", optional=True)
    portfolio_hours = _hours("reading and assessing the portfolio", optional=True)
    hei_meetings_hours = _hours("meetings with the university", optional=True)
    report_writing_hours = _hours("report writing", optional=True)
    other_hours = _hours("other", optional=True)
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[TimeLog]]

    class Meta:
        ordering = ["enrolment", "week_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "week_start"],
                name="time_log_one_per_educator_and_week",
                violation_error_message=(
                    "This week is already logged: change that entry instead of adding another."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(daytime_hours__gte=0, ooh_hours__gte=0),
                name="time_log_hours_not_negative",
                violation_error_message="Hours cannot be negative.",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    daytime_hours__lte=WEEK_HOURS_MAX - F("ooh_hours"),
                ),
                name="time_log_at_most_80_hours_a_week",
                violation_error_message=(
                    f"A week holds at most {WEEK_HOURS_MAX} hours of practice educator work, "
                    "daytime and out of hours together."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} – week of {self.week_start:%d %B %Y}"

    @property
    def total_hours(self) -> Decimal:
        total: Decimal = self.daytime_hours + self.ooh_hours
        return total

    def activity_hours(self) -> dict[str, Decimal | None]:
        """Each activity's hours (None where the week is not split by activity)."""
        return {activity: getattr(self, field) for activity, field in ACTIVITY_FIELDS.items()}

    @property
    def is_split(self) -> bool:
        return any(hours is not None for hours in self.activity_hours().values())

    def clean(self) -> None:
        errors: dict[str, str] = {}
        week = self.week_start
        if week is not None and week.weekday() != 0:
            errors["week_start"] = (
                f"Give the Monday the week starts on ({monday_of(week):%A %-d %B %Y}), "
                f"not {week:%A %-d %B %Y}."
            )
        elif week is not None and self.enrolment_id and self.enrolment is not None:
            first = self.enrolment.first_week
            if first is not None and week < first:
                starts_on = self.enrolment.placement.starts_on  # type: ignore[union-attr]  # first_week says there is one
                errors["week_start"] = (
                    f"The placement starts on {starts_on:%-d %B %Y}: log weeks from the week "
                    f"beginning {first:%-d %B %Y}."
                )
        if week is not None and "week_start" not in errors and week > timezone.localdate():
            errors["week_start"] = "This week has not started yet: log it once it has."
        daytime, ooh = self.daytime_hours, self.ooh_hours
        for name, hours in (("daytime_hours", daytime), ("ooh_hours", ooh)):
            if hours is not None and hours < 0:
                errors[name] = "Hours cannot be negative."
        if (
            daytime is not None
            and ooh is not None
            and daytime >= 0
            and ooh >= 0
            and daytime + ooh > WEEK_HOURS_MAX
        ):
            shown, total = format_hours(daytime), format_hours(daytime + ooh)
            errors["ooh_hours"] = (
                f"{shown} daytime and {format_hours(ooh)} out-of-hours hours make {total}: "
                f"a week holds at most {format_hours(WEEK_HOURS_MAX)} hours of practice "
                "educator work."
            )
        split = self.activity_hours()
        if daytime is not None and ooh is not None and any(h is not None for h in split.values()):
            given = sum((h for h in split.values() if h is not None), Decimal(0))
            if given != daytime + ooh:
                total = format_hours(daytime + ooh)
                errors["other_hours"] = (
                    f"The hours by activity add up to {format_hours(given)}, but the week's "
                    f"hours (daytime and out of hours) are {total}: make them the same, or "
                    "leave the activities empty."
                )
        if errors:
            raise ValidationError(errors)


def format_hours(hours: Decimal) -> str:
    """Hours as people write them: 7.5, 8, 0.25."""
    text = f"{hours:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
