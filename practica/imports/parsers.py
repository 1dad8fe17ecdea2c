"""Cell types of import columns: each reads a cell's text into a value and writes a value as
the text it reads back, so an import and an export (``practica export-all``) cannot drift apart.

A cell type's ``parse(text, ctx)`` takes the cell's text (never blank: blank optional cells
become None, or the column's default, without a parser) and the ImportContext, and returns the
value or raises ImportCellError saying what is wrong and what is expected. Its ``format(value)``
writes a value (never blank) as the text ``parse`` reads back as that value, and ``key(value)``
is what is compared when an import decides whether a record is unchanged (names found without
regard to case are compared without it). A cell type is called like its parser.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone

from practica.accounts.models import User
from practica.core.academic_years import format_academic_year, parse_academic_year
from practica.core.models import AcademicYear
from practica.core.services import ensure_academic_year
from practica.imports import suggestions
from practica.imports.framework import ImportCellError, ImportContext, is_blank
from practica.imports.suggestions import words

Parser = Callable[[str, ImportContext], Any]

YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y")
TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%H:%M:%S.%f")


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Cell:
    """One type of cell, both ways: ``parse`` reads a cell, ``format`` writes one, ``key`` is
    what is compared (see the module's docstring)."""

    parse: Parser
    format: Callable[[Any], str] = str
    key: Callable[[Any], Any] = _same
    # the values a person picks from (a template's drop-down list), when the cell has a list
    options: tuple[str, ...] = ()

    def __call__(self, value: str, ctx: ImportContext) -> Any:
        return self.parse(value, ctx)

    def write(self, value: Any) -> str:
        """The cell's text for this value; blank for nothing."""
        return "" if is_blank(value) else self.format(value)

    def same(self, parsed: Any, recorded: Any) -> bool:
        """Whether a parsed cell states what a record holds (nothing equals only nothing)."""
        if is_blank(parsed) or is_blank(recorded):
            return is_blank(parsed) and is_blank(recorded)
        return bool(self.key(parsed) == self.key(recorded))


def _lower(value: Any) -> Any:
    return str(value).lower()


def text(*, max_length: int | None = None, ignore_case: bool = False) -> Cell:
    """Text as it is. ``ignore_case``: the record is found by it (or it names another record)
    without regard to case, so a difference of case alone leaves the record unchanged."""

    def parse(value: str, ctx: ImportContext) -> str:
        if max_length is not None and len(value) > max_length:
            raise ImportCellError(f"is {len(value)} characters long; at most {max_length} fit.")
        return value

    return Cell(parse, key=_lower if ignore_case else _same)


def _parse_email(value: str, ctx: ImportContext) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise ImportCellError(f"“{value}” is not an e-mail address.") from None
    return value.lower()


email = Cell(_parse_email, key=_lower)


def integer(*, minimum: int | None = None, maximum: int | None = None) -> Cell:
    def parse(value: str, ctx: ImportContext) -> int:
        if not re.fullmatch(r"[+-]?\d+", value.replace(",", "")):
            raise ImportCellError(f"“{value}” is not a whole number.")
        number = int(value.replace(",", ""))
        if minimum is not None and number < minimum:
            raise ImportCellError(f"{number} is below the smallest allowed value, {minimum}.")
        if maximum is not None and number > maximum:
            raise ImportCellError(f"{number} is above the largest allowed value, {maximum}.")
        return number

    return Cell(parse)


def _parse_decimal(value: str, ctx: ImportContext) -> Decimal:
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise ImportCellError(f"“{value}” is not a number.") from None
    if not number.is_finite():  # Decimal reads "NaN" and "Infinity", which no record holds
        raise ImportCellError(f"“{value}” is not a number.")
    return number


decimal = Cell(_parse_decimal)


def _parse_yes_no(value: str, ctx: ImportContext) -> bool:
    lowered = value.lower()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    raise ImportCellError(f"“{value}” is not yes or no.")


yes_no = Cell(_parse_yes_no, format=lambda value: "yes" if value else "no", options=("yes", "no"))


def _parse_user_email(value: str, ctx: ImportContext) -> str:
    """The e-mail address of a user who has an account, or whom a users file earlier in the
    same batch adds."""
    address: str = email(value, ctx)
    pending = ctx.pending.get("users", set())
    has_account = ctx.remember(
        ("user", address), lambda: User.objects.filter(email__address=address).exists() or None
    )
    if has_account or any(key[0] == address for key in pending):
        return address
    raise ImportCellError(f"no user has the e-mail address {address}.")


user_email = Cell(_parse_user_email, key=_lower)


def _parse_date(value: str, ctx: ImportContext) -> datetime.date:
    if len(value) == 10 and value[4] == value[7] == "-" and value.replace("-", "").isdigit():
        # 2020-01-06, the first of DATE_FORMATS, without strptime's cost (a tenth of a large
        # import's checking); fromisoformat reads these ten characters exactly as it would
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass  # e.g. 2020-02-30: the formats below refuse it with the same message
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ImportCellError(f"“{value}” is not a date; write it like 2020-01-06 or 06/01/2020.")


date = Cell(_parse_date, format=lambda value: value.isoformat())


def _parse_date_time(value: str, ctx: ImportContext) -> datetime.datetime:
    """A date and a time of day in the partnership's time zone, like 2019-10-03 09:30."""
    day, _, time = value.replace("T", " ").strip().rpartition(" ")
    for time_pattern in TIME_FORMATS:
        try:
            moment = datetime.datetime.strptime(time.strip(), time_pattern).time()
        except ValueError:
            continue
        try:
            return timezone.make_aware(
                datetime.datetime.combine(_parse_date(day.strip(), ctx), moment)
            )
        except ImportCellError:
            break
    raise ImportCellError(
        f"“{value}” is not a date and time; write it like 2019-10-03 09:30 or 03/10/2019 09:30."
    )


def _format_date_time(value: datetime.datetime) -> str:
    """In the partnership's time zone, to the minute, or to the second or microsecond where
    the record holds them (so it reads back exactly)."""
    local = timezone.localtime(value)
    time = "%H:%M:%S.%f" if local.microsecond else "%H:%M:%S" if local.second else "%H:%M"
    return f"{local.date().isoformat()} {local.strftime(time)}"


date_time = Cell(_parse_date_time, format=_format_date_time)


def _parse_lines(value: str, ctx: ImportContext) -> list[str]:
    """One item per line of the cell (or, in a cell of one line, items separated by ';')."""
    parts = value.splitlines() if "\n" in value.strip() else value.split(";")
    return [part.strip() for part in parts if part.strip()]


# Items in order, written one per line. (A single item containing ";" cannot be written so
# that it reads back as one item.)
lines = Cell(_parse_lines, format="\n".join, key=tuple)


def _sorted_lines(values: Iterable[str]) -> str:
    return "\n".join(sorted(values))


def _addresses(values: Iterable[str]) -> frozenset[str]:
    return frozenset(value.lower() for value in values)


# E-mail addresses one per line (or separated by ';') naming people, as a set: written sorted,
# compared without case. The importer checks that each names someone.
email_list = Cell(_parse_lines, format=_sorted_lines, key=_addresses)


# what ``choice`` and ``multi_choice`` take: the allowed codes, or Django choices (a
# ``TextChoices`` class), whose labels (as Practica shows them) are then accepted as well
Choosable = Iterable[str] | type[models.Choices]


def _codes_and_labels(values: Choosable) -> tuple[list[str], dict[str, str]]:
    if isinstance(values, type) and issubclass(values, models.Choices):
        codes = [str(code) for code in values.values]
        return codes, {words(str(label)): str(code) for code, label in values.choices}
    return list(values), {}


def _shown(values: Choosable) -> dict[str, str]:
    """Each allowed code → what a person is shown: the label of Django choices, else the code."""
    if isinstance(values, type) and issubclass(values, models.Choices):
        return {str(code): str(label) for code, label in values.choices}
    return {str(code): str(code) for code in values}


def _not_allowed(unknown: str, values: Choosable) -> str:
    shown = _shown(values)
    return f"{', '.join(shown.values())}.{suggestions.did_you_mean(unknown, shown)}"


def _code_of(value: str, codes: list[str], labels: dict[str, str]) -> str | None:
    lowered = value.strip().lower()
    if lowered in codes:
        return lowered
    return labels.get(words(value))


def choice(values: Choosable) -> Cell:
    """One of the allowed codes; given Django choices, their labels too (an export writes the
    code)."""
    codes, labels = _codes_and_labels(values)

    def parse(value: str, ctx: ImportContext) -> str:
        code = _code_of(value, codes, labels)
        if code is None:
            raise ImportCellError(f"“{value}” is not one of: {_not_allowed(value, values)}")
        return code

    return Cell(parse, options=tuple(_shown(values).values()))


def multi_choice(values: Choosable, *, separator: str = ";") -> Cell:
    """Several of the allowed values (codes, or labels of Django choices), as a set (written
    in the order they are allowed in, as codes)."""
    allowed, labels = _codes_and_labels(values)

    def format(chosen: Iterable[str]) -> str:
        return separator.join(value for value in allowed if value in set(chosen))

    def parse(value: str, ctx: ImportContext) -> list[str]:
        parts = [part for part in value.split(separator) if part.strip()]
        found = [(part, _code_of(part, allowed, labels)) for part in parts]
        unknown = [part.strip().lower() for part, code in found if code is None]
        if unknown:
            shown = ", ".join(_shown(values).values())
            raise ImportCellError(
                f"“{', '.join(unknown)}” {'is' if len(unknown) == 1 else 'are'} not among: "
                f"{shown} (separate several with '{separator}')."
            )
        return list(dict.fromkeys(code for _part, code in found if code is not None))

    return Cell(parse, format=format, key=frozenset)


def _parse_academic_year(value: str, ctx: ImportContext) -> Any:
    """An academic year written like 2019/20, as a ``core.AcademicYear``.

    While checking, a year not yet in the database comes back unsaved (look records up by
    ``academic_year__start_year``); while applying it is created.
    """
    try:
        start = parse_academic_year(value)
    except ValidationError as error:
        raise ImportCellError(error.messages[0]) from None
    if ctx.applying:
        return ensure_academic_year(start_year=start)
    return AcademicYear.objects.filter(start_year=start).first() or AcademicYear(start_year=start)


# compared by start year: while checking, a year not yet recorded is an unsaved AcademicYear
academic_year = Cell(
    _parse_academic_year,
    format=lambda year: format_academic_year(year.start_year),
    key=lambda year: year.start_year,
)


def _parse_service_area(value: str, ctx: ImportContext) -> Any:
    """A ``core.ServiceArea`` by its code (childrens, adults, …) or its name."""
    from practica.imports import lookups

    area = lookups.service_area(ctx, value)
    if area is None:
        shown = lookups.service_area_names(ctx)
        raise ImportCellError(
            f"“{value}” is not a service area; use one of: {', '.join(shown.values())}."
            f"{suggestions.did_you_mean(value, shown)}"
        )
    return area


service_area = Cell(_parse_service_area, format=lambda area: area.code)


def _parse_organisation(value: str, ctx: ImportContext) -> Any:
    """An organisation by its code, which the importing user may write to."""
    return ctx.organisation(value)


organisation = Cell(_parse_organisation, format=lambda organisation: organisation.code)
