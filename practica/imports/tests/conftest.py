from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from openpyxl import Workbook

from practica.accounts import permissions
from practica.core.models import Organisation
from practica.imports.framework import ImportContext


@pytest.fixture
def operator_context() -> ImportContext:
    return ImportContext(actor=None, viewer=permissions.OPERATOR)


@pytest.fixture
def mc(partnership: object) -> Organisation:
    from practica.organisations.tests.factories import OrganisationFactory

    return OrganisationFactory.create(partnership=partnership, code="MC", name="Medway Council")


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def make_xlsx() -> Callable[[list[list[object]]], bytes]:
    return xlsx
