"""Every record a partnership holds, written as the files its importers read back: one CSV per
kind in a ZIP, or one sheet per kind in a workbook, named after the kind, in dependency order.
So an export re-imports into an empty Practica with ``practica import FILE`` (no lock-in).

The cells are data for re-import, so they are written as they are, never with the apostrophe
that report downloads add to formula-like text. That is safe and exact in the workbook, whose
text cells a spreadsheet never evaluates. One thing cannot round-trip: a value starting with
"=" is what every importer refuses as a formula (it reads values only), so the export refuses
it too, naming the kind, row and column to change. The CSV files are for re-import: open the
workbook rather than a CSV in a spreadsheet, which may evaluate a cell starting with + - or @.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from openpyxl import Workbook

from practica.imports.framework import Importer
from practica.imports.registry import all_importers

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

FORMULA_START = "="


@dataclass(frozen=True)
class ExportedKind:
    importer: Importer
    rows: list[dict[str, str]]

    @property
    def header(self) -> list[str]:
        """The importer's exported columns (one that cannot be read back from a record, such
        as the register's activities, is left out: it is ``keep_if_missing``)."""
        return [column.name for column in self.importer.columns if column.exported]

    def table(self) -> list[list[str]]:
        return [[row.get(name) or "" for name in self.header] for row in self.rows]


class ExportRefusedError(Exception):
    """The export cannot be written as it would not re-import; every problem is listed."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def export_kinds(viewer: Viewer) -> list[ExportedKind]:
    """The rows of every import kind ``viewer`` may see, in dependency order; kinds with no
    rows are left out.

    Refuses, listing every problem, when a kind cannot export its records yet and when a value
    starts with "=" (which importers refuse as a formula).
    """
    problems: list[str] = []
    kinds: list[ExportedKind] = []
    for importer in all_importers():
        try:
            rows = importer.export_rows(viewer)
        except NotImplementedError as error:
            problems.append(str(error))
            continue
        kind = ExportedKind(importer, rows)
        for number, cells in enumerate(kind.table(), start=2):  # row 1 is the header
            for name, value in zip(kind.header, cells, strict=True):
                if value.startswith(FORMULA_START):
                    problems.append(
                        f"{importer.kind}, row {number}, column {name}: “{value[:40]}” starts "
                        "with “=”, which importers refuse as a formula; change it in Practica "
                        "and export again."
                    )
        if rows:
            kinds.append(kind)
    if problems:
        raise ExportRefusedError(problems)
    return kinds


def to_zip(kinds: list[ExportedKind]) -> bytes:
    """A ZIP with one UTF-8 CSV per kind (``teams.csv``), as ``practica import`` reads it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind in kinds:
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(kind.header)
            writer.writerows(kind.table())
            archive.writestr(f"{kind.importer.kind}.csv", text.getvalue().encode("utf-8-sig"))
    return buffer.getvalue()


def to_xlsx(kinds: list[ExportedKind]) -> bytes:
    """A workbook with one sheet per kind (named after it) and a notes sheet; every cell is
    text, so nothing in it is ever evaluated."""
    workbook = Workbook(write_only=True)
    for kind in kinds:
        sheet = workbook.create_sheet(kind.importer.kind[:31])
        sheet.append(kind.header)
        for cells in kind.table():
            sheet.append(cells)
    notes = workbook.create_sheet("Notes")
    notes.append(["Exported from Practica", timezone.localtime().strftime("%d %B %Y %H:%M")])
    notes.append(["Re-import", "practica import THIS-FILE.xlsx (the Notes sheet is skipped)"])
    for kind in kinds:
        notes.append([kind.importer.kind, f"{len(kind.rows)} rows – {kind.importer.description}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
