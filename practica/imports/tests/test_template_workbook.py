"""An import kind's XLSX template is neutralised like every file Practica writes."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from practica.core.formulas import is_formula_like
from practica.imports import parsers as p
from practica.imports.framework import Column, Importer
from practica.imports.templates_xlsx import template_workbook
from practica.placements.models import Route


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


class Choosy(Importer):
    kind = "choosy"
    title = "Choosy"
    description = "Rows with choices"
    columns = [
        Column("name", p.text(), required=True, example="Ann"),
        Column("route", p.choice(Route), example="ba"),
        Column("paid", p.yes_no, example="yes"),
    ]
    natural_key = ("name",)


def test_a_template_holds_no_example_row_that_would_import() -> None:
    workbook = load_workbook(io.BytesIO(template_workbook(Choosy())))
    data = workbook.worksheets[0]
    assert data.max_row == 1
    notes = {row[0]: row[3] for row in workbook["Notes"].iter_rows(values_only=True) if row}
    assert notes["name"] == "Ann"


def test_choice_columns_have_a_drop_down_of_their_labels() -> None:
    workbook = load_workbook(io.BytesIO(template_workbook(Choosy())))
    validations = {
        str(validation.sqref): validation.formula1
        for validation in workbook.worksheets[0].data_validations.dataValidation
    }
    assert set(validations) == {"B2:B20001", "C2:C20001"}
    choices = workbook["Choices"]
    assert choices.sheet_state == "hidden"
    routes = [cell.value for cell in choices["A"][1:]]
    assert routes == [label for _code, label in Route.choices]
    assert validations["B2:B20001"] == f"'Choices'!$A$2:$A${len(Route.choices) + 1}"
    assert [cell.value for cell in choices["B"][1:] if cell.value] == ["yes", "no"]


def test_a_drop_down_warns_but_takes_a_code_typed_instead_of_a_label() -> None:
    workbook = load_workbook(io.BytesIO(template_workbook(Choosy())))
    styles = {v.errorStyle for v in workbook.worksheets[0].data_validations.dataValidation}
    assert styles == {"warning"}  # "stop" would refuse "ba", which the import takes
