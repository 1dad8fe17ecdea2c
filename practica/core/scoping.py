"""Tenant isolation by construction: every user-facing read starts from ``visible_to(user)``.

A scoped model names the path from itself to its owning organisation in ``scope_path``.
``Model.objects.visible_to(user, ability)`` keeps the rows whose organisation grants the user
that ability (see ``practica.accounts.permissions``); nothing else decides access. A personal
ability (``permissions.PERSONAL``) keeps instead the rows about the user themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self

from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer


class ScopedQuerySet[M: models.Model](models.QuerySet[M]):
    def visible_to(self, user: Viewer, ability: str = "view") -> Self:
        from practica.accounts import permissions

        path = getattr(self.model, "scope_path", None)
        if path is None:
            raise TypeError(f"{self.model.__name__} declares no scope_path")
        to_user = permissions.personal_path(self.model, ability)
        if to_user is not None:
            if isinstance(user, permissions.Operator):
                return self.all()
            # someone whose every membership has ended has left Practica: nothing is theirs
            if user.pk is None or not permissions.active_memberships(user):
                return self.none()
            return self.filter(**{to_user: user.pk})
        organisation_ids = permissions.organisation_ids_for(user, ability, self.model)
        return self.filter(**{f"{path}__in": organisation_ids})


class ScopedModel(models.Model):
    """Abstract base for records owned by an organisation."""

    scope_path: ClassVar[str] = "organisation"
    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


def get_visible_or_404[M: models.Model](
    model: type[M], user: Viewer, ability: str = "view", **lookup: Any
) -> M:
    """The object if ``user`` may see it with ``ability``; 404 otherwise (existence stays secret)."""
    queryset = model.objects.visible_to(user, ability)  # type: ignore[attr-defined]
    try:
        return queryset.get(**lookup)
    except model.DoesNotExist as error:  # type: ignore[attr-defined]
        raise Http404(f"No {model._meta.verbose_name} found") from error
