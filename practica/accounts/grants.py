"""The words an app's ``rules.py`` uses to say who may see and do what (docs/0002).

Each app declares, as data, one ``Rules`` per scoped model: the grants that give an ability to
a role. ``practica.accounts.permissions`` reads every app's ``rules.py`` and is the only code
that turns them into queries and answers; nothing else decides access.

A grant gives its ``abilities``:

- ``InOrganisation(roles, abilities)`` — to holders of one of ``roles`` on the records of the
  organisation their membership is in (optionally only for organisations of some kinds, through
  other paths to an organisation, or for records that also match ``where``);
- ``InPartnership(roles, abilities)`` — to holders of one of ``roles`` in any organisation of a
  partnership, on the records of every organisation of that partnership (the partnership
  manager's reading, and records shared with the whole partnership by design);
- ``AboutThemselves(path, abilities)`` — to the user the record is about (``path`` leads from
  the record to a user: their own register entry, their own application, a panel they sit on);
- ``Through(path, ability, abilities)`` — to whoever holds ``ability`` on the related record at
  ``path`` (a registration follows its event);
- ``StartsForThemselves(roles, abilities)`` — lets holders of ``roles`` start such a record about
  themselves, in their own organisation; it shows them no one's records.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import KW_ONLY, dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q

from practica.accounts.models import Role

VIEW, MANAGE = "view", "manage"
# export everything held about a person (UK GDPR subject access; docs/0013-subject-access.md)
SUBJECT_ACCESS = "subject_access"
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
PARTNERSHIP_MANAGER = frozenset({Role.PARTNERSHIP_MANAGER})


def _freeze(grant: Any, *names: str) -> None:
    for name in names:
        value = getattr(grant, name)
        if value is not None:
            object.__setattr__(grant, name, frozenset(value))


@dataclass(frozen=True)
class InOrganisation:
    roles: Collection[Role]
    abilities: Collection[str]
    _: KW_ONLY
    # paths from the record to an organisation that grants (default: the model's own)
    via: tuple[str, ...] = ()
    organisation_kinds: Collection[str] | None = None
    where: Q | None = None

    def __post_init__(self) -> None:
        _freeze(self, "roles", "abilities", "organisation_kinds")


@dataclass(frozen=True)
class InPartnership:
    roles: Collection[Role]
    abilities: Collection[str]
    _: KW_ONLY
    organisation_kinds: Collection[str] | None = None
    # which of the partnership's records: a condition, or one per role the viewer holds
    where: Q | Callable[[Role], Q] | None = None

    def __post_init__(self) -> None:
        _freeze(self, "roles", "abilities", "organisation_kinds")


@dataclass(frozen=True)
class AboutThemselves:
    path: str
    abilities: Collection[str]

    def __post_init__(self) -> None:
        _freeze(self, "abilities")


@dataclass(frozen=True)
class Through:
    path: str
    ability: str
    abilities: Collection[str]

    def __post_init__(self) -> None:
        _freeze(self, "abilities")


@dataclass(frozen=True)
class StartsForThemselves:
    roles: Collection[Role]
    abilities: Collection[str]

    def __post_init__(self) -> None:
        _freeze(self, "roles", "abilities")


Grant = InOrganisation | InPartnership | AboutThemselves | Through | StartsForThemselves

# The partnership manager reads every organisation of their partnership and answers subject
# access requests there; they change nothing (docs/0003-data-sharing.md).
PARTNERSHIP_MANAGER_READS = InPartnership(PARTNERSHIP_MANAGER, {VIEW, SUBJECT_ACCESS})


@dataclass(frozen=True)
class Rules:
    """Who holds which ability on one scoped model. Several apps may declare rules for one
    model (each adds its own abilities); their grants join."""

    model: type[models.Model]
    grants: tuple[Grant, ...]
    # path from a record to the organisation that owns it (default: the model's scope_path);
    # None for records a whole partnership owns
    organisation: str | None = field(default="")
    # path from a record to its partnership (default: through the organisation)
    partnership: str = ""

    def __init__(
        self,
        model: type[models.Model],
        *grants: Grant,
        organisation: str | None = "",
        partnership: str = "",
    ) -> None:
        if organisation == "":
            organisation = getattr(model, "scope_path", "organisation")
        if not partnership:
            if organisation is None:
                raise ValueError(f"{model.__name__}: say the path to its partnership")
            partnership = "partnership" if organisation == "pk" else f"{organisation}__partnership"
        object.__setattr__(self, "model", model)
        object.__setattr__(self, "grants", tuple(grants))
        object.__setattr__(self, "organisation", organisation)
        object.__setattr__(self, "partnership", partnership)

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def abilities(self) -> set[str]:
        return {ability for grant in self.grants for ability in grant.abilities}
