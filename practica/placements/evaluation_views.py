"""Pages for placement evaluations (docs/0031-placement-evaluation.md): the collation of the
evaluations of the placements a viewer reads, with the student–educator comparison, downloads
and sending for a year; and one placement's page (who was asked, sending and reminding, and the
viewer's own answers). Thin: parse, fetch through the scope, call one service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render

from practica.accounts import permissions
from practica.accounts.models import AuthenticatedRequest
from practica.accounts.permissions import requires_ability
from practica.core.academic_years import format_academic_year, parse_academic_year
from practica.placements import evaluation
from practica.placements.models import Placement, PlacementStatus
from practica.placements.rules import EVALUATE, READ_EVALUATIONS
from practica.questionnaires import exports
from practica.questionnaires import selectors as questionnaire_selectors

VERSION_LABELS = {
    evaluation.STUDENT: "Students' answers",
    evaluation.EDUCATOR: "Educators' answers",
}


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


def _year(text: str, errors: dict[str, str], field: str = "year") -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        return parse_academic_year(text)
    except ValidationError as error:
        errors[field] = error.messages[0]
        return None


@login_required
@requires_ability(READ_EVALUATIONS, Placement)
def evaluations(request: AuthenticatedRequest) -> HttpResponseBase:
    if request.method == "POST":
        return _send_or_remind(request)
    readable = evaluation.readable_placements(request.user)
    errors: dict[str, str] = {}
    year = _year(request.GET.get("year", ""), errors)
    offered = [(f, f.choices(readable)) for f in evaluation.FILTERS]
    picked = tuple(
        (f.id, request.GET[f.id])
        for f, choices in offered
        if request.GET.get(f.id) in {value for value, _label in choices}
    )
    chosen = evaluation.Chosen(year=year, values=picked)
    placements = chosen.apply(readable)
    membership = request.membership
    assert membership is not None  # requires_ability: the user acts in an organisation
    versions = evaluation.versions_for(membership.organisation.partnership_id)
    who = request.GET.get("version", evaluation.STUDENT)
    if who not in versions:
        who = evaluation.STUDENT
    version = versions.get(who)
    filters = evaluation.response_filters(placements)
    download = request.GET.get("download", "")
    if version is not None and download in exports.FORMATS and not errors:
        labels = {f.id: (f.label, dict(choices)) for f, choices in offered}
        shown = [("Placements' academic year", format_academic_year(year))] if year else []
        shown += [(labels[i][0], labels[i][1].get(v, v)) for i, v in picked]
        return exports.download_response(
            request,
            version,
            filters,
            raw=request.GET.get("answers") == "raw",
            file_format=download,
            shown_filters=shown,
            name=f"placement-evaluation-{who}",
        )
    sendable = evaluation.sendable_placements(request.user)
    context: dict[str, Any] = {
        "errors": errors,
        "year": year,
        "year_label": format_academic_year(year) if year is not None else "",
        "years": _years(readable),
        "filters": [
            {"id": f.id, "label": f.label, "choices": choices, "chosen": request.GET.get(f.id, "")}
            for f, choices in offered
        ],
        "versions": [
            (key, VERSION_LABELS[key]) for key in (evaluation.STUDENT, evaluation.EDUCATOR)
        ],
        "who": who,
        "version": version,
        "collation": questionnaire_selectors.collate(version, filters) if version else None,
        "comparison": evaluation.compare(placements, versions),
        "query": request.GET.urlencode(),
        "can_send": sendable.exists(),
        "send_years": _years(sendable.filter(status=PlacementStatus.COMPLETED)),
        "placements": (
            evaluation.placements_with_status(
                placements.filter(status__in=evaluation.EVALUATED_STATUSES)
            )
            if year is not None
            else None
        ),
    }
    return render(request, "placements/evaluations.html", context)


def _years(placements: Any) -> list[str]:
    starts = sorted(
        set(placements.values_list("academic_year__start_year", flat=True)), reverse=True
    )
    return [format_academic_year(start) for start in starts]


def _send_or_remind(request: AuthenticatedRequest) -> HttpResponse:
    """Sends the evaluation for every completed placement of the chosen year that the user may
    send for, or reminds everyone asked about them who has not answered."""
    errors: dict[str, str] = {}
    year = _year(request.POST.get("send-year", ""), errors, "send-year")
    if year is None:
        messages.error(request, errors.get("send-year", "Choose an academic year."))
        return redirect("placements:evaluations")
    placements = evaluation.completed_in_year(request.user, year)
    label = format_academic_year(year)
    try:
        if request.POST.get("action") == "remind":
            reminded = evaluation.remind_evaluations(
                actor=request.user, placements=placements, base_url=_base_url(request)
            )
            messages.success(request, f"A reminder is being e-mailed to {_people(reminded)}.")
        else:
            sent = evaluation.send_evaluations(
                actor=request.user,
                placements=list(placements),
                base_url=_base_url(request),
            )
            _report_sent(request, sent, f"the completed placements of {label}")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{request.path}?year={label}")


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def _report_sent(request: HttpRequest, sent: evaluation.Sent, what: str) -> None:
    messages.success(
        request, f"The evaluation of {what} is being e-mailed to {_people(sent.asked)}."
    )
    for skipped in sent.skipped:
        messages.warning(request, skipped)


@login_required
def placement_evaluation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One placement's evaluation: coordinators see who was asked and whether they answered
    (never what), and send or remind; each respondent sees their own answers."""
    placement = evaluation.placement_for(request.user, pk)
    can_send = permissions.can(request.user, EVALUATE, placement)
    can_follow = can_send or permissions.can(request.user, READ_EVALUATIONS, placement)
    if request.method == "POST":
        if not can_send:
            raise PermissionDenied
        try:
            if request.POST.get("action") == "remind":
                reminded = evaluation.remind_evaluations(
                    actor=request.user,
                    placements=evaluation.sendable_placements(request.user).filter(pk=placement.pk),
                    base_url=_base_url(request),
                )
                messages.success(request, f"A reminder is being e-mailed to {_people(reminded)}.")
            else:
                sent = evaluation.send_evaluations(
                    actor=request.user, placements=[placement], base_url=_base_url(request)
                )
                _report_sent(request, sent, "this placement")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("placements:evaluation", pk=placement.pk)
    context = {
        "placement": placement,
        "can_send": can_send and placement.status in evaluation.EVALUATED_STATUSES,
        "asked": evaluation.asked_about(placement) if can_follow else [],
        "can_follow": can_follow,
        "own": evaluation.own_responses(request.user, placement),
    }
    return render(request, "placements/placement_evaluation.html", context)
