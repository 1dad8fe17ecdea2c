"""The directories: practitioner teachers held by each employer (local authority) and
lived-experience contributors held by each university."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from practica.accounts.models import User
from practica.core.models import Organisation, OrganisationKind, Person, ServiceArea
from practica.core.scoping import ScopedManager, ScopedModel

# how often the directory entry is reviewed (the case study: "updated every year")
REVIEW_INTERVAL_DAYS = 365


class Expertise(models.Model):
    """A subject a practitioner or contributor can teach (e.g. child protection)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "areas of expertise"

    def __str__(self) -> str:
        return self.name


class PractitionerStatus(models.TextChoices):
    """Where a practitioner teacher stands (readiness to teach is worked out from the training
    steps; an entry loaded from a directory kept before Practica may say ``active``)."""

    INTERESTED = "interested", "Expressed interest"
    IN_TRAINING = "in_training", "In training"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Not teaching at present"
    LEFT = "left", "Left the role"


class PractitionerTeacher(ScopedModel):
    """A social work practitioner in a local authority's directory of practitioner teachers.

    The person's organisation is their employer, which holds the directory entry; their team
    (and its service area) come from the person record unless ``service_area`` says otherwise.
    """

    scope_path = "person__organisation"

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="practitioner_teacher"
    )
    status = models.CharField(
        max_length=20, choices=PractitionerStatus.choices, default=PractitionerStatus.INTERESTED
    )
    service_area = models.ForeignKey(
        ServiceArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practitioner_teachers",
        help_text="The service area they practise in (their team's, unless stated here).",
    )
    expertise = models.ManyToManyField(Expertise, blank=True, related_name="practitioner_teachers")
    availability = models.CharField(
        max_length=200, blank=True, help_text="When they can teach, e.g. Tuesday afternoons."
    )
    modules_taught = models.TextField(blank=True, help_text="Modules they have taught on.")
    career_level = models.CharField(
        "career progression level",
        max_length=100,
        blank=True,
        help_text="Their level on the employer's career progression pathway, if it has one.",
    )
    joined_on = models.DateField("in the directory since", null=True, blank=True)
    reviewed_on = models.DateField("entry last reviewed on", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[PractitionerTeacher]]

    class Meta:
        ordering = ["person__last_name", "person__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=PractitionerStatus.values),
                name="practitioner_teacher_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.person.full_name

    def clean(self) -> None:
        if self.person_id and self.person.organisation.kind == OrganisationKind.HEI:
            raise ValidationError(
                {"person": "Practitioner teachers are held by their employer, not a university."}
            )


class LivedExperienceContributor(ScopedModel):
    """A person with experience of using social work services who teaches or interviews at a
    university; held by that university and shown to no one else without their consent."""

    scope_path = "hei"

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="lived_experience_contributor"
    )
    hei = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="lived_experience_contributors",
        verbose_name="university",
        limit_choices_to={"kind": OrganisationKind.HEI},
    )
    areas = models.ManyToManyField(
        Expertise, blank=True, related_name="lived_experience_contributors"
    )
    payment_preference = models.CharField(
        "payment and expenses",
        max_length=200,
        blank=True,
        help_text="How they would like to be paid and have expenses refunded.",
    )
    accessibility_needs = models.TextField(blank=True)
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[LivedExperienceContributor]]

    class Meta:
        ordering = ["person__last_name", "person__first_name"]

    def __str__(self) -> str:
        return self.person.full_name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.hei_id and self.hei.kind != OrganisationKind.HEI:
            errors["hei"] = f"{self.hei.name} is not a university."
        if self.hei_id and self.person_id and self.person.organisation_id != self.hei_id:
            errors["person"] = "The contributor's person record belongs to another organisation."
        if errors:
            raise ValidationError(errors)
