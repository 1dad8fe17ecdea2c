"""The first-run wizard's pages. Thin: parse, call the draft or the service, render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render

from practica.accounts import permissions
from practica.accounts.models import AuthenticatedRequest
from practica.core.forms import apply_errors
from practica.onboarding import services
from practica.onboarding.forms import (
    AcademicYearForm,
    CoordinatorsForm,
    OrganisationForm,
    PartnershipNameForm,
)
from practica.onboarding.wizard import OUTCOME_KEY, SetupDraft

View = Callable[..., HttpResponse]


def wizard_page(view: View) -> View:
    """Signed in, and only while the set-up is open to this user (403 otherwise)."""

    @login_required
    @wraps(view)
    def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not permissions.may_set_up_partnership(request.user):
            raise PermissionDenied
        return view(request, SetupDraft.load(request.session), *args, **kwargs)

    return wrapped


def _saved(request: AuthenticatedRequest, draft: SetupDraft) -> HttpResponse:
    draft.save(request.session)
    return redirect("onboarding:task-list")


def _page(request: AuthenticatedRequest, form: BaseForm, title: str, **extra: Any) -> HttpResponse:
    return render(request, "onboarding/form.html", {"form": form, "title": title, **extra})


@wizard_page
def task_list(request: AuthenticatedRequest, draft: SetupDraft) -> HttpResponse:
    return render(request, "onboarding/task_list.html", {"draft": draft, "tasks": draft.tasks()})


@wizard_page
def partnership(request: AuthenticatedRequest, draft: SetupDraft) -> HttpResponse:
    form = PartnershipNameForm(request.POST or None, initial={"name": draft.partnership})
    if request.method == "POST" and form.is_valid():
        draft.partnership = form.cleaned_data["name"].strip()
        return _saved(request, draft)
    return _page(request, form, "Name the partnership")


@wizard_page
def lead(request: AuthenticatedRequest, draft: SetupDraft) -> HttpResponse:
    form = OrganisationForm(request.POST or None, initial=draft.lead or {})
    if request.method == "POST" and form.is_valid():
        try:
            draft.set_lead(form.organisation())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _saved(request, draft)
    return _page(request, form, "Add the lead organisation")


@wizard_page
def members(request: AuthenticatedRequest, draft: SetupDraft) -> HttpResponse:
    if draft.lead is None:
        return redirect("onboarding:task-list")
    action = request.POST.get("action")
    form = OrganisationForm(request.POST if action == "add" else None)
    if action == "remove":
        draft.remove_member(request.POST.get("code", ""))
        draft.save(request.session)
        return redirect("onboarding:members")
    if action == "done":
        draft.members_done = True
        return _saved(request, draft)
    if action == "add" and form.is_valid():
        try:
            draft.add_member(form.organisation())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            draft.save(request.session)
            messages.success(request, f"{form.organisation()} added.")
            return redirect("onboarding:members")
    return render(request, "onboarding/members.html", {"draft": draft, "form": form})


@wizard_page
def year(request: AuthenticatedRequest, draft: SetupDraft) -> HttpResponse:
    form = AcademicYearForm(request.POST or None, initial={"year": draft.year_label})
    if request.method == "POST" and form.is_valid():
        draft.year = form.cleaned_data["year"]
        return _saved(request, draft)
    return _page(request, form, "Choose the academic year")


@wizard_page
def coordinators(request: AuthenticatedRequest, draft: SetupDraft) -> HttpResponse:
    if not (draft.lead and draft.members_done):
        return redirect("onboarding:task-list")
    form = CoordinatorsForm(
        request.POST or None,
        organisations=draft.organisations(),
        initial={f"coordinator_{code}": email for code, email in draft.coordinators.items()},
    )
    if request.method == "POST" and form.is_valid():
        draft.set_coordinators(form.emails())
        return _saved(request, draft)
    intro = "Each coordinator is e-mailed a link to choose a password and join their organisation."
    return _page(request, form, "Invite each organisation's coordinator", intro=intro)


@wizard_page
def check(request: AuthenticatedRequest, draft: SetupDraft) -> HttpResponse:
    if not draft.ready:
        return redirect("onboarding:task-list")
    problems: list[str] = []
    if request.method == "POST":
        try:
            outcome = services.set_up_partnership(
                actor=request.user,
                plan=draft.plan(),
                base_url=request.build_absolute_uri("/")[:-1],
                actor_becomes_manager=True,
            )
        except ValidationError as error:
            problems = error.messages
        else:
            SetupDraft.forget(request.session)
            request.session[OUTCOME_KEY] = {
                "partnership": outcome.partnership.name,
                "lines": outcome.lines(),
            }
            return redirect("onboarding:done")
    return render(request, "onboarding/check.html", {"draft": draft, "problems": problems})


@login_required
def done(request: AuthenticatedRequest) -> HttpResponse:
    """The confirmation, shown once to whoever has just set the partnership up."""
    outcome = request.session.get(OUTCOME_KEY)
    if outcome is None:
        raise PermissionDenied
    return render(request, "onboarding/done.html", {"outcome": outcome})
