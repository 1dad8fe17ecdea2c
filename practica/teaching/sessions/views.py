"""Pages of the request protocol, the sessions and their quality. Thin: parse, call, render."""

from __future__ import annotations

import datetime
import io
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from practica.accounts import permissions
from practica.accounts.models import AuthenticatedRequest
from practica.accounts.permissions import MANAGE, VIEW, acting_organisation, requires_ability
from practica.core.forms import submitted
from practica.core.history import history_for
from practica.core.listing import listing
from practica.core.rate_limits import token_link_rate_limit
from practica.questionnaires.forms import AnswerForm
from practica.questionnaires.selectors import ResponseFilters, collate
from practica.teaching.sessions import selectors, services
from practica.teaching.sessions.abilities import OFFER
from practica.teaching.sessions.forms import (
    ChangeForm,
    ContactForm,
    ContributorChoiceForm,
    LinkAnswerForm,
    ObservationForm,
    OfferForm,
    OptionalReasonForm,
    ReasonForm,
    RequestForm,
    StepForm,
)
from practica.teaching.sessions.models import (
    NominatedContact,
    RequestStatus,
    SessionKind,
    SessionStatus,
    TeachingRequest,
    TeachingSession,
)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


# --- contacts --------------------------------------------------------------------------------


@login_required
@requires_ability(VIEW, NominatedContact)
def contact_list(request: AuthenticatedRequest) -> HttpResponse:
    context = {
        "contacts": selectors.contacts_visible_to(request.user).order_by("organisation__name"),
        "can_set": permissions.can_in(request.user, MANAGE, NominatedContact),
    }
    return render(request, "teaching/sessions/contact_list.html", context)


@login_required
def contact_set(request: AuthenticatedRequest) -> HttpResponse:
    organisation = acting_organisation(request, MANAGE, NominatedContact)
    form = ContactForm(
        request.POST or None, people=selectors.people_to_name(request.user, organisation)
    )
    saved = submitted(
        request,
        form,
        lambda: services.set_nominated_contact(
            actor=request.user, organisation=organisation, person=form.cleaned_data["person"]
        ),
    )
    if saved is not None:
        messages.success(request, f"{saved.person} is now {organisation.name}'s contact.")
        return redirect("teaching:contact-list")
    context = {
        "form": form,
        "title": f"Contact for practitioner teaching at {organisation.name}",
        "cancel_url": reverse("teaching:contact-list"),
    }
    return render(request, "core/form.html", context)


# --- requests --------------------------------------------------------------------------------

REQUEST_FILTERS = ("year", "status", "kind")


@login_required
@requires_ability(VIEW, TeachingRequest)
def request_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in REQUEST_FILTERS}
    requests = selectors.requests_visible_to(request.user, **filters)
    sorts = {
        "date": ("Date", "date"),
        "hei": ("University", "hei__name"),
        "kind": ("Type", "kind"),
        "status": ("Status", "status"),
    }
    context = {
        "listing": listing(request, requests, sorts=sorts, default_sort="date"),
        "filters": filters,
        "filtered": any(filters.values()),
        "statuses": RequestStatus.choices,
        "kinds": SessionKind.choices,
        "can_raise": permissions.can_in(request.user, MANAGE, TeachingRequest),
    }
    return render(request, "teaching/sessions/request_list.html", context)


@login_required
def request_create(request: AuthenticatedRequest) -> HttpResponse:
    hei = acting_organisation(request, MANAGE, TeachingRequest)
    form = RequestForm(request.POST or None, local_authorities=services.local_authorities_of(hei))
    raised = submitted(
        request,
        form,
        lambda: services.raise_request(
            actor=request.user, hei=hei, base_url=_base_url(request), **form.cleaned_data
        ),
    )
    if raised is not None:
        messages.success(request, f"Request sent: {raised}.")
        return redirect(raised)
    context = {
        "form": form,
        "title": "Ask for practitioners",
        "cancel_url": reverse("teaching:request-list"),
    }
    return render(request, "core/form.html", context)


@login_required
def request_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    teaching_request = selectors.request_for(request.user, pk)
    offers = list(selectors.offers_of(request.user, teaching_request))
    abilities = selectors.offer_abilities(request.user, offers)
    is_open = teaching_request.status != RequestStatus.CANCELLED
    rows = [
        (
            offer,
            services.offer_steps(offer, request=teaching_request, abilities=abilities[offer.pk]),
        )
        for offer in offers
    ]
    can_manage = permissions.can(request.user, MANAGE, teaching_request)
    context = {
        "teaching_request": teaching_request,
        "offers": rows,
        "can_manage": can_manage and is_open,
        "contributors": selectors.request_contributors_of(request.user, teaching_request),
        "can_offer": teaching_request.status == RequestStatus.OPEN
        and bool(selectors.organisations_to_offer_from(request.user, teaching_request)),
        "history": history_for(teaching_request),
    }
    return render(request, "teaching/sessions/request_detail.html", context)


