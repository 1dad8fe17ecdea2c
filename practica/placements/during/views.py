"""Pages kept during a placement (docs/0029). Thin: parse, call, render. Every object is read
through ``selectors`` with the ability the page needs: outside it, 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.grants import MANAGE
from practica.accounts.models import AuthenticatedRequest
from practica.accounts.permissions import acting_organisation
from practica.core import selectors as core_selectors
from practica.core.forms import submitted
from practica.core.history import history_for
from practica.core.rate_limits import token_link_headers, token_link_rate_limit
from practica.placements.during import progress, selectors, services
from practica.placements.during.checks import check_states
from practica.placements.during.forms import (
    ActionPlanForm,
    AttendanceForm,
    ButtonForm,
    CheckForm,
    CloseConcernForm,
    ConcernForm,
    MeetingForm,
    ObservationForm,
    PreferencesForm,
    PreferenceWindowForm,
    ReviewForm,
    SignOffWeeksForm,
    SkillsDaysForm,
)
from practica.placements.during.models import CheckKind, PreferenceWindow, ReviewKind
from practica.placements.during.rules import (
    LOG_ATTENDANCE,
    RAISE_CONCERN,
    RECORD_PROGRESS,
    SIGN_OFF,
)
from practica.placements.models import Placement


def _form_page(request: AuthenticatedRequest, form: Any, title: str, cancel: str) -> HttpResponse:
    return render(request, "core/form.html", {"form": form, "title": title, "cancel_url": cancel})


# --- a student's checks and practice days -----------------------------------------------------


@login_required
def student_checks(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    student = selectors.student_with(request.user, pk)
    seen = selectors.checks_of(request.user, student)
    states = [state for state in check_states(student) if state.check is None or state.kind in seen]
    context = {
        "student": student,
        "states": states,
        "other_checks": [c for kind, c in seen.items() if kind not in {s.kind for s in states}],
        "skills_days": selectors.skills_days_of(request.user, student),
        "practice": progress.practice_days_of(student),
        "can_manage": permissions.can(request.user, MANAGE, student),
    }
    return render(request, "placements/during/student_checks.html", context)


@login_required
def check_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    student = selectors.student_with(request.user, pk, MANAGE)
    kind = request.GET.get("kind", "")
    form = CheckForm(request.POST or None, initial={"kind": kind} if kind in CheckKind else None)
    saved = submitted(
        request,
        form,
        lambda: services.record_check(actor=request.user, student=student, **form.cleaned_data),
    )
    back = reverse("placements:student-checks", args=[student.pk])
    if saved is not None:
        messages.success(request, f"{saved.get_kind_display()} recorded.")
        return redirect(back)
    return _form_page(request, form, f"Record a check of {student.person.full_name}", back)


@login_required
def skills_days_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    student = selectors.student_with(request.user, pk, MANAGE)
    form = SkillsDaysForm(request.POST or None)
    saved = submitted(
        request,
        form,
        lambda: services.record_skills_days(
            actor=request.user, student=student, **form.cleaned_data
        ),
    )
    back = reverse("placements:student-checks", args=[student.pk])
    if saved is not None:
        messages.success(request, "Skills days recorded.")
        return redirect(back)
    return _form_page(request, form, f"Record skills days of {student.person.full_name}", back)


# --- the placement under way ------------------------------------------------------------------


def _during_url(placement: Placement) -> str:
    return reverse("placements:placement-during", args=[placement.pk])


@login_required
def placement_during(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    placement = selectors.placement_with(user, pk)
    today = timezone.localdate()
    observations = list(selectors.observations_of(user, placement))
    reviews = selectors.reviews_of(user, placement)
    # attendance, meetings and observations are recorded once the placement is confirmed
    under_way = placement.status in services.RECORDING_STATUSES
    can_record = under_way and permissions.can(user, RECORD_PROGRESS, placement)
    context = {
        "placement": placement,
        "weeks": selectors.weeks_of(user, placement),
        "attendance": progress.attendance_of(placement),
        "practice": progress.practice_days_of(placement.student),
        "reviews": [
            (kind.replace("_", "-"), label, reviews.get(kind)) for kind, label in ReviewKind.choices
        ],
        "observations": observations,
        "minimum_observations": progress.minimum_observations(placement.placement_type),
        "expected_observations": progress.observations_expected(placement, today),
        "behind": progress.is_behind(placement, len(observations), today),
        "concerns": selectors.concerns_of(user, placement),
        "can_log": under_way and permissions.can(user, LOG_ATTENDANCE, placement),
        "can_sign_off": permissions.can(user, SIGN_OFF, placement),
        "can_record": can_record,
        "can_raise": permissions.can(user, RAISE_CONCERN, placement),
        "checks": check_states(placement.student, placement.starts_on)
        if permissions.can(user, RECORD_PROGRESS, placement)
        else [],
    }
    return render(request, "placements/during/placement_during.html", context)


@login_required
def attendance_log(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    placement = selectors.placement_with(request.user, pk, LOG_ATTENDANCE)
    form = AttendanceForm(request.POST or None)
    saved = submitted(
        request,
        form,
        lambda: services.log_attendance(
            actor=request.user,
            placement=placement,
            base_url=request.build_absolute_uri("/")[:-1],
            **form.cleaned_data,
        ),
    )
    if saved is not None:
        messages.success(request, f"Attendance logged: {saved}.")
        return redirect(_during_url(placement))
    return _form_page(request, form, f"Log attendance: {placement}", _during_url(placement))


@login_required
def attendance_sign_off(request: AuthenticatedRequest, pk: int, week: int) -> HttpResponse:
    """The sign-off button of a week (a form on the placement's page; a GET goes back there)."""
    placement = selectors.placement_with(request.user, pk, SIGN_OFF)
    record = selectors.week_of(request.user, placement, week)
    if request.method != "POST":
        return redirect(_during_url(placement))
    form = ButtonForm(request.POST)
    saved = submitted(
        request, form, lambda: services.sign_off_attendance(actor=request.user, week=record)
    )
    if saved is not None:
        messages.success(request, f"Signed off: {saved}.")
    else:
        messages.error(request, " ".join(str(error) for error in form.non_field_errors()))
    return redirect(_during_url(placement))


# --- signing off through the single-use link of a practice educator without an account --------


@token_link_rate_limit
def attendance_link(request: HttpRequest, token: str) -> HttpResponse:
    """The weeks of one placement waiting for its practice educator's sign-off, reached through
    the link e-mailed when a week is logged (no sign-in). The page asks for a click before it
    shows the weeks, so that a mail scanner opening the link learns nothing; signing off uses
    the link up."""
    link = services.sign_off_link_for_token(token)
    if link is None:
        return token_link_headers(
            render(request, "placements/during/attendance_link_invalid.html", status=404)
        )
    context: dict[str, Any] = {"link": link, "placement": link.placement}
    if request.method != "POST":
        return token_link_headers(
            render(request, "placements/during/attendance_link.html", context)
        )
    weeks = selectors.weeks_to_sign_off(link)
    if "show" in request.POST:  # the first click: show the weeks
        context.update(weeks=weeks, form=SignOffWeeksForm(weeks=weeks))
        return token_link_headers(
            render(request, "placements/during/attendance_link.html", context)
        )
    form = SignOffWeeksForm(request.POST, weeks=weeks)
    signed = submitted(
        request, form, lambda: services.sign_off_through_link(link=link, weeks=form.chosen())
    )
    context.update(weeks=weeks, form=form, signed=signed)
    return token_link_headers(render(request, "placements/during/attendance_link.html", context))


@login_required
def review_record(request: AuthenticatedRequest, pk: int, kind: str) -> HttpResponse:
    placement = selectors.placement_with(request.user, pk, RECORD_PROGRESS)
    kind = kind.replace("-", "_")
    if kind not in ReviewKind.values:
        raise Http404("No such meeting")
    current = selectors.reviews_of(request.user, placement).get(kind)
    initial = (
        {"held_on": current.held_on, "outcome": current.outcome, "notes": current.notes}
        if current
        else None
    )
    form = ReviewForm(request.POST or None, kind=kind, initial=initial)
    saved = submitted(
        request,
        form,
        lambda: services.record_review(
            actor=request.user, placement=placement, kind=kind, **form.cleaned_data
        ),
    )
    if saved is not None:
        messages.success(request, f"{saved.get_kind_display()} recorded.")
        return redirect(_during_url(placement))
    title = f"{ReviewKind(kind).label}: {placement}"
    return _form_page(request, form, title, _during_url(placement))


@login_required
def observation_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    placement = selectors.placement_with(request.user, pk, RECORD_PROGRESS)
    educator = placement.practice_educator
    form = ObservationForm(
        request.POST or None,
        initial={"observer": educator.person.full_name if educator else ""},
    )
    saved = submitted(
        request,
        form,
        lambda: services.record_observation(
            actor=request.user, placement=placement, **form.cleaned_data
        ),
    )
    if saved is not None:
        messages.success(request, "Direct observation recorded.")
        return redirect(_during_url(placement))
    title = f"Record a direct observation: {placement}"
    return _form_page(request, form, title, _during_url(placement))


# --- cause for concern ------------------------------------------------------------------------


@login_required
def concern_raise(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    placement = selectors.placement_with(request.user, pk, RAISE_CONCERN)
    form = ConcernForm(request.POST or None)
    saved = submitted(
        request,
        form,
        lambda: services.raise_concern(
            actor=request.user,
            placement=placement,
            acting_in=request.membership.organisation_id if request.membership else None,
            **form.cleaned_data,
        ),
    )
    if saved is not None:
        messages.success(request, "Cause for concern raised. The coordinators have been told.")
        if permissions.can(request.user, "view", saved):
            return redirect("placements:concern-detail", saved.pk)
        return redirect(_during_url(placement))
    title = f"Raise a cause for concern: {placement}"
    return _form_page(request, form, title, _during_url(placement))


@login_required
def concern_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    concern = selectors.concern_for(request.user, pk)
    context = {
        "concern": concern,
        "placement": concern.placement,
        "can_manage": concern.is_open and permissions.can(request.user, MANAGE, concern),
        "history": history_for(concern),
    }
    return render(request, "placements/during/concern_detail.html", context)


CONCERN_STEPS = {
    "meeting": "Record the meeting",
    "action-plan": "Record the action plan",
    "close": "Close the concern",
}


@login_required
def concern_step(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    concern = selectors.concern_for(request.user, pk, MANAGE)
    if step not in CONCERN_STEPS:
        raise Http404("No such step")
    form: Any
    write: Callable[[], Any]
    data = request.POST or None
    if step == "meeting":
        form = MeetingForm(
            data, initial={"meeting_on": concern.meeting_on, "notes": concern.meeting_notes}
        )
        write = lambda: services.record_concern_meeting(  # noqa: E731
            actor=request.user, concern=concern, **form.cleaned_data
        )
    elif step == "action-plan":
        form = ActionPlanForm(
            data, initial={"action_plan": concern.action_plan, "review_on": concern.review_on}
        )
        write = lambda: services.record_action_plan(  # noqa: E731
            actor=request.user, concern=concern, **form.cleaned_data
        )
    else:
        form = CloseConcernForm(data)
        write = lambda: services.close_concern(  # noqa: E731
            actor=request.user, concern=concern, **form.cleaned_data
        )
    saved = submitted(request, form, write)
    back = reverse("placements:concern-detail", args=[concern.pk])
    if saved is not None:
        messages.success(request, f"Concern: {saved.get_status_display().lower()}.")
        return redirect(back)
    return _form_page(request, form, f"{CONCERN_STEPS[step]}: {concern.placement}", back)


# --- student preferences ----------------------------------------------------------------------


@login_required
def my_preferences(request: AuthenticatedRequest) -> HttpResponse:
    """The student's windows, newest first: what they submitted, and a form while one is open
    (404 for anyone who is not a student: the page is about one's own student record)."""
    student = selectors.own_student(request.user)
    if student is None:
        raise Http404("No student record")
    today = timezone.localdate()
    windows = [
        (window, window.is_open_on(today), choices)
        for window, choices in selectors.windows_with_preferences_for(request.user, student)
    ]
    context = {"student": student, "windows": windows, "today": today}
    return render(request, "placements/during/my_preferences.html", context)


@login_required
def preferences_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    window = selectors.window_for(request.user, pk)
    student = selectors.own_student(request.user)
    if student is None or student.hei_id != window.hei_id:
        raise Http404("No preference window found")
    current = {
        key: value
        for choice in selectors.preferences_of(request.user, student, window)
        for key, value in (
            (f"area_{choice.rank}", choice.service_area_id),
            (f"location_{choice.rank}", choice.location_id),
        )
    }
    form = PreferencesForm(
        request.POST or None,
        initial=current,
        locations=selectors.locations_to_choose(student),
    )
    saved = submitted(
        request,
        form,
        lambda: services.submit_preferences(
            actor=request.user, student=student, window=window, choices=form.choices()
        ),
    )
    back = reverse("placements:my-preferences")
    if saved is not None:
        messages.success(request, "Your placement preferences are saved.")
        return redirect(back)
    return _form_page(request, form, f"Your placement preferences, {window.academic_year}", back)


@login_required
def preference_window_create(request: AuthenticatedRequest) -> HttpResponse:
    hei = acting_organisation(request, MANAGE, PreferenceWindow)
    form = PreferenceWindowForm(request.POST or None, years=core_selectors.academic_years())
    window = submitted(
        request,
        form,
        lambda: services.open_preference_window(actor=request.user, hei=hei, **form.cleaned_data),
    )
    if window is not None:
        messages.success(request, f"Window saved: {window}.")
        return redirect("placements:preference-window-detail", window.pk)
    back = reverse("placements:student-list")
    return _form_page(request, form, f"Open a window for {hei.name}'s students' preferences", back)


@login_required
def preference_window_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    window = selectors.window_for(request.user, pk)
    choices = list(selectors.window_preferences(request.user, window))
    context = {
        "window": window,
        "choices": choices,
        "students": len({choice.student_id for choice in choices}),
        "history": history_for(window),
    }
    return render(request, "placements/during/preference_window.html", context)
