"""Imports on the home page (``core.home``): the imports that failed, for those who import."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from practica.core.home import Card
from practica.imports import selectors
from practica.imports.models import ImportStatus


def import_tasks(request: Any) -> list[Card]:
    user = request.user
    if request.membership is None or not selectors.may_import(user):
        return []
    failed = selectors.import_runs_visible_to(user, status=ImportStatus.FAILED).count()
    return [
        Card(
            "Imports that failed",
            failed,
            reverse("imports:run-list") + f"?status={ImportStatus.FAILED}",
            "Fix and upload again",
            "No import has failed. Import people, teams or the register from a spreadsheet.",
            section="Imports",
            status_colour="red",
            hint="Each lists the problems in its file: correct them and upload the file again.",
        )
    ]
