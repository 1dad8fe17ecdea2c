"""Each cell type reads what it writes: parse(format(value)) is the value, and format(parse(text))
is a text that parses to the same value, for every value and every text the type accepts. So an
export (``practica export-all``) and an import cannot drift apart."""

from __future__ import annotations

import datetime
import string
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from practica.accounts import permissions
from practica.core.models import AcademicYear, Organisation
from practica.imports import parsers as p
from practica.imports.framework import ImportCellError, ImportContext
from practica.imports.parsers import Cell
from practica.organisations.tests.factories import OrganisationFactory, UserFactory

CTX = ImportContext(actor=None, viewer=permissions.OPERATOR)
# text as it reaches a parser: the framework strips cells and never parses a blank one
words = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1
).map(str.strip)


def reads_back(cell: Cell, value: Any) -> None:
    """parse(format(value)) == value, and the formatted text is canonical."""
    text = cell.write(value)
    parsed = cell.parse(text, CTX)
    assert parsed == value
    assert cell.same(parsed, value)
    assert cell.write(parsed) == text


def formats_what_it_parsed(cell: Cell, text: str) -> None:
    """format(parse(text)) parses to the same value as text (for a text the type accepts), and
    is written again as it was."""
    try:
        value = cell.parse(text, CTX)
    except ImportCellError:
        return
    again = cell.parse(cell.write(value), CTX)
    assert cell.same(again, value)
    assert cell.write(again) == cell.write(value)


@given(words.filter(bool))
def test_text(value: str) -> None:
    reads_back(p.text(), value)


@given(words.filter(bool))
def test_text_without_case_is_compared_without_case(value: str) -> None:
    cell = p.text(ignore_case=True)
    reads_back(cell, value)
    assert cell.same(value.lower(), value)
    assert cell.same("Children in Care", "children in care")
    assert not p.text().same("Children in Care", "children in care")


@given(st.from_regex(r"[a-z0-9][a-z0-9._]{0,10}@[a-z0-9]{1,10}\.(org|ac\.uk|test)", fullmatch=True))
def test_email(value: str) -> None:
    assume(".." not in value and not value.split("@")[0].endswith("."))
    reads_back(p.email, value)
    formats_what_it_parsed(p.email, value.upper())
    assert p.email.same(value.upper(), value)


@given(st.integers(min_value=-10_000_000, max_value=10_000_000), st.text(",+ 0123456789-"))
def test_integer(value: int, text: str) -> None:
    reads_back(p.integer(), value)
    formats_what_it_parsed(p.integer(), text.strip())


@given(
    st.decimals(allow_nan=False, allow_infinity=False, places=6, min_value=-180, max_value=180),
    st.text("0123456789,.-+eEnaNfity", min_size=1),
)
def test_decimal(value: Decimal, text: str) -> None:
    reads_back(p.decimal, value)
    formats_what_it_parsed(p.decimal, text)


@pytest.mark.parametrize("text", ["NaN", "nan", "Infinity", "-inf", "sNaN"])
def test_decimal_refuses_what_is_not_a_number(text: str) -> None:
    with pytest.raises(ImportCellError):
        p.decimal(text, CTX)


@given(st.booleans(), st.sampled_from(sorted(p.YES | p.NO)))
def test_yes_no(value: bool, text: str) -> None:
    reads_back(p.yes_no, value)
    formats_what_it_parsed(p.yes_no, text.upper())


@given(
    st.dates(min_value=datetime.date(1000, 1, 1)),
    st.sampled_from(p.DATE_FORMATS),
)
def test_date(value: datetime.date, pattern: str) -> None:
    reads_back(p.date, value)
    formats_what_it_parsed(p.date, value.strftime(pattern))


@given(
    st.datetimes(min_value=datetime.datetime(1950, 1, 1), max_value=datetime.datetime(2100, 1, 1)),
    st.sampled_from(["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M:%S", "%d %B %Y %H:%M:%S.%f"]),
)
def test_date_time_in_the_partnerships_time_zone(value: datetime.datetime, pattern: str) -> None:
    aware = timezone.make_aware(value)
    reads_back(p.date_time, aware)
    formats_what_it_parsed(p.date_time, value.strftime(pattern))


def test_date_time_is_written_to_the_minute_unless_the_record_holds_more() -> None:
    moment = timezone.make_aware(datetime.datetime(2019, 10, 3, 9, 30))
    assert p.date_time.write(moment) == "2019-10-03 09:30"
    assert p.date_time.write(moment.replace(second=5)) == "2019-10-03 09:30:05"
    assert p.date_time.write(moment.replace(microsecond=7)) == "2019-10-03 09:30:00.000007"


# an item of a list is one line without ";" (a cell of one item with ";" reads as several)
items = words.filter(lambda item: item and ";" not in item)


@given(st.lists(items, min_size=1, max_size=5))
def test_lines(value: list[str]) -> None:
    reads_back(p.lines, value)
    formats_what_it_parsed(p.lines, "; ".join(value))


@given(st.lists(st.from_regex(r"[a-z]{1,5}@[a-z]{1,5}\.test", fullmatch=True), min_size=1))
def test_email_list_is_a_set_written_sorted(value: list[str]) -> None:
    cell = p.email_list
    text = cell.write(value)
    assert text == "\n".join(sorted(value))
    assert cell.same(cell.parse(text, CTX), value)
    assert cell.same([address.upper() for address in value], value)


KINDS = ["childrens", "adults", "mental_health", "other"]


@given(st.sampled_from(KINDS))
def test_choice(value: str) -> None:
    reads_back(p.choice(KINDS), value)
    formats_what_it_parsed(p.choice(KINDS), value.upper())


@given(st.lists(st.sampled_from(KINDS), min_size=1, unique=True))
def test_multi_choice_is_a_set(value: list[str]) -> None:
    cell = p.multi_choice(KINDS)
    parsed = cell.parse(cell.write(value), CTX)
    assert set(parsed) == set(value)
    assert cell.same(parsed, value)
    assert cell.write(parsed) == cell.write(list(reversed(value)))
    formats_what_it_parsed(cell, " ; ".join(value).upper())


@pytest.mark.django_db
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=20)
@given(st.integers(min_value=1990, max_value=2100), st.booleans())
def test_academic_year_recorded_or_not(start_year: int, recorded: bool) -> None:
    if recorded:
        AcademicYear.objects.get_or_create(start_year=start_year)
    value = AcademicYear.objects.filter(start_year=start_year).first() or AcademicYear(
        start_year=start_year
    )
    text = p.academic_year.write(value)
    parsed = p.academic_year.parse(text, CTX)
    assert parsed.start_year == start_year
    assert p.academic_year.same(parsed, AcademicYear(start_year=start_year))
    assert p.academic_year.write(parsed) == text
    formats_what_it_parsed(p.academic_year, f"{start_year}/{start_year + 1}")


@pytest.mark.django_db
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=20)
@given(st.text(string.ascii_uppercase, min_size=1, max_size=12))
def test_organisation_by_code(code: str) -> None:
    organisation = Organisation.objects.unscoped("test").filter(code=code).first() or (
        OrganisationFactory.create(code=code)
    )
    reads_back(p.organisation, organisation)
    formats_what_it_parsed(p.organisation, code.lower())


@pytest.mark.django_db
def test_user_email_is_compared_without_case() -> None:
    UserFactory.create(email="sam@example.test")
    reads_back(p.user_email, "sam@example.test")
    assert p.user_email.same("sam@example.test", "Sam@Example.test")