@login_required
def request_offer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    teaching_request = selectors.request_for(request.user, pk, OFFER)
    organisations = selectors.organisations_to_offer_from(request.user, teaching_request)
    if not organisations:
        raise Http404("No request found")
    organisation = organisations[0]
    form = OfferForm(
        request.POST or None,
        practitioners=selectors.practitioners_to_offer(
            request.user, teaching_request, organisation
        ),
    )
    offers = submitted(
        request,
        form,
        lambda: services.offer_practitioners(
            actor=request.user,
            request=teaching_request,
            organisation=organisation,
            base_url=_base_url(request),
            **form.cleaned_data,
        ),
    )
    if offers is not None:
        messages.success(
            request, f"Offered {len(offers)} practitioner{'s' if len(offers) != 1 else ''}."
        )
        return redirect(teaching_request)
    context = {
        "form": form,
        "title": f"Offer practitioners from {organisation.name}: {teaching_request}",
        "cancel_url": teaching_request.get_absolute_url(),
    }
    return render(request, "core/form.html", context)


@login_required
def request_change(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    teaching_request = selectors.request_for(request.user, pk, MANAGE)
    form = ChangeForm(
        request.POST or None,
        initial={
            "date": teaching_request.date,
            "starts_at": teaching_request.starts_at,
            "ends_at": teaching_request.ends_at,
            "place": teaching_request.place,
        },
    )
    saved = submitted(
        request,
        form,
        lambda: services.change_request(
            actor=request.user,
            request=teaching_request,
            base_url=_base_url(request),
            **form.cleaned_data,
        ),
    )
    if saved is not None:
        messages.success(request, "Request changed; everyone on it has been told.")
        return redirect(saved)
    context = {
        "form": form,
        "title": f"Change {teaching_request}",
        "cancel_url": teaching_request.get_absolute_url(),
    }
    return render(request, "core/form.html", context)


@login_required
def request_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    teaching_request = selectors.request_for(request.user, pk, MANAGE)
    form = ReasonForm(request.POST or None)
    saved = submitted(
        request,
        form,
        lambda: services.cancel_request(
            actor=request.user,
            request=teaching_request,
            reason=form.cleaned_data["reason"],
            base_url=_base_url(request),
        ),
    )
    if saved is not None:
        messages.success(request, "Request cancelled; everyone on it has been told.")
        return redirect(saved)
    context = {
        "form": form,
        "title": f"Cancel {teaching_request}",
        "cancel_url": teaching_request.get_absolute_url(),
    }
    return render(request, "core/form.html", context)


STEP_TITLES = {
    "accept": "Accept",
    "decline": "Do not take up",
    "confirm": "Confirm you will take part in",
    "withdraw": "Withdraw from",
}


@login_required
def offer_step(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    if step not in STEP_TITLES:
        raise Http404("No such step")
    offer = None
    for ability in services.STEP_ABILITIES[step]:
        try:
            offer = selectors.offer_for(request.user, pk, ability)
            break
        except Http404:
            continue
    if offer is None:
        raise Http404("No offer found")
    data = request.POST if request.method == "POST" else None
    form: Any = (
        StepForm(data)
        if step in ("accept", "confirm")
        else OptionalReasonForm(data)
        if step == "decline"
        else ReasonForm(data)
    )
    saved = submitted(
        request,
        form,
        lambda: services.take_offer_step(
            actor=request.user,
            offer=offer,
            step=step,
            base_url=_base_url(request),
            **form.cleaned_data,
        ),
    )
    if saved is not None:
        messages.success(
            request, f"{saved.practitioner_teacher}: {saved.get_status_display().lower()}."
        )
        return redirect(offer.request)
    context = {
        "form": form,
        "title": f"{STEP_TITLES[step]} {offer.practitioner_teacher} for {offer.request}"
        if step in ("accept", "decline")
        else f"{STEP_TITLES[step]} {offer.request}",
        "cancel_url": offer.request.get_absolute_url(),
    }
    return render(request, "core/form.html", context)


@token_link_rate_limit
def offer_link(request: HttpRequest, token: str) -> HttpResponse:
    """The practitioner without an account confirms or declines through the link in their
    e-mail (no sign-in); the answer uses the link up."""
    link = services.offer_link_for_token(token)
    if link is None:
        return _no_store(render(request, "teaching/sessions/link_invalid.html", status=404))
    form = LinkAnswerForm(request.POST if request.method == "POST" else None)
    offer = submitted(
        request,
        form,
        lambda: services.answer_offer_link(
            link=link,
            confirm=form.cleaned_data["answer"] == "confirm",
            reason=form.cleaned_data["reason"],
            base_url=_base_url(request),
        ),
    )
    context = {"link": link, "offer": offer, "form": form, "teaching_request": link.offer.request}
    return _no_store(render(request, "teaching/sessions/offer_link.html", context))


def _no_store(response: HttpResponse) -> HttpResponse:
    # the address holds the token ("same-origin", not "no-referrer": Chromium then posts the
    # form with "Origin: null", which the CSRF check refuses)
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response


# --- sessions --------------------------------------------------------------------------------


@login_required
@requires_ability(VIEW, TeachingSession)
def session_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in selectors.SESSION_FILTERS}
    sessions = selectors.sessions_visible_to(request.user, **filters)
    sorts = {
        "date": ("Date", "date"),
        "hei": ("University", "hei__name"),
        "module": ("Module", "module"),
        "kind": ("Type", "kind"),
        "status": ("Status", "status"),
    }
    context = {
        "listing": listing(request, sessions, sorts=sorts, default_sort="-date"),
        "filters": filters,
        "filtered": any(filters.values()),
        "statuses": SessionStatus.choices,
        "kinds": SessionKind.choices,
    }
    return render(request, "teaching/sessions/session_list.html", context)


@login_required
def my_sessions(request: AuthenticatedRequest) -> HttpResponse:
    context = {
        "to_confirm": selectors.offers_to_confirm(request.user),
        "sessions": selectors.my_sessions(request.user).order_by("-date"),
    }
    return render(request, "teaching/sessions/my_sessions.html", context)


def _qr_svg(url: str) -> SafeString:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer,
        kind="svg",
        xmldecl=False,
        svgns=False,
        svgclass="practica-qr-code",
        lineclass=None,
        title="QR code of the feedback link",
        scale=5,
        border=4,
        dark="#0b0c0c",
        light="#ffffff",
    )
    # segno's own SVG of a link Practica made: no text from a person in it
    return mark_safe(buffer.getvalue().decode().replace("<svg ", '<svg role="img" ', 1))  # noqa: S308 # nosec B308, B703


