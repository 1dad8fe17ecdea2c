"""Pages of the practitioner-teacher and contributor directories. Thin: parse, call a
service or selector, render."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from practica.accounts import permissions
from practica.accounts.models import AuthenticatedRequest
from practica.accounts.permissions import MANAGE, VIEW, acting_organisation, requires_ability
from practica.core.forms import submitted
from practica.core.history import history_for
from practica.core.listing import listing
from practica.core.rate_limits import token_link_headers, token_link_rate_limit
from practica.reports.lists import download_response
from practica.teaching.directory import downloads, readiness, selectors, services
from practica.teaching.directory.abilities import CONSENT, EXPRESS_INTEREST
from practica.teaching.directory.forms import (
    AgreementForm,
    ConsentForm,
    ContributorForm,
    DiversityForm,
    InterestForm,
    NewContributorForm,
    NewPractitionerTeacherForm,
    PractitionerTeacherForm,
    ReadinessRuleForm,
    ReviewForm,
    ShadowingForm,
    WithdrawForm,
)
from practica.teaching.directory.models import (
    ExpressionOfInterest,
    LivedExperienceContributor,
    PractitionerTeacher,
)

DIRECTORY_SORTS = {
    "name": ("Name", "person__last_name"),
    "organisation": ("Organisation", "person__organisation__name"),
    "team": ("Team", "person__team__name"),
    "area": ("Service area", "area_name"),
    "status": ("Status", "status"),
    "reviewed": ("Last reviewed", "reviewed_on"),
}


def _today() -> Any:
    return timezone.localdate()


def _form_page(form: Any, title: str, cancel_url: str, **extra: Any) -> dict[str, Any]:
    return {"form": form, "title": title, "cancel_url": cancel_url, **extra}


# --- practitioner teachers ---------------------------------------------------------------


@login_required
@requires_ability(VIEW, PractitionerTeacher)
def pt_list(request: AuthenticatedRequest) -> HttpResponseBase:
    filters = selectors.DirectoryFilters.from_query(request.GET)
    teachers = selectors.practitioner_teachers_visible_to(
        request.user, filters=filters, today=_today()
    )
    page = listing(request, teachers, sorts=DIRECTORY_SORTS, default_sort="name")
    download = download_response(
        request,
        downloads.PRACTITIONER_TEACHERS,
        page.page.paginator.object_list,
        asdict(filters),
    )
    if download is not None:
        return download
    context = {
        "listing": page,
        "filters": filters,
        "choices": selectors.directory_filter_choices(
            request.user, organisation=filters.organisation
        ),
        "can_create": permissions.can_in(request.user, MANAGE, PractitionerTeacher),
        "can_see_contributors": permissions.can_in(request.user, VIEW, LivedExperienceContributor),
        "can_set_readiness": _may_set_readiness(request),
    }
    template = "teaching/pt_list.html"
    if request.htmx:
        template = "teaching/includes/pt_results.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@requires_ability(VIEW, PractitionerTeacher)
def pt_reviews(request: AuthenticatedRequest) -> HttpResponse:
    teachers = selectors.reviews_overdue_visible_to(request.user, today=_today())
    sorts = {
        "reviewed": ("Last reviewed", "reviewed_on"),
        "name": ("Name", "person__last_name"),
        "organisation": ("Organisation", "person__organisation__name"),
        "team": ("Team", "person__team__name"),
    }
    page = listing(request, teachers, sorts=sorts, default_sort="reviewed")
    return render(request, "teaching/pt_reviews.html", {"listing": page})


@login_required
def pt_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    teacher = selectors.practitioner_teacher_for(request.user, pk)
    context = {
        "teacher": teacher,
        "expertise": list(teacher.expertise.order_by("name")),
        "steps": readiness.steps_of(teacher),
        "interests": selectors.interests_of(request.user, teacher),
        "shadowings": selectors.shadowings_of(request.user, teacher),
        "review_overdue": teacher.reviewed_on is None
        or teacher.reviewed_on < selectors.review_cutoff(_today()),
        "can_manage": permissions.can(request.user, MANAGE, teacher),
        "is_own": teacher.person.user_id == request.user.pk,
        "history": history_for(teacher),
    }
    return render(request, "teaching/pt_detail.html", context)


@login_required
def pt_mine(request: AuthenticatedRequest) -> HttpResponse:
    """A practitioner's own page: their steps if they are in the directory, else how to join."""
    teacher = selectors.own_practitioner_entry(request.user)
    if teacher is not None:
        return redirect("teaching:pt-detail", pk=teacher.pk)
    context = {
        "can_express_interest": permissions.can_in(
            request.user, EXPRESS_INTEREST, ExpressionOfInterest
        )
    }
    return render(request, "teaching/pt_not_in_directory.html", context)


