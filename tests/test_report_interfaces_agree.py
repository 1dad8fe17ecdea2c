"""Issue 4's acceptance: the CLI, the UI and the API give identical rows for the same report
and filters. For every registered report, viewer and set of filters, over the demo
partnership: the API's JSON equals ``run_report(...).as_json()`` and ``practica report
--format json --user EMAIL`` byte for byte (as JSON), and the report page's table shows the
same rows and totals, cell by cell."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from practica.accounts.models import User
from practica.api.services import create_api_token
from practica.demo.data import load_demo
from practica.reports.registry import Report, all_reports, get_report, parse_params, run_report

VIEWERS = ["manager@demo.practica.test", "coordinator.mc@demo.practica.test"]
YEARS = ["2019/20", "2024/25"]


class TableParser(HTMLParser):
    """The header labels, body rows and footer row of the page's one report table."""

    def __init__(self) -> None:
        super().__init__()
        self.section = ""
        self.in_cell = False
        self.header: list[str] = []
        self.body: list[list[str]] = []
        self.foot: list[str] = []
        self.cell: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"thead", "tbody", "tfoot"}:
            self.section = tag
        elif tag == "tr" and self.section == "tbody":
            self.body.append([])
        elif tag in {"th", "td"} and self.section:
            self.in_cell, self.cell = True, []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"th", "td"} and self.in_cell:
            self.in_cell = False
            text = "".join(self.cell).strip()
            if self.section == "thead":
                self.header.append(text)
            elif self.section == "tfoot":
                self.foot.append(text)
            else:
                self.body[-1].append(text)
        elif tag in {"thead", "tbody", "tfoot"}:
            self.section = ""

    def handle_data(self, data: str) -> None:
        if self.in_cell:
            self.cell.append(data)


def page_table(client: Client, name: str, query: dict[str, Any]) -> TableParser:
    response = client.get(reverse("reports:report-detail", args=[name]), query)
    assert response.status_code == 200
    parser = TableParser()
    parser.feed(response.content.decode())
    return parser


def shown(column_type: str, value: Any, cell: str) -> bool:
    """Whether the page's cell shows the API's value (numbers compared as numbers)."""
    if value is None:
        return cell == ""
    if column_type == "percent":  # shown with its % sign; the API keeps the plain number
        return cell.endswith("%") and Decimal(cell.removesuffix("%")) == Decimal(str(value))
    if column_type in {"integer", "number"}:
        return Decimal(cell) == Decimal(str(value))
    if column_type == "date":  # as the page's template renders the same day
        day = datetime.date.fromisoformat(value)
        return cell == Template("{{ day }}").render(Context({"day": day}))
    return cell == str(value)


def filter_sets(report: Report, organisation: str) -> list[dict[str, Any]]:
    sets: list[dict[str, Any]] = [{}]
    if "organisation" in report.filters:
        sets.append({"organisation": [organisation]})
    for year in YEARS:
        chosen: dict[str, Any] = {}
        if "organisation" in report.filters:
            chosen["organisation"] = [organisation, "KCC"]
        if "year" in report.filters:
            chosen["year"] = year
        if "service_area" in report.filters:
            chosen["service_area"] = "childrens"
        for extra in report.extra_filters:
            chosen[extra.id] = extra.choices[0][0]
        sets.append(chosen)
    return sets


def cli_json(name: str, email: str, query: dict[str, Any]) -> dict[str, Any]:
    arguments = [name, "--format", "json", "--user", email]
    for code in query.get("organisation", []):
        arguments += ["--org", code]
    if "year" in query:
        arguments += ["--year", query["year"]]
    if "service_area" in query:
        arguments += ["--service-area", query["service_area"]]
    for key, value in query.items():
        if key not in {"organisation", "year", "service_area"}:
            arguments += ["--filter", f"{key}={value}"]
    out = io.StringIO()
    call_command("report", *arguments, stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


@pytest.mark.django_db
def test_the_cli_the_page_and_the_api_give_identical_rows_for_every_report() -> None:
    load_demo()
    compared_rows = 0
    for email in VIEWERS:
        user = User.objects.get(email=email)
        api = APIClient()
        api.credentials(
            HTTP_AUTHORIZATION=f"Token {create_api_token(actor=None, user=user, name='t')[1]}"
        )
        browser = Client()
        browser.force_login(user)
        for report in all_reports():
            if not report.visible_to(user):
                continue
            for query in filter_sets(report, "MC"):
                where = f"{report.name} as {email} with {query}"
                expected = run_report(
                    get_report(report.name), user, parse_params(report, query)
                ).as_json()

                from_api = api.get(reverse("api:report-detail", args=[report.name]), query)
                assert from_api.status_code == 200, where
                assert from_api.json() == expected, where
                assert cli_json(report.name, email, query) == expected, where

                table = page_table(browser, report.name, query)
                columns = expected["columns"]
                if not expected["rows"]:
                    assert table.body == [], where
                    continue
                assert table.header == [column["label"] for column in columns], where
                assert len(table.body) == len(expected["rows"]), where
                for cells, row in zip(table.body, expected["rows"], strict=True):
                    for column, cell in zip(columns, cells, strict=True):
                        assert shown(column["type"], row[column["id"]], cell), (where, column, cell)
                    compared_rows += 1
                if expected["totals"]:
                    for column, cell in zip(columns[1:], table.foot[1:], strict=True):
                        total = expected["totals"].get(column["id"])
                        assert shown(column["type"], total, cell), (where, column, cell)
    assert compared_rows > 0, "no report had any row to compare"
