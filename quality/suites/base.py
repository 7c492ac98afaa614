"""What a check is.

Per-upload suites compute a **metrics frame** with Polars from the lake: one row per load of the
run, with counts, rates and bounds. Each :class:`Check` compares one measured column with a
bound. The engine (:mod:`quality.engine`) stacks every (load, check) pair of a suite into one
long frame with ``upper``/``lower`` columns per severity and lets Great Expectations validate it
with one ``expect_column_pair_values_a_to_be_greater_than_b`` per severity: one validation per
suite covers every load of the night, whatever its size, and the per-load verdict is read from
the expectation's unexpected rows (``unexpected_index_column_names=["load_id", "check_id"]``).
A pair whose value or bound is missing (no rows of that entity, too little history) is not
judged and is recorded as a non-blocking result with the reason.

Mart suites validate the mart tables themselves, one Great Expectations expectation per
:class:`TableCheck`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from quality.config import CRITICAL, SEVERITIES

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Check:
    """One per-load check: a measured value against a bound, with a severity.

    ``value`` is the metrics-frame column measured for each load; it must be at most ``limit``
    (a constant) or the frame column ``bound`` (``direction="max"``), or at least ``bound``
    (``direction="min"``). ``column`` names the lake column the check is about
    (``entity.column``). ``count``/``total`` name the frame columns holding the load's unexpected
    rows and rows considered, ``note`` a column explaining why a load could not be judged (its
    value or bound is missing), ``details`` further columns stored with the result.
    """

    suite: str
    check_id: str
    severity: str
    column: str | None
    description: str
    value: str
    limit: float | None = None
    bound: str | None = None
    direction: str = "max"
    count: str | None = None
    total: str | None = None
    note: str | None = None
    details: tuple[str, ...] = ()
    describe: Callable[[Row], str] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"{self.check_id}: severity {self.severity!r} is not one of {SEVERITIES}")
        if (self.limit is None) == (self.bound is None):
            raise ValueError(f"{self.check_id}: give exactly one of limit and bound")
        if self.direction not in ("max", "min") or (self.direction == "min" and self.bound is None):
            raise ValueError(f"{self.check_id}: direction must be 'max', or 'min' with a bound column")

    @property
    def blocking(self) -> bool:
        return self.severity == CRITICAL

    @property
    def kwargs(self) -> dict[str, Any]:
        """The check's parameters, as stored with each result."""
        if self.limit is not None:
            return {"value": self.value, "max_value": self.limit}
        key = "max_column" if self.direction == "max" else "min_column"
        return {"value": self.value, key: self.bound}

    @property
    def frame_columns(self) -> tuple[str, ...]:
        cols = [self.value, self.bound, self.count, self.total, self.note, *self.details]
        return tuple(dict.fromkeys(c for c in cols if c))

    def upper_lower(self, row: Row) -> tuple[float | None, float | None]:
        """(upper, lower) of this load: the check holds when upper >= lower (None: not judged)."""
        value = _num(row.get(self.value))
        if self.direction == "min":
            return value, _num(row.get(self.bound))
        upper = self.limit if self.limit is not None else _num(row.get(self.bound))
        return upper, value


def _num(v: Any) -> float | None:
    if v is None:
        return None
    f = float(v)
    return None if f != f else f  # NaN -> None


@dataclass(frozen=True)
class TableCheck:
    """One Great Expectations expectation on a table (the mart suites): class name and kwargs."""

    suite: str
    check_id: str
    expectation: str
    kwargs: Mapping[str, Any]
    severity: str
    column: str | None
    description: str

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"{self.check_id}: severity {self.severity!r} is not one of {SEVERITIES}")


def max_count(
    suite: str,
    check_id: str,
    value: str,
    *,
    severity: str = CRITICAL,
    column: str | None,
    description: str,
    total: str | None = None,
    note: str | None = None,
    details: tuple[str, ...] = (),
    describe: Callable[[Row], str] | None = None,
) -> Check:
    """The load's count in ``value`` must be 0 (zero tolerance)."""
    return Check(
        suite,
        check_id,
        severity,
        column,
        description,
        value,
        limit=0.0,
        count=value,
        total=total,
        note=note,
        details=details,
        describe=describe,
    )


def max_rate(
    suite: str,
    check_id: str,
    value: str,
    limit: float,
    *,
    severity: str,
    column: str | None,
    description: str,
    count: str | None = None,
    total: str | None = None,
    note: str | None = None,
    details: tuple[str, ...] = (),
    describe: Callable[[Row], str] | None = None,
) -> Check:
    """The rate in ``value`` (a 95% lower bound) must not exceed ``limit``."""
    return Check(
        suite,
        check_id,
        severity,
        column,
        description,
        value,
        limit=limit,
        count=count,
        total=total,
        note=note,
        details=details,
        describe=describe,
    )


def at_least(
    suite: str,
    check_id: str,
    value: str,
    bound: str,
    *,
    severity: str,
    column: str | None,
    description: str,
    total: str | None = None,
    note: str | None = None,
    details: tuple[str, ...] = (),
    describe: Callable[[Row], str] | None = None,
) -> Check:
    """``value >= bound`` per load (not judged where either is missing)."""
    return Check(
        suite,
        check_id,
        severity,
        column,
        description,
        value,
        bound=bound,
        direction="min",
        total=total,
        note=note,
        details=details,
        describe=describe,
    )


def at_most(
    suite: str,
    check_id: str,
    value: str,
    bound: str,
    *,
    severity: str,
    column: str | None,
    description: str,
    total: str | None = None,
    note: str | None = None,
    details: tuple[str, ...] = (),
    describe: Callable[[Row], str] | None = None,
) -> Check:
    """``value <= bound`` per load (not judged where either is missing)."""
    return Check(
        suite,
        check_id,
        severity,
        column,
        description,
        value,
        bound=bound,
        direction="max",
        total=total,
        note=note,
        details=details,
        describe=describe,
    )


# --- Polars helpers shared by the suites ------------------------------------------------------
Z95 = 1.96


def wilson_lower_expr(k: str | pl.Expr, n: str | pl.Expr, z: float = Z95) -> pl.Expr:
    """Vectorised :func:`quality.stats.wilson_lower`: 0 when k is 0, null when n is 0."""
    kk = (pl.col(k) if isinstance(k, str) else k).cast(pl.Float64)
    nn = (pl.col(n) if isinstance(n, str) else n).cast(pl.Float64)
    p = kk / nn
    z2 = z * z
    lb = (p + z2 / (2 * nn) - z * ((p * (1 - p) / nn + z2 / (4 * nn * nn)).sqrt())) / (1 + z2 / nn)
    return pl.when(nn <= 0).then(None).when(kk <= 0).then(0.0).otherwise(pl.max_horizontal(lb, pl.lit(0.0)))


def per_load(targets: pl.DataFrame, counts: pl.DataFrame, fill: Mapping[str, Any]) -> pl.DataFrame:
    """Left-join per-load counts onto the run's loads, filling loads without rows."""
    out = targets.select("load_id").join(counts, on="load_id", how="left")
    return out.with_columns([pl.col(c).fill_null(v) for c, v in fill.items()])


def pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.2f}%"


def safe_name(*parts: str) -> str:
    """Frame column name for a metric: ``fir__registered_at__nulls``."""
    return "__".join(p.replace(".", "_") for p in parts)
