"""Exported cells that a spreadsheet would run as formulas are made literal (SECURITY.md §7)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

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
from practica.reports.registry import ReportParams, ReportResult, get_report, run_report

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


def test_the_notes_csv_carries_the_filters(hostile: Organisation) -> None:
    result = run_report(
        get_report("organisation-summary"),
        permissions.OPERATOR,
        ReportParams(organisations=("EVIL",), service_area="adults"),
    )
    rows = list(csv.reader(io.StringIO(exports.notes_to_csv(result).decode("utf-8-sig"))))
    assert rows[0] == ["Note", "Value"]
    assert ["Organisation", "EVIL"] in rows
    assert ["Service area", "adults"] in rows
    assert ["Description", result.report.description] in rows
    every_cell_is_safe([cell for row in rows for cell in row])


def test_the_csv_starts_with_its_header_row_and_holds_no_notes(hostile: Organisation) -> None:
    result = run_report(
        get_report("organisation-summary"),
        permissions.OPERATOR,
        ReportParams(organisations=("EVIL",), service_area="adults"),
    )
    raw = exports.to_csv(result)
    assert raw.startswith("\ufeff".encode())  # Excel reads the UTF-8 names right
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [column.label for column in result.columns]
    assert all(len(row) == len(result.columns) for row in rows)  # a pivot takes it as it is
    assert rows[-1][0] == "Total"
    assert not any(row[0] in {"Report", "Generated", "Service area"} for row in rows)


def _synthetic_result(rows: int) -> ReportResult:
    """The organisation summary's columns over ``rows`` made-up rows (no database needed)."""
    report = get_report("organisation-summary")
    names = ["Plain", "=1+2", "#N/A", "@team", None]
    return ReportResult(
        report=report,
        params=ReportParams(),
        rows=[
            {
                "organisation": names[n % len(names)],
                "code": f"C{n}",
                "kind": "Local authority",
                "teams": n,
                "childrens_teams": Decimal("1.5"),
                "adults_teams": 0,
                "people": n * 2,
            }
            for n in range(rows)
        ],
        totals={"teams": sum(range(rows)), "people": 2 * sum(range(rows))},
    )


def test_an_xlsx_export_has_every_row_in_order_with_text_stored_as_text() -> None:
    result = _synthetic_result(1_200)
    workbook = load_workbook(io.BytesIO(exports.to_xlsx(result)))
    assert workbook.sheetnames == ["Report", "Notes"]
    sheet = workbook["Report"]
    read = [[cell.value for cell in row] for row in sheet.iter_rows()]

    assert sheet.max_row == 1 + 1_200 + 1  # header, the rows, the totals
    assert read[0] == [column.label for column in result.columns]
    assert read[1:-1] == [[neutralise(value) for value in row] for row in result.table()]
    assert read[-1] == ["Total", None, None, sum(range(1_200)), None, None, 2 * sum(range(1_200))]
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):  # "#N/A" too: text, never an error value
                assert cell.data_type == "s", cell.coordinate
            assert cell.data_type != "f"
    assert workbook["Notes"]["A1"].value == "Report"
    assert workbook["Notes"].max_row == len(exports.filter_lines(result)) + 1


def test_an_xlsx_export_stores_dates_without_their_time_zone() -> None:
    result = _synthetic_result(1)
    moment = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    result.rows[0]["kind"] = moment
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(result)))["Report"]
    assert sheet["C2"].value == moment.replace(tzinfo=None)
    assert sheet["C2"].is_date


def _shares_result() -> ReportResult:
    """The practice educator register's columns (counts and percentages) over one made-up row."""
    report = get_report("pe-register")
    row: dict[str, object] = {column.id: 0 for column in report.columns}
    row.update(
        organisation="Alpha Council",
        pes=4,
        stage2=3,
        stage2_share=Decimal("75.0"),
        independent_share=None,
        independent_target=Decimal(20),
    )
    return ReportResult(
        report=report,
        params=ReportParams(),
        rows=[row],
        totals={"pes": 4, "stage2": 3, "stage2_share": Decimal("75.0")},
    )


