"""The documents of one build: which FIRs, as of which day, with which key."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
import polars as pl

from sample_data.documents.columns import U, frame, series, zfill
from sample_data.documents.lookups import Lookups
from sample_data.world import StateWorld


@dataclass(frozen=True)
class Docs:
    """The FIR documents one build writes, shared by every part of the document.

    ``g``: the State world's columns at the documents' rows; ``uid``: each FIR's content id (what
    every draw is keyed on); ``day``: the upload day the document is written as of (what had
    happened by then); ``version``: its ``record_version``; ``key``: its FIR key columns.
    """

    world: StateWorld
    g: dict[str, npt.NDArray]
    day: npt.NDArray[np.int64]
    version: npt.NDArray[np.int64]
    key: pl.DataFrame

    @classmethod
    def of(cls, lk: Lookups, world: StateWorld, ev: pl.DataFrame) -> Docs:
        """The documents ``ev`` (columns row, day, version) of ``world``."""
        rows = ev["row"].to_numpy()
        day = ev["day"].to_numpy().astype(np.int64)
        version = ev["version"].to_numpy().astype(np.int64)
        g = {k: v[rows] for k, v in world.cols.items()}
        n = len(rows)
        st = lk.st_arrays
        ps = g["ps_idx"]
        key = frame(
            {
                "state_code": np.full(n, world.state_code, dtype=object),
                "district_code": st["district_code"][ps],
                "ps_code": st["ps_code"][ps],
                "fir_year": g["year"],
                "fir_no": zfill(g["fir_no"].astype(str), 4).astype(object),
            },
            schema={
                "state_code": pl.Utf8,
                "district_code": pl.Utf8,
                "ps_code": pl.Utf8,
                "fir_year": pl.Int64,
                "fir_no": pl.Utf8,
            },
        )
        return cls(world, g, day, version, key)

    @property
    def n(self) -> int:
        return len(self.day)

    @property
    def state(self) -> str:
        return self.world.state_code

    @cached_property
    def uid(self) -> npt.NDArray[np.uint64]:
        return self.g["content_uid"].astype(U)

    def attach(self, child: pl.DataFrame) -> pl.DataFrame:
        """Prefix child rows (column ``_doc``: the document's index) with their document's FIR
        key and upload day."""
        kd = (
            self.key.with_columns(series("_day", self.day))
            .with_row_index("_doc")
            .with_columns(pl.col("_doc").cast(pl.Int64))
        )
        return child.join(kd, on="_doc", how="left", maintain_order="left")
