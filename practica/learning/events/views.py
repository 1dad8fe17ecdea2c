"""Pages for events, registration, attendance and one's CPD record.
Thin: parse, fetch through the scope, call one service, render.

POST-only routes check scope before the method, so an outsider gets 404 on every method."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.models import AuthenticatedRequest
from practica.accounts.permissions import MANAGE, VIEW, acting_organisation, requires_ability
from practica.accounts.selectors import person_of
from practica.core.forms import apply_errors, submitted
from practica.core.history import history_for
from practica.core.listing import listing
from practica.core.scoping import get_visible_or_404
from practica.learning.abilities import ATTENDEES, RECORD_ATTENDANCE, REGISTER
from practica.learning.events import downloads, ics, selectors, services
from practica.learning.events.forms import BookingForm, EventForm, UpdateTrainingForm
from practica.learning.events.models import Event, EventKind, Registration, RegistrationStatus
from practica.reports.lists import download_response


def _posted(request: AuthenticatedRequest) -> QueryDict | None:
    """The POST data to bind a form to, even when empty (unlike ``request.POST or None``); None
    for any other method."""
    return request.POST if request.method == "POST" else None


def _base_url(request: AuthenticatedRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


@login_required
@requires_ability(VIEW, Event)
def event_list(request: AuthenticatedRequest) -> HttpResponseBase:
    filters = {
        key: request.GET.get(key, "").strip()
        for key in ("when", "kind", "theme", "organisation", "search", "task")
    }
    if filters["when"] not in selectors.WHEN:
        filters["when"] = "upcoming"
    if filters["task"] not in selectors.TASKS:
        filters["task"] = ""
    events = selectors.events_visible_to(
        request.user,
        when=filters["when"],
        kind=filters["kind"],
        theme=filters["theme"],
        organisation=filters["organisation"],
        search=filters["search"],
        task=filters["task"],
    )
    sorts = {
        "date": ("Date", "starts_at"),
        "title": ("Event", "title"),
        "organisation": ("Organised by", "organisation__name"),
    }
    default_sort = "-date" if filters["when"] == "past" else "date"
    page = listing(request, events, sorts=sorts, default_sort=default_sort)
    download = download_response(
        request, downloads.EVENTS, page.page.paginator.object_list, filters
    )
    if download is not None:
        return download
    context = {
        "listing": page,
        "task": selectors.TASKS.get(filters["task"], ""),
        "filters": filters,
        "kinds": EventKind.choices,
        "themes": selectors.event_themes_visible_to(request.user),
        "organisations": selectors.event_organisers_visible_to(request.user),
        "can_create": permissions.can_in(request.user, MANAGE, Event),
        "can_set_update_training": request.membership is not None
        and permissions.may_hold(
            request.user,
            MANAGE,
            selectors.update_training_rule_of(request.membership.organisation.partnership),
        ),
        "filtered": any(
            filters[key] for key in ("kind", "theme", "organisation", "search", "task")
        ),
    }
    return render(request, "learning/event_list.html", context)


@login_required
def event_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = get_visible_or_404(Event, request.user, pk=pk)
    person = person_of(request.user)
    registration = selectors.registration_of(event, person)
    can_see_attendees = permissions.can(request.user, ATTENDEES, event)
    context = {
        "event": event,
        "co_facilitators": event.co_facilitators.all(),
        "person": person,
        "registration": registration,
        "position": selectors.waiting_list_position(registration) if registration else None,
        "counts": selectors.events_visible_to(request.user, when="all").get(pk=event.pk),
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
            event = services.create_event(
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
            services.update_event(
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
    person = person_of(request.user)
    if person is None:
        messages.error(
            request, "Your sign-in is not linked to a person record; ask your coordinator."
        )
        return redirect(event)
    try:
        registration = services.register_for_event(actor=request.user, event=event, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if registration.status == RegistrationStatus.REGISTERED:
            messages.success(request, f"You are registered for {event.title}.")
        else:
            position = selectors.waiting_list_position(registration)
            messages.success(
                request, f"{event.title} is full: you are number {position} on the waiting list."
            )
    return redirect(event)


@login_required
def event_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = get_visible_or_404(Event, request.user, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    registration = selectors.registration_of(event, person_of(request.user))
    if registration is None:
        raise Http404("You have no registration for this event")
    try:
        services.cancel_registration(
            actor=request.user, registration=registration, base_url=_base_url(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Your registration for {event.title} is cancelled.")
    return redirect(event)


@login_required
def event_attendance(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    event = get_visible_or_404(Event, request.user, ATTENDEES, pk=pk)
    attendees = selectors.attendees_of(event)
    download = download_response(
        request,
        downloads.ATTENDANCE,
        [*attendees.registered, *attendees.waiting, *attendees.cancelled],
        {"Event": f"{event.title}, {timezone.localtime(event.starts_at):%d %B %Y}"},
    )
    if download is not None:
        return download
    context = {
        "event": event,
        "registered": attendees.registered,
        "waiting": attendees.waiting,
        "cancelled": attendees.cancelled,
        "can_record": permissions.can(request.user, RECORD_ATTENDANCE, event),
    }
    return render(request, "learning/event_attendance.html", context)


@login_required
def event_book(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A coordinator who runs the event books someone (a telephone booking) or, once it has
    started, records the attendance of someone who had not registered."""
    event = get_visible_or_404(Event, request.user, RECORD_ATTENDANCE, pk=pk)
    form = BookingForm(_posted(request), started=event.has_started)

    registration = submitted(
        request,
        form,
        lambda: services.book_or_record(
            actor=request.user,
            event=event,
            email=form.cleaned_data["email"],
            attended=form.cleaned_data.get("attended", ""),
        ),
    )
    if registration is not None:
        name = registration.person.full_name
        if event.has_started:
            outcome = registration.get_attended_display().lower()
            messages.success(request, f"{name}: {outcome}.")
        elif registration.status == RegistrationStatus.REGISTERED:
            messages.success(request, f"{name} is registered for {event.title}.")
        else:
            messages.success(request, f"{event.title} is full: {name} is on the waiting list.")
        return redirect("learning:event-attendance", pk=event.pk)
    title = "Record someone who came" if event.has_started else "Book a place for someone"
    context = {
        "form": form,
        "title": title,
        "cancel_url": reverse("learning:event-attendance", args=[event.pk]),
    }
    return render(request, "core/form.html", context)


