"""A piece of CPD done outside the partnership's events, and the file that evidences it."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from practica.core.models import Person
from practica.core.scoping import ScopedManager, ScopedModel


class OutsideCpd(ScopedModel):
    """CPD a person did elsewhere: what, when, how long, who provided it, what they took from
    it, and optionally one evidence file (a certificate, a programme) kept in the database."""

    scope_path = "person__organisation"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="outside_cpd")
    title = models.CharField("what it was", max_length=200)
    done_on = models.DateField("date")
    hours = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("500"))],
    )
    provider = models.CharField("provided by", max_length=200)
    reflection = models.TextField("what you took from it", blank=True, max_length=5000)
    evidence_name = models.CharField("evidence file name", max_length=200, blank=True)
    evidence_type = models.CharField("evidence file type", max_length=100, blank=True)
    evidence = models.BinaryField("evidence file", blank=True, default=b"")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # the file is kept once, not in every version
    history = HistoricalRecords(excluded_fields=["evidence"])

    objects: ClassVar[ScopedManager[OutsideCpd]]

    class Meta:
        ordering = ["-done_on", "-pk"]
        verbose_name = "CPD outside Practica's events"
        verbose_name_plural = "CPD outside Practica's events"
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=Decimal("0.5")) & Q(hours__lte=Decimal("500")),
                name="outside_cpd_hours_in_range",
                violation_error_message="Enter between 0.5 and 500 hours.",
            ),
            models.CheckConstraint(
                condition=Q(evidence_name="") | ~Q(evidence_type=""),
                name="outside_cpd_evidence_has_a_type",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.done_on:%-d %B %Y}"

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_name)
