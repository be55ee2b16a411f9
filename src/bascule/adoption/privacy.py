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


_PRIME = (1 << 61) - 1


def determined_entries(hidden: Sequence[int], lines: Sequence[Sequence[int]]) -> set[int]:
    """The hidden entries that the published ones give away through the lines' additions
    (each line: its last entry is the sum of the others).

    Linear algebra over the hidden entries: an entry is determined when its unit vector
    lies in the row space of the lines restricted to the hidden entries. Rows are reduced
    modulo a large prime (coefficients are ±1, so the rank is the rational one).
    """
    hidden_set = set(hidden)
    rows: list[dict[int, int]] = []
    for line in lines:
        row = {}
        for position, index in enumerate(line):
            if index in hidden_set:
                row[index] = (row.get(index, 0) + (-1 if position == len(line) - 1 else 1)) % _PRIME
        row = {index: value for index, value in row.items() if value}
        if row:
            rows.append(row)
    pivots: dict[int, dict[int, int]] = {}  # pivot column → its row, normalised (pivot = 1)
    for row in rows:
        for column, pivot_row in pivots.items():
            factor = row.get(column)
            if factor:
                for index, value in pivot_row.items():
                    updated = (row.get(index, 0) - factor * value) % _PRIME
                    if updated:
                        row[index] = updated
                    else:
                        row.pop(index, None)
        if not row:
            continue
        column = min(row)
        inverse = pow(row[column], _PRIME - 2, _PRIME)
        row = {index: value * inverse % _PRIME for index, value in row.items()}
        for other in pivots.values():
            factor = other.get(column)
            if factor:
                for index, value in row.items():
                    updated = (other.get(index, 0) - factor * value) % _PRIME
                    if updated:
                        other[index] = updated
                    else:
                        other.pop(index, None)
        pivots[column] = row
    return {column for column, row in pivots.items() if len(row) == 1}


def suppress_linked(
    values: Sequence[int],
    lines: Sequence[Sequence[int]],
    *,
    k: int,
    forced: Sequence[int] = (),
) -> list[int | None]:
    """``values`` with None where withheld: every value below ``k``, every index in
    ``forced``, and then complementary values, so that no hidden value can be recomputed
    from the published ones. Each line lists indexes of values linked by one addition,
    its last index being the sum of the others (cells then their total).

    First the rule of thumb: a line hiding exactly one value (or only zeros, which
    non-negative counts give away) hides its smallest published value too, until no
    line does. Then a check by linear algebra
    catches the rarer patterns that still give a value away (a hidden cell linking two
    otherwise separate groups of hidden cells), and hides more until none does.
    Suppression only grows, so this ends; the complement chosen is always the smallest
    published value of a line, so that as little as possible is lost.
    """
    hidden = [value < k for value in values]
    for index in forced:
        hidden[index] = True

    def hide_smallest(line) -> bool:
        # A zero hidden as a complement protects nothing: the smallest positive value first.
        shown = [index for index in line if not hidden[index]]
        if not shown:
            return False
        hidden[min(shown, key=lambda index: (values[index] == 0, values[index], index))] = True
        return True

    def gives_away(line) -> bool:
        """Exactly one hidden value, or hidden cells (not the total) that add up to zero:
        counts are never negative, so each of them would be zero."""
        hidden_here = [index for index in line if hidden[index]]
        if len(hidden_here) == 1:
            return True
        return bool(hidden_here) and not hidden[line[-1]] and all(values[i] == 0 for i in hidden_here)

    lines_of: dict[int, list[Sequence[int]]] = {}
    for line in lines:
        for index in line:
            lines_of.setdefault(index, []).append(line)
    while True:
        changed = True
        while changed:
            changed = False
            for line in lines:
                if gives_away(line) and hide_smallest(line):
                    changed = True
        given_away = determined_entries([i for i, hide in enumerate(hidden) if hide], lines)
        if not given_away:
            break
        index = min(given_away)
        if not any(hide_smallest(line) for line in lines_of.get(index, [])):
            # Every line through it is hidden whole: widen anywhere, smallest first.
            shown = [i for i, hide in enumerate(hidden) if not hide]
            hidden[min(shown, key=lambda i: (values[i], i))] = True
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
