"""XLSX report downloads: ``reports.exports.to_xlsx`` (neutralised text cells stored as text, a
notes sheet) against writing the same rows with openpyxl's write-only workbook directly. Both
grow with the rows; the ratio is the cost of the safety, and stays flat as the rows grow."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from benchmarks.__main__ import Result, best_of

ROWS = (2_000, 20_000)


def run() -> list[Result]:
    from practica.reports import exports
    from practica.reports.registry import ReportParams, ReportResult, get_report

    results = []
    for count in ROWS:
        result = ReportResult(
            report=get_report("organisation-summary"),
            params=ReportParams(),
            rows=[
                {
                    "organisation": f"Organisation {n}",
                    "code": f"C{n}",
                    "kind": "Local authority",
                    "teams": n,
                    "childrens_teams": n % 7,
                    "adults_teams": n % 5,
                    "people": n * 2,
                }
                for n in range(count)
            ],
            totals={},
        )
        table = result.table()

        def direct(table: list[list[Any]] = table) -> bytes:
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet("Report")
            for row in table:
                sheet.append(row)
            buffer = io.BytesIO()
            workbook.save(buffer)
            return buffer.getvalue()

        def export(result: ReportResult = result) -> bytes:
            return exports.to_xlsx(result)

        results.append(
            Result(
                f"XLSX report export of {count} rows",
                best_of(3, export),
                "openpyxl write-only, same rows",
                best_of(3, direct),
            )
        )
    return results
