from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from practica.accounts import permissions
from practica.core import selectors as core_selectors
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


# how long a queued run may wait before the page says that no worker is running
WAIT_BEFORE_WARNING = datetime.timedelta(seconds=10)


def is_stalled(run: ImportRun) -> bool:
    """Whether a run that a worker took up is no longer being run: no worker is alive, or each
    live worker started after the run did (its own worker stopped and another took over)."""
    if run.status not in {ImportStatus.CHECKING, ImportStatus.APPLYING}:
        return False
    return core_selectors.worker_lost_since(run.started_at or run.created_at)


def waits_for_a_worker(run: ImportRun) -> bool:
    """Whether a queued run has waited a while with no worker alive to take it up."""
    if run.status != ImportStatus.QUEUED:
        return False
    if timezone.now() - run.created_at < WAIT_BEFORE_WARNING:
        return False
    return not core_selectors.live_workers().exists()
