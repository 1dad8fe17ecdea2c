"""Small-number suppression for published counts about people (SECURITY.md §12).

Counts from 1 to 4 are shown as "fewer than 5". Where one hidden cell could be worked out from
a total (a row's first cell is the sum of the others; the totals row is the sum of the rows),
a second cell of that row or column is hidden too ("not shown"), repeating until no total gives
one away.
"""

from __future__ import annotations

from dataclasses import dataclass

THRESHOLD = 5


@dataclass(frozen=True)
class SuppressedCount:
    value: int
    hidden: bool

    @property
    def small(self) -> bool:
        """Hidden because it is small, not only to protect another cell."""
        return self.hidden and 0 < self.value < THRESHOLD

    def __str__(self) -> str:
        if not self.hidden:
            return str(self.value)
        return f"fewer than {THRESHOLD}" if self.small else "not shown"


def suppress(
    rows: list[list[int]], *, width: int
) -> tuple[list[list[SuppressedCount]], list[SuppressedCount]]:
    """The rows and their totals row, with primary and secondary suppression applied.

    In each row the first cell must be the sum of the others (refused with ValueError
    otherwise), so that row totals and column totals are both protected.
    """
    for row in rows:
        if len(row) != width or row[0] != sum(row[1:]):
            raise ValueError(f"each row has {width} counts, the first being the sum of the rest")
    table = [list(row) for row in rows]
    table.append([sum(column) for column in zip(*rows, strict=True)] if rows else [0] * width)
    totals_index = len(table) - 1
    hidden = {
        (r, c)
        for r, row in enumerate(table)
        for c, value in enumerate(row)
        if 0 < value < THRESHOLD
    }
    groups = [[(r, c) for c in range(width)] for r in range(len(table))]
    groups += [[(r, c) for r in range(len(table))] for c in range(width)]
    changed = True
    while changed:
        changed = False
        for group in groups:
            if sum(cell in hidden for cell in group) != 1:
                continue
            shown = [cell for cell in group if cell not in hidden]
            if not shown:
                continue
            # Hide the smallest other count, preferring a part to a total and a count to a zero.
            cell = min(
                shown,
                key=lambda rc: (
                    rc[0] == totals_index or rc[1] == 0,
                    table[rc[0]][rc[1]] == 0,
                    table[rc[0]][rc[1]],
                ),
            )
            hidden.add(cell)
            changed = True
    result = [
        [SuppressedCount(value, (r, c) in hidden) for c, value in enumerate(row)]
        for r, row in enumerate(table)
    ]
    return result[:-1], result[-1]
