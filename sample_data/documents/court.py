"""The trial: court_case.csv (the case a charge-sheeted FIR was committed as, and its result) and
hearing.csv (the hearings held by the upload day)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from sample_data.documents.columns import days_to_date, frame
from sample_data.documents.context import Docs
from sample_data.documents.lookups import Lookups
from sample_data.world import NONE, RESULTS, hearing_days

#: Crime heads tried by a Court of Sessions; POCSO and atrocity cases go to a Special Court.
SESSIONS_HEADS = (
    "MURDER",
    "ATTEMPT_MURDER",
    "RAPE",
    "GANG_RAPE",
    "DACOITY",
    "DOWRY_DEATH",
    "CULPABLE_HOMICIDE",
    "NDPS",
    "KIDNAPPING_ABDUCTION",
)
SPECIAL_HEADS = ("POCSO", "SCST_ATROCITIES")


def court_tables(lk: Lookups, d: Docs) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(court cases, hearings) of the documents committed to trial by the upload day."""
    g, day = d.g, d.day
    ok = (g["commit_day"] != NONE) & (day >= g["commit_day"])
    doc = np.flatnonzero(ok)
    case_no, court = _case_numbers(lk, d, doc)
    commit = g["commit_day"][doc]
    disp = g["disp_day"][doc]
    disposed = day[doc] >= disp
    result = np.where(disposed, np.array(RESULTS, dtype=object)[g["result"][doc]], "PENDING")
    cc = frame(
        {
            "_doc": doc,
            "court_case_no": case_no,
            "court_name": court.astype(object),
            "committed_on": commit,
            "disposal_date": np.where(disposed, disp, NONE),
            "result": result.astype(object),
        },
        schema={
            "_doc": pl.Int64,
            "court_case_no": pl.Utf8,
            "court_name": pl.Utf8,
            "committed_on": pl.Int64,
            "disposal_date": pl.Int64,
            "result": pl.Utf8,
        },
    ).with_columns(days_to_date("committed_on"), days_to_date("disposal_date"))
    return d.attach(cc), d.attach(_hearings(lk, d, doc, case_no))


def _case_numbers(
    lk: Lookups, d: Docs, doc: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.object_]]:
    """The case number (SC/, SPL/ or CC/<no>/<year of committal>) and the court of each
    committed document ``doc``, by the court that tries its crime head."""
    code = lk.head_meta["code"][d.g["head"][doc]]
    commit = d.g["commit_day"][doc]
    year = (commit.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970).astype(str)
    sessions = np.isin(code, list(SESSIONS_HEADS))
    special = np.isin(code, list(SPECIAL_HEADS))
    prefix = np.where(special, "SPL", np.where(sessions, "SC", "CC"))
    no = (1 + lk.h.integers(d.uid[doc], "cc_no", 0, 2500)).astype(str)
    case_no = np.char.add(np.char.add(np.char.add(prefix, "/"), np.char.add(no, "/")), year).astype(object)
    dname = lk.st_arrays["district_name"][d.g["ps_idx"][doc]].astype(object)
    court = np.where(
        special,
        "Special Court, " + dname,
        np.where(
            sessions, "Court of Sessions Judge, " + dname, "Court of Chief Judicial Magistrate, " + dname
        ),
    )
    return case_no, court


def _hearings(
    lk: Lookups, d: Docs, doc: npt.NDArray[np.int64], case_no: npt.NDArray[np.object_]
) -> pl.DataFrame:
    """The hearings of the cases ``case_no`` (of documents ``doc``) held by the upload day, and
    whether each was adjourned and at whose request."""
    h, g, uid, day = lk.h, d.g, d.uid, d.day
    nh = g["n_hear"][doc]
    hdoc = np.repeat(doc, nh)
    k = np.arange(len(hdoc)) - np.repeat(np.cumsum(nh) - nh, nh)
    hd = hearing_days(h, uid[hdoc], g["commit_day"][hdoc], g["disp_day"][hdoc], k)
    held = hd <= day[hdoc]
    hdoc, k, hd = hdoc[held], k[held], hd[held]
    hu = uid[hdoc]
    adj = h.uniform(hu, "adj", k) < 0.55
    pros_heavy = h.uniform(hu, "pros_heavy") < 0.2
    u = h.uniform(hu, "sought", k)
    sought = np.where(
        u < np.where(pros_heavy, 0.75, 0.4), "PROSECUTION", np.where(u < 0.88, "DEFENCE", "COURT")
    )
    case_of = dict(zip(doc.tolist(), case_no.tolist(), strict=True))
    return frame(
        {
            "_doc": hdoc,
            "court_case_no": np.array([case_of[x] for x in hdoc.tolist()], dtype=object),
            "hearing_date": hd,
            "adjourned": np.where(adj, "Y", "N").astype(object),
            "sought_by": np.where(adj, sought, None).astype(object),
        },
        schema={
            "_doc": pl.Int64,
            "court_case_no": pl.Utf8,
            "hearing_date": pl.Int64,
            "adjourned": pl.Utf8,
            "sought_by": pl.Utf8,
        },
    ).with_columns(days_to_date("hearing_date"))
