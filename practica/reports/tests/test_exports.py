"""Exported cells that a spreadsheet would run as formulas are made literal (SECURITY.md §7)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from practica.accounts import permissions
from practica.core.formulas import is_formula_like, neutralise
from practica.core.models import Organisation
from practica.organisations.tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    TeamFactory,
)
from practica.reports import exports
from practica.reports.registry import ReportParams, get_report, run_report

DANGEROUS = [
    "=1+2",
    "+44 1234",
    "-2+3",
    "@SUM(A1)",
    "\tcmd",
    "\rcmd",
    "\x00x",
    '=HYPERLINK("http://evil")',
]


@pytest.mark.parametrize("value", DANGEROUS)
def test_formula_starts_are_neutralised(value: str) -> None:
    assert neutralise(value) == "'" + value


@given(st.text())
def test_neutralised_text_never_starts_like_a_formula(value: str) -> None:
    assert not is_formula_like(str(neutralise(value)))


def test_numbers_pass_through_unchanged() -> None:
    assert neutralise(-5) == -5


@pytest.fixture
def hostile(db: None) -> Organisation:
    partnership = PartnershipFactory.create(name="=cmd|' /C calc'!A0")
    organisation = OrganisationFactory.create(
        partnership=partnership, code="EVIL", name='=HYPERLINK("http://x")'
    )
    TeamFactory.create(organisation=organisation, name="@team")
    return organisation


def every_cell_is_safe(cells: Sequence[object]) -> None:
    for cell in cells:
        if isinstance(cell, str):
            assert not is_formula_like(cell), cell


def test_every_csv_cell_is_safe(hostile: Organisation) -> None:
    result = run_report(
        get_report("organisation-summary"),
        permissions.OPERATOR,
        ReportParams(organisations=("EVIL",)),
    )
    text = exports.to_csv(result).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert '\'=HYPERLINK("http://x")' in cells
    every_cell_is_safe(cells)


def test_every_xlsx_cell_is_safe_and_none_is_a_formula(hostile: Organisation) -> None:
    result = run_report(
        get_report("organisation-summary"),
        permissions.OPERATOR,
        ReportParams(organisations=("EVIL",)),
    )
    workbook = load_workbook(io.BytesIO(exports.to_xlsx(result)))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    every_cell_is_safe([cell.value for cell in cells])
    assert workbook["Notes"]["B3"].value == "EVIL"  # the filters used are in the notes


def test_the_csv_header_carries_the_filters(hostile: Organisation) -> None:
    result = run_report(
        get_report("organisation-summary"),
        permissions.OPERATOR,
        ReportParams(organisations=("EVIL",), service_area="adults"),
    )
    text = exports.to_csv(result).decode("utf-8-sig")
    assert "Organisation,EVIL" in text
    assert "Service area,adults" in text
