"""The downloadable XLSX template of an import kind: a header row to fill in (with a drop-down
list on each column whose values come from a list), and a notes sheet saying what to write in
each column, with an example. The data sheet holds no example row, so a template filled in
and uploaded imports only what was written. Its cells are neutralised like every file Practica
writes (``core.formulas``)."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from practica.core.formulas import neutralise
from practica.imports.framework import Importer

CHOICES_SHEET = "Choices"


def template_workbook(importer: Importer) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = importer.kind[:31]
    _append(sheet, [column.name for column in importer.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("Notes")
    _append(notes, ["Column", "Required", "What to write", "Example"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in importer.columns:
        required = "yes" if column.required else "no"
        if column.keep_if_missing:
            required = "no (leave the column out to keep what is recorded)"
        _append(notes, [column.name, required, column.help, column.example])
    notes.append([])
    _append(notes, ["About", importer.description])
    _append(
        notes,
        [
            "Natural key",
            ", ".join(importer.natural_key) + " (re-importing the same rows changes nothing)",
        ],
    )
    _add_drop_downs(workbook, sheet, importer)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _add_drop_downs(workbook: Workbook, sheet: Any, importer: Importer) -> None:
    """A drop-down list on every column whose cell type has options, fed from a hidden sheet
    (a list written into the rule itself is limited to 255 characters and breaks on commas)."""
    listed = [
        (position, column)
        for position, column in enumerate(importer.columns, start=1)
        if column.cell.options
    ]
    if not listed:
        return
    choices = workbook.create_sheet(CHOICES_SHEET)
    choices.sheet_state = "hidden"
    last_row = settings.IMPORT_MAX_ROWS + 1
    for list_column, (position, column) in enumerate(listed, start=1):
        letter = get_column_letter(list_column)
        choices.cell(row=1, column=list_column, value=column.name)
        for row, option in enumerate(column.cell.options, start=2):
            choices.cell(row=row, column=list_column, value=neutralise(option))
        source = (
            f"{quote_sheetname(CHOICES_SHEET)}!${letter}$2:${letter}${len(column.cell.options) + 1}"
        )
        validation = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=True,
            # a warning, not a stop: the importer also takes each value's code (e.g. "ba"),
            # and checks every cell when the file is uploaded
            errorStyle="warning",
            errorTitle=f"Not in the list of {column.name} values",
            error="Practica also accepts each value's code. It checks every cell on upload.",
        )
        target = get_column_letter(position)
        validation.add(f"{target}2:{target}{last_row}")
        sheet.add_data_validation(validation)


def _append(sheet: Any, cells: list[str]) -> None:
    sheet.append([neutralise(cell) for cell in cells])
