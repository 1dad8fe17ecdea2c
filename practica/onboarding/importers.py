"""The ``partnership`` import kind: the partnership and its lead organisation in one row, as
the set-up wizard and ``practica setup`` record them. It comes first in a batch, so an export
(``practica export-all``) re-imports into an empty Practica."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from practica.accounts import permissions
from practica.core.models import Organisation, OrganisationKind, Partnership
from practica.imports import parsers as p
from practica.imports.framework import Column, ImportContext, Importer
from practica.imports.registry import register_importer
from practica.onboarding.services import (
    NAME_LENGTH,
    OrganisationPlan,
    SetupPlan,
    plan_problems,
    set_up_partnership,
)

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

LEAD = ("lead_code", "lead_name", "lead_kind")
KINDS = list(OrganisationKind.values)


@register_importer
class PartnershipImporter(Importer):
    kind = "partnership"
    title = "Partnership"
    description = (
        "The partnership and its lead organisation, in one row: what the set-up wizard "
        "records. It is imported from the command line, before every other kind."
    )
    columns = [
        Column(
            "name",
            p.text(max_length=NAME_LENGTH),
            required=True,
            example="Kent and Medway Social Work Teaching Partnership",
        ),
        # the lead is given whole or not at all (check_row); not at all keeps the lead there is
        Column(
            "lead_code",
            p.text(max_length=12, ignore_case=True),
            help="Lead organisation's code",
            example="MC",
            source="lead_organisation.code",
            blank_keeps=True,
        ),
        Column(
            "lead_name",
            p.text(max_length=NAME_LENGTH),
            example="Medway Council",
            source="lead_organisation.name",
            blank_keeps=True,
        ),
        Column(
            "lead_kind",
            p.choice(OrganisationKind),
            help=" | ".join(KINDS),
            example="local_authority",
            source="lead_organisation.kind",
            blank_keeps=True,
        ),
    ]
    natural_key = ("name",)

    def refuse(self, ctx: ImportContext) -> str | None:
        if ctx.viewer is not permissions.OPERATOR:
            return (
                "Only the command line (`practica import`) can import the partnership; ask "
                "whoever runs Practica."
            )
        return None

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        given = [name for name in LEAD if values[name]]
        if given and len(given) < len(LEAD):
            missing = ", ".join(name for name in LEAD if not values[name])
            return [
                (
                    missing.split(",")[0],
                    "give the lead organisation's code, name and kind together.",
                )
            ]
        names = ctx.cache.setdefault("partnership: names", set())
        names.add(values["name"].lower())
        if len(names) > 1:
            return [("name", "Practica holds one partnership; this file names more than one.")]
        return [("name", problem) for problem in plan_problems(self._plan(values))]

    def find(self, values: dict[str, Any], ctx: ImportContext) -> Partnership | None:
        return (
            Partnership.objects.filter(name__iexact=values["name"])
            .select_related("lead_organisation")
            .first()
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> Partnership:
        return set_up_partnership(actor=ctx.actor, plan=self._plan(values)).partnership

    def update(self, obj: Partnership, values: dict[str, Any], ctx: ImportContext) -> Partnership:
        return set_up_partnership(actor=ctx.actor, plan=self._plan(values)).partnership

    def _plan(self, values: dict[str, Any]) -> SetupPlan:
        if not values["lead_code"]:
            return SetupPlan(partnership=values["name"])
        lead = OrganisationPlan(values["lead_code"], values["lead_name"], values["lead_kind"])
        return SetupPlan(partnership=values["name"], organisations=(lead,), lead=lead.code)

    def records(self, viewer: Viewer) -> QuerySet[Partnership]:
        partnerships = Partnership.objects.select_related("lead_organisation").order_by("name")
        if viewer is permissions.OPERATOR:
            return partnerships
        visible = Organisation.objects.visible_to(viewer)
        return partnerships.filter(Q(organisations__in=visible)).distinct()
