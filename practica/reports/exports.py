"""CSV and XLSX downloads of a report result, safe to open in a spreadsheet.

Cells that a spreadsheet would run as a formula (starting with = + - @, tab, carriage return
or NUL) are made literal with a leading apostrophe, in CSV and XLSX alike, by the rule every file
Practica writes follows (``core.formulas``, SECURITY.md §7). Both
formats carry the filters used: CSV in leading comment-free header lines, XLSX on a notes sheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from practica.core.formulas import neutralise
from practica.reports.registry import ReportResult

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet


def filter_lines(result: ReportResult) -> list[tuple[str, str]]:
    lines = [
        ("Report", result.report.title),
        ("Generated", timezone.localtime().strftime("%d %B %Y %H:%M")),
    ]
    for key, value in result.params.as_filters(result.report).items():
        shown = ", ".join(value) if isinstance(value, list) else value
        lines.append((key.replace("_", " ").capitalize(), shown or "All"))
    return lines


def to_csv(result: ReportResult) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for label, value in filter_lines(result):
        writer.writerow([neutralise(label), neutralise(value)])
    writer.writerow([])
    writer.writerow([neutralise(column.label) for column in result.columns])
    for row in result.table():
        writer.writerow([neutralise(value) for value in row])
    totals = result.totals_row()
    if totals is not None:
        writer.writerow([neutralise(value) for value in ["Total", *totals[1:]]])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(result: ReportResult) -> bytes:
    """A write-only workbook: each row is written as it comes, in time and memory that grow
    with the rows (reading the sheet back after every append made 8,000 rows take 15 s)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Report")
    _append(sheet, [column.label for column in result.columns])
    for row in result.table():
        _append(sheet, row)
    totals = result.totals_row()
    if totals is not None:
        _append(sheet, ["Total", *totals[1:]])
    notes = workbook.create_sheet("Notes")
    for label, value in filter_lines(result):
        _append(notes, [label, value])
    _append(notes, ["Description", result.report.description])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append(sheet: WriteOnlyWorksheet, values: Iterable[Any]) -> None:
    """Appends a row whose text cells are always stored as strings, never as formulas."""
    sheet.append([_cell(sheet, value) for value in values])


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    value = _plain(value)
    if value is None:
        return None  # an empty cell, as before
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(cell.value, str):
        cell.data_type = "s"  # openpyxl would otherwise store a leading "=" as a formula
    return cell


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
    return neutralise(value)
