"""The one formula rule for every file Practica writes and reads (SECURITY.md §7)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from practica.core.formulas import is_formula_like, neutralise, restore

FORMULA_LIKE = [
    "=1+2",
    "+44 1234",
    "-2+3",
    "-3",
    "@SUM(A1)",
    "\tcmd",
    "\rcmd",
    "\x00x",
    " =1+2",
    "  @SUM(A1)",
    "\t-2+3",
    "\r\n+1",
    '=HYPERLINK("http://evil")',
]


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_text_gets_one_apostrophe(text: str) -> None:
    assert is_formula_like(text)
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Duty team", "a=b", "x-1", "mail@example.test", "", " ", "'tis"])
def test_other_text_is_written_as_it_is(text: str) -> None:
    assert neutralise(text) == text
    assert restore(text) == text


def test_apostrophes_before_formula_like_text_get_one_more_so_they_read_back() -> None:
    assert neutralise("'=SUM(A1)") == "''=SUM(A1)"
    assert restore("''=SUM(A1)") == "'=SUM(A1)"
    assert restore("'=SUM(A1)") == "=SUM(A1)"


def test_values_that_are_not_text_pass_through() -> None:
    assert neutralise(-5) == -5
    assert neutralise(None) is None


@given(st.text())
def test_neutralised_text_is_never_formula_like(text: str) -> None:
    assert not is_formula_like(neutralise(text))


@given(st.text())
def test_every_text_reads_back_from_its_neutralised_form(text: str) -> None:
    assert restore(neutralise(text)) == text


@given(st.text())
def test_a_cell_that_restore_changes_is_what_neutralise_writes(cell: str) -> None:
    if restore(cell) != cell:
        assert neutralise(restore(cell)) == cell
