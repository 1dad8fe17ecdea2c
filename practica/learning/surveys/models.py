"""The annual CPD-needs survey of practice educators: its topics, the answers and ratings,
and each time it was e-mailed.

A survey belongs to the whole partnership (docs/0007-cpd-events-sharing.md); who sees and does
what is declared in ``learning/rules.py``.
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from practica.core.models import AcademicYear, Organisation, Partnership, Person
from practica.core.scoping import ScopedManager, ScopedModel


class PreferredFormat(models.TextChoices):
    FORUM = "forum", "Forum"
    WORKSHOP = "workshop", "Workshop"
    ONLINE = "online", "Online"


class CpdNeedsSurvey(ScopedModel):
    """The annual survey of practice educators' CPD needs, for the whole partnership."""

    scope_path = None  # the partnership's, not one organisation's (learning/rules.py)

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="cpd_needs_surveys"
    )
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    opens_on = models.DateField()
    closes_on = models.DateField()
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[CpdNeedsSurvey]]

    class Meta:
        ordering = ["-academic_year__start_year"]
        verbose_name = "CPD-needs survey"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "academic_year"],
                name="cpd_needs_survey_one_per_year",
                violation_error_message="The partnership already has a CPD-needs survey for this academic year.",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="cpd_needs_survey_closes_after_opening",
                violation_error_message="The survey must close on or after the day it opens.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:survey-detail", args=[self.pk])

    def is_open_on(self, day: datetime.date) -> bool:
        return self.opens_on <= day <= self.closes_on


class CpdNeedsTopic(models.Model):
    survey = models.ForeignKey(CpdNeedsSurvey, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "name"],
                name="cpd_needs_topic_unique_per_survey",
                violation_error_message="This survey already asks about this topic.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CpdNeedsResponse(models.Model):
    """One practice educator's answers to one survey."""

    survey = models.ForeignKey(CpdNeedsSurvey, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cpd_needs_responses")
    # The person's organisation when they answered, for the per-organisation breakdown.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    preferred_format = models.CharField(max_length=20, choices=PreferredFormat.choices)
    comments = models.TextField(blank=True, max_length=2000)
    submitted_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "person"],
                name="cpd_needs_response_one_per_person",
                violation_error_message="This person has already answered this survey.",
            ),
            models.CheckConstraint(
                condition=Q(preferred_format__in=PreferredFormat.values),
                name="cpd_needs_response_format_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.survey}"


class CpdNeedsRating(models.Model):
    """How much one respondent wants CPD on one topic: 1 (not at all) to 5 (very much)."""

    response = models.ForeignKey(CpdNeedsResponse, on_delete=models.CASCADE, related_name="ratings")
    topic = models.ForeignKey(CpdNeedsTopic, on_delete=models.CASCADE, related_name="ratings")
    interest = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["topic__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "topic"], name="cpd_needs_rating_one_per_topic"
            ),
            models.CheckConstraint(
                condition=Q(interest__gte=1, interest__lte=5),
                name="cpd_needs_rating_interest_1_to_5",
                violation_error_message="Interest is rated from 1 to 5.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.interest}"


class CpdNeedsSurveyMailing(models.Model):
    """The survey e-mailed to the practice educators who had not answered it yet: the first
    sending, then any reminders."""

    survey = models.ForeignKey(CpdNeedsSurvey, on_delete=models.CASCADE, related_name="mailings")
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recipients = models.ManyToManyField(Person, related_name="+")

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = "CPD-needs survey mailing"

    def __str__(self) -> str:
        return f"{self.survey} – sent {timezone.localtime(self.sent_at):%Y-%m-%d %H:%M}"


class CpdNeedsSurveyDelivery(models.Model):
    """That one recipient's e-mail of a mailing has gone (was handed to the mail server), so a
    retried sending leaves them alone (issue 15: a task that e-mails many people is idempotent
    when retried). Written in the transaction that sends the e-mail."""

    mailing = models.ForeignKey(
        CpdNeedsSurveyMailing, on_delete=models.CASCADE, related_name="deliveries"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "person"], name="cpd_needs_survey_delivery_once"
            )
        ]
        verbose_name = "CPD-needs survey e-mail sent"

    def __str__(self) -> str:
        return f"{self.mailing} to {self.person}"
