"""Import kinds for the partnership's organisations, locations, teams and people."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from practica.accounts import permissions
from practica.accounts.models import Role
from practica.core import services
from practica.core.models import (
    Location,
    Organisation,
    OrganisationKind,
    Partnership,
    Person,
    ServiceArea,
    Team,
)
from practica.imports import parsers as p
from practica.imports.framework import (
    Column,
    ImportCellError,
    ImportContext,
    Importer,
    key_of,
)
from practica.imports.registry import register_importer

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

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
    depends_on = ("partnership",)  # the partnership they join, when a batch creates it

    def refuse(self, ctx: ImportContext) -> str | None:
        # a partnership file earlier in the same batch creates the partnership they join
        if partnership_for(ctx) is None and not ctx.pending.get("partnership"):
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

    def export_rows(self, viewer: Viewer) -> list[dict[str, str]]:
        return [
            {"code": organisation.code, "name": organisation.name, "kind": organisation.kind}
            for organisation in Organisation.objects.visible_to(viewer).order_by("code")
        ]


@register_importer
class LocationImporter(Importer):
    kind = "locations"
    title = "Locations"
    description = "Towns and offices where member organisations' people work."
    columns = [
        Column(
            "organisation", p.organisation, required=True, help="Organisation code", example="MC"
        ),
        Column(
            "name", p.text(max_length=120), required=True, help="Town or office", example="Chatham"
        ),
        Column("postcode", p.text(max_length=10), example="ME4 4TR"),
        Column("latitude", p.decimal, help="Decimal degrees, -90 to 90", example="51.38"),
        Column("longitude", p.decimal, help="Decimal degrees, -180 to 180", example="0.52"),
    ]
    natural_key = ("organisation", "name")
    depends_on = ("organisations",)

    def find(self, values: dict[str, Any], ctx: ImportContext) -> Location | None:
        return Location.objects.filter(
            organisation=values["organisation"], name__iexact=values["name"]
        ).first()

    def is_unchanged(self, obj: Location, values: dict[str, Any], ctx: ImportContext) -> bool:
        return (obj.name, obj.postcode, obj.latitude, obj.longitude) == (
            values["name"],
            (values["postcode"] or "").upper(),
            values["latitude"],
            values["longitude"],
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> Location:
        return services.create_location(actor=ctx.actor, **self._fields(values))

    def update(self, obj: Location, values: dict[str, Any], ctx: ImportContext) -> Location:
        fields = self._fields(values)
        del fields["organisation"]
        return services.update_location(actor=ctx.actor, location=obj, **fields)

    def _fields(self, values: dict[str, Any]) -> dict[str, Any]:
        return {**values, "postcode": values["postcode"] or ""}

    def export_rows(self, viewer: Viewer) -> list[dict[str, str]]:
        locations = (
            Location.objects.visible_to(viewer)
            .select_related("organisation")
            .order_by("organisation__code", "name")
        )
        return [
            {
                "organisation": location.organisation.code,
                "name": location.name,
                "postcode": location.postcode,
                "latitude": _text(location.latitude),
                "longitude": _text(location.longitude),
            }
            for location in locations
        ]


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
    depends_on = ("organisations", "locations")

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

    def export_rows(self, viewer: Viewer) -> list[dict[str, str]]:
        teams = (
            Team.objects.visible_to(viewer)
            .select_related("organisation", "service_area", "location")
            .order_by("organisation__code", "name")
        )
        return [
            {
                "organisation": team.organisation.code,
                "name": team.name,
                "service_area": team.service_area.code,
                "location": team.location.name if team.location else "",
            }
            for team in teams
        ]


ANOTHER_PERSON = "another person in Practica already has this e-mail address."


@register_importer
class PersonImporter(Importer):
    kind = "people"
    title = "People"
    description = (
        "Practitioners and other people of member organisations, with their team and job title. "
        "A person is found by e-mail address, or without one by organisation and name."
    )
    columns = [
        Column(
            "organisation", p.organisation, required=True, help="Organisation code", example="MC"
        ),
        Column("first_name", p.text(max_length=100), required=True, example="Priya"),
        Column("last_name", p.text(max_length=100), required=True, example="Patel"),
        Column(
            "email", p.email, help="Their work e-mail address", example="priya.patel@medway.gov.uk"
        ),
        Column(
            "team",
            p.text(max_length=200),
            help="Name of a team of their organisation",
            example="Children in care team",
        ),
        Column("job_title", p.text(max_length=200), example="Senior social worker"),
    ]
    natural_key = ("email",)
    depends_on = ("organisations", "teams")

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        if values.get("email"):
            return key_of(values, ("email",))
        return ("", *key_of(values, ("organisation", "first_name", "last_name")))

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        problems = []
        organisation = values["organisation"]
        if values["email"] and isinstance(organisation, Organisation):
            person = self._existing(values, ctx)
            if person is not None and person.organisation_id != organisation.pk:
                problems.append(("email", ANOTHER_PERSON))
        team = values["team"]
        if team and not ctx.is_pending("teams", organisation, team):
            exists = isinstance(organisation, Organisation) and (
                Team.objects.filter(organisation=organisation, name__iexact=team).exists()
            )
            if not exists:
                problems.append(
                    ("team", f"{organisation} has no team “{team}”; add it in a teams file first.")
                )
        return problems

    def find(self, values: dict[str, Any], ctx: ImportContext) -> Person | None:
        return self._existing(values, ctx)

    def _existing(self, values: dict[str, Any], ctx: ImportContext) -> Person | None:
        # check_row and find ask for the same person; while applying, rows change people, so
        # nothing is remembered then
        def lookup() -> Person | None:
            return find_person(
                email=values["email"],
                organisation=values["organisation"],
                first_name=values["first_name"],
                last_name=values["last_name"],
            )

        if ctx.applying:
            return lookup()
        return ctx.remember(("people", *self.key_of(values)), lookup)

    def is_unchanged(self, obj: Person, values: dict[str, Any], ctx: ImportContext) -> bool:
        team = obj.team.name.lower() if obj.team else ""
        return (obj.first_name, obj.last_name, obj.email, obj.job_title, team) == (
            values["first_name"],
            values["last_name"],
            values["email"] or "",
            values["job_title"] or "",
            (values["team"] or "").lower(),
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> Person:
        return services.create_person(actor=ctx.actor, **self._fields(values))

    def update(self, obj: Person, values: dict[str, Any], ctx: ImportContext) -> Person:
        fields = self._fields(values)
        if fields.pop("organisation") != obj.organisation:
            raise ValidationError({"email": ANOTHER_PERSON})
        return services.update_person(actor=ctx.actor, person=obj, **fields)

    def _fields(self, values: dict[str, Any]) -> dict[str, Any]:
        organisation = values["organisation"]
        team = None
        if values["team"]:
            team = Team.objects.filter(
                organisation=organisation, name__iexact=values["team"]
            ).first()
        return {
            "organisation": organisation,
            "first_name": values["first_name"],
            "last_name": values["last_name"],
            "email": values["email"] or "",
            "job_title": values["job_title"] or "",
            "team": team,
        }

    def export_rows(self, viewer: Viewer) -> list[dict[str, str]]:
        people = (
            Person.objects.visible_to(viewer)
            .select_related("organisation", "team")
            .order_by("organisation__code", "last_name", "first_name", "email", "pk")
        )
        return [
            {
                "organisation": person.organisation.code,
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": person.email,
                "team": person.team.name if person.team else "",
                "job_title": person.job_title,
            }
            for person in people
        ]


def find_person(
    *,
    email: str | None,
    organisation: Organisation | str,
    first_name: str | None = None,
    last_name: str | None = None,
) -> Person | None:
    """The person with this e-mail address or, without one, the person of this organisation
    (or organisation code) with this name and no address: how the people kind finds a person,
    and how the kinds that name a person find them."""
    people = Person.objects.select_related("organisation", "team")
    if email:
        return people.filter(email__iexact=email).first()
    where = (
        {"organisation": organisation}
        if isinstance(organisation, Organisation)
        else {"organisation__code__iexact": organisation.strip()}
    )
    return people.filter(
        **where, first_name__iexact=first_name, last_name__iexact=last_name, email=""
    ).first()


def _text(value: Decimal | None) -> str:
    return "" if value is None else str(value)
