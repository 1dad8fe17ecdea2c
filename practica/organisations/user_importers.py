"""The ``users`` import kind: the people who sign in, one row per role in an organisation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from practica.accounts import permissions, services
from practica.accounts.models import Invitation, Membership, Role, User
from practica.core.models import Person
from practica.imports import parsers as p
from practica.imports.framework import NATURAL_KEY, Column, ImportContext, Importer
from practica.imports.registry import register_importer

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

ROLES = list(Role.values)
INVITED = "users: invited"


@register_importer
class UserImporter(Importer):
    kind = "users"
    title = "Users and their roles"
    description = (
        "People who sign in to Practica: one row for each role a person holds in an "
        "organisation. A new user is e-mailed an invitation to choose a password (unless the "
        "import is run from the command line without invitations). Each user is linked to the "
        "person with the same e-mail "
        "address, or a person record is added for them. Someone who already signs in for an "
        "organisation you do not manage is e-mailed an invitation to accept the role instead: "
        "the import never changes their name or gives them a role without their acceptance."
    )
    columns = [
        Column(
            "email", p.email, required=True, example="sam.patel@medway.gov.uk", source="user.email"
        ),
        Column(
            "first_name",
            p.text(max_length=150),
            required=True,
            example="Sam",
            source="user.first_name",
        ),
        Column(
            "last_name",
            p.text(max_length=150),
            required=True,
            example="Patel",
            source="user.last_name",
        ),
        Column(
            "organisation", p.organisation, required=True, help="Organisation code", example="MC"
        ),
        Column(
            "role", p.choice(Role), required=True, help=" | ".join(ROLES), example="coordinator"
        ),
    ]
    natural_key = ("email", "organisation", "role")
    sends_invitations = True
    depends_on = ("organisations", "people")

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        problems = []
        if values["role"] == Role.PARTNERSHIP_MANAGER and ctx.viewer is not permissions.OPERATOR:
            problems.append(
                (
                    "role",
                    "only the command line (`practica import`) can give the partnership manager "
                    "role.",
                )
            )
        names = (values["first_name"], values["last_name"])
        seen = ctx.cache.setdefault("users: names", {})
        if seen.setdefault(values["email"], names) != names:
            problems.append(
                (
                    "first_name",
                    f"another row names {values['email']} {' '.join(seen[values['email']])}; "
                    "a user has one name in every row.",
                )
            )
        return problems

    def find(self, values: dict[str, Any], ctx: ImportContext) -> Membership | Invitation | None:
        """The membership the row names; for a user outside the importer's scope, the
        invitation to it that is still waiting for them."""
        membership = (
            Membership.objects.unscoped(NATURAL_KEY)
            .filter(
                user__email__address=values["email"],
                organisation=values["organisation"],
                role=values["role"],
            )
            .select_related("user")
            .first()
        )
        user = _user_with(values["email"])
        if membership is not None or user is None or _in_scope(user, ctx):
            return membership
        return _waiting_invitation(values)

    def is_unchanged(
        self, obj: Membership | Invitation, values: dict[str, Any], ctx: ImportContext
    ) -> bool:
        if isinstance(obj, Invitation):  # theirs to accept; nothing here changes until then
            return True
        # Beyond the columns: a row also gives back a role that was taken away, and the user's
        # person record if it is missing, which no column reads.
        return (
            super().is_unchanged(obj, values, ctx)
            and obj.is_active
            and Person.objects.unscoped(NATURAL_KEY).filter(user=obj.user).exists()
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> Membership | Invitation:
        return self._apply(values, ctx)

    def update(
        self, obj: Membership | Invitation, values: dict[str, Any], ctx: ImportContext
    ) -> Membership | Invitation:
        return self._apply(values, ctx)

    def _apply(self, values: dict[str, Any], ctx: ImportContext) -> Membership | Invitation:
        """The user (created without a password if new, renamed if the file says so), the role,
        the person record, and an invitation for a user who cannot sign in yet. A user outside
        the importer's scope gets an invitation to accept the role, and nothing else."""
        email, organisation, role = values["email"], values["organisation"], values["role"]
        user = _user_with(email)
        if user is not None and not _in_scope(user, ctx):
            return (
                _waiting_invitation(values)
                or services.invite(
                    actor=ctx.actor,
                    organisation=organisation,
                    email=email,
                    role=role,
                    base_url=ctx.options.get("base_url") or settings.PRACTICA_BASE_URL,
                    send=ctx.options.get("invite", True),
                )[0]
            )
        if user is None:
            user = services.create_user(
                actor=ctx.actor,
                email=email,
                first_name=values["first_name"],
                last_name=values["last_name"],
                password=None,
            )
        elif (user.first_name, user.last_name) != (values["first_name"], values["last_name"]):
            services.update_user_names(
                actor=ctx.actor,
                user=user,
                first_name=values["first_name"],
                last_name=values["last_name"],
            )
        membership = services.grant_membership(
            actor=ctx.actor, user=user, organisation=organisation, role=role
        )
        services.ensure_person_for_user(actor=ctx.actor, user=user, organisation=organisation)
        invited: set[str] = ctx.cache.setdefault(INVITED, set())
        if (
            ctx.options.get("invite", True)
            and not user.has_usable_password()
            and email not in invited
        ):
            invited.add(email)
            waiting = Invitation.objects.unscoped(NATURAL_KEY).filter(
                email__address=email, accepted_at__isnull=True, expires_at__gt=timezone.now()
            )
            if not waiting.exists():
                services.invite(
                    actor=ctx.actor,
                    organisation=organisation,
                    email=email,
                    role=role,
                    base_url=ctx.options.get("base_url") or settings.PRACTICA_BASE_URL,
                )
        return membership

    def records(self, viewer: Viewer) -> QuerySet[Membership]:
        return (
            Membership.objects.visible_to(viewer)
            .filter(is_active=True, user__is_active=True)
            .select_related("user", "organisation")
            .order_by("user__email", "organisation__code", "role")
        )


def _user_with(email: str) -> User | None:
    return User.objects.filter(email__address=email).first()


def _in_scope(user: User, ctx: ImportContext) -> bool:
    """Whether the importer may change this user: the command line may; anyone else only a
    user whose every role, and whose person record, belong to organisations they manage."""
    if ctx.viewer is permissions.OPERATOR:
        return True
    manageable = ctx.manageable()
    organisations = set(
        Membership.objects.unscoped("every role of a user the import would change")
        .filter(user=user, is_active=True)
        .values_list("organisation_id", flat=True)
    )
    organisations |= set(
        Person.objects.unscoped("the person record of a user the import would change")
        .filter(user=user)
        .values_list("organisation_id", flat=True)
    )
    return organisations <= manageable


def _waiting_invitation(values: dict[str, Any]) -> Invitation | None:
    return (
        Invitation.objects.unscoped(NATURAL_KEY)
        .filter(
            email__address=values["email"],
            organisation=values["organisation"],
            role=values["role"],
            accepted_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )
