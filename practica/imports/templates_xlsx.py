"""The downloadable XLSX template of an import kind: a header row and a notes sheet. Its cells
are neutralised like every file Practica writes (``core.formulas``)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from practica.core.formulas import neutralise
from practica.imports.framework import Importer


def template_workbook(importer: Importer) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = importer.kind[:31]
    _append(sheet, [column.name for column in importer.columns])
    _append(sheet, [column.example for column in importer.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    notes = workbook.create_sheet("Notes")
    _append(notes, ["Column", "Required", "What to write"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in importer.columns:
        required = "yes" if column.required else "no"
        if column.keep_if_missing:
            required = "no (leave the column out to keep what is recorded)"
        _append(notes, [column.name, required, column.help])
    notes.append([])
    _append(notes, ["About", importer.description])
    _append(
        notes,
        [
            "Natural key",
            ", ".join(importer.natural_key) + " (re-importing the same rows changes nothing)",
        ],
    )
    _append(notes, ["Second row", "An example: replace or delete it before importing."])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append(sheet: Any, cells: list[str]) -> None:
    sheet.append([neutralise(cell) for cell in cells])
