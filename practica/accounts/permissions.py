"""The one place that decides what each user may see and do (docs/0002-roles-and-scoping.md).

Each app declares its rules as data in its own ``rules.py`` (``RULES``: one
``grants.Rules`` per scoped model, in the words of ``practica.accounts.grants``). This module
loads them all when Practica starts, and is the only code that applies them:

- ``Model.objects.visible_to(user, ability)`` (``core.scoping``) keeps the rows a grant gives
  ``user`` the ability on; this module is the policy it asks;
- ``can(user, ability, obj)`` and ``can_in(user, ability, model)`` answer the yes-or-no
  questions that pages turn into ``can_*`` flags;
- ``organisation_ids_for`` and ``acting_organisation`` say where a user may create records.

A membership (user × organisation × role) is what grants. A user whose every membership has
ended sees nothing, not even records about themselves.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Collection
from functools import cache, wraps
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Q

from practica.accounts.grants import (
    ALL_ROLES,
    COORDINATORS,
    MANAGE,
    PARTNERSHIP_MANAGER,
    STAFF,
    SUBJECT_ACCESS,
    VIEW,
    AboutThemselves,
    Grant,
    InOrganisation,
    InPartnership,
    Rules,
    StartsForThemselves,
    Through,
)
from practica.accounts.models import Membership, Role
from practica.core import scoping
from practica.core.models import Organisation, Person
from practica.core.request_memo import remembered

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from practica.accounts.models import User

__all__ = [
    "ALL_ROLES",
    "COORDINATORS",
    "MANAGE",
    "OPERATOR",
    "PARTNERSHIP_MANAGER",
    "STAFF",
    "SUBJECT_ACCESS",
    "VIEW",
    "Operator",
    "Viewer",
    "acting_organisation",
    "active_memberships",
    "can",
    "can_in",
    "forget",
    "may_hold",
    "organisation_ids_for",
    "own_person",
    "partnership_ids_for",
    "person_acting_for_self",
    "requires_ability",
    "roles_of",
    "rules_for",
]

# Roles that read other people's records (people, the practice educator register, students,
# reports) must sign in with a second factor while settings.PRACTICA_MFA_REQUIRED is on; so do
# superusers. The others see little beyond their own records and may turn it on themselves
# (docs/0012-mfa.md).
MFA_REQUIRED_ROLES = frozenset(
    {Role.PARTNERSHIP_MANAGER, Role.COORDINATOR, Role.ACADEMIC, Role.LINE_MANAGER}
)


class Operator:
    """Whoever runs the server's command line: sees every organisation (``practica report``).

    Never a request's user; the CLI narrows to a real user's scope with ``--user EMAIL``.
    """

    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_superuser = False
    pk = None

    def __str__(self) -> str:
        return "the command line (every organisation)"


OPERATOR = Operator()

if TYPE_CHECKING:
    Viewer = User | AnonymousUser | Operator


# --- the rules of every app -----------------------------------------------------------------

_RULES: dict[str, Rules] = {}


def load_rules() -> None:
    """Read ``RULES`` from the ``rules`` module of every installed Practica app (at start-up),
    and refuse to start if a scoped model has no rules or a rule names a path that is not
    there."""
    _RULES.clear()
    for config in apps.get_app_configs():
        if not config.name.startswith("practica."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.rules")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.rules":
                raise
            continue
        for rules in module.RULES:
            _check(rules)
            _RULES[rules.label] = _merged(_RULES.get(rules.label), rules)

    missing = [
        model._meta.label_lower
        for model in apps.get_models()
        if isinstance(model._default_manager, scoping.ScopedManager)
        and model._meta.label_lower not in _RULES
    ]
    if missing:
        raise ImproperlyConfigured(
            f"Scoped models without access rules: {', '.join(sorted(missing))}; declare them "
            "in their app's rules.py"
        )
    _related_model.cache_clear()
    _is_multivalued.cache_clear()


def _merged(earlier: Rules | None, rules: Rules) -> Rules:
    """An app may add abilities to another app's model (learning adds the CPD record to
    people): the grants join, and both must agree on the paths to organisation and
    partnership."""
    if earlier is None:
        return rules
    if (earlier.organisation, earlier.partnership) != (rules.organisation, rules.partnership):
        raise ImproperlyConfigured(f"Two apps give {rules.label} different owners")
    return Rules(
        rules.model,
        *earlier.grants,
        *rules.grants,
        organisation=rules.organisation,
        partnership=rules.partnership,
    )


def _check(rules: Rules) -> None:

    for grant in rules.grants:
        paths: list[str] = []
        if isinstance(grant, InOrganisation):
            paths = list(grant.via) or ([rules.organisation] if rules.organisation else [])
            if not paths:
                raise ImproperlyConfigured(
                    f"{rules.label}: an InOrganisation grant needs a path to an organisation"
                )
        elif isinstance(grant, InPartnership):
            paths = [rules.partnership]
        elif isinstance(grant, AboutThemselves | Through):
            paths = [grant.path]
        for path in paths:
            if path != "pk":
                _related_model(rules.model, path)  # raises for a path that is not there


def rules_for(model: type[models.Model]) -> Rules:
    try:
        return _RULES[model._meta.label_lower]
    except KeyError:
        raise LookupError(f"No access rules for {model._meta.label_lower}") from None


def _grants(model: type[models.Model], ability: str) -> tuple[Rules, list[Grant]]:
    rules = rules_for(model)
    return rules, [grant for grant in rules.grants if ability in grant.abilities]


@cache
def _related_model(model: type[models.Model], path: str) -> type[models.Model]:
    """The model at the end of ``path`` (``event``, ``person__user``) from ``model``."""
    current = model
    for name in path.split("__"):
        field = current._meta.get_field(name)
        if field.related_model is None:
            raise ImproperlyConfigured(f"{model.__name__}: {path} does not lead to a record")
        current = field.related_model
    return current


@cache
def _is_multivalued(model: type[models.Model], path: str) -> bool:
    """Whether following ``path`` from ``model`` can meet several rows (many-to-many or a
    reverse foreign key), so that a filter on it could repeat a record."""
    current = model
    for name in path.split("__"):
        if name == "pk":
            return False
        field = current._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        if field.related_model is None:
            return False
        current = field.related_model
    return False


# --- memberships ----------------------------------------------------------------------------


def active_memberships(user: User | AnonymousUser | Operator) -> list[Membership]:
    """The user's memberships that grant (cached on the user object for the request)."""
    if isinstance(user, Operator) or not user.is_authenticated or not user.is_active:
        return []
    cache_: dict[str, Any] = user.__dict__.setdefault("_practica_permissions", {})
    if "memberships" not in cache_:
        cache_["memberships"] = list(
            Membership.objects.unscoped("the memberships that decide what the user may see")
            .filter(user=user, is_active=True)
            .select_related("organisation", "organisation__partnership")
            .order_by("organisation__name", "role")
        )
    memberships: list[Membership] = cache_["memberships"]
    return memberships


