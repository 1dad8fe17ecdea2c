"""An import kind's XLSX template is neutralised like every file Practica writes."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from practica.core.formulas import is_formula_like
from practica.imports import parsers as p
from practica.imports.framework import Column, Importer
from practica.imports.templates_xlsx import template_workbook


class Hostile(Importer):
    kind = "hostile"
    title = "Hostile"
    description = '=HYPERLINK("http://evil")'
    columns = [
        Column("phone", p.text(), help="+44 then the number", example="=1+2"),
        Column("team", p.text(), help="@team", example="-Duty team"),
    ]
    natural_key = ("phone",)


def test_no_cell_of_a_template_starts_like_a_formula() -> None:
    workbook = load_workbook(io.BytesIO(template_workbook(Hostile())))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    values = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert not [value for value in values if is_formula_like(value)]
    assert {"'=1+2", "'-Duty team", "'+44 then the number", "'@team"} <= set(values)
