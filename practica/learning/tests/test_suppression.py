"""Small-number suppression with secondary suppression (SECURITY.md §12)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from practica.learning.surveys.suppression import suppress


def shown(cells: Sequence[object]) -> list[str]:
    return [str(cell) for cell in cells]


def test_counts_of_five_or_more_and_zeros_are_shown() -> None:
    rows, totals = suppress([[12, 7, 5, 0], [9, 0, 9, 0]], width=4)
    assert shown(rows[0]) == ["12", "7", "5", "0"]
    assert shown(totals) == ["21", "7", "14", "0"]


def test_counts_from_one_to_four_are_fewer_than_five() -> None:
    rows, _ = suppress([[8, 4, 4, 0], [20, 10, 5, 5]], width=4)
    assert shown(rows[0])[1:3] == ["fewer than 5", "fewer than 5"]


def test_a_lone_hidden_count_in_a_row_hides_the_next_smallest_so_the_total_gives_nothing_away() -> (
    None
):
    rows, _ = suppress([[20, 3, 6, 11], [30, 10, 10, 10]], width=4)
    assert shown(rows[0]) == ["20", "fewer than 5", "not shown", "11"]


def test_a_lone_hidden_count_in_a_column_hides_another_row_too() -> None:
    rows, totals = suppress([[3, 3, 0, 0], [9, 9, 0, 0], [12, 12, 0, 0]], width=4)
    assert shown([row[0] for row in rows]) == ["fewer than 5", "not shown", "12"]
    assert str(totals[0]) == "24"


def test_a_single_small_organisation_hides_its_totals_as_well() -> None:
    rows, totals = suppress([[3, 2, 1, 0]], width=4)
    assert shown(rows[0])[:3] == ["fewer than 5"] * 3
    assert shown(totals)[:3] == ["fewer than 5"] * 3


def test_no_total_gives_a_hidden_count_away() -> None:
    """Every row and column with a hidden cell has at least two, so no subtraction reveals one."""
    table = [[7, 7, 0, 0], [2, 0, 0, 2], [23, 11, 6, 6], [4, 1, 1, 2]]
    rows, totals = suppress(table, width=4)
    grid = [*rows, totals]
    lines = [list(row) for row in grid] + [list(column) for column in zip(*grid, strict=True)]
    for line in lines:
        assert sum(cell.hidden for cell in line) != 1, line


def test_rows_whose_first_count_is_not_their_total_are_refused() -> None:
    with pytest.raises(ValueError, match="the first being the sum"):
        suppress([[5, 1, 1, 1]], width=4)
