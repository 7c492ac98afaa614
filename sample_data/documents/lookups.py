"""Reference arrays prepared once per generator run, and person names drawn from them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
import polars as pl

from sample_data.documents.columns import take
from sample_data.names import NamePool, name_pools
from sample_data.rand import Hasher
from sample_data.world import Reference

#: Share of person names written in the State's own script rather than in Latin letters.
NATIVE_SHARE = {"Latin": 0.0, "Devanagari": 0.2, "Marathi": 0.2}


@dataclass
class Lookups:
    """What every part of a document draws from: the reference data as NumPy arrays (prepared on
    first use), the run's hasher and seed, and the size of each State's repeat-offender pool."""

    ref: Reference
    h: Hasher
    seed: int
    offender_pool_size: dict[str, int]

    @cached_property
    def pools(self) -> dict[str, NamePool]:
        return name_pools(self.seed)

    @cached_property
    def state_script(self) -> dict[str, str]:
        out = {}
        for code, script in self.ref.states.select("state_code", "script").iter_rows():
            out[code] = (
                "Marathi" if code == "27" else (script if script in NATIVE_SHARE or script else "Latin")
            )
        return out

    @cached_property
    def st_arrays(self) -> dict[str, npt.NDArray]:
        s = self.ref.stations
        d = self.ref.districts.select("district_code", "district_name")
        s = s.join(d, on="district_code", how="left", maintain_order="left")
        return {
            "ps_code": s["ps_code"].to_numpy().astype(object),
            "district_code": s["district_code"].to_numpy().astype(object),
            "district_name": s["district_name"].to_numpy().astype(object),
            "lat": s["lat"].to_numpy().astype(np.float64),
            "lon": s["lon"].to_numpy().astype(np.float64),
        }

    @cached_property
    def district_codes(self) -> dict[str, npt.NDArray[np.object_]]:
        d = self.ref.districts
        return {
            s: d.filter(pl.col("state_code") == s)["district_code"].to_numpy().astype(object)
            for s in d["state_code"].unique().to_list()
        }

    @cached_property
    def head_meta(self) -> dict[str, npt.NDArray]:
        hd = self.ref.heads
        return {
            "code": hd["crime_head_code"].to_numpy().astype(object),
            "law_type": hd["law_type"].to_numpy().astype(object),
            "victim_profile": hd["victim_profile"].to_numpy().astype(object),
            "property_profile": hd["property_profile"].to_numpy().astype(object),
            "mo_group": hd["mo_group"].to_numpy().astype(object),
            "category": hd["ncrb_category"].to_numpy().astype(object),
            "name": hd["crime_head_name"].to_numpy().astype(object),
        }

    @cached_property
    def principal_sections(self) -> dict[tuple[int, int], tuple[npt.NDArray, npt.NDArray, npt.NDArray]]:
        """(head, era) -> (acts, sections, cumulative weights); era 0 = IPC, 1 = BNS."""
        secs = self.ref.sections.filter(pl.col("gen_weight").cast(pl.Float64) > 0)
        out: dict[tuple[int, int], tuple[npt.NDArray, npt.NDArray, npt.NDArray]] = {}
        for hi, code in enumerate(self.ref.head_codes):
            hs = secs.filter(pl.col("crime_head_code") == code)
            for era, drop in ((0, "BNS"), (1, "IPC")):
                cand = hs.filter(pl.col("act") != drop)
                if cand.height == 0 and era == 0:
                    # A head new in BNS (mob lynching, organised crime, ...) has no IPC section:
                    # an offence before 1 July 2024 is charged under the nearest IPC head.
                    nearest = self.ref.heads.filter(pl.col("crime_head_code") == code)["ipc_era_head"]
                    if nearest.len() and nearest[0]:
                        cand = secs.filter(
                            (pl.col("crime_head_code") == nearest[0]) & (pl.col("act") != "BNS")
                        )
                if cand.height == 0:
                    cand = hs
                if cand.height == 0:
                    continue
                w = cand["gen_weight"].cast(pl.Float64).to_numpy()
                out[(hi, era)] = (
                    cand["act"].to_numpy().astype(object),
                    cand["section"].to_numpy().astype(object),
                    np.cumsum(w) / w.sum(),
                )
        return out

    @cached_property
    def severity(self) -> dict[tuple[str, str], int]:
        """(act, section) -> severity rank (the principal-offence order)."""
        s = self.ref.sections
        return dict(
            zip(
                zip(s["act"].to_list(), s["section"].to_list(), strict=True),
                s["severity_rank"].cast(pl.Int64).to_list(),
                strict=True,
            )
        )

    @cached_property
    def mo_codes(self) -> dict[tuple[str, str], tuple[npt.NDArray, npt.NDArray]]:
        """(field, mo_group) -> (codes, labels), including the group-independent ones."""
        mo = self.ref.mo
        out = {}
        groups = set(mo["mo_group"].to_list()) | set(self.head_meta["mo_group"].tolist())
        for field in ("place_type", "mo_class", "entry_method", "tools_used", "target", "time_of_day"):
            f = mo.filter(pl.col("field") == field)
            for g in groups:
                sel = f.filter(pl.col("mo_group").is_in([g, "ANY"]))
                if sel.height == 0:
                    sel = f
                out[(field, g)] = (
                    sel["code"].to_numpy().astype(object),
                    sel["label"].to_numpy().astype(object),
                )
        return out

    def names(
        self,
        ids: npt.NDArray[np.uint64],
        stream: str,
        female: npt.NDArray[np.bool_],
        states: npt.NDArray[np.object_],
    ) -> dict[str, npt.NDArray[np.object_]]:
        """Given name, surname (native, latin, variant) for each id, from its State's pool."""
        n = len(ids)
        out = {k: np.empty(n, dtype=object) for k in ("gn", "gl", "gv", "sn", "sl", "sv", "script")}
        scripts = np.array([self.state_script.get(s, "Latin") for s in states], dtype=object)
        gi = self.h.integers(ids, stream + ":g", 0, 1 << 30)
        si = self.h.integers(ids, stream + ":s", 0, 1 << 30)
        for script in np.unique(scripts):
            sel = scripts == script
            pool = self.pools.get(script, self.pools["Latin"])
            f = female[sel]
            g = gi[sel]
            out["gn"][sel] = np.where(f, take(pool.female_native, g), take(pool.male_native, g))
            out["gl"][sel] = np.where(f, take(pool.female_latin, g), take(pool.male_latin, g))
            out["gv"][sel] = np.where(f, take(pool.female_variant, g), take(pool.male_variant, g))
            out["sn"][sel] = take(pool.surname_native, si[sel])
            out["sl"][sel] = take(pool.surname_latin, si[sel])
            out["sv"][sel] = take(pool.surname_variant, si[sel])
            out["script"][sel] = script
        return out
