"""Pages of the practice educator register, PEPS training and selection. Thin: parse, call a
service or selector, render."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt

from practica.accounts import permissions
from practica.accounts.models import AuthenticatedRequest
from practica.accounts.permissions import (
    MANAGE,
    VIEW,
    acting_organisation,
    requires_ability,
)
from practica.core.forms import apply_errors, submitted
from practica.core.history import history_for
from practica.core.listing import listing
from practica.core.models import Partnership
from practica.core.profiles import profile_sections
from practica.core.rate_limits import token_link_rate_limit
from practica.core.scoping import get_visible_or_404
from practica.educators import selectors, services
from practica.educators.currency import CurrencyStatus
from practica.educators.forms import (
    ActivityForm,
    ApplicationForm,
    CohortForm,
    CriterionForm,
    CurrencyRuleForm,
    DecisionForm,
    EndActivityForm,
    EnrolForm,
    InterviewForm,
    NewPracticeEducatorForm,
    OutcomeForm,
    OwnApplicationForm,
    PanelForm,
    PracticeEducatorForm,
    ReviewForm,
    ScoresForm,
    StatementForm,
    SupportForm,
)
from practica.educators.models import (
    ActivityKind,
    PeApplication,
    PepsCohort,
    PepsStage,
    PracticeEducator,
    PracticeEducatorActivity,
    SelectionCriterion,
)
from practica.educators.rules import APPLY, SCORE, SHARED_REGISTER
from practica.educators.tasklist import applicant_steps_for, task_list_for

REGISTER_SORTS = {
    "name": ("Name", "person__last_name"),
    "organisation": ("Organisation", "person__organisation__name"),
    "team": ("Team", "person__team__name"),
    "stage": ("PEPS stage", "peps_stage"),
    "location": ("Location", "place_name"),
    "currency": ("Currency", "currency_status"),
}


def _today() -> datetime.date:
    return timezone.localdate()


def _tabs(request: AuthenticatedRequest, active: str) -> dict[str, Any]:
    """The MOJ sub navigation of the practice educator pages, by what the user may see."""
    user = request.user
    tabs = []
    if permissions.can_in(user, VIEW, PracticeEducator):
        tabs += [
            ("register", "Register", "educators:register"),
            ("lapsing", "Lapsing", "educators:lapsing"),
            ("reviews", "Reviews due", "educators:reviews-due"),
        ]
    if permissions.can_in(user, SHARED_REGISTER, PracticeEducator):
        tabs.append(("shared", "Stage 2 register", "educators:shared-register"))
    if permissions.can_in(user, VIEW, PepsCohort):
        tabs.append(("peps", "PEPS training", "educators:cohort-list"))
    if permissions.can_in(user, VIEW, PeApplication):
        tabs.append(("applications", "Applications", "educators:application-list"))
    return {"tabs": tabs, "active_tab": active}


def _partnership(request: AuthenticatedRequest) -> Partnership:
    """The partnership of the organisation the user acts in (403 for someone in none)."""
    if request.membership is None:
        raise PermissionDenied
    return request.membership.organisation.partnership


def _form_page(form: BaseForm, title: str, cancel_url: str, **extra: Any) -> dict[str, Any]:
    return {"form": form, "title": title, "cancel_url": cancel_url, **extra}


def _data(form: BaseForm, *names: str) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in names}


# --- the register -------------------------------------------------------------------------


@login_required
@requires_ability(VIEW, PracticeEducator)
def register(request: AuthenticatedRequest) -> HttpResponse:
    filters = selectors.RegisterFilters.from_query(request.GET)
    educators = selectors.educators_visible_to(request.user, filters=filters, today=_today())
    page = listing(request, educators, sorts=REGISTER_SORTS, default_sort="name")
    selectors.attach_currency(list(page.page.object_list), _today())
    context = {
        "listing": page,
        "filters": filters,
        "choices": _filter_choices(request),
        "can_create": permissions.can_in(request.user, MANAGE, PracticeEducator),
        **_tabs(request, "register"),
    }
    template = "educators/register.html"
    if request.htmx:  # type: ignore[attr-defined]
        template = "educators/includes/register_results.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])  # the same URL answers a page or its results
    return response


def _filter_choices(request: AuthenticatedRequest) -> dict[str, Any]:
    """What the filter panel offers: only organisations, teams and locations the user sees."""
    return {
        **selectors.register_filter_choices(request.user),
        "stages": PepsStage.choices,
        "activities": ActivityKind.choices,
        "currencies": CurrencyStatus.choices,
    }


@login_required
def shared_register(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_in(request.user, SHARED_REGISTER, PracticeEducator):
        raise PermissionDenied
    filters = selectors.RegisterFilters.from_query(request.GET)
    educators = selectors.shared_register_visible_to(request.user, filters=filters, today=_today())
    sorts = {key: REGISTER_SORTS[key] for key in ("name", "organisation", "team", "location")}
    page = listing(request, educators, sorts=sorts, default_sort="name")
    context = {"listing": page, "filters": filters, **_tabs(request, "shared")}
    return render(request, "educators/shared_register.html", context)


@login_required
@requires_ability(VIEW, PracticeEducator)
def lapsing(request: AuthenticatedRequest) -> HttpResponse:
    groups = selectors.lapsing_educators_visible_to(request.user, today=_today())
    partnership = _partnership(request)
    context = {
        **groups,
        "rules": selectors.currency_rules_for(partnership.pk),
        "can_change_rules": permissions.may_hold(
            request.user, MANAGE, selectors.currency_rule_of(partnership)
        ),
        **_tabs(request, "lapsing"),
    }
    return render(request, "educators/lapsing.html", context)


@login_required
@requires_ability(VIEW, PracticeEducator)
def reviews_due(request: AuthenticatedRequest) -> HttpResponse:
    educators = selectors.reviews_overdue_visible_to(request.user, today=_today())
    sorts = {
        "reviewed": ("Last reviewed", "reviewed_on"),
        "name": ("Name", "person__last_name"),
        "organisation": ("Organisation", "person__organisation__name"),
        "team": ("Team", "person__team__name"),
    }
    page = listing(request, educators, sorts=sorts, default_sort="reviewed")
    selectors.attach_currency(list(page.page.object_list), _today())
    context = {"listing": page, **_tabs(request, "reviews")}
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
        "profile": selectors.profile_of(educator, today=_today()),
        "educator": educator,
        "can_manage": permissions.can(request.user, MANAGE, educator),
        "history": history_for(educator),
        # what other apps show on the profile: the CPD record, placements supervised
        "sections": profile_sections("practice-educator", request, educator),
        **_tabs(request, "register"),
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
    return render(request, "core/form.html", _form_page(form, title, reverse("educators:register")))


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
    context = _form_page(form, f"Change {educator}'s register entry", educator.get_absolute_url())
    return render(request, "core/form.html", context)


@login_required
def review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    educator = selectors.educator_for(request.user, pk, ability=MANAGE)
    form = ReviewForm(request.POST or None, initial={"reviewed_on": _today()})
    saved = submitted(
        request,
        form,
        lambda: services.review_practice_educator(
            actor=request.user, educator=educator, **_data(form, "reviewed_on")
        ),
    )
    if saved is not None:
        messages.success(request, f"Review of {educator}'s entry recorded.")
        return redirect("educators:detail", pk=educator.pk)
    context = {
        "form": form,
        "educator": educator,
        "profile": selectors.profile_of(educator, today=_today()),
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
            actor=request.user, educator=educator, **_data(form, "kind", "started_on")
        ),
    )
    if saved is not None:
        messages.success(request, f"Activity added to {educator}'s entry.")
        return redirect("educators:detail", pk=educator.pk)
    context = _form_page(form, f"Add an activity for {educator}", educator.get_absolute_url())
    return render(request, "core/form.html", context)


@login_required
def activity_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    activity: PracticeEducatorActivity = get_visible_or_404(
        PracticeEducatorActivity, request.user, MANAGE, pk=pk
    )
    form = EndActivityForm(request.POST or None, initial={"ended_on": _today()})
    saved = submitted(
        request,
        form,
        lambda: services.end_activity(
            actor=request.user, activity=activity, **_data(form, "ended_on")
        ),
    )
    if saved is not None:
        messages.success(request, f"{activity.get_kind_display()} ended.")
        return redirect("educators:detail", pk=activity.educator_id)
    title = f"End “{activity.get_kind_display()}” for {activity.educator}"
    return render(request, "core/form.html", _form_page(form, title, activity.get_absolute_url()))


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
    return render(request, "core/form.html", _form_page(form, title, reverse("educators:lapsing")))


# --- PEPS training ------------------------------------------------------------------------


@login_required
@requires_ability(VIEW, PepsCohort)
def cohort_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in ("year", "stage", "organisation")}
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
        **_tabs(request, "peps"),
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
            **_data(form, "academic_year", "stage"),
        ),
    )
    if cohort is not None:
        messages.success(request, f"Cohort {cohort} added.")
        return redirect("educators:cohort-detail", pk=cohort.pk)
    title = f"Add a PEPS cohort for {organisation.name}"
    return render(
        request, "core/form.html", _form_page(form, title, reverse("educators:cohort-list"))
    )


@login_required
def cohort_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    cohort: PepsCohort = get_visible_or_404(PepsCohort, request.user, pk=pk)
    context = {
        "cohort": cohort,
        "enrolments": selectors.enrolments_of(cohort),
        "can_manage": permissions.can(request.user, MANAGE, cohort),
        "history": history_for(cohort),
        **_tabs(request, "peps"),
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
            actor=request.user, cohort=cohort, **_data(form, "educator", "assessor")
        ),
    )
    if enrolment is not None:
        messages.success(request, f"{enrolment.educator} enrolled in {cohort}.")
        return redirect("educators:cohort-detail", pk=cohort.pk)
    title = f"Enrol a candidate in {cohort}"
    return render(request, "core/form.html", _form_page(form, title, cohort.get_absolute_url()))


@login_required
def outcome(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for(request.user, pk, ability=MANAGE)
    initial = {"outcome": enrolment.outcome, "outcome_date": enrolment.outcome_date or _today()}
    form = OutcomeForm(request.POST or None, initial=initial)
    saved = submitted(
        request,
        form,
        lambda: services.record_peps_outcome(
            actor=request.user, enrolment=enrolment, **_data(form, "outcome", "outcome_date")
        ),
    )
    if saved is not None:
        messages.success(request, f"Outcome recorded for {enrolment.educator}.")
        return redirect("educators:cohort-detail", pk=enrolment.cohort_id)
    title = f"Record the outcome for {enrolment.educator}"
    context = _form_page(form, title, enrolment.get_absolute_url(), enrolment=enrolment)
    return render(request, "educators/outcome.html", context)


# --- recruitment and selection ------------------------------------------------------------


@login_required
@requires_ability(VIEW, PeApplication)
def application_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in ("state", "stage")}
    applications = selectors.applications_visible_to(request.user, **filters)
    sorts = {
        "created": ("Received", "created_at"),
        "applicant": ("Applicant", "applicant__last_name"),
        "stage": ("Stage", "stage"),
        "interview": ("Interview", "interview_at"),
    }
    context = {
        "listing": listing(request, applications, sorts=sorts, default_sort="-created"),
        "filters": filters,
        "states": [(key, label) for key, (label, _q) in selectors.APPLICATION_STATES.items()],
        "can_create": permissions.can_in(request.user, MANAGE, PeApplication),
        **_tabs(request, "applications"),
    }
    return render(request, "educators/application_list.html", context)


@login_required
def application_create(request: AuthenticatedRequest) -> HttpResponse:
    organisation = acting_organisation(request, MANAGE, PeApplication)
    form = ApplicationForm(
        request.POST or None, applicants=selectors.applicants_for(organisation.pk)
    )
    application = submitted(
        request,
        form,
        lambda: services.create_pe_application(actor=request.user, **form.cleaned_data),
    )
    if application is not None:
        messages.success(request, f"Application from {application.applicant} recorded.")
        return redirect("educators:application-detail", pk=application.pk)
    title = "Record an application to be a practice educator"
    return render(
        request, "core/form.html", _form_page(form, title, reverse("educators:application-list"))
    )


def _application(request: AuthenticatedRequest, pk: int, ability: str = VIEW) -> PeApplication:
    application: PeApplication = get_visible_or_404(PeApplication, request.user, ability, pk=pk)
    return application


def _criteria_of(application: PeApplication) -> list[SelectionCriterion]:
    return list(selectors.active_criteria_of(application.organisation_id))


@login_required
def application_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    can_manage = permissions.can(request.user, MANAGE, application)
    context = {
        "application": application,
        "tasks": task_list_for(application, may_change=can_manage),
        "panel": application.panel_members.select_related("person__organisation"),
        "scores": application.scores.select_related("criterion"),
        "can_manage": can_manage,
        "history": history_for(application),
        **_tabs(request, "applications"),
    }
    return render(request, "educators/application_detail.html", context)


@login_required
def application_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _application(request, pk, MANAGE)
    form = ApplicationForm(request.POST or None, instance=application)
    saved = submitted(
        request,
        form,
        lambda: services.update_pe_application(
            actor=request.user, application=application, **form.cleaned_data
        ),
    )
    if saved is not None:
        messages.success(request, "Written application updated.")
        return redirect("educators:application-detail", pk=application.pk)
    title = f"{application.applicant}'s written application"
    return render(
        request, "core/form.html", _form_page(form, title, application.get_absolute_url())
    )


@login_required
def application_request_support(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _application(request, pk, MANAGE)  # 404 outside scope, whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.request_line_manager_support(
            actor=request.user,
            application=application,
            base_url=request.build_absolute_uri("/")[:-1],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Link sent to {application.line_manager_email}.")
    return redirect("educators:application-detail", pk=application.pk)


@login_required
def application_panel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _application(request, pk, MANAGE)
    current = list(application.panel_members.values_list("person_id", flat=True))
    form = PanelForm(
        request.POST or None,
        candidates=selectors.panel_candidates_for(application),
        initial={"members": current},
    )
    saved = submitted(
        request,
        form,
        lambda: services.set_selection_panel(
            actor=request.user,
            application=application,
            members=list(form.cleaned_data["members"]),
        ),
    )
    if saved is not None:
        messages.success(request, "Selection panel saved.")
        return redirect("educators:application-detail", pk=application.pk)
    title = f"Selection panel for {application.applicant}"
    return render(
        request, "core/form.html", _form_page(form, title, application.get_absolute_url())
    )


@login_required
def application_interview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _application(request, pk, MANAGE)
    initial: dict[str, Any] = {}
    if application.interview_at:
        local = timezone.localtime(application.interview_at)
        initial = {"date": local.date(), "time": f"{local:%H:%M}"}
    form = InterviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        when = timezone.make_aware(
            datetime.datetime.combine(form.cleaned_data["date"], form.cleaned_data["time"])
        )
        try:
            services.schedule_panel_interview(
                actor=request.user, application=application, interview_at=when
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Interview set for {when.day} {when:%B %Y at %H:%M}.")
            return redirect("educators:application-detail", pk=application.pk)
    title = f"Panel interview for {application.applicant}"
    return render(
        request, "core/form.html", _form_page(form, title, application.get_absolute_url())
    )


@login_required
def application_scores(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _application(request, pk, MANAGE)
    criteria = _criteria_of(application)
    existing = {s.criterion_id: (s.score, s.comment) for s in application.scores.all()}
    form = ScoresForm(request.POST or None, criteria=criteria, existing=existing)
    saved = submitted(
        request,
        form,
        lambda: services.record_application_scores(
            actor=request.user, application=application, scores=form.scores()
        ),
    )
    if saved is not None:
        messages.success(request, "Scores saved.")
        return redirect("educators:application-detail", pk=application.pk)
    title = f"Scores for {application.applicant}"
    context = _form_page(form, title, application.get_absolute_url(), criteria=criteria)
    return render(request, "educators/scores.html", context)


@login_required
def application_decision(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _application(request, pk, MANAGE)
    form = DecisionForm(request.POST or None)
    saved = submitted(
        request,
        form,
        lambda: services.decide_pe_application(
            actor=request.user,
            application=application,
            **_data(form, "decision", "feedback_letter"),
        ),
    )
    if saved is not None:
        messages.success(request, _letter_sent(saved))
        return redirect("educators:application-detail", pk=application.pk)
    context = _form_page(
        form,
        f"Decision on {application.applicant}'s application",
        application.get_absolute_url(),
        missing=services.missing_for_acceptance(application),
        applicant_email=application.applicant.email,
    )
    return render(request, "educators/decision.html", context)


def _letter_sent(application: PeApplication) -> str:
    """``application`` is the decided one the service returns, with ``feedback_sent_to``."""
    if application.feedback_sent_to:
        return (
            f"Decision recorded for {application.applicant}. The feedback letter has been "
            f"e-mailed to {application.feedback_sent_to}."
        )
    return (
        f"Decision recorded for {application.applicant}. They have no e-mail address in "
        "Practica: send them the feedback letter by hand."
    )


# --- an applicant's own pages -------------------------------------------------------------


@login_required
@requires_ability(APPLY, PeApplication)
def apply(request: AuthenticatedRequest) -> HttpResponse:
    """A practitioner's own expression of interest in becoming a practice educator."""
    person = permissions.person_acting_for_self(request.user, APPLY, PeApplication)
    stage = selectors.stage_to_apply_for(person) if person is not None else None
    form = OwnApplicationForm(request.POST or None)
    application = None
    if person is not None and stage is not None:
        application = submitted(
            request,
            form,
            lambda: services.submit_own_pe_application(
                actor=request.user,
                applicant=person,
                stage=stage,
                base_url=request.build_absolute_uri("/")[:-1],
                **form.cleaned_data,
            ),
        )
    if application is not None:
        messages.success(
            request,
            f"Application sent to {application.organisation.name}. We have e-mailed "
            f"{application.line_manager_name} for their support.",
        )
        return redirect("educators:my-application", pk=application.pk)
    context = {
        "form": form,
        "person": person,
        "stage": stage,
        "open_application": (
            selectors.open_own_application(request.user, stage=stage) if stage else None
        ),
    }
    return render(request, "educators/apply.html", context)


