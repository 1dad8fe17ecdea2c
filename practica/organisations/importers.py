"""Import kinds for the partnership's organisations, locations, teams and people."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from practica.accounts import permissions
from practica.core import services
from practica.core.models import (
    Location,
    Organisation,
    OrganisationKind,
    Partnership,
    Person,
    Team,
)
from practica.imports import lookups
from practica.imports import parsers as p
from practica.imports.framework import (
    NATURAL_KEY,
    Action,
    BulkApplyError,
    Column,
    ImportContext,
    Importer,
    key_of,
)
from practica.imports.registry import register_importer
from practica.organisations.rules import ADD_ORGANISATIONS

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer


def partnership_for(ctx: ImportContext) -> Partnership | None:
    """The partnership new organisations join: the one partnership in which the importer may
    add organisations (``organisations/rules.py``: its manager; the command line, when the
    installation holds exactly one partnership)."""
    if ctx.viewer is permissions.OPERATOR:
        partnerships = list(Partnership.objects.all()[:2])
    else:
        ids = permissions.partnership_ids_for(ctx.viewer, ADD_ORGANISATIONS, Organisation)
        partnerships = list(Partnership.objects.filter(pk__in=ids)[:2])
    return partnerships[0] if len(partnerships) == 1 else None


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
            p.text(max_length=12, ignore_case=True),  # found without case
            required=True,
            help="Short unique code, e.g. MC",
            example="MC",
        ),
        Column("name", p.text(max_length=200), required=True, example="Medway Council"),
        Column(
            "kind",
            p.choice(OrganisationKind),
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
                return "Organisations join a partnership: create exactly one partnership first (the set-up wizard, or the command line's set-up)."
            return "Only a partnership manager can import organisations."
        return None

    def find(self, values: dict[str, Any], ctx: ImportContext) -> Organisation | None:
        return (
            Organisation.objects.unscoped(NATURAL_KEY).filter(code__iexact=values["code"]).first()
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> Organisation:
        partnership = partnership_for(ctx)
        assert partnership is not None  # refuse() has checked
        return services.create_organisation(actor=ctx.actor, partnership=partnership, **values)

    def update(self, obj: Organisation, values: dict[str, Any], ctx: ImportContext) -> Organisation:
        return services.update_organisation(actor=ctx.actor, organisation=obj, **values)

    def records(self, viewer: Viewer) -> QuerySet[Organisation]:
        return Organisation.objects.visible_to(viewer).order_by("code")


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
        Column("postcode", p.text(max_length=10, ignore_case=True), example="ME4 4TR"),
        Column("latitude", p.decimal, help="Decimal degrees, -90 to 90", example="51.38"),
        Column("longitude", p.decimal, help="Decimal degrees, -180 to 180", example="0.52"),
    ]
    natural_key = ("organisation", "name")
    depends_on = ("organisations",)

    def find(self, values: dict[str, Any], ctx: ImportContext) -> Location | None:
        return (
            Location.objects.unscoped(NATURAL_KEY)
            .filter(organisation=values["organisation"], name__iexact=values["name"])
            .first()
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> Location:
        return services.create_location(actor=ctx.actor, **self._fields(values))

    def update(self, obj: Location, values: dict[str, Any], ctx: ImportContext) -> Location:
        fields = self._fields(values)
        del fields["organisation"]
        return services.update_location(actor=ctx.actor, location=obj, **fields)

    def _fields(self, values: dict[str, Any]) -> dict[str, Any]:
        return {**values, "postcode": values["postcode"] or ""}

    def records(self, viewer: Viewer) -> QuerySet[Location]:
        return (
            Location.objects.visible_to(viewer)
            .select_related("organisation")
            .order_by("organisation__code", "name")
        )


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
            p.service_area,
            required=True,
            help="childrens | adults | mental_health | other (or the name Practica shows)",
            example="childrens",
        ),
        Column(
            "location",
            p.text(max_length=120, ignore_case=True),
            help="Town or office",
            example="Gillingham",
            source="location.name",
        ),
    ]
    natural_key = ("organisation", "name")
    depends_on = ("organisations", "locations")

    def find(self, values: dict[str, Any], ctx: ImportContext) -> Team | None:
        return (
            Team.objects.unscoped(NATURAL_KEY)
            .filter(organisation=values["organisation"], name__iexact=values["name"])
            .first()
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> Team:
        return services.create_team(actor=ctx.actor, **self._fields(values, ctx))

    def update(self, obj: Team, values: dict[str, Any], ctx: ImportContext) -> Team:
        fields = self._fields(values, ctx)
        fields.pop("organisation")
        return services.update_team(actor=ctx.actor, team=obj, **fields)

    def _fields(self, values: dict[str, Any], ctx: ImportContext) -> dict[str, Any]:
        organisation = values["organisation"]
        location = None
        if values["location"]:
            location = lookups.location(ctx, organisation, values["location"])
            location = location or services.create_location(
                actor=ctx.actor, organisation=organisation, name=values["location"]
            )
        return {
            "organisation": organisation,
            "name": values["name"],
            "service_area": values["service_area"],
            "location": location,
        }

    def records(self, viewer: Viewer) -> QuerySet[Team]:
        return (
            Team.objects.visible_to(viewer)
            .select_related("organisation", "service_area", "location")
            .order_by("organisation__code", "name")
        )


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
            p.text(max_length=200, ignore_case=True),
            help="Name of a team of their organisation",
            example="Children in care team",
            source="team.name",
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
                problems.append(("email", lookups.email_in_use(ctx, person)))
        team = values["team"]
        if (
            team
            and not ctx.is_pending("teams", organisation, team)
            and lookups.team(ctx, organisation, team) is None
        ):
            problems.append(
                (
                    "team",
                    lookups.unknown_team(ctx, organisation, team, "Add it in a teams file first."),
                )
            )
        return problems

    def prefetch(self, rows: list[dict[str, Any]], ctx: ImportContext) -> None:
        lookups.remember_people(ctx, (values["email"] for values in rows))
        lookups.remember_teams(ctx, {values["organisation"] for values in rows})

    def apply_all(
        self, rows: list[tuple[int, dict[str, Any]]], ctx: ImportContext
    ) -> list[tuple[Person, Action]]:
        """The rows in bulk (``core.services.save_people``): each person found, compared and
        changed as ``find``, ``is_unchanged``, ``create`` and ``update`` do one by one."""
        by_email = lookups.people_by_email(values["email"] for _number, values in rows)
        lookups.remember_teams(ctx, {values["organisation"] for _number, values in rows})
        created: list[Person] = []
        changed: list[Person] = []
        applied: list[tuple[Person, Action]] = []
        for _number, values in rows:
            email = (values["email"] or "").strip().lower()
            if email and email.isascii():
                existing = by_email.get(email)
            else:
                existing = self._existing(values, ctx)
            fields = self._fields(values, ctx)
            organisation = fields.pop("organisation")
            if existing is None:
                person = services.change_person(Person(organisation=organisation), **fields)
                created.append(person)
                applied.append((person, "create"))
            elif not self.is_unchanged(existing, values, ctx):
                if organisation != existing.organisation:
                    raise BulkApplyError  # update() says which row, one by one
                changed.append(services.change_person(existing, **fields))
                applied.append((existing, "update"))
        services.save_people(actor=ctx.actor, created=created, changed=changed)
        return applied

    def find(self, values: dict[str, Any], ctx: ImportContext) -> Person | None:
        return self._existing(values, ctx)

    def _existing(self, values: dict[str, Any], ctx: ImportContext) -> Person | None:
        # check_row and find ask for the same person; while applying, rows change people, so
        # nothing is remembered then
        find = lookups.find_person if ctx.applying else partial(lookups.person, ctx)
        return find(
            email=values["email"],
            organisation=values["organisation"],
            first_name=values["first_name"],
            last_name=values["last_name"],
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> Person:
        return services.create_person(actor=ctx.actor, **self._fields(values, ctx))

    def update(self, obj: Person, values: dict[str, Any], ctx: ImportContext) -> Person:
        fields = self._fields(values, ctx)
        if fields.pop("organisation") != obj.organisation:
            raise ValidationError({"email": lookups.email_in_use(ctx, obj)})
        return services.update_person(actor=ctx.actor, person=obj, **fields)

    def _fields(self, values: dict[str, Any], ctx: ImportContext) -> dict[str, Any]:
        organisation = values["organisation"]
        team = lookups.team(ctx, organisation, values["team"]) if values["team"] else None
        return {
            "organisation": organisation,
            "first_name": values["first_name"],
            "last_name": values["last_name"],
            "email": values["email"] or "",
            "job_title": values["job_title"] or "",
            "team": team,
        }

    def records(self, viewer: Viewer) -> QuerySet[Person]:
        return (
            Person.objects.visible_to(viewer)
            .select_related("organisation", "team")
            .order_by("organisation__code", "last_name", "first_name", "email", "pk")
        )