def forget(user: User | AnonymousUser) -> None:
    """Drop the cached memberships (after a change in the same request)."""
    user.__dict__.pop("_practica_permissions", None)


def roles_of(user: User | AnonymousUser | Operator) -> set[Role]:
    return {Role(m.role) for m in active_memberships(user)}


def _holds(membership: Membership, roles: Collection[Role], kinds: Collection[str] | None) -> bool:
    return membership.role in roles and (kinds is None or membership.organisation.kind in kinds)


# --- the policy: which rows -----------------------------------------------------------------


class _Policy:
    """What ``core.scoping`` asks when a queryset is narrowed with ``visible_to``."""

    def narrow[M: models.Model](
        self, queryset: models.QuerySet[M], viewer: Any, ability: str
    ) -> models.QuerySet[M]:
        if isinstance(viewer, Operator):
            return queryset.all()
        model = queryset.model
        condition, repeats = _condition(model, viewer, ability)
        if repeats:  # keep each record once however many paths lead to the viewer
            return queryset.filter(pk__in=model._base_manager.filter(condition).values("pk"))
        return queryset.filter(condition)


scoping.install_policy(_Policy())


def _condition(model: type[models.Model], viewer: Any, ability: str) -> tuple[Q, bool]:
    """The rows of ``model`` on which ``viewer`` holds ``ability``, as one condition, and
    whether it follows a path that can repeat a row."""
    rules, grants = _grants(model, ability)
    memberships = active_memberships(viewer)
    condition = Q(pk__in=[])
    repeats = False
    for grant in grants:
        if isinstance(grant, InOrganisation):
            organisations = {
                m.organisation_id
                for m in memberships
                if _holds(m, grant.roles, grant.organisation_kinds)
            }
            if not organisations:
                continue
            paths = grant.via or (rules.organisation or "",)
            part = Q(pk__in=[])
            for path in paths:
                on_path, path_repeats = _along(model, path, "in", organisations)
                part |= on_path
                repeats |= path_repeats
            condition |= part & grant.where if grant.where is not None else part
        elif isinstance(grant, InPartnership):
            by_role: dict[Role, set[int]] = {}
            for m in memberships:
                if _holds(m, grant.roles, grant.organisation_kinds):
                    by_role.setdefault(Role(m.role), set()).add(m.organisation.partnership_id)
            if not by_role:
                continue
            path = rules.partnership or ""
            if callable(grant.where):
                for role, partnerships in by_role.items():
                    on_path, path_repeats = _along(model, path, "in", partnerships)
                    condition |= on_path & grant.where(role)
                    repeats |= path_repeats
            else:
                partnerships = set().union(*by_role.values())
                part, path_repeats = _along(model, path, "in", partnerships)
                condition |= part & grant.where if grant.where is not None else part
                repeats |= path_repeats
        elif isinstance(grant, AboutThemselves):
            if memberships:  # someone whose every membership has ended has left Practica
                on_path, path_repeats = _along(model, grant.path, "exact", viewer.pk)
                condition |= on_path
                repeats |= path_repeats
        elif isinstance(grant, Through):
            related = _related_model(model, grant.path)
            manager: Any = related._default_manager
            on_path, path_repeats = _along(
                model, grant.path, "in", manager.visible_to(viewer, grant.ability).values("pk")
            )
            condition |= on_path
            repeats |= path_repeats
        # StartsForThemselves shows no rows: it only lets a record be started
    return condition, repeats


