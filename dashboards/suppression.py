"""Primary and secondary small-cell suppression of a two-way table with its totals.

The table is seen with its margins as one extended matrix: interior cells, a Total column (row
totals), a Total row (column totals) and the grand total. Every row and every column of that
matrix is a published equation ("the cells add up to the total"), called a *line*.

1. **Primary**: every entry, totals included, with ``0 < value < threshold`` is hidden. Zeros
   are shown: a zero discloses no one.
2. **Secondary**, repeated until nothing changes:

   a. a line with exactly one hidden entry would give it away by subtraction, so the smallest
      visible entry of that line is hidden too (an interior cell before a total, a non-zero
      cell before a zero);
   b. then the whole system is checked by linear algebra: a hidden entry whose value follows
      from the published numbers through any combination of lines (``e_k`` lies in the row
      space of the equations restricted to the hidden entries) gets a further complement in
      one of its lines.

Totals are computed from the true (unsuppressed) counts and shown wherever they are not hidden,
so what is published is exact, and no hidden entry can be derived from what is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from core.settings import Settings, env_name, setting

DEFAULT_THRESHOLD: Final[int] = Settings.model_fields["suppression_threshold"].default
THRESHOLD_ENV: Final = env_name("suppression_threshold")
MARKER: Final = "*"
NOTE: Final = (
    "Cells marked * are suppressed: fewer than {t} cases, or a figure from which such a cell could "
    "be worked out from the totals."
)


def configured_threshold() -> int:
    """The threshold from ``$CCTNS_SUPPRESSION_THRESHOLD`` (default 10); at least 2."""
    return int(setting("suppression_threshold"))


Position = tuple[int, int]


@dataclass(frozen=True)
class Suppressed:
    """A suppressed table: ``extended`` holds the true counts with the margins, ``hidden`` which
    entries are withheld, ``primary`` which of those are small cells themselves."""

    extended: np.ndarray
    hidden: np.ndarray
    primary: np.ndarray
    n_rows: int
    n_cols: int
    row_totals: bool
    col_totals: bool
    threshold: int

    @property
    def values(self) -> np.ndarray:
        return self.extended[: self.n_rows, : self.n_cols]

    @property
    def n_hidden(self) -> int:
        return int(self.hidden.sum())

    def cell(self, i: int, j: int) -> int | None:
        """The published value of an entry of the extended matrix (None when hidden)."""
        return None if self.hidden[i, j] else int(self.extended[i, j])

    def published(self) -> list[list[int | None]]:
        """The extended matrix as published: None where hidden."""
        return [
            [self.cell(i, j) for j in range(self.extended.shape[1])] for i in range(self.extended.shape[0])
        ]

    def frame(
        self,
        row_labels: Sequence[str],
        col_labels: Sequence[str],
        *,
        row_header: str = "State/UT",
        total_label: str = "Total",
        serial: bool = True,
    ) -> pd.DataFrame:
        """The table as text, hidden entries shown as ``*``, with S.No. and the Total row/column."""
        if len(row_labels) != self.n_rows or len(col_labels) != self.n_cols:
            raise ValueError("labels do not match the table's shape")
        cols = list(col_labels) + ([total_label] if self.row_totals else [])
        records: list[dict[str, str]] = []
        for i in range(self.extended.shape[0]):
            is_total = i == self.n_rows
            rec: dict[str, str] = {}
            if serial:
                rec["S.No."] = "" if is_total else str(i + 1)
            rec[row_header] = total_label if is_total else str(row_labels[i])
            for j, name in enumerate(cols):
                v = self.cell(i, j)
                rec[name] = MARKER if v is None else f"{v}"
            records.append(rec)
        return pd.DataFrame.from_records(records)


def _lines(n_rows: int, n_cols: int, row_totals: bool, col_totals: bool) -> list[list[Position]]:
    """Each published equation as its entries; the last entry is the margin (the total)."""
    lines: list[list[Position]] = []
    rows = n_rows + (1 if col_totals else 0)
    cols = n_cols + (1 if row_totals else 0)
    if row_totals:
        for i in range(rows):
            lines.append([(i, j) for j in range(n_cols)] + [(i, n_cols)])
    if col_totals:
        for j in range(cols):
            lines.append([(i, j) for i in range(n_rows)] + [(n_rows, j)])
    return lines


def _extend(values: np.ndarray, row_totals: bool, col_totals: bool) -> np.ndarray:
    ext = values
    if row_totals:
        ext = np.hstack([ext, ext.sum(axis=1, keepdims=True)])
    if col_totals:
        ext = np.vstack([ext, ext.sum(axis=0, keepdims=True)])
    return ext


def derivable(extended: np.ndarray, hidden: np.ndarray, lines: list[list[Position]]) -> list[Position]:
    """Hidden entries whose value is fixed by the published lines (linear algebra)."""
    hid = [tuple(p) for p in np.argwhere(hidden)]
    if not hid:
        return []
    index = {p: k for k, p in enumerate(hid)}
    rows = []
    for line in lines:
        margin = line[-1]
        coef = np.zeros(len(hid))
        for p in line:
            if p in index:
                coef[index[p]] = -1.0 if p == margin else 1.0
        if coef.any():
            rows.append(coef)
    if not rows:
        return []
    a = np.array(rows)
    rank = np.linalg.matrix_rank(a)
    out: list[Position] = []
    for p, k in index.items():
        unit = np.zeros((1, len(hid)))
        unit[0, k] = 1.0
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            out.append((int(p[0]), int(p[1])))
    return out


def suppress(
    values: Sequence[Sequence[int]] | np.ndarray,
    threshold: int = DEFAULT_THRESHOLD,
    *,
    row_totals: bool = False,
    col_totals: bool = True,
) -> Suppressed:
    """Suppress a table of non-negative counts; see the module docstring for the rule."""
    if threshold < 2:
        raise ValueError(f"threshold must be at least 2, got {threshold}")
    arr = np.asarray(values, dtype=np.int64)
    if arr.ndim != 2:
        raise ValueError("suppress() takes a two-way table (rows x columns)")
    if (arr < 0).any():
        raise ValueError("suppress() takes counts: negative values are not allowed")
    n_rows, n_cols = arr.shape
    ext = _extend(arr, row_totals, col_totals)
    primary = (ext > 0) & (ext < threshold)
    hidden = primary.copy()
    lines = _lines(n_rows, n_cols, row_totals, col_totals)

    def is_margin(p: Position) -> bool:
        return p[0] >= n_rows or p[1] >= n_cols

    def complement(line: list[Position]) -> Position | None:
        visible = [p for p in line if not hidden[p]]
        if not visible:
            return None
        return min(visible, key=lambda p: (is_margin(p), ext[p] == 0, ext[p], p))

    for _ in range(ext.size + 1):
        changed = False
        for line in lines:
            if sum(bool(hidden[p]) for p in line) == 1:
                pick = complement(line)
                if pick is not None:
                    hidden[pick] = True
                    changed = True
        if changed:
            continue
        for p in derivable(ext, hidden, lines):
            through = [line for line in lines if p in line]
            through.sort(key=lambda line: sum(bool(hidden[q]) for q in line))
            for line in through:
                pick = complement(line)
                if pick is not None:
                    hidden[pick] = True
                    changed = True
                    break
            if changed:
                break
        if not changed:
            break
    return Suppressed(
        extended=ext,
        hidden=hidden,
        primary=primary,
        n_rows=n_rows,
        n_cols=n_cols,
        row_totals=row_totals,
        col_totals=col_totals,
        threshold=threshold,
    )
