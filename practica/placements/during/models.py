"""The records kept while a student is on placement (docs/0029-during-placement.md).

The models name ``placements.Student`` and ``placements.Placement`` by string so that this
module imports nothing of ``placements.models``, which imports it (Django finds models there).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from simple_history.models import HistoricalRecords

from practica.core.scoping import ScopedManager, ScopedModel

MAX_DAYS_A_WEEK = Decimal(7)
MAX_SKILLS_DAYS_AT_ONCE = Decimal(30)


# --- pre-placement checks ---------------------------------------------------------------------


class CheckKind(models.TextChoices):
    DBS = "dbs", "Enhanced DBS check"
    HEALTH = "health", "Occupational health clearance"
    AGREEMENT = "agreement", "Placement agreement signed"


class PreplacementCheck(ScopedModel):
    """One check a student must hold before a placement is confirmed: done on a day and valid
    until ``expires_on`` (no expiry: valid until recorded again). One row per student and kind;
    a renewal changes it, and the history keeps the earlier dates."""

    scope_path = "student__person__organisation"

    student = models.ForeignKey(
        "placements.Student", on_delete=models.CASCADE, related_name="checks"
    )
    kind = models.CharField(max_length=20, choices=CheckKind.choices)
    completed_on = models.DateField("done on")
    expires_on = models.DateField("valid until", null=True, blank=True)
    reference = models.CharField(
        max_length=60, blank=True, help_text="A certificate number or the document's name."
    )
    reminded_on = models.DateField(
        "reminder sent on",
        null=True,
        blank=True,
        help_text="The day a reminder of the coming expiry was last sent.",
    )
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[PreplacementCheck]]

    class Meta:
        ordering = ["student__person__last_name", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=CheckKind.values), name="preplacement_check_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["student", "kind"],
                name="preplacement_check_one_per_student_and_kind",
                violation_error_message="This check is already recorded for the student.",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=F("completed_on")),
                name="preplacement_check_expires_after_done",
                violation_error_message="A check cannot expire before it was done.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.student}"


# --- attendance and skills days ----------------------------------------------------------------


class AttendanceWeek(ScopedModel):
    """The days a student attended their placement in one week (Monday to Sunday), logged by
    the student or their practice educator and signed off by the practice educator."""

    scope_path = "placement__organisation"

    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="attendance_weeks"
    )
    week_starting = models.DateField(help_text="The Monday of the week.")
    days = models.DecimalField(
        "days attended",
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_DAYS_A_WEEK)],
    )
    note = models.CharField(max_length=200, blank=True)
    # empty when imported (history from before Practica) or the user was removed
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    # a practice educator without an account signs off through a single-use link: this one
    signed_off_link = models.ForeignKey(
        "placements.PlacementLink",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="signed off through the link sent to",
    )
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[AttendanceWeek]]

    class Meta:
        ordering = ["placement", "week_starting"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "week_starting"],
                name="attendance_one_row_per_week",
                violation_error_message="This week's attendance is already logged.",
            ),
            models.CheckConstraint(
                condition=models.Q(days__gte=0, days__lte=MAX_DAYS_A_WEEK),
                name="attendance_days_in_a_week",
                violation_error_message="A week has between 0 and 7 days.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.days} days in the week of {self.week_starting:%d %b %Y}"

    @property
    def signed_off(self) -> bool:
        return self.signed_off_at is not None

    def clean(self) -> None:
        if self.week_starting and self.week_starting.weekday() != 0:
            raise ValidationError({"week_starting": "Give the Monday the week starts on."})
        if self.days is not None and (self.days * 2) % 1:
            raise ValidationError({"days": "Give whole or half days."})


class SkillsDays(ScopedModel):
    """Skills days a student attended at their university (they count towards the programme's
    practice days, up to a limit: ``PRACTICA_SKILLS_DAYS_MAX``)."""

    scope_path = "student__person__organisation"

    student = models.ForeignKey(
        "placements.Student", on_delete=models.CASCADE, related_name="skills_days"
    )
    held_on = models.DateField("day (or first day)")
    days = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(MAX_SKILLS_DAYS_AT_ONCE)],
    )
    topic = models.CharField(max_length=200)
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[SkillsDays]]

    class Meta:
        ordering = ["student", "held_on"]
        verbose_name_plural = "skills days"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(days__gt=0, days__lte=MAX_SKILLS_DAYS_AT_ONCE),
                name="skills_days_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.days} skills days: {self.topic}"


# --- meetings, reviews and observations -------------------------------------------------------


class ReviewKind(models.TextChoices):
    LEARNING_AGREEMENT = "learning_agreement", "Learning agreement meeting"
    MIDPOINT = "midpoint", "Midpoint review"
    FINAL = "final", "Final review"


class ReviewOutcome(models.TextChoices):
    AGREED = "agreed", "Agreed"
    ON_TRACK = "on_track", "On track"
    SOME_CONCERNS = "some_concerns", "On track with some concerns"
    NOT_ON_TRACK = "not_on_track", "Not on track"
    PASS = "pass", "Pass recommended"
    FAIL = "fail", "Fail recommended"


# which outcomes each meeting can have
OUTCOMES_OF: dict[str, tuple[str, ...]] = {
    ReviewKind.LEARNING_AGREEMENT: (ReviewOutcome.AGREED, ReviewOutcome.SOME_CONCERNS),
    ReviewKind.MIDPOINT: (
        ReviewOutcome.ON_TRACK,
        ReviewOutcome.SOME_CONCERNS,
        ReviewOutcome.NOT_ON_TRACK,
    ),
    ReviewKind.FINAL: (ReviewOutcome.PASS, ReviewOutcome.FAIL),
}


class PlacementReview(ScopedModel):
    """The learning agreement meeting, the midpoint review or the final review of a placement:
    one of each, dated, with its outcome and notes."""

    scope_path = "placement__organisation"

    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="reviews"
    )
    kind = models.CharField(max_length=20, choices=ReviewKind.choices)
    held_on = models.DateField("date held")
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[PlacementReview]]

    class Meta:
        ordering = ["placement", "held_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "kind"],
                name="placement_review_one_of_each_kind",
                violation_error_message="This meeting is already recorded; change it instead.",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ReviewKind.values), name="placement_review_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(outcome__in=ReviewOutcome.values),
                name="placement_review_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on:%d %b %Y}"

    def clean(self) -> None:
        if self.kind in OUTCOMES_OF and self.outcome not in OUTCOMES_OF[self.kind]:
            allowed = ", ".join(ReviewOutcome(o).label.lower() for o in OUTCOMES_OF[self.kind])
            raise ValidationError({"outcome": f"The outcome of this meeting is {allowed}."})


class DirectObservation(ScopedModel):
    """A direct observation of the student's practice by their practice educator (or another
    observer, such as a service user or a colleague)."""

    scope_path = "placement__organisation"

    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="observations"
    )
    observed_on = models.DateField("date observed")
    observer = models.CharField(
        max_length=120, help_text="Who observed, e.g. the practice educator."
    )
    summary = models.TextField(blank=True, help_text="What was observed and the feedback given.")
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[DirectObservation]]

    class Meta:
        ordering = ["placement", "observed_on"]

    def __str__(self) -> str:
        return f"Direct observation on {self.observed_on:%d %b %Y} by {self.observer}"


# --- cause for concern ------------------------------------------------------------------------


class RaisedBy(models.TextChoices):
    PRACTICE_EDUCATOR = "practice_educator", "Practice educator"
    SUPERVISOR = "supervisor", "On-site supervisor"
    STUDENT = "student", "Student"
    TUTOR = "tutor", "University tutor"
    COORDINATOR = "coordinator", "Placement coordinator"


class ConcernStatus(models.TextChoices):
    RAISED = "raised", "Raised"
    MEETING_HELD = "meeting_held", "Meeting held"
    ACTION_PLAN = "action_plan", "Action plan in place"
    RESOLVED = "resolved", "Resolved"
    PLACEMENT_ENDED = "placement_ended", "Closed: placement ended"


OPEN_CONCERN_STATUSES = (
    ConcernStatus.RAISED,
    ConcernStatus.MEETING_HELD,
    ConcernStatus.ACTION_PLAN,
)


class CauseForConcern(ScopedModel):
    """A concern about a placement, raised by the practice educator, the on-site supervisor,
    the student or their university tutor, then met about, planned for and closed with an
    outcome. Seen by the student's university and the providing organisation only."""

    scope_path = "placement__organisation"

    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="concerns"
    )
    raised_on = models.DateField()
    # empty when raised without an account (an import, a link holder): ``raised_as`` says who
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    raised_as = models.CharField("raised by", max_length=20, choices=RaisedBy.choices)
    concern = models.TextField(help_text="What the concern is about.")
    meeting_on = models.DateField("meeting held on", null=True, blank=True)
    meeting_notes = models.TextField(blank=True)
    action_plan = models.TextField(blank=True)
    review_on = models.DateField("action plan reviewed by", null=True, blank=True)
    outcome = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.RAISED
    )
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[CauseForConcern]]

    class Meta:
        ordering = ["placement", "-raised_on"]
        verbose_name_plural = "causes for concern"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ConcernStatus.values),
                name="concern_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(raised_as__in=RaisedBy.values), name="concern_raised_as_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=OPEN_CONCERN_STATUSES, closed_on__isnull=True)
                | (
                    ~models.Q(status__in=OPEN_CONCERN_STATUSES)
                    & models.Q(closed_on__isnull=False)
                    & ~models.Q(outcome="")
                ),
                name="concern_closed_has_day_and_outcome",
                violation_error_message="A closed concern has the day it closed and its outcome.",
            ),
        ]

    def __str__(self) -> str:
        return f"Cause for concern raised on {self.raised_on:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CONCERN_STATUSES


