"""Pages of the practice educator register. Thin: parse, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from practica.accounts import permissions
from practica.accounts.models import AuthenticatedRequest
from practica.accounts.permissions import MANAGE, VIEW, acting_organisation, requires_ability
from practica.core.forms import submitted
from practica.core.history import history_for
from practica.core.listing import listing, paginate
from practica.core.models import Partnership
from practica.core.profiles import profile_sections
from practica.core.scoping import get_visible_or_404
from practica.educators.abilities import REPORT_CHANGE, SHARED_REGISTER
from practica.educators.register import downloads, selectors, services
from practica.educators.register.currency import CurrencyStatus
from practica.educators.register.forms import (
    ActivityForm,
    ChangeDecisionForm,
    ChangeReportForm,
    CurrencyRuleForm,
    EducatorMessageForm,
    EndActivityForm,
    NewPracticeEducatorForm,
    PracticeEducatorForm,
    ReviewForm,
)
from practica.educators.register.models import (
    ActivityKind,
    ChangeReport,
    ChangeStatus,
    PepsStage,
    PracticeEducator,
    PracticeEducatorActivity,
)
from practica.educators.register.pages import form_data, form_page, tabs, today
from practica.reports.lists import download_response

REGISTER_SORTS = {
    "name": ("Name", "person__last_name"),
    "organisation": ("Organisation", "person__organisation__name"),
    "team": ("Team", "person__team__name"),
    "stage": ("PEPS stage", "peps_stage"),
    "location": ("Location", "place_name"),
    "currency": ("Currency", "currency_status"),
}


def _partnership(request: AuthenticatedRequest) -> Partnership:
    """The partnership of the organisation the user acts in (403 for someone in none)."""
    if request.membership is None:
        raise PermissionDenied
    return request.membership.organisation.partnership


@login_required
@requires_ability(VIEW, PracticeEducator)
def register(request: AuthenticatedRequest) -> HttpResponseBase:
    filters = selectors.RegisterFilters.from_query(request.GET)
    educators = selectors.educators_visible_to(request.user, filters=filters, today=today())
    page = listing(request, educators, sorts=REGISTER_SORTS, default_sort="name")
    download = download_response(
        request, downloads.REGISTER, page.page.paginator.object_list, filters.as_dict()
    )
    if download is not None:
        return download
    selectors.attach_currency(list(page.page.object_list), today())
    context = {
        "listing": page,
        "filters": filters,
        "choices": _filter_choices(request, filters.organisation),
        "can_create": permissions.can_in(request.user, MANAGE, PracticeEducator),
        **tabs(request, "register"),
    }
    template = "educators/register.html"
    if request.htmx:
        template = "educators/includes/register_results.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])  # the same URL answers a page or its results
    return response


def _filter_choices(request: AuthenticatedRequest, organisation: str) -> dict[str, Any]:
    """What the filter panel offers: only organisations, teams and locations the user sees."""
    return {
        **selectors.register_filter_choices(request.user, organisation=organisation),
        "stages": PepsStage.choices,
        "activities": ActivityKind.choices,
        "currencies": CurrencyStatus.choices,
    }


@login_required
def shared_register(request: AuthenticatedRequest) -> HttpResponseBase:
    if not permissions.can_in(request.user, SHARED_REGISTER, PracticeEducator):
        raise PermissionDenied
    filters = selectors.RegisterFilters.from_query(request.GET)
    educators = selectors.shared_register_visible_to(request.user, filters=filters, today=today())
    sorts = {key: REGISTER_SORTS[key] for key in ("name", "organisation", "team", "location")}
    page = listing(request, educators, sorts=sorts, default_sort="name")
    download = download_response(
        request, downloads.SHARED_REGISTER, page.page.paginator.object_list, filters.as_dict()
    )
    if download is not None:
        return download
    context = {"listing": page, "filters": filters, **tabs(request, "shared")}
    return render(request, "educators/shared_register.html", context)


@login_required
@requires_ability(VIEW, PracticeEducator)
def lapsing(request: AuthenticatedRequest) -> HttpResponseBase:
    filters = selectors.LapsingFilters.from_query(request.GET)
    educators = selectors.lapsing_list_visible_to(request.user, filters=filters, today=today())
    download = download_response(request, downloads.LAPSING, educators, filters.as_dict())
    if download is not None:
        return download
    partnership = _partnership(request)
    context = {
        "listing": paginate(request, educators),
        "filters": filters,
        "choices": selectors.register_filter_choices(
            request.user, organisation=filters.organisation
        ),
        "can_message": permissions.can_in(request.user, MANAGE, PracticeEducator),
        "sent_messages": selectors.educator_messages_visible_to(request.user)[:5],
        "rules": selectors.currency_rules_for(partnership.pk),
        "can_change_rules": permissions.may_hold(
            request.user, MANAGE, selectors.currency_rule_of(partnership)
        ),
        **tabs(request, "lapsing"),
    }
    return render(request, "educators/lapsing.html", context)


@login_required
def lapsing_message(request: AuthenticatedRequest) -> HttpResponse:
    """A coordinator e-mails the practice educators of their organisation on the lapsing list
    (with its filters); the message is recorded and sent by the task worker."""
    organisation = acting_organisation(request, MANAGE, PracticeEducator)
    filters = selectors.LapsingFilters.from_query(request.GET)
    educators = selectors.lapsing_list_visible_to(request.user, filters=filters, today=today())
    recipients = [e for e in educators if e.person.organisation_id == organisation.pk]
    back = reverse("educators:lapsing") + (f"?{request.GET.urlencode()}" if request.GET else "")
    form = EducatorMessageForm(request.POST or None)
    message = submitted(
        request,
        form,
        lambda: services.message_educators(
            actor=request.user,
            organisation=organisation,
            educators=recipients,
            **form_data(form, "subject", "body"),
        ),
    )
    if message is not None:
        sent = message.recipients.count()
        messages.success(
            request, f"Your message is being sent to {sent} practice educator{pluralize(sent)}."
        )
        return redirect(back)
    context = form_page(
        form,
        "Message these practice educators",
        back,
        recipients=recipients,
        filters=filters,
    )
    return render(request, "educators/lapsing_message.html", context)


@login_required
@requires_ability(VIEW, PracticeEducator)
def reviews_due(request: AuthenticatedRequest) -> HttpResponseBase:
    educators = selectors.reviews_overdue_visible_to(request.user, today=today())
    sorts = {
        "reviewed": ("Last reviewed", "reviewed_on"),
        "name": ("Name", "person__last_name"),
        "organisation": ("Organisation", "person__organisation__name"),
        "team": ("Team", "person__team__name"),
    }
    page = listing(request, educators, sorts=sorts, default_sort="reviewed")
    download = download_response(request, downloads.REVIEWS_DUE, page.page.paginator.object_list)
    if download is not None:
        return download
    selectors.attach_currency(list(page.page.object_list), today())
    context = {"listing": page, **tabs(request, "reviews")}
    return render(request, "educators/reviews_due.html", context)


@login_required
def my_profile(request: AuthenticatedRequest) -> HttpResponse:
    educator = selectors.own_entry(request.user)
    if educator is not None:
        return redirect("educators:detail", pk=educator.pk)
    return render(request, "educators/not_on_register.html")


@login_required
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    educator = selectors.educator_for(request.user, pk)
    context = {
        "profile": selectors.profile_of(educator, today=today()),
        "educator": educator,
        "can_manage": permissions.can(request.user, MANAGE, educator),
        "can_report_change": permissions.can(request.user, REPORT_CHANGE, educator),
        "changes_waiting": selectors.change_reports_visible_to(
            request.user, status=ChangeStatus.WAITING
        ).filter(educator=educator),
        "history": history_for(educator),
        # what other apps show on the profile: the CPD record, placements supervised
        "sections": profile_sections("practice-educator", request, educator),
        **tabs(request, "register"),
    }
    return render(request, "educators/detail.html", context)


@login_required
def create(request: AuthenticatedRequest) -> HttpResponse:
    organisation = acting_organisation(request, MANAGE, PracticeEducator)
    form = NewPracticeEducatorForm(request.POST or None, organisation=organisation)
    educator = submitted(
        request,
        form,
        lambda: services.create_practice_educator_for(
            actor=request.user, organisation=organisation, **form.cleaned_data
        ),
    )
    if educator is not None:
        messages.success(request, f"{educator} added to the register.")
        return redirect("educators:detail", pk=educator.pk)
    title = f"Add a practice educator to {organisation.name}"
    return render(request, "core/form.html", form_page(form, title, reverse("educators:register")))


@login_required
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    educator = selectors.educator_for(request.user, pk, ability=MANAGE)
    form = PracticeEducatorForm(
        request.POST or None, instance=educator, organisation=educator.person.organisation
    )
    saved = submitted(
        request,
        form,
        lambda: services.update_practice_educator(
            actor=request.user, educator=educator, **form.cleaned_data
        ),
    )
    if saved is not None:
        messages.success(request, f"{educator}'s register entry updated.")
        return redirect("educators:detail", pk=educator.pk)
    context = form_page(form, f"Change {educator}'s register entry", educator.get_absolute_url())
    return render(request, "core/form.html", context)


@login_required
def review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    educator = selectors.educator_for(request.user, pk, ability=MANAGE)
    form = ReviewForm(request.POST or None, initial={"reviewed_on": today()})
    saved = submitted(
        request,
        form,
        lambda: services.review_practice_educator(
            actor=request.user, educator=educator, **form_data(form, "reviewed_on")
        ),
    )
    if saved is not None:
        messages.success(request, f"Review of {educator}'s entry recorded.")
        return redirect("educators:detail", pk=educator.pk)
    context = {
        "form": form,
        "educator": educator,
        "profile": selectors.profile_of(educator, today=today()),
    }
    return render(request, "educators/review.html", context)


@login_required
def activity_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    educator = selectors.educator_for(request.user, pk, ability=MANAGE)
    form = ActivityForm(request.POST or None)
    saved = submitted(
        request,
        form,
        lambda: services.start_activity(
            actor=request.user, educator=educator, **form_data(form, "kind", "started_on")
        ),
    )
    if saved is not None:
        messages.success(request, f"Activity added to {educator}'s entry.")
        return redirect("educators:detail", pk=educator.pk)
    context = form_page(form, f"Add an activity for {educator}", educator.get_absolute_url())
    return render(request, "core/form.html", context)


@login_required
def activity_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    activity: PracticeEducatorActivity = get_visible_or_404(
        PracticeEducatorActivity, request.user, MANAGE, pk=pk
    )
    form = EndActivityForm(request.POST or None, initial={"ended_on": today()})
    saved = submitted(
        request,
        form,
        lambda: services.end_activity(
            actor=request.user, activity=activity, **form_data(form, "ended_on")
        ),
    )
    if saved is not None:
        messages.success(request, f"{activity.get_kind_display()} ended.")
        return redirect("educators:detail", pk=activity.educator_id)
    title = f"End “{activity.get_kind_display()}” for {activity.educator}"
    return render(request, "core/form.html", form_page(form, title, activity.get_absolute_url()))


@login_required
def currency_rule(request: AuthenticatedRequest) -> HttpResponse:
    """Coordinators of the partnership's lead organisation set its currency rules."""
    rule = selectors.currency_rule_of(_partnership(request))
    if not permissions.may_hold(request.user, MANAGE, rule):
        raise PermissionDenied
    partnership = rule.partnership

    form = CurrencyRuleForm(request.POST or None, instance=rule)
    saved = submitted(
        request,
        form,
        lambda: services.set_currency_rule(
            actor=request.user, partnership=partnership, **form.cleaned_data
        ),
    )
    if saved is not None:
        messages.success(request, "Currency rules updated.")
        return redirect("educators:lapsing")
    title = f"Currency rules for {partnership.name}"
    return render(request, "core/form.html", form_page(form, title, reverse("educators:lapsing")))


