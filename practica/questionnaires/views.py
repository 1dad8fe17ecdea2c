"""Pages for questionnaires: the owner's list, detail and version editor, sending and
reminding, the collation with its downloads, and the respondent's page (no sign-in: the link's
token is the credential). Thin: parse, fetch through the scope, call one service, render.

Object pages check scope before the method, so an outsider gets 404 on every method."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from practica.accounts import permissions
from practica.accounts.models import AuthenticatedRequest, Role
from practica.accounts.permissions import acting_organisation, requires_ability
from practica.core.academic_years import parse_academic_year
from practica.core.forms import apply_errors, submitted
from practica.core.listing import listing
from practica.core.rate_limits import token_link_rate_limit
from practica.core.services import ensure_academic_year
from practica.questionnaires import exports, selectors, services, subjects
from practica.questionnaires import filters as subject_filters
from practica.questionnaires.forms import (
    AnswerForm,
    DistributeForm,
    QuestionForm,
    QuestionnaireForm,
    SectionForm,
)
from practica.questionnaires.models import Questionnaire
from practica.questionnaires.rules import DISTRIBUTE, MANAGE, RESULTS, VIEW

# the columns a sending's list of whom it asked sorts by
INVITATION_SORTS = {
    "name": ("Name", "person__last_name"),
    "organisation": ("Organisation", "person__organisation__name"),
    "answered": ("Answered", "used"),
}


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


@login_required
@requires_ability(VIEW, Questionnaire)
def questionnaire_list(request: AuthenticatedRequest) -> HttpResponse:
    context = {
        "questionnaires": selectors.questionnaires_visible_to(request.user),
        "can_create": permissions.can_in(request.user, MANAGE, Questionnaire),
    }
    return render(request, "questionnaires/list.html", context)


@login_required
def questionnaire_create(request: AuthenticatedRequest) -> HttpResponse:
    organisation = acting_organisation(request, MANAGE, Questionnaire)
    membership = request.membership
    # the partnership manager's questionnaires belong to the whole partnership
    whole_partnership = membership is not None and membership.role == Role.PARTNERSHIP_MANAGER
    form = QuestionnaireForm(_posted(request))
    questionnaire = submitted(
        request,
        form,
        lambda: services.create_questionnaire(
            actor=request.user,
            partnership=organisation.partnership,
            organisation=None if whole_partnership else organisation,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            anonymous=form.cleaned_data["anonymous"],
        ),
    )
    if questionnaire is not None:
        messages.success(request, f"{questionnaire.name} added. Now add its questions.")
        return redirect("questionnaires:version", pk=questionnaire.pk, number=1)
    owner = organisation.partnership.name if whole_partnership else organisation.name
    context = {
        "form": form,
        "title": f"Add a questionnaire for {owner}",
        "cancel_url": reverse("questionnaires:list"),
    }
    return render(request, "core/form.html", context)


@login_required
def questionnaire_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    questionnaire = selectors.questionnaire_for(request.user, pk)
    can_manage = permissions.can(request.user, MANAGE, questionnaire)
    can_distribute = permissions.can(request.user, DISTRIBUTE, questionnaire)
    context = {
        "questionnaire": questionnaire,
        "versions": selectors.versions_of(questionnaire),
        "current": services.latest_published(questionnaire),
        "distributions": selectors.distributions_of(request.user, questionnaire)
        if can_distribute
        else [],
        "can_manage": can_manage,
        "can_distribute": can_distribute,
        "can_see_results": permissions.can(request.user, RESULTS, questionnaire),
    }
    return render(request, "questionnaires/detail.html", context)


@login_required
def questionnaire_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    questionnaire = selectors.questionnaire_for(request.user, pk, MANAGE)
    form = QuestionnaireForm(
        _posted(request),
        initial={
            "name": questionnaire.name,
            "description": questionnaire.description,
            "anonymous": questionnaire.anonymous,
        },
    )
    saved = submitted(
        request,
        form,
        lambda: services.update_questionnaire(
            actor=request.user,
            questionnaire=questionnaire,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            anonymous=form.cleaned_data["anonymous"],
        ),
    )
    if saved is not None:
        messages.success(request, f"{saved.name} changed.")
        return redirect(saved)
    context = {
        "form": form,
        "title": f"Change {questionnaire.name}",
        "cancel_url": questionnaire.get_absolute_url(),
    }
    return render(request, "core/form.html", context)


@login_required
def draft_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Opens the draft version for editing, copying the last version when it is published
    (POST only, once the questionnaire is found in scope)."""
    questionnaire = selectors.questionnaire_for(request.user, pk, MANAGE)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    draft = services.draft_version(actor=request.user, questionnaire=questionnaire)
    return redirect("questionnaires:version", pk=questionnaire.pk, number=draft.number)


