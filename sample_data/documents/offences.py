"""The offence: act_section.csv (principal and add-on sections) and crime_details.csv (modus
operandi)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt
import polars as pl

from sample_data.documents.columns import frame
from sample_data.documents.context import Docs
from sample_data.documents.lookups import Lookups
from sample_data.world import BNS_START_DAY, MIN_PER_DAY

#: Emerging modi operandi: (code, origin State, first day it appears there). They reach other
#: States with a lag, which is what the "MOs spreading across States" mart has to find.
EMERGING_MO = (
    ("SEXTORTION_VIDEO_CALL", "08", dt.date(2022, 6, 1)),
    ("INVESTMENT_TRADING_APP", "29", dt.date(2023, 3, 1)),
    ("DIGITAL_ARREST_SCAM", "07", dt.date(2023, 10, 1)),
)
#: Add-on sections (IPC, BNS) by the kind of case; a tuple's first element is the condition.
ADDONS = {
    "common_intention": ("34", "3(5)"),
    "intimidation": ("506", "351(2)"),
    "hurt": ("323", "115(2)"),
    "conspiracy": ("120B", "61(2)"),
    "evidence": ("201", "238"),
    "rape": ("376", "64(1)"),
}
#: The fields of crime_details.csv drawn from the modus-operandi vocabulary.
MO_FIELDS = ("place_type", "mo_class", "entry_method", "tools_used", "target", "time_of_day")


# --- act_section.csv ----------------------------------------------------------------------------
def act_sections(lk: Lookups, d: Docs) -> pl.DataFrame:
    """The principal section of each FIR, then add-on sections that rank below it, listed in an
    order that does not reveal the principal offence."""
    uid = d.uid
    acts, secs, era = _principal(lk, d)
    rows_doc = [np.arange(d.n)]
    rows_act = [acts]
    rows_sec = [secs]
    law = np.where(era == 1, "BNS", "IPC").astype(object)
    rank = lk.severity
    principal_rank = np.array([rank.get((a, x), 0) for a, x in zip(acts, secs, strict=True)])
    for name, mask in _addon_conditions(lk, d).items():
        ipc, bns = ADDONS[name]
        # An add-on never outranks the principal offence, so the NCRB principal-offence
        # rule gives back the crime head the FIR was drawn for.
        lower = np.where(era == 1, rank.get(("BNS", bns), 0), rank.get(("IPC", ipc), 0)) < principal_rank
        sel = np.flatnonzero(mask & lower & (secs != None))  # noqa: E711
        rows_doc.append(sel)
        rows_act.append(law[sel])
        rows_sec.append(np.where(era[sel] == 1, bns, ipc).astype(object))
    doc = np.concatenate(rows_doc)
    df = frame(
        {
            "_doc": doc,
            "act": np.concatenate(rows_act),
            "section": np.concatenate(rows_sec),
            "_o": lk.h.uniform(uid[doc], "sec_order", np.arange(len(doc)) % 7),
        },
        schema={"_doc": pl.Int64, "act": pl.Utf8, "section": pl.Utf8, "_o": pl.Float64},
    ).filter(pl.col("section").is_not_null())
    # Sections are listed in an order that does not reveal the principal offence.
    df = df.unique(["_doc", "act", "section"], keep="first", maintain_order=True).sort("_doc", "_o")
    df = df.with_columns(seq=pl.int_range(1, pl.len() + 1).over("_doc").cast(pl.Int64))
    return d.attach(df)


def _principal(lk: Lookups, d: Docs) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.object_], npt.NDArray]:
    """(act, section) of each FIR's principal offence, drawn for its crime head under the law in
    force on the offence date, and that era (0 = IPC, 1 = BNS)."""
    g, n = d.g, d.n
    head = g["head"]
    occ_day = np.where(g["occ_from"] >= 0, g["occ_from"] // MIN_PER_DAY, g["reg_day"])
    era = (occ_day >= BNS_START_DAY).astype(np.int64)
    acts = np.empty(n, dtype=object)
    secs = np.empty(n, dtype=object)
    u = lk.h.uniform(d.uid, "principal")
    for (hi, e), (a, s, cw) in lk.principal_sections.items():
        sel = (head == hi) & (era == e)
        if sel.any():
            i = np.minimum(np.searchsorted(cw, u[sel], side="right"), len(cw) - 1)
            acts[sel] = a[i]
            secs[sel] = s[i]
    return acts, secs, era


def _addon_conditions(lk: Lookups, d: Docs) -> dict[str, npt.NDArray[np.bool_]]:
    """Which FIRs would carry each kind of add-on section (:data:`ADDONS`)."""
    h, g, uid = lk.h, d.g, d.uid
    mo_group = lk.head_meta["mo_group"][g["head"]]
    code = lk.head_meta["code"][g["head"]]
    return {
        "common_intention": (g["n_acc"] >= 2) & (h.uniform(uid, "ao_ci") < 0.7),
        "intimidation": np.isin(mo_group, ["VIOLENT", "SEXUAL"]) & (h.uniform(uid, "ao_int") < 0.2),
        "hurt": np.isin(mo_group, ["VIOLENT", "PUBLIC_ORDER"]) & (h.uniform(uid, "ao_hurt") < 0.25)
        | (code == "SCST_ATROCITIES") & (h.uniform(uid, "ao_sc") < 0.6),
        "conspiracy": (mo_group == "ECONOMIC") & (h.uniform(uid, "ao_consp") < 0.15),
        "evidence": np.isin(code, ["MURDER", "DOWRY_DEATH"]) & (h.uniform(uid, "ao_ev") < 0.15),
        "rape": ((code == "MURDER") & (h.uniform(uid, "ao_rm") < 0.01))
        | ((code == "POCSO") & (h.uniform(uid, "ao_pocso") < 0.4)),
    }


# --- crime_details.csv --------------------------------------------------------------------------
def crime_details(lk: Lookups, d: Docs) -> pl.DataFrame:
    """The modus operandi of each FIR (none for 15% of special-law cases): coded fields drawn for
    its MO group, emerging MOs spreading across States, and the officer's free text."""
    h, uid = lk.h, d.uid
    grp = lk.head_meta["mo_group"][d.g["head"]]
    law_type = lk.head_meta["law_type"][d.g["head"]]
    has = ~((law_type == "SLL") & (h.uniform(uid, "cd_missing") < 0.15))
    vals, labels = _mo_fields(lk, d, grp)
    _emerging_mo(lk, d, grp, vals, labels)
    # Free text as an investigating officer writes it: the MO and the means, sometimes the object.
    with_target = h.uniform(uid, "mo_text_target") < 0.3
    text = (
        labels["mo_class"].astype(str)
        + "; "
        + np.char.lower(labels["tools_used"].astype(str))
        + np.where(with_target, "; target " + np.char.lower(labels["target"].astype(str)), "")
    )
    df = frame(
        {"_doc": np.arange(d.n), **{k: v for k, v in vals.items()}, "mo_text": text.astype(object)},
        schema={"_doc": pl.Int64, **{k: pl.Utf8 for k in vals}, "mo_text": pl.Utf8},
    ).filter(pl.Series(has))
    return d.attach(df)


