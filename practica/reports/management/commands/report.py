"""`practica report NAME …`: any registered report as a table, JSON, CSV or XLSX."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from practica.accounts import permissions
from practica.accounts.models import User
from practica.reports import exports
from practica.reports.registry import (
    ReportResult,
    all_reports,
    get_report,
    parse_params,
    run_report,
)


class Command(BaseCommand):
    help = "Run a report. `practica report --list` names them all."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="the report's name, e.g. organisation-summary")
        parser.add_argument(
            "--list", action="store_true", help="list the reports and their filters"
        )
        parser.add_argument(
            "--org",
            action="append",
            default=[],
            metavar="CODE",
            help="organisation code (repeatable)",
        )
        parser.add_argument("--year", help="academic year, e.g. 2019/20")
        parser.add_argument("--service-area", help="service area code, e.g. childrens")
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="a report-specific filter",
        )
        parser.add_argument(
            "--format",
            choices=["table", "json", "csv", "notes-csv", "xlsx"],
            default="table",
            help="csv is the header row and the rows; notes-csv is the filters used (as the "
            "page's 'Download the notes (CSV)')",
        )
        parser.add_argument("--output", help="write to this file instead of the terminal")
        parser.add_argument("--user", metavar="EMAIL", help="see only what this user may see")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            self._list()
            return
        if not options["name"]:
            raise CommandError("Name a report, or use --list to see them.", returncode=2)
        try:
            report = get_report(options["name"])
        except LookupError as error:
            raise CommandError(str(error), returncode=2) from None
        viewer = self._viewer(options["user"])
        data: dict[str, Any] = {
            "organisation": options["org"],
            "year": options["year"],
            "service_area": options["service_area"],
        }
        for item in options["filter"]:
            key, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"--filter {item!r} must be written KEY=VALUE.", returncode=2)
            data[key.strip()] = value.strip()
        try:
            params = parse_params(report, data)
            result = run_report(report, viewer, params)
        except ValidationError as error:
            lines = [
                f"--{key.replace('_', '-')}: {' '.join(messages)}"
                for key, messages in error.message_dict.items()
            ]
            raise CommandError("\n".join(lines), returncode=2) from None
        except PermissionError as error:
            raise CommandError(str(error), returncode=2) from None
        self._write(result, options["format"], options["output"])

    def _viewer(self, email: str | None) -> Any:
        if not email:
            return permissions.OPERATOR
        user = User.objects.filter(email__address=email, is_active=True).first()
        if user is None:
            raise CommandError(
                f"There is no active user with the e-mail address {email}.", returncode=2
            )
        return user

    def _list(self) -> None:
        for report in all_reports():
            filters = [*report.filters, *(extra.id for extra in report.extra_filters)]
            self.stdout.write(f"{report.name}  —  {report.title}")
            self.stdout.write(f"    {report.description}")
            self.stdout.write(f"    filters: {', '.join(filters) or 'none'}")

    def _write(self, result: ReportResult, fmt: str, output: str | None) -> None:
        if fmt == "xlsx":
            if not output:
                raise CommandError("XLSX is a binary file: give --output FILE.xlsx.", returncode=2)
            Path(output).write_bytes(exports.to_xlsx(result))
            return
        if fmt == "json":
            text = json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n"
        elif fmt == "csv":
            text = exports.to_csv(result).decode("utf-8-sig")
        elif fmt == "notes-csv":
            text = exports.notes_to_csv(result).decode("utf-8-sig")
        else:
            text = _table(result)
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")


def _table(result: ReportResult) -> str:
    header = [column.label for column in result.columns]
    body = [
        ["" if value is None else str(value) for _column, value in row]
        for row in result.shown_table()
    ]
    totals = result.shown_totals_row()
    if totals is not None:
        body.append(["" if value is None else str(value) for _column, value in totals])
    widths = [max(len(cell) for cell in column) for column in zip(header, *body, strict=False)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)).rstrip()
        for row in [header, *body]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines) + "\n"
