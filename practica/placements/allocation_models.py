"""An allocation run, its proposals and unplaced students, and the coordinators' pins and
forbids (docs/0028-allocation-runs.md). The pages and services are in ``placements/runs/``;
the models sit beside ``models.py``, which imports them (Django looks for them there), and name
students and offers by label so that nothing here imports ``models.py`` back."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from practica.core.models import AcademicYear, Organisation, Partnership
from practica.core.scoping import ScopedManager, ScopedModel


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Ready to review"
    FAILED = "failed", "Could not run"
    CONFIRMED = "confirmed", "Confirmed"


FINISHED_STATUSES = (RunStatus.FINISHED, RunStatus.FAILED, RunStatus.CONFIRMED)


class AllocationRun(ScopedModel):
    """One run of the allocation engine for an academic year of a partnership, narrowed to a
    university's students (``organisation``) or for the whole partnership (none)."""

    scope_path = "organisation"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="allocation_runs",
        help_text="The university whose students are placed; empty for the whole partnership.",
    )
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # the objective, in order of priority, and the certificate's numbers (how many were placed
    # and not placed are counted from the run's rows: ``placed``, ``unplaced``)
    worst_cost = models.PositiveIntegerField(default=0)
    total_cost = models.PositiveIntegerField(default=0)
    total_cost_without_fairness = models.PositiveIntegerField(null=True, blank=True)
    optimal = models.BooleanField(default=False)
    certificate_checked = models.BooleanField(default=False)
    min_reduced_cost = models.IntegerField(null=True, blank=True)
    residual_arcs = models.PositiveIntegerField(null=True, blank=True)
    placed_below_worst = models.PositiveIntegerField(null=True, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    # the pins and forbids this run used, and those it could not use, as sentences
    constraints_used = models.JSONField(default=list, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    placements_recorded = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[AllocationRun]]

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Allocation {self.academic_year} for {self.scope_name}"

    @property
    def scope_name(self) -> str:
        return self.organisation.name if self.organisation else "the whole partnership"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def placed(self) -> int:
        """Students with a proposal (a Step Up student's two count once): annotated by
        ``with_counts`` where runs are listed, else counted."""
        if "placed_count" in self.__dict__:
            return int(self.__dict__["placed_count"])
        return self.proposals.values("student").distinct().count()

    @property
    def unplaced(self) -> int:
        """Students the run could not place (one row each)."""
        if "unplaced_count" in self.__dict__:
            return int(self.__dict__["unplaced_count"])
        return self.unplaced_students.count()

    @property
    def price_of_fairness(self) -> int | None:
        if self.total_cost_without_fairness is None:
            return None
        return self.total_cost - self.total_cost_without_fairness

    def get_absolute_url(self) -> str:
        return reverse("placements:allocation-detail", args=[self.pk])


def with_counts(runs: QuerySet[AllocationRun]) -> QuerySet[AllocationRun]:
    """``runs`` with how many students each placed and left out, counted in the same query."""

    def count(model: type[models.Model], field: str) -> Coalesce:
        rows = (
            model.objects.filter(run=OuterRef("pk"))  # type: ignore[attr-defined]  # every model here has a default manager
            .order_by()
            .values("run")
            .annotate(n=Count(field, distinct=True))
            .values("n")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), 0)

    return runs.annotate(
        placed_count=count(AllocationProposal, "student"),
        unplaced_count=count(UnplacedStudent, "student"),
    )


class AllocationProposal(models.Model):
    """A proposed placement of a student in an offer, with the engine's explanation and the
    certificate's dual prices (what one more slot of the offer, or of its PE, is worth)."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="proposals")
    student = models.ForeignKey("placements.Student", on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(
        "placements.PlacementOffer", on_delete=models.CASCADE, related_name="+"
    )
    cost = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField(null=True, blank=True)
    travel_unchecked = models.BooleanField(default=False)
    pinned = models.BooleanField(default=False)
    explanation = models.TextField()
    offer_price = models.IntegerField(default=0)
    pe_price = models.IntegerField(default=0)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.student} → {self.offer}"


class UnplacedStudent(models.Model):
    """A student the run could not place, and the constraint that binds."""

    run = models.ForeignKey(
        AllocationRun, on_delete=models.CASCADE, related_name="unplaced_students"
    )
    student = models.ForeignKey("placements.Student", on_delete=models.CASCADE, related_name="+")
    binding = models.CharField(max_length=40)
    reason = models.TextField()
    rejected = models.JSONField(default=dict, blank=True)
    full_offers = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.student}: {self.reason}"


class ConstraintKind(models.TextChoices):
    PIN = "pin", "Pinned: always place the student here"
    FORBID = "forbid", "Forbidden: never place the student here"


class AllocationConstraint(ScopedModel):
    """A coordinator's pin or forbid of a (student, offer) pair, used by every later run of the
    same academic year and scope (a university's, or the whole partnership's)."""

    scope_path = "organisation"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("placements.Student", on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(
        "placements.PlacementOffer", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=ConstraintKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[AllocationConstraint]]

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        verb = "pinned to" if self.kind == ConstraintKind.PIN else "never placed in"
        return f"{self.student} {verb} {self.offer.setting_name}"


class PlacementQuota(ScopedModel):
    """At most ``limit`` of a university's students placed with a providing organisation (or
    with any provider of the partnership when ``provider`` is empty) in an academic year. Every
    allocation run of the year keeps it (docs/0028-allocation-runs.md, "Quotas"); the
    providing organisation's coordinators keep its quotas, the partnership manager all."""

    scope_path = "provider"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    hei = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="placement_quotas",
        verbose_name="university",
    )
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="providing organisation",
        help_text="Empty: placements with any providing organisation count.",
    )
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    limit = models.PositiveIntegerField(
        verbose_name="most students placed",
        help_text="The most of the university's students placed there in the year.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[PlacementQuota]]

    class Meta:
        ordering = ["academic_year__start_year", "hei__name", "provider__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["hei", "provider", "academic_year"],
                condition=models.Q(provider__isnull=False),
                name="one_quota_per_university_provider_year",
                violation_error_message=(
                    "There is already a quota for this university with this providing "
                    "organisation in this academic year: change that one instead."
                ),
            ),
            models.UniqueConstraint(
                fields=["hei", "academic_year"],
                condition=models.Q(provider__isnull=True),
                name="one_quota_per_university_year_any_provider",
                violation_error_message=(
                    "There is already a quota for this university with any providing "
                    "organisation in this academic year: change that one instead."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(limit__gte=0), name="quota_limit_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.sentence()

    @property
    def provider_name(self) -> str:
        return self.provider.name if self.provider else "any providing organisation"

    def sentence(self) -> str:
        """ "At most 4 of Northbridge University's students placed with Eastshire Council in
        2019/20" """
        return (
            f"At most {self.limit} of {self.hei.name}'s students placed with "
            f"{self.provider_name} in {self.academic_year}"
        )

    def engine_name(self) -> str:
        """The quota as the allocation engine names it in an unplaced student's reason."""
        return f"the quota of {self.limit} for {self.hei.name} with {self.provider_name}"

    def get_absolute_url(self) -> str:
        return reverse("placements:quota-edit", args=[self.pk])