def _mo_fields(
    lk: Lookups, d: Docs, grp: npt.NDArray[np.object_]
) -> tuple[dict[str, npt.NDArray[np.object_]], dict[str, npt.NDArray[np.object_]]]:
    """(codes, labels) of each MO field per FIR, drawn from its MO group's vocabulary; the time
    of day follows the offence time."""
    n = d.n
    vals: dict[str, npt.NDArray[np.object_]] = {}
    labels: dict[str, npt.NDArray[np.object_]] = {}
    hour = np.where(d.g["occ_from"] >= 0, (d.g["occ_from"] % MIN_PER_DAY) // 60, 12)
    for field in MO_FIELDS:
        v = np.empty(n, dtype=object)
        lab = np.empty(n, dtype=object)
        for gr in np.unique(grp):
            sel = grp == gr
            codes, labs = lk.mo_codes[(field, gr)]
            if field == "time_of_day":
                # The time of day follows the offence time (4-hour buckets of the vocabulary).
                bucket = np.array(
                    ["LATE_NIGHT", "EARLY_MORNING", "MORNING", "AFTERNOON", "EVENING", "NIGHT"],
                    dtype=object,
                )[hour[sel] // 4]
                pos = {c: j for j, c in enumerate(codes)}
                i = np.array([pos.get(b, len(codes) - 1) for b in bucket], dtype=np.int64)
            else:
                i = lk.h.integers(d.uid[sel], "mo:" + field, 0, len(codes))
            v[sel] = codes[i]
            lab[sel] = labs[i]
        vals[field] = v
        labels[field] = lab
    return vals, labels


def _emerging_mo(
    lk: Lookups,
    d: Docs,
    grp: npt.NDArray[np.object_],
    vals: dict[str, npt.NDArray[np.object_]],
    labels: dict[str, npt.NDArray[np.object_]],
) -> None:
    """Replace the MO class of some fraud FIRs by an emerging MO (:data:`EMERGING_MO`), which
    spreads from its origin State to the others with a lag (in place)."""
    h, uid, state = lk.h, d.uid, d.state
    fraud = np.isin(grp, ["CYBER_FRAUD", "ECONOMIC"])
    reg_day = d.g["reg_day"]
    for code_, origin, first in EMERGING_MO:
        t0 = (first - dt.date(1970, 1, 1)).days
        lag = (
            0
            if state == origin
            else 45 + int(h.integers(np.array([int(state)]), "mo_lag:" + code_, 0, 540)[0])
        )
        p = 0.3 / (1 + np.exp(-(reg_day - t0 - lag) / 30.0))
        hit = fraud & (h.uniform(uid, "emerge:" + code_) < p)
        vals["mo_class"] = np.where(hit, code_, vals["mo_class"])
        labels["mo_class"] = np.where(hit, code_.replace("_", " ").lower(), labels["mo_class"])
