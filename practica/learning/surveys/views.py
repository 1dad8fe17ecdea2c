"""Pages for the CPD-needs survey: setting it up and changing it, answering it, its results,
and e-mailing it. Thin: parse, fetch through the scope, call one service, render.

POST-only routes check scope before the method, so an outsider gets 404 on every method."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.models import AuthenticatedRequest
from practica.accounts.permissions import MANAGE, VIEW, acting_organisation, requires_ability
from practica.accounts.selectors import person_of
from practica.core.forms import submitted
from practica.core.scoping import get_visible_or_404
from practica.learning.abilities import ANSWER, RESULTS
from practica.learning.surveys import selectors, services
from practica.learning.surveys.forms import SurveyChangeForm, SurveyForm, SurveyResponseForm
from practica.learning.surveys.models import CpdNeedsSurvey


def _posted(request: AuthenticatedRequest) -> QueryDict | None:
    """The POST data to bind a form to, even when empty (unlike ``request.POST or None``); None
    for any other method."""
    return request.POST if request.method == "POST" else None


def _base_url(request: AuthenticatedRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


@login_required
@requires_ability(VIEW, CpdNeedsSurvey)
def survey_list(request: AuthenticatedRequest) -> HttpResponse:
    context = {
        "surveys": selectors.surveys_visible_to(request.user),
        "can_create": permissions.can_in(request.user, MANAGE, CpdNeedsSurvey),
        "today": timezone.localdate(),
    }
    return render(request, "learning/survey_list.html", context)


@login_required
def survey_create(request: AuthenticatedRequest) -> HttpResponse:
    organisation = acting_organisation(request, MANAGE, CpdNeedsSurvey)
    form = SurveyForm(_posted(request))
    survey = submitted(
        request,
        form,
        lambda: services.create_cpd_needs_survey(
            actor=request.user,
            partnership=organisation.partnership,
            academic_year=form.cleaned_data["academic_year"],
            title=form.cleaned_data["title"],
            opens_on=form.cleaned_data["opens_on"],
            closes_on=form.cleaned_data["closes_on"],
            topics=form.topic_names(),
        ),
    )
    if survey is not None:
        messages.success(request, f"{survey.title} ({survey.academic_year.label}) added.")
        return redirect(survey)
    title = f"Add a CPD-needs survey for {organisation.partnership.name}"
    return render(request, "core/form.html", {"form": form, "title": title})


@login_required
def survey_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey = get_visible_or_404(CpdNeedsSurvey, request.user, MANAGE, pk=pk)
    initial = {
        "title": survey.title,
        "opens_on": survey.opens_on,
        "closes_on": survey.closes_on,
        "topics": "\n".join(topic.name for topic in survey.topics.all()),
    }
    form = SurveyChangeForm(_posted(request), initial=initial)
    changed = submitted(
        request,
        form,
        lambda: services.update_cpd_needs_survey(
            actor=request.user,
            survey=survey,
            title=form.cleaned_data["title"],
            opens_on=form.cleaned_data["opens_on"],
            closes_on=form.cleaned_data["closes_on"],
            topics=form.topic_names(),
        ),
    )
    if changed is not None:
        messages.success(request, f"{changed.title} ({changed.academic_year.label}) changed.")
        return redirect(changed)
    context = {
        "form": form,
        "title": f"Change {survey.title} {survey.academic_year.label}",
        "cancel_url": survey.get_absolute_url(),
    }
    return render(request, "core/form.html", context)


@login_required
def survey_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey = get_visible_or_404(CpdNeedsSurvey, request.user, pk=pk)
    can_see_results = permissions.can(request.user, RESULTS, survey)
    can_manage = permissions.can(request.user, MANAGE, survey)
    person = person_of(request.user)
    context: dict[str, Any] = {
        "survey": survey,
        "can_manage": can_manage,
        "mailings": selectors.survey_mailings(survey) if can_manage else [],
        "response": selectors.response_of(survey, person),
        "can_respond": permissions.can(request.user, ANSWER, survey),
        "is_open": survey.is_open_on(timezone.localdate()),
        "summary": (
            selectors.survey_summary(survey, with_comments=can_manage) if can_see_results else None
        ),
    }
    return render(request, "learning/survey_detail.html", context)


@login_required
def survey_respond(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey = get_visible_or_404(CpdNeedsSurvey, request.user, pk=pk)
    person = person_of(request.user)
    if not permissions.can(request.user, ANSWER, survey) or person is None:
        raise PermissionDenied
    form = SurveyResponseForm(_posted(request), survey=survey)
    saved = submitted(
        request,
        form,
        lambda: services.submit_cpd_needs_response(
            actor=request.user,
            survey=survey,
            person=person,
            interest=form.interest(),
            preferred_format=form.cleaned_data["preferred_format"],
            comments=form.cleaned_data["comments"],
        ),
    )
    if saved is not None:
        messages.success(request, "Thank you: your answers are saved.")
        return redirect(survey)
    context = {
        "form": form,
        "survey": survey,
        "response": selectors.response_of(survey, person),
        "title": f"{survey.title} {survey.academic_year.label}",
        "cancel_url": survey.get_absolute_url(),
    }
    return render(request, "learning/survey_respond.html", context)


@login_required
def survey_send(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Confirm, then e-mail the survey to the practice educators who have not answered it."""
    survey = get_visible_or_404(CpdNeedsSurvey, request.user, MANAGE, pk=pk)
    if request.method == "POST":
        try:
            mailing = services.send_cpd_needs_survey(
                actor=request.user, survey=survey, base_url=_base_url(request)
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            sent_to = mailing.recipients.count()
            messages.success(
                request,
                f"The survey is being e-mailed to {sent_to} practice "
                f"educator{'s' if sent_to != 1 else ''}.",
            )
            return redirect(survey)
    context = {
        "survey": survey,
        "recipients": selectors.survey_recipients(survey).count(),
        "mailings": selectors.survey_mailings(survey),
        "is_open": survey.is_open_on(timezone.localdate()),
    }
    return render(request, "learning/survey_send.html", context)