def _own_entry(request: AuthenticatedRequest) -> PractitionerTeacher:
    teacher = selectors.own_practitioner_entry(request.user)
    if teacher is None:
        raise Http404("You are not in a practitioner teacher directory")
    return teacher


@login_required
def pt_diversity(request: AuthenticatedRequest) -> HttpResponse:
    """The practitioner's own diversity monitoring answers: only they see or change them."""
    teacher = _own_entry(request)
    answers = selectors.own_diversity(request.user, teacher)
    initial = (
        {
            "ethnic_group": answers.ethnic_group,
            "disability": answers.disability,
            "gender": answers.gender,
            "age_band": answers.age_band,
            "consent": True,
        }
        if answers is not None
        else {}
    )
    form = DiversityForm(request.POST or None, initial=initial)
    saved = submitted(
        request,
        form,
        lambda: services.record_own_diversity(
            actor=request.user, teacher=teacher, **form.cleaned_data
        ),
    )
    if saved is not None:
        messages.success(request, "Your answers are saved. Thank you.")
        return redirect("teaching:pt-detail", pk=teacher.pk)
    context = {"form": form, "answers": answers, "teacher": teacher}
    return render(request, "teaching/pt_diversity.html", context)


@login_required
@require_POST
def pt_diversity_withdraw(request: AuthenticatedRequest) -> HttpResponse:
    teacher = _own_entry(request)
    services.withdraw_own_diversity(actor=request.user, teacher=teacher)
    messages.success(request, "Your consent is withdrawn and your answers are deleted.")
    return redirect("teaching:pt-detail", pk=teacher.pk)


@login_required
def pt_create(request: AuthenticatedRequest) -> HttpResponse:
    organisation = acting_organisation(request, MANAGE, PractitionerTeacher)
    form = NewPractitionerTeacherForm(request.POST or None, organisation=organisation)
    teacher = submitted(
        request,
        form,
        lambda: services.add_practitioner_teacher(
            actor=request.user, organisation=organisation, **form.cleaned_data
        ),
    )
    if teacher is not None:
        messages.success(request, f"{teacher} added to the directory.")
        return redirect("teaching:pt-detail", pk=teacher.pk)
    title = f"Add a practitioner teacher to {organisation.name}'s directory"
    return render(request, "core/form.html", _form_page(form, title, reverse("teaching:pt-list")))


@login_required
def pt_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    teacher = selectors.practitioner_teacher_for(request.user, pk, ability=MANAGE)
    form = PractitionerTeacherForm(
        request.POST or None, organisation=teacher.person.organisation, teacher=teacher
    )
    saved = submitted(
        request,
        form,
        lambda: services.update_practitioner_teacher(
            actor=request.user, teacher=teacher, **form.cleaned_data
        ),
    )
    if saved is not None:
        messages.success(request, f"{teacher}'s entry updated.")
        return redirect("teaching:pt-detail", pk=teacher.pk)
    cancel = reverse("teaching:pt-detail", args=[teacher.pk])
    return render(request, "core/form.html", _form_page(form, f"Change {teacher}'s entry", cancel))


@login_required
def pt_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    teacher = selectors.practitioner_teacher_for(request.user, pk, ability=MANAGE)
    form = ReviewForm(request.POST or None, initial={"reviewed_on": _today()})
    saved = submitted(
        request,
        form,
        lambda: services.review_practitioner_teacher(
            actor=request.user, teacher=teacher, reviewed_on=form.cleaned_data["reviewed_on"]
        ),
    )
    if saved is not None:
        messages.success(request, f"Review of {teacher}'s entry recorded.")
        return redirect("teaching:pt-detail", pk=teacher.pk)
    context = {"form": form, "teacher": teacher, "expertise": list(teacher.expertise.all())}
    return render(request, "teaching/pt_review.html", context)


