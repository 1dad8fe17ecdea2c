"""Pages of the time audit: the audits and who is behind (coordinators), an educator's weeks
and the page that logs one week. Thin: parse, call, render."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.grants import MANAGE
from practica.accounts.models import AuthenticatedRequest
from practica.accounts.permissions import VIEW, acting_organisation, requires_ability
from practica.core.forms import submitted
from practica.core.history import history_for
from practica.core.listing import listing
from practica.reports.registry import get_report
from practica.timeaudit import selectors, services
from practica.timeaudit.forms import AuditForm, EnrolForm, WeekForm
from practica.timeaudit.models import TimeAudit, monday_of
from practica.timeaudit.rules import KEEP_AUDITS, LOG


@login_required
@requires_ability(KEEP_AUDITS, TimeAudit)
def audit_list(request: AuthenticatedRequest) -> HttpResponse:
    audits = selectors.audits_visible_to(request.user)
    sorts = {
        "name": ("Audit", "name"),
        "year": ("Academic year", "academic_year__start_year"),
        "organisation": ("Run by", "organisation__name"),
    }
    context = {
        "listing": listing(request, audits, sorts=sorts, default_sort="-year"),
        "can_report": get_report("time-audit").visible_to(request.user),
        "can_start": permissions.may_act(request, MANAGE, TimeAudit),
    }
    return render(request, "timeaudit/audit_list.html", context)


@login_required
def audit_create(request: AuthenticatedRequest) -> HttpResponse:
    organisation = acting_organisation(request, MANAGE, TimeAudit)
    form = AuditForm(request.POST or None, years=selectors.years_to_choose())
    audit = submitted(
        request,
        form,
        lambda: services.create_audit(
            actor=request.user, organisation=organisation, **form.cleaned_data
        ),
    )
    if audit is not None:
        messages.success(
            request, f"{audit.name} started: enrol the practice educators who take part."
        )
        return redirect("timeaudit:audit-detail", pk=audit.pk)
    context = {
        "form": form,
        "title": f"Start a time audit run by {organisation.name}",
        "cancel_url": reverse("timeaudit:audit-list"),
    }
    return render(request, "core/form.html", context)


@login_required
def enrolment_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    audit = selectors.audit_for(request.user, pk, MANAGE)
    kind = audit.get_placement_type_display().lower()
    form = EnrolForm(
        request.POST or None,
        educators=selectors.educators_to_enrol(request.user, audit),
        help_text=f"They are linked to their {kind} of {audit.academic_year.label} "
        "when they have one.",
    )
    enrolment = submitted(
        request,
        form,
        lambda: services.enrol_educator(
            actor=request.user,
            audit=audit,
            practice_educator=form.cleaned_data["practice_educator"],
        ),
    )
    if enrolment is not None:
        name = enrolment.practice_educator.person.full_name
        linked = (
            "linked to their placement"
            if enrolment.placement_id
            else f"not linked to a placement: they have no {kind} of {audit.academic_year.label}"
        )
        messages.success(request, f"{name} is enrolled in {audit.name}, {linked}.")
        return redirect("timeaudit:audit-detail", pk=audit.pk)
    context = {
        "form": form,
        "title": f"Enrol a practice educator in {audit.name}",
        "cancel_url": audit.get_absolute_url(),
    }
    return render(request, "core/form.html", context)


@login_required
def enrolment_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for(request.user, pk, MANAGE)  # 404 before 405: no hint
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    audit, name = enrolment.audit, enrolment.practice_educator.person.full_name
    try:
        services.remove_enrolment(actor=request.user, enrolment=enrolment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{name} is no longer in {audit.name}.")
    return redirect("timeaudit:audit-detail", pk=audit.pk)


@login_required
def audit_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    audit = selectors.audit_for(request.user, pk)
    today = timezone.localdate()
    rows = [
        {
            "enrolment": enrolment,
            "weeks": weeks,
            "logged": logged,
            "removable": services.removable(weeks_logged=logged),
            "missing": [week for week in weeks if week.due and week.log is None],
            "daytime": sum(week.log.daytime_hours for week in weeks if week.log is not None),
            "ooh": sum(week.log.ooh_hours for week in weeks if week.log is not None),
        }
        for enrolment in selectors.enrolments_of_audit(request.user, audit)
        for weeks in [selectors.weeks_of(enrolment, today)]
        for logged in [sum(1 for week in weeks if week.log is not None)]
    ]
    context = {
        "audit": audit,
        "rows": rows,
        "behind": [row for row in rows if row["missing"]],
        "can_report": get_report("time-audit").visible_to(request.user),
        "can_manage": permissions.can(request.user, MANAGE, audit),
        "report_query": f"year={audit.academic_year.label}&organisation={audit.organisation.code}",
        "history": history_for(audit),
    }
    return render(request, "timeaudit/audit_detail.html", context)


@login_required
def enrolment_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for(request.user, pk)
    weeks = selectors.weeks_of(enrolment)
    context = {
        "enrolment": enrolment,
        "audit": enrolment.audit,
        "weeks": weeks,
        "missing": [week for week in weeks if week.due and week.log is None],
        "can_log": permissions.can(request.user, LOG, enrolment),
        "is_own": enrolment.practice_educator.person.user_id == request.user.pk,
        "can_see_audit": permissions.can(request.user, VIEW, enrolment.audit)
        and permissions.can_in(request.user, KEEP_AUDITS, TimeAudit),
    }
    return render(request, "timeaudit/enrolment_detail.html", context)


@login_required
def log_week(request: AuthenticatedRequest, pk: int, week: str) -> HttpResponse:
    enrolment = selectors.enrolment_for(request.user, pk, LOG)
    try:
        week_start = datetime.date.fromisoformat(week)
    except ValueError:
        raise Http404("No such week") from None
    if week_start != monday_of(week_start):
        return redirect("timeaudit:log-week", pk=pk, week=monday_of(week_start).isoformat())
    log = enrolment.logs.filter(week_start=week_start).first()
    form = WeekForm(request.POST or None, initial=WeekForm.initial_of(log))
    saved = submitted(
        request,
        form,
        lambda: services.record_week(
            actor=request.user,
            enrolment=enrolment,
            week_start=week_start,
            daytime_hours=form.cleaned_data["daytime_hours"],
            ooh_hours=form.cleaned_data["ooh_hours"],
            activities=form.activities(),
        ),
    )
    if saved is not None:
        verb = "corrected" if log is not None else "logged"
        messages.success(request, f"Week beginning {week_start:%-d %B %Y} {verb}.")
        return redirect("timeaudit:enrolment-detail", pk=pk)
    weeks = {w.starts_on: w for w in selectors.weeks_of(enrolment)}
    context = {
        "form": form,
        "enrolment": enrolment,
        "week_start": week_start,
        "week_end": week_start + datetime.timedelta(days=6),
        "week": weeks.get(week_start),
        "log": log,
        "activity_errors": any(
            name in form.errors
            for name in form.fields
            if name not in ("daytime_hours", "ooh_hours")
        ),
        "history": history_for(log) if log is not None else [],
        "cancel_url": reverse("timeaudit:enrolment-detail", args=[pk]),
        "is_own": enrolment.practice_educator.person.user_id == request.user.pk,
    }
    return render(request, "timeaudit/log_week.html", context)
