"""The one place that decides what each role may see and do.

A membership grants its role's abilities inside its own organisation. A partnership manager's
membership also grants read access (``view``) and subject access exports (``subject_access``)
across every organisation of that partnership.
Nothing else crosses organisations; see docs/0003-data-sharing.md.

Personal abilities (``PERSONAL``) are held on single records because they are about the user or
name them — their own application, a selection panel they sit on — never on an organisation's
rows: ``visible_to(user, ability)`` then keeps exactly those records. For a personal ability the
roles in ``RULES`` say who may start such a record for themselves, in the organisation of their
own person record (``person_acting_for_self``); see docs/0011-pe-self-service-and-panels.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.db import models

from practica.accounts.models import Membership, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from practica.accounts.models import User
    from practica.core.models import Organisation

VIEW, MANAGE = "view", "manage"
# export everything held about a person (UK GDPR subject access; docs/0013-subject-access.md)
SUBJECT_ACCESS = "subject_access"
# personal abilities: an applicant's own application, a panel member's scoring
APPLY, SCORE = "apply", "score"
ALL_ROLES = frozenset(Role)
STAFF = frozenset(
    {
        Role.COORDINATOR,
        Role.ACADEMIC,
        Role.LINE_MANAGER,
        Role.PRACTICE_EDUCATOR,
        Role.PRACTITIONER_TEACHER,
    }
)
COORDINATORS = frozenset({Role.COORDINATOR})
# Roles that read other people's records (people, the practice educator register, students,
# reports) must sign in with a second factor while settings.PRACTICA_MFA_REQUIRED is on; so do
# superusers. The others see little beyond their own records and may turn it on themselves
# (docs/0012-mfa.md).
MFA_REQUIRED_ROLES = frozenset(
    {Role.PARTNERSHIP_MANAGER, Role.COORDINATOR, Role.ACADEMIC, Role.LINE_MANAGER}
)

# model label → ability → roles that hold it inside their own organisation.
RULES: dict[str, dict[str, frozenset[Role]]] = {
    "core.organisation": {VIEW: ALL_ROLES, MANAGE: COORDINATORS},
    "core.location": {VIEW: STAFF, MANAGE: COORDINATORS},
    "core.team": {VIEW: STAFF, MANAGE: COORDINATORS},
    "core.person": {
        VIEW: COORDINATORS | {Role.LINE_MANAGER},
        MANAGE: COORDINATORS,
        SUBJECT_ACCESS: COORDINATORS,
    },
    "accounts.membership": {VIEW: COORDINATORS, MANAGE: COORDINATORS},
    "accounts.invitation": {VIEW: COORDINATORS, MANAGE: COORDINATORS},
}
# abilities a partnership manager holds in every organisation of the partnership: reading, and
# answering a subject access request (a read of one person's records, which they may view).
PARTNERSHIP_WIDE = {VIEW, SUBJECT_ACCESS}
# model label → personal ability → the path from a record to the user it is about.
PERSONAL: dict[str, dict[str, str]] = {}


class Operator:
    """Whoever runs the server's command line: sees every organisation (``practica report``).

    Never a request's user; the CLI narrows to a real user's scope with ``--user EMAIL``.
    """

    is_authenticated = True
    is_active = True
    is_anonymous = False
    pk = None

    def __str__(self) -> str:
        return "the command line (every organisation)"


OPERATOR = Operator()

if TYPE_CHECKING:
    Viewer = User | AnonymousUser | Operator


def register(model_label: str, rules: dict[str, Iterable[Role]]) -> None:
    """Let a domain app declare the roles for its scoped models (called from AppConfig.ready)."""
    RULES[model_label] = {ability: frozenset(roles) for ability, roles in rules.items()}


def register_personal(model_label: str, paths: dict[str, str]) -> None:
    """Declare personal abilities: ``{ability: path from the record to the user}``."""
    PERSONAL[model_label] = dict(paths)


def personal_path(model: type[models.Model], ability: str) -> str | None:
    """The path to the user for a personal ability on ``model``, or None for an ordinary one."""
    return PERSONAL.get(model._meta.label_lower, {}).get(ability)


def person_acting_for_self(
    user: User | AnonymousUser | Operator, ability: str, model: type[models.Model]
) -> Any:
    """The user's own person record if they may start a ``model`` record for themselves with
    the personal ``ability``: one of its ``RULES`` roles in their person's organisation.
    None otherwise (no login, no person record, or no such role there)."""
    from practica.core.models import Person

    if isinstance(user, Operator) or not user.is_authenticated or not user.is_active:
        return None
    if personal_path(model, ability) is None:
        raise LookupError(f"{ability} is not a personal ability on {model._meta.label_lower}")
    person = Person.objects.select_related("organisation").filter(user_id=user.pk).first()
    if person is None or person.organisation_id not in organisation_ids_for(user, ability, model):
        return None
    return person


def active_memberships(user: User | AnonymousUser | Operator) -> list[Membership]:
    if isinstance(user, Operator) or not user.is_authenticated or not user.is_active:
        return []
    cache: dict[str, Any] = user.__dict__.setdefault("_practica_permissions", {})
    if "memberships" not in cache:
        cache["memberships"] = list(
            Membership.objects.filter(user=user, is_active=True)
            .select_related("organisation", "organisation__partnership")
            .order_by("organisation__name", "role")
        )
    memberships: list[Membership] = cache["memberships"]
    return memberships


def forget(user: User | AnonymousUser) -> None:
    """Drop the cached memberships (after a change in the same request)."""
    user.__dict__.pop("_practica_permissions", None)


def roles_of(user: User | AnonymousUser) -> set[Role]:
    return {Role(m.role) for m in active_memberships(user)}


def organisation_ids_for(
    user: User | AnonymousUser | Operator, ability: str, model: type[models.Model]
) -> set[int]:
    """Ids of the organisations in which ``user`` holds ``ability`` on ``model``."""
    from practica.core.models import Organisation

    if user is OPERATOR:
        return set(Organisation.objects.values_list("pk", flat=True))
    rules = RULES.get(model._meta.label_lower)
    if rules is None:
        raise LookupError(f"No permission rules for {model._meta.label_lower}")
    granted = rules.get(ability, frozenset())
    ids: set[int] = set()
    partnerships: set[int] = set()
    for membership in active_memberships(user):
        if membership.role == Role.PARTNERSHIP_MANAGER and ability in PARTNERSHIP_WIDE:
            partnerships.add(membership.organisation.partnership_id)
        elif membership.role in granted:
            ids.add(membership.organisation_id)
    if partnerships:
        ids.update(
            Organisation.objects.filter(partnership_id__in=partnerships).values_list(
                "pk", flat=True
            )
        )
    return ids


def can(user: User | AnonymousUser, ability: str, obj: models.Model) -> bool:
    """Whether ``user`` holds ``ability`` on this object (same rule as the selectors)."""
    manager = type(obj)._default_manager
    return bool(manager.visible_to(user, ability).filter(pk=obj.pk).exists())  # type: ignore[attr-defined]


def can_in(user: User | AnonymousUser, ability: str, model: type[models.Model]) -> bool:
    """Whether ``user`` holds ``ability`` on ``model`` in at least one organisation."""
    return bool(organisation_ids_for(user, ability, model))


def acting_organisation(request: Any, ability: str, model: type[models.Model]) -> Any:
    """The organisation of the membership the user is acting in, if it grants ``ability``.

    Used by "create" pages: the new record belongs to the organisation the user has chosen in
    the organisation switcher. Refused with 403 otherwise (nothing secret is revealed).
    """
    from django.core.exceptions import PermissionDenied

    membership = getattr(request, "membership", None)
    if membership is None or membership.organisation_id not in organisation_ids_for(
        request.user, ability, model
    ):
        raise PermissionDenied
    return membership.organisation


def requires_ability[F: Callable[..., Any]](
    ability: str, model: type[models.Model]
) -> Callable[[F], F]:
    """View decorator: 403 unless the user holds ``ability`` on ``model`` somewhere.

    For list and create pages whose existence is no secret; objects are still filtered by
    ``visible_to`` inside the view.
    """
    from django.core.exceptions import PermissionDenied

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not can_in(request.user, ability, model):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


def two_factor_required(user: User | AnonymousUser | Operator) -> bool:
    """Whether ``user`` must set up two-factor authentication (if they have not) before using
    Practica: a superuser, or someone holding a role of ``MFA_REQUIRED_ROLES``, while
    ``settings.PRACTICA_MFA_REQUIRED`` is on. Someone who has set it up is asked for a code
    whatever this says (``accounts.middleware.TwoFactorMiddleware``)."""
    from django.conf import settings

    if not settings.PRACTICA_MFA_REQUIRED:
        return False
    if isinstance(user, Operator) or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(m.role in MFA_REQUIRED_ROLES for m in active_memberships(user))


def may_set_up_partnership(user: User | AnonymousUser | Operator) -> bool:
    """Whether ``user`` may run the first-run set-up wizard: a Practica administrator
    (superuser, made with ``practica createsuperuser``) while no organisation exists yet. The
    command line's ``practica setup`` is for whoever runs the server."""
    from practica.core.models import Organisation

    if isinstance(user, Operator) or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser) and not Organisation.objects.exists()


def may_grant(actor: User | None, role: str, organisation: Organisation) -> bool:
    """Whether ``actor`` may give someone ``role`` in ``organisation`` (invite or grant).

    The command line (no actor) and superusers may give any role. A partnership manager may
    give any role within their partnership; a coordinator any role but partnership manager
    within their own organisation. Nobody else may give roles.
    """
    if actor is None or actor.is_superuser:
        return True
    for membership in active_memberships(actor):
        if (
            membership.role == Role.PARTNERSHIP_MANAGER
            and membership.organisation.partnership_id == organisation.partnership_id
        ):
            return True
        if (
            membership.role == Role.COORDINATOR
            and membership.organisation_id == organisation.pk
            and role != Role.PARTNERSHIP_MANAGER
        ):
            return True
    return False
