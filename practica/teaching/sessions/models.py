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
    starts_at = models.TimeField("starts", null=True, blank=True)
    ends_at = models.TimeField("ends", null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    cancel_reason = models.TextField("why it was cancelled", blank=True)
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

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("teaching:session-detail", args=[self.pk])

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


# --- the request protocol: nominated contacts, requests, offers --------------------------------


class NominatedContact(ScopedModel):
    """An organisation's named contact for practitioner teaching: a university's senior
    academic, who raises its requests, or a local authority's practitioner-teacher lead, who
    answers them (one each; the organisation's coordinators name them)."""

    scope_path = "organisation"

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="teaching_contact"
    )
    person = models.ForeignKey(
        "core.Person", on_delete=models.PROTECT, related_name="teaching_contact_for"
    )
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[NominatedContact]]

    def __str__(self) -> str:
        return f"{self.person} for {self.organisation}"

    @property
    def role_label(self) -> str:
        if self.organisation.kind == OrganisationKind.HEI:
            return "Senior academic for practitioner teaching"
        return "Practitioner teacher lead"

    def clean(self) -> None:
        if (
            self.organisation_id
            and self.person_id
            and self.person.organisation_id != self.organisation_id
        ):
            raise ValidationError({"person": "The contact must be someone of this organisation."})


class RequestStatus(models.TextChoices):
    OPEN = "open", "Waiting for practitioners"
    FILLED = "filled", "Filled"
    CANCELLED = "cancelled", "Cancelled"


class TeachingRequest(ScopedModel):
    """A university's request for practitioners to teach a session or sit on an admissions
    interview panel, sent to the practitioner-teacher lead of each chosen local authority."""

    scope_path = "hei"

    hei = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="teaching_requests",
        verbose_name="university",
        limit_choices_to={"kind": OrganisationKind.HEI},
    )
    kind = models.CharField("type", max_length=20, choices=SessionKind.choices)
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    module = models.CharField(max_length=200, blank=True)
    topic = models.CharField(max_length=200, blank=True)
    date = models.DateField()
    starts_at = models.TimeField("starts")
    ends_at = models.TimeField("ends")
    place = models.CharField(max_length=200, blank=True)
    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expertise = models.ManyToManyField(
        "teaching.Expertise", blank=True, related_name="teaching_requests"
    )
    practitioners_wanted = models.PositiveSmallIntegerField(
        "practitioners needed",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    # the university's own lived-experience contributors who also take part (listed ones only;
    # they join the session when it is arranged)
    contributors = models.ManyToManyField(
        LivedExperienceContributor,
        blank=True,
        related_name="teaching_requests",
        verbose_name="lived-experience contributors",
    )
    # the local authorities asked (every one of the partnership, unless the academic chose)
    targets = models.ManyToManyField(
        Organisation, related_name="teaching_requests_received", verbose_name="asked"
    )
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    session = models.OneToOneField(
        TeachingSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # why it last changed or was cancelled (kept in the history with each change)
    change_reason = models.TextField("reason for the change", blank=True)
    # the calendar invitation's revision (iCalendar SEQUENCE), raised by each change
    sequence = models.PositiveIntegerField(default=0)
    # adding a contributor is a change of the request, in its history like any other
    history = HistoricalRecords(m2m_fields=[contributors])

    objects: ClassVar[ScopedManager[TeachingRequest]]

    class Meta:
        ordering = ["date", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=RequestStatus.values),
                name="teaching_request_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="teaching_request_ends_after_start",
                violation_error_message="The session must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        what = self.topic or self.module or self.get_kind_display()
        return f"{what}, {self.date:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("teaching:request-detail", args=[self.pk])

    def clean(self) -> None:
        if (
            self.academic_year_id
            and self.date
            and not (self.academic_year.starts_on <= self.date <= self.academic_year.ends_on)
        ):
            raise ValidationError(
                {"date": f"The date is not in the academic year {self.academic_year.label}."}
            )


class OfferStatus(models.TextChoices):
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted, waiting for the practitioner"
    CONFIRMED = "confirmed", "Confirmed"
    DECLINED = "declined", "Not taken up"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CANCELLED = "cancelled", "Cancelled"


# offers still in play (they count against the practitioners wanted)
LIVE_OFFERS = frozenset({OfferStatus.OFFERED, OfferStatus.ACCEPTED, OfferStatus.CONFIRMED})


class RequestOffer(ScopedModel):
    """A practitioner teacher a local authority offers for a request; the university accepts
    the offer and the practitioner confirms it."""

    scope_path = "request__hei"

    request = models.ForeignKey(TeachingRequest, on_delete=models.CASCADE, related_name="offers")
    practitioner_teacher = models.ForeignKey(
        PractitionerTeacher, on_delete=models.PROTECT, related_name="teaching_offers"
    )
    # the local authority that offered them (their employer)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=OfferStatus.choices, default=OfferStatus.OFFERED
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    reason = models.TextField("reason for the last change", blank=True)
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[RequestOffer]]

    class Meta:
        ordering = ["request", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=OfferStatus.values),
                name="teaching_offer_status_valid",
            ),
            models.UniqueConstraint(
                fields=["request", "practitioner_teacher"],
                name="teaching_offer_once",
                violation_error_message="This practitioner has already been offered.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practitioner_teacher} for {self.request}"


class OfferLink(ScopedModel):
    """A single-use link for a practitioner without a Practica account to confirm or decline
    the session they were accepted for. Only the token's hash is stored."""

    scope_path = "offer__request__hei"

    offer = models.ForeignKey(RequestOffer, on_delete=models.CASCADE, related_name="links")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["token_hash"])

    objects: ClassVar[ScopedManager[OfferLink]]

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="teaching_offer_link_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"Link for {self.email} to {self.offer}"


# --- quality: peer observation -----------------------------------------------------------------


class PeerObservation(ScopedModel):
    """The module leader's observation of a practitioner teaching, with the feedback given
    straight after the session; the practitioner reads it, no other practitioner does."""

    scope_path = "session__hei"

    session = models.ForeignKey(
        TeachingSession, on_delete=models.CASCADE, related_name="observations"
    )
    practitioner_teacher = models.ForeignKey(
        PractitionerTeacher, on_delete=models.PROTECT, related_name="observations"
    )
    observed_on = models.DateField()
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    strengths = models.TextField()
    areas_to_develop = models.TextField()
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[PeerObservation]]

    class Meta:
        ordering = ["-observed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "practitioner_teacher"],
                name="peer_observation_once",
                violation_error_message="This practitioner's session has been observed already.",
            ),
        ]

    def __str__(self) -> str:
        return f"Observation of {self.practitioner_teacher} at {self.session}"
