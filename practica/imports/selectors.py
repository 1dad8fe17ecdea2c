from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from practica.accounts import permissions
from practica.imports.framework import ImportContext, Importer
from practica.imports.models import ImportRun, ImportStatus
from practica.imports.registry import all_importers
from practica.imports.rules import IMPORT

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer


def import_runs_visible_to(viewer: Viewer, *, status: str = "") -> QuerySet[ImportRun]:
    """The imports ``viewer`` may see; with ``status``, only those in it (e.g. failed)."""
    runs = (
        ImportRun.objects.visible_to(viewer)
        .select_related("created_by", "organisation")
        .defer("upload")
    )
    return runs.filter(status=status) if status in ImportStatus.values else runs


def may_import(viewer: Viewer) -> bool:
    """Whether ``viewer`` imports at all (``imports/rules.py``); each kind still checks rows."""
    return permissions.can_in(viewer, IMPORT, ImportRun)


def importers_for(viewer: Viewer) -> list[Importer]:
    """The kinds ``viewer`` may import (none refuses them outright)."""
    if not may_import(viewer):
        return []
    ctx = ImportContext(actor=None, viewer=viewer)
    return [importer for importer in all_importers() if importer.refuse(ctx) is None]