def _by_label(row: Sequence[str], header: Sequence[str]) -> dict[str, str]:
    return dict(zip(header, row, strict=True))


def test_csv_percentages_carry_a_percent_sign() -> None:
    result = _shares_result()
    rows = list(csv.reader(io.StringIO(exports.to_csv(result).decode("utf-8-sig"))))
    header = rows[0]
    first, totals = (_by_label(row, header) for row in rows[1:])
    assert first["Share at Stage 2"] == "75.0%"
    assert first["Independent target"] == "20%"
    assert first["Share independent"] == ""  # no whole, no share
    assert first["At PEPS Stage 2"] == "3"
    assert totals["Share at Stage 2"] == "75.0%"
    assert totals["Organisation"] == "Total"


def test_xlsx_percentages_are_fractions_in_a_percentage_format() -> None:
    result = _shares_result()
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(result)))["Report"]
    header = [cell.value for cell in sheet[1]]
    share = sheet.cell(row=2, column=header.index("Share at Stage 2") + 1)
    assert share.value == pytest.approx(0.75)
    assert share.number_format == exports.PERCENT_FORMAT
    target = sheet.cell(row=2, column=header.index("Independent target") + 1)
    assert target.value == pytest.approx(0.2)
    assert sheet.cell(row=3, column=header.index("Share at Stage 2") + 1).value == pytest.approx(
        0.75
    )
    assert sheet.cell(row=2, column=header.index("Share independent") + 1).value is None
    assert sheet.cell(row=2, column=header.index("At PEPS Stage 2") + 1).value == 3


def test_json_keeps_percentages_as_plain_numbers() -> None:
    result = _shares_result()
    assert result.as_json()["rows"][0]["stage2_share"] == 75.0
    assert result.as_json()["totals"]["stage2_share"] == 75.0


def test_the_xlsx_header_is_bold_and_frozen_with_fitted_widths_and_number_formats() -> None:
    result = _shares_result()
    result.rows.append(dict(result.rows[0], organisation="A much longer organisation name " * 3))
    workbook = load_workbook(io.BytesIO(exports.to_xlsx(result)))
    sheet = workbook["Report"]
    header = [cell.value for cell in sheet[1]]
    assert header == [column.label for column in result.columns]
    assert all(cell.font.bold for cell in sheet[1])
    assert not any(cell.font.bold for cell in sheet[2])
    assert sheet.freeze_panes == "A2"
    widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
    assert widths["A"] == exports.MAX_WIDTH  # the long name, capped
    assert len("Practice educators") < widths["B"] < 30  # the heading, not the narrow numbers
    pes = sheet.cell(row=2, column=header.index("Practice educators") + 1)
    assert (pes.value, pes.number_format) == (4, exports.INTEGER_FORMAT)
    share = sheet.cell(row=2, column=header.index("Share at Stage 2") + 1)
    assert share.number_format == exports.PERCENT_FORMAT
    total = sheet.cell(row=4, column=header.index("Practice educators") + 1)
    assert (total.value, total.number_format) == (4, exports.INTEGER_FORMAT)
    notes = workbook["Notes"]
    assert notes["A1"].value == "Report"
    assert notes["A1"].font.bold
    assert notes[f"A{notes.max_row}"].value == "Description"


def test_xlsx_dates_carry_a_date_format() -> None:
    result = _synthetic_result(1)
    result.rows[0]["kind"] = date(2026, 12, 7)
    result.rows[0]["code"] = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(result)))["Report"]
    assert sheet["C2"].is_date
    assert sheet["C2"].number_format == exports.DATE_FORMAT
    assert sheet["B2"].is_date
    assert sheet["B2"].number_format == exports.DATETIME_FORMAT
