"""property.csv: property stolen, recovered, seized or found unclaimed, by the upload day.

Each kind of property is a list of *parts* (dicts of NumPy columns, one row per item, ``_doc``
the document) in the order they are written: stolen vehicles and their recovery, vehicles seized
in traffic cases, other stolen or seized property and its recovery, vehicles found in other
cases. :func:`property_table` turns them into one table.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from core import extract_spec as spec
from sample_data import vocab
from sample_data.documents.columns import U, days_to_date, frame
from sample_data.documents.context import Docs
from sample_data.documents.lookups import Lookups
from sample_data.documents.vehicles import lookalike, stolen_vehicle, vehicle_identity, vehicle_source
from sample_data.world import NONE

Part = dict[str, np.ndarray]
#: Property other than vehicles: (the crime head's property profile, nature).
OTHER_PROPERTY = (
    ("MOBILE", "STOLEN"),
    ("CASH", "STOLEN"),
    ("JEWELLERY", "STOLEN"),
    ("GENERAL", "STOLEN"),
    ("DRUGS", "SEIZED"),
    ("ARMS", "SEIZED"),
    ("LIQUOR", "SEIZED"),
)


def property_table(lk: Lookups, d: Docs) -> pl.DataFrame:
    """The property rows of the documents (``_src_row``: for a found vehicle, the world row of
    the theft it came from)."""
    h, g, uid = lk.h, d.g, d.uid
    prof = lk.head_meta["property_profile"][g["head"]]
    code = lk.head_meta["code"][g["head"]]
    # The day stolen property is recovered (never after the final report).
    rec_day = g["reg_day"] + np.round(h.lognormal(uid, "rec_d", 15, 1.0)).astype(np.int64)
    rec_day = np.where((g["fr_day"] != NONE) & (rec_day > g["fr_day"]), g["fr_day"], rec_day)
    stolen = stolen_vehicle(lk, g["head"], uid)
    parts = [
        *_stolen_vehicles(lk, d, stolen, rec_day),
        *_seized_vehicles(lk, d, prof, code),
        *_other_property(lk, d, prof, stolen, rec_day),
        *_found_vehicles(lk, d, prof, code),
    ]
    return d.attach(_property_frame(parts))


def _recovered(base: Part, rec: npt.NDArray[np.bool_], rec_day: npt.NDArray[np.int64]) -> Part:
    """The recovery (property_seq 2) of the items ``rec`` of ``base`` on ``rec_day``."""
    return {k: v[rec] for k, v in base.items()} | {
        "property_seq": np.full(rec.sum(), 2, dtype=np.int64),
        "nature": np.full(rec.sum(), "RECOVERED", dtype=object),
        "event_date": rec_day,
    }


def _stolen_vehicles(
    lk: Lookups, d: Docs, stolen: npt.NDArray[np.bool_], rec_day: npt.NDArray[np.int64]
) -> list[Part]:
    """Stolen vehicles, and their recovery in the same FIR (30% by the upload day)."""
    veh = np.flatnonzero(stolen)
    if not len(veh):
        return []
    h = lk.h
    vid = d.uid[veh]
    ident = vehicle_identity(h, vid, np.full(len(veh), d.state, dtype=object))
    value = 20000 + h.integers(vid, "veh_val", 0, 600000)
    base = {
        "_doc": veh,
        "property_seq": np.ones(len(veh), dtype=np.int64),
        "category": np.full(len(veh), "VEHICLE", dtype=object),
        "description": ident["make"]
        + " "
        + np.where(np.char.find(ident["make"].astype(str), "MARUTI") >= 0, "car", "two-wheeler"),
        "value_inr": value,
        "vehicle_reg_no": ident["reg"],
        "chassis_no": ident["chassis"],
        "engine_no": ident["engine"],
        "make": ident["make"],
    }
    rec = (h.uniform(vid, "veh_rec") < 0.3) & (rec_day[veh] <= d.day[veh])
    return [
        {**base, "nature": np.full(len(veh), "STOLEN", dtype=object), "event_date": d.g["reg_day"][veh]},
        _recovered(base, rec, rec_day[veh][rec]),
    ]


def _seized_vehicles(
    lk: Lookups, d: Docs, prof: npt.NDArray[np.object_], code: npt.NDArray[np.object_]
) -> list[Part]:
    """The offending vehicle in traffic cases is seized (it is not stolen)."""
    seized = np.flatnonzero((prof == "VEHICLE") & (code != "RECEIVING_STOLEN_PROPERTY"))
    if not len(seized):
        return []
    h = lk.h
    sid = d.uid[seized] ^ U(0x7F4A7C15)
    ident = vehicle_identity(h, sid, np.full(len(seized), d.state, dtype=object))
    return [
        {
            "_doc": seized,
            "property_seq": np.ones(len(seized), dtype=np.int64),
            "nature": np.full(len(seized), "SEIZED", dtype=object),
            "category": np.full(len(seized), "VEHICLE", dtype=object),
            "description": ident["make"] + " involved in the accident",
            "value_inr": 20000 + h.integers(sid, "veh_val", 0, 600000),
            "vehicle_reg_no": ident["reg"],
            "chassis_no": ident["chassis"],
            "engine_no": ident["engine"],
            "make": ident["make"],
            "event_date": d.g["reg_day"][seized],
        }
    ]


def _other_property(
    lk: Lookups,
    d: Docs,
    prof: npt.NDArray[np.object_],
    stolen: npt.NDArray[np.bool_],
    rec_day: npt.NDArray[np.int64],
) -> list[Part]:
    """Other stolen or seized property by the crime head's profile (:data:`OTHER_PROPERTY`), and
    the recovery of a quarter of what was stolen."""
    h, uid, reg_day = lk.h, d.uid, d.g["reg_day"]
    parts: list[Part] = []
    for pname, nature in OTHER_PROPERTY:
        sel = np.flatnonzero((prof == pname) & ~stolen)
        if not len(sel):
            continue
        cat = {"GENERAL": "OTHER", "LIQUOR": "OTHER"}.get(pname, pname)
        items, lo, hi = vocab.PROPERTY_ITEMS[{"GENERAL": "OTHER"}.get(pname, pname)]
        ids = uid[sel]
        desc = np.array(items, dtype=object)[h.integers(ids, "item", 0, len(items))]
        value = np.round(lo + (hi - lo) * h.uniform(ids, "item_val") ** 2, -2).astype(np.int64)
        base = {
            "_doc": sel,
            "property_seq": np.ones(len(sel), dtype=np.int64),
            "category": np.full(len(sel), cat, dtype=object),
            "description": desc,
            "value_inr": value,
        }
        parts.append({**base, "nature": np.full(len(sel), nature, dtype=object), "event_date": reg_day[sel]})
        if nature == "STOLEN":
            rec = (h.uniform(ids, "item_rec") < 0.25) & (rec_day[sel] <= d.day[sel])
            parts.append(_recovered(base, rec, rec_day[sel][rec]))
    return parts


def _found_vehicles(
    lk: Lookups, d: Docs, prof: npt.NDArray[np.object_], code: npt.NDArray[np.object_]
) -> list[Part]:
    """Vehicles found in other cases (property_seq 5): seized with contraband, or abandoned and
    unclaimed. Most are an earlier theft of the State with its numbers slightly garbled and often
    a fake plate; some are decoys stolen nowhere."""
    h, uid = lk.h, d.uid
    host_p = np.select(
        [
            code == "RECEIVING_STOLEN_PROPERTY",
            np.isin(prof, ["DRUGS", "ARMS", "LIQUOR"]),
            np.isin(code, ["ROBBERY", "DACOITY", "OTHER_SLL"]),
        ],
        [0.6, 0.05, 0.03],
        0.0,
    )
    host = np.flatnonzero(h.uniform(uid, "veh_host") < host_p)
    if not len(host):
        return []
    world, state = d.world, d.state
    src = vehicle_source(lk, world, d.g["reg"][host], uid[host])
    found = src >= 0
    decoy_ids = uid[host] ^ U(0x5DEECE66D)
    src_uid = np.where(found, world.cols["content_uid"][np.maximum(src, 0)].astype(U), decoy_ids)
    ident = vehicle_identity(h, src_uid, np.full(len(host), state, dtype=object))
    hid = uid[host]
    chassis = lookalike(h, hid, "ch_noise", ident["chassis"])
    engine = lookalike(h, hid, "en_noise", ident["engine"])
    fake = vehicle_identity(h, hid ^ U(0xABCDEF), np.full(len(host), state, dtype=object))["reg"]
    plate = np.where(h.uniform(hid, "fake_plate") < 0.7, fake, ident["reg"])
    nat = np.where(h.uniform(hid, "unclaimed") < 0.3, "UNCLAIMED", "SEIZED").astype(object)
    return [
        {
            "_doc": host,
            "property_seq": np.full(len(host), 5, dtype=np.int64),
            "nature": nat,
            "category": np.full(len(host), "VEHICLE", dtype=object),
            "description": ident["make"] + " found without valid papers",
            "value_inr": np.full(len(host), None, dtype=object),
            "vehicle_reg_no": plate,
            "chassis_no": chassis,
            "engine_no": engine,
            "make": ident["make"],
            "event_date": d.g["reg_day"][host],
            "_src_row": np.where(found, src, NONE),
        }
    ]


def _property_frame(parts: list[Part]) -> pl.DataFrame:
    """The parts as one table: the property columns of the interface (event_date as a date), the
    row's document ``_doc`` and ``_src_row`` (-1 unless a found vehicle's source is known)."""
    ints = ("property_seq", "value_inr", "event_date")
    schema = {
        "_doc": pl.Int64,
        **{
            c: pl.Int64 if c in ints else pl.Utf8
            for c in spec.CAS_COLUMNS["property.csv"]
            if c not in spec.FIR_KEY
        },
        "_src_row": pl.Int64,
    }
    frames = [pl.DataFrame(schema=schema)]
    for p in parts:
        m = len(p["_doc"])
        missing = {"_src_row": np.full(m, NONE, dtype=np.int64)}
        frames.append(
            frame(
                {c: p.get(c, missing.get(c, np.full(m, None, dtype=object))) for c in schema},
                schema=schema,
            )
        )
    return pl.concat(frames).with_columns(days_to_date("event_date"))
