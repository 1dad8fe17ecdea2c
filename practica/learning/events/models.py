"""Events (forums, workshops, training days) and registrations with a waiting list and
attendance.

Events are shared across the partnership by design (docs/0007-cpd-events-sharing.md); who
sees and does what is declared in ``learning/rules.py``.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from practica.accounts.models import Role
from practica.core.models import Location, Organisation, Partnership, Person
from practica.core.scoping import ScopedManager, ScopedModel


class EventKind(models.TextChoices):
    PE_FORUM = "pe_forum", "Practice educator forum"
    JOINT_PE_FORUM = "joint_pe_forum", "Quarterly joint practice educator forum"
    WORKSHOP = "workshop", "Workshop"
    PEPS_TRAINING_DAY = "peps_training_day", "PEPS training day"
    PT_WORKSHOP = "pt_workshop", "Practitioner teacher workshop"
    OTHER = "other", "Other"


class Audience(models.TextChoices):
    """Who an event is for. Each choice names the roles it reaches (``AUDIENCE_ROLES``)."""

    EVERYONE = "everyone", "Everyone in the partnership"
    PRACTICE_EDUCATORS = "practice_educators", "Practice educators"
    PRACTITIONER_TEACHERS = (
        "practitioner_teachers",
        "Practitioner teachers and lived-experience contributors",
    )
    PRACTITIONERS = "practitioners", "Practice educators and practitioner teachers"
    STAFF = "staff", "Staff of partner organisations"


AUDIENCE_ROLES: dict[str, frozenset[Role]] = {
    Audience.EVERYONE: frozenset(Role),
    Audience.PRACTICE_EDUCATORS: frozenset({Role.PRACTICE_EDUCATOR}),
    Audience.PRACTITIONER_TEACHERS: frozenset({Role.PRACTITIONER_TEACHER, Role.CONTRIBUTOR}),
    Audience.PRACTITIONERS: frozenset({Role.PRACTICE_EDUCATOR, Role.PRACTITIONER_TEACHER}),
    Audience.STAFF: frozenset(
        {
            Role.COORDINATOR,
            Role.ACADEMIC,
            Role.LINE_MANAGER,
            Role.PRACTICE_EDUCATOR,
            Role.PRACTITIONER_TEACHER,
        }
    ),
}


def audiences_for(role: str) -> list[str]:
    """The audiences that include ``role``."""
    return [audience for audience, roles in AUDIENCE_ROLES.items() if role in roles]


class Event(ScopedModel):
    """A forum, workshop or training day; organised by one organisation, perhaps with others."""

    kind = models.CharField("type", max_length=30, choices=EventKind.choices)
    title = models.CharField(max_length=200)
    theme = models.CharField(
        max_length=200,
        blank=True,
        help_text="For example reflective supervision, or unconscious bias.",
    )
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField("starts")
    ends_at = models.DateTimeField("ends")
    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        help_text="One of the organisation's locations.",
    )
    place = models.CharField(
        max_length=300,
        blank=True,
        help_text="Or the venue in words, for example Medway campus, room 2.14.",
    )
    online_link = models.URLField(
        blank=True, max_length=500, help_text="The meeting link, for events held online."
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="organised_events",
        verbose_name="organising organisation",
    )
    co_facilitators = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="co_facilitated_events",
        verbose_name="co-facilitating organisations",
    )
    capacity = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Places available. Leave empty for no limit.",
    )
    registration_open = models.BooleanField(default=True)
    audience = models.CharField(max_length=30, choices=Audience.choices, default=Audience.EVERYONE)
    history = HistoricalRecords(m2m_fields=[co_facilitators])

    objects: ClassVar[ScopedManager[Event]]

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_it_starts",
                violation_error_message="The event must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_at_least_one",
                violation_error_message="Capacity must be at least 1 place (or empty for no limit).",
            ),
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="event_audience_valid"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:event-detail", args=[self.pk])

    @property
    def where(self) -> str:
        """The place in words: the location, the free-text place and/or "Online"."""
        parts = [str(self.location)] if self.location_id else []
        if self.place:
            parts.append(self.place)
        if self.online_link:
            parts.append("Online")
        return ", ".join(parts)

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def accepts_registrations(self) -> bool:
        return self.registration_open and not self.has_started


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", "Registered"
    WAITLISTED = "waitlisted", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", "Not recorded"
    YES = "yes", "Attended"
    NO = "no", "Did not attend"


class Registration(ScopedModel):
    """One person's place (or place in the queue) at one event, and whether they came."""

    scope_path = "event__organisation"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="registrations")
    status = models.CharField(
        max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    attended = models.CharField(
        max_length=10, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    # When the person last asked for a place: the waiting list is served in this order.
    registered_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[Registration]]

    class Meta:
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                name="registration_one_per_person_per_event",
                violation_error_message="This person already has a registration for this event.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values),
                name="registration_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(attended__in=Attendance.values), name="registration_attended_valid"
            ),
            # Only someone who held a place can have attended (or not).
            models.CheckConstraint(
                condition=Q(status=RegistrationStatus.REGISTERED) | Q(attended=Attendance.UNKNOWN),
                name="registration_attendance_only_when_registered",
                violation_error_message="Attendance can only be recorded for registered people.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.event}"


# what counts as a practice educator's update training where a partnership has not said
DEFAULT_UPDATE_TRAINING_KINDS = (EventKind.PE_FORUM, EventKind.JOINT_PE_FORUM, EventKind.WORKSHOP)


class UpdateTrainingRule(ScopedModel):
    """The kinds of event whose attendance counts as a practice educator's update training, for
    one partnership; kept by its lead organisation's coordinators. Without a row the defaults
    apply (``DEFAULT_UPDATE_TRAINING_KINDS``)."""

    scope_path = "partnership__lead_organisation"

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="update_training_rule"
    )
    kinds = models.JSONField(
        "kinds of event that count as update training", default=list, blank=True
    )
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[UpdateTrainingRule]]

    class Meta:
        verbose_name = "update training rule"

    def __str__(self) -> str:
        return f"Update training at {self.partnership}"

    def clean(self) -> None:
        unknown = [kind for kind in self.kinds if kind not in EventKind.values]
        if not isinstance(self.kinds, list) or unknown:
            raise ValidationError({"kinds": f"Not kinds of event: {', '.join(map(str, unknown))}."})
