"""Students of the partnership's universities; placements and their allocation build on them."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from practica.core.models import (
    AcademicYear,
    Location,
    Organisation,
    OrganisationKind,
    Person,
    ServiceArea,
    Team,
)
from practica.core.scoping import ScopedManager, ScopedModel

YEARS_OF_STUDY = (1, 6)
TRAVEL_LIMIT_MINUTES = (1, 480)
TRAVEL_TIME_MINUTES_MAX = 1440
SLOTS_MAX = 500


class Route(models.TextChoices):
    """The qualifying route a student is on (the placement rules differ between them)."""

    BA = "ba", "BA (Hons) Social Work"
    MA = "ma", "MA Social Work"
    STEP_UP = "step_up", "Step Up to Social Work"
    THINK_AHEAD = "think_ahead", "Think Ahead"
    FRONTLINE = "frontline", "Frontline"
    APPRENTICE = "apprentice", "Social work degree apprenticeship"
    OU = "ou", "Open University"


class StudentStage(models.TextChoices):
    """The placement a student needs next (what the allocation engine places them in)."""

    SHADOWING = "shadowing", "Shadowing (readiness for practice)"
    FIRST_70 = "first_70", "First placement (70 days)"
    FINAL_100 = "final_100", "Final placement (100 days)"
    DONE = "done", "Placements complete"


class Student(ScopedModel):
    """A person studying social work at one of the partnership's universities (HEIs).

    ``hei`` repeats the person's organisation so that the database itself can keep
    ``student_ref`` unique within each university; ``clean`` keeps the two the same.
    """

    scope_path = "person__organisation"

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="student")
    hei = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="students",
        verbose_name="university",
        limit_choices_to={"kind": OrganisationKind.HEI},
    )
    student_ref = models.CharField(
        "student reference",
        max_length=40,
        help_text="The university's own reference for the student, e.g. 21034567.",
    )
    route = models.CharField(max_length=20, choices=Route.choices)
    year_of_study = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(YEARS_OF_STUDY[0]), MaxValueValidator(YEARS_OF_STUDY[1])]
    )
    home_location = models.CharField(
        max_length=120, blank=True, help_text="The town the student travels from."
    )
    travel_limit_minutes = models.PositiveSmallIntegerField(
        "longest journey (minutes)",
        null=True,
        blank=True,
        validators=[
            MinValueValidator(TRAVEL_LIMIT_MINUTES[0]),
            MaxValueValidator(TRAVEL_LIMIT_MINUTES[1]),
        ],
        help_text="The longest journey to a placement the student can make, one way.",
    )
    programme = models.CharField(
        max_length=120, blank=True, help_text="The programme of study, e.g. BA (Hons) Social Work."
    )
    stage = models.CharField(
        "placement needed next",
        max_length=20,
        choices=StudentStage.choices,
        blank=True,
        help_text="Which placement the student needs next (empty: not known yet).",
    )
    needs = models.TextField(
        "needs and adjustments",
        blank=True,
        help_text="Health needs, disabilities and the reasonable adjustments a placement makes, "
        "recorded only with the student's consent.",
    )
    needs_consent = models.BooleanField(
        "consent to record needs",
        default=False,
        help_text="The student agreed that their needs are recorded and shared with the "
        "placement setting.",
    )
    needs_consent_on = models.DateField("consent given on", null=True, blank=True)
    employer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employed_students",
        help_text="The employer of an apprentice or an employer-sponsored (e.g. OU) student.",
    )
    employer_team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employed_students",
        help_text="The team they work in: they are not placed there.",
    )
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[Student]]

    class Meta:
        ordering = ["person__last_name", "person__first_name", "student_ref"]
        constraints = [
            models.UniqueConstraint(
                "hei",
                Lower("student_ref"),
                name="student_ref_unique_per_hei",
                violation_error_message="This university already has a student with this reference.",
            ),
            models.CheckConstraint(
                condition=~models.Q(student_ref=""), name="student_ref_not_blank"
            ),
            models.CheckConstraint(
                condition=models.Q(route__in=Route.values), name="student_route_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    year_of_study__gte=YEARS_OF_STUDY[0], year_of_study__lte=YEARS_OF_STUDY[1]
                ),
                name="student_year_of_study_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(travel_limit_minutes__isnull=True)
                | models.Q(
                    travel_limit_minutes__gte=TRAVEL_LIMIT_MINUTES[0],
                    travel_limit_minutes__lte=TRAVEL_LIMIT_MINUTES[1],
                ),
                name="student_travel_limit_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(stage="") | models.Q(stage__in=StudentStage.values),
                name="student_stage_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(needs="") | models.Q(needs_consent=True),
                name="student_needs_only_with_consent",
                violation_error_message="Needs are recorded only with the student's consent.",
            ),
            models.CheckConstraint(
                condition=models.Q(needs_consent=False, needs_consent_on__isnull=True)
                | models.Q(needs_consent=True, needs_consent_on__isnull=False),
                name="student_consent_has_date",
                violation_error_message="Give the day the student consented (and only then).",
            ),
            models.CheckConstraint(
                condition=models.Q(employer_team__isnull=True) | models.Q(employer__isnull=False),
                name="student_employer_team_needs_employer",
                violation_error_message="Name the employer of the student's team.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.full_name} ({self.student_ref})"

    def get_absolute_url(self) -> str:
        return reverse("placements:student-detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.hei_id and self.hei.kind != OrganisationKind.HEI:
            errors["hei"] = f"{self.hei.name} is not a university; students belong to one."
        if self.hei_id and self.person_id and self.person.organisation_id != self.hei_id:
            errors["person"] = "The student's person record belongs to another organisation."
        if (
            self.employer_team_id
            and self.employer_id
            and self.employer_team is not None
            and self.employer_team.organisation_id != self.employer_id
        ):
            errors["employer_team"] = "Choose a team of the student's employer."
        if self.employer_id and self.employer is not None and self.employer.is_hei:
            errors["employer"] = "The employer is a local authority or another service."
        if errors:
            raise ValidationError(errors)


class PlacementType(models.TextChoices):
    FIRST_70 = "first_70", "First placement (70 days)"
    FINAL_100 = "final_100", "Final placement (100 days)"
    SHADOWING = "shadowing", "Shadowing (readiness for practice)"
    SCHOOL_SETTING = "school_setting", "Placement in a school setting"
    OTHER = "other", "Other placement"


# The days a placement of each type lasts: exactly (first, final) or within a range.
DAYS_RANGE: dict[str, tuple[int, int]] = {
    PlacementType.FIRST_70: (70, 70),
    PlacementType.FINAL_100: (100, 100),
    PlacementType.SHADOWING: (1, 10),
    PlacementType.SCHOOL_SETTING: (1, 100),
    PlacementType.OTHER: (1, 200),
}


def days_condition(prefix: str = "") -> models.Q:
    """The database's check that a placement's (or offer's) days suit its type."""
    condition = models.Q(pk__in=[])
    for kind, (low, high) in DAYS_RANGE.items():
        condition |= models.Q(
            **{
                f"{prefix}placement_type": kind,
                f"{prefix}days__gte": low,
                f"{prefix}days__lte": high,
            }
        )
    return condition


def default_days(placement_type: str) -> int | None:
    """A first placement lasts 70 days and a final one 100; other types say their days."""
    low, high = DAYS_RANGE.get(placement_type, (0, -1))
    return low if low == high else None


def _of_organisation(record: Team | Location | None, organisation_id: int | None) -> bool:
    """Whether a team or location (if any) belongs to the organisation (if known)."""
    return record is None or organisation_id is None or record.organisation_id == organisation_id


class TravelTime(models.Model):
    """A journey time in minutes between two towns, recorded once for the whole installation
    (journeys are geography, not any organisation's records), either way round.

    Where no time is recorded the locations' coordinates give an estimate (``travel.py``).
    """

    from_location = models.CharField(max_length=120)
    to_location = models.CharField(max_length=120)
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(TRAVEL_TIME_MINUTES_MAX)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["from_location", "to_location"]
        constraints = [
            models.UniqueConstraint(
                Lower("from_location"),
                Lower("to_location"),
                name="travel_time_unique_per_journey",
                violation_error_message="A journey time between these towns is already recorded.",
            ),
            models.CheckConstraint(
                condition=~models.Q(from_location="") & ~models.Q(to_location=""),
                name="travel_time_towns_not_blank",
            ),
            models.CheckConstraint(
                condition=models.Q(minutes__lte=TRAVEL_TIME_MINUTES_MAX),
                name="travel_time_minutes_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_location} – {self.to_location}: {self.minutes} min"


class PlacementOffer(ScopedModel):
    """Capacity an organisation offers for an academic year: a team (or another setting such
    as a school) takes ``slots`` students on placements of one type."""

    scope_path = "organisation"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="placement_offers",
        verbose_name="providing organisation",
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="placement_offers"
    )
    setting = models.CharField(
        max_length=120,
        blank=True,
        help_text="Another setting than a team, such as a school (leave empty for the team).",
    )
    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.PROTECT, related_name="placement_offers"
    )
    placement_type = models.CharField(max_length=20, choices=PlacementType.choices)
    days = models.PositiveSmallIntegerField(help_text="Days each placement lasts.")
    slots = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(SLOTS_MAX)],
        help_text="How many students the offer takes.",
    )
    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="placement_offers"
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    routes = models.JSONField(
        "routes accepted",
        default=list,
        blank=True,
        help_text="The routes whose students the offer takes (empty: every route).",
    )
    practice_educator = models.ForeignKey(
        "educators.PracticeEducator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placement_offers",
    )
    practice_educator_offsite = models.BooleanField(
        "off-site practice educator",
        default=False,
        help_text="The practice educator works outside the setting (an on-site supervisor "
        "then guides the student day to day).",
    )
    onsite_supervisor = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_offers",
        verbose_name="on-site supervisor",
    )
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[PlacementOffer]]

    class Meta:
        ordering = ["-academic_year__start_year", "organisation__name", "team__name", "setting"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(placement_type__in=PlacementType.values),
                name="placement_offer_type_valid",
            ),
            models.CheckConstraint(
                condition=days_condition(),
                name="placement_offer_days_suit_type",
                violation_error_message=(
                    "First placements last 70 days, final ones 100, shadowing 1 to 10."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(slots__gte=1, slots__lte=SLOTS_MAX),
                name="placement_offer_slots_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(team__isnull=False) | ~models.Q(setting=""),
                name="placement_offer_has_team_or_setting",
                violation_error_message="Name the team or the setting that offers placements.",
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True)
                | models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=F("starts_on")),
                name="placement_offer_ends_after_start",
                violation_error_message="An offer cannot end before it starts.",
            ),
            models.UniqueConstraint(
                "organisation",
                "team",
                "academic_year",
                "placement_type",
                Lower("setting"),
                condition=models.Q(team__isnull=False),
                name="placement_offer_unique_per_team",
                violation_error_message=(
                    "This team already offers placements of this type in this year."
                ),
            ),
            models.UniqueConstraint(
                "organisation",
                "academic_year",
                "placement_type",
                Lower("setting"),
                condition=models.Q(team__isnull=True),
                name="placement_offer_unique_per_setting",
                violation_error_message=(
                    "This setting already offers placements of this type in this year."
                ),
            ),
        ]

    def __str__(self) -> str:
        where = self.setting or (self.team.name if self.team else "")
        if self.team and self.setting:
            where = f"{self.team.name} – {self.setting}"
        return f"{where}: {self.slots} × {self.get_placement_type_display()} ({self.academic_year})"

    def get_absolute_url(self) -> str:
        return reverse("placements:offer-detail", args=[self.pk])

    @property
    def setting_name(self) -> str:
        if self.team and self.setting:
            return f"{self.team.name} – {self.setting}"
        return self.setting or (self.team.name if self.team else "")

    def accepts(self, route: str) -> bool:
        return not self.routes or route in self.routes

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not _of_organisation(self.team, self.organisation_id):
            errors["team"] = "Choose a team of the providing organisation."
        if not _of_organisation(self.location, self.organisation_id):
            errors["location"] = "Choose a location of the providing organisation."
        unknown = [route for route in self.routes or [] if route not in Route.values]
        if not isinstance(self.routes, list) or unknown:
            errors["routes"] = f"Unknown routes: {', '.join(map(str, unknown))}."
        elif len(set(self.routes)) != len(self.routes):
            errors["routes"] = "A route is named twice."
        if self.practice_educator_offsite and self.practice_educator_id is None:
            errors["practice_educator_offsite"] = "Name the off-site practice educator."
        if self.practice_educator_offsite and self.onsite_supervisor_id is None:
            errors["onsite_supervisor"] = (
                "A student with an off-site practice educator needs an on-site supervisor."
            )
        year = self.academic_year if self.academic_year_id else None
        day = self.starts_on
        if year is not None and day is not None and not year.starts_on <= day <= year.ends_on:
            errors["starts_on"] = f"Choose a start date in {year.label}."
        if errors:
            raise ValidationError(errors)


class PlacementStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    MATCHED = "matched", "Matched"
    CONFIRMED = "confirmed", "Confirmed"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    ENDED_EARLY = "ended_early", "Ended early"


# The steps of the lifecycle: from each status, the statuses a service may move it to.
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    PlacementStatus.REQUESTED: (PlacementStatus.MATCHED, PlacementStatus.ENDED_EARLY),
    PlacementStatus.MATCHED: (
        PlacementStatus.CONFIRMED,
        PlacementStatus.REQUESTED,
        PlacementStatus.ENDED_EARLY,
    ),
    PlacementStatus.CONFIRMED: (PlacementStatus.IN_PROGRESS, PlacementStatus.ENDED_EARLY),
    PlacementStatus.IN_PROGRESS: (PlacementStatus.COMPLETED, PlacementStatus.ENDED_EARLY),
    PlacementStatus.COMPLETED: (),
    PlacementStatus.ENDED_EARLY: (),
}
# A placement in these statuses takes one of its offer's slots.
FILLING_STATUSES = (
    PlacementStatus.MATCHED,
    PlacementStatus.CONFIRMED,
    PlacementStatus.IN_PROGRESS,
    PlacementStatus.COMPLETED,
    PlacementStatus.ENDED_EARLY,
)
# Statuses in which the placement has its start and end dates.
CONFIRMED_STATUSES = (
    PlacementStatus.CONFIRMED,
    PlacementStatus.IN_PROGRESS,
    PlacementStatus.COMPLETED,
)
OPEN_STATUSES = (
    PlacementStatus.REQUESTED,
    PlacementStatus.MATCHED,
    PlacementStatus.CONFIRMED,
    PlacementStatus.IN_PROGRESS,
)