@login_required
def session_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = selectors.session_for(request.user, pk)
    can_manage = permissions.can(request.user, MANAGE, session)
    feedback_url = ""
    if can_manage and session.status != SessionStatus.CANCELLED:
        feedback_url = request.build_absolute_uri(
            reverse("teaching:feedback", args=[services.feedback_token(session)])
        )
    context = {
        "session": session,
        "contributors": selectors.contributors_of(request.user, session),
        "can_manage": can_manage,
        "is_scheduled": session.status == SessionStatus.SCHEDULED,
        "takes_contributors": services.takes_contributors(session),
        "feedback_url": feedback_url,
        "qr_code": _qr_svg(feedback_url) if feedback_url else "",
        "may_read_feedback": selectors.may_read_feedback(request.user, session),
        "observations": selectors.observations_of(request.user, session),
        "can_observe": can_manage and selectors.practitioners_to_observe(session).exists(),
        "history": selectors.session_history(request.user, session),
    }
    return render(request, "teaching/sessions/session_detail.html", context)


@login_required
def session_step(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    session = selectors.session_for(request.user, pk, MANAGE)
    data = request.POST if request.method == "POST" else None
    form: Any
    if step == "deliver":
        form = StepForm(data)
        write: Any = lambda: services.mark_session_delivered(  # noqa: E731
            actor=request.user, session=session
        )
        title = f"Record that {session} was delivered"
    elif step == "cancel":
        form = ReasonForm(data)
        write = lambda: services.cancel_session(  # noqa: E731
            actor=request.user,
            session=session,
            base_url=_base_url(request),
            **form.cleaned_data,
        )
        title = f"Cancel {session}"
    else:
        raise Http404("No such step")
    saved = submitted(request, form, write)
    if saved is not None:
        messages.success(request, f"Session {saved.get_status_display().lower()}.")
        return redirect(saved)
    context = {"form": form, "title": title, "cancel_url": session.get_absolute_url()}
    return render(request, "core/form.html", context)


def _contributor_page(
    request: AuthenticatedRequest, form: ContributorChoiceForm, title: str, cancel_url: str
) -> HttpResponse:
    context = {"form": form, "title": title, "cancel_url": cancel_url}
    return render(request, "core/form.html", context)


@login_required
def request_contributor_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The university adds one of its own lived-experience contributors to its request."""
    teaching_request = selectors.request_for(request.user, pk, MANAGE)
    form = ContributorChoiceForm(
        request.POST or None,
        contributors=selectors.contributors_to_add(
            request.user, teaching_request.hei, request=teaching_request
        ),
    )
    saved = submitted(
        request,
        form,
        lambda: services.add_request_contributor(
            actor=request.user, request=teaching_request, **form.cleaned_data
        ),
    )
    if saved is not None:
        messages.success(request, f"{form.cleaned_data['contributor']} added to the request.")
        return redirect("teaching:request-detail", pk=teaching_request.pk)
    cancel = reverse("teaching:request-detail", args=[teaching_request.pk])
    return _contributor_page(request, form, f"Add a contributor: {teaching_request}", cancel)


@login_required
def session_contributor_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The university puts one of its own lived-experience contributors on its session."""
    session = selectors.session_for(request.user, pk, MANAGE)
    form = ContributorChoiceForm(
        request.POST or None,
        contributors=selectors.contributors_to_add(request.user, session.hei, session=session),
    )
    saved = submitted(
        request,
        form,
        lambda: services.add_session_contributor(
            actor=request.user, session=session, **form.cleaned_data
        ),
    )
    if saved is not None:
        messages.success(request, f"{saved.contributor} added to the session.")
        return redirect(session)
    return _contributor_page(
        request, form, f"Add a contributor: {session}", session.get_absolute_url()
    )


@login_required
def session_observe(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = selectors.session_for(request.user, pk, MANAGE)
    practitioners = selectors.practitioners_to_observe(session)
    only = practitioners.first() if practitioners.count() == 1 else None
    form = ObservationForm(
        request.POST or None,
        practitioners=practitioners,
        initial={"observed_on": session.date, "practitioner_teacher": only},
    )
    saved = submitted(
        request,
        form,
        lambda: services.record_observation(
            actor=request.user, session=session, **form.cleaned_data
        ),
    )
    if saved is not None:
        messages.success(request, f"Observation of {saved.practitioner_teacher} recorded.")
        return redirect(session)
    context = {
        "form": form,
        "title": f"Peer observation: {session}",
        "cancel_url": session.get_absolute_url(),
    }
    return render(request, "core/form.html", context)


@login_required
def session_feedback(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The students' feedback on one session, collated (small numbers suppressed)."""
    session = selectors.session_for_feedback(request.user, pk)
    version = services.feedback_version(session)
    collation = None
    if version is not None:
        collation = collate(
            version,
            ResponseFilters(
                subject=lambda responses: responses.filter(
                    subject_type__app_label="teaching",
                    subject_type__model="teachingsession",
                    subject_id=session.pk,
                )
            ),
        )
    context = {"session": session, "collation": collation}
    return render(request, "teaching/sessions/session_feedback.html", context)


@token_link_rate_limit
def feedback(request: HttpRequest, token: str) -> HttpResponse:
    """A student's page, reached through the link or QR code shown in the session (no
    sign-in): the partnership's session feedback form, anonymous."""
    session = services.session_for_feedback_token(token)
    version = services.feedback_version(session) if session is not None else None
    if session is None or version is None:
        return _no_store(render(request, "teaching/sessions/feedback_closed.html", status=404))
    marker = request.COOKIES.get(services.FEEDBACK_SENT_COOKIE)
    if services.feedback_already_sent(session, marker):
        return _no_store(render(request, "teaching/sessions/feedback_done.html", {"already": True}))
    form = AnswerForm(
        request.POST if request.method == "POST" else None, version=version, saved={}, sending=True
    )
    sent = submitted(
        request,
        form,
        lambda: services.submit_session_feedback(
            session=session, answers=form.answers(), sent_marker=marker
        ),
    )
    if sent is not None:
        response = render(request, "teaching/sessions/feedback_done.html", {})
        # this browser has sent its answers: one student, one response (the marker names no one)
        response.set_cookie(
            services.FEEDBACK_SENT_COOKIE,
            services.feedback_sent_marker(session),
            max_age=datetime.timedelta(days=services.FEEDBACK_OPEN_DAYS + 1),
            path=request.path,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return _no_store(response)
    context = {"form": form, "session": session, "questionnaire": version.questionnaire}
    return _no_store(render(request, "teaching/sessions/feedback.html", context))
