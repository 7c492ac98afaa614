"""Primary and secondary small-cell suppression: nothing below the threshold is shown, and no
hidden cell can be worked out from the published cells and totals."""

from __future__ import annotations

import numpy as np
import pytest

from dashboards import suppression
from dashboards.suppression import suppress


def exposed(
    published: list[list[int | None]], n_rows: int, n_cols: int, row_totals: bool, col_totals: bool
) -> list[tuple[int, int]]:
    """Independent oracle: hidden entries fixed by the published equations, found from the null
    space (SVD) of the equations restricted to the hidden entries. A hidden entry is determined
    exactly when every null-space vector is zero at it."""
    rows = len(published)
    cols = len(published[0])
    hidden = [(i, j) for i in range(rows) for j in range(cols) if published[i][j] is None]
    if not hidden:
        return []
    idx = {p: k for k, p in enumerate(hidden)}
    eqs = []
    if row_totals:
        for i in range(rows):
            eq = np.zeros(len(hidden))
            for j in range(n_cols):
                if (i, j) in idx:
                    eq[idx[(i, j)]] += 1
            if (i, n_cols) in idx:
                eq[idx[(i, n_cols)]] -= 1
            eqs.append(eq)
    if col_totals:
        for j in range(cols):
            eq = np.zeros(len(hidden))
            for i in range(n_rows):
                if (i, j) in idx:
                    eq[idx[(i, j)]] += 1
            if (n_rows, j) in idx:
                eq[idx[(n_rows, j)]] -= 1
            eqs.append(eq)
    a = np.array(eqs)
    _, s, vt = np.linalg.svd(a)
    rank = int((s > 1e-9).sum())
    null = vt[rank:]
    if null.shape[0] == 0:
        return hidden
    return [p for p, k in idx.items() if np.abs(null[:, k]).max() < 1e-9]


def test_primary_hides_small_nonzero_cells_and_shows_zeros() -> None:
    s = suppress([[0, 5, 40], [12, 30, 0]], 10, row_totals=False, col_totals=False)
    pub = s.published()
    assert pub[0][0] == 0 and pub[1][2] == 0
    assert pub[0][1] is None
    assert pub[0][2] == 40 and pub[1][0] == 12


def test_single_small_cell_gets_row_and_column_complements() -> None:
    values = [[100, 3, 50], [60, 70, 80], [90, 40, 20]]
    naive = [[v if not (0 < v < 10) else None for v in row] + [sum(row)] for row in values]
    naive.append([sum(c) for c in zip(*values, strict=True)] + [sum(map(sum, values))])
    # Primary suppression alone gives the cell away through its row total: the oracle sees it.
    assert exposed(naive, 3, 3, True, True) == [(0, 1)]
    s = suppress(values, 10, row_totals=True, col_totals=True)
    pub = s.published()
    assert pub[0][1] is None
    assert sum(v is None for v in pub[0]) >= 2  # a complement in its row
    assert sum(pub[i][1] is None for i in range(4)) >= 2  # and in its column
    assert exposed(pub, 3, 3, True, True) == []
    # The complement is the next-smallest cell of the row / column, not a total.
    assert pub[0][2] is None and pub[2][1] is None
    assert pub[3][3] == sum(map(sum, values))  # the grand total stays exact and shown


def test_small_total_is_hidden_and_protected() -> None:
    values = [[2, 3], [50, 60], [40, 45]]
    s = suppress(values, 10, row_totals=True, col_totals=True)
    pub = s.published()
    assert pub[0][2] is None  # row total 5 is itself a small cell
    for row in pub:
        for v in row:
            assert v is None or v == 0 or v >= 10
    assert exposed(pub, 3, 2, True, True) == []


def test_column_totals_only_annexure_layout() -> None:
    # One year, a Total row: a lone small State would be the Total minus the others.
    values = [[120], [4], [300], [55]]
    s = suppress(values, 10, row_totals=False, col_totals=True)
    pub = s.published()
    assert pub[1][0] is None
    assert sum(v is None for v in (row[0] for row in pub)) >= 2
    assert exposed(pub, 4, 1, False, True) == []


@pytest.mark.parametrize("seed", range(60))
def test_random_tables_never_expose_a_hidden_cell(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_rows, n_cols = int(rng.integers(2, 9)), int(rng.integers(1, 6))
    # Skewed counts: many small cells, a few large ones, some zeros.
    values = (rng.pareto(1.2, size=(n_rows, n_cols)) * 6).astype(int)
    values[rng.random((n_rows, n_cols)) < 0.15] = 0
    threshold = int(rng.integers(3, 12))
    row_totals = bool(rng.integers(0, 2)) and n_cols > 1
    s = suppress(values, threshold, row_totals=row_totals, col_totals=True)
    pub = s.published()
    for i, row in enumerate(pub):
        for j, v in enumerate(row):
            assert v is None or v == 0 or v >= threshold, (i, j, v)
            if v is not None:
                assert v == s.extended[i][j]  # shown figures are exact
    assert exposed(pub, n_rows, n_cols, row_totals, True) == []


def test_threshold_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    assert suppression.configured_threshold() == suppression.DEFAULT_THRESHOLD
    monkeypatch.setenv(suppression.THRESHOLD_ENV, "5")
    assert suppression.configured_threshold() == 5
    s = suppress([[7, 100], [50, 60]], suppression.configured_threshold(), col_totals=False)
    assert s.published()[0][0] == 7
    monkeypatch.setenv(suppression.THRESHOLD_ENV, "1")
    with pytest.raises(ValueError, match="at least 2"):
        suppression.configured_threshold()
    monkeypatch.setenv(suppression.THRESHOLD_ENV, "ten")
    with pytest.raises(ValueError, match="integer"):
        suppression.configured_threshold()


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        suppress([[1, -2]])
    with pytest.raises(ValueError, match="two-way"):
        suppress([1, 2, 3])  # type: ignore[arg-type]


def test_frame_marks_hidden_cells() -> None:
    s = suppress([[3, 40], [50, 60], [70, 80]], 10, row_totals=True, col_totals=True)
    df = s.frame(["A", "B", "C"], ["2024", "2025"])
    assert list(df.columns) == ["S.No.", "State/UT", "2024", "2025", "Total"]
    assert df.iloc[0]["2024"] == suppression.MARKER
    assert df.iloc[-1]["State/UT"] == "Total"
