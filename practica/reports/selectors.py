"""Reads for the report pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from practica.core.models import Organisation

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer


def organisations_to_filter_by(viewer: Viewer) -> QuerySet[Organisation]:
    """The organisations a report's filter offers: those ``viewer`` may see."""
    return Organisation.objects.visible_to(viewer)
