"""Downloads are streamed: a large CSV goes out in chunks of rows and an XLSX in blocks read
from a temporary file, so no whole file is held in memory (issue 16)."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from practica.accounts.models import User
from practica.core.models import Organisation
from practica.organisations.tests.factories import TeamFactory
from practica.reports import exports
from practica.reports.registry import Column, Report, ReportParams, ReportResult


def numbers(count: int) -> ReportResult:
    attributes = {
        "name": "numbers",
        "title": "Numbers",
        "description": "One row a number.",
        "columns": [Column("n", "Number", "integer"), Column("word", "Word")],
        "filters": (),
        "extra_filters": [],
    }
    report: Report = type("Numbers", (Report,), attributes)()
    rows = [{"n": n, "word": f"=word {n}"} for n in range(count)]
    return ReportResult(report, ReportParams(), rows, {})


def test_a_large_csv_goes_out_in_chunks_of_rows_that_read_as_one_file() -> None:
    count = exports.CSV_ROWS_A_CHUNK * 2 + 7
    chunks = list(exports.csv_chunks(numbers(count)))

    assert len(chunks) == 3
    assert all(not chunk.startswith("\ufeff".encode()) for chunk in chunks[1:])
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert rows[0] == ["Number", "Word"]
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(count)]
    assert rows[-1][1] == f"'=word {count - 1}"  # still neutralised, chunk by chunk


def test_an_xlsx_is_read_out_in_blocks_that_make_the_whole_workbook(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(exports, "XLSX_BLOCK_BYTES", 1024)
    blocks = list(exports.xlsx_chunks(numbers(500)))

    assert len(blocks) > 1
    assert all(len(block) <= 1024 for block in blocks)
    sheet = load_workbook(io.BytesIO(b"".join(blocks)))["Report"]
    assert [cell.value for cell in sheet["A"]][1:] == list(range(500))


def test_a_report_page_streams_its_downloads_as_attachments(
    client: Client, alice: User, org_a: Organisation
) -> None:
    TeamFactory.create(organisation=org_a)
    client.force_login(alice)
    url = reverse("reports:report-detail", args=["organisation-summary"])

    downloads = {}
    for key, ending in (("csv", ".csv"), ("xlsx", ".xlsx"), ("notes-csv", "-notes.csv")):
        response = client.get(url, {"download": key})
        assert response.streaming, key
        assert response["Content-Type"] == exports.DOWNLOADS[key].content_type
        assert response["Content-Disposition"].endswith(f'{ending}"')
        downloads[key] = response.getvalue()

    assert "Alpha Council" in downloads["csv"].decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(downloads["xlsx"]))["Report"]
    assert "Alpha Council" in [cell.value for row in sheet.iter_rows() for cell in row]
    assert downloads["notes-csv"].decode("utf-8-sig").startswith("Note,Value")
