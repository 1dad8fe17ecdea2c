"""Partnership, organisations, service areas, teams, locations, academic years and people."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from practica.core import academic_years
from practica.core.scoping import ScopedManager, ScopedModel, ScopedQuerySet


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True)
    lead_organisation = models.ForeignKey(
        "Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    HEI = "hei", "University (HEI)"
    INDEPENDENT = "independent", "Independent"
    PVI = "pvi", "Private, voluntary or independent (PVI)"
    OTHER = "other", "Other"


organisation_code_validator = RegexValidator(
    r"^[A-Z0-9]{2,12}$",
    "Use 2 to 12 capital letters or digits for the code, for example MC or CCCU.",
)


class Organisation(ScopedModel):
    scope_path = "pk"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="organisations"
    )
    code = models.CharField(
        max_length=12,
        validators=[organisation_code_validator],
        help_text="A short code such as MC, KCC or CCCU, used in imports and reports.",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    history = HistoricalRecords()
    objects: ClassVar[ScopedManager[Organisation]]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("code"),
                name="organisation_code_unique",
                violation_error_message="An organisation with this code already exists.",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values),
                name="organisation_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("organisations:organisation-detail", args=[self.pk])

    @property
    def is_hei(self) -> bool:
        return self.kind == OrganisationKind.HEI


class ServiceArea(models.Model):
    """Children's, adults, mental health…: shared vocabulary of the whole installation."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Location(ScopedModel):
    """A town or office where an organisation's people work."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(max_length=120, help_text="Town or office, for example Gillingham.")
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    history = HistoricalRecords()
    objects: ClassVar[ScopedManager[Location]]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("name"),
                name="location_name_unique_per_organisation",
                violation_error_message="This organisation already has a location with this name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:organisation-detail", args=[self.organisation_id])


class Team(ScopedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=200)
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="teams")
    location = models.ForeignKey(
        Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="teams"
    )
    history = HistoricalRecords()
    objects: ClassVar[ScopedManager[Team]]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("name"),
                name="team_name_unique_per_organisation",
                violation_error_message="This organisation already has a team with this name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:team-detail", args=[self.pk])

    def clean(self) -> None:
        if (
            self.location_id
            and self.organisation_id
            and self.location is not None
            and self.location.organisation_id != self.organisation_id
        ):
            raise ValidationError({"location": "Choose a location of the team's organisation."})


class AcademicYear(models.Model):
    """1 September to 31 August, written ``2019/20``; records point here for year filters."""

    start_year = models.PositiveSmallIntegerField(
        unique=True,
        validators=[
            MinValueValidator(academic_years.EARLIEST),
            MaxValueValidator(academic_years.LATEST),
        ],
    )

    class Meta:
        ordering = ["-start_year"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return academic_years.format_academic_year(self.start_year)

    @property
    def starts_on(self) -> datetime.date:
        return academic_years.bounds(self.start_year)[0]

    @property
    def ends_on(self) -> datetime.date:
        return academic_years.bounds(self.start_year)[1]


class Person(ScopedModel):
    """A practitioner, student or contributor; may or may not have a login (``user``)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="people"
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[Person]]

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="person_email_unique",
                # Says nothing of whose it is: the services say more to those who may know.
                violation_error_message="This e-mail address cannot be used. Check it is the "
                "person's own address; if it is, ask a partnership manager.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("organisations:person-detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def clean(self) -> None:
        if (
            self.team is not None
            and self.organisation_id
            and self.team.organisation_id != self.organisation_id
        ):
            raise ValidationError({"team": "Choose a team of the person's organisation."})


class SubjectAccessChannel(models.TextChoices):
    PAGE = "page", "Person's page"
    COMMAND_LINE = "command_line", "Command line"


class SubjectAccessExport(ScopedModel):
    """A record that everything held about a person was exported (UK GDPR subject access).

    Written once by ``services.record_subject_access_export`` and never changed in the app;
    the person's own export lists these rows, so they can see who exported their data.
    """

    scope_path = "person__organisation"

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="subject_access_exports"
    )
    exported_by = models.ForeignKey(  # empty when the command line exported it
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    exported_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=20, choices=SubjectAccessChannel.choices)
    file_format = models.CharField(max_length=10, choices=[("json", "JSON"), ("zip", "ZIP")])
    history = HistoricalRecords()
    objects: ClassVar[ScopedManager[SubjectAccessExport]]

    class Meta:
        ordering = ["-exported_at"]
        verbose_name = "subject access export"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__in=SubjectAccessChannel.values),
                name="subject_access_export_channel_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Subject access export of {self.person} on {self.exported_at:%Y-%m-%d}"


