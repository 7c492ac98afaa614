"""Investigation events: arrest.csv (arrests of the accused) and final_report.csv (charge-sheets,
final reports and supplementary charge-sheets), as of the upload day."""

from __future__ import annotations

import numpy as np
import polars as pl

from core import extract_spec as spec
from sample_data.documents.columns import U, days_to_date, frame
from sample_data.documents.context import Docs
from sample_data.documents.lookups import Lookups
from sample_data.world import NONE, RT


def arrests(lk: Lookups, d: Docs, accused: pl.DataFrame) -> pl.DataFrame:
    """Arrests by the upload day of the ``accused`` (``_doc``, ``person_seq``): most of them, the
    first accused on the FIR's arrest day and the others within a few days."""
    h = lk.h
    doc = accused["_doc"].to_numpy()
    k = np.array([int(s[1:]) for s in accused["person_seq"].to_list()], dtype=np.int64)
    ad = d.g["arrest_day"][doc]
    pid = d.uid[doc] * U(1000) + k.astype(U)
    on = np.where(k == 1, ad, ad + h.integers(pid, "arr_off", 0, 4))
    ok = (ad != NONE) & (h.uniform(pid, "arr_each") < 0.85) & (on <= d.day[doc])
    status = np.array(spec.ARREST_STATUSES, dtype=object)[
        h.choice(pid, "arr_status", [0.55, 0.15, 0.06, 0.08, 0.09, 0.05, 0.02])
    ]
    df = frame(
        {
            "_doc": doc[ok],
            "person_seq": accused["person_seq"].to_numpy()[ok],
            "arrested_on": on[ok],
            "arrest_status": status[ok],
        },
        schema={
            "_doc": pl.Int64,
            "person_seq": pl.Utf8,
            "arrested_on": pl.Int64,
            "arrest_status": pl.Utf8,
        },
    ).with_columns(days_to_date("arrested_on"))
    return d.attach(df)


def final_reports(d: Docs) -> pl.DataFrame:
    """Reports filed by the upload day: the first final report (1), then a supplementary
    charge-sheet or the final report of a reopened case (2)."""
    g, day = d.g, d.day
    parts = []
    idx = np.arange(len(day))
    for seq, dcol, tcol, supp in (
        (1, "fr_day", "fr_type", "N"),
        (2, "supp_day", None, "Y"),
        (2, "fr2_day", "fr2_type", "N"),
    ):
        dd = g[dcol]
        ok = (dd != NONE) & (day >= dd)
        types = np.full(ok.sum(), RT["CHARGESHEET"]) if tcol is None else g[tcol][ok]
        parts.append(
            frame(
                {
                    "_doc": idx[ok],
                    "report_seq": np.full(ok.sum(), seq),
                    "report_date": dd[ok],
                    "report_type": np.array(spec.REPORT_TYPES, dtype=object)[types],
                    "is_supplementary": np.full(ok.sum(), supp, dtype=object),
                },
                schema={
                    "_doc": pl.Int64,
                    "report_seq": pl.Int64,
                    "report_date": pl.Int64,
                    "report_type": pl.Utf8,
                    "is_supplementary": pl.Utf8,
                },
            )
        )
    df = pl.concat(parts).with_columns(days_to_date("report_date"))
    return d.attach(df)
