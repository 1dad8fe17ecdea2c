"""CSV and XLSX downloads of a report result, safe to open in a spreadsheet.

Cells that a spreadsheet would run as a formula (starting with = + - @, tab, carriage return
or NUL) are made literal with a leading apostrophe, in CSV and XLSX alike, by the rule every file
Practica writes follows (``core.formulas``, SECURITY.md §7). Both
formats carry the filters used: CSV in leading comment-free header lines, XLSX on a notes sheet.

Percentages: CSV writes "60.0%" (spreadsheets read it back as a percentage); XLSX stores the
fraction 0.6 with a percentage number format, so it displays as 60.0% and still adds up.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from practica.core.formulas import neutralise
from practica.reports.registry import Column, ReportResult

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# XLSX stores a percentage as its fraction (60.0% is 0.6) in this number format; CSV and pages
# show "60.0%"; JSON and the API keep the plain number (60.0).
PERCENT_FORMAT = "0.0%"


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
    for row in result.shown_table():
        writer.writerow([neutralise(value) for _column, value in row])
    totals = result.shown_totals_row()
    if totals is not None:
        writer.writerow([neutralise(value) for _column, value in totals])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(result: ReportResult) -> bytes:
    """A write-only workbook: each row is written as it comes, in time and memory that grow
    with the rows (reading the sheet back after every append made 8,000 rows take 15 s)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Report")
    columns = result.columns
    _append(sheet, [column.label for column in columns])
    for row in result.table():
        _append(sheet, row, columns)
    totals = result.totals_row()
    if totals is not None:
        _append(sheet, ["Total", *totals[1:]], columns)
    notes = workbook.create_sheet("Notes")
    for label, value in filter_lines(result):
        _append(notes, [label, value])
    _append(notes, ["Description", result.report.description])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append(
    sheet: WriteOnlyWorksheet, values: Iterable[Any], columns: Sequence[Column] = ()
) -> None:
    """Appends a row whose text cells are always stored as strings, never as formulas; with
    ``columns``, numbers carry their column's number format."""
    cells = list(values)
    kinds = [column.type for column in columns] or ["text"] * len(cells)
    sheet.append([_cell(sheet, value, kind) for value, kind in zip(cells, kinds, strict=True)])


def _cell(sheet: WriteOnlyWorksheet, value: Any, kind: str = "text") -> Any:
    value = _plain(value)
    if value is None or value == "":
        return None  # an empty cell, as before
    if kind == "percent" and isinstance(value, int | float | Decimal):
        # a real percentage: the fraction (0.6) shown as 60.0%, so sums and pivots work
        cell = WriteOnlyCell(sheet, value=float(Decimal(str(value)) / 100))
        cell.number_format = PERCENT_FORMAT
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(cell.value, str):
        cell.data_type = "s"  # openpyxl would otherwise store a leading "=" as a formula
    return cell


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
    return neutralise(value)
