"""Reading an uploaded CSV or XLSX file into header + rows, refusing hostile files first.

Checks happen before any parsing that could be tricked: size, type by content (not by name),
for XLSX the number of zip entries and their unpacked size (zip bombs), then row count and
formulas (refused: Practica reads values only, and a formula's cached value may be stale or
absent). CSV is accepted as UTF-8 with or without BOM, or Windows-1252.

What is a formula: a formula cell of a workbook, and any cell whose text begins with "="
(after spaces). A cell beginning with + - or @ is read as the text it is: Practica never
evaluates a cell, such text is common data (a phone number +44…, a negative number -3, a team
called "-Duty team") and every file Practica writes neutralises it again. A cell that Practica
neutralised when writing it (an apostrophe before formula-like text, ``core.formulas``) reads
back as the text it was, "=" included.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings

from practica.core.formulas import restore

XLSX_MAGIC = b"PK\x03\x04"
# the container of Excel 97–2003 workbooks (.xls), which Practica does not read
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UnreadableFileError(Exception):
    """The whole file is refused; the message says why and what to do."""


@dataclass(frozen=True)
class Table:
    headers: list[str]  # as written in the file
    rows: list[
        tuple[int, list[str]]
    ]  # (row number in the spreadsheet, cell texts), blank rows left out
    formula_cells: list[tuple[int, int, str]]  # (row number, column index, formula) refused later


def limits() -> tuple[int, int, int, int]:
    return (
        getattr(settings, "IMPORT_MAX_BYTES", 5 * 1024 * 1024),
        getattr(settings, "IMPORT_MAX_ROWS", 20_000),
        getattr(settings, "IMPORT_MAX_UNPACKED_BYTES", 50 * 1024 * 1024),
        getattr(settings, "IMPORT_MAX_ZIP_ENTRIES", 200),
    )


def read_table(name: str, content: bytes) -> Table:
    """The file's header row and data rows; UnreadableFileError if it is not a safe spreadsheet."""
    max_bytes, max_rows, _unpacked, _entries = limits()
    if len(content) > max_bytes:
        raise UnreadableFileError(
            f"{name} is {len(content) / 1_048_576:.1f} MB; files over "
            f"{max_bytes / 1_048_576:.0f} MB are refused. Split it into smaller files."
        )
    if not content.strip():
        raise UnreadableFileError(f"{name} is empty.")
    if content.startswith(XLSX_MAGIC):
        table = _read_xlsx(name, content)
    elif content.startswith(OLE_MAGIC):
        raise UnreadableFileError(
            f"{name} is an old-style Excel file (.xls). Open it in Excel and save it as an "
            "Excel workbook (.xlsx) or as 'CSV UTF-8'."
        )
    elif name.lower().endswith((".xlsx", ".xlsm")):
        raise UnreadableFileError(
            f"{name} is named as an Excel workbook but is not one (it holds "
            f"{'text' if b'\x00' not in content else 'something else'}). Open it and save it "
            "as an Excel workbook (.xlsx), or name it .csv if it is a CSV file."
        )
    elif b"\x00" in content:
        raise UnreadableFileError(
            f"{name} is not a CSV or XLSX spreadsheet (or is a CSV saved as UTF-16). "
            "Save it as 'CSV UTF-8' or as an Excel workbook (.xlsx)."
        )
    else:
        table = _read_csv(name, content)
    if len(table.rows) > max_rows:
        raise UnreadableFileError(f"{name} has {len(table.rows)} rows; the limit is {max_rows}.")
    return table


def _decode(name: str, content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise UnreadableFileError(
            f"{name} is not in a text encoding Practica reads. Save it as 'CSV UTF-8'."
        ) from None


def _read_csv(name: str, content: bytes) -> Table:
    text = _decode(name, content)
    # The delimiter is the one the header row uses most (Excel in some locales writes ";");
    # quoting is always Excel's: csv.Sniffer guesses quoting wrongly on small files.
    header_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=header_line.count)
    try:
        records = [
            (number, [cell.strip() for cell in row])
            for number, row in enumerate(
                csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter), start=1
            )
            if any(cell.strip() for cell in row)
        ]
    except csv.Error as error:
        raise UnreadableFileError(f"{name} could not be read as CSV ({error}).") from None
    if not records:
        raise UnreadableFileError(f"{name} has no header row.")
    formulas = [
        (number, index, cell)
        for number, row in records[1:]
        for index, cell in enumerate(row)
        if is_formula(cell)
    ]
    rows = [(number, [restore(cell) for cell in row]) for number, row in records]
    return Table(rows[0][1], rows[1:], formulas)


def _read_xlsx(name: str, content: bytes) -> Table:
    _max_bytes, max_rows, max_unpacked, max_entries = limits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except zipfile.BadZipFile:
        raise UnreadableFileError(f"{name} looks like an Excel file but is damaged.") from None
    if len(entries) > max_entries:
        raise UnreadableFileError(
            f"{name} holds {len(entries)} parts; an Excel workbook this large is refused."
        )
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > max_unpacked:
        raise UnreadableFileError(
            f"{name} would unpack to {unpacked / 1_048_576:.0f} MB (limit "
            f"{max_unpacked / 1_048_576:.0f} MB); it is refused as a possible zip bomb."
        )
    if "xl/workbook.xml" not in archive.namelist():
        raise UnreadableFileError(f"{name} is a zip file, not an Excel workbook (.xlsx).")

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many types for malformed parts
        raise UnreadableFileError(
            f"{name} could not be read as an Excel workbook ({type(error).__name__})."
        ) from None
    sheet = workbook.worksheets[0]
    rows: list[tuple[int, list[str]]] = []
    formulas: list[tuple[int, int, str]] = []
    for number, row in enumerate(sheet.iter_rows(), start=1):
        cells = []
        has_formula = False
        for index, cell in enumerate(row):
            value = cell.value
            if cell.data_type == "f" or (isinstance(value, str) and is_formula(value)):
                formulas.append((number, index, str(value).strip()))
                has_formula, value = True, ""
            cells.append(restore(_text(value)))
        if any(cells) or has_formula:
            rows.append((number, cells))
        if len(rows) > max_rows + 1:
            break
    workbook.close()
    if not rows:
        raise UnreadableFileError(f"{name} has no header row on its first sheet.")
    return Table(rows[0][1], rows[1:], formulas)


def is_formula(text: str) -> bool:
    """Whether a cell's text is a formula, which imports refuse: it begins with "=" (after
    spaces). A neutralised cell ("'=…") is not one."""
    return text.lstrip().startswith("=")


def _text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and hasattr(value, "hour"):
        day = value.date()
        return str(day.isoformat())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
