"""Privacy by design: the pseudonymous analytics id and the minimum group size k with
complementary suppression."""

import itertools
import random

import pytest

from bascule.adoption.privacy import analytics_id, determined_entries, suppress_linked, suppress_table


def test_the_analytics_id_is_a_stable_keyed_hash(settings):
    settings.BASCULE_ANALYTICS_KEY = "one key"
    first = analytics_id(42)
    assert first == analytics_id(42) and len(first) == 16 and int(first, 16) >= 0
    assert analytics_id(43) != first
    settings.BASCULE_ANALYTICS_KEY = "another key"
    assert analytics_id(42) != first


def test_the_default_key_is_derived_from_the_secret_key_not_equal_to_it():
    from django.conf import settings

    assert settings.BASCULE_ANALYTICS_KEY and settings.SECRET_KEY not in settings.BASCULE_ANALYTICS_KEY


def test_a_small_cell_takes_a_complement_in_its_row_and_column():
    table = suppress_table([[10, 3, 12], [8, 9, 20]], k=5)
    # 3 < 5; its row would give it away (25 - 10 - 12), so 10 goes too; its column
    # (3 + 9 = 12) takes 9, then 9's row takes 8. Every row and column hides 0 or 2.
    assert table.cells == [[None, None, 12], [None, None, 20]]
    assert table.row_totals == [25, 37]
    assert table.column_totals == [18, 12, 32]
    assert table.total == 62


def test_a_segment_smaller_than_k_is_withheld_whole_and_cannot_be_recovered_from_the_total():
    table = suppress_table([[2, 1, 1], [30, 20, 10], [40, 25, 15]], k=5)
    assert table.cells[0] == [None, None, None] and table.row_totals[0] is None
    # Its population would be the organisation's minus the others': another one goes.
    assert sum(total is None for total in table.row_totals) >= 2


def test_zeros_alone_do_not_protect_each_other():
    # Two hidden zeros in a published row of 20 would both be known to be zero.
    table = suppress_table([[0, 0, 20], [6, 7, 8]], k=5)
    row = table.cells[0]
    assert row[2] is None or table.row_totals[0] is None


def consistent_values(table_values, shown, lines, bound):
    """Every value each hidden entry can take, over all non-negative assignments that
    agree with the published entries and the lines' additions (brute force)."""
    hidden = [i for i, value in enumerate(shown) if value is None]
    possible = {i: set() for i in hidden}
    # A cell is at most its line's published total.
    bounds = []
    for index in hidden:
        limits = [shown[line[-1]] for line in lines if index in line[:-1] and shown[line[-1]] is not None]
        bounds.append(min(limits + [bound]))
    if any(b == 0 for b in bounds):
        return None
    size = 1
    for b in bounds:
        size *= b + 1
    if size > 200_000:
        return None
    for guess in itertools.product(*(range(b + 1) for b in bounds)):
        trial = list(shown)
        for index, value in zip(hidden, guess):
            trial[index] = value
        if all(sum(trial[i] for i in line[:-1]) == trial[line[-1]] for line in lines):
            for index, value in zip(hidden, guess):
                possible[index].add(value)
    return possible


def grid_lines(height, width):
    position = lambda i, j: i * (width + 1) + j  # noqa: E731
    lines = [[position(i, j) for j in range(width + 1)] for i in range(height + 1)]
    lines += [[position(i, j) for i in range(height + 1)] for j in range(width + 1)]
    return lines


@pytest.mark.parametrize("seed", range(40))
def test_no_hidden_cell_can_be_recomputed_from_the_published_figures(seed):
    rng = random.Random(seed)
    height, width = rng.choice([(2, 2), (2, 3), (3, 2), (3, 3)])
    rows = [[rng.choice([0, 1, 2, 3, 4, 5, 6]) for _ in range(width)] for _ in range(height)]
    table = suppress_table(rows, k=3)
    shown = [value for i, row in enumerate(table.cells) for value in row + [table.row_totals[i]]]
    shown += table.column_totals + [table.total]
    published = [value for value in shown if value is not None]
    assert all(value >= 3 for value in published)
    hidden = [i for i, value in enumerate(shown) if value is None]
    if not hidden:
        return
    total = sum(map(sum, rows))
    possible = consistent_values(None, shown, grid_lines(height, width), total)
    if possible is None:  # too many combinations to try here; the linear algebra still must hold
        assert not determined_entries(hidden, grid_lines(height, width))
        return
    for index, values in possible.items():
        assert len(values) >= 2, (rows, table, index)


def test_the_linear_algebra_check_finds_a_cell_given_away_by_a_bridge():
    # Two 2×2 blocks of hidden cells joined by one hidden cell: each line hides 2 or more,
    # yet the joining cell is determined.
    rows = [
        [1, 1, 9, 9, 9],
        [1, 1, 1, 9, 9],
        [9, 9, 9, 1, 1],
        [9, 9, 9, 1, 1],
    ]
    position = lambda i, j: i * 6 + j  # noqa: E731
    hidden = [position(0, 0), position(0, 1), position(1, 0), position(1, 1), position(1, 2),
              position(2, 3), position(2, 4), position(3, 3), position(3, 4), position(2, 2)]
    assert position(1, 2) in determined_entries(hidden, grid_lines(4, 5)) or position(2, 2) in determined_entries(
        hidden, grid_lines(4, 5)
    )
    table = suppress_table(rows, k=2)
    shown = [v for i, row in enumerate(table.cells) for v in row + [table.row_totals[i]]]
    shown += table.column_totals + [table.total]
    assert not determined_entries([i for i, v in enumerate(shown) if v is None], grid_lines(4, 5))


def test_suppress_linked_handles_any_additive_lines():
    # contribution + promotion = contributors: hiding promotion hides contribution too.
    values = [12, 3, 15]
    assert suppress_linked(values, [[0, 1, 2]], k=5) == [None, None, 15]