__all__ = [
    "OPEN_CONCERN_STATUSES",
    "OUTCOMES_OF",
    "AttendanceWeek",
    "CauseForConcern",
    "CheckKind",
    "ConcernStatus",
    "DirectObservation",
    "PlacementReview",
    "PreplacementCheck",
    "RaisedBy",
    "ReviewKind",
    "ReviewOutcome",
    "SkillsDays",
]


# --- student preferences ----------------------------------------------------------------------

MAX_PREFERENCES = 3


class PreferenceWindow(ScopedModel):
    """The days in an academic year in which a university's students rank where they would
    like their placement (service areas, optionally a town). After it closes they still see
    what they submitted."""

    scope_path = "hei"

    hei = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="preference_windows",
        verbose_name="university",
    )
    academic_year = models.ForeignKey(
        "core.AcademicYear", on_delete=models.PROTECT, related_name="preference_windows"
    )
    opens_on = models.DateField()
    closes_on = models.DateField()
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[PreferenceWindow]]

    class Meta:
        ordering = ["-academic_year__start_year", "hei__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["hei", "academic_year"],
                name="preference_window_one_per_university_and_year",
                violation_error_message="The university already has a window for this year.",
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=F("opens_on")),
                name="preference_window_closes_after_opening",
                violation_error_message="A window cannot close before it opens.",
            ),
        ]

    def __str__(self) -> str:
        return f"Placement preferences {self.academic_year}: {self.opens_on:%d %b} to {self.closes_on:%d %b %Y}"

    def is_open_on(self, day: datetime.date) -> bool:
        return self.opens_on <= day <= self.closes_on


class StudentPreference(ScopedModel):
    """One ranked choice of a student in a window: a service area, and a town if they name one."""

    scope_path = "student__person__organisation"

    student = models.ForeignKey(
        "placements.Student", on_delete=models.CASCADE, related_name="preferences"
    )
    window = models.ForeignKey(
        PreferenceWindow, on_delete=models.CASCADE, related_name="preferences"
    )
    rank = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PREFERENCES)]
    )
    service_area = models.ForeignKey("core.ServiceArea", on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(
        "core.Location", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField()
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[StudentPreference]]

    class Meta:
        ordering = ["window", "student", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "window", "rank"],
                name="student_preference_one_per_rank",
                violation_error_message="Each rank is given once.",
            ),
            models.UniqueConstraint(
                fields=["student", "window", "service_area"],
                name="student_preference_area_once",
                violation_error_message="Each service area is ranked once.",
            ),
            models.CheckConstraint(
                condition=models.Q(rank__gte=1, rank__lte=MAX_PREFERENCES),
                name="student_preference_rank_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.service_area}"
