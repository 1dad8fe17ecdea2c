"""The ``users`` import kind: the people who sign in, one row per role in an organisation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from practica.accounts import permissions, services
from practica.accounts.models import Invitation, Membership, Role, User
from practica.core.models import Person
from practica.imports import parsers as p
from practica.imports.framework import Column, ImportContext, Importer
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
        "organisation. A new user is e-mailed an invitation to choose a password (not with "
        "`practica import --no-invite`). Each user is linked to the person with the same e-mail "
        "address, or a person record is added for them."
    )
    columns = [
        Column("email", p.email, required=True, example="sam.patel@medway.gov.uk"),
        Column("first_name", p.text(max_length=150), required=True, example="Sam"),
        Column("last_name", p.text(max_length=150), required=True, example="Patel"),
        Column(
            "organisation", p.organisation, required=True, help="Organisation code", example="MC"
        ),
        Column(
            "role", p.choice(ROLES), required=True, help=" | ".join(ROLES), example="coordinator"
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

    def find(self, values: dict[str, Any], ctx: ImportContext) -> Membership | None:
        return (
            Membership.objects.filter(
                user__email__iexact=values["email"],
                organisation=values["organisation"],
                role=values["role"],
            )
            .select_related("user")
            .first()
        )

    def is_unchanged(self, obj: Membership, values: dict[str, Any], ctx: ImportContext) -> bool:
        user = obj.user
        return (
            obj.is_active
            and (user.first_name, user.last_name) == (values["first_name"], values["last_name"])
            and Person.objects.filter(user=user).exists()
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> Membership:
        return self._apply(values, ctx)

    def update(self, obj: Membership, values: dict[str, Any], ctx: ImportContext) -> Membership:
        return self._apply(values, ctx)

    def _apply(self, values: dict[str, Any], ctx: ImportContext) -> Membership:
        """The user (created without a password if new, renamed if the file says so), the role,
        the person record, and an invitation for a user who cannot sign in yet."""
        email, organisation, role = values["email"], values["organisation"], values["role"]
        user = User.objects.filter(email__iexact=email).first()
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
            waiting = Invitation.objects.filter(
                email__iexact=email, accepted_at__isnull=True, expires_at__gt=timezone.now()
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

    def export_rows(self, viewer: Viewer) -> list[dict[str, str]]:
        memberships = (
            Membership.objects.visible_to(viewer)
            .filter(is_active=True, user__is_active=True)
            .select_related("user", "organisation")
            .order_by("user__email", "organisation__code", "role")
        )
        return [
            {
                "email": membership.user.email,
                "first_name": membership.user.first_name,
                "last_name": membership.user.last_name,
                "organisation": membership.organisation.code,
                "role": membership.role,
            }
            for membership in memberships
        ]
