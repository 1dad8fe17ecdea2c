"""Currency rules at their boundaries: the day before, on and after each limit."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from practica.educators.register.currency import (
    CurrencyRules,
    CurrencyStatus,
    add_months,
    currency_of,
    earliest_clock,
    review_overdue,
)

RULES = CurrencyRules(months_since_student=24, months_since_training=24, warning_months=3)
RECENT = datetime.date(2019, 12, 1)
ONE_DAY = datetime.timedelta(days=1)


def status(
    *,
    student: datetime.date | None = RECENT,
    training: datetime.date | None = RECENT,
    today: datetime.date,
    rules: CurrencyRules = RULES,
) -> CurrencyStatus:
    return currency_of(
        qualified=True,
        stage1_date=None,
        stage2_date=None,
        last_student_date=student,
        last_training_date=training,
        rules=rules,
        today=today,
    ).status


# last student on 15 March 2018: current to 15 March 2020 inclusive, lapsed from 16 March 2020.
LAST = datetime.date(2018, 3, 15)
LIMIT = datetime.date(2020, 3, 15)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (LIMIT - ONE_DAY, CurrencyStatus.LAPSING),
        (LIMIT, CurrencyStatus.LAPSING),
        (LIMIT + ONE_DAY, CurrencyStatus.LAPSED),
    ],
    ids=["day-before", "on", "day-after"],
)
def test_a_pe_lapses_the_day_after_the_student_limit(
    today: datetime.date, expected: CurrencyStatus
) -> None:
    assert status(student=LAST, training=today, today=today) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (LIMIT - ONE_DAY, CurrencyStatus.LAPSING),
        (LIMIT, CurrencyStatus.LAPSING),
        (LIMIT + ONE_DAY, CurrencyStatus.LAPSED),
    ],
    ids=["day-before", "on", "day-after"],
)
def test_a_pe_lapses_the_day_after_the_training_limit(
    today: datetime.date, expected: CurrencyStatus
) -> None:
    assert status(student=today, training=LAST, today=today) == expected


# lapsing starts when the lapse date (16 March 2020) is 3 months away or closer: 16 December 2019.
WARNING_STARTS = datetime.date(2019, 12, 16)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (WARNING_STARTS - ONE_DAY, CurrencyStatus.CURRENT),
        (WARNING_STARTS, CurrencyStatus.LAPSING),
        (WARNING_STARTS + ONE_DAY, CurrencyStatus.LAPSING),
    ],
    ids=["day-before", "on", "day-after"],
)
def test_the_warning_window_starts_three_months_before_the_lapse(
    today: datetime.date, expected: CurrencyStatus
) -> None:
    assert status(student=LAST, training=today, today=today) == expected


def test_a_shorter_partnership_period_moves_the_limit() -> None:
    rules = CurrencyRules(months_since_student=12, months_since_training=24, warning_months=0)
    assert status(student=LAST, today=datetime.date(2019, 3, 15), rules=rules) == "current"
    assert status(student=LAST, today=datetime.date(2019, 3, 16), rules=rules) == "lapsed"


def test_no_warning_window_means_never_lapsing() -> None:
    rules = CurrencyRules(warning_months=0)
    assert status(student=LAST, today=LIMIT, rules=rules) == CurrencyStatus.CURRENT


def test_the_reasons_name_each_rule_and_the_dates() -> None:
    currency = currency_of(
        qualified=True,
        stage1_date=None,
        stage2_date=None,
        last_student_date=LAST,
        last_training_date=None,
        rules=RULES,
        today=LIMIT,
    )
    assert currency.status == CurrencyStatus.LAPSED
    assert currency.reasons == (
        "No update training is recorded.",
        "Needs a student by 15 March 2020: the last was on 15 March 2018.",
    )


def test_the_lapse_date_is_the_earlier_of_the_two_rules() -> None:
    currency = currency_of(
        qualified=True,
        stage1_date=None,
        stage2_date=None,
        last_student_date=LAST,
        last_training_date=datetime.date(2019, 1, 1),
        rules=RULES,
        today=datetime.date(2019, 6, 1),
    )
    assert currency.status == CurrencyStatus.CURRENT
    assert currency.lapses_on == datetime.date(2020, 3, 16)
    assert currency.current_until == LIMIT


def test_achieving_a_stage_starts_both_clocks() -> None:
    currency = currency_of(
        qualified=True,
        stage1_date=datetime.date(2016, 1, 1),
        stage2_date=datetime.date(2019, 7, 1),
        last_student_date=None,
        last_training_date=None,
        rules=RULES,
        today=datetime.date(2020, 1, 1),
    )
    assert currency.status == CurrencyStatus.CURRENT
    assert currency.lapses_on == datetime.date(2021, 7, 2)


def test_currency_does_not_apply_before_stage_1() -> None:
    currency = currency_of(
        qualified=False,
        stage1_date=None,
        stage2_date=None,
        last_student_date=None,
        last_training_date=None,
        rules=RULES,
        today=datetime.date(2020, 1, 1),
    )
    assert currency.status == CurrencyStatus.NOT_QUALIFIED
    assert currency.lapses_on is None


def test_a_pe_with_no_dates_is_lapsed_with_both_reasons() -> None:
    currency = currency_of(
        qualified=True,
        stage1_date=None,
        stage2_date=None,
        last_student_date=None,
        last_training_date=None,
        rules=RULES,
        today=datetime.date(2020, 1, 1),
    )
    assert currency.status == CurrencyStatus.LAPSED
    assert len(currency.reasons) == 2


@pytest.mark.parametrize(
    ("today", "overdue"),
    [
        (datetime.date(2020, 3, 14), False),
        (datetime.date(2020, 3, 15), False),
        (datetime.date(2020, 3, 16), True),
    ],
    ids=["day-before", "on", "day-after"],
)
def test_a_review_is_overdue_the_day_after_a_year(today: datetime.date, overdue: bool) -> None:
    assert review_overdue(datetime.date(2019, 3, 15), RULES, today) is overdue


def test_an_entry_never_reviewed_is_overdue() -> None:
    assert review_overdue(None, RULES, datetime.date(2020, 1, 1))


def test_adding_months_keeps_the_day_inside_the_month() -> None:
    assert add_months(datetime.date(2020, 1, 31), 1) == datetime.date(2020, 2, 29)
    assert add_months(datetime.date(2018, 2, 28), 24) == datetime.date(2020, 2, 28)
    assert add_months(datetime.date(2020, 2, 29), -24) == datetime.date(2018, 2, 28)
    assert add_months(datetime.date(2019, 12, 5), 1) == datetime.date(2020, 1, 5)


dates = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2040, 12, 31))
ORDER = {CurrencyStatus.CURRENT: 0, CurrencyStatus.LAPSING: 1, CurrencyStatus.LAPSED: 2}


@given(
    student=dates,
    training=dates,
    today=dates,
    later=st.integers(min_value=0, max_value=2000),
    months=st.integers(min_value=1, max_value=60),
    warning=st.integers(min_value=0, max_value=12),
)
def test_currency_only_gets_worse_as_time_passes(
    student: datetime.date,
    training: datetime.date,
    today: datetime.date,
    later: int,
    months: int,
    warning: int,
) -> None:
    rules = CurrencyRules(months, months + 1, min(warning, months - 1))
    first = status(student=student, training=training, today=today, rules=rules)
    second = status(
        student=student,
        training=training,
        today=today + datetime.timedelta(days=later),
        rules=rules,
    )
    assert ORDER[first] <= ORDER[second]


@given(reaching=dates, months=st.integers(min_value=1, max_value=120))
def test_earliest_clock_is_the_exact_boundary(reaching: datetime.date, months: int) -> None:
    day = earliest_clock(months, reaching)
    assert add_months(day, months) >= reaching
    assert add_months(day - ONE_DAY, months) < reaching
