"""``/api/v1/reports/``: the reports the user may see, and each one's result in the same JSON
shape as ``practica report NAME --format json`` (``ReportResult.as_json()``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from practica.api.router import router
from practica.api.schema import AutoSchema
from practica.reports.registry import (
    STANDARD_FILTERS,
    Report,
    all_reports,
    get_report,
    parse_params,
    reports_visible_to,
    run_report,
)

COLUMN_TYPES = ["text", "integer", "number", "percent", "date"]


class ColumnSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    type = serializers.ChoiceField(choices=COLUMN_TYPES)


class ChoiceSerializer(serializers.Serializer[Any]):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label


class ExtraFilterSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    choices = ChoiceSerializer(many=True)


class ReportSummarySerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    filters = serializers.ListField(
        child=serializers.ChoiceField(choices=list(STANDARD_FILTERS)),
        help_text="The standard filters this report honours.",
    )
    extra_filters = ExtraFilterSerializer(many=True)
    columns = ColumnSerializer(many=True)
    url = serializers.CharField(help_text="Where this report's result is.")


class ReportResultSerializer(serializers.Serializer[Any]):
    """The fixed shape of docs/0005-reports.md; numbers are JSON numbers, dates ISO 8601."""

    report = serializers.CharField()
    filters = serializers.DictField(
        child=serializers.JSONField(), help_text="The filters in force."
    )
    columns = ColumnSerializer(many=True)
    rows = serializers.ListField(
        child=serializers.DictField(child=serializers.JSONField()),
        help_text="One object per row: column id → value.",
    )
    totals = serializers.DictField(child=serializers.JSONField(), help_text="Column id → total.")


class ReportQuery(serializers.Serializer[Any]):
    """Only the text hygiene of the query (length, no NUL characters); what the values mean is
    decided by the report registry's ``parse_params``, as for the page and the CLI."""

    organisation = serializers.ListField(
        child=serializers.CharField(max_length=12, allow_blank=True), required=False
    )
    year = serializers.CharField(required=False, allow_blank=True, max_length=20)
    service_area = serializers.CharField(required=False, allow_blank=True, max_length=40)


def summary(report: Report) -> dict[str, Any]:
    return {
        "name": report.name,
        "title": report.title,
        "description": report.description,
        "filters": list(report.filters),
        "extra_filters": [
            {
                "id": extra.id,
                "label": extra.label,
                "choices": [{"value": value, "label": label} for value, label in extra.choices],
            }
            for extra in report.extra_filters
        ],
        "columns": [{"id": c.id, "label": c.label, "type": c.type} for c in report.columns],
        "url": reverse("api:report-detail", args=[report.name]),
    }


class ReportSchema(AutoSchema):
    """The report names and filters are read from the registry when the schema is generated."""

    def get_override_parameters(self) -> list[Any]:
        parameters = super().get_override_parameters()
        if getattr(self.view, "action", None) != "retrieve":
            return parameters
        reports = all_reports()
        extras: dict[str, set[str]] = {}
        for report in reports:
            for extra in report.extra_filters:
                extras.setdefault(extra.id, set()).update(value for value, _ in extra.choices)
        return [
            *parameters,
            OpenApiParameter(
                "name",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=sorted(report.name for report in reports),
                description="The report's name (see the report list).",
            ),
            OpenApiParameter(
                "organisation",
                OpenApiTypes.STR,
                many=True,
                description="Organisation codes (repeat the parameter for several).",
            ),
            OpenApiParameter("year", OpenApiTypes.STR, description="Academic year, e.g. 2019/20."),
            OpenApiParameter(
                "service_area", OpenApiTypes.STR, description="Service area code, e.g. childrens."
            ),
            *(
                OpenApiParameter(key, OpenApiTypes.STR, enum=sorted(values))
                for key, values in sorted(extras.items())
            ),
        ]


class ReportViewSet(viewsets.ViewSet):
    """The reports you may see, and each one's result as on its page and from the CLI."""

    lookup_field = "name"
    lookup_value_converter = "slug"
    schema = ReportSchema()

    @extend_schema(responses=ReportSummarySerializer(many=True))
    def list(self, request: Request) -> Response:
        reports = reports_visible_to(request.user)
        if not reports:
            raise PermissionDenied("No report is available to you.")
        return Response([summary(report) for report in reports])

    @extend_schema(responses=ReportResultSerializer)
    def retrieve(self, request: Request, name: str) -> Response:
        try:
            report = get_report(name)
        except LookupError:
            raise Http404("There is no report with this name.") from None
        if not report.visible_to(request.user):
            raise PermissionDenied("This report is not available to you.")
        ReportQuery(data=request.query_params).is_valid(raise_exception=True)
        params = parse_params(report, request.query_params)
        return Response(run_report(report, request.user, params).as_json())


router.register("reports", ReportViewSet, basename="report")
