"""Questionnaires: versioned definitions, personal links to answer them, and the answers.

A framework for the domains (docs/0024-questionnaire-engine.md): it knows people, organisations
and academic years, never placements, sessions or events. A domain attaches its own record to a
link and to a response through the generic *subject* (content type and id).

- ``Questionnaire``: owned by an organisation, or by the whole partnership (no organisation).
- ``QuestionnaireVersion``: its numbered versions; a published version never changes (each
  record below it refuses to be saved once its version is published) — editing starts a new
  draft version, copied from the last.
- ``Section``, ``Question``, ``Choice``: what a version asks.
- ``Distribution`` and ``Invitation``: a published version sent to people; each person gets a
  personal link whose token is stored only as a hash (as ``accounts.Invitation``).
- ``Response`` and ``Answer``: what came back, naming the version answered. A response to an
  anonymous questionnaire holds no person, link, subject, distribution or time of day; its link
  only says it was used, with no date and no history row, and the response is dated the day
  the questionnaire was sent (``services.submit_response``).
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from practica.core.models import AcademicYear, Organisation, Partnership, Person
from practica.core.scoping import ScopedManager, ScopedModel

PUBLISHED = "This version is published and can no longer change; start a new version to edit it."


class QuestionType(models.TextChoices):
    LIKERT = "likert", "Scale from 1 to 5"
    SINGLE = "single", "One choice"
    MULTIPLE = "multiple", "Several choices"
    YES_NO = "yes_no", "Yes or no"
    NUMBER = "number", "Number"
    TEXT = "text", "Free text"


# the scale's labels when the question gives none of its own
LIKERT_LABELS = (
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
)
YES_NO_CHOICES = (("yes", "Yes"), ("no", "No"))
CHOICE_TYPES = frozenset({QuestionType.SINGLE, QuestionType.MULTIPLE})


class Questionnaire(ScopedModel):
    """A set of questions asked again and again (each year, each placement); its versions say
    exactly what was asked when."""

    # the owning organisation; none for a questionnaire of the whole partnership
    scope_path = "organisation"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="questionnaires"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questionnaires",
        help_text="Leave empty for a questionnaire of the whole partnership.",
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=80, help_text="A short name for files and imports, like placement-evaluation."
    )
    description = models.TextField(blank=True, max_length=2000)
    anonymous = models.BooleanField(
        default=False,
        help_text="Answers are kept with no link to who gave them, even for administrators.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[Questionnaire]]

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "slug"],
                name="questionnaire_slug_unique_per_partnership",
                violation_error_message="The partnership already has a questionnaire with this short name.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("questionnaires:detail", args=[self.pk])

    def clean(self) -> None:
        if (
            self.organisation is not None
            and self.partnership_id is not None
            and self.organisation.partnership_id != self.partnership_id
        ):
            raise ValidationError({"organisation": "Choose an organisation of the partnership."})

    @property
    def owner_name(self) -> str:
        return self.organisation.name if self.organisation else self.partnership.name


class QuestionnaireVersion(models.Model):
    """One numbered version. A draft may change; once published it never does."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["questionnaire", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"],
                name="questionnaire_version_number_unique",
                violation_error_message="This questionnaire already has a version with this number.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} (version {self.number})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def clean(self) -> None:
        if self.pk is None:
            return
        stored = QuestionnaireVersion.objects.filter(pk=self.pk).first()
        if (
            stored is not None
            and stored.published_at is not None
            and (stored.number, stored.published_at, stored.questionnaire_id)
            != (self.number, self.published_at, self.questionnaire_id)
        ):
            raise ValidationError(PUBLISHED)


class _PartOfVersion(models.Model):
    """A section, question or choice: refuses to change once its version is published."""

    class Meta:
        abstract = True

    def owning_version(self) -> QuestionnaireVersion:
        raise NotImplementedError

    def clean(self) -> None:
        if self.owning_version().is_published:
            raise ValidationError(PUBLISHED)


class Section(_PartOfVersion):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=2000)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    def owning_version(self) -> QuestionnaireVersion:
        return self.version