class Placement(ScopedModel):
    """A student's placement with a providing organisation for an academic year, from request
    to completion (or an early end, with its reason)."""

    scope_path = "organisation"

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="placements")
    offer = models.ForeignKey(
        PlacementOffer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        help_text="The offer it fills (none for placements recorded from before Practica).",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name="providing organisation",
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="placements"
    )
    setting = models.CharField(max_length=120, blank=True)
    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.PROTECT, related_name="placements"
    )
    placement_type = models.CharField(max_length=20, choices=PlacementType.choices)
    days = models.PositiveSmallIntegerField()
    starts_on = models.DateField("start date", null=True, blank=True)
    ends_on = models.DateField("end date", null=True, blank=True)
    practice_educator = models.ForeignKey(
        "educators.PracticeEducator",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
    )
    onsite_supervisor = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_placements",
        verbose_name="on-site supervisor",
    )
    status = models.CharField(
        max_length=20, choices=PlacementStatus.choices, default=PlacementStatus.REQUESTED
    )
    ended_reason = models.TextField("why it ended early", blank=True)
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[Placement]]

    class Meta:
        ordering = ["-academic_year__start_year", "student__person__last_name", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(placement_type__in=PlacementType.values),
                name="placement_type_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=PlacementStatus.values),
                name="placement_status_valid",
            ),
            models.CheckConstraint(
                condition=days_condition(),
                name="placement_days_suit_type",
                violation_error_message=(
                    "First placements last 70 days, final ones 100, shadowing 1 to 10."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True)
                | models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=F("starts_on")),
                name="placement_ends_after_start",
                violation_error_message="A placement cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=models.Q(status=PlacementStatus.ENDED_EARLY) | models.Q(ended_reason=""),
                name="placement_reason_only_when_ended_early",
                violation_error_message="Only a placement that ended early has a reason to end.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=PlacementStatus.ENDED_EARLY)
                | ~models.Q(ended_reason=""),
                name="placement_ended_early_has_reason",
                violation_error_message="Say why the placement ended early.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=CONFIRMED_STATUSES)
                | models.Q(starts_on__isnull=False, ends_on__isnull=False),
                name="placement_confirmed_has_dates",
                violation_error_message="A confirmed placement has its start and end dates.",
            ),
            models.UniqueConstraint(
                fields=["student", "academic_year", "placement_type"],
                condition=~models.Q(status=PlacementStatus.ENDED_EARLY),
                name="placement_one_per_student_year_and_type",
                violation_error_message=(
                    "This student already has a placement of this type in this year."
                ),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.student.person.full_name}: {self.get_placement_type_display()} "
            f"at {self.setting_name} ({self.academic_year})"
        )

    def get_absolute_url(self) -> str:
        return reverse("placements:placement-detail", args=[self.pk])

    @property
    def setting_name(self) -> str:
        if self.team and self.setting:
            return f"{self.team.name} – {self.setting}"
        return self.setting or (self.team.name if self.team else self.organisation.name)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not _of_organisation(self.team, self.organisation_id):
            errors["team"] = "Choose a team of the providing organisation."
        if self.organisation_id and self.offer_id and self.offer is not None:
            offer = self.offer
            if offer.organisation_id != self.organisation_id:
                errors["offer"] = "The offer is another organisation's."
            elif offer.academic_year_id != self.academic_year_id:
                errors["offer"] = "The offer is for another academic year."
            elif offer.placement_type != self.placement_type:
                errors["offer"] = "The offer is for another type of placement."
        if self.student_id and self.student is not None:
            student = self.student
            if self.offer_id and self.offer is not None and not self.offer.accepts(student.route):
                errors["offer"] = f"The offer does not take {student.get_route_display()} students."
            if self.team_id and self.team_id == student.employer_team_id:
                errors["team"] = "A student is not placed in the team they work in."
        year = self.academic_year if self.academic_year_id else None
        if (
            year is not None
            and self.starts_on is not None
            and not year.starts_on <= self.starts_on <= year.ends_on
        ):
            errors["starts_on"] = f"Choose a start date in {year.label}."
        if errors:
            raise ValidationError(errors)


class LinkPurpose(models.TextChoices):
    DETAILS = "details", "The placement's details"
    SIGN_OFF = "sign_off", "Signing off attendance"


class PlacementLink(ScopedModel):
    """A single-use link for someone without a Practica account — an off-site practice
    educator or an on-site supervisor: to the placement's details, e-mailed with each step, or
    (to the practice educator) to sign off the weeks of attendance logged, e-mailed with each
    week logged. Only the token's hash is stored; the link works once, until it expires."""

    scope_path = "placement__organisation"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="links")
    email = models.EmailField()
    purpose = models.CharField(
        max_length=20, choices=LinkPurpose.choices, default=LinkPurpose.DETAILS
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[PlacementLink]]

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=F("created_at")),
                name="placement_link_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=models.Q(purpose__in=LinkPurpose.values),
                name="placement_link_purpose_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Link for {self.email} to {self.placement}"


# Allocation runs (docs/0028) are defined beside this module; Django finds models here.
from practica.placements.allocation_models import (  # noqa: E402, F401
    AllocationConstraint,
    AllocationProposal,
    AllocationRun,
    PlacementQuota,
    UnplacedStudent,
)
