"""The report registry: each report is a named, documented query over raw records.

A report never reads a stored total: its rows are computed from the records each time, starting
from ``visible_to(viewer)``, and its totals from its rows. Pages, downloads, the CLI and the API
all go through :func:`run_report`, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from django.core.exceptions import ValidationError
from django.db import models

from practica.accounts import permissions
from practica.core.academic_years import format_academic_year, parse_academic_year
from practica.core.models import Organisation

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

# run the reports about an organisation's records (organisations/rules.py says who)
RUN_REPORTS = "run_reports"
ColumnType = Literal["text", "integer", "number", "percent", "date"]
STANDARD_FILTERS = ("organisation", "year", "service_area")


def share(part: int, whole: int) -> Decimal | None:
    """``part`` as a percentage of ``whole`` to one decimal place; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    type: ColumnType = "text"
    total: Literal["sum"] | None = None

    @property
    def numeric(self) -> bool:
        """Whether the column holds numbers (right-aligned on pages, numbers in spreadsheets)."""
        return self.type in {"integer", "number", "percent"}

    def shown(self, value: Any) -> Any:
        """The value as people read it on pages and in CSV: a percentage carries its % sign
        ("60.0%"); anything else is unchanged. JSON and the API keep the plain number."""
        if self.type == "percent" and value is not None and value != "":
            return f"{value}%"
        return value


@dataclass(frozen=True)
class Chart:
    kind: Literal["bar", "line", "pie"]
    label: str  # the column whose values label the x axis
    values: tuple[str, ...]  # the columns plotted
    stacked: bool = False


@dataclass(frozen=True)
class ExtraFilter:
    """A report-specific filter: a GET parameter with fixed choices."""

    id: str
    label: str
    choices: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ReportParams:
    organisations: tuple[str, ...] = ()  # organisation codes; empty means every visible one
    year: int | None = None  # start year of the academic year (2019 for 2019/20)
    service_area: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def as_filters(self, report: Report) -> dict[str, Any]:
        """The filters in force, as they appear in the JSON ``filters`` and export notes."""
        shown: dict[str, Any] = {}
        if "organisation" in report.filters:
            shown["organisation"] = list(self.organisations)
        if "year" in report.filters:
            shown["year"] = format_academic_year(self.year) if self.year is not None else None
        if "service_area" in report.filters:
            shown["service_area"] = self.service_area
        for extra in report.extra_filters:
            shown[extra.id] = self.extra.get(extra.id)
        return shown


class Report:
    """Subclass, set the class attributes, implement :meth:`rows`, decorate with
    :func:`register_report`."""

    name: ClassVar[str]
    title: ClassVar[str]
    description: ClassVar[str]
    columns: ClassVar[list[Column]]
    filters: ClassVar[tuple[str, ...]] = ("organisation", "year")
    extra_filters: ClassVar[list[ExtraFilter]] = []
    chart: ClassVar[Chart | None] = None
    # who may run it: whoever holds this ability on this model somewhere (the rules say who)
    requires: ClassVar[tuple[str, type[models.Model]]] = (RUN_REPORTS, Organisation)

    def rows(self, viewer: Viewer, params: ReportParams) -> list[dict[str, Any]]:
        raise NotImplementedError

    def totals(
        self, rows: list[dict[str, Any]], viewer: Viewer, params: ReportParams
    ) -> dict[str, Any]:
        """Sums of the columns marked ``total="sum"``; override to recompute shares."""
        return {
            column.id: sum((row.get(column.id) or 0) for row in rows)
            for column in self.columns
            if column.total == "sum"
        }

    def visible_to(self, viewer: Viewer) -> bool:
        ability, model = self.requires
        return permissions.can_in(viewer, ability, model)


_REGISTRY: dict[str, Report] = {}


def register_report[R: type[Report]](cls: R) -> R:
    """Class decorator: adds one instance of the report to the registry (name must be unique)."""
    unknown = set(cls.filters) - set(STANDARD_FILTERS)
    if unknown:
        raise ValueError(f"{cls.__name__} names unknown standard filters {sorted(unknown)}")
    existing = _REGISTRY.get(cls.name)
    if existing is not None and type(existing) is not cls:
        raise ValueError(f"Two reports are named {cls.name!r}")
    _REGISTRY[cls.name] = cls()
    return cls


