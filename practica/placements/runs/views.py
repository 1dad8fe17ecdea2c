"""The allocation pages: start a run, follow it, read its proposals and why, pin or forbid
pairs, run again, review and confirm. Thin: parse, call, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from practica.accounts.models import AuthenticatedRequest
from practica.accounts.permissions import MANAGE, acting_organisation, may_act, requires_ability
from practica.core import academic_years
from practica.core.forms import submitted
from practica.core.listing import listing
from practica.core.models import AcademicYear
from practica.placements.allocation_models import AllocationRun, PlacementQuota, RunStatus
from practica.placements.rules import ALLOCATE, KEEP_QUOTAS
from practica.placements.runs import selectors, services
from practica.placements.runs.forms import ConstraintForm, QuotaForm, StartRunForm


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


# --- quotas per university (docs/0028-allocation-runs.md, "Quotas") ---------------------------

QUOTA_ORDER = {
    "year": ("Year", "academic_year__start_year"),
    "university": ("University", "hei__name"),
    "provider": ("Placed with", "provider__name"),
    "limit": ("Most students", "limit"),
}


def _chosen_year(request: AuthenticatedRequest) -> AcademicYear | None:
    label = request.GET.get("year", "").strip()
    if not label:
        return None
    try:
        start = academic_years.parse_academic_year(label)
    except ValidationError:
        return None
    return selectors.quota_years().filter(start_year=start).first()


@login_required
@requires_ability(KEEP_QUOTAS, PlacementQuota)
def quota_list(request: AuthenticatedRequest) -> HttpResponse:
    year = _chosen_year(request)
    page = listing(
        request,
        selectors.quotas_visible_to(request.user, year),
        sorts=QUOTA_ORDER,
        default_sort="-year",
    )
    context = {
        "listing": page,
        "manageable": selectors.quotas_to_manage(request.user, page.page),
        "year": year,
        "years": selectors.quota_years(),
        "can_add": may_act(request, MANAGE, PlacementQuota),
    }
    return render(request, "placements/allocation/quota_list.html", context)


def _quota_form(request: AuthenticatedRequest, partnership_id: int, **kwargs: Any) -> QuotaForm:
    return QuotaForm(
        request.POST or None,
        years=selectors.quota_years(),
        universities=selectors.quota_universities(partnership_id),
        providers=selectors.quota_providers(request.membership),
        **kwargs,
    )


@login_required
def quota_create(request: AuthenticatedRequest) -> HttpResponse:
    acting = acting_organisation(request, MANAGE, PlacementQuota)
    form = _quota_form(request, acting.partnership_id)
    manager = "provider" in form.fields

    def save() -> PlacementQuota:
        data = form.cleaned_data
        return services.save_quota(
            actor=request.user,
            partnership=acting.partnership,
            hei=data["hei"],
            provider=data.get("provider") if manager else acting,
            academic_year=data["academic_year"],
            limit=data["limit"],
        )

    quota = submitted(request, form, save)
    if quota is not None:
        messages.success(request, f"Quota added: {quota.sentence()}.")
        return redirect(reverse("placements:quota-list") + f"?year={quota.academic_year}")
    title = "Add a quota" if manager else f"Add a quota for placements with {acting.name}"
    context = {"form": form, "title": title, "cancel_url": reverse("placements:quota-list")}
    return render(request, "core/form.html", context)


@login_required
def quota_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    quota = selectors.quota_to_manage(request.user, pk)
    initial = {
        "academic_year": quota.academic_year_id,
        "hei": quota.hei_id,
        "provider": quota.provider_id,
        "limit": quota.limit,
    }
    form = _quota_form(request, quota.partnership_id, initial=initial)
    manager = "provider" in form.fields

    def save() -> PlacementQuota:
        data = form.cleaned_data
        return services.save_quota(
            actor=request.user,
            partnership=quota.partnership,
            hei=data["hei"],
            provider=data.get("provider") if manager else quota.provider,
            academic_year=data["academic_year"],
            limit=data["limit"],
            quota=quota,
        )

    saved = submitted(request, form, save)
    if saved is not None:
        messages.success(request, f"Quota changed: {saved.sentence()}.")
        return redirect(reverse("placements:quota-list") + f"?year={saved.academic_year}")
    context = {
        "form": form,
        "title": "Change a quota",
        "cancel_url": reverse("placements:quota-list"),
    }
    return render(request, "core/form.html", context)


@login_required
def quota_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    quota = selectors.quota_to_manage(request.user, pk)
    if request.method == "POST":
        services.remove_quota(actor=request.user, quota=quota)
        messages.success(request, f"Quota removed: {quota.sentence()}.")
        return redirect(reverse("placements:quota-list") + f"?year={quota.academic_year}")
    context = {"quota": quota, "cancel_url": reverse("placements:quota-list")}
    return render(request, "placements/allocation/quota_remove.html", context)
