"""fir.csv: the registration of each FIR, and its status as of the upload day."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from core import extract_spec as spec
from sample_data import vocab
from sample_data.documents.columns import days_to_date, minutes_to_datetime, series, take, zfill
from sample_data.documents.context import Docs
from sample_data.documents.lookups import Lookups
from sample_data.world import MIN_PER_DAY, NONE, RT

STATUS_UI, STATUS_CS, STATUS_FR, STATUS_TR, STATUS_QU, STATUS_EX = range(6)


def fir_table(lk: Lookups, d: Docs) -> pl.DataFrame:
    """One fir.csv row per document: its registration, then its status and version."""
    return d.key.with_columns(*_registration(lk, d), *_life_cycle(lk, d)).with_columns(
        minutes_to_datetime("registered_at"),
        minutes_to_datetime("occurred_from"),
        minutes_to_datetime("occurred_to"),
        minutes_to_datetime("info_received_at"),
        minutes_to_datetime("last_modified"),
        days_to_date("status_date"),
    )


def _registration(lk: Lookups, d: Docs) -> list[pl.Series]:
    """What the FIR says when it is registered: times, place, Zero-FIR transfer, the
    investigating officer and the brief facts (times as minutes)."""
    h, g, uid = lk.h, d.g, d.uid
    st = lk.st_arrays
    ps = g["ps_idx"]
    twin_ps = np.where(g["is_zero"], g["twin_row"], 0)
    transferred = np.where(g["is_zero"], st["ps_code"][d.world.cols["ps_idx"][twin_ps]], None)
    io_female = h.uniform(uid, "io_f") < np.where(
        lk.head_meta["victim_profile"][g["head"]] == "FEMALE", 0.6, 0.1
    )
    io = lk.names(uid, "io", io_female, np.full(d.n, d.state, dtype=object))
    return [
        series("registered_at", g["reg"]),
        series("occurred_from", g["occ_from"]),
        series("occurred_to", g["occ_to"]),
        series("info_received_at", g["info"]),
        series("gd_entry_no", (1 + h.integers(uid, "gd", 0, 140)).astype(str).astype(object), dtype=pl.Utf8),
        series(
            "info_type",
            np.where(h.uniform(uid, "info_type") < 0.72, "W", "O").astype(object),
            dtype=pl.Utf8,
        ),
        series("place_lat", np.round(st["lat"][ps] + 0.03 * h.normal(uid, "lat"), 6)),
        series("place_lon", np.round(st["lon"][ps] + 0.03 * h.normal(uid, "lon"), 6)),
        series(
            "beat_no",
            np.char.add("B", zfill((1 + h.integers(uid, "beat", 0, 12)).astype(str), 2)).astype(object),
            dtype=pl.Utf8,
        ),
        series("is_zero_fir", np.where(g["is_zero"], "Y", "N").astype(object), dtype=pl.Utf8),
        series("transferred_to_ps", transferred, dtype=pl.Utf8),
        series("io_name", (io["gl"] + " " + io["sl"]).astype(object), dtype=pl.Utf8),
        series("io_rank", take(vocab.IO_RANKS, h.integers(uid, "io_rank", 0, 1 << 20)), dtype=pl.Utf8),
        series("brief_facts", brief_facts(lk, d), dtype=pl.Utf8),
    ]


def _life_cycle(lk: Lookups, d: Docs) -> list[pl.Series]:
    """Status as of the upload day and the day it was taken (days), the document's version and
    when it was last modified (minutes), and the hidden upload day ``_day``."""
    g, day = d.g, d.day
    status, sdate = status_as_of(g, day)
    # last_modified: the registration itself, or some time during the working day of the change.
    lm = np.where(
        day == g["reg_day"],
        g["reg"],
        day * MIN_PER_DAY + 9 * 60 + lk.h.integers(d.uid, "lm", 0, 14 * 60, day),
    )
    lm = np.maximum(lm, g["reg"])
    return [
        series("status", np.array(spec.FIR_STATUSES, dtype=object)[status], dtype=pl.Utf8),
        series("status_date", sdate),
        series("record_version", d.version),
        series("last_modified", lm),
        series("_day", day),
    ]


def status_as_of(
    g: dict[str, npt.NDArray], day: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each FIR's status (an index of ``FIR_STATUSES``) as of ``day``, and the day it took it:
    final report, reopening, second final report, quashing, expunction, transfer, in that order
    (a later event overrides an earlier one)."""
    status = np.full(len(day), STATUS_UI)
    sdate = g["reg_day"].copy()

    def upd(mask: npt.NDArray[np.bool_], value: int | npt.NDArray, when: npt.NDArray) -> None:
        nonlocal status, sdate
        status = np.where(mask, value, status)
        sdate = np.where(mask, when, sdate)

    fr_cs = np.where(g["fr_type"] == RT["CHARGESHEET"], STATUS_CS, STATUS_FR)
    upd((g["fr_day"] != NONE) & (day >= g["fr_day"]), fr_cs, g["fr_day"])
    upd((g["reopen_day"] != NONE) & (day >= g["reopen_day"]), STATUS_UI, g["reopen_day"])
    fr2 = np.where(g["fr2_type"] == RT["CHARGESHEET"], STATUS_CS, STATUS_FR)
    upd((g["fr2_day"] != NONE) & (day >= g["fr2_day"]), fr2, g["fr2_day"])
    upd((g["quash_day"] != NONE) & (day >= g["quash_day"]), STATUS_QU, g["quash_day"])
    upd((g["exp_day"] != NONE) & (day >= g["exp_day"]), STATUS_EX, g["exp_day"])
    upd((g["transfer_day"] != NONE) & (day >= g["transfer_day"]), STATUS_TR, g["transfer_day"])
    return status, sdate


def brief_facts(lk: Lookups, d: Docs) -> npt.NDArray[np.object_]:
    """Brief facts: a short template sentence. Sexual-offence FIRs may name the victim, as
    real FIRs do; the warehouse must never show it (BNS s.72)."""
    hm, g, uid, n = lk.head_meta, d.g, d.uid, d.n
    group = hm["mo_group"][g["head"]]
    head_name = hm["name"][g["head"]]
    place = take(vocab.LOCALITIES, lk.h.integers(uid, "facts_loc", 0, 1 << 20))
    victim_female = np.isin(hm["victim_profile"][g["head"]], ["FEMALE", "CHILD_FEMALE"])
    vic = lk.names(
        uid,
        "victim0",
        victim_female | (lk.h.uniform(uid, "vg", 0) < 0.4),
        np.full(n, d.state, dtype=object),
    )
    vname = (vic["gl"] + " " + vic["sl"]).astype(object)
    out = np.empty(n, dtype=object)
    for grp in np.unique(group):
        sel = group == grp
        verb = vocab.PLACE_TEXT.get(grp, vocab.PLACE_TEXT["ANY"]).replace("{item}", "valuables")
        if grp == "SEXUAL":
            named = lk.h.uniform(uid[sel], "facts_named") < 0.5
            who = np.where(named, "the victim " + vname[sel], "the victim")
            out[sel] = (
                "Complaint by "
                + who
                + " that the accused "
                + verb
                + " near "
                + place[sel]
                + ". Case of "
                + head_name[sel]
                + " registered."
            )
        else:
            out[sel] = (
                "Complainant reported that the accused "
                + verb
                + " at "
                + place[sel]
                + ". Case of "
                + head_name[sel]
                + " registered."
            )
    return out
