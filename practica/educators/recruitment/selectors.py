"""Scoped reads of recruitment: applications (a coordinator's, an applicant's own, a panel
member's), who may apply or sit on a panel, and the published criteria."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.models import Membership, Role
from practica.core.models import OrganisationKind, Person
from practica.core.request_memo import remembered
from practica.educators.abilities import APPLY, READERS, SCORE
from practica.educators.recruitment.models import PeApplication, SelectionCriterion
from practica.educators.register.models import PepsStage, PracticeEducator

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

# Why some reads below are not narrowed by a viewer (core/scoping.py):
# choices for a coordinator's form, of the organisation whose record they are changing
FOR_THE_COORDINATOR = "choices in the coordinator's own organisation, behind a MANAGE check"
LINE_MANAGER = "a line manager's own support requests: the applications naming their e-mail address"
PANEL = "a panel may include the HEI staff of the partnership (docs/0010, exception 3)"

APPLICATION_STATES = {
    "open": ("Open", Q(decision="")),
    "accepted": ("Accepted", Q(decision="accepted")),
    "rejected": ("Not accepted", Q(decision="rejected")),
}


def applications_visible_to(
    user: Viewer, *, state: str = "", stage: str = ""
) -> QuerySet[PeApplication]:
    applications = PeApplication.objects.visible_to(user).select_related(
        "applicant__team", "organisation"
    )
    if state in APPLICATION_STATES:
        applications = applications.filter(APPLICATION_STATES[state][1])
    if stage in {"1", "2"}:
        applications = applications.filter(stage=int(stage))
    return applications


def applicants_for(organisation_id: int) -> QuerySet[Person]:
    return (
        Person.objects.unscoped(FOR_THE_COORDINATOR)
        .filter(organisation_id=organisation_id)
        .select_related("team")
    )


def panel_candidates_for(application: PeApplication) -> QuerySet[Person]:
    """Who may sit on the panel: the organisation's own people, and the coordinators and
    academics of the partnership's universities (docs/0010-pe-sharing.md)."""
    hei_staff = (
        Membership.objects.unscoped(PANEL)
        .filter(
            is_active=True,
            role__in=READERS,
            organisation__kind=OrganisationKind.HEI,
            organisation__partnership_id=application.organisation.partnership_id,
        )
        .values("user_id")
    )
    return (
        Person.objects.unscoped(PANEL)
        .filter(Q(organisation_id=application.organisation_id) | Q(user_id__in=hei_staff))
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name")
    )


def own_applications_of(user: Viewer) -> QuerySet[PeApplication]:
    """The applications ``user`` made or that were recorded for them, newest first."""
    return PeApplication.objects.visible_to(user, APPLY).select_related("organisation")


def stage_to_apply_for(person: Person) -> int | None:
    """The PEPS stage ``person`` may apply for next: 1 until they hold Stage 1, then 2; None
    once they hold Stage 2. ``create_pe_application`` refuses any other stage."""
    educator = (
        PracticeEducator.objects.unscoped("the stage a person holds, for their own application")
        .filter(person=person)
        .first()
    )

    held = educator.peps_stage if educator else PepsStage.NONE
    if held in {PepsStage.NONE, PepsStage.STAGE1_TRAINING}:
        return 1
    if held in {PepsStage.STAGE1, PepsStage.STAGE2_TRAINING}:
        return 2
    return None


def open_own_application(user: Viewer, *, stage: int) -> PeApplication | None:
    """``user``'s own application for ``stage`` still waiting for a decision, if any (the
    service refuses a second one)."""
    return own_applications_of(user).filter(APPLICATION_STATES["open"][1], stage=stage).first()


def panels_of(user: Viewer, *, state: str = "") -> QuerySet[PeApplication]:
    """The applications whose selection panel ``user`` sits on (and no others)."""
    applications = PeApplication.objects.visible_to(user, SCORE).select_related(
        "applicant", "organisation"
    )
    if state in APPLICATION_STATES:
        applications = applications.filter(APPLICATION_STATES[state][1])
    return applications.order_by(F("interview_at").asc(nulls_last=True), "-created_at")


def may_apply(user: Viewer) -> bool:
    """Whether ``user`` may apply for a PEPS stage now: a practitioner acting for themselves
    who does not yet hold Stage 2."""
    person = permissions.person_acting_for_self(user, APPLY, PeApplication)
    return person is not None and stage_to_apply_for(person) is not None


@remembered
def has_own_applications_page(user: Viewer) -> bool:
    """Whether the navigation offers "My applications": to those who may apply and to anyone
    with an application of their own (not to a Stage 2 practice educator without one)."""
    return may_apply(user) or own_applications_of(user).exists()


@remembered
def sits_on_panels(user: Viewer) -> bool:
    return PeApplication.objects.visible_to(user, SCORE).exists()


def active_criteria_of(organisation_id: int) -> QuerySet[SelectionCriterion]:
    """The selection criteria an organisation's panels score against now, in their order."""
    return SelectionCriterion.objects.unscoped(
        "an organisation's published criteria, for the applications it decides"
    ).filter(organisation_id=organisation_id, is_active=True)


def criteria_visible_to(user: Viewer) -> QuerySet[SelectionCriterion]:
    return SelectionCriterion.objects.visible_to(user).select_related("organisation")


def support_requests_for(user: Viewer, *, waiting: bool = True) -> QuerySet[PeApplication]:
    """The applications whose applicant named ``user`` (by their account's e-mail address) as
    their line manager: those still waiting for their support (asked, not answered, the
    request not expired, no decision yet), oldest request first; with ``waiting=False``, the
    ones they have answered, newest first."""
    email = getattr(user, "email", "") or ""
    applications = (
        PeApplication.objects.unscoped(LINE_MANAGER)
        .filter(line_manager_email__address=email.strip())
        .select_related("applicant__team", "organisation")
    )
    if not email.strip():
        return applications.none()
    if not waiting:
        return applications.filter(support_given_at__isnull=False).order_by("-support_given_at")
    return applications.filter(
        support_given_at__isnull=True,
        support_token_hash__isnull=False,
        support_expires_at__gt=timezone.now(),
        decision="",
    ).order_by("support_requested_at", "pk")


def support_request_for(user: Viewer, pk: int) -> PeApplication:
    """One application waiting for ``user``'s support; 404 for any other."""
    application: PeApplication = get_object_or_404(support_requests_for(user), pk=pk)
    return application


@remembered
def has_support_requests(user: Viewer) -> bool:
    """Whether the navigation offers "Support requests": to anyone an applicant named as their
    line manager, and to every line manager (who may be told there are none yet)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if any(m.role == Role.LINE_MANAGER for m in permissions.active_memberships(user)):
        return True
    return support_requests_for(user).exists() or support_requests_for(user, waiting=False).exists()
