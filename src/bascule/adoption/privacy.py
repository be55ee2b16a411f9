"""Privacy by design (DESIGN.md): the pseudonymous analytics id and the minimum group size
with complementary suppression.

Suppression works on counts linked by additive relations ("lines"): the cells of a row
add up to the row's total, the cells of a column to the column's total, contribution and
promotion to the contributors. A published line with exactly one hidden value would give
that value away by subtraction, so a second value of the line is hidden too, the smallest,
and so on until every line hides none or at least two of its values.
"""

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

ANALYTICS_ID_LENGTH = 16  # hex digits: 64 bits, no collision to fear at any organisation's size


def analytics_id(person_id: int) -> str:
    """A person's stable pseudonymous id for analytics exports: HMAC-SHA256 of their id
    keyed with BASCULE_ANALYTICS_KEY, truncated. Without the key it links to nobody."""
    digest = hmac.new(settings.BASCULE_ANALYTICS_KEY.encode(), str(person_id).encode(), hashlib.sha256)
    return digest.hexdigest()[:ANALYTICS_ID_LENGTH]


def min_group_size() -> int:
    """k: the smallest group an aggregate may describe (never below 5)."""
    return max(5, settings.BASCULE_MIN_GROUP_SIZE)


def suppress_linked(
    values: Sequence[int],
    lines: Sequence[Sequence[int]],
    *,
    k: int,
    forced: Sequence[int] = (),
) -> list[int | None]:
    """``values`` with None where withheld: every value below ``k``, every index in
    ``forced``, and then complementary values, so that no line (indexes of values linked
    by one addition, such as cells and their total) withholds exactly one value.

    The complement chosen in a line is its smallest published value, so that as little
    as possible is lost; suppression only grows, so this ends.
    """
    hidden = [value < k for value in values]
    for index in forced:
        hidden[index] = True
    changed = True
    while changed:
        changed = False
        for line in lines:
            count = sum(1 for index in line if hidden[index])
            if count != 1:
                continue
            shown = [index for index in line if not hidden[index]]
            if not shown:
                continue
            smallest = min(shown, key=lambda index: (values[index], index))
            hidden[smallest] = True
            changed = True
    return [None if hide else value for value, hide in zip(values, hidden)]


@dataclass
class SuppressedTable:
    """A table of counts with its margins, None where withheld."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None


def suppress_table(rows: Sequence[Sequence[int]], *, k: int | None = None) -> SuppressedTable:
    """Withhold the counts of ``rows`` (segments × categories) that describe fewer than
    ``k`` people, and enough others that none can be recomputed from the row totals,
    the column totals or the grand total, which are published too (and withheld the same
    way). A row whose total is below ``k`` (a segment smaller than k) is withheld whole."""
    k = k or min_group_size()
    height, width = len(rows), len(rows[0]) if rows else 0
    # The table with its margins as one grid: (height + 1) × (width + 1), margins last.
    grid = [list(row) + [sum(row)] for row in rows]
    grid.append([sum(row[j] for row in rows) for j in range(width)] + [sum(sum(row) for row in rows)])
    position = lambda i, j: i * (width + 1) + j  # noqa: E731
    values = [value for row in grid for value in row]
    lines = [[position(i, j) for j in range(width + 1)] for i in range(height + 1)]
    lines += [[position(i, j) for i in range(height + 1)] for j in range(width + 1)]
    forced = [position(i, j) for i in range(height) for j in range(width + 1) if grid[i][width] < k]
    if grid[height][width] < k:
        forced = list(range(len(values)))
    shown = suppress_linked(values, lines, k=k, forced=forced)
    cells = [[shown[position(i, j)] for j in range(width + 1)] for i in range(height + 1)]
    return SuppressedTable(
        cells=[row[:width] for row in cells[:height]],
        row_totals=[row[width] for row in cells[:height]],
        column_totals=cells[height][:width],
        total=cells[height][width],
    )