class Question(_PartOfVersion):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    # the same question keeps its code from version to version (imports and exports name it)
    code = models.SlugField(max_length=60)
    text = models.CharField(max_length=500)
    help_text = models.CharField(max_length=500, blank=True)
    type = models.CharField(max_length=20, choices=QuestionType.choices)
    required = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["section__position", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=QuestionType.values), name="question_type_valid"
            )
        ]

    def __str__(self) -> str:
        return self.text

    def owning_version(self) -> QuestionnaireVersion:
        return self.section.version

    def clean(self) -> None:
        super().clean()
        clash = (
            Question.objects.filter(section__version=self.section.version, code=self.code)
            .exclude(pk=self.pk)
            .exists()
        )
        if clash:
            raise ValidationError({"code": "Another question of this version has this code."})

    def options(self) -> list[tuple[str, str]]:
        """The answers to choose from, as (value, label): the scale's points, yes and no, or
        the question's choices; none for numbers and free text."""
        if self.type == QuestionType.YES_NO:
            return list(YES_NO_CHOICES)
        if self.type == QuestionType.LIKERT:
            labels = {c.value: c.label for c in self.choices.all()}
            return [
                (str(point), labels.get(str(point), LIKERT_LABELS[point - 1]))
                for point in range(1, 6)
            ]
        if self.type in CHOICE_TYPES:
            return [(c.value, c.label) for c in self.choices.all()]
        return []


class Choice(_PartOfVersion):
    """An answer to choose (one- and several-choice questions), or a scale point's own label."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    value = models.SlugField(max_length=60)
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "value"],
                name="choice_value_unique_per_question",
                violation_error_message="This question already has a choice with this value.",
            )
        ]

    def __str__(self) -> str:
        return self.label

    def owning_version(self) -> QuestionnaireVersion:
        return self.question.section.version


class Subject(models.Model):
    """The optional record a link or response is about (a placement, a session), named by a
    domain without the engine knowing what it is."""

    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        abstract = True

    def set_subject(self, subject: models.Model | None) -> None:
        if subject is None:
            self.subject_type, self.subject_id = None, None
        else:
            self.subject_type = ContentType.objects.get_for_model(subject)
            self.subject_id = subject.pk


class Distribution(models.Model):
    """A published version sent to a list of people, at once; each gets an ``Invitation``."""

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="distributions"
    )
    title = models.CharField(max_length=200, help_text="For example, Final placements 2019/20.")
    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closes_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return timezone.now() >= self.closes_at


class Invitation(Subject):
    """One person's personal link to answer. Only the token's hash is stored; every e-mail
    (the first and each reminder) carries a fresh token, and the earlier link stops working.
    Answers saved to return to later wait here (``draft``, not kept in history) until sent."""

    distribution = models.ForeignKey(
        Distribution, on_delete=models.CASCADE, related_name="invitations"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_count = models.PositiveSmallIntegerField(default=0)
    draft = models.JSONField(default=dict, blank=True)
    # whether the answers were sent; deliberately no date (an anonymous response must not be
    # matched to its link by time)
    used = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["token_hash", "draft"])

    class Meta:
        ordering = ["person__last_name", "person__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "person", "subject_type", "subject_id"],
                name="questionnaire_invitation_once_per_subject",
                violation_error_message="This person already has a link for this.",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.distribution}"

    @property
    def is_expired(self) -> bool:
        return self.distribution.is_closed


class Response(Subject):
    """One person's answers to one version. Random ids, so that their order tells nothing.

    Anonymous: no ``person``, ``invitation`` or ``subject``; dated the day the questionnaire
    was sent, not the day it was answered (``services.submit_response``). ``respondent_ref``
    is only ever a paper form's reference, from an import.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses"
    )
    # the respondent's organisation and the year asked, for the collation's filters
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_on = models.DateField(default=timezone.localdate)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    # who answered a paper form loaded by an import (their reference on that form)
    respondent_ref = models.CharField(max_length=100, blank=True)
    # No history: a response never changes once sent, and a history row's time would tie an
    # anonymous response to the moment its link was used.

    class Meta:
        ordering = ["submitted_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "respondent_ref"],
                condition=~Q(respondent_ref=""),
                name="questionnaire_response_ref_unique",
                violation_error_message="This version already has a response with this reference.",
            )
        ]

    def __str__(self) -> str:
        return f"Response to {self.version} on {self.submitted_on:%d %B %Y}"


class Answer(models.Model):
    """The answer to one question: a number (scale points and numbers), the chosen values
    (one or several choices, yes or no) or text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    chosen = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True, max_length=5000)

    class Meta:
        ordering = ["question__section__position", "question__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="questionnaire_answer_once_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.display}"

    @property
    def display(self) -> str:
        """The answer as a person reads it."""
        if self.number is not None:
            return format_number(self.number)
        if self.chosen:
            labels = dict(self.question.options())
            return "; ".join(labels.get(value, value) for value in self.chosen)
        return self.text

    def as_cell(self) -> str:
        """The answer as an import or export writes it: values, not labels."""
        if self.number is not None:
            return format_number(self.number)
        if self.chosen:
            return "; ".join(self.chosen)
        return self.text


def format_number(value: Any) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
