"""Cell parsers for import columns. Each takes the cell's text (never blank: blank optional cells
become None without a parser) and the ImportContext, and returns the value or raises
ImportCellError saying what is wrong and what is expected."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from practica.core.academic_years import parse_academic_year
from practica.imports.framework import ImportCellError, ImportContext

Parser = Callable[[str, ImportContext], Any]

YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y")
TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%H:%M:%S.%f")


def text(*, max_length: int | None = None) -> Parser:
    def parse(value: str, ctx: ImportContext) -> str:
        if max_length is not None and len(value) > max_length:
            raise ImportCellError(f"is {len(value)} characters long; at most {max_length} fit.")
        return value

    return parse


def email(value: str, ctx: ImportContext) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise ImportCellError(f"“{value}” is not an e-mail address.") from None
    return value.lower()


def integer(*, minimum: int | None = None, maximum: int | None = None) -> Parser:
    def parse(value: str, ctx: ImportContext) -> int:
        if not re.fullmatch(r"[+-]?\d+", value.replace(",", "")):
            raise ImportCellError(f"“{value}” is not a whole number.")
        number = int(value.replace(",", ""))
        if minimum is not None and number < minimum:
            raise ImportCellError(f"{number} is below the smallest allowed value, {minimum}.")
        if maximum is not None and number > maximum:
            raise ImportCellError(f"{number} is above the largest allowed value, {maximum}.")
        return number

    return parse


def decimal(value: str, ctx: ImportContext) -> Decimal:
    try:
        return Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise ImportCellError(f"“{value}” is not a number.") from None


def yes_no(value: str, ctx: ImportContext) -> bool:
    lowered = value.lower()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    raise ImportCellError(f"“{value}” is not yes or no.")


def user_email(value: str, ctx: ImportContext) -> str:
    """The e-mail address of a user who has an account, or whom a users file earlier in the
    same batch adds."""
    from practica.accounts.models import User

    address = email(value, ctx)
    pending = ctx.pending.get("users", set())
    has_account = ctx.remember(
        ("user", address), lambda: User.objects.filter(email__iexact=address).exists() or None
    )
    if has_account or any(key[0] == address for key in pending):
        return address
    raise ImportCellError(f"no user has the e-mail address {address}.")


def date(value: str, ctx: ImportContext) -> datetime.date:
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ImportCellError(f"“{value}” is not a date; write it like 2020-01-06 or 06/01/2020.")


def date_time(value: str, ctx: ImportContext) -> datetime.datetime:
    """A date and a time of day in the partnership's time zone, like 2019-10-03 09:30."""
    day, _, time = value.replace("T", " ").strip().rpartition(" ")
    for time_pattern in TIME_FORMATS:
        try:
            moment = datetime.datetime.strptime(time.strip(), time_pattern).time()
        except ValueError:
            continue
        try:
            return timezone.make_aware(datetime.datetime.combine(date(day.strip(), ctx), moment))
        except ImportCellError:
            break
    raise ImportCellError(
        f"“{value}” is not a date and time; write it like 2019-10-03 09:30 or 03/10/2019 09:30."
    )


def lines(value: str, ctx: ImportContext) -> list[str]:
    """One item per line of the cell (or, in a cell of one line, items separated by ';')."""
    parts = value.splitlines() if "\n" in value.strip() else value.split(";")
    return [part.strip() for part in parts if part.strip()]


def choice(values: Iterable[str]) -> Parser:
    allowed = list(values)

    def parse(value: str, ctx: ImportContext) -> str:
        lowered = value.strip().lower()
        if lowered not in allowed:
            raise ImportCellError(f"“{value}” is not one of: {', '.join(allowed)}.")
        return lowered

    return parse


def multi_choice(values: Iterable[str], *, separator: str = ";") -> Parser:
    allowed = list(values)

    def parse(value: str, ctx: ImportContext) -> list[str]:
        chosen = [part.strip().lower() for part in value.split(separator) if part.strip()]
        unknown = [part for part in chosen if part not in allowed]
        if unknown:
            raise ImportCellError(
                f"“{', '.join(unknown)}” {'is' if len(unknown) == 1 else 'are'} not among: "
                f"{', '.join(allowed)} (separate several with '{separator}')."
            )
        return list(dict.fromkeys(chosen))

    return parse


def academic_year(value: str, ctx: ImportContext) -> Any:
    """An academic year written like 2019/20, as a ``core.AcademicYear``.

    While checking, a year not yet in the database comes back unsaved (look records up by
    ``academic_year__start_year``); while applying it is created.
    """
    from practica.core.models import AcademicYear
    from practica.core.services import ensure_academic_year

    try:
        start = parse_academic_year(value)
    except ValidationError as error:
        raise ImportCellError(error.messages[0]) from None
    if ctx.applying:
        return ensure_academic_year(start_year=start)
    return AcademicYear.objects.filter(start_year=start).first() or AcademicYear(start_year=start)


def organisation(value: str, ctx: ImportContext) -> Any:
    """An organisation by its code, which the importing user may write to."""
    return ctx.organisation(value)
