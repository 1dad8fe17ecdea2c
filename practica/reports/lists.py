"""Every list page downloads as CSV and XLSX with its current filters, through the writers the
reports use (``reports.exports``: the header row first, formula-like cells made literal, XLSX
with a bold frozen header, widths, number formats and a notes sheet listing the filters).

A list page declares its columns once (:class:`ListDownload`) and, before rendering, asks
:func:`download_response` whether the request is for a file (``?download=csv`` or ``xlsx``):
the rows are the list's own rows (already scoped by its selector, filtered and sorted as on
the page, every page of them), so a download never holds a row the page would not show.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify

from practica.core import audit_log
from practica.core.models import AuditAction
from practica.reports import exports
from practica.reports.registry import (
    Column,
    ColumnType,
    ExtraFilter,
    Report,
    ReportParams,
    ReportResult,
)

FORMATS = ("csv", "xlsx")  # of exports.DOWNLOADS


@dataclass(frozen=True)
class ListColumn:
    label: str
    value: Callable[[Any], Any]  # the cell for one row of the list
    type: ColumnType = "text"


@dataclass(frozen=True)
class ListDownload:
    """What a list's download holds: its file name, title and columns."""

    name: str  # the file name's stem, e.g. "practice-educators"
    title: str
    columns: list[ListColumn]
    description: str = ""
    formats: tuple[str, ...] = field(default=("csv", "xlsx"))

    def result(self, rows: Iterable[Any], filters: Mapping[str, str]) -> ReportResult:
        """The rows as a report result, so the reports' writers write them."""
        columns = [
            Column(f"c{index}", column.label, column.type)
            for index, column in enumerate(self.columns)
        ]
        used = {label: value for label, value in filters.items() if value}
        report = type(
            "ListReport",
            (Report,),
            {
                "name": self.name,
                "title": self.title,
                "description": self.description or f"{self.title}, as listed in Practica.",
                "columns": columns,
                "filters": (),
                "extra_filters": [ExtraFilter(label, label, ()) for label in used],
            },
        )()
        table = [
            {
                column.id: _cell(spec.value(row))
                for column, spec in zip(columns, self.columns, strict=True)
            }
            for row in rows
        ]
        return ReportResult(report, ReportParams(extra=used), table, {})


def _cell(value: Any) -> Any:
    """A cell as the writers take it: a date-time in local time to the minute, without its
    time zone (a spreadsheet reads "2026-12-21 14:00:00" as a date and time)."""
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.replace(tzinfo=None, second=0, microsecond=0)
    if value is None or isinstance(value, int | float | datetime.date):
        return value
    return str(value)


def requested_format(request: HttpRequest) -> str | None:
    wanted = request.GET.get("download", "")
    return wanted if wanted in FORMATS else None


def download_response(
    request: HttpRequest,
    spec: ListDownload,
    rows: Iterable[Any],
    filters: Mapping[str, str] | None = None,
) -> StreamingHttpResponse | None:
    """The file when the request asks for one (``?download=csv|xlsx``), else None.

    ``filters`` maps each filter's label to the value in force; they go into the notes.
    """
    wanted = requested_format(request)
    if wanted is None or wanted not in spec.formats:
        return None
    used = [label for label, value in (filters or {}).items() if value]
    audit_log.record(  # the filters by name only: a search's words may name a person
        user=request.user if request.user.is_authenticated else None,
        action=AuditAction.EXPORT,
        what=f"{spec.title} ({wanted}{'; filtered by ' + ', '.join(used) if used else ''})",
        request=request,
    )
    stem = slugify(f"{spec.name}-{timezone.localdate():%Y-%m-%d}")
    return exports.attachment(spec.result(rows, filters or {}), wanted, stem)


def download_links(request: HttpRequest) -> list[tuple[str, str]]:
    """The links to this list's downloads, keeping its filters and sort (not its page)."""
    links = []
    for key, label in (("csv", "Download as CSV"), ("xlsx", "Download as XLSX")):
        params = request.GET.copy()
        params.pop("page", None)
        params["download"] = key
        links.append((label, f"?{params.urlencode()}"))
    return links
