"""Pages for events, registration, attendance, CPD records and the CPD-needs survey.
Thin: parse, fetch through the scope, call one service, render.

POST-only routes check scope before the method, so an outsider gets 404 on every method."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.models import AuthenticatedRequest
from practica.accounts.permissions import MANAGE, VIEW, acting_organisation, requires_ability
from practica.accounts.selectors import person_of
from practica.core.forms import apply_errors, submitted
from practica.core.history import history_for
from practica.core.listing import listing
from practica.core.models import Person
from practica.core.scoping import get_visible_or_404
from practica.learning.abilities import ANSWER, ATTENDEES, RECORD_ATTENDANCE, REGISTER, RESULTS
from practica.learning.events import ics
from practica.learning.events import selectors as event_selectors
from practica.learning.events import services as event_services
from practica.learning.events.models import Event, EventKind, Registration, RegistrationStatus
from practica.learning.forms import EventForm, SurveyChangeForm, SurveyForm, SurveyResponseForm
from practica.learning.surveys import selectors as survey_selectors
from practica.learning.surveys import services as survey_services
from practica.learning.surveys.models import CpdNeedsSurvey


def _person_of(request: AuthenticatedRequest) -> Person | None:
    return person_of(request.user)


def _posted(request: AuthenticatedRequest) -> Any:
    """The POST data to bind a form to, even when empty (``request.POST if request.method == "POST" else None`` is not)."""
    return request.POST if request.method == "POST" else None


def _base_url(request: AuthenticatedRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


# --- Events ------------------------------------------------------------------------------


@login_required
@requires_ability(VIEW, Event)
def event_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = {
        key: request.GET.get(key, "").strip()
        for key in ("when", "kind", "theme", "organisation", "search")
    }
    if filters["when"] not in event_selectors.WHEN:
        filters["when"] = "upcoming"
    events = event_selectors.events_visible_to(
        request.user,
        when=filters["when"],
        kind=filters["kind"],
        theme=filters["theme"],
        organisation=filters["organisation"],
        search=filters["search"],
    )
    sorts = {
        "date": ("Date", "starts_at"),
        "title": ("Event", "title"),
        "organisation": ("Organised by", "organisation__name"),
    }
    default_sort = "-date" if filters["when"] == "past" else "date"
    context = {
        "listing": listing(request, events, sorts=sorts, default_sort=default_sort),
        "filters": filters,
        "kinds": EventKind.choices,
        "themes": event_selectors.event_themes_visible_to(request.user),
        "organisations": event_selectors.event_organisers_visible_to(request.user),
        "can_create": permissions.can_in(request.user, MANAGE, Event),
        "filtered": any(filters[key] for key in ("kind", "theme", "organisation", "search")),
    }
    return render(request, "learning/event_list.html", context)


@login_required
def event_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = get_visible_or_404(Event, request.user, pk=pk)
    person = _person_of(request)
    registration = event_selectors.registration_of(event, person)
    can_see_attendees = permissions.can(request.user, ATTENDEES, event)
    context = {
        "event": event,
        "co_facilitators": event.co_facilitators.all(),
        "person": person,
        "registration": registration,
        "position": event_selectors.waiting_list_position(registration) if registration else None,
        "counts": event_selectors.events_visible_to(request.user, when="all").get(pk=event.pk),
        "can_manage": permissions.can(request.user, MANAGE, event),
        "can_register": permissions.can(request.user, REGISTER, event),
        "can_see_attendees": can_see_attendees,
        "history": history_for(event) if can_see_attendees else [],
    }
    return render(request, "learning/event_detail.html", context)


@login_required
def event_create(request: AuthenticatedRequest) -> HttpResponse:
    organisation = acting_organisation(request, MANAGE, Event)
    form = EventForm(_posted(request), organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            event = event_services.create_event(
                actor=request.user, organisation=organisation, details=form.details()
            )
        except ValidationError as error:
            _apply_event_errors(form, error)
        else:
            messages.success(request, f"{event.title} added.")
            return redirect("learning:event-detail", pk=event.pk)
    title = f"Add an event organised by {organisation.name}"
    return render(request, "learning/event_form.html", {"form": form, "title": title})


@login_required
def event_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = get_visible_or_404(Event, request.user, MANAGE, pk=pk)
    form = EventForm(_posted(request), organisation=event.organisation, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            event_services.update_event(
                actor=request.user, event=event, details=form.details(), base_url=_base_url(request)
            )
        except ValidationError as error:
            _apply_event_errors(form, error)
        else:
            messages.success(request, f"{event.title} updated.")
            return redirect("learning:event-detail", pk=event.pk)
    context = {
        "form": form,
        "title": f"Change {event.title}",
        "cancel_url": event.get_absolute_url(),
    }
    return render(request, "learning/event_form.html", context)


def _apply_event_errors(form: EventForm, error: ValidationError) -> None:
    """The service speaks of starts_at/ends_at; the form asks for a date and times."""
    if hasattr(error, "error_dict") and "ends_at" in error.error_dict:
        error.error_dict["end_time"] = error.error_dict.pop("ends_at")
    apply_errors(form, error)


@login_required
def event_calendar(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = get_visible_or_404(Event, request.user, pk=pk)
    body = ics.event_calendar(
        event,
        url=request.build_absolute_uri(event.get_absolute_url()),
        host=request.get_host().split(":")[0],
        now=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="practica-event-{event.pk}.ics"'
    return response


@login_required
def event_register(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = get_visible_or_404(Event, request.user, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    person = _person_of(request)
    if person is None:
        messages.error(
            request, "Your sign-in is not linked to a person record; ask your coordinator."
        )
        return redirect(event)
    try:
        registration = event_services.register_for_event(
            actor=request.user, event=event, person=person
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if registration.status == RegistrationStatus.REGISTERED:
            messages.success(request, f"You are registered for {event.title}.")
        else:
            position = event_selectors.waiting_list_position(registration)
            messages.success(
                request, f"{event.title} is full: you are number {position} on the waiting list."
            )
    return redirect(event)


@login_required
def event_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = get_visible_or_404(Event, request.user, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    registration = event_selectors.registration_of(event, _person_of(request))
    if registration is None:
        raise Http404("You have no registration for this event")
    try:
        event_services.cancel_registration(
            actor=request.user, registration=registration, base_url=_base_url(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Your registration for {event.title} is cancelled.")
    return redirect(event)


@login_required
def event_attendance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = get_visible_or_404(Event, request.user, ATTENDEES, pk=pk)
    attendees = event_selectors.attendees_of(event)
    context = {
        "event": event,
        "registered": attendees.registered,
        "waiting": attendees.waiting,
        "cancelled": attendees.cancelled,
        "can_record": permissions.can(request.user, RECORD_ATTENDANCE, event),
    }
    return render(request, "learning/event_attendance.html", context)


@login_required
def attendance_mark(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    registration = get_visible_or_404(Registration, request.user, MANAGE, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    error_message = ""
    try:
        registration = event_services.mark_attendance(
            actor=request.user, registration=registration, attended=request.POST.get("attended", "")
        )
    except ValidationError as error:
        error_message = " ".join(error.messages)
    if request.htmx:  # type: ignore[attr-defined]
        context = {"registration": registration, "error": error_message}
        return render(request, "learning/includes/attendance_status.html", context)
    if error_message:
        messages.error(request, error_message)
    else:
        messages.success(
            request,
            f"{registration.person.full_name}: {registration.get_attended_display().lower()}.",
        )
    return redirect("learning:event-attendance", pk=registration.event_id)


# --- CPD records -------------------------------------------------------------------------


@login_required
def my_cpd_record(request: AuthenticatedRequest) -> HttpResponse:
    person = _person_of(request)
    record = event_selectors.cpd_record_for(request.user, person) if person else None
    return render(request, "learning/my_cpd_record.html", {"person": person, "record": record})


# --- The CPD-needs survey ----------------------------------------------------------------


@login_required
@requires_ability(VIEW, CpdNeedsSurvey)
def survey_list(request: AuthenticatedRequest) -> HttpResponse:
    context = {
        "surveys": survey_selectors.surveys_visible_to(request.user),
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
        lambda: survey_services.create_cpd_needs_survey(
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
        lambda: survey_services.update_cpd_needs_survey(
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
    person = _person_of(request)
    context: dict[str, Any] = {
        "survey": survey,
        "can_manage": can_manage,
        "mailings": survey_selectors.survey_mailings(survey) if can_manage else [],
        "response": survey_selectors.response_of(survey, person),
        "can_respond": permissions.can(request.user, ANSWER, survey),
        "is_open": survey.is_open_on(timezone.localdate()),
        "summary": (
            survey_selectors.survey_summary(survey, with_comments=can_manage)
            if can_see_results
            else None
        ),
    }
    return render(request, "learning/survey_detail.html", context)


@login_required
def survey_respond(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey = get_visible_or_404(CpdNeedsSurvey, request.user, pk=pk)
    person = _person_of(request)
    if not permissions.can(request.user, ANSWER, survey) or person is None:
        raise PermissionDenied
    form = SurveyResponseForm(_posted(request), survey=survey)
    saved = submitted(
        request,
        form,
        lambda: survey_services.submit_cpd_needs_response(
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
        "response": survey_selectors.response_of(survey, person),
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
            mailing = survey_services.send_cpd_needs_survey(
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
        "recipients": survey_selectors.survey_recipients(survey).count(),
        "mailings": survey_selectors.survey_mailings(survey),
        "is_open": survey.is_open_on(timezone.localdate()),
    }
    return render(request, "learning/survey_send.html", context)