@login_required
def my_applications(request: AuthenticatedRequest) -> HttpResponse:
    context = {
        "applications": selectors.own_applications_of(request.user),
        "may_apply": permissions.person_acting_for_self(request.user, APPLY, PeApplication)
        is not None,
    }
    return render(request, "educators/my_applications.html", context)


@login_required
def my_application(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _application(request, pk, APPLY)
    context = {"application": application, "tasks": applicant_steps_for(application)}
    return render(request, "educators/my_application.html", context)


@login_required
def my_application_statement(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _application(request, pk, APPLY)
    form = StatementForm(request.POST or None, initial={"statement": application.statement})
    saved = submitted(
        request,
        form,
        lambda: services.update_own_pe_statement(
            actor=request.user, application=application, **_data(form, "statement")
        ),
    )
    if saved is not None:
        messages.success(request, "Your written statement has been updated.")
        return redirect("educators:my-application", pk=application.pk)
    title = "Change your written statement"
    return render(
        request, "core/form.html", _form_page(form, title, application.get_absolute_url())
    )


# --- a selection panel member's pages -----------------------------------------------------


@login_required
def panel_list(request: AuthenticatedRequest) -> HttpResponse:
    state = request.GET.get("state", "").strip()
    context = {
        "applications": selectors.panels_of(request.user, state=state),
        "state": state,
        "states": [(key, label) for key, (label, _q) in selectors.APPLICATION_STATES.items()],
    }
    return render(request, "educators/panel_list.html", context)


@login_required
def panel_application(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """What the panel needs: the written application, the line manager's statement, the
    panel, the interview and the scores so far."""
    application = _application(request, pk, SCORE)
    scores = {score.criterion_id: score for score in application.scores.all()}
    context = {
        "application": application,
        "panel": application.panel_members.select_related("person__organisation"),
        "rows": [(c, scores.get(c.pk)) for c in _criteria_of(application)],
    }
    return render(request, "educators/panel_application.html", context)


@login_required
def panel_scores(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _application(request, pk, SCORE)
    criteria = _criteria_of(application)
    existing = {s.criterion_id: (s.score, s.comment) for s in application.scores.all()}
    form = ScoresForm(request.POST or None, criteria=criteria, existing=existing)
    back = reverse("educators:panel-application", args=[application.pk])
    saved = submitted(
        request,
        form,
        lambda: services.record_application_scores(
            actor=request.user, application=application, scores=form.scores()
        ),
    )
    if saved is not None:
        messages.success(request, f"Scores for {application.applicant} saved.")
        return redirect(back)
    title = f"Scores for {application.applicant}"
    context = _form_page(form, title, back, criteria=criteria, panel_member=True)
    return render(request, "educators/scores.html", context)


# Exempt from Django's CSRF check: with ``Referrer-Policy: no-referrer`` the browser posts the
# form with ``Origin: null``, which that check refuses. CSRF abuses the authority of a signed-in
# browser's cookies; this page uses none, and its authority is the unguessable token in the URL,
# which a forging site cannot know.
@csrf_exempt
@token_link_rate_limit
def line_manager_support(request: HttpRequest, token: str) -> HttpResponse:
    """The line manager's own page, reached through the link in their e-mail (no sign-in)."""
    application = services.application_for_support_token(token)
    if application is None:
        response = render(request, "educators/support_invalid.html", status=404)
    else:
        form = SupportForm(request.POST or None)
        saved = submitted(
            request,
            form,
            lambda: services.give_line_manager_support(
                application=application, **_data(form, "supports", "statement")
            ),
        )
        if saved is not None:
            response = render(request, "educators/support_done.html", {"application": application})
            return _no_store(response)
        response = render(
            request, "educators/support.html", {"form": form, "application": application}
        )
    return _no_store(response)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@requires_ability(VIEW, SelectionCriterion)
def criterion_list(request: AuthenticatedRequest) -> HttpResponse:
    criteria = selectors.criteria_visible_to(request.user)

    context = {
        "criteria": criteria,
        "can_create": permissions.can_in(request.user, MANAGE, SelectionCriterion),
        **_tabs(request, "applications"),
    }
    return render(request, "educators/criterion_list.html", context)


@login_required
def criterion_create(request: AuthenticatedRequest) -> HttpResponse:
    organisation = acting_organisation(request, MANAGE, SelectionCriterion)
    form = CriterionForm(request.POST or None)
    del form.fields["is_active"]
    saved = submitted(
        request,
        form,
        lambda: services.create_selection_criterion(
            actor=request.user,
            organisation=organisation,
            **_data(form, "title", "description", "max_score", "position"),
        ),
    )
    if saved is not None:
        messages.success(request, "Criterion published.")
        return redirect("educators:criterion-list")
    title = f"Publish a selection criterion for {organisation.name}"
    return render(
        request, "core/form.html", _form_page(form, title, reverse("educators:criterion-list"))
    )


@login_required
def criterion_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    criterion: SelectionCriterion = get_visible_or_404(
        SelectionCriterion, request.user, MANAGE, pk=pk
    )
    form = CriterionForm(request.POST or None, instance=criterion)
    saved = submitted(
        request,
        form,
        lambda: services.update_selection_criterion(
            actor=request.user, criterion=criterion, **form.cleaned_data
        ),
    )
    if saved is not None:
        messages.success(request, "Criterion updated.")
        return redirect("educators:criterion-list")
    title = f"Change “{criterion.title}”"
    return render(
        request, "core/form.html", _form_page(form, title, reverse("educators:criterion-list"))
    )