def _along(model: type[models.Model], path: str, lookup: str, value: Any) -> tuple[Q, bool]:
    """``Q(<path>__<lookup>=value)``, with its first step through a relation written as a
    subquery on the next table rather than a join, and whether the condition can still repeat
    a row. A foreign key becomes ``student__in=<students whose hei is …>``; a foreign key
    pointing back at ``model`` (``placements__organisation`` from a student) becomes
    ``pk__in=<student ids of placements whose organisation is …>``, which repeats no row. The
    conditions of a viewer's grants are ORed; across joins PostgreSQL read every row of every
    table joined (0.3–0.5 s for a university's placements at national scale, issue 16; a
    student list wrapped the whole condition in one more such join to drop the repeats), while
    each subquery reads its own table through its indexes. Many-to-many steps stay joins."""
    first, _, rest = path.partition("__")
    plain = Q(**{f"{path}__{lookup}": value}), _is_multivalued(model, path)
    if not rest or first == "pk":
        return plain
    field: Any = model._meta.get_field(first)
    if field.concrete and (field.many_to_one or field.one_to_one):
        related = field.related_model
        inner, _repeats = _along(related, rest, lookup, value)
        values = related._base_manager.filter(inner).values(field.target_field.attname)
        return Q(**{f"{first}__in": values}), False
    if isinstance(field, models.ManyToOneRel) and not field.many_to_many:
        back = field.field  # the foreign key on the related model that points at this one
        inner, _repeats = _along(field.related_model, rest, lookup, value)
        values = field.related_model._base_manager.filter(inner).values(back.attname)
        return Q(**{f"{back.target_field.attname}__in": values}), False
    return plain