@login_required
def version_detail(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    """A version's questions; for a draft and its owner, the forms that add to it."""
    questionnaire = selectors.questionnaire_for(request.user, pk)
    version = selectors.version_of(questionnaire, number)
    can_edit = permissions.can(request.user, MANAGE, questionnaire) and not version.is_published
    sections = selectors.sections_with_questions(version)
    section_form = SectionForm(None, prefix="section")
    question_form = QuestionForm(None, prefix="question", sections=sections)
    if request.method == "POST":
        if not can_edit:
            messages.error(request, "This version cannot be changed.")
            return redirect("questionnaires:version", pk=pk, number=number)
        action = request.POST.get("action", "")
        done = _edit_version(request, action, version, sections, section_form, question_form)
        if done is not None:
            return done
    context = {
        "questionnaire": questionnaire,
        "version": version,
        "sections": sections,
        "can_edit": can_edit,
        "section_form": section_form,
        "question_form": question_form,
    }
    return render(request, "questionnaires/version.html", context)


def _edit_version(
    request: AuthenticatedRequest,
    action: str,
    version: Any,
    sections: list[Any],
    section_form: SectionForm,
    question_form: QuestionForm,
) -> HttpResponse | None:
    """One change to a draft version: the chosen action's service, or the form with its
    errors (None)."""
    here = reverse(
        "questionnaires:version", kwargs={"pk": version.questionnaire_id, "number": version.number}
    )
    try:
        if action == "add-section":
            section_form.data, section_form.is_bound = request.POST, True
            if not section_form.is_valid():
                return None
            services.add_section(actor=request.user, version=version, **section_form.cleaned_data)
            messages.success(request, "Section added.")
        elif action == "add-question":
            question_form.data, question_form.is_bound = request.POST, True
            if not question_form.is_valid():
                return None
            data = question_form.cleaned_data
            section = next((s for s in sections if s.pk == data["section"]), None)
            if section is None:
                question_form.add_error("section", "Choose a section of this version.")
                return None
            services.add_question(
                actor=request.user,
                section=section,
                text=data["text"],
                type=data["type"],
                help_text=data["help_text"],
                required=data["required"],
                choices=question_form.choice_lines(),
            )
            messages.success(request, "Question added.")
        elif action == "remove-question":
            question = next(
                (
                    q
                    for s in sections
                    for q in s.questions.all()
                    if str(q.pk) == request.POST.get("question")
                ),
                None,
            )
            if question is not None:
                services.remove_question(actor=request.user, question=question)
                messages.success(request, "Question removed.")
        elif action == "publish":
            services.publish_version(actor=request.user, version=version)
            messages.success(request, f"Version {version.number} published: it can now be sent.")
            return redirect(version.questionnaire)
    except ValidationError as error:
        form = question_form if action == "add-question" else section_form
        if action in {"add-question", "add-section"}:
            apply_errors(form, error)
            return None
        messages.error(request, " ".join(error.messages))
    return redirect(here)


@login_required
def distribute(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    questionnaire = selectors.questionnaire_for(request.user, pk, DISTRIBUTE)
    version = services.latest_published(questionnaire)
    form = DistributeForm(
        _posted(request), people=selectors.people_to_ask(request.user, questionnaire)
    )
    if version is None:
        messages.error(request, "Publish a version before sending the questionnaire.")
        return redirect(questionnaire)

    def send() -> Any:
        year_text = form.cleaned_data["academic_year"].strip()
        try:
            year = (
                ensure_academic_year(start_year=parse_academic_year(year_text))
                if year_text
                else None
            )
        except ValidationError as error:
            raise ValidationError({"academic_year": error.messages}) from error
        return services.distribute(
            actor=request.user,
            version=version,
            title=form.cleaned_data["title"],
            recipients=list(form.cleaned_data["people"]),
            closes_at=form.closes_at(),
            academic_year=year,
            base_url=_base_url(request),
        )

    distribution = submitted(request, form, send)
    if distribution is not None:
        messages.success(request, f"{questionnaire.name} is being e-mailed.")
        return redirect(
            "questionnaires:distribution", pk=questionnaire.pk, distribution=distribution.pk
        )
    context = {
        "form": form,
        "title": f"Send {questionnaire.name} (version {version.number})",
        "cancel_url": questionnaire.get_absolute_url(),
    }
    return render(request, "core/form.html", context)


@login_required
def distribution_detail(request: AuthenticatedRequest, pk: int, distribution: int) -> HttpResponse:
    questionnaire = selectors.questionnaire_for(request.user, pk, DISTRIBUTE)
    found = selectors.distribution_of(request.user, questionnaire, distribution)
    if request.method == "POST":
        try:
            reminded = services.remind(
                actor=request.user, distribution=found, base_url=_base_url(request)
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"A reminder is being e-mailed to {reminded} {'person' if reminded == 1 else 'people'}.",
            )
        return redirect("questionnaires:distribution", pk=pk, distribution=distribution)
    context = {
        "questionnaire": questionnaire,
        "distribution": found,
        "listing": listing(
            request,
            selectors.invitations_of(found),
            sorts=INVITATION_SORTS,
            default_sort="name",
        ),
    }
    return render(request, "questionnaires/distribution.html", context)


@login_required
def results(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    questionnaire = selectors.questionnaire_for(request.user, pk, RESULTS)
    versions = [v for v in selectors.versions_of(questionnaire) if v.is_published]
    chosen = request.GET.get("version", "")
    version = next(
        (v for v in versions if str(v.number) == chosen), versions[0] if versions else None
    )
    context: dict[str, Any] = {
        "questionnaire": questionnaire,
        "versions": versions,
        "version": version,
    }
    if version is None:
        return render(request, "questionnaires/results.html", context)
    organisations = selectors.organisations_answered(request.user, version)
    codes = [code for code in request.GET.getlist("organisation") if code]
    year_text = request.GET.get("year", "").strip()
    errors: dict[str, str] = {}
    year = None
    if year_text:
        try:
            year = parse_academic_year(year_text)
        except ValidationError as error:
            errors["year"] = error.messages[0]
    offered = [
        (subject_filter, subject_filter.choices(request.user, version))
        for subject_filter in subject_filters.filters_for(questionnaire)
    ]
    picked = [
        (subject_filter, request.GET[subject_filter.id])
        for subject_filter, choices in offered
        if request.GET.get(subject_filter.id) in {value for value, _label in choices}
    ]
    filters = selectors.ResponseFilters(
        organisations=tuple(o.pk for o in organisations if o.code in codes),
        academic_year=year,
        subject=subject_filters.narrowing(picked),
    )
    download = request.GET.get("download", "")
    if download in exports.FORMATS and not errors:
        raw = request.GET.get("answers") == "raw"
        shown = [("Academic year", year_text)] if year is not None else []
        if filters.organisations:
            shown.append(
                ("Organisations", ", ".join(o.name for o in organisations if o.code in codes))
            )
        for subject_filter, value in picked:
            labels = dict(next(c for f, c in offered if f is subject_filter))
            shown.append((subject_filter.label, labels.get(value, value)))
        return exports.download_response(
            request,
            version,
            filters,
            raw=raw,
            file_format=download,
            shown_filters=shown,
            name=f"{questionnaire.slug}-v{version.number}",
        )
    collation = selectors.collate(version, filters)
    context |= {
        "collation": collation,
        "organisations": organisations,
        "chosen_organisations": codes,
        "years": selectors.academic_years_answered(version),
        "subject_filters": [
            {
                "id": subject_filter.id,
                "label": subject_filter.label,
                "choices": choices,
                "chosen": request.GET.get(subject_filter.id, ""),
            }
            for subject_filter, choices in offered
        ],
        "year": year,
        "errors": errors,
        "query": request.GET.urlencode(),
    }
    return render(request, "questionnaires/results.html", context)


@token_link_rate_limit
def respond(request: HttpRequest, token: str) -> HttpResponse:
    """The respondent's page, reached through their personal link (no sign-in). "Save and come
    back later" keeps the answers with the link; "Send" records them and uses the link up."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return _no_store(render(request, "questionnaires/link_invalid.html", status=404))
    version = invitation.distribution.version
    saving = request.method == "POST" and "save" in request.POST
    form = AnswerForm(
        _posted(request),
        version=version,
        saved=services.draft_answers(invitation),
        sending=not saving,
    )
    if saving:
        saved = submitted(
            request,
            form,
            lambda: services.save_draft(invitation=invitation, answers=form.answers()),
        )
        if saved is not None:
            saved_context = {
                "questionnaire": version.questionnaire,
                "distribution": invitation.distribution,
            }
            return _no_store(render(request, "questionnaires/respond_saved.html", saved_context))
    else:
        sent = submitted(
            request,
            form,
            lambda: services.submit_response(invitation=invitation, answers=form.answers()),
        )
        if sent is not None:
            done = {"questionnaire": version.questionnaire}
            return _no_store(render(request, "questionnaires/respond_done.html", done))
    context: dict[str, Any] = {
        "form": form,
        "questionnaire": version.questionnaire,
        "distribution": invitation.distribution,
        "about": subjects.describe(invitation),
    }
    return _no_store(render(request, "questionnaires/respond.html", context))


def _no_store(response: HttpResponse) -> HttpResponse:
    # the address holds the token: never sent to another site. (Not "no-referrer": Chromium
    # then posts the form with "Origin: null", which Django's CSRF check refuses.)
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response
