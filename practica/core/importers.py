"""Import kinds for the partnership's organisations and teams."""

from __future__ import annotations

from typing import Any

from practica.accounts import permissions
from practica.accounts.models import Role
from practica.core import services
from practica.core.models import (
    Location,
    Organisation,
    OrganisationKind,
    Partnership,
    ServiceArea,
    Team,
)
from practica.imports import parsers as p
from practica.imports.framework import Column, ImportCellError, ImportContext, Importer
from practica.imports.registry import register_importer

SERVICE_AREAS = ["childrens", "adults", "mental_health", "other"]


def partnership_for(ctx: ImportContext) -> Partnership | None:
    """The partnership new organisations join: the partnership manager's own, or for the
    command line the only partnership there is."""
    if ctx.viewer is permissions.OPERATOR:
        partnerships = list(Partnership.objects.all()[:2])
        return partnerships[0] if len(partnerships) == 1 else None
    for membership in permissions.active_memberships(ctx.viewer):
        if membership.role == Role.PARTNERSHIP_MANAGER:
            return membership.organisation.partnership
    return None


@register_importer
class OrganisationImporter(Importer):
    kind = "organisations"
    title = "Organisations"
    description = (
        "The member organisations of the partnership: local authorities, universities and others."
    )
    columns = [
        Column(
            "code",
            p.text(max_length=12),
            required=True,
            help="Short unique code, e.g. MC",
            example="MC",
        ),
        Column("name", p.text(max_length=200), required=True, example="Medway Council"),
        Column(
            "kind",
            p.choice(OrganisationKind.values),
            required=True,
            help=" | ".join(OrganisationKind.values),
            example="local_authority",
        ),
    ]
    natural_key = ("code",)

    def refuse(self, ctx: ImportContext) -> str | None:
        if partnership_for(ctx) is None:
            if ctx.viewer is permissions.OPERATOR:
                return "Organisations join a partnership: create exactly one partnership first (the set-up wizard, or `practica setup`)."
            return "Only a partnership manager can import organisations."
        return None

    def find(self, values: dict[str, Any], ctx: ImportContext) -> Organisation | None:
        return Organisation.objects.filter(code__iexact=values["code"]).first()

    def is_unchanged(self, obj: Organisation, values: dict[str, Any], ctx: ImportContext) -> bool:
        return (obj.name, obj.kind) == (values["name"], values["kind"])

    def create(self, values: dict[str, Any], ctx: ImportContext) -> Organisation:
        partnership = partnership_for(ctx)
        assert partnership is not None  # refuse() has checked
        return services.create_organisation(actor=ctx.actor, partnership=partnership, **values)

    def update(self, obj: Organisation, values: dict[str, Any], ctx: ImportContext) -> Organisation:
        return services.update_organisation(actor=ctx.actor, organisation=obj, **values)


@register_importer
class TeamImporter(Importer):
    kind = "teams"
    title = "Teams"
    description = (
        "Teams of member organisations, with their service area and location (created if new)."
    )
    columns = [
        Column(
            "organisation", p.organisation, required=True, help="Organisation code", example="MC"
        ),
        Column("name", p.text(max_length=200), required=True, example="Children in care team"),
        Column(
            "service_area",
            p.choice(SERVICE_AREAS),
            required=True,
            help=" | ".join(SERVICE_AREAS),
            example="childrens",
        ),
        Column("location", p.text(max_length=120), help="Town or office", example="Gillingham"),
    ]
    natural_key = ("organisation", "name")
    depends_on = ("organisations",)

    def find(self, values: dict[str, Any], ctx: ImportContext) -> Team | None:
        return Team.objects.filter(
            organisation=values["organisation"], name__iexact=values["name"]
        ).first()

    def is_unchanged(self, obj: Team, values: dict[str, Any], ctx: ImportContext) -> bool:
        location = obj.location.name.lower() if obj.location else None
        wanted = values["location"].lower() if values["location"] else None
        return (
            obj.name == values["name"]
            and obj.service_area.code == values["service_area"]
            and location == wanted
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> Team:
        return services.create_team(actor=ctx.actor, **self._fields(values, ctx))

    def update(self, obj: Team, values: dict[str, Any], ctx: ImportContext) -> Team:
        fields = self._fields(values, ctx)
        fields.pop("organisation")
        return services.update_team(actor=ctx.actor, team=obj, **fields)

    def _fields(self, values: dict[str, Any], ctx: ImportContext) -> dict[str, Any]:
        organisation = values["organisation"]
        key = ("service_area", values["service_area"])
        if key not in ctx.cache:
            ctx.cache[key] = ServiceArea.objects.filter(code=values["service_area"]).first()
        area = ctx.cache[key]
        if area is None:
            raise ImportCellError(f"there is no service area {values['service_area']}")
        location = None
        if values["location"]:
            location = Location.objects.filter(
                organisation=organisation, name__iexact=values["location"]
            ).first()
            location = location or services.create_location(
                actor=ctx.actor, organisation=organisation, name=values["location"]
            )
        return {
            "organisation": organisation,
            "name": values["name"],
            "service_area": area,
            "location": location,
        }