def all_reports() -> list[Report]:
    return sorted(_REGISTRY.values(), key=lambda report: report.title)


def reports_visible_to(viewer: Viewer) -> list[Report]:
    return [report for report in all_reports() if report.visible_to(viewer)]


def get_report(name: str) -> Report:
    """The registered report called ``name``; a LookupError names the ones that exist."""
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise LookupError(
            f"There is no report called {name!r}; the reports are: {known}."
        ) from None


@dataclass(frozen=True)
class ReportResult:
    report: Report
    params: ReportParams
    rows: list[dict[str, Any]]
    totals: dict[str, Any]

    @property
    def columns(self) -> list[Column]:
        return self.report.columns

    def as_json(self) -> dict[str, Any]:
        """The fixed JSON shape shared by the CLI and the API; numbers as JSON numbers."""
        return {
            "report": self.report.name,
            "filters": self.params.as_filters(self.report),
            "columns": [{"id": c.id, "label": c.label, "type": c.type} for c in self.columns],
            "rows": [{c.id: _json_value(row.get(c.id)) for c in self.columns} for row in self.rows],
            "totals": {key: _json_value(value) for key, value in self.totals.items()},
        }

    def table(self) -> list[list[Any]]:
        """Rows as lists in column order (pages and exports)."""
        return [[row.get(column.id) for column in self.columns] for row in self.rows]

    def totals_row(self) -> list[Any] | None:
        if not self.totals:
            return None
        return [self.totals.get(column.id, "") for column in self.columns]

    def shown_table(self) -> list[list[tuple[Column, Any]]]:
        """Rows of (column, value as people read it) pairs, for pages and CSV."""
        return [
            [(column, column.shown(value)) for column, value in zip(self.columns, row, strict=True)]
            for row in self.table()
        ]

    def shown_totals_row(self) -> list[tuple[Column, Any]] | None:
        """The totals row as (column, value as people read it) pairs; None without totals."""
        totals = self.totals_row()
        if totals is None:
            return None
        return [
            (column, column.shown(value))
            for column, value in zip(self.columns, ["Total", *totals[1:]], strict=True)
        ]


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def run_report(report: Report, viewer: Viewer, params: ReportParams) -> ReportResult:
    """Computes the report for ``viewer``; refuses viewers the report is not for."""
    if not report.visible_to(viewer):
        raise PermissionError(f"The report {report.name!r} is not available to you.")
    rows = report.rows(viewer, params)
    return ReportResult(report, params, rows, report.totals(rows, viewer, params))


def parse_params(report: Report, data: Any) -> ReportParams:
    """ReportParams from a QueryDict-like mapping (GET parameters, CLI options, API query).

    Refuses a malformed academic year or an unknown choice with a ValidationError naming the
    parameter.
    """

    def values(key: str) -> list[str]:
        if hasattr(data, "getlist"):
            return [v for v in data.getlist(key) if v]
        value = data.get(key)
        if value is None:
            return []
        return [v for v in (value if isinstance(value, list | tuple) else [value]) if v]

    errors: dict[str, str] = {}
    for standard in STANDARD_FILTERS:
        if values(standard) and standard not in report.filters:
            errors[standard] = (
                f"The report {report.name} has no {standard.replace('_', ' ')} filter."
            )
    year = None
    year_text = (values("year") or [""])[0].strip()
    if year_text and "year" in report.filters:
        try:
            year = parse_academic_year(year_text)
        except ValidationError as error:
            errors["year"] = error.messages[0]
    organisations = (
        tuple(code.strip().upper() for code in values("organisation"))
        if "organisation" in report.filters
        else ()
    )
    service_area = (
        ((values("service_area") or [""])[0].strip() or None)
        if "service_area" in report.filters
        else None
    )
    extra = {}
    for extra_filter in report.extra_filters:
        chosen = (values(extra_filter.id) or [""])[0].strip()
        if chosen:
            if chosen not in {value for value, _label in extra_filter.choices}:
                allowed = ", ".join(value for value, _ in extra_filter.choices)
                errors[extra_filter.id] = f"“{chosen}” is not one of: {allowed}."
            else:
                extra[extra_filter.id] = chosen
    if errors:
        raise ValidationError(errors)
    return ReportParams(
        organisations=organisations, year=year, service_area=service_area, extra=extra
    )
