"""The directories: practitioner teachers held by each employer (local authority) and
lived-experience contributors held by each university."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from practica.accounts.models import User
from practica.core.models import Organisation, OrganisationKind, Partnership, Person, ServiceArea
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


# --- practitioner teachers' own diversity monitoring answers ------------------------------


class EthnicGroup(models.TextChoices):
    """The five high-level ethnic groups of the 2021 census of England and Wales (ONS)."""

    ASIAN = "asian", "Asian, Asian British or Asian Welsh"
    BLACK = "black", "Black, Black British, Black Welsh, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    PREFER_NOT = "prefer_not", "Prefer not to say"


class Disability(models.TextChoices):
    """The Equality Act 2010 question: a condition that limits day-to-day activities."""

    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT = "prefer_not", "Prefer not to say"


class Gender(models.TextChoices):
    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    ANOTHER_WAY = "another_way", "In another way"
    PREFER_NOT = "prefer_not", "Prefer not to say"


class AgeBand(models.TextChoices):
    UNDER_30 = "under_30", "Under 30"
    FROM_30 = "30_39", "30 to 39"
    FROM_40 = "40_49", "40 to 49"
    FROM_50 = "50_59", "50 to 59"
    FROM_60 = "60_over", "60 or over"
    PREFER_NOT = "prefer_not", "Prefer not to say"


# each characteristic the pt-directory-diversity report counts: (field, label, choices)
DIVERSITY_CHARACTERISTICS: tuple[tuple[str, str, type[models.TextChoices]], ...] = (
    ("ethnic_group", "Ethnic group", EthnicGroup),
    ("disability", "Disability", Disability),
    ("gender", "Gender", Gender),
    ("age_band", "Age", AgeBand),
)


class PractitionerDiversity(ScopedModel):
    """A practitioner teacher's own answers to the diversity monitoring questions, given with
    their consent to being counted (never shown to anyone else one by one: the
    ``pt-directory-diversity`` report counts them, small numbers suppressed).

    Only the practitioner records or withdraws them. Withdrawing clears every answer and keeps
    only the dates, so nothing is left to count. No history table: a history would keep the
    answers after the withdrawal that must erase them."""

    scope_path = "practitioner_teacher__person__organisation"

    practitioner_teacher = models.OneToOneField(
        PractitionerTeacher, on_delete=models.CASCADE, related_name="diversity"
    )
    ethnic_group = models.CharField(max_length=20, choices=EthnicGroup.choices, blank=True)
    disability = models.CharField(
        "disability (a condition that limits your day-to-day activities)",
        max_length=20,
        choices=Disability.choices,
        blank=True,
    )
    gender = models.CharField(max_length=20, choices=Gender.choices, blank=True)
    age_band = models.CharField("age", max_length=20, choices=AgeBand.choices, blank=True)
    consented_on = models.DateField("consent to being counted given on")
    withdrawn_on = models.DateField("consent withdrawn on", null=True, blank=True)

    objects: ClassVar[ScopedManager[PractitionerDiversity]]

    class Meta:
        verbose_name = "practitioner teacher's diversity monitoring answers"
        verbose_name_plural = "practitioner teachers' diversity monitoring answers"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ethnic_group__in=["", *EthnicGroup.values])
                & models.Q(disability__in=["", *Disability.values])
                & models.Q(gender__in=["", *Gender.values])
                & models.Q(age_band__in=["", *AgeBand.values]),
                name="practitioner_diversity_choices_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(ethnic_group="", disability="", gender="", age_band=""),
                name="practitioner_diversity_cleared_when_withdrawn",
                violation_error_message="Answers are cleared when consent is withdrawn.",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(withdrawn_on__gte=models.F("consented_on")),
                name="practitioner_diversity_withdrawn_after_given",
                violation_error_message="Consent cannot be withdrawn before it was given.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practitioner_teacher}: diversity monitoring answers"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_on is None


# --- lived-experience contributors' consent ----------------------------------------------


class ConsentKind(models.TextChoices):
    """What a contributor agreed to. Listing in the university's directory is the consent the
    others rest on: without it nobody but the contributor sees their entry."""

    DIRECTORY = "directory", "Being listed in the university's directory"
    PARTNERS = "partners", "Sharing their entry with the partnership's local authorities"
    RECORDING = "recording", "Photographs and recordings of sessions"


class ContributorConsent(ScopedModel):
    """One consent a contributor gave, on a date, until they withdraw it (the row stays, with
    the date of withdrawal, so the history of what they agreed to is kept)."""

    scope_path = "contributor__hei"

    contributor = models.ForeignKey(
        LivedExperienceContributor, on_delete=models.CASCADE, related_name="consents"
    )
    kind = models.CharField("what they agreed to", max_length=20, choices=ConsentKind.choices)
    given_on = models.DateField("date given")
    withdrawn_on = models.DateField("date withdrawn", null=True, blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[ContributorConsent]]

    class Meta:
        ordering = ["given_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ConsentKind.values), name="contributor_consent_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(withdrawn_on__gte=models.F("given_on")),
                name="contributor_consent_withdrawn_after_given",
                violation_error_message="Consent cannot be withdrawn before it was given.",
            ),
            models.UniqueConstraint(
                fields=["contributor", "kind"],
                condition=models.Q(withdrawn_on__isnull=True),
                name="contributor_consent_one_in_force",
                violation_error_message="This consent is already in force.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contributor}: {self.get_kind_display()}"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_on is None


# --- recruitment and training of practitioner teachers -----------------------------------


class ExpressionOfInterest(ScopedModel):
    """A practitioner's expression of interest in the practitioner teacher role (the flyer's
    form), agreed by their line manager through a single-use link."""

    scope_path = "person__organisation"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="teaching_interests")
    submitted_at = models.DateTimeField(default=timezone.now)
    knowledge = models.TextField("knowledge", help_text="What you know that students should.")
    skills = models.TextField("skills", help_text="For example presenting, group work, role play.")
    experience = models.TextField(
        "experience", help_text="Your practice experience, and any teaching or training you do."
    )
    areas = models.ManyToManyField(
        Expertise, blank=True, related_name="+", verbose_name="areas of interest"
    )
    other_areas = models.CharField("other areas of interest", max_length=300, blank=True)
    line_manager_name = models.CharField(max_length=200)
    line_manager_email = models.EmailField()
    agreement_token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    agreement_expires_at = models.DateTimeField(null=True, blank=True)
    line_manager_agrees = models.BooleanField(null=True, blank=True)
    line_manager_comment = models.TextField(blank=True)
    answered_at = models.DateTimeField("line manager answered", null=True, blank=True)
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[ExpressionOfInterest]]

    class Meta:
        ordering = ["-submitted_at", "pk"]
        verbose_name_plural = "expressions of interest"

    def __str__(self) -> str:
        return f"{self.person}: expression of interest"

    @property
    def agreed(self) -> bool:
        return self.line_manager_agrees is True


class Shadowing(ScopedModel):
    """A new practitioner teacher shadowed an experienced one at a session."""

    scope_path = "practitioner_teacher__person__organisation"

    practitioner_teacher = models.ForeignKey(
        PractitionerTeacher, on_delete=models.CASCADE, related_name="shadowings"
    )
    shadowed = models.ForeignKey(
        PractitionerTeacher,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shadowed_by",
        verbose_name="experienced practitioner teacher",
    )
    on = models.DateField("date")
    session = models.CharField(
        "session", max_length=200, help_text="The session, module and university."
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[Shadowing]]

    class Meta:
        ordering = ["-on", "pk"]
        verbose_name_plural = "shadowing"

    def __str__(self) -> str:
        return f"{self.practitioner_teacher} shadowed {self.session}"

    def clean(self) -> None:
        if self.shadowed_id and self.shadowed_id == self.practitioner_teacher_id:
            raise ValidationError(
                {"shadowed": "Choose someone else: they cannot shadow themselves."}
            )


WORKSHOPS_MAX = 10


class ReadinessRule(ScopedModel):
    """Which recorded steps make a partnership's practitioner teacher ready to teach; kept by
    the lead organisation's coordinators. Without a row the defaults apply (the case study's
    route: an agreed expression of interest, the three workshops, and shadowing)."""

    scope_path = "partnership__lead_organisation"

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="teaching_readiness_rule"
    )
    interest_required = models.BooleanField(
        "an expression of interest agreed by their line manager", default=True
    )
    workshops_required = models.PositiveSmallIntegerField(
        "practitioner teacher workshops to attend",
        default=3,
        validators=[MaxValueValidator(WORKSHOPS_MAX)],
        help_text="The introductory workshop counts as the first.",
    )
    shadowing_required = models.BooleanField(
        "shadowing an experienced practitioner teacher", default=True
    )
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[ReadinessRule]]

    class Meta:
        verbose_name = "readiness to teach rule"

    def __str__(self) -> str:
        return f"Readiness to teach at {self.partnership}"