class RateLimitCount(models.Model):
    """How many attempts one key (a client address, an e-mail address, a token prefix …) made
    in its current window of a rate limit (``practica.core.rate_limits``). The key is kept only
    as a SHA-256 hash of the limit's name and the key; a row whose window has ended is deleted
    when a new window starts. Counted with one atomic INSERT … ON CONFLICT DO UPDATE statement,
    so concurrent requests never share a count (docs/0011-pe-self-service-and-panels.md)."""

    key_hash = models.CharField(max_length=64, unique=True)
    window_end = models.BigIntegerField(help_text="Unix time when the window ends.")
    hits = models.IntegerField(default=0)

    class Meta:
        db_table = "core_ratelimitcount"  # named in practica.core.rate_limits.COUNT_ATTEMPT
        indexes = [models.Index(fields=["window_end"], name="rate_limit_count_window_end")]

    def __str__(self) -> str:
        return f"{self.hits} until {self.window_end}"


class WorkerHeartbeat(models.Model):
    """When a background worker (``practica db_worker``) last said it was alive: it writes this
    every ``PRACTICA_WORKER_HEARTBEAT_SECONDS`` from a thread of its own, and ``/healthz``
    reads it. Holds no personal data."""

    worker_id = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"worker {self.worker_id}, last seen {self.last_seen:%Y-%m-%d %H:%M:%S}"


class AuditAction(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_OUT = "sign_out", "Signed out"
    REPORT_DOWNLOAD = "report_download", "Downloaded a report"
    EXPORT = "export", "Exported records"
    SUBJECT_ACCESS_EXPORT = "subject_access_export", "Exported everything held about a person"
    ANONYMISED = "anonymised", "Anonymised a person"
    SIGN_IN_FAILED = "sign_in_failed", "Failed to sign in"
    SECOND_FACTOR_FAILED = "second_factor_failed", "Entered a wrong two-factor code"


class AuditEventQuerySet(ScopedQuerySet["AuditEvent"]):
    """Audit events are written once and never changed or deleted through Practica."""

    def update(self, **kwargs: object) -> int:
        raise PermissionError("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events cannot be deleted.")


class AuditEventManager(ScopedManager["AuditEvent"]):
    _queryset_class = AuditEventQuerySet  # type: ignore[assignment]  # a ScopedQuerySet, narrower


class AuditEvent(ScopedModel):
    """Something done that changes no record but must be accounted for: a sign-in, a report
    downloaded, records exported, everything about a person exported (SECURITY.md §9). With
    the django-simple-history rows of every record it makes the audit page
    (``organisations.audit``). Written once by ``core.audit_log.record``; never changed or
    deleted in the app, the API or the admin. It names no one but through ``user``, so
    anonymising a login leaves no name behind here."""

    scope_path = None  # the partnership's (organisations/rules.py)

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # the partnership whose managers see it (None: an administrator without a membership)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=30, choices=AuditAction.choices)
    what = models.CharField(max_length=300, blank=True)
    # the client's address (an IPv6 address stands for its /64 network); empty off the web
    address = models.CharField(max_length=50, blank=True)
    # off the web, how it was done: the command or background task ("Command line: practica
    # subject-access"), as ``ChangeAddress.source``
    source = models.CharField(max_length=100, blank=True, default="")
    objects: ClassVar[AuditEventManager] = AuditEventManager()

    class Meta:
        ordering = ["-at"]
        verbose_name = "audit event"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AuditAction.values), name="audit_event_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise PermissionError("Audit events cannot be changed.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]  # Django's own arguments

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events cannot be deleted.")


class ChangeAddress(models.Model):
    """Where a change to a record came from: one row beside each django-simple-history row,
    with the client address when it was written while answering a web request and the source
    when it was made off the web ("Command line: practica import", "Background task: process
    import"), written by ``core.audit_log`` (one row a history row; in bulk for bulk writes).

    A table of its own, not columns on every history table: one migration in core instead of
    one in every app, and history rows stay as simple-history writes them
    (docs/0036-audit-reading.md). Like
    ``AuditEvent.address`` it is never changed."""

    # the history model's label ("core.historicalperson") and its row's history_id
    history_model = models.CharField(max_length=100)
    history_id = models.BigIntegerField()
    address = models.CharField(max_length=50, blank=True, default="")
    # how a change made off the web was made: the command or the background task
    source = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["history_model", "history_id"], name="change_address_one_per_row"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.history_model} #{self.history_id} from {self.address or self.source}"