# --- the answers pages and services ask -----------------------------------------------------


def _grant_scope(
    user: User | AnonymousUser | Operator, ability: str, model: type[models.Model]
) -> tuple[set[int], set[int]]:
    """Where ``user`` holds ``ability`` on ``model`` records, from their memberships alone (no
    query): the ids of single organisations, and of partnerships whose every organisation
    counts. Each partnership here holds the organisation of a membership, so it is never
    empty: a yes-or-no question needs no list of its organisations."""
    _rules, grants = _grants(model, ability)
    memberships = active_memberships(user)
    ids: set[int] = set()
    partnerships: set[int] = set()
    for grant in grants:
        if isinstance(grant, InOrganisation):
            ids |= {
                m.organisation_id
                for m in memberships
                if _holds(m, grant.roles, grant.organisation_kinds)
            }
        elif isinstance(grant, StartsForThemselves):
            ids |= {m.organisation_id for m in memberships if m.role in grant.roles}
        elif isinstance(grant, InPartnership):
            partnerships |= {
                m.organisation.partnership_id
                for m in memberships
                if _holds(m, grant.roles, grant.organisation_kinds)
            }
        elif isinstance(grant, Through):
            more_ids, more_partnerships = _grant_scope(
                user, grant.ability, _related_model(model, grant.path)
            )
            ids |= more_ids
            partnerships |= more_partnerships
    return ids, partnerships


def _in_scope(organisation: Organisation, scope: tuple[set[int], set[int]]) -> bool:
    ids, partnerships = scope
    return organisation.pk in ids or organisation.partnership_id in partnerships


def organisation_ids_for(
    user: User | AnonymousUser | Operator, ability: str, model: type[models.Model]
) -> set[int]:
    """Ids of the organisations in which ``user`` holds ``ability`` on ``model`` records (for
    records shared with a partnership: every organisation of it)."""
    all_organisations = Organisation.objects.unscoped(
        "organisation ids only, to test a user's grants against"
    )
    if isinstance(user, Operator):
        return set(all_organisations.values_list("pk", flat=True))
    ids, partnerships = _grant_scope(user, ability, model)
    if partnerships:
        ids |= _organisations_of(user, frozenset(partnerships))
    return ids


def _organisations_of(user: User | AnonymousUser, partnerships: frozenset[int]) -> set[int]:
    """The ids of the organisations of ``partnerships``, read once a request (cached on the
    user object beside its memberships; ``forget`` drops both)."""
    cache_: dict[str, Any] = user.__dict__.setdefault("_practica_permissions", {})
    known: dict[frozenset[int], set[int]] = cache_.setdefault("partnership_organisations", {})
    if partnerships not in known:
        known[partnerships] = set(
            Organisation.objects.unscoped("organisation ids only, to test a user's grants against")
            .filter(partnership_id__in=partnerships)
            .values_list("pk", flat=True)
        )
    return set(known[partnerships])


def partnership_ids_for(
    user: User | AnonymousUser | Operator, ability: str, model: type[models.Model]
) -> set[int]:
    """Ids of the partnerships in which ``user`` holds ``ability`` on ``model`` records."""
    return set(
        Organisation.objects.unscoped("organisation ids only, to test a user's grants against")
        .filter(pk__in=organisation_ids_for(user, ability, model))
        .values_list("partnership_id", flat=True)
    )


