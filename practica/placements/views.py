"""Pages for students. Thin: parse, call, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from practica.accounts import permissions
from practica.accounts.models import AuthenticatedRequest
from practica.accounts.permissions import MANAGE, VIEW, acting_organisation, requires_ability
from practica.core.forms import submitted
from practica.core.history import history_for
from practica.core.listing import listing
from practica.core.models import Organisation
from practica.core.rate_limits import token_link_headers, token_link_rate_limit
from practica.placements import downloads, selectors, services
from practica.placements.during import selectors as during_selectors
from practica.placements.forms import (
    ConfirmForm,
    EndEarlyForm,
    MatchForm,
    OfferForm,
    PlacementProfileForm,
    RequestForm,
    StepForm,
)
from practica.placements.models import (
    NEXT_STATUSES,
    Placement,
    PlacementOffer,
    PlacementStatus,
    PlacementType,
    Route,
    Student,
)
from practica.placements.rules import KEEP_OFFERS, KEEP_PLACEMENTS, REQUEST
from practica.reports.lists import download_response

FILTERS = ("search", "hei", "route", "year_of_study")


@login_required
@requires_ability(VIEW, Student)
def student_list(request: AuthenticatedRequest) -> HttpResponseBase:
    filters = {key: request.GET.get(key, "").strip() for key in FILTERS}
    students = selectors.students_visible_to(request.user, **filters)
    sorts = {
        "name": ("Name", "person__last_name"),
        "ref": ("Reference", "student_ref"),
        "hei": ("University", "hei__name"),
        "route": ("Route", "route"),
        "year": ("Year", "year_of_study"),
    }
    page = listing(request, students, sorts=sorts, default_sort="name")
    download = download_response(
        request, downloads.STUDENTS, page.page.paginator.object_list, filters
    )
    if download is not None:
        return download
    context = {
        "listing": page,
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
    context = {
        "student": student,
        "can_manage": permissions.can(request.user, MANAGE, student),
        "placements": selectors.placements_of_student(request.user, student),
        "history": history_for(student),
    }
    return render(request, "placements/student_detail.html", context)


@login_required
def student_profile(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    student = selectors.student_to_manage(request.user, pk)
    form = PlacementProfileForm(
        request.POST or None,
        initial={
            "programme": student.programme,
            "stage": student.stage,
            "needs": student.needs,
            "needs_consent_on": student.needs_consent_on,
        },
    )
    saved = submitted(
        request,
        form,
        lambda: services.record_placement_profile(
            actor=request.user, student=student, **form.cleaned_data
        ),
    )
    if saved is not None:
        messages.success(request, f"{student.person.full_name}'s placement details updated.")
        return redirect(saved)
    title = f"Placement details of {student.person.full_name}"
    context = {"form": form, "title": title, "cancel_url": student.get_absolute_url()}
    return render(request, "core/form.html", context)


# --- placement offers -------------------------------------------------------------------------

OFFER_FILTERS = ("year", "organisation", "placement_type")
PLACEMENT_FILTERS = ("year", "organisation", "hei", "status", "placement_type", "search")


def _base_url(request: AuthenticatedRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


@login_required
@requires_ability(KEEP_OFFERS, PlacementOffer)
def offer_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in OFFER_FILTERS}
    offers = selectors.offers_visible_to(request.user, **filters)
    sorts = {
        "year": ("Year", "academic_year__start_year"),
        "organisation": ("Organisation", "organisation__name"),
        "setting": ("Team or setting", "team__name"),
        "type": ("Type", "placement_type"),
        "slots": ("Slots", "slots"),
        "filled": ("Filled", "filled"),
    }
    context = {
        "listing": listing(request, offers, sorts=sorts, default_sort="year"),
        "filters": filters,
        "filtered": any(filters.values()),
        "placement_types": PlacementType.choices,
        "can_create": permissions.can_in(request.user, MANAGE, PlacementOffer),
    }
    return render(request, "placements/offer_list.html", context)


@login_required
def offer_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_for(request.user, pk)
    context = {
        "offer": offer,
        "placements": selectors.placements_of_offer(request.user, offer),
        "can_manage": permissions.can(request.user, MANAGE, offer),
        "history": history_for(offer),
    }
    return render(request, "placements/offer_detail.html", context)


def _offer_form(request: AuthenticatedRequest, organisation: Organisation, **kwargs: Any) -> Any:
    return OfferForm(
        request.POST or None,
        organisation=organisation,
        educators=selectors.educators_for_placements(request.user),
        years=selectors.years_to_choose(),
        **kwargs,
    )


@login_required
def offer_create(request: AuthenticatedRequest) -> HttpResponse:
    organisation = acting_organisation(request, MANAGE, PlacementOffer)
    form = _offer_form(request, organisation)
    offer = submitted(
        request,
        form,
        lambda: services.create_offer(
            actor=request.user, organisation=organisation, **form.cleaned_data
        ),
    )
    if offer is not None:
        messages.success(request, f"Offer added: {offer}.")
        return redirect(offer)
    title = f"Offer placements at {organisation.name}"
    context = {"form": form, "title": title, "cancel_url": reverse("placements:offer-list")}
    return render(request, "core/form.html", context)


@login_required
def offer_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_to_manage(request.user, pk)
    form = _offer_form(request, offer.organisation, initial=OfferForm.initial_of(offer))
    saved = submitted(
        request,
        form,
        lambda: services.update_offer(
            actor=request.user,
            offer=offer,
            **{k: v for k, v in form.cleaned_data.items() if k != "academic_year"},
        ),
    )
    if saved is not None:
        messages.success(request, "Offer updated.")
        return redirect(saved)
    context = {"form": form, "title": f"Change {offer}", "cancel_url": offer.get_absolute_url()}
    return render(request, "core/form.html", context)


# --- placements -------------------------------------------------------------------------------


@login_required
@requires_ability(KEEP_PLACEMENTS, Placement)
def placement_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in PLACEMENT_FILTERS}
    placements = selectors.placements_visible_to(request.user, **filters)
    sorts = {
        "student": ("Student", "student__person__last_name"),
        "hei": ("University", "student__hei__name"),
        "organisation": ("Organisation", "organisation__name"),
        "type": ("Type", "placement_type"),
        "year": ("Year", "academic_year__start_year"),
        "status": ("Status", "status"),
    }
    context = {
        "listing": listing(request, placements, sorts=sorts, default_sort="student"),
        "filters": filters,
        "filtered": any(filters.values()),
        "placement_types": PlacementType.choices,
        "statuses": PlacementStatus.choices,
        "can_request": permissions.can_in(request.user, REQUEST, Placement),
    }
    return render(request, "placements/placement_list.html", context)


@login_required
def placement_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    placement = selectors.placement_for(request.user, pk)
    can_manage = permissions.can(request.user, MANAGE, placement)
    steps = [
        (ACTION_OF[status], STEP_LABELS[ACTION_OF[status]])
        for status in NEXT_STATUSES[placement.status]
    ]
    context = {
        "placement": placement,
        "can_manage": can_manage,
        "steps": steps if can_manage else [],
        "history": history_for(placement),
        "open_concerns": during_selectors.open_concerns_of(request.user, placement),
    }
    return render(request, "placements/placement_detail.html", context)


@login_required
@requires_ability(REQUEST, Placement)
def placement_request(request: AuthenticatedRequest) -> HttpResponse:
    form = RequestForm(
        request.POST or None,
        students=selectors.students_to_request_for(request.user),
        organisations=selectors.providing_organisations(request.user),
        years=selectors.years_to_choose(),
    )
    placement = submitted(
        request,
        form,
        lambda: services.request_placement(
            actor=request.user, base_url=_base_url(request), **form.cleaned_data
        ),
    )
    if placement is not None:
        messages.success(request, f"Placement requested: {placement}.")
        return redirect(placement)
    title = "Request a placement"
    context = {"form": form, "title": title, "cancel_url": reverse("placements:placement-list")}
    return render(request, "core/form.html", context)


# each lifecycle step: its page's title and the status it leads to
ACTION_OF: dict[str, str] = {
    PlacementStatus.MATCHED: "match",
    PlacementStatus.REQUESTED: "unmatch",
    PlacementStatus.CONFIRMED: "confirm",
    PlacementStatus.IN_PROGRESS: "start",
    PlacementStatus.COMPLETED: "complete",
    PlacementStatus.ENDED_EARLY: "end-early",
}
STEP_LABELS = {
    "match": "Match to an offer",
    "unmatch": "Undo the match",
    "confirm": "Confirm",
    "start": "Record the start",
    "complete": "Record completion",
    "end-early": "End early",
}


@login_required
def placement_step(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    placement = selectors.placement_to_manage(request.user, pk)
    if step not in STEP_LABELS:
        raise Http404("No such step")
    base_url = _base_url(request)
    data = request.POST if request.method == "POST" else None  # a bare step posts no fields
    form: Any
    write: Callable[[], Placement]
    if step == "match":
        form = MatchForm(
            data,
            offers=selectors.offers_to_match(request.user, placement),
            educators=selectors.educators_for_placements(request.user),
        )
        write = lambda: services.match_placement(  # noqa: E731
            actor=request.user, placement=placement, base_url=base_url, **form.cleaned_data
        )
    elif step == "confirm":
        form = ConfirmForm(
            data,
            initial={"starts_on": placement.starts_on, "ends_on": placement.ends_on},
        )
        write = lambda: services.confirm_placement(  # noqa: E731
            actor=request.user, placement=placement, base_url=base_url, **form.cleaned_data
        )
    elif step == "end-early":
        form = EndEarlyForm(data)
        write = lambda: services.end_placement_early(  # noqa: E731
            actor=request.user, placement=placement, base_url=base_url, **form.cleaned_data
        )
    else:
        form = StepForm(data)
        service = {
            "unmatch": services.unmatch_placement,
            "start": services.start_placement,
            "complete": services.complete_placement,
        }[step]
        write = lambda: service(actor=request.user, placement=placement, base_url=base_url)  # noqa: E731
    saved = submitted(request, form, write)
    if saved is not None:
        messages.success(request, f"Placement {saved.get_status_display().lower()}.")
        return redirect(saved)
    context = {
        "form": form,
        "title": f"{STEP_LABELS[step]}: {placement}",
        "cancel_url": placement.get_absolute_url(),
    }
    return render(request, "core/form.html", context)


# --- the single-use link of a PE or supervisor without an account ------------------------------


@token_link_rate_limit
def placement_link(request: HttpRequest, token: str) -> HttpResponse:
    """The placement's details for its off-site PE or supervisor, reached through the link in
    their e-mail (no sign-in). The page asks for a click first, so that a mail scanner opening
    the link does not use it up; the click shows the details once."""
    link = services.link_for_token(token)
    if link is None:
        return token_link_headers(render(request, "placements/link_invalid.html", status=404))
    form = StepForm(request.POST if request.method == "POST" else None)
    placement = submitted(request, form, lambda: services.use_placement_link(link=link))
    context = {"placement": placement, "link": link, "form": form}
    return token_link_headers(render(request, "placements/link.html", context))
