import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from practica.core import academic_years
from practica.core.models import AcademicYear
from practica.core.services import ensure_academic_year


@pytest.mark.parametrize(
    ("text", "start"),
    [("2019/20", 2019), (" 2019 / 20 ", 2019), ("1999/00", 1999), ("2019/2020", 2019)],
)
def test_it_parses_academic_years(text: str, start: int) -> None:
    assert academic_years.parse_academic_year(text) == start


@pytest.mark.parametrize(
    "text", ["2019", "2019/21", "19/20", "2019-20", "", "twenty", "2019/2021", "1899/00"]
)
def test_it_refuses_strings_that_are_not_academic_years(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        academic_years.parse_academic_year(text)
    assert "academic year" in caught.value.messages[0] or "outside" in caught.value.messages[0]


def test_the_message_says_how_to_write_one() -> None:
    with pytest.raises(ValidationError, match=r"write it like 2019/20"):
        academic_years.parse_academic_year("2019-20")


@given(st.integers(min_value=academic_years.EARLIEST, max_value=academic_years.LATEST))
def test_format_and_parse_round_trip(start: int) -> None:
    assert academic_years.parse_academic_year(academic_years.format_academic_year(start)) == start


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (datetime.date(2019, 8, 31), 2018),
        (datetime.date(2019, 9, 1), 2019),
        (datetime.date(2020, 8, 31), 2019),
        (datetime.date(2020, 1, 6), 2019),
    ],
)
def test_the_year_turns_on_the_first_of_september(day: datetime.date, start: int) -> None:
    assert academic_years.academic_year_of(day) == start


def test_bounds_run_from_september_to_august() -> None:
    assert academic_years.bounds(2019) == (datetime.date(2019, 9, 1), datetime.date(2020, 8, 31))


@pytest.mark.django_db
def test_ensure_academic_year_does_not_duplicate() -> None:
    first = ensure_academic_year(start_year=2019)
    second = ensure_academic_year(start_year=2019)
    assert first == second
    assert AcademicYear.objects.count() == 1
    assert str(first) == "2019/20"


@pytest.mark.django_db
def test_an_academic_year_out_of_range_is_refused_and_not_saved() -> None:
    with pytest.raises(ValidationError):
        ensure_academic_year(start_year=1800)
    assert not AcademicYear.objects.exists()
