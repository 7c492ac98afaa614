"""Vehicles: their identity numbers, which thefts are vehicle thefts, and where a vehicle found in
another case was stolen (what the stolen-vehicle matching of the warehouse has to find)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sample_data import vocab
from sample_data.documents.columns import U, zfill
from sample_data.documents.lookups import Lookups
from sample_data.rand import Hasher
from sample_data.world import MIN_PER_DAY, NONE, StateWorld

#: Characters a clerk or a forger swaps for each other.
LOOKALIKE = {
    "5": "S",
    "S": "5",
    "2": "Z",
    "Z": "2",
    "1": "I",
    "I": "1",
    "0": "O",
    "O": "0",
    "8": "B",
    "B": "8",
}


def vehicle_identity(
    h: Hasher, vid: npt.NDArray[np.uint64], state: npt.NDArray[np.object_]
) -> dict[str, npt.NDArray[np.object_]]:
    """Registration, chassis (VIN-like, 17) and engine numbers of a vehicle id."""
    alnum = np.array(list("ABCDEFGHJKLMNPRSTUVWXYZ0123456789"))
    digits = np.array(list("0123456789"))
    letters = np.array(list("ABCDEFGHJKLMNPRSTUVWXYZ"))

    def chars(stream: str, pool: np.ndarray, length: int) -> npt.NDArray[np.object_]:
        idx = np.stack([h.integers(vid, stream, 0, len(pool), k) for k in range(length)], axis=1)
        return np.array(["".join(r) for r in pool[idx]], dtype=object)

    prefix = np.array([vocab.RTO_PREFIX.get(s, "XX") for s in state], dtype=object)
    rto = zfill((1 + h.integers(vid, "rto", 0, 80)).astype(str), 2).astype(object)
    reg = prefix + rto + chars("reg_l", letters, 2) + chars("reg_d", digits, 4)
    make_i = h.integers(vid, "make", 0, len(vocab.VEHICLE_MAKES))
    chassis = "ME" + chars("ch", alnum, 15)
    engine = chars("en_l", letters, 2) + chars("en", alnum, 9)
    return {"reg": reg, "chassis": chassis, "engine": engine, "make": vocab.VEHICLE_MAKES[make_i]}


def lookalike(
    h: Hasher, ids: npt.NDArray[np.uint64], stream: str, values: npt.NDArray[np.object_]
) -> npt.NDArray[np.object_]:
    """Swap one or two look-alike characters (5/S, 2/Z, 1/I, 0/O, 8/B) in 60% of values."""
    noisy = h.uniform(ids, stream) < 0.6
    pos = h.integers(ids, stream + ":p", 0, 1 << 20)
    out = values.copy()
    for i in np.flatnonzero(noisy):
        s = list(out[i])
        cand = [j for j, ch in enumerate(s) if ch in LOOKALIKE]
        if not cand:
            continue
        for j in cand[pos[i] % len(cand) :: max(1, len(cand) // 2)][:2]:
            s[j] = LOOKALIKE[s[j]]
        out[i] = "".join(s)
    return out


def stolen_vehicle(
    lk: Lookups, head: npt.NDArray[np.int64], content_uid: npt.NDArray[np.uint64]
) -> npt.NDArray[np.bool_]:
    """Thefts that are vehicle thefts (NCRB: about two in five thefts are auto thefts)."""
    return (lk.head_meta["code"][head] == "THEFT") & (
        lk.h.uniform(content_uid.astype(U), "vehicle_theft") < 0.4
    )


def vehicle_source(
    lk: Lookups, world: StateWorld, host_reg: npt.NDArray[np.int64], host_uid: npt.NDArray[np.uint64]
) -> npt.NDArray[np.int64]:
    """For each host FIR, the row of an earlier vehicle-theft FIR of the State (or -1)."""
    c = world.cols
    theft = np.flatnonzero(stolen_vehicle(lk, c["head"], c["content_uid"]) & ~c["is_zero"])
    if not len(theft):
        return np.full(len(host_reg), NONE, dtype=np.int64)
    t_reg = c["reg"][theft]  # sorted: world rows are in registration order
    # Most stolen vehicles that turn up do so within weeks of the theft.
    lag_days = np.clip(lk.h.lognormal(host_uid, "veh_lag", 12, 1.0), 1, 400)
    pick = np.searchsorted(t_reg, host_reg - (lag_days * MIN_PER_DAY).astype(np.int64), side="right") - 1
    decoy = lk.h.uniform(host_uid, "veh_decoy") < 0.15
    return np.where((pick >= 0) & ~decoy, theft[np.maximum(pick, 0)], NONE)
