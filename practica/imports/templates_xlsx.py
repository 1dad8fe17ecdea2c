"""The downloadable XLSX template of an import kind: a header row and a notes sheet."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from practica.imports.framework import Importer


def template_workbook(importer: Importer) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = importer.kind[:31]
    sheet.append([column.name for column in importer.columns])
    sheet.append([column.example for column in importer.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    notes = workbook.create_sheet("Notes")
    notes.append(["Column", "Required", "What to write"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in importer.columns:
        required = "yes" if column.required else "no"
        if column.keep_if_missing:
            required = "no (leave the column out to keep what is recorded)"
        notes.append([column.name, required, column.help])
    notes.append([])
    notes.append(["About", importer.description])
    notes.append(
        [
            "Natural key",
            ", ".join(importer.natural_key) + " (re-importing the same rows changes nothing)",
        ]
    )
    notes.append(["Second row", "An example: replace or delete it before importing."])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
