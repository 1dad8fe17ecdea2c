"""Tenant isolation by construction: a query on a scoped model runs only once it is narrowed.

Every model owned by an organisation (or a partnership) uses ``ScopedManager``. Its querysets
refuse to run — list, count, exists, get, update, delete, or be used as a subquery — until
they are narrowed in one of two ways:

- ``Model.objects.visible_to(viewer, ability)``: the rows ``viewer`` holds ``ability`` on, as
  the access rules decide (each app's ``rules.py``, applied by ``practica.accounts.permissions``,
  which installs itself here as the policy). Anything a person sees starts here.
- ``Model.objects.unscoped("reason")``: every row, for code that acts for the system — a
  service looking up the record it was handed, an importer checking a natural key, a task, the
  demo. The reason is required and says why no viewer applies; a test lists every use.

A query reached through a record already held (``organisation.teams.all()``, a prefetch) is
narrowed by that record. Django's own integrity checks (unique fields and constraints in
``full_clean``) read unscoped, as they must. A forgotten narrowing raises ``ScopeError`` in
every environment: a page that fails is better than one that shows another organisation's
records. See docs/0017-fail-loud-scoping.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self

from django.db import models
from django.db.models import sql
from django.http import Http404

if TYPE_CHECKING:
    from collections.abc import Collection


class ScopeError(RuntimeError):
    """A query on a scoped model was about to run before it was narrowed."""


class AccessPolicy(Protocol):
    """What decides which rows a viewer holds an ability on (``accounts.permissions``)."""

    def narrow[M: models.Model](
        self, queryset: models.QuerySet[M], viewer: Any, ability: str
    ) -> models.QuerySet[M]: ...


_policy: list[AccessPolicy] = []
# set while Django checks uniqueness and constraints (those reads are the database's own
# rules), and inside an ``unscoped_block``
_integrity_check: ContextVar[bool] = ContextVar("practica_integrity_check", default=False)
# set while Django builds the inner query of an exclude() across a many-valued relation
_inner_of_narrowed_query: ContextVar[bool] = ContextVar("practica_inner_query", default=False)


def install_policy(policy: AccessPolicy) -> None:
    """Called once by the access layer when it loads; ``visible_to`` asks it from then on."""
    _policy[:] = [policy]


@contextmanager
def _integrity_checks() -> Iterator[None]:
    token = _integrity_check.set(True)
    try:
        yield
    finally:
        _integrity_check.reset(token)


@contextmanager
def unscoped_block(reason: str) -> Iterator[None]:
    """Every query inside reads every organisation's rows: for code that is entirely the
    system's and runs other people's code on scoped models, such as the Django admin for
    Practica's administrators. Prefer ``.unscoped(reason)`` on each query everywhere else."""
    if not reason.strip():
        raise ValueError("unscoped_block() needs a reason saying why no viewer applies")
    with _integrity_checks():
        yield


def _refuse(model: type[models.Model]) -> ScopeError:
    return ScopeError(
        f"A query on {model.__name__} ran before it was narrowed: start from "
        f"{model.__name__}.objects.visible_to(user, ability) for what a person sees, "
        f'or .unscoped("why no viewer applies") for work done for the system.'
    )


class ScopedQuery(sql.Query):
    """The SQL query of a scoped queryset; it carries the mark, so that it travels into
    ``Subquery``/``Exists`` and every copy Django makes."""

    narrowed = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if _inner_of_narrowed_query.get():
            self.narrowed = True

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: set[str] | None = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Self:
        """Used inside another query (``pk__in=...``, ``Subquery``, ``Exists``): narrowed first."""
        if not self.narrowed and not _integrity_check.get():
            raise _refuse(self.model)  # type: ignore[arg-type]  # a model query has a model
        resolved = super().resolve_expression(query, allow_joins, reuse, summarize, for_save)
        assert isinstance(resolved, type(self))
        return resolved

    def split_exclude(self, *args: Any, **kwargs: Any) -> Any:
        # ``exclude()`` across a many-valued relation builds an inner query of this one; it
        # is part of this query, which is checked when it runs
        token = _inner_of_narrowed_query.set(True)
        try:
            return super().split_exclude(*args, **kwargs)
        finally:
            _inner_of_narrowed_query.reset(token)