@login_required
def pt_shadowing(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    teacher = selectors.practitioner_teacher_for(request.user, pk, ability=MANAGE)
    form = ShadowingForm(request.POST or None, colleagues=selectors.shadowing_choices(teacher))
    saved = submitted(
        request,
        form,
        lambda: services.record_shadowing(actor=request.user, teacher=teacher, **form.cleaned_data),
    )
    if saved is not None:
        messages.success(request, f"Shadowing recorded for {teacher}.")
        return redirect("teaching:pt-detail", pk=teacher.pk)
    cancel = reverse("teaching:pt-detail", args=[teacher.pk])
    title = f"Record shadowing by {teacher}"
    return render(request, "core/form.html", _form_page(form, title, cancel))


@login_required
def pt_interest(request: AuthenticatedRequest) -> HttpResponse:
    """The flyer's expression of interest, filled in by the practitioner themselves."""
    person = permissions.person_acting_for_self(
        request.user, EXPRESS_INTEREST, ExpressionOfInterest
    )
    if person is None:
        raise PermissionDenied
    form = InterestForm(request.POST or None)
    saved = submitted(
        request,
        form,
        lambda: services.express_interest(
            actor=request.user,
            person=person,
            base_url=request.build_absolute_uri("/").rstrip("/"),
            **form.cleaned_data,
        ),
    )
    if saved is not None:
        messages.success(
            request,
            "Thank you: we have asked your line manager to agree, and the practitioner teacher "
            "lead will be in touch about the introductory workshop.",
        )
        return redirect("teaching:pt-mine")
    context = _form_page(
        form,
        "Express interest in becoming a practitioner teacher",
        reverse("teaching:pt-mine"),
    )
    return render(request, "teaching/pt_interest.html", context)


@token_link_rate_limit
def pt_agree(request: HttpRequest, token: str) -> HttpResponse:
    """The line manager's page, reached through the link in their e-mail (no sign-in)."""
    interest = services.interest_for_token(token)
    if interest is None:
        response = render(request, "teaching/agree_invalid.html", status=404)
        return token_link_headers(response)
    form = AgreementForm(request.POST or None)
    saved = submitted(
        request,
        form,
        lambda: services.answer_interest(
            interest=interest,
            agrees=form.cleaned_data["agrees"],
            comment=form.cleaned_data["comment"],
        ),
    )
    if saved is not None:
        response = render(request, "teaching/agree_done.html", {"interest": saved})
        return token_link_headers(response)
    response = render(request, "teaching/agree.html", {"form": form, "interest": interest})
    return token_link_headers(response)


def _may_set_readiness(request: AuthenticatedRequest) -> bool:
    if request.membership is None:
        return False
    partnership = request.membership.organisation.partnership
    rule = readiness.rule_for(partnership.pk)
    rule.partnership = partnership
    return partnership.lead_organisation_id is not None and permissions.may_hold(
        request.user, MANAGE, rule
    )


@login_required
def readiness_rule(request: AuthenticatedRequest) -> HttpResponse:
    """Coordinators of the partnership's lead organisation say which steps make a
    practitioner teacher ready to teach."""
    if request.membership is None or not _may_set_readiness(request):
        raise PermissionDenied
    partnership = request.membership.organisation.partnership
    rule = readiness.rule_for(partnership.pk)
    form = ReadinessRuleForm(
        request.POST or None,
        initial={
            "interest_required": rule.interest_required,
            "workshops_required": rule.workshops_required,
            "shadowing_required": rule.shadowing_required,
        },
    )
    saved = submitted(
        request,
        form,
        lambda: services.set_readiness_rule(
            actor=request.user, partnership=partnership, **form.cleaned_data
        ),
    )
    if saved is not None:
        messages.success(request, "The steps to being ready to teach are updated.")
        return redirect("teaching:pt-list")
    title = f"Steps to being ready to teach at {partnership.name}"
    return render(request, "core/form.html", _form_page(form, title, reverse("teaching:pt-list")))


# --- lived-experience contributors -------------------------------------------------------


@login_required
@requires_ability(VIEW, LivedExperienceContributor)
def contributor_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = selectors.ContributorFilters.from_query(request.GET)
    contributors = selectors.contributors_visible_to(request.user, filters=filters)
    sorts = {
        "name": ("Name", "person__last_name"),
        "university": ("University", "hei__name"),
    }
    context = {
        "listing": listing(request, contributors, sorts=sorts, default_sort="name"),
        "filters": filters,
        "choices": selectors.contributor_filter_choices(request.user),
        "can_create": permissions.can_in(request.user, MANAGE, LivedExperienceContributor),
    }
    return render(request, "teaching/contributor_list.html", context)


@login_required
def contributor_mine(request: AuthenticatedRequest) -> HttpResponse:
    contributor = selectors.own_contributor_entry(request.user)
    if contributor is None:
        return render(request, "teaching/contributor_not_listed.html")
    return redirect("teaching:contributor-detail", pk=contributor.pk)


@login_required
def contributor_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    contributor = selectors.contributor_for(request.user, pk)
    page = selectors.contributor_page(request.user, contributor)
    can_manage = permissions.can(request.user, MANAGE, contributor)
    can_consent = can_manage or permissions.can(request.user, CONSENT, contributor)
    context = {
        "page": page,
        "contributor": contributor,
        "can_manage": can_manage,
        "can_consent": can_consent,
        "open_kinds": selectors.consent_kinds_open(page) if can_consent else [],
        "history": history_for(contributor) if page.private else [],
    }
    return render(request, "teaching/contributor_detail.html", context)


@login_required
def contributor_create(request: AuthenticatedRequest) -> HttpResponse:
    hei = acting_organisation(request, MANAGE, LivedExperienceContributor)
    form = NewContributorForm(request.POST or None)
    contributor = submitted(
        request,
        form,
        lambda: services.add_contributor(actor=request.user, hei=hei, **form.cleaned_data),
    )
    if contributor is not None:
        messages.success(request, f"{contributor} added to the directory.")
        return redirect("teaching:contributor-detail", pk=contributor.pk)
    title = f"Add a lived-experience contributor to {hei.name}'s directory"
    cancel = reverse("teaching:contributor-list")
    return render(request, "core/form.html", _form_page(form, title, cancel))


@login_required
def contributor_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    contributor = selectors.contributor_for(request.user, pk, ability=MANAGE)
    form = ContributorForm(
        request.POST or None,
        initial={
            "first_name": contributor.person.first_name,
            "last_name": contributor.person.last_name,
            "areas": list(contributor.areas.all()),
            "payment_preference": contributor.payment_preference,
            "accessibility_needs": contributor.accessibility_needs,
        },
    )
    saved = submitted(
        request,
        form,
        lambda: services.update_contributor(
            actor=request.user, contributor=contributor, **form.cleaned_data
        ),
    )
    if saved is not None:
        messages.success(request, f"{contributor}'s entry updated.")
        return redirect("teaching:contributor-detail", pk=contributor.pk)
    cancel = reverse("teaching:contributor-detail", args=[contributor.pk])
    return render(
        request, "core/form.html", _form_page(form, f"Change {contributor}'s entry", cancel)
    )


def _may_consent(request: AuthenticatedRequest, contributor: LivedExperienceContributor) -> bool:
    return permissions.can(request.user, MANAGE, contributor) or permissions.can(
        request.user, CONSENT, contributor
    )


@login_required
def contributor_consent(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    contributor = selectors.contributor_for(request.user, pk)
    if not _may_consent(request, contributor):
        raise PermissionDenied
    page = selectors.contributor_page(request.user, contributor)
    form = ConsentForm(
        request.POST or None,
        kinds=selectors.consent_kinds_open(page),
        initial={"given_on": _today()},
    )
    saved = submitted(
        request,
        form,
        lambda: services.give_consent(
            actor=request.user, contributor=contributor, **form.cleaned_data
        ),
    )
    if saved is not None:
        messages.success(request, f"Consent recorded: {saved.get_kind_display()}.")
        return redirect("teaching:contributor-detail", pk=contributor.pk)
    cancel = reverse("teaching:contributor-detail", args=[contributor.pk])
    return render(
        request, "core/form.html", _form_page(form, f"Record {contributor}'s consent", cancel)
    )


@login_required
def consent_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    consent = selectors.consent_for(request.user, pk)
    contributor = consent.contributor
    if not _may_consent(request, contributor):
        raise PermissionDenied
    form = WithdrawForm(request.POST or None, initial={"withdrawn_on": _today()})
    saved = submitted(
        request,
        form,
        lambda: services.withdraw_consent(
            actor=request.user, consent=consent, withdrawn_on=form.cleaned_data["withdrawn_on"]
        ),
    )
    if saved is not None:
        messages.success(request, f"Consent withdrawn: {consent.get_kind_display()}.")
        # withdrawing the listing may hide the entry from the person who recorded it
        if permissions.can(request.user, VIEW, contributor):
            return redirect("teaching:contributor-detail", pk=contributor.pk)
        return redirect("teaching:contributor-list")
    cancel = reverse("teaching:contributor-detail", args=[contributor.pk])
    context = _form_page(
        form, f"Withdraw consent: {consent.get_kind_display()}", cancel, consent=consent
    )
    return render(request, "teaching/consent_withdraw.html", context)
