"""Whether a practice educator is current, lapsing or lapsed on a given day: pure functions.

The rules (docs/0006-pe-currency.md): a qualified practice educator stays current while their
last student *and* their last update training each lie within the partnership's period
(24 months by default). Achieving a PEPS stage counts as both, since each stage is assessed on a
student placement with its own training. A PE is *lapsing* when the day they would lapse falls
within the warning window (3 months by default).

``currency_of`` decides one PE in Python; ``thresholds`` turns the same rules into the earliest
qualifying dates so that a database query can filter a whole register the same way.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.formats import date_format

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class CurrencyRules:
    months_since_student: int = 24
    months_since_training: int = 24
    warning_months: int = 3
    review_months: int = 12


DEFAULT_RULES = CurrencyRules()


class CurrencyStatus(models.TextChoices):
    CURRENT = "current", "Current"
    LAPSING = "lapsing", "Lapsing"
    LAPSED = "lapsed", "Lapsed"
    NOT_QUALIFIED = "not_qualified", "Not yet qualified"


@dataclass(frozen=True)
class Currency:
    status: CurrencyStatus
    reasons: tuple[str, ...]
    lapses_on: datetime.date | None  # the first day on which the PE is (or was) lapsed

    @property
    def label(self) -> str:
        return self.status.label

    @property
    def current_until(self) -> datetime.date | None:
        return self.lapses_on - ONE_DAY if self.lapses_on else None


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by ``months`` calendar months, kept inside the month (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def lapse_date(clock: datetime.date, months: int) -> datetime.date:
    """The first day on which something last done on ``clock`` is more than ``months`` old."""
    return add_months(clock, months) + ONE_DAY


def earliest_clock(months: int, reaching: datetime.date) -> datetime.date:
    """The earliest date ``d`` with ``add_months(d, months) >= reaching``.

    ``add_months`` never decreases as ``d`` grows, so every later date qualifies too: a query
    ``clock >= earliest_clock(...)`` selects exactly the rows ``currency_of`` would.
    """
    day = add_months(reaching, -months)
    while add_months(day, months) < reaching:
        day += ONE_DAY
    while add_months(day - ONE_DAY, months) >= reaching:
        day -= ONE_DAY
    return day


@dataclass(frozen=True)
class Thresholds:
    """Earliest dates that keep a PE out of each state on ``today`` (for database filters)."""

    student_current: datetime.date  # student clock before this → lapsed
    student_not_lapsing: datetime.date  # student clock before this → lapsing (or lapsed)
    training_current: datetime.date
    training_not_lapsing: datetime.date
    reviewed_in_time: datetime.date  # last review before this → review overdue


def thresholds(rules: CurrencyRules, today: datetime.date) -> Thresholds:
    warn = add_months(today, rules.warning_months)
    return Thresholds(
        student_current=earliest_clock(rules.months_since_student, today),
        student_not_lapsing=earliest_clock(rules.months_since_student, warn),
        training_current=earliest_clock(rules.months_since_training, today),
        training_not_lapsing=earliest_clock(rules.months_since_training, warn),
        reviewed_in_time=earliest_clock(rules.review_months, today),
    )


def latest(*days: datetime.date | None) -> datetime.date | None:
    known = [day for day in days if day is not None]
    return max(known) if known else None


def _show(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def currency_of(
    *,
    qualified: bool,
    stage1_date: datetime.date | None,
    stage2_date: datetime.date | None,
    last_student_date: datetime.date | None,
    last_training_date: datetime.date | None,
    rules: CurrencyRules,
    today: datetime.date,
) -> Currency:
    """Current, lapsing, lapsed (with every reason) or not yet qualified, on ``today``.

    A PE with no date at all for a rule is lapsed under it: nothing shows they are current.
    """
    if not qualified:
        return Currency(
            CurrencyStatus.NOT_QUALIFIED, ("Currency applies from PEPS Stage 1.",), None
        )
    warn_until = add_months(today, rules.warning_months)
    checks = [
        (
            latest(last_student_date, stage1_date, stage2_date),
            rules.months_since_student,
            "a student",
            "No student supervised or assessed is recorded.",
        ),
        (
            latest(last_training_date, stage1_date, stage2_date),
            rules.months_since_training,
            "update training",
            "No update training is recorded.",
        ),
    ]
    lapsed: list[str] = []
    lapsing: list[str] = []
    lapse_days: list[datetime.date] = []
    for clock, months, what, missing in checks:
        if clock is None:
            lapsed.append(missing)
            continue
        lapses_on = lapse_date(clock, months)
        lapse_days.append(lapses_on)
        if today >= lapses_on:
            lapsed.append(
                f"No {what} within {months} months: the last was on {_show(clock)}, "
                f"so currency lapsed on {_show(lapses_on)}."
            )
        elif lapses_on <= warn_until:
            lapsing.append(
                f"Needs {what} by {_show(lapses_on - ONE_DAY)}: the last was on {_show(clock)}."
            )
    first_lapse = min(lapse_days) if len(lapse_days) == len(checks) else None
    if lapsed:
        return Currency(CurrencyStatus.LAPSED, tuple(lapsed + lapsing), first_lapse)
    if lapsing:
        return Currency(CurrencyStatus.LAPSING, tuple(lapsing), first_lapse)
    return Currency(CurrencyStatus.CURRENT, (), first_lapse)


def review_due_on(reviewed_on: datetime.date | None, rules: CurrencyRules) -> datetime.date | None:
    """The last day the annual review is in time; None when there has never been one."""
    return add_months(reviewed_on, rules.review_months) if reviewed_on else None


def review_overdue(
    reviewed_on: datetime.date | None, rules: CurrencyRules, today: datetime.date
) -> bool:
    due = review_due_on(reviewed_on, rules)
    return due is None or today > due
