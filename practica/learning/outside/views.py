"""A practice educator's outside CPD: add, change, remove their own; its evidence downloaded by
whoever may see their CPD record (everyone else gets 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from practica.accounts.models import AuthenticatedRequest
from practica.accounts.selectors import person_of
from practica.core.breadcrumbs import Crumb
from practica.core.forms import submitted
from practica.learning.outside import selectors, services
from practica.learning.outside.forms import OutsideCpdForm
from practica.learning.outside.models import OutsideCpd


def _form(request: AuthenticatedRequest, entry: OutsideCpd | None = None) -> OutsideCpdForm:
    initial = {}
    if entry is not None:
        initial = {
            "title": entry.title,
            "done_on": entry.done_on,
            "hours": entry.hours,
            "provider": entry.provider,
            "reflection": entry.reflection,
        }
    if request.method == "POST":
        return OutsideCpdForm(request.POST, request.FILES, initial=initial)
    return OutsideCpdForm(initial=initial)


def _render(
    request: AuthenticatedRequest, form: OutsideCpdForm, entry: OutsideCpd | None
) -> HttpResponse:
    context = {
        "form": form,
        "entry": entry,
        "title": "Change outside CPD" if entry else "Record CPD you did outside Practica",
        "cancel_url": reverse("learning:my-cpd-record"),
        "breadcrumbs": [
            Crumb("Home", reverse("home")),
            Crumb("My CPD record", reverse("learning:my-cpd-record")),
        ],
    }
    return render(request, "learning/outside_cpd_form.html", context)


@login_required
def outside_cpd_add(request: AuthenticatedRequest) -> HttpResponse:
    person = person_of(request.user)
    if person is None:
        raise Http404("Your sign-in is not linked to a person record.")
    form = _form(request)
    saved = submitted(
        request,
        form,
        lambda: services.record_outside_cpd(
            actor=request.user,
            person=person,
            evidence=form.evidence_file(),
            **{k: v for k, v in form.cleaned_data.items() if k != "evidence"},
        ),
    )
    if saved is not None:
        messages.success(request, f"{saved.title} is in your CPD record.")
        return redirect("learning:my-cpd-record")
    return _render(request, form, None)


@login_required
def outside_cpd_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = selectors.outside_cpd_for(request.user, pk, write=True)
    form = _form(request, entry)
    saved = submitted(
        request,
        form,
        lambda: services.change_outside_cpd(
            actor=request.user,
            entry=entry,
            evidence=form.evidence_file(),
            **{k: v for k, v in form.cleaned_data.items() if k != "evidence"},
        ),
    )
    if saved is not None:
        messages.success(request, f"{saved.title} is changed.")
        return redirect("learning:my-cpd-record")
    return _render(request, form, entry)


@login_required
def outside_cpd_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = selectors.outside_cpd_for(request.user, pk, write=True)
    return _remove(request, entry)


@require_POST
def _remove(request: AuthenticatedRequest, entry: OutsideCpd) -> HttpResponse:
    services.remove_outside_cpd(actor=request.user, entry=entry)
    messages.success(request, f"{entry.title} is removed from your CPD record.")
    return redirect("learning:my-cpd-record")


@login_required
def outside_cpd_evidence(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = selectors.outside_cpd_for(request.user, pk)
    if not entry.has_evidence:
        raise Http404("There is no evidence file.")
    response = HttpResponse(bytes(entry.evidence), content_type=entry.evidence_type)
    response["Content-Disposition"] = f'attachment; filename="{entry.evidence_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
