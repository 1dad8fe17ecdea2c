"""The reports page, each report's page (filters, chart, table) and its downloads."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.text import slugify

from practica.accounts.models import AuthenticatedRequest
from practica.core import audit_log
from practica.core.academic_years import format_academic_year
from practica.core.models import AuditAction
from practica.core.selectors import academic_years, service_areas
from practica.reports import exports, selectors
from practica.reports.registry import (
    ReportParams,
    get_report,
    parse_params,
    reports_visible_to,
    run_report,
)


@login_required
def report_list(request: AuthenticatedRequest) -> HttpResponse:
    reports = reports_visible_to(request.user)
    if not reports:
        raise PermissionDenied
    return render(request, "reports/report_list.html", {"reports": reports})


@login_required
def report_detail(request: AuthenticatedRequest, name: str) -> HttpResponseBase:
    try:
        report = get_report(name)
    except LookupError:
        raise Http404("No such report") from None
    if not report.visible_to(request.user):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    try:
        params = parse_params(report, request.GET)
    except ValidationError as error:
        errors = error.message_dict
        params = ReportParams()
    result = run_report(report, request.user, params)
    download = request.GET.get("download")
    if download in exports.DOWNLOADS and not errors:
        audit_log.record(
            user=request.user,
            action=AuditAction.REPORT_DOWNLOAD,
            what=f"{report.title} ({download}{_described(params)})",
            request=request,
        )
        return exports.attachment(result, download, _filename(report.name, params))
    context: dict[str, Any] = {
        "report": report,
        "result": result,
        "errors": errors,
        "params": params,
        "organisations": selectors.organisations_to_filter_by(request.user),
        "years": academic_years(),
        "service_areas": service_areas(),
        "chart_data": _chart_data(result) if report.chart else None,
        "query": request.GET.urlencode(),
    }
    return render(request, "reports/report_detail.html", context)


def _described(params: ReportParams) -> str:
    parts = [*params.organisations]
    if params.year is not None:
        parts.append(format_academic_year(params.year))
    return f"; {', '.join(parts)}" if parts else ""


def _filename(name: str, params: ReportParams) -> str:
    parts = [name, *params.organisations]
    if params.year is not None:
        parts.append(format_academic_year(params.year).replace("/", "-"))
    return slugify("-".join(parts))


def _chart_data(result: Any) -> dict[str, Any]:
    chart = result.report.chart
    labels_by_id = {column.id: column.label for column in result.columns}
    return {
        "kind": chart.kind,
        "stacked": chart.stacked,
        "labels": [str(row.get(chart.label, "")) for row in result.rows],
        "datasets": [
            {"label": labels_by_id[value], "data": [row.get(value) or 0 for row in result.rows]}
            for value in chart.values
        ],
    }
