"""The allocation pages: start a run, follow it, read its proposals and why, pin or forbid
pairs, run again, review and confirm. Thin: parse, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from practica.accounts.models import AuthenticatedRequest
from practica.accounts.permissions import acting_organisation, requires_ability
from practica.core.forms import submitted
from practica.core.listing import listing
from practica.placements.allocation_models import AllocationRun, RunStatus
from practica.placements.rules import ALLOCATE
from practica.placements.runs import selectors, services
from practica.placements.runs.forms import ConstraintForm, StartRunForm


def _start_form(request: AuthenticatedRequest) -> StartRunForm:
    return StartRunForm(
        request.POST or None,
        years=selectors.years_for(request.user),
        universities=selectors.universities_to_choose(request.membership),
    )


@login_required
@requires_ability(ALLOCATE, AllocationRun)
def run_list(request: AuthenticatedRequest) -> HttpResponse:
    form = _start_form(request)
    if request.method == "POST":
        acting = acting_organisation(request, ALLOCATE, AllocationRun)
        universities = selectors.universities_to_choose(request.membership)

        def start() -> AllocationRun:
            chosen = form.cleaned_data.get("organisation")
            return services.start_run(
                actor=request.user,
                partnership=acting.partnership,
                organisation=chosen if universities is not None else acting,
                academic_year=form.cleaned_data["academic_year"],
            )

        run = submitted(request, form, start)
        if run is not None:
            return redirect(run)
    runs = selectors.runs_visible_to(request.user)
    sorts = {
        "started": ("Started", "created_at"),
        "year": ("Year", "academic_year__start_year"),
        "status": ("Status", "status"),
    }
    context = {
        "form": form,
        "listing": listing(request, runs, sorts=sorts, default_sort="-started"),
    }
    return render(request, "placements/allocation/run_list.html", context)


STUDENT_ORDER = {"student": ("Student", "student__student_ref")}


def _detail_context(request: AuthenticatedRequest, run: AllocationRun) -> dict[str, object]:
    return {
        "run": run,
        "worker_problem": selectors.worker_problem(run),
    }


@login_required
def run_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    run = selectors.run_for(request.user, pk)
    context = _detail_context(request, run)
    if getattr(request, "htmx", False):  # an htmx poll asks for the status only
        if run.is_finished:  # reload the whole page once: the proposals are there now
            response = HttpResponse("")
            response["HX-Refresh"] = "true"
            return response
        return render(request, "placements/allocation/includes/run_status.html", context)
    form = ConstraintForm(
        students=selectors.students_of(request.user, run),
        offers=selectors.offers_for(request.user, run),
    )
    context |= {
        # thousands of students at national scale: a page of each list at a time
        "proposals": listing(
            request,
            selectors.proposals_of(run),
            sorts=STUDENT_ORDER,
            default_sort="student",
            page_parameter="proposals_page",
        ),
        "unplaced": listing(
            request,
            selectors.unplaced_of(run),
            sorts=STUDENT_ORDER,
            default_sort="student",
            page_parameter="unplaced_page",
        ),
        "constraints": selectors.constraints_of(request.user, run),
        "constraint_form": form,
        "can_allocate": selectors.may_allocate_run(request.user, run),
    }
    return render(request, "placements/allocation/run_detail.html", context)


@login_required
def run_again(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    run = selectors.run_for(request.user, pk, ALLOCATE)  # outsiders get 404 on any method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        new = services.run_again(actor=request.user, run=run)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect(run)
    return redirect(new)


@login_required
def constraint_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    run = selectors.run_for(request.user, pk, ALLOCATE)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ConstraintForm(
        request.POST,
        students=selectors.students_of(request.user, run),
        offers=selectors.offers_for(request.user, run),
    )
    saved = submitted(
        request,
        form,
        lambda: services.set_constraint(actor=request.user, run=run, **form.cleaned_data),
    )
    if saved is not None:
        messages.success(request, f"{saved}: run the allocation again to use it.")
    else:
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, f"Nothing was changed: {errors}")
    return redirect(run.get_absolute_url() + "#constraints")


@login_required
def constraint_remove(request: AuthenticatedRequest, pk: int, constraint: int) -> HttpResponse:
    run = selectors.run_for(request.user, pk, ALLOCATE)
    found = selectors.constraint_for(request.user, run, constraint)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.remove_constraint(actor=request.user, constraint=found)
    messages.success(request, f"Removed: {found}.")
    return redirect(run.get_absolute_url() + "#constraints")


@login_required
def run_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    run = selectors.run_for(request.user, pk, ALLOCATE)
    if request.method == "POST":
        try:
            placements = services.confirm_run(actor=request.user, run=run)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(run)
        messages.success(
            request,
            f"{len(placements)} placements recorded as matched. The providing organisations "
            "confirm each one as usual.",
        )
        return redirect(run)
    if run.status != RunStatus.FINISHED:
        messages.info(
            request,
            "These proposals were already confirmed."
            if run.status == RunStatus.CONFIRMED
            else "Only a finished run's proposals can be confirmed.",
        )
        return redirect(run)
    context = {"run": run, "proposals": selectors.proposals_of(run)}
    return render(request, "placements/allocation/run_confirm.html", context)
