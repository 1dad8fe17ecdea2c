"""Every record a partnership holds, written as the files its importers read back: one CSV per
kind in a ZIP, or one sheet per kind in a workbook, named after the kind, in dependency order.
So an export re-imports into an empty Practica with ``practica import FILE`` (no lock-in).

Every cell, in the CSVs and in the workbook, is neutralised as in every file Practica writes
(``core.formulas``): formula-like text gets a leading apostrophe, so no spreadsheet runs it,
and the import reader takes the apostrophe off again, so the export reads back exactly.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from openpyxl import Workbook

from practica.core.formulas import neutralise
from practica.imports.framework import Importer
from practica.imports.registry import all_importers

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer


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
        """The rows' cells under the header, neutralised (``core.formulas``)."""
        return [[neutralise(row.get(name) or "") for name in self.header] for row in self.rows]


class ExportRefusedError(Exception):
    """The export cannot be written as it would not re-import; every problem is listed."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def export_kinds(viewer: Viewer) -> list[ExportedKind]:
    """The rows of every import kind ``viewer`` may see, in dependency order; kinds with no
    rows are left out.

    Refuses, listing every one, when a kind cannot export its records yet.
    """
    problems: list[str] = []
    kinds: list[ExportedKind] = []
    for importer in all_importers():
        try:
            rows = importer.export_rows(viewer)
        except NotImplementedError as error:
            problems.append(str(error))
            continue
        if rows:
            kinds.append(ExportedKind(importer, rows))
    if problems:
        raise ExportRefusedError(problems)
    return kinds


def to_zip(kinds: list[ExportedKind]) -> bytes:
    """A ZIP with one UTF-8 CSV per kind (``teams.csv``), as ``practica import`` reads it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind in kinds:
            text = csv_text(kind.header, kind.table())
            archive.writestr(f"{kind.importer.kind}.csv", text.encode("utf-8-sig"))
    return buffer.getvalue()


def csv_text(header: list[str], table: list[list[str]]) -> str:
    """A CSV file's text as ``practica import`` reads it (cells already neutralised)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([neutralise(name) for name in header])
    writer.writerows(table)
    return text.getvalue()


def to_xlsx(kinds: list[ExportedKind]) -> bytes:
    """A workbook with one sheet per kind (named after it) and a notes sheet; every cell is
    neutralised text, so nothing in it is ever evaluated."""
    workbook = Workbook(write_only=True)
    for kind in kinds:
        sheet = workbook.create_sheet(kind.importer.kind[:31])
        sheet.append([neutralise(name) for name in kind.header])
        for cells in kind.table():
            sheet.append(cells)
    notes = workbook.create_sheet("Notes")
    for cells in (
        ["Exported from Practica", timezone.localtime().strftime("%d %B %Y %H:%M")],
        ["Re-import", "practica import THIS-FILE.xlsx (the Notes sheet is skipped)"],
        *([k.importer.kind, f"{len(k.rows)} rows – {k.importer.description}"] for k in kinds),
    ):
        notes.append([neutralise(cell) for cell in cells])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