@login_required
def attendance_mark(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    registration = get_visible_or_404(Registration, request.user, MANAGE, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    error_message = ""
    try:
        registration = services.mark_attendance(
            actor=request.user, registration=registration, attended=request.POST.get("attended", "")
        )
    except ValidationError as error:
        error_message = " ".join(error.messages)
    if request.htmx:
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
    person = person_of(request.user)
    record = selectors.cpd_record_for(request.user, person) if person else None
    return render(request, "learning/my_cpd_record.html", {"person": person, "record": record})


@login_required
def update_training(request: AuthenticatedRequest) -> HttpResponse:
    """Coordinators of the partnership's lead organisation say which events count as update
    training for practice educators' currency."""
    if request.membership is None:
        raise PermissionDenied
    partnership = request.membership.organisation.partnership
    rule = selectors.update_training_rule_of(partnership)
    if not permissions.may_hold(request.user, MANAGE, rule):
        raise PermissionDenied
    form = UpdateTrainingForm(_posted(request), initial={"kinds": rule.kinds})
    saved = submitted(
        request,
        form,
        lambda: services.set_update_training_kinds(
            actor=request.user, partnership=partnership, kinds=form.cleaned_data["kinds"]
        ),
    )
    if saved is not None:
        messages.success(request, "The kinds of event that count as update training are saved.")
        return redirect("learning:event-list")
    context = {
        "form": form,
        "title": f"Update training at {partnership.name}",
        "cancel_url": reverse("learning:event-list"),
    }
    return render(request, "core/form.html", context)
