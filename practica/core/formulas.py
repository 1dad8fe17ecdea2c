"""Spreadsheet formula injection (SECURITY.md §7): the one rule for every file Practica writes
for a spreadsheet, and its inverse for every file it reads.

Every writer (report downloads in CSV and XLSX, ``practica export-all``'s CSVs and workbook, the
import templates) passes its text cells through ``neutralise``; the import reader passes every
cell it reads through ``restore``. A text is *formula-like* when it begins with = + - @, with a
tab, carriage return or NUL, or with = + - @ after leading spaces, tabs, carriage returns or
line feeds. ``neutralise`` puts an apostrophe before such text, so a spreadsheet shows it as
text and never runs it. Text that already begins with apostrophes followed by formula-like text
gets one more, so that ``neutralise`` is one-to-one: ``restore(neutralise(text)) == text`` for
every text, and an export reads back exactly.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\x00")
# what may come before = + - @ and still let a spreadsheet run the rest as a formula
LEADING_SPACE = " \t\r\n"
QUOTE = "'"


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could run this text as a formula."""
    return text.startswith(FORMULA_STARTS) or text.lstrip(LEADING_SPACE).startswith(
        FORMULA_STARTS[:4]
    )


def _needs_quote(text: str) -> bool:
    # formula-like text, and text that would be read back as neutralised formula-like text
    return is_formula_like(text.lstrip(QUOTE))


def neutralise(value: Any) -> Any:
    """Formula-like text (and apostrophes before it) with one leading apostrophe more; other
    text and every other value as it is."""
    if isinstance(value, str) and _needs_quote(value):
        return QUOTE + value
    return value


def restore(text: str) -> str:
    """The text that ``neutralise`` made this cell from: a neutralised cell without its
    apostrophe, any other cell as it is."""
    if text.startswith(QUOTE) and _needs_quote(text[1:]):
        return text[1:]
    return text
