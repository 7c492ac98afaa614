"""Column helpers shared by the document parts (and the registers): NumPy arrays to Polars."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

U = np.uint64


def minutes_to_datetime(col: str) -> pl.Expr:
    """Minutes since the epoch to a timestamp (a negative number: null)."""
    return (
        pl.when(pl.col(col) >= 0)
        .then(pl.from_epoch(pl.col(col) * 60, time_unit="s").cast(pl.Datetime("us")))
        .otherwise(None)
        .alias(col)
    )


def days_to_date(col: str) -> pl.Expr:
    """Days since the epoch to a date (a negative number: null)."""
    return (
        pl.when(pl.col(col) >= 0).then(pl.from_epoch(pl.col(col), time_unit="d")).otherwise(None).alias(col)
    )


def frame(
    data: dict[str, object], schema: dict[str, pl.DataType] | None = None, **kw: object
) -> pl.DataFrame:
    """A DataFrame from NumPy columns; object arrays (strings with None) go through lists so
    Polars types them as strings instead of Python objects."""
    cols = {
        k: (v.tolist() if isinstance(v, np.ndarray) and v.dtype == object else v) for k, v in data.items()
    }
    return pl.DataFrame(cols, schema=schema, **kw)  # type: ignore[arg-type]


def series(name: str, values: object, dtype: pl.DataType | None = None) -> pl.Series:
    """A Series from a NumPy column (object arrays via lists, see :func:`frame`)."""
    if isinstance(values, np.ndarray) and values.dtype == object:
        values = values.tolist()
    return pl.Series(name, values, dtype=dtype)


def zfill(values: npt.NDArray, width: int) -> npt.NDArray[np.str_]:
    """``np.char.zfill`` that also accepts empty arrays."""
    values = np.asarray(values)
    if values.size == 0:
        return values.astype(str)
    return np.char.zfill(values, width)


def take(arr: npt.NDArray[np.object_], idx: npt.NDArray[np.int64]) -> npt.NDArray[np.object_]:
    """``arr[idx]`` with ``idx`` wrapped around the length of ``arr`` (draws from a list)."""
    return arr[np.mod(idx, len(arr))]