def can(user: User | AnonymousUser | Operator, ability: str, obj: models.Model) -> bool:
    """Whether ``user`` holds ``ability`` on this object (the same rule as ``visible_to``)."""
    manager: Any = type(obj)._default_manager
    return bool(manager.visible_to(user, ability).filter(pk=obj.pk).exists())


def may_hold(user: User | AnonymousUser | Operator, ability: str, obj: models.Model) -> bool:
    """Whether ``user`` would hold ``ability`` on ``obj`` once it is saved: its owning
    organisation (the rules' path, read from the unsaved record) is one where they hold it.
    For "create" and "set up" pages whose record may not exist yet."""
    rules = rules_for(type(obj))
    if rules.organisation is None:
        raise LookupError(f"{rules.label} records belong to a partnership, not an organisation")
    owner: Any = obj
    for name in rules.organisation.split("__"):
        owner = getattr(owner, name, None) if name != "pk" else owner
        if owner is None:
            return False
    if isinstance(user, Operator):
        return True
    return _in_scope(owner, _grant_scope(user, ability, type(obj)))


def can_in(user: User | AnonymousUser | Operator, ability: str, model: type[models.Model]) -> bool:
    """Whether ``user`` holds ``ability`` on ``model`` records of at least one organisation
    (the command line holds every ability)."""
    if isinstance(user, Operator):
        return True
    ids, partnerships = _grant_scope(user, ability, model)
    return bool(ids or partnerships)


def person_acting_for_self(
    user: User | AnonymousUser | Operator, ability: str, model: type[models.Model]
) -> Person | None:
    """The user's own person record if ``StartsForThemselves`` lets them start a ``model``
    record with ``ability`` in their person's organisation. None otherwise (no login, no person
    record, or no such role there)."""
    if isinstance(user, Operator) or not user.is_authenticated or not user.is_active:
        return None
    _rules, grants = _grants(model, ability)
    if not any(isinstance(grant, StartsForThemselves) for grant in grants):
        raise LookupError(f"Nobody starts {model._meta.label_lower} records with {ability}")
    person = own_person(user)
    if person is None or not _in_scope(person.organisation, _grant_scope(user, ability, model)):
        return None
    return person


@remembered
def own_person(user: User | AnonymousUser | Operator) -> Person | None:
    """The signed-in user's own person record (who they are, whatever else they may see), with
    its organisation; once per request (the navigation and the home page ask it often)."""
    if isinstance(user, Operator) or not user.is_authenticated:
        return None
    return (
        Person.objects.unscoped("the user's own person record: who they are")
        .select_related("organisation")
        .filter(user_id=user.pk)
        .first()
    )


def acting_organisation(request: Any, ability: str, model: type[models.Model]) -> Any:
    """The organisation of the membership the user is acting in, if it grants ``ability``.

    Used by "create" pages: the new record belongs to the organisation the user has chosen in
    the organisation switcher. Refused with 403 otherwise (nothing secret is revealed).
    """
    if not may_act(request, ability, model):
        raise PermissionDenied
    return request.membership.organisation


def may_act(request: Any, ability: str, model: type[models.Model]) -> bool:
    """Whether the organisation the user is acting in grants them ``ability`` on ``model``
    (e.g. whether a list offers its "Start …" button: ``acting_organisation`` serves it)."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return False
    if isinstance(request.user, Operator):
        return True
    return _in_scope(membership.organisation, _grant_scope(request.user, ability, model))


def requires_ability[F: Callable[..., Any]](
    ability: str, model: type[models.Model]
) -> Callable[[F], F]:
    """View decorator: 403 unless the user holds ``ability`` on ``model`` somewhere.

    For list and create pages whose existence is no secret; objects are still filtered by
    ``visible_to`` inside the view.
    """

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not can_in(request.user, ability, model):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]  # functools.wraps keeps the view's signature

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
    if isinstance(user, Operator) or not user.is_authenticated or not user.is_active:
        return False
    return (
        bool(user.is_superuser)
        and not Organisation.objects.unscoped("whether any organisation exists at all").exists()
    )


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
