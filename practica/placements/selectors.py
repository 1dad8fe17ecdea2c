"""Scoped reads of students: each starts from ``visible_to(user)``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from practica.accounts import permissions
from practica.core.models import Organisation, OrganisationKind
from practica.placements.models import Student

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer


def students_visible_to(
    user: Viewer,
    *,
    search: str = "",
    hei: str = "",
    route: str = "",
    year_of_study: str = "",
) -> QuerySet[Student]:
    """Students ``user`` may see, filtered by a search of name, e-mail and reference, the
    university's code, the route and the year of study (unknown values filter nothing out
    but an unknown year, which matches no one)."""
    students = Student.objects.visible_to(user).select_related("person", "hei")
    if search:
        students = students.filter(
            Q(person__first_name__icontains=search)
            | Q(person__last_name__icontains=search)
            | Q(person__email__icontains=search)
            | Q(student_ref__icontains=search)
        )
    if hei:
        students = students.filter(hei__code__iexact=hei)
    if route:
        students = students.filter(route=route)
    if year_of_study:
        students = students.filter(
            year_of_study=int(year_of_study) if year_of_study.isdigit() else -1
        )
    return students


def student_for(user: Viewer, pk: int) -> Student:
    """The student if ``user`` may see them; 404 otherwise (their existence stays secret)."""
    students = Student.objects.visible_to(user).select_related("person", "person__team", "hei")
    try:
        return students.get(pk=pk)
    except Student.DoesNotExist:
        raise Http404("No student found") from None


def universities_visible_to(user: Viewer) -> QuerySet[Organisation]:
    """The universities whose students ``user`` may see (for the list's filter)."""
    ids = permissions.organisation_ids_for(user, permissions.VIEW, Student)
    return (
        Organisation.objects.visible_to(user)
        .filter(kind=OrganisationKind.HEI, pk__in=ids)
        .order_by("name")
    )