class ScopedQuerySet[M: models.Model](models.QuerySet[M]):
    """A queryset that knows whether it has been narrowed (see the module's docstring)."""

    def __init__(
        self,
        model: type[M] | None = None,
        query: sql.Query | None = None,
        using: str | None = None,
        hints: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(model, query or ScopedQuery(model), using, hints)

    @property
    def _narrowed(self) -> bool:
        return getattr(self.query, "narrowed", False)

    @_narrowed.setter
    def _narrowed(self, value: bool) -> None:
        self.query.narrowed = value  # type: ignore[attr-defined]  # a ScopedQuery's mark

    def visible_to(self, viewer: Any, ability: str = "view") -> Self:
        """The rows ``viewer`` holds ``ability`` on (404-worthy: nothing else exists for them)."""
        if not _policy:
            raise ScopeError("No access policy is installed (is practica.accounts installed?)")
        narrowed = _policy[0].narrow(self, viewer, ability)
        assert isinstance(narrowed, type(self))
        narrowed._narrowed = True
        return narrowed

    def unscoped(self, reason: str) -> Self:
        """Every row, for code that acts for the system; ``reason`` says why no viewer applies."""
        if not reason.strip():
            raise ValueError("unscoped() needs a reason saying why no viewer applies")
        clone = self.all()
        clone._narrowed = True
        return clone

    @property
    def is_narrowed(self) -> bool:
        return self._narrowed

    # --- keeping the mark through combinations ---------------------------------------------

    def none(self) -> Self:
        empty = super().none()
        empty._narrowed = True  # nothing to leak
        return empty

    def __and__(self, other: models.QuerySet[M]) -> Self:
        combined = super().__and__(other)
        combined._narrowed = self._narrowed or _is_narrowed(other)
        return combined

    def __or__(self, other: models.QuerySet[M]) -> Self:
        return self._widened(super().__or__(other), other)

    def __xor__(self, other: models.QuerySet[M]) -> Self:
        return self._widened(super().__xor__(other), other)

    def _widened(self, combined: models.QuerySet[M], other: models.QuerySet[M]) -> Self:
        narrowed = self._narrowed and _is_narrowed(other)
        if isinstance(combined, ScopedQuerySet):
            combined._narrowed = narrowed
            return combined  # type: ignore[return-value]  # Django's own copy of self's class
        if not narrowed:  # Django rebuilt it on the plain manager (a sliced operand)
            raise _refuse(self.model)
        return combined  # type: ignore[return-value]  # a plain queryset, no longer scoped

    def union(self, *others: models.QuerySet[Any], all: bool = False) -> Self:
        combined = super().union(*others, all=all)
        combined._narrowed = self._narrowed and all_narrowed(others)
        return combined

    def __repr__(self) -> str:
        if not self._narrowed and self._result_cache is None:
            return f"<{type(self).__name__} of {self.model.__name__}, not narrowed>"
        return super().__repr__()

    # --- refusing to run ------------------------------------------------------------------

    def _require_narrowed(self) -> None:
        if not self._narrowed and not _integrity_check.get():
            raise _refuse(self.model)

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._require_narrowed()
        super()._fetch_all()

    def count(self) -> int:
        if self._result_cache is None:
            self._require_narrowed()
        return super().count()

    def exists(self) -> bool:
        if self._result_cache is None:
            self._require_narrowed()
        return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._require_narrowed()
        return super().aggregate(*args, **kwargs)

    def iterator(self, chunk_size: int | None = None) -> Iterator[M]:
        self._require_narrowed()
        return super().iterator(chunk_size)

    def update(self, **kwargs: Any) -> int:
        self._require_narrowed()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._require_narrowed()
        return super().delete()

    def explain(self, *, format: str | None = None, **options: Any) -> str:
        self._require_narrowed()
        return super().explain(format=format, **options)


def _is_narrowed(queryset: models.QuerySet[Any]) -> bool:
    return getattr(queryset, "_narrowed", True)  # an ordinary model's queryset is not scoped


def all_narrowed(querysets: Collection[models.QuerySet[Any]]) -> bool:
    return all(_is_narrowed(queryset) for queryset in querysets)


class ScopedManager[M: models.Model](models.Manager[M]):
    """The default manager of a scoped model: its querysets must be narrowed before they run."""

    _queryset_class = ScopedQuerySet

    def get_queryset(self) -> ScopedQuerySet[M]:
        queryset = super().get_queryset()
        assert isinstance(queryset, ScopedQuerySet)

        # a related manager (``organisation.teams``) is narrowed by the record it belongs to
        if getattr(self, "instance", None) is not None:
            queryset._narrowed = True
        return queryset

    def visible_to(self, viewer: Any, ability: str = "view") -> ScopedQuerySet[M]:
        return self.get_queryset().visible_to(viewer, ability)

    def unscoped(self, reason: str) -> ScopedQuerySet[M]:
        return self.get_queryset().unscoped(reason)


class ScopedModel(models.Model):
    """Abstract base for records owned by an organisation (or, with its own rules, a partnership).

    ``scope_path`` leads from the record to its owning organisation (None: a partnership owns
    it); the access rules of its app (``rules.py``) start from it.
    """

    scope_path: ClassVar[str | None] = "organisation"
    objects: ClassVar[ScopedManager[Any]] = ScopedManager()

    class Meta:
        abstract = True

    def validate_unique(self, exclude: Collection[str] | None = None) -> None:
        with _integrity_checks():
            super().validate_unique(exclude=exclude)

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        with _integrity_checks():
            super().validate_constraints(exclude=exclude)


def get_visible_or_404[M: models.Model](
    model: type[M], viewer: Any, ability: str = "view", **lookup: Any
) -> M:
    """The object if ``viewer`` may see it with ``ability``; 404 otherwise (existence stays secret)."""
    manager = model._default_manager
    if not isinstance(manager, ScopedManager):
        raise TypeError(f"{model.__name__} is not a scoped model")
    try:
        found: M = manager.visible_to(viewer, ability).get(**lookup)
    except model.DoesNotExist as error:  # type: ignore[attr-defined]  # every model has one
        raise Http404(f"No {model._meta.verbose_name} found") from error
    return found
