"""The base of every resource: reads through a selector, writes through services.

A resource's viewset names its ``model``, implements :meth:`ScopedViewSet.visible` by calling
its app's selector, and writes by calling its app's services with ``actor=self.actor``. The
base class adds what every resource shares: the list filters (``organisation``, and ``year``
where ``year_path`` is set), 404 for objects outside the user's scope on every method, and 403
on list/create for users who hold the ability in no organisation.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from practica.accounts.models import User
from practica.accounts.permissions import MANAGE
from practica.api.filters import ListFilters, narrow
from practica.api.permissions import HoldsAbilitySomewhere
from practica.core.scoping import get_visible_or_404


class ScopedViewSet[M: Model](viewsets.GenericViewSet[M]):
    model: ClassVar[type[Model]]
    filters_class: ClassVar[type[ListFilters]] = ListFilters
    year_path: ClassVar[str | None] = None
    lookup_value_converter = "int"
    permission_classes = [IsAuthenticated, HoldsAbilitySomewhere]

    def visible(self, filters: dict[str, Any]) -> QuerySet[M]:
        """The app's selector for ``self.request.user``, given the resource's own filters."""
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[M]:
        filters = self.list_filters() if self.action == "list" else {}
        queryset = narrow(self.visible(filters), filters, year_path=self.year_path)
        # Pages must not overlap: the selector's (or the model's) order, then the id.
        ordering = list(queryset.query.order_by or self.model._meta.ordering or [])
        return queryset.order_by(*ordering, "pk")

    def list_filters(self) -> dict[str, Any]:
        parsed = self.filters_class(data=self.request.query_params)
        parsed.is_valid(raise_exception=True)
        return dict(parsed.validated_data)

    @property
    def actor(self) -> User:
        """The signed-in user who acts (``IsAuthenticated`` lets no one else this far)."""
        user = self.request.user
        assert isinstance(user, User)
        return user

    def get_object(self) -> M:
        """The object if the user may see it; 404 otherwise, worded as the pages word it."""
        try:
            obj = self.get_queryset().get(
                pk=self.kwargs[self.lookup_url_kwarg or self.lookup_field]
            )
        except ObjectDoesNotExist:
            raise Http404(f"No {self.model._meta.verbose_name} found") from None
        self.check_object_permissions(self.request, obj)
        return obj

    def get_object_to_manage(self) -> M:
        """The object if the user may change it; 404 otherwise (as the edit pages)."""
        pk = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        return get_visible_or_404(self.model, self.request.user, MANAGE, pk=pk)  # type: ignore[return-value]  # the viewset's model is M

    def parse(
        self,
        input_class: type[serializers.Serializer[Any]],
        *,
        instance: M | None = None,
        partial: bool = False,
    ) -> dict[str, Any]:
        """The request body, validated by ``input_class``; for PATCH, the fields left out keep
        the values ``instance`` has."""
        parsed = input_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        parsed.is_valid(raise_exception=True)
        values = dict(parsed.validated_data)
        if partial and instance is not None:
            for name, field in parsed.fields.items():
                if name not in values and not field.read_only:
                    values[name] = getattr(instance, field.source or name)
        return values

    def shown(self, obj: M, *, status_code: int = status.HTTP_200_OK) -> Response:
        """``obj`` as the list and detail endpoints show it (read again through the selector)."""
        fresh = self.visible({}).get(pk=obj.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    def http_method_not_allowed(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        # An object outside the user's scope answers 404 whatever the method, so a 405 never
        # tells an outsider that the object exists.
        if (self.lookup_url_kwarg or self.lookup_field) in kwargs:
            self.get_object()
        return super().http_method_not_allowed(request, *args, **kwargs)


class ReadOnlyScopedViewSet[M: Model](
    mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet[M]
):
    """List and detail, nothing else."""
