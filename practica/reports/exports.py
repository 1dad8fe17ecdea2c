"""CSV and XLSX downloads of a report result, safe to open in a spreadsheet.

Cells that a spreadsheet would run as a formula (starting with = + - @, tab, carriage return
or NUL) are made literal with a leading apostrophe, in CSV and XLSX alike, by the rule every file
Practica writes follows (``core.formulas``, SECURITY.md §7).

A CSV download starts with its header row (so a spreadsheet's pivot table or filter takes the
file as it is); the report's title, when it was made, the filters used and its description are
a second CSV, the notes (:func:`notes_to_csv`, "Download the notes (CSV)" on the page). XLSX
carries the same notes on its "Notes" sheet; its "Report" sheet has a bold, frozen header row,
column widths fitted to the contents and number formats (integers, percentages, dates).

Percentages: CSV writes "60.0%" (spreadsheets read it back as a percentage); XLSX stores the
fraction 0.6 with a percentage number format, so it displays as 60.0% and still adds up.

A download is streamed (:func:`attachment`): CSV goes out in chunks of rows as they are written,
XLSX is written to a temporary file and read out in blocks, so no whole file is held in memory
(issue 16: downloads at national scale). :data:`DOWNLOADS` is the one table of what each
``?download=`` key writes, for report pages, lists and questionnaire answers alike.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from practica.core.formulas import neutralise
from practica.reports.registry import Column, ReportResult

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# XLSX stores a percentage as its fraction (60.0% is 0.6) in this number format; CSV and pages
# show "60.0%"; JSON and the API keep the plain number (60.0).
PERCENT_FORMAT = "0.0%"
INTEGER_FORMAT = "#,##0"
DATE_FORMAT = "d mmm yyyy"
DATETIME_FORMAT = "d mmm yyyy hh:mm"
MIN_WIDTH, MAX_WIDTH = 8, 60
BOLD = Font(bold=True)


def filter_lines(result: ReportResult) -> list[tuple[str, str]]:
    lines = [
        ("Report", result.report.title),
        ("Generated", timezone.localtime().strftime("%d %B %Y %H:%M")),
    ]
    for key, value in result.params.as_filters(result.report).items():
        shown = ", ".join(value) if isinstance(value, list) else value
        lines.append((key.replace("_", " ").capitalize(), shown or "All"))
    return lines


def notes(result: ReportResult) -> list[tuple[str, str]]:
    """The lines of the notes: the filter lines, then the report's description."""
    return [*filter_lines(result), ("Description", result.report.description)]


CSV_ROWS_A_CHUNK = 1000
XLSX_BLOCK_BYTES = 256 * 1024


def csv_chunks(result: ReportResult) -> Iterator[bytes]:
    """The CSV in chunks of rows: the header row first (after the byte-order mark that tells a
    spreadsheet it is UTF-8), then the rows and the totals row; no notes above the header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([neutralise(column.label) for column in result.columns])
    for number, row in enumerate(result.shown_table(), start=1):
        writer.writerow([neutralise(value) for _column, value in row])
        if number % CSV_ROWS_A_CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    totals = result.shown_totals_row()
    if totals is not None:
        writer.writerow([neutralise(value) for _column, value in totals])
    yield buffer.getvalue().encode("utf-8")


def to_csv(result: ReportResult) -> bytes:
    """The whole CSV (the command line writes it to a file or prints it)."""
    return b"".join(csv_chunks(result))


def notes_chunks(result: ReportResult) -> Iterator[bytes]:
    yield notes_to_csv(result)  # a few lines: one chunk


def notes_to_csv(result: ReportResult) -> bytes:
    """The notes as their own CSV: a "Note, Value" header, then one line per note."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Note", "Value"])
    for label, value in notes(result):
        writer.writerow([neutralise(label), neutralise(value)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_chunks(result: ReportResult) -> Iterator[bytes]:
    """The workbook written to a temporary file, then read out in blocks."""
    with tempfile.TemporaryFile() as file:
        _write_xlsx(result, file)
        file.seek(0)
        while block := file.read(XLSX_BLOCK_BYTES):
            yield block


def to_xlsx(result: ReportResult) -> bytes:
    """The whole workbook (the command line writes it to a file)."""
    buffer = io.BytesIO()
    _write_xlsx(result, buffer)
    return buffer.getvalue()


def _write_xlsx(result: ReportResult, file: Any) -> None:
    """A write-only workbook: each row is written as it comes, in time and memory that grow
    with the rows (reading the sheet back after every append made 8,000 rows take 15 s).
    Widths and the frozen header are set before the first row, as write-only sheets need."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Report")
    columns = result.columns
    for index, width in enumerate(_widths(result), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_header(sheet, column.label) for column in columns])
    for row in result.table():
        _append(sheet, row, columns)
    totals = result.totals_row()
    if totals is not None:
        _append(sheet, ["Total", *totals[1:]], columns)
    notes_sheet = workbook.create_sheet("Notes")
    notes_sheet.column_dimensions["A"].width = 16
    notes_sheet.column_dimensions["B"].width = 80
    for label, value in notes(result):
        notes_sheet.append([_header(notes_sheet, label), _cell(notes_sheet, value)])
    workbook.save(file)


@dataclass(frozen=True)
class Download:
    content_type: str
    ending: str  # of the file's name, after its stem
    chunks: Callable[[ReportResult], Iterator[bytes]]


# ?download=KEY: what each key writes (lists offer "csv" and "xlsx"; reports also the notes)
DOWNLOADS = {
    "csv": Download("text/csv; charset=utf-8", ".csv", csv_chunks),
    "notes-csv": Download("text/csv; charset=utf-8", "-notes.csv", notes_chunks),
    "xlsx": Download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", xlsx_chunks
    ),
}


def attachment(result: ReportResult, key: str, stem: str) -> StreamingHttpResponse:
    """The download ``key`` of ``result``, streamed, as an attachment named ``stem`` and the
    key's ending (the caller has checked the key and recorded the download)."""
    download = DOWNLOADS[key]
    response = StreamingHttpResponse(download.chunks(result), content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}{download.ending}"'
    return response


def _widths(result: ReportResult) -> list[float]:
    """Each column as wide as its longest shown value or heading, within bounds: one pass."""
    longest = [len(column.label) for column in result.columns]
    rows = result.shown_table()
    totals = result.shown_totals_row()
    for row in [*rows, *([totals] if totals is not None else [])]:
        for index, (_column, value) in enumerate(row):
            if value is not None:
                longest[index] = max(longest[index], len(str(value)))
    return [float(min(MAX_WIDTH, max(MIN_WIDTH, length + 2))) for length in longest]


def _header(sheet: WriteOnlyWorksheet, label: str) -> Any:
    cell = WriteOnlyCell(sheet, value=neutralise(label))
    cell.data_type = "s"
    cell.font = BOLD
    return cell


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
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif kind == "integer" and isinstance(value, int):
        cell.number_format = INTEGER_FORMAT
    return cell


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
    return neutralise(value)
