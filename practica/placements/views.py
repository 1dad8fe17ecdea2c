"""Pages for students. Thin: parse, call, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from practica.accounts.models import AuthenticatedRequest
from practica.accounts.permissions import VIEW, requires_ability
from practica.core.history import history_for
from practica.core.listing import listing
from practica.placements import selectors
from practica.placements.models import Route, Student

FILTERS = ("search", "hei", "route", "year_of_study")


@login_required
@requires_ability(VIEW, Student)
def student_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in FILTERS}
    students = selectors.students_visible_to(request.user, **filters)
    sorts = {
        "name": ("Name", "person__last_name"),
        "ref": ("Reference", "student_ref"),
        "hei": ("University", "hei__name"),
        "route": ("Route", "route"),
        "year": ("Year", "year_of_study"),
    }
    context = {
        "listing": listing(request, students, sorts=sorts, default_sort="name"),
        "filters": filters,
        "filtered": any(filters.values()),
        "universities": selectors.universities_visible_to(request.user),
        "routes": Route.choices,
        "years": range(1, 7),
    }
    return render(request, "placements/student_list.html", context)


@login_required
def student_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    student = selectors.student_for(request.user, pk)
    context = {"student": student, "history": history_for(student)}
    return render(request, "placements/student_detail.html", context)
