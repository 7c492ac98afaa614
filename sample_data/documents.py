"""Build FIR documents (the eleven cas_csv tables) for FIRs as of a given day.

Input: rows of a :class:`~sample_data.world.StateWorld` with the day of the upload and the
document's ``record_version``. Everything a document holds is derived from the FIR's
``content_uid`` with the counter-based hasher, filtered by what had happened by that day
(arrests, final reports, trial, hearings), so re-sends are consistent with earlier versions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
import polars as pl

from core import extract_spec as spec
from sample_data import vocab
from sample_data.names import ALIASES, NamePool, name_pools
from sample_data.rand import Hasher
from sample_data.world import (
    BNS_START_DAY,
    MIN_PER_DAY,
    NONE,
    RESULTS,
    RT,
    Reference,
    StateWorld,
    hearing_days,
)

U = np.uint64
STATUS_UI, STATUS_CS, STATUS_FR, STATUS_TR, STATUS_QU, STATUS_EX = range(6)
#: Share of person names written in the State's own script rather than in Latin letters.
NATIVE_SHARE = {"Latin": 0.0, "Devanagari": 0.2, "Marathi": 0.2}
REPEAT_SHARE = {"PROPERTY": 0.22, "SLL": 0.15, "VIOLENT": 0.1}
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


def minutes_to_datetime(col: str) -> pl.Expr:
    return (
        pl.when(pl.col(col) >= 0)
        .then(pl.from_epoch(pl.col(col) * 60, time_unit="s").cast(pl.Datetime("us")))
        .otherwise(None)
        .alias(col)
    )


def days_to_date(col: str) -> pl.Expr:
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


def _take(arr: npt.NDArray[np.object_], idx: npt.NDArray[np.int64]) -> npt.NDArray[np.object_]:
    return arr[np.mod(idx, len(arr))]


@dataclass
class Builder:
    """Document builder for one generator run (reference arrays prepared once)."""

    ref: Reference
    h: Hasher
    seed: int
    offender_pool_size: dict[str, int]

    # --- prepared lookups ---------------------------------------------------------------
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

    # --- names --------------------------------------------------------------------------
    def _names(
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
            out["gn"][sel] = np.where(f, _take(pool.female_native, g), _take(pool.male_native, g))
            out["gl"][sel] = np.where(f, _take(pool.female_latin, g), _take(pool.male_latin, g))
            out["gv"][sel] = np.where(f, _take(pool.female_variant, g), _take(pool.male_variant, g))
            out["sn"][sel] = _take(pool.surname_native, si[sel])
            out["sl"][sel] = _take(pool.surname_latin, si[sel])
            out["sv"][sel] = _take(pool.surname_variant, si[sel])
            out["script"][sel] = script
        return out

    # --- the documents -------------------------------------------------------------------
    def build(self, world: StateWorld, ev: pl.DataFrame) -> dict[str, pl.DataFrame]:
        """CAS tables for documents ``ev`` (columns row, day, version) of one State.

        Every table carries the hidden column ``_day`` (the upload day) so the caller can split
        a multi-day build into uploads; callers drop it before writing.
        """
        c = world.cols
        rows = ev["row"].to_numpy()
        day = ev["day"].to_numpy().astype(np.int64)
        version = ev["version"].to_numpy().astype(np.int64)
        g = {k: v[rows] for k, v in c.items()}
        n = len(rows)
        uid = g["content_uid"].astype(U)
        state = world.state_code
        st = self.st_arrays
        ps = g["ps_idx"]
        key = frame(
            {
                "state_code": np.full(n, state, dtype=object),
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
        docs = self._fir(g, uid, day, version, key, world)
        tables: dict[str, pl.DataFrame] = {"fir.csv": docs}
        doc_idx = np.arange(n)
        tables["act_section.csv"] = self._sections(g, uid, key, doc_idx, day)
        tables["crime_details.csv"] = self._crime_details(g, uid, key, doc_idx, day, state)
        persons, acc = self._persons(g, uid, key, day, state)
        tables["person.csv"] = persons
        tables["arrest.csv"] = self._arrests(g, uid, key, day, acc)
        tables["property.csv"] = self._property(world, g, uid, key, day, state)
        tables["final_report.csv"] = self._final_reports(g, key, day)
        cc, hearings = self._court(g, uid, key, day)
        tables["court_case.csv"] = cc
        tables["hearing.csv"] = hearings
        for name, df in tables.items():
            hidden = [c for c in df.columns if c.startswith("_") and c not in ("_doc", "_day")]
            cols = [*spec.CAS_COLUMNS[name], "_day", *hidden]
            sort = [*spec.FIR_KEY] + [
                c
                for c in ("seq", "person_seq", "property_seq", "report_seq", "court_case_no", "hearing_date")
                if c in df.columns
            ]
            tables[name] = df.select(cols).sort(["_day", *sort], maintain_order=True)
        return tables

    def _fir(self, g, uid, day, version, key, world) -> pl.DataFrame:
        h = self.h
        n = len(uid)
        st = self.st_arrays
        ps = g["ps_idx"]
        reg_day = g["reg_day"]
        # Status as of the upload day, and the date it took that status.
        status = np.full(n, STATUS_UI)
        sdate = reg_day.copy()

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
        # last_modified: the registration itself, or some time during the working day of the change.
        lm = np.where(
            day == reg_day,
            g["reg"],
            day * MIN_PER_DAY + 9 * 60 + h.integers(uid, "lm", 0, 14 * 60, day),
        )
        lm = np.maximum(lm, g["reg"])
        twin_ps = np.where(g["is_zero"], g["twin_row"], 0)
        transferred = np.where(g["is_zero"], st["ps_code"][world.cols["ps_idx"][twin_ps]], None)
        io_female = h.uniform(uid, "io_f") < np.where(
            self.head_meta["victim_profile"][g["head"]] == "FEMALE", 0.6, 0.1
        )
        io = self._names(uid, "io", io_female, np.full(n, world.state_code, dtype=object))
        facts = self._facts(g, uid, world.state_code)
        df = key.with_columns(
            series("registered_at", g["reg"]),
            series("occurred_from", g["occ_from"]),
            series("occurred_to", g["occ_to"]),
            series("info_received_at", g["info"]),
            series(
                "gd_entry_no", (1 + h.integers(uid, "gd", 0, 140)).astype(str).astype(object), dtype=pl.Utf8
            ),
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
            series("io_rank", _take(vocab.IO_RANKS, h.integers(uid, "io_rank", 0, 1 << 20)), dtype=pl.Utf8),
            series("brief_facts", facts, dtype=pl.Utf8),
            series("status", np.array(spec.FIR_STATUSES, dtype=object)[status], dtype=pl.Utf8),
            series("status_date", sdate),
            series("record_version", version),
            series("last_modified", lm),
            series("_day", day),
        ).with_columns(
            minutes_to_datetime("registered_at"),
            minutes_to_datetime("occurred_from"),
            minutes_to_datetime("occurred_to"),
            minutes_to_datetime("info_received_at"),
            minutes_to_datetime("last_modified"),
            days_to_date("status_date"),
        )
        return df

    def _facts(self, g, uid, state: str) -> npt.NDArray[np.object_]:
        """Brief facts: a short template sentence. Sexual-offence FIRs may name the victim, as
        real FIRs do; the warehouse must never show it (BNS s.72)."""
        hm = self.head_meta
        n = len(uid)
        group = hm["mo_group"][g["head"]]
        head_name = hm["name"][g["head"]]
        place = _take(vocab.LOCALITIES, self.h.integers(uid, "facts_loc", 0, 1 << 20))
        victim_female = np.isin(hm["victim_profile"][g["head"]], ["FEMALE", "CHILD_FEMALE"])
        vic = self._names(
            uid,
            "victim0",
            victim_female | (self.h.uniform(uid, "vg", 0) < 0.4),
            np.full(n, state, dtype=object),
        )
        vname = (vic["gl"] + " " + vic["sl"]).astype(object)
        out = np.empty(n, dtype=object)
        for grp in np.unique(group):
            sel = group == grp
            verb = vocab.PLACE_TEXT.get(grp, vocab.PLACE_TEXT["ANY"]).replace("{item}", "valuables")
            if grp == "SEXUAL":
                named = self.h.uniform(uid[sel], "facts_named") < 0.5
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

    def _sections(self, g, uid, key: pl.DataFrame, doc_idx, day) -> pl.DataFrame:
        h = self.h
        n = len(uid)
        head = g["head"]
        occ_day = np.where(g["occ_from"] >= 0, g["occ_from"] // MIN_PER_DAY, g["reg_day"])
        era = (occ_day >= BNS_START_DAY).astype(np.int64)
        acts = np.empty(n, dtype=object)
        secs = np.empty(n, dtype=object)
        u = h.uniform(uid, "principal")
        for (hi, e), (a, s, cw) in self.principal_sections.items():
            sel = (head == hi) & (era == e)
            if sel.any():
                i = np.minimum(np.searchsorted(cw, u[sel], side="right"), len(cw) - 1)
                acts[sel] = a[i]
                secs[sel] = s[i]
        rows_doc = [doc_idx]
        rows_act = [acts]
        rows_sec = [secs]
        law = np.where(era == 1, "BNS", "IPC").astype(object)
        mo_group = self.head_meta["mo_group"][head]
        code = self.head_meta["code"][head]
        conds = {
            "common_intention": (g["n_acc"] >= 2) & (h.uniform(uid, "ao_ci") < 0.7),
            "intimidation": np.isin(mo_group, ["VIOLENT", "SEXUAL"]) & (h.uniform(uid, "ao_int") < 0.2),
            "hurt": np.isin(mo_group, ["VIOLENT", "PUBLIC_ORDER"]) & (h.uniform(uid, "ao_hurt") < 0.25)
            | (code == "SCST_ATROCITIES") & (h.uniform(uid, "ao_sc") < 0.6),
            "conspiracy": (mo_group == "ECONOMIC") & (h.uniform(uid, "ao_consp") < 0.15),
            "evidence": np.isin(code, ["MURDER", "DOWRY_DEATH"]) & (h.uniform(uid, "ao_ev") < 0.15),
            "rape": ((code == "MURDER") & (h.uniform(uid, "ao_rm") < 0.01))
            | ((code == "POCSO") & (h.uniform(uid, "ao_pocso") < 0.4)),
        }
        rank = self.severity
        principal_rank = np.array([rank.get((a, x), 0) for a, x in zip(acts, secs, strict=True)])
        for name, mask in conds.items():
            ipc, bns = ADDONS[name]
            # An add-on never outranks the principal offence, so the NCRB principal-offence
            # rule gives back the crime head the FIR was drawn for.
            lower = np.where(era == 1, rank.get(("BNS", bns), 0), rank.get(("IPC", ipc), 0)) < principal_rank
            sel = np.flatnonzero(mask & lower & (secs != None))  # noqa: E711
            rows_doc.append(sel)
            rows_act.append(law[sel])
            rows_sec.append(np.where(era[sel] == 1, bns, ipc).astype(object))
        d = np.concatenate(rows_doc)
        df = frame(
            {
                "_doc": d,
                "act": np.concatenate(rows_act),
                "section": np.concatenate(rows_sec),
                "_o": h.uniform(uid[d], "sec_order", np.arange(len(d)) % 7),
            },
            schema={"_doc": pl.Int64, "act": pl.Utf8, "section": pl.Utf8, "_o": pl.Float64},
        ).filter(pl.col("section").is_not_null())
        # Sections are listed in an order that does not reveal the principal offence.
        df = df.unique(["_doc", "act", "section"], keep="first", maintain_order=True).sort("_doc", "_o")
        df = df.with_columns(seq=pl.int_range(1, pl.len() + 1).over("_doc").cast(pl.Int64))
        return self._attach(key, df, day)

    def _attach(self, key: pl.DataFrame, child: pl.DataFrame, day: npt.NDArray[np.int64]) -> pl.DataFrame:
        """Prefix child rows with their document's FIR key and upload day."""
        kd = (
            key.with_columns(series("_day", day))
            .with_row_index("_doc")
            .with_columns(pl.col("_doc").cast(pl.Int64))
        )
        return child.join(kd, on="_doc", how="left", maintain_order="left")

    def _crime_details(self, g, uid, key, doc_idx, day, state: str) -> pl.DataFrame:
        h = self.h
        head = g["head"]
        grp = self.head_meta["mo_group"][head]
        law_type = self.head_meta["law_type"][head]
        has = ~((law_type == "SLL") & (h.uniform(uid, "cd_missing") < 0.15))
        n = len(uid)
        vals: dict[str, npt.NDArray[np.object_]] = {}
        labels: dict[str, npt.NDArray[np.object_]] = {}
        hour = np.where(g["occ_from"] >= 0, (g["occ_from"] % MIN_PER_DAY) // 60, 12)
        for field in ("place_type", "mo_class", "entry_method", "tools_used", "target", "time_of_day"):
            v = np.empty(n, dtype=object)
            lab = np.empty(n, dtype=object)
            for gr in np.unique(grp):
                sel = grp == gr
                codes, labs = self.mo_codes[(field, gr)]
                if field == "time_of_day":
                    # The time of day follows the offence time (4-hour buckets of the vocabulary).
                    bucket = np.array(
                        ["LATE_NIGHT", "EARLY_MORNING", "MORNING", "AFTERNOON", "EVENING", "NIGHT"],
                        dtype=object,
                    )[hour[sel] // 4]
                    pos = {c: j for j, c in enumerate(codes)}
                    i = np.array([pos.get(b, len(codes) - 1) for b in bucket], dtype=np.int64)
                else:
                    i = h.integers(uid[sel], "mo:" + field, 0, len(codes))
                v[sel] = codes[i]
                lab[sel] = labs[i]
            vals[field] = v
            labels[field] = lab
        # Emerging MOs spread from their origin State to others with a lag.
        fraud = np.isin(grp, ["CYBER_FRAUD", "ECONOMIC"])
        reg_day = g["reg_day"]
        for code_, origin, first in EMERGING_MO:
            t0 = (first - dt.date(1970, 1, 1)).days
            lag = (
                0
                if state == origin
                else 45 + int(self.h.integers(np.array([int(state)]), "mo_lag:" + code_, 0, 540)[0])
            )
            p = 0.3 / (1 + np.exp(-(reg_day - t0 - lag) / 30.0))
            hit = fraud & (h.uniform(uid, "emerge:" + code_) < p)
            vals["mo_class"] = np.where(hit, code_, vals["mo_class"])
            labels["mo_class"] = np.where(hit, code_.replace("_", " ").lower(), labels["mo_class"])
        # Free text as an investigating officer writes it: the MO and the means, sometimes the object.
        with_target = h.uniform(uid, "mo_text_target") < 0.3
        text = (
            labels["mo_class"].astype(str)
            + "; "
            + np.char.lower(labels["tools_used"].astype(str))
            + np.where(with_target, "; target " + np.char.lower(labels["target"].astype(str)), "")
        )
        df = frame(
            {"_doc": doc_idx, **{k: v for k, v in vals.items()}, "mo_text": text.astype(object)},
            schema={"_doc": pl.Int64, **{k: pl.Utf8 for k in vals}, "mo_text": pl.Utf8},
        ).filter(pl.Series(has))
        return self._attach(key, df, day)

    def _persons(self, g, uid, key, day, state: str) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Accused (A1..), victims (V1..) and the complainant (C1) of each document."""
        h = self.h
        n = len(uid)
        head = g["head"]
        vp = self.head_meta["victim_profile"][head]
        grp = self.head_meta["mo_group"][head]
        reg_year = g["year"]
        # Accused, once known.
        acc_known = (g["acc_known_day"] != NONE) & (day >= g["acc_known_day"])
        n_acc = np.where(acc_known, g["n_acc"], 0)
        a_doc = np.repeat(np.arange(n), n_acc)
        a_k = np.arange(len(a_doc)) - np.repeat(np.cumsum(n_acc) - n_acc, n_acc)
        a_seq = np.char.add("A", (a_k + 1).astype(str)).astype(object)
        # Victims.
        n_vic = np.where(vp == "NONE", 0, 1 + (h.uniform(uid, "n_vic") < 0.1))
        v_doc = np.repeat(np.arange(n), n_vic)
        v_k = np.arange(len(v_doc)) - np.repeat(np.cumsum(n_vic) - n_vic, n_vic)
        v_seq = np.char.add("V", (v_k + 1).astype(str)).astype(object)
        c_doc = np.arange(n)

        doc = np.concatenate([a_doc, v_doc, c_doc])
        role = np.concatenate(
            [np.full(len(a_doc), "ACCUSED"), np.full(len(v_doc), "VICTIM"), np.full(n, "COMPLAINANT")]
        ).astype(object)
        seq = np.concatenate([a_seq, v_seq, np.full(n, "C1", dtype=object)])
        k = np.concatenate([a_k, 100 + v_k, np.full(n, 200)])
        pid = uid[doc] * U(1000) + k.astype(U)  # person id within the simulated world
        m = len(doc)
        is_acc = role == "ACCUSED"
        is_vic = role == "VICTIM"
        is_com = role == "COMPLAINANT"
        vprof = vp[doc]

        # Gender and age by role and the crime's victim profile.
        female = np.where(
            is_acc,
            h.uniform(pid, "acc_f") < 0.08,
            np.where(np.isin(vprof, ["FEMALE", "CHILD_FEMALE"]), True, h.uniform(pid, "vic_f") < 0.4),
        )
        child = is_vic & np.isin(vprof, ["CHILD", "CHILD_FEMALE"])
        age = np.where(
            child,
            h.integers(pid, "age_c", 3, 18),
            np.where(is_acc, h.integers(pid, "age_a", 18, 62), h.integers(pid, "age_o", 18, 75)),
        )
        # The complainant is often the victim (same person); for a child, a parent; for
        # State cases (no victim), a police officer.
        com_is_vic = (
            is_com
            & (vprof != "NONE")
            & ~np.isin(vprof, ["CHILD", "CHILD_FEMALE"])
            & (h.uniform(uid[doc], "com_vic") < 0.6)
        )
        # Names: the victim-complainant shares the victim's draw.
        name_key = np.where(com_is_vic, uid[doc] * U(1000) + U(100), pid)
        female = np.where(
            com_is_vic,
            np.isin(vprof, ["FEMALE", "CHILD_FEMALE"]) | (h.uniform(name_key, "vic_f") < 0.4),
            female,
        )
        age = np.where(com_is_vic, h.integers(name_key, "age_o", 18, 75), age)
        states = np.full(m, state, dtype=object)
        nm = self._names(name_key, "person", female, states)
        rel = self._names(name_key, "relative", np.zeros(m, dtype=bool), states)

        # Repeat offenders: some accused are drawn from the State's (or another State's) pool.
        pool_size = self.offender_pool_size
        p_rep = np.array([REPEAT_SHARE.get(x, 0.06) for x in grp[doc]])
        repeat = is_acc & (h.uniform(pid, "repeat") < p_rep)
        other_state = h.uniform(pid, "rep_other") < 0.1
        states_all = np.array(sorted(pool_size), dtype=object)
        rep_state = np.where(other_state, _take(states_all, h.integers(pid, "rep_state", 0, 1 << 20)), state)
        sizes = np.array([pool_size.get(s, 1) for s in rep_state])
        rep_idx = h.integers(pid, "rep_idx", 0, sizes)
        person_uid = np.where(
            repeat,
            np.char.add(np.char.add("R", rep_state.astype(str)), zfill(rep_idx.astype(str), 7)),
            np.char.add("P", pid.astype(str)),
        ).astype(object)
        off_key = (np.array([int(s) for s in rep_state], dtype=np.int64) * 10**8 + rep_idx).astype(U)
        if repeat.any():
            r = np.flatnonzero(repeat)
            ofem = h.uniform(off_key[r], "off_f") < 0.06
            onm = self._names(off_key[r], "offender", ofem, rep_state[r])
            orel = self._names(off_key[r], "off_rel", np.zeros(len(r), dtype=bool), rep_state[r])
            for kk in ("gn", "gl", "gv", "sn", "sl", "sv", "script"):
                nm[kk][r] = onm[kk]
                rel[kk][r] = orel[kk]
            female[r] = ofem
            birth = 1955 + h.integers(off_key[r], "off_by", 0, 50)
            age[r] = np.clip(reg_year[doc[r]] - birth, 18, 90)

        # How the name is written in this FIR: variants are what record linkage must undo.
        script = nm["script"]
        native_share = np.array([NATIVE_SHARE.get(s, 0.15) for s in script])
        variant = h.choice(pid, "name_variant", [0.5, 0.2, 0.1, 0.1, 0.1])
        native = (h.uniform(pid, "native") < native_share) | (repeat & (variant == 3) & (native_share > 0))
        latin_full = (nm["gl"] + " " + nm["sl"]).astype(object)
        name = np.where(
            native,
            nm["gn"] + " " + nm["sn"],
            np.select(
                [variant == 1, variant == 2, variant == 4],
                [
                    nm["gv"] + " " + nm["sv"],
                    np.array([x[:1] for x in nm["gl"]], dtype=object) + ". " + nm["sl"],
                    nm["gl"] + " " + rel["gl"],
                ],
                latin_full,
            ),
        ).astype(object)
        police = is_com & (vprof == "NONE")
        name = np.where(police, "SI " + name, name)
        alias = np.where(
            is_acc & (h.uniform(pid, "alias") < 0.25),
            _take(ALIASES, h.integers(np.where(repeat, off_key, pid), "alias_i", 0, 1 << 20)),
            None,
        )
        relative = np.where(
            native & (h.uniform(pid, "rel_native") < 0.7),
            rel["gn"] + " " + rel["sn"],
            rel["gl"] + " " + rel["sl"],
        )
        birth_year = reg_year[doc] - age
        has_age = h.uniform(pid, "has_age") < 0.9
        has_by = h.uniform(pid, "has_by") < 0.75
        dist_codes = self.district_codes[state]
        home = np.where(
            h.uniform(pid, "home_other") < 0.2,
            _take(dist_codes, h.integers(pid, "home_d", 0, 1 << 20)),
            np.asarray(key["district_code"].to_numpy(), dtype=object)[doc],
        )
        address = (
            "H.No. "
            + (1 + h.integers(pid, "hno", 0, 900)).astype(str).astype(object)
            + ", "
            + _take(vocab.LOCALITIES, h.integers(pid, "loc", 0, 1 << 20))
        )
        height = np.where(female, h.integers(pid, "ht", 145, 172), h.integers(pid, "ht", 155, 188))
        occupation = np.where(
            police,
            "POLICE",
            np.where(
                female,
                _take(vocab.OCCUPATIONS_F, h.integers(pid, "occ", 0, 1 << 20)),
                _take(vocab.OCCUPATIONS_M, h.integers(pid, "occ", 0, 1 << 20)),
            ),
        )
        nationality = np.where(
            h.uniform(pid, "nat") < 0.004,
            np.where(h.uniform(pid, "nat2") < 0.5, "NEPALI", "BANGLADESHI"),
            "INDIAN",
        )
        df = frame(
            {
                "_doc": doc,
                "person_seq": seq,
                "role": role,
                "name": name,
                "alias": alias,
                "relative_name": relative.astype(object),
                "gender": np.where(female, "F", np.where(h.uniform(pid, "tg") < 0.002, "T", "M")).astype(
                    object
                ),
                "birth_year": np.where(has_by, birth_year, None),
                "age": np.where(has_age | ~has_by, age, None),
                "nationality": nationality.astype(object),
                "address": address.astype(object),
                "address_district_code": home,
                "height_cm": np.where(
                    is_acc & (h.uniform(pid, "has_ht") < 0.8) | (h.uniform(pid, "has_ht2") < 0.1),
                    height,
                    None,
                ),
                "complexion": np.where(
                    is_acc | (h.uniform(pid, "has_cx") < 0.2),
                    _take(vocab.COMPLEXIONS, h.integers(np.where(repeat, off_key, pid), "cx", 0, 1 << 20)),
                    None,
                ),
                "identification_marks": np.where(
                    is_acc & (h.uniform(pid, "has_mk") < 0.5),
                    _take(vocab.MARKS, h.integers(np.where(repeat, off_key, pid), "mk", 0, 1 << 20)),
                    None,
                ),
                "occupation": occupation.astype(object),
                "_person_uid": person_uid,
                "_variant": np.where(
                    native,
                    "native",
                    np.array(["exact", "spelling", "initial", "native", "patronymic"], dtype=object)[variant],
                ),
            },
            schema_overrides={
                "birth_year": pl.Int64,
                "age": pl.Int64,
                "height_cm": pl.Int64,
                "alias": pl.Utf8,
                "complexion": pl.Utf8,
                "identification_marks": pl.Utf8,
            },
        )
        persons = self._attach(key, df, day)
        accused = persons.filter(pl.col("role") == "ACCUSED").select("_doc", "person_seq")
        return persons, accused

    def _arrests(self, g, uid, key, day, accused: pl.DataFrame) -> pl.DataFrame:
        h = self.h
        doc = accused["_doc"].to_numpy()
        k = np.array([int(s[1:]) for s in accused["person_seq"].to_list()], dtype=np.int64)
        ad = g["arrest_day"][doc]
        pid = uid[doc] * U(1000) + k.astype(U)
        on = np.where(k == 1, ad, ad + h.integers(pid, "arr_off", 0, 4))
        ok = (ad != NONE) & (h.uniform(pid, "arr_each") < 0.85) & (on <= day[doc])
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
        return self._attach(key, df, day)

    # --- property ---------------------------------------------------------------------------
    @staticmethod
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

    def _property(self, world: StateWorld, g, uid, key, day, state: str) -> pl.DataFrame:
        h = self.h
        prof = self.head_meta["property_profile"][g["head"]]
        code = self.head_meta["code"][g["head"]]
        parts: list[dict[str, np.ndarray]] = []
        reg_day = g["reg_day"]
        rec_day = reg_day + np.round(h.lognormal(uid, "rec_d", 15, 1.0)).astype(np.int64)
        rec_day = np.where((g["fr_day"] != NONE) & (rec_day > g["fr_day"]), g["fr_day"], rec_day)

        # Stolen vehicles (and their recovery in the same FIR).
        stolen_vehicle = self.stolen_vehicle(g["head"], uid)
        veh = np.flatnonzero(stolen_vehicle)
        if len(veh):
            vid = uid[veh]
            ident = self.vehicle_identity(h, vid, np.full(len(veh), state, dtype=object))
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
            parts.append(
                {**base, "nature": np.full(len(veh), "STOLEN", dtype=object), "event_date": reg_day[veh]}
            )
            rec = (h.uniform(vid, "veh_rec") < 0.3) & (rec_day[veh] <= day[veh])
            parts.append(
                {k: v[rec] for k, v in base.items()}
                | {
                    "property_seq": np.full(rec.sum(), 2, dtype=np.int64),
                    "nature": np.full(rec.sum(), "RECOVERED", dtype=object),
                    "event_date": rec_day[veh][rec],
                }
            )
        # Other stolen or seized property.
        # The offending vehicle in traffic cases is seized (it is not stolen).
        seized = np.flatnonzero((prof == "VEHICLE") & (code != "RECEIVING_STOLEN_PROPERTY"))
        if len(seized):
            sid = uid[seized] ^ U(0x7F4A7C15)
            ident = self.vehicle_identity(h, sid, np.full(len(seized), state, dtype=object))
            parts.append(
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
                    "event_date": reg_day[seized],
                }
            )
        for pname, nature in (
            ("MOBILE", "STOLEN"),
            ("CASH", "STOLEN"),
            ("JEWELLERY", "STOLEN"),
            ("GENERAL", "STOLEN"),
            ("DRUGS", "SEIZED"),
            ("ARMS", "SEIZED"),
            ("LIQUOR", "SEIZED"),
        ):
            sel = np.flatnonzero((prof == pname) & ~stolen_vehicle)
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
            parts.append(
                {**base, "nature": np.full(len(sel), nature, dtype=object), "event_date": reg_day[sel]}
            )
            if nature == "STOLEN":
                rec = (h.uniform(ids, "item_rec") < 0.25) & (rec_day[sel] <= day[sel])
                parts.append(
                    {k: v[rec] for k, v in base.items()}
                    | {
                        "property_seq": np.full(rec.sum(), 2, dtype=np.int64),
                        "nature": np.full(rec.sum(), "RECOVERED", dtype=object),
                        "event_date": rec_day[sel][rec],
                    }
                )
        # Vehicles found in other cases: seized with contraband, or abandoned and unclaimed.
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
        if len(host):
            src = self.vehicle_source(world, g["reg"][host], uid[host])
            found = src >= 0
            decoy_ids = uid[host] ^ U(0x5DEECE66D)
            src_uid = np.where(found, world.cols["content_uid"][np.maximum(src, 0)].astype(U), decoy_ids)
            ident = self.vehicle_identity(h, src_uid, np.full(len(host), state, dtype=object))
            hid = uid[host]
            chassis = self.lookalike(h, hid, "ch_noise", ident["chassis"])
            engine = self.lookalike(h, hid, "en_noise", ident["engine"])
            fake = self.vehicle_identity(h, hid ^ U(0xABCDEF), np.full(len(host), state, dtype=object))["reg"]
            plate = np.where(h.uniform(hid, "fake_plate") < 0.7, fake, ident["reg"])
            nat = np.where(h.uniform(hid, "unclaimed") < 0.3, "UNCLAIMED", "SEIZED").astype(object)
            parts.append(
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
                    "event_date": reg_day[host],
                    "_src_row": np.where(found, src, NONE),
                }
            )
        # Property columns of the interface (event_date still as a day number), with the row's
        # document and, for a found vehicle, the world row of the theft it came from.
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
        df = pl.concat(frames).with_columns(days_to_date("event_date"))
        return self._attach(key, df, day)

    @staticmethod
    def lookalike(
        h: Hasher, ids: npt.NDArray[np.uint64], stream: str, values: npt.NDArray[np.object_]
    ) -> npt.NDArray[np.object_]:
        """Swap one or two look-alike characters (5/S, 2/Z, 1/I, 0/O, 8/B) in 60% of values."""
        swap = {
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
        noisy = h.uniform(ids, stream) < 0.6
        pos = h.integers(ids, stream + ":p", 0, 1 << 20)
        out = values.copy()
        for i in np.flatnonzero(noisy):
            s = list(out[i])
            cand = [j for j, ch in enumerate(s) if ch in swap]
            if not cand:
                continue
            for j in cand[pos[i] % len(cand) :: max(1, len(cand) // 2)][:2]:
                s[j] = swap[s[j]]
            out[i] = "".join(s)
        return out

    def stolen_vehicle(
        self, head: npt.NDArray[np.int64], content_uid: npt.NDArray[np.uint64]
    ) -> npt.NDArray[np.bool_]:
        """Thefts that are vehicle thefts (NCRB: about two in five thefts are auto thefts)."""
        return (self.head_meta["code"][head] == "THEFT") & (
            self.h.uniform(content_uid.astype(U), "vehicle_theft") < 0.4
        )

    def vehicle_source(
        self, world: StateWorld, host_reg: npt.NDArray[np.int64], host_uid: npt.NDArray[np.uint64]
    ) -> npt.NDArray[np.int64]:
        """For each host FIR, the row of an earlier vehicle-theft FIR of the State (or -1)."""
        c = world.cols
        theft = np.flatnonzero(self.stolen_vehicle(c["head"], c["content_uid"]) & ~c["is_zero"])
        if not len(theft):
            return np.full(len(host_reg), NONE, dtype=np.int64)
        t_reg = c["reg"][theft]  # sorted: world rows are in registration order
        # Most stolen vehicles that turn up do so within weeks of the theft.
        lag_days = np.clip(self.h.lognormal(host_uid, "veh_lag", 12, 1.0), 1, 400)
        pick = np.searchsorted(t_reg, host_reg - (lag_days * MIN_PER_DAY).astype(np.int64), side="right") - 1
        decoy = self.h.uniform(host_uid, "veh_decoy") < 0.15
        return np.where((pick >= 0) & ~decoy, theft[np.maximum(pick, 0)], NONE)

    def _final_reports(self, g, key, day) -> pl.DataFrame:
        parts = []
        idx = np.arange(len(day))
        for seq, dcol, tcol, supp in (
            (1, "fr_day", "fr_type", "N"),
            (2, "supp_day", None, "Y"),
            (2, "fr2_day", "fr2_type", "N"),
        ):
            d = g[dcol]
            ok = (d != NONE) & (day >= d)
            types = np.full(ok.sum(), RT["CHARGESHEET"]) if tcol is None else g[tcol][ok]
            parts.append(
                frame(
                    {
                        "_doc": idx[ok],
                        "report_seq": np.full(ok.sum(), seq),
                        "report_date": d[ok],
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
        return self._attach(key, df, day)

    def _court(self, g, uid, key, day) -> tuple[pl.DataFrame, pl.DataFrame]:
        h = self.h
        ok = (g["commit_day"] != NONE) & (day >= g["commit_day"])
        doc = np.flatnonzero(ok)
        cu = uid[doc]
        code = self.head_meta["code"][g["head"][doc]]
        commit = g["commit_day"][doc]
        disp = g["disp_day"][doc]
        year = (commit.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970).astype(str)
        sessions = np.isin(
            code,
            [
                "MURDER",
                "ATTEMPT_MURDER",
                "RAPE",
                "GANG_RAPE",
                "DACOITY",
                "DOWRY_DEATH",
                "CULPABLE_HOMICIDE",
                "NDPS",
                "KIDNAPPING_ABDUCTION",
            ],
        )
        special = np.isin(code, ["POCSO", "SCST_ATROCITIES"])
        prefix = np.where(special, "SPL", np.where(sessions, "SC", "CC"))
        no = (1 + h.integers(cu, "cc_no", 0, 2500)).astype(str)
        case_no = np.char.add(np.char.add(np.char.add(prefix, "/"), np.char.add(no, "/")), year).astype(
            object
        )
        dname = self.st_arrays["district_name"][g["ps_idx"][doc]].astype(object)
        court = np.where(
            special,
            "Special Court, " + dname,
            np.where(
                sessions, "Court of Sessions Judge, " + dname, "Court of Chief Judicial Magistrate, " + dname
            ),
        )
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
        # Hearings held by the upload day.
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
        hearings = frame(
            {
                "_doc": hdoc,
                "court_case_no": np.array([case_of[d] for d in hdoc.tolist()], dtype=object),
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
        return self._attach(key, cc, day), self._attach(key, hearings, day)
