"""Pages of PEPS training. Thin: parse, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from practica.accounts import permissions
from practica.accounts.models import AuthenticatedRequest
from practica.accounts.permissions import MANAGE, VIEW, acting_organisation, requires_ability
from practica.core.forms import submitted
from practica.core.history import history_for
from practica.core.listing import listing
from practica.core.scoping import get_visible_or_404
from practica.educators.register.pages import form_data, form_page, tabs, today
from practica.educators.training import selectors, services
from practica.educators.training.forms import CohortForm, EnrolForm, OutcomeForm
from practica.educators.training.models import FINAL_OUTCOMES, PepsCohort


@login_required
@requires_ability(VIEW, PepsCohort)
def cohort_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = {
        key: request.GET.get(key, "").strip()
        for key in ("year", "stage", "organisation", "outcome")
    }
    cohorts = selectors.cohorts_visible_to(request.user, **filters)
    sorts = {
        "year": ("Academic year", "academic_year__start_year"),
        "organisation": ("Organisation", "organisation__name"),
        "stage": ("Stage", "stage"),
        "candidates": ("Candidates", "candidate_count"),
        "passed": ("Passed", "passed_count"),
    }
    context = {
        "listing": listing(request, cohorts, sorts=sorts, default_sort="-year"),
        "filters": filters,
        "years": selectors.cohort_years_visible_to(request.user),
        "can_create": permissions.can_in(request.user, MANAGE, PepsCohort),
        **tabs(request, "peps"),
    }
    return render(request, "educators/cohort_list.html", context)


@login_required
def cohort_create(request: AuthenticatedRequest) -> HttpResponse:
    organisation = acting_organisation(request, MANAGE, PepsCohort)
    form = CohortForm(request.POST or None)
    cohort = submitted(
        request,
        form,
        lambda: services.create_peps_cohort(
            actor=request.user,
            organisation=organisation,
            **form_data(form, "academic_year", "stage"),
        ),
    )
    if cohort is not None:
        messages.success(request, f"Cohort {cohort} added.")
        return redirect("educators:cohort-detail", pk=cohort.pk)
    title = f"Add a PEPS cohort for {organisation.name}"
    return render(
        request, "core/form.html", form_page(form, title, reverse("educators:cohort-list"))
    )


@login_required
def cohort_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    cohort: PepsCohort = get_visible_or_404(PepsCohort, request.user, pk=pk)
    context = {
        "cohort": cohort,
        "enrolments": selectors.enrolments_of(cohort),
        "can_manage": permissions.can(request.user, MANAGE, cohort),
        "history": history_for(cohort),
        **tabs(request, "peps"),
    }
    return render(request, "educators/cohort_detail.html", context)


@login_required
def enrol(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    cohort: PepsCohort = get_visible_or_404(PepsCohort, request.user, MANAGE, pk=pk)
    form = EnrolForm(
        request.POST or None,
        candidates=selectors.candidates_for(cohort),
        assessors=selectors.assessors_for(cohort.organisation_id),
    )
    enrolment = submitted(
        request,
        form,
        lambda: services.enrol_in_peps_cohort(
            actor=request.user, cohort=cohort, **form_data(form, "educator", "assessor")
        ),
    )
    if enrolment is not None:
        messages.success(request, f"{enrolment.educator} enrolled in {cohort}.")
        return redirect("educators:cohort-detail", pk=cohort.pk)
    title = f"Enrol a candidate in {cohort}"
    return render(request, "core/form.html", form_page(form, title, cohort.get_absolute_url()))


@login_required
def outcome(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for(request.user, pk, ability=MANAGE)
    initial = {"outcome": enrolment.outcome, "outcome_date": enrolment.outcome_date or today()}
    correcting = enrolment.outcome in FINAL_OUTCOMES
    form = OutcomeForm(request.POST or None, initial=initial, correcting=correcting)
    saved = submitted(
        request,
        form,
        lambda: services.record_peps_outcome(
            actor=request.user,
            enrolment=enrolment,
            **form_data(form, "outcome", "outcome_date"),
            reason=form.cleaned_data.get("reason", ""),
        ),
    )
    if saved is not None:
        messages.success(request, f"Outcome recorded for {enrolment.educator}.")
        return redirect("educators:cohort-detail", pk=enrolment.cohort_id)
    verb = "Correct" if correcting else "Record"
    title = f"{verb} the outcome for {enrolment.educator}"
    context = form_page(
        form,
        title,
        enrolment.get_absolute_url(),
        enrolment=enrolment,
        correcting=correcting,
        history=history_for(enrolment),
    )
    return render(request, "educators/outcome.html", context)
