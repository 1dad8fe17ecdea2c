"""Reading outside CPD: as its viewer may (the person, and whoever may see their CPD record)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from practica.accounts.permissions import MANAGE, VIEW
from practica.core.models import Person
from practica.core.scoping import get_visible_or_404
from practica.learning.outside.models import OutsideCpd

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer


def outside_cpd_of(viewer: Viewer, person: Person) -> QuerySet[OutsideCpd]:
    """``person``'s outside CPD that ``viewer`` may see, newest first, without the files."""
    return OutsideCpd.objects.visible_to(viewer, VIEW).filter(person=person).defer("evidence")


def outside_cpd_for(viewer: Viewer, pk: int, *, write: bool = False) -> OutsideCpd:
    """One entry if ``viewer`` may see it (or change it, with ``write``); 404 otherwise."""
    return get_visible_or_404(OutsideCpd, viewer, MANAGE if write else VIEW, pk=pk)
