"""Users sign in with their e-mail address; what they may do comes from their memberships."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from practica.core.models import Organisation
from practica.core.scoping import ScopedManager, ScopedModel


class Role(models.TextChoices):
    PARTNERSHIP_MANAGER = "partnership_manager", "Partnership manager"
    COORDINATOR = "coordinator", "Coordinator"
    PRACTICE_EDUCATOR = "practice_educator", "Practice educator"
    PRACTITIONER_TEACHER = "practitioner_teacher", "Practitioner teacher"
    CONTRIBUTOR = "contributor", "Lived-experience contributor"
    STUDENT = "student", "Student"
    ACADEMIC = "academic", "Module leader or academic"
    LINE_MANAGER = "line_manager", "Line manager"


class UserManager(DjangoUserManager["User"]):
    def _create_user_object(self, username: Any, email: Any, password: Any, **extra: Any) -> User:
        email = self.normalize_email(email or username).lower()
        user = self.model(email=email, **extra)
        user.password = ""
        if password is not None:
            user.set_password(password)
        return user

    def create_user(  # type: ignore[override]  # e-mail login: no username
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        user = self._create_user_object(None, email, password, **extra)
        user.save(using=self._db)
        return user

    def create_superuser(  # type: ignore[override]  # e-mail login: no username
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__address=username)


class User(AbstractUser):
    """A login. The person behind it (if any) is ``user.person``."""

    username = None  # type: ignore[assignment]  # the e-mail address is the login
    email = models.EmailField("e-mail address", unique=True)
    # The devices themselves are django-otp's (an authenticator app, the recovery codes); these
    # dates put setting up, new recovery codes and resets into the user's history with who did
    # them, never a secret (accounts.services, docs/0012-mfa.md).
    two_factor_since = models.DateTimeField(
        "two-factor authentication set up", null=True, blank=True, editable=False
    )
    recovery_codes_issued_at = models.DateTimeField(
        "recovery codes issued", null=True, blank=True, editable=False
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_case_insensitive")
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


class Membership(ScopedModel):
    """A user holds a role in an organisation; a user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects: ClassVar[ScopedManager[Membership]]

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                name="membership_unique",
                violation_error_message="This user already holds this role in this organisation.",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.organisation.name}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(ScopedModel):
    """An e-mailed link to join an organisation with a role. Only the token's hash is stored."""

    email = models.EmailField()
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(  # empty when the command line invited them
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["token_hash"])

    objects: ClassVar[ScopedManager[Invitation]]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} ({self.get_role_display()}, {self.organisation.name})"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "Accepted"
        return "Expired" if self.is_expired else "Waiting"


if TYPE_CHECKING:
    from django.http import HttpRequest
    from django_htmx.middleware import HtmxDetails

    class AuthenticatedRequest(HttpRequest):
        """What a view behind ``login_required`` receives (for type checking)."""

        user: User
        membership: Membership | None
        htmx: HtmxDetails  # django-htmx's middleware
else:
    from django.http import HttpRequest as AuthenticatedRequest  # noqa: F401
