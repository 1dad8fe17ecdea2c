"""What a column derives from its field: the value a record holds, the cell an export writes,
and whether a row leaves a record unchanged."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, ClassVar

import pytest

from practica.accounts import permissions
from practica.imports import parsers as p
from practica.imports.framework import KEEP, Column, ImportContext, Importer

CTX = ImportContext(actor=None, viewer=permissions.OPERATOR)


def record(**fields: Any) -> SimpleNamespace:
    return SimpleNamespace(**fields)


class People(Importer):
    kind = "test-people"
    title = description = "People"
    columns: ClassVar[list[Column]] = [
        Column("email", p.email, required=True),
        Column("team", p.text(ignore_case=True), source="team.name"),
        Column("born", p.date, source=lambda person: person.birth.date),
        Column("active", p.yes_no, default=True),
        Column("activities", p.multi_choice(["a", "b"]), keep_if_missing=True, exported=False),
        Column("reviewed", p.date, blank_keeps=True),
    ]
    natural_key = ("email",)

    def records(self, viewer: Any) -> list[SimpleNamespace]:
        return [ANN]


ANN = record(
    email="ann@example.test",
    team=record(name="Duty"),
    birth=record(date=p.date("1990-01-02", CTX)),
    active=False,
    activities=["b", "a"],
    reviewed=p.date("2020-01-01", CTX),
)


def test_a_column_reads_an_attribute_path_a_callable_or_its_own_name() -> None:
    importer = People()
    assert importer.column("team").read(ANN) == "Duty"
    assert importer.column("team").read(record(team=None)) is None
    assert importer.column("born").read(ANN) == ANN.birth.date
    assert importer.column("email").read(ANN) == "ann@example.test"


def test_export_rows_write_each_exported_column_with_its_cell_type() -> None:
    assert People().export_rows(permissions.OPERATOR) == [
        {
            "email": "ann@example.test",
            "team": "Duty",
            "born": "1990-01-02",
            "active": "no",
            "reviewed": "2020-01-01",
        }
    ]


def row(**changes: Any) -> dict[str, Any]:
    values = {
        "email": "ann@example.test",
        "team": "duty",
        "born": ANN.birth.date,
        "active": False,
        "activities": ["a", "b"],
        "reviewed": ANN.reviewed,
    }
    return {**values, **changes}


@pytest.mark.parametrize(
    ("changes", "unchanged"),
    [
        ({}, True),
        ({"team": "DUTY"}, True),  # found without case, compared without it
        ({"team": None}, False),
        ({"active": True}, False),
        ({"activities": KEEP}, True),  # a column the file leaves out is skipped
        ({"activities": ["a"]}, False),
        ({"reviewed": None}, True),  # an empty cell that keeps what is there
        ({"reviewed": p.date("2021-01-01", CTX)}, False),
    ],
)
def test_a_row_is_unchanged_when_every_compared_column_states_what_the_record_holds(
    changes: dict[str, Any], unchanged: bool
) -> None:
    assert People().is_unchanged(ANN, row(**changes), CTX) is unchanged


def test_a_column_left_out_of_exports_must_be_kept_when_missing() -> None:
    with pytest.raises(ValueError, match="must be keep_if_missing"):
        Column("activities", p.lines, exported=False)
