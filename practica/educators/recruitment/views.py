"""Pages of recruitment and selection: a coordinator's, an applicant's own, a panel
member's and the line manager's. Thin: parse, call a service or selector, render."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.models import AuthenticatedRequest
from practica.accounts.permissions import MANAGE, VIEW, acting_organisation, requires_ability
from practica.core.forms import apply_errors, submitted
from practica.core.history import history_for
from practica.core.listing import listing
from practica.core.rate_limits import token_link_headers, token_link_rate_limit
from practica.core.scoping import get_visible_or_404
from practica.educators.abilities import APPLY, SCORE
from practica.educators.recruitment import downloads, selectors, services
from practica.educators.recruitment.forms import (
    ApplicationForm,
    CriterionForm,
    DecisionForm,
    InterviewForm,
    OwnApplicationForm,
    PanelForm,
    ScoresForm,
    StatementForm,
    SupportForm,
)
from practica.educators.recruitment.models import PeApplication, SelectionCriterion
from practica.educators.recruitment.progress import progress_of
from practica.educators.recruitment.tasklist import applicant_steps_for, task_list_for
from practica.educators.register.pages import form_data, form_page, tabs
from practica.reports.lists import download_response


@login_required
@requires_ability(VIEW, PeApplication)
def application_list(request: AuthenticatedRequest) -> HttpResponseBase:
    filters = {key: request.GET.get(key, "").strip() for key in ("state", "stage")}
    applications = selectors.applications_visible_to(request.user, **filters)
    sorts = {
        "created": ("Received", "created_at"),
        "applicant": ("Applicant", "applicant__last_name"),
        "stage": ("Stage", "stage"),
        "interview": ("Interview", "interview_at"),
    }
    page = listing(request, applications, sorts=sorts, default_sort="-created")
    download = download_response(
        request, downloads.APPLICATIONS, page.page.paginator.object_list, filters
    )
    if download is not None:
        return download
    context = {
        "listing": page,
        "filters": filters,
        "states": [(key, label) for key, (label, _q) in selectors.APPLICATION_STATES.items()],
        "can_create": permissions.can_in(request.user, MANAGE, PeApplication),
        **tabs(request, "applications"),
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
        request, "core/form.html", form_page(form, title, reverse("educators:application-list"))
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
    progress = progress_of(application)
    context = {
        "application": application,
        "tasks": task_list_for(application, progress, may_change=can_manage),
        "can_request_support": can_manage and progress.may_request_support,
        "panel": application.panel_members.select_related("person__organisation"),
        "scores": application.scores.select_related("criterion"),
        "can_manage": can_manage,
        "history": history_for(application),
        **tabs(request, "applications"),
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
    return render(request, "core/form.html", form_page(form, title, application.get_absolute_url()))


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
    return render(request, "core/form.html", form_page(form, title, application.get_absolute_url()))


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
    return render(request, "core/form.html", form_page(form, title, application.get_absolute_url()))


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
    context = form_page(form, title, application.get_absolute_url(), criteria=criteria)
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
            **form_data(form, "decision", "feedback_letter"),
        ),
    )
    if saved is not None:
        messages.success(request, _letter_sent(saved))
        return redirect("educators:application-detail", pk=application.pk)
    context = form_page(
        form,
        f"Decision on {application.applicant}'s application",
        application.get_absolute_url(),
        missing=progress_of(application).missing_for_acceptance,
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
        "may_apply": selectors.may_apply(request.user),
    }
    return render(request, "educators/my_applications.html", context)


@login_required
def my_application(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _application(request, pk, APPLY)
    tasks = applicant_steps_for(application, progress_of(application))
    context = {"application": application, "tasks": tasks}
    return render(request, "educators/my_application.html", context)


@login_required
def my_application_statement(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _application(request, pk, APPLY)
    form = StatementForm(request.POST or None, initial={"statement": application.statement})
    saved = submitted(
        request,
        form,
        lambda: services.update_own_pe_statement(
            actor=request.user, application=application, **form_data(form, "statement")
        ),
    )
    if saved is not None:
        messages.success(request, "Your written statement has been updated.")
        return redirect("educators:my-application", pk=application.pk)
    title = "Change your written statement"
    return render(request, "core/form.html", form_page(form, title, application.get_absolute_url()))


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
        "can_score": progress_of(application).may_score,
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
    context = form_page(form, title, back, criteria=criteria, panel_member=True)
    return render(request, "educators/scores.html", context)


# CSRF-protected like every form: ``token_link_headers`` (Referrer-Policy: same-origin) lets
# browsers send the Origin that Django's check compares, and keeps the token from other sites.
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
                application=application, **form_data(form, "supports", "statement")
            ),
        )
        if saved is not None:
            response = render(request, "educators/support_done.html", {"application": application})
            return token_link_headers(response)
        response = render(
            request, "educators/support.html", {"form": form, "application": application}
        )
    return token_link_headers(response)


@login_required
def support_request_list(request: AuthenticatedRequest) -> HttpResponse:
    """A line manager's support requests: those waiting for them, and those answered."""
    context = {
        "waiting": selectors.support_requests_for(request.user),
        "answered": selectors.support_requests_for(request.user, waiting=False)[:20],
    }
    return render(request, "educators/support_request_list.html", context)


@login_required
def support_request_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The line manager answers in Practica, signed in, through the service the link uses."""
    application = selectors.support_request_for(request.user, pk)
    form = SupportForm(request.POST or None)
    saved = submitted(
        request,
        form,
        lambda: services.give_line_manager_support(
            actor=request.user,
            application=application,
            **form_data(form, "supports", "statement"),
        ),
    )
    if saved is not None:
        messages.success(
            request, f"Your statement on {application.applicant.full_name}'s application was sent."
        )
        return redirect("educators:support-request-list")
    context = {
        "form": form,
        "application": application,
        "back_url": reverse("educators:support-request-list"),
    }
    return render(request, "educators/support.html", context)


@login_required
@requires_ability(VIEW, SelectionCriterion)
def criterion_list(request: AuthenticatedRequest) -> HttpResponse:
    criteria = selectors.criteria_visible_to(request.user)

    context = {
        "criteria": criteria,
        "can_create": permissions.can_in(request.user, MANAGE, SelectionCriterion),
        **tabs(request, "applications"),
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
            **form_data(form, "title", "description", "max_score", "position"),
        ),
    )
    if saved is not None:
        messages.success(request, "Criterion published.")
        return redirect("educators:criterion-list")
    title = f"Publish a selection criterion for {organisation.name}"
    return render(
        request, "core/form.html", form_page(form, title, reverse("educators:criterion-list"))
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
        request, "core/form.html", form_page(form, title, reverse("educators:criterion-list"))
    )