@login_required
def report_change(request: AuthenticatedRequest) -> HttpResponse:
    """A practice educator tells their coordinators that their team, location or activities
    have changed; a coordinator accepts it onto the register."""
    educator = selectors.own_entry(request.user)
    if educator is None or not permissions.can(request.user, REPORT_CHANGE, educator):
        raise PermissionDenied
    form = ChangeReportForm(request.POST or None, organisation=educator.person.organisation)
    report = submitted(
        request,
        form,
        lambda: services.report_change(actor=request.user, educator=educator, **form.cleaned_data),
    )
    if report is not None:
        messages.success(
            request, "Thank you: your coordinator will check the change and update the register."
        )
        return redirect("educators:detail", pk=educator.pk)
    title = "Report a change to your entry"
    return render(request, "core/form.html", form_page(form, title, educator.get_absolute_url()))


@login_required
@requires_ability(VIEW, ChangeReport)
def change_list(request: AuthenticatedRequest) -> HttpResponse:
    status = request.GET.get("status", ChangeStatus.WAITING)
    status = status if status in ChangeStatus.values else ""
    reports = selectors.change_reports_visible_to(request.user, status=status)
    sorts = {
        "reported": ("Reported", "reported_at"),
        "name": ("Practice educator", "educator__person__last_name"),
        "organisation": ("Organisation", "educator__person__organisation__name"),
    }
    context = {
        "listing": listing(request, reports, sorts=sorts, default_sort="-reported"),
        "status": status,
        "statuses": ChangeStatus.choices,
        **tabs(request, "changes"),
    }
    return render(request, "educators/change_list.html", context)


@login_required
def change_report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = selectors.change_report_for(request.user, pk)
    may_decide = report.status == ChangeStatus.WAITING and permissions.can(
        request.user, MANAGE, report
    )
    form = ChangeDecisionForm(request.POST or None) if may_decide else None
    if request.method == "POST" and form is None:
        raise PermissionDenied
    decided = (
        submitted(
            request,
            form,
            lambda: services.decide_change(
                actor=request.user,
                report=report,
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
            ),
        )
        if form is not None
        else None
    )
    if decided is not None:
        messages.success(
            request, f"Change {decided.get_status_display().lower()} for {decided.educator}."
        )
        return redirect("educators:change-list")
    context = {"report": report, "form": form, "history": history_for(report)}
    return render(request, "educators/change_report.html", context)
