"""Academic years run 1 September to 31 August and are written like ``2019/20``."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError

_PATTERN = re.compile(r"^\s*(\d{4})\s*/\s*(\d{2}|\d{4})\s*$")
EARLIEST, LATEST = 1990, 2100


def format_academic_year(start_year: int) -> str:
    """``2019`` → ``"2019/20"``."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def parse_academic_year(text: str) -> int:
    """``"2019/20"`` (or ``"2019/2020"``) → ``2019``; anything else is refused with a clear message."""
    match = _PATTERN.match(text or "")
    if not match:
        raise ValidationError(
            f"“{text}” is not an academic year; write it like 2019/20.", code="invalid"
        )
    start, end = int(match.group(1)), match.group(2)
    expected_end = start + 1 if len(end) == 4 else (start + 1) % 100
    if int(end) != expected_end:
        raise ValidationError(
            f"“{text}” is not an academic year: the second year must follow the first, "
            f"as in {format_academic_year(start)}.",
            code="invalid",
        )
    if not EARLIEST <= start <= LATEST:
        raise ValidationError(
            f"“{text}” is outside the years Practica accepts ({EARLIEST} to {LATEST}).",
            code="out_of_range",
        )
    return start


def academic_year_of(day: datetime.date) -> int:
    """The start year of the academic year that contains ``day``."""
    return day.year if day.month >= 9 else day.year - 1


def bounds(start_year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of the academic year starting in ``start_year``."""
    return datetime.date(start_year, 9, 1), datetime.date(start_year + 1, 8, 31)
