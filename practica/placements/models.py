"""Students of the partnership's universities; placements and their allocation build on them."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from practica.core.models import Organisation, OrganisationKind, Person
from practica.core.scoping import ScopedManager, ScopedModel

YEARS_OF_STUDY = (1, 6)
TRAVEL_LIMIT_MINUTES = (1, 480)


class Route(models.TextChoices):
    """The qualifying route a student is on (the placement rules differ between them)."""

    BA = "ba", "BA (Hons) Social Work"
    MA = "ma", "MA Social Work"
    STEP_UP = "step_up", "Step Up to Social Work"
    THINK_AHEAD = "think_ahead", "Think Ahead"
    FRONTLINE = "frontline", "Frontline"
    APPRENTICE = "apprentice", "Social work degree apprenticeship"
    OU = "ou", "Open University"


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
        if errors:
            raise ValidationError(errors)
