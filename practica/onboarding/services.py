"""Setting up a partnership: its name, lead and member organisations, the academic year and
invitations to each organisation's coordinator. The wizard, ``practica setup`` and the
``partnership`` import kind all call :func:`set_up_partnership`, which may be run again with
the same plan and then changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from practica.accounts import services as account_services
from practica.accounts.models import Invitation, Membership, Role
from practica.core import academic_years
from practica.core import services as core_services
from practica.core.models import (
    AcademicYear,
    Organisation,
    OrganisationKind,
    Partnership,
    organisation_code_validator,
)

# why the queries below read every organisation's rows (core/scoping.py)
SETUP = "setting up a partnership is the administrator's work across the installation"

if TYPE_CHECKING:
    from practica.accounts.models import User

NAME_LENGTH = 200


@dataclass(frozen=True)
class OrganisationPlan:
    code: str
    name: str
    kind: str

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


@dataclass(frozen=True)
class SetupPlan:
    """What to set up. Organisations already in Practica may be left out of ``organisations``
    and still be named as the lead or given a coordinator."""

    partnership: str
    organisations: tuple[OrganisationPlan, ...] = ()
    lead: str = ""  # an organisation code
    year: int | None = None  # start year of the academic year (2019 for 2019/20)
    coordinators: tuple[tuple[str, str], ...] = ()  # (organisation code, e-mail address)
    manager: str = ""  # e-mail address of a partnership manager to invite to the lead

    def normalised(self) -> SetupPlan:
        return SetupPlan(
            partnership=self.partnership.strip(),
            organisations=tuple(
                OrganisationPlan(o.code.strip().upper(), o.name.strip(), o.kind.strip().lower())
                for o in self.organisations
            ),
            lead=self.lead.strip().upper(),
            year=self.year,
            coordinators=tuple(
                (code.strip().upper(), email.strip().lower()) for code, email in self.coordinators
            ),
            manager=self.manager.strip().lower(),
        )


@dataclass
class SetupOutcome:
    partnership: Partnership
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    invited: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.invited)

    def lines(self) -> list[str]:
        return [
            *(f"Created {what}" for what in self.created),
            *(f"Updated {what}" for what in self.updated),
            *(f"Invited {who}" for who in self.invited),
        ]


def plan_problems(plan: SetupPlan) -> list[str]:
    """Every reason ``plan`` cannot be applied, checked against what Practica holds, without
    writing anything. An empty list means it can.

    Refuses a blank or overlong partnership name; a second partnership beside one Practica
    already holds; organisation codes that are malformed, repeated, or used by another
    partnership; blank names and unknown kinds; a lead, or a coordinator's organisation, that
    is neither in the plan nor in the partnership; malformed e-mail addresses; a partnership
    manager without a lead; and years outside the ones Practica accepts.
    """
    plan = plan.normalised()
    problems: list[str] = []
    if not plan.partnership:
        problems.append("Enter the partnership's name.")
    elif len(plan.partnership) > NAME_LENGTH:
        problems.append(f"The partnership's name is longer than {NAME_LENGTH} characters.")
    other = Partnership.objects.exclude(name__iexact=plan.partnership).first()
    if plan.partnership and other is not None:
        problems.append(
            f"Practica already holds the partnership “{other.name}”; set-up only adds to it, "
            "so give its name exactly."
        )
    codes: set[str] = set()
    for organisation in plan.organisations:
        problems.extend(_organisation_problems(organisation, plan, codes))
        codes.add(organisation.code)
    existing = set(
        Organisation.objects.unscoped(SETUP)
        .filter(partnership__name__iexact=plan.partnership)
        .values_list("code", flat=True)
    )
    known = codes | {code.upper() for code in existing}
    if plan.lead and plan.lead not in known:
        problems.append(f"The lead organisation {plan.lead} is not one of the organisations.")
    for code, email in plan.coordinators:
        if code not in known:
            problems.append(
                f"{code}, for the coordinator {email}, is not one of the organisations."
            )
        problems.extend(_email_problems(email, f"The coordinator's e-mail address for {code}"))
    if plan.manager:
        problems.extend(_email_problems(plan.manager, "The partnership manager's e-mail address"))
        if not plan.lead:
            problems.append(
                "A partnership manager is invited to the lead organisation: name the lead too."
            )
    if plan.year is not None and not (
        academic_years.EARLIEST <= plan.year <= academic_years.LATEST
    ):
        problems.append(
            f"The academic year must start between {academic_years.EARLIEST} and "
            f"{academic_years.LATEST}."
        )
    return problems


def _organisation_problems(
    organisation: OrganisationPlan, plan: SetupPlan, codes: set[str]
) -> list[str]:
    problems = []
    code = organisation.code
    try:
        organisation_code_validator(code)
    except ValidationError:
        problems.append(
            f"“{code}” is not an organisation code: use 2 to 12 capital letters or digits, "
            "for example MC or CCCU."
        )
    if code in codes:
        problems.append(f"The code {code} is given to two organisations.")
    if not organisation.name:
        problems.append(f"Enter the name of the organisation {code}.")
    elif len(organisation.name) > NAME_LENGTH:
        problems.append(f"The name of {code} is longer than {NAME_LENGTH} characters.")
    if organisation.kind not in OrganisationKind.values:
        problems.append(
            f"“{organisation.kind}” is not a kind of organisation; use one of "
            f"{', '.join(OrganisationKind.values)}."
        )
    existing = (
        Organisation.objects.unscoped(SETUP)
        .filter(code__iexact=code)
        .select_related("partnership")
        .first()
    )
    if existing is not None and existing.partnership.name.lower() != plan.partnership.lower():
        problems.append(f"The code {code} belongs to an organisation of another partnership.")
    return problems


def _email_problems(email: str, what: str) -> list[str]:
    try:
        validate_email(email)
    except ValidationError:
        return [f"{what}, “{email}”, is not an e-mail address."]
    return []


@transaction.atomic
def set_up_partnership(
    *,
    actor: User | None,
    plan: SetupPlan,
    base_url: str = "",
    actor_becomes_manager: bool = False,
) -> SetupOutcome:
    """Creates (or brings up to date) the partnership, its organisations and lead, the
    academic year, and invites each coordinator (and the partnership manager) who is neither
    a member in that role nor waiting on an invitation. With ``actor_becomes_manager`` the
    actor (the wizard's user) becomes the partnership manager, in the lead organisation.

    Refuses, with every problem at once and nothing written, what :func:`plan_problems`
    refuses.
    """
    plan = plan.normalised()
    problems = plan_problems(plan)
    if problems:
        raise ValidationError(problems)
    partnership = Partnership.objects.filter(name__iexact=plan.partnership).first()
    outcome = SetupOutcome(partnership or Partnership(name=plan.partnership))
    if partnership is None:
        partnership = core_services.create_partnership(actor=actor, name=plan.partnership)
        outcome.partnership = partnership
        outcome.created.append(f"the partnership {partnership.name}")
    for wanted in plan.organisations:
        _ensure_organisation(actor, partnership, wanted, outcome)
    if plan.lead:
        lead = Organisation.objects.unscoped(SETUP).get(code__iexact=plan.lead)
        if partnership.lead_organisation_id != lead.pk:
            core_services.set_lead_organisation(
                actor=actor, partnership=partnership, organisation=lead
            )
            outcome.updated.append(f"the lead organisation: {lead}")
    if plan.year is not None and not AcademicYear.objects.filter(start_year=plan.year).exists():
        year = core_services.ensure_academic_year(start_year=plan.year)
        outcome.created.append(f"the academic year {year.label}")
    invitations = [(code, email, Role.COORDINATOR) for code, email in plan.coordinators]
    if plan.manager:
        invitations.append((plan.lead, plan.manager, Role.PARTNERSHIP_MANAGER))
    for code, email, role in invitations:
        organisation = Organisation.objects.unscoped(SETUP).get(code__iexact=code)
        if _holds_or_awaits(email, organisation, role):
            continue
        account_services.invite(
            actor=actor,
            organisation=organisation,
            email=email,
            role=role,
            base_url=base_url,
        )
        outcome.invited.append(f"{email} as {Role(role).label.lower()} of {organisation.name}")
    if actor is not None and actor_becomes_manager and partnership.lead_organisation is not None:
        lead = partnership.lead_organisation
        if not _holds_or_awaits(actor.email, lead, Role.PARTNERSHIP_MANAGER, invited=False):
            account_services.grant_membership(
                actor=actor, user=actor, organisation=lead, role=Role.PARTNERSHIP_MANAGER
            )
            outcome.created.append(f"your role: partnership manager in {lead.name}")
    return outcome


def _ensure_organisation(
    actor: User | None, partnership: Partnership, wanted: OrganisationPlan, outcome: SetupOutcome
) -> Organisation:
    existing = Organisation.objects.unscoped(SETUP).filter(code__iexact=wanted.code).first()
    if existing is None:
        organisation = core_services.create_organisation(
            actor=actor,
            partnership=partnership,
            code=wanted.code,
            name=wanted.name,
            kind=wanted.kind,
        )
        outcome.created.append(f"the organisation {organisation}")
        return organisation
    if (existing.name, existing.kind) != (wanted.name, wanted.kind):
        core_services.update_organisation(
            actor=actor,
            organisation=existing,
            code=wanted.code,
            name=wanted.name,
            kind=wanted.kind,
        )
        outcome.updated.append(f"the organisation {existing}")
    return existing


def _holds_or_awaits(
    email: str, organisation: Organisation, role: str, *, invited: bool = True
) -> bool:
    """Whether ``email`` holds ``role`` in ``organisation`` already (or is invited to it)."""
    member = (
        Membership.objects.unscoped(SETUP)
        .filter(user__email__address=email, organisation=organisation, role=role, is_active=True)
        .exists()
    )
    if member or not invited:
        return member
    return (
        Invitation.objects.unscoped(SETUP)
        .filter(
            email__address=email,
            organisation=organisation,
            role=role,
            accepted_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .exists()
    )
