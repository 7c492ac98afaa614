"""Defects a real SCRB sends, injected at ``--defect-rate`` and listed in a ground-truth file.

Record-level defects touch one FIR document (or one register row) inside an otherwise good
upload; upload-level defects break the upload as a whole (manifest, files, structure), and the
State then re-sends the same content as the next sequence number, as an SCRB would after the
rejection notice. Kinds are picked in rotation (least used first) so that every kind appears as
soon as there are as many defects as kinds: the committed sample exercises all of them.

Every injected defect is one row of ``_truth/defects.csv``: upload, file, record number (data
record, 1-based: CSV row without header, JSON line, ``<FIR>`` element), FIR key, kind, detail.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from core import extract_spec as spec
from sample_data.world import BNS_START

RECORD_KINDS = (
    "missing_mandatory_field",
    "bad_date",
    "future_date",
    "occurrence_after_registration",
    "unknown_police_station",
    "duplicate_key",
    "orphan_child",
    "invalid_code",
    "stale_version",
    "non_utf8",
    "ipc_after_switch",
)
UPLOAD_KINDS = (
    "duplicate_upload",
    "manifest_hash_mismatch",
    "manifest_row_count_mismatch",
    "truncated_file",
    "extra_column",
    "missing_column",
    "missing_file",
    "unlisted_file",
)
#: Upload-level kinds after which the State re-sends the same content as the next sequence.
REJECTING_KINDS = frozenset(UPLOAD_KINDS) - {"duplicate_upload"}
NON_UTF8_BYTES = "Ram\u00e9sh Kum\u00e1r".encode("latin-1")
DEFECT_COL = "_defect"


@dataclass
class Defect:
    upload_id: str
    file: str
    kind: str
    detail: str
    fir_key: str | None = None
    record_no: int | None = None
    marker: str | None = None  # set for non_utf8: replaced by raw bytes after writing


@dataclass
class Rotation:
    """Least-used-first choice among applicable kinds (deterministic)."""

    used: Counter[str] = field(default_factory=Counter)

    def pick(self, kinds: list[str], rng: np.random.Generator) -> str:
        low = min(self.used[k] for k in kinds)
        cands = [k for k in kinds if self.used[k] == low]
        kind = cands[int(rng.integers(0, len(cands)))]
        self.used[kind] += 1
        return kind


def _key_expr() -> pl.Expr:
    return pl.concat_str([pl.col(c).cast(pl.Utf8) for c in spec.FIR_KEY], separator="-")


def _fir_key(df: pl.DataFrame, i: int) -> str:
    r = df.row(i, named=True)
    return spec.fir_key_str(r["state_code"], r["district_code"], r["ps_code"], r["fir_year"], r["fir_no"])


def _mark(df: pl.DataFrame, i: int, defect_id: int) -> pl.DataFrame:
    if DEFECT_COL not in df.columns:
        df = df.with_columns(pl.lit(None, pl.Int64).alias(DEFECT_COL))
    return df.with_columns(
        pl.when(pl.int_range(pl.len()) == i)
        .then(pl.lit(defect_id))
        .otherwise(pl.col(DEFECT_COL))
        .alias(DEFECT_COL)
    )


def _set(df: pl.DataFrame, i: int, col: str, value: object, dtype: pl.DataType | None = None) -> pl.DataFrame:
    lit = pl.lit(value, dtype or df.schema[col])
    return df.with_columns(pl.when(pl.int_range(pl.len()) == i).then(lit).otherwise(pl.col(col)).alias(col))


def _text_format(fmt: str, kind: str) -> str:
    if fmt == "jsonl":
        return spec.JSONL_TIMESTAMP_FORMAT if kind == "ts" else spec.JSONL_DATE_FORMAT
    if fmt == "xml":
        return spec.XML_TIMESTAMP_FORMAT if kind == "ts" else spec.CSV_DATE_FORMAT
    return spec.CSV_TIMESTAMP_FORMAT if kind == "ts" else spec.CSV_DATE_FORMAT


class Injector:
    """Injects record-level defects into the tables of one upload before it is written."""

    def __init__(self, fmt: str, upload_id: str, extract_day: dt.date, rng: np.random.Generator, rotation: Rotation,
                 known_ps: set[str], crosswalk: dict[str, str]) -> None:  # fmt: skip
        self.fmt = fmt
        self.upload_id = upload_id
        self.extract_day = extract_day
        self.rng = rng
        self.rotation = rotation
        self.known_ps = known_ps
        self.bns_to_ipc = crosswalk
        self.defects: list[Defect] = []
        self.touched: set[str] = set()
        self.bad_text: dict[int, tuple[str, str]] = {}
        self._cache: dict[str, tuple[pl.DataFrame, dict[str, list[int]], list[str]]] = {}
        self._after_switch: np.ndarray | None = None

    # -- helpers --------------------------------------------------------------------------
    def _new(self, file: str, kind: str, detail: str, fir_key: str | None) -> int:
        self.defects.append(Defect(self.upload_id, file, kind, detail, fir_key))
        return len(self.defects) - 1

    def _index(self, name: str, df: pl.DataFrame) -> tuple[dict[str, list[int]], list[str]]:
        """FIR key -> row numbers of a table, built once per upload; value edits keep rows and
        keys where they are, and appends and key changes update it (:meth:`_appended`,
        :meth:`_rekey`)."""
        cached = self._cache.get(name)
        if cached is not None:
            return cached[1], cached[2]
        keys = df.select(_key_expr().alias("k"))["k"].to_list() if df.height else []
        grouped = (
            pl.DataFrame({"k": keys}, schema={"k": pl.Utf8}).with_row_index("i").group_by("k").agg("i")
            if keys
            else None
        )
        index: dict[str, list[int]] = (
            dict(zip(grouped["k"].to_list(), grouped["i"].to_list(), strict=True))
            if grouped is not None
            else {}
        )
        self._cache[name] = (df, index, keys)
        return index, keys

    def _rekey(
        self, name: str, rows: list[int], old: str, new: str
    ) -> None:  # used by unknown_police_station
        """Keep the index right after the key of ``rows`` changed from ``old`` to ``new``."""
        cached = self._cache.get(name)
        if cached is None:
            return
        index, keys = cached[1], cached[2]
        moved = set(rows)
        index[old] = [r for r in index.get(old, []) if r not in moved]
        index.setdefault(new, []).extend(rows)
        for r in rows:
            keys[r] = new

    def _appended(self, name: str, start: int, count: int, key: str) -> None:
        """Keep the index right after ``count`` rows of ``key`` were appended at ``start``."""
        cached = self._cache.get(name)
        if cached is None:
            return
        cached[1].setdefault(key, []).extend(range(start, start + count))
        cached[2].extend([key] * count)

    def _doc_rows(self, t: dict[str, pl.DataFrame], key: str, *names: str) -> dict[str, list[int]]:
        """Row numbers of one FIR document in the named FIR tables (default: all of them)."""
        return {
            name: self._index(name, df)[0].get(key, [])
            for name, df in t.items()
            if name not in spec.REGISTER_FILES and df.height and (not names or name in names)
        }

    def _pick_doc(self, fir: pl.DataFrame, where: np.ndarray | None = None) -> int | None:
        _, keys = self._index("fir.csv", fir)
        idx = np.flatnonzero(where) if where is not None else np.arange(len(keys))
        if len(idx) and len(self.touched) < len(idx) // 2:
            for _ in range(20):  # few documents are touched: rejection sampling is enough
                i = int(idx[int(self.rng.integers(0, len(idx)))])
                if keys[i] not in self.touched:
                    self.touched.add(keys[i])
                    return i
        idx = np.array([i for i in idx if keys[i] not in self.touched], dtype=np.int64)
        if not len(idx):
            return None
        i = int(idx[int(self.rng.integers(0, len(idx)))])
        self.touched.add(keys[i])
        return i

    # -- kinds ---------------------------------------------------------------------------
    def apply(self, t: dict[str, pl.DataFrame], kind: str, stale_doc: dict[str, pl.DataFrame] | None) -> bool:
        """Inject one defect of ``kind``; False if the upload has nothing it applies to."""
        fir = t["fir.csv"]
        if kind == "stale_version":
            if not stale_doc or stale_doc["fir.csv"].height == 0:
                return False
            key = _fir_key(stale_doc["fir.csv"], 0)
            if key in self._index("fir.csv", fir)[0]:
                return False
            d = self._new(
                "fir.csv",
                kind,
                f"record_version {stale_doc['fir.csv']['record_version'][0]} re-sent after a higher one",
                key,
            )
            for name, df in stale_doc.items():
                if df.height:
                    extra = df.with_columns(
                        pl.lit(d if name == "fir.csv" else None, pl.Int64).alias(DEFECT_COL)
                    )
                    base = (
                        t[name]
                        if DEFECT_COL in t[name].columns
                        else t[name].with_columns(pl.lit(None, pl.Int64).alias(DEFECT_COL))
                    )
                    t[name] = pl.concat([base, extra.select(base.columns)], how="vertical_relaxed")
                    self._appended(name, base.height, extra.height, key)
            self.touched.add(key)
            return True
        if kind in ("missing_mandatory_field", "invalid_code") and self.rng.random() < 0.2:
            reg = "missing_person.csv" if self.rng.random() < 0.5 else "unidentified_body.csv"
            if t[reg].height:
                i = int(self.rng.integers(0, t[reg].height))
                col = "found_on" if reg == "unidentified_body.csv" else "report_date"
                if kind == "missing_mandatory_field":
                    d = self._new(reg, kind, f"{reg}:{col} empty", None)
                    t[reg] = _mark(_set(t[reg], i, col, None), i, d)
                else:
                    d = self._new(reg, kind, f"{reg}:gender 'X'", None)
                    t[reg] = _mark(_set(t[reg], i, "gender", "X"), i, d)
                return True
        if fir.height == 0:
            return False
        if kind == "ipc_after_switch":
            if self._after_switch is None or len(self._after_switch) != fir.height:
                self._after_switch = (fir["occurred_from"].dt.date() >= BNS_START).fill_null(False).to_numpy()
            i = self._pick_doc(fir, self._after_switch)
            if i is None:
                return False
            key = _fir_key(fir, i)
            sec = t["act_section.csv"]
            acts = sec["act"]
            rows = [
                j
                for j in self._doc_rows(t, key, "act_section.csv").get("act_section.csv", [])
                if acts[j] == "BNS"
            ]
            if not len(rows):
                self.touched.discard(key)
                return False
            j = int(rows[0])
            bns = sec["section"][j]
            ipc = self.bns_to_ipc.get(bns, "379")
            d = self._new(
                "act_section.csv",
                kind,
                f"IPC {ipc} (for BNS {bns}) on an offence of {fir['occurred_from'][i]:%Y-%m-%d}",
                key,
            )
            sec = _set(_set(sec, j, "act", "IPC"), j, "section", ipc)
            t["act_section.csv"] = _mark(sec, j, d)
            return True
        i = self._pick_doc(fir)
        if i is None:
            return False
        key = _fir_key(fir, i)
        if kind == "missing_mandatory_field":
            col = ["registered_at", "occurred_from", "status"][int(self.rng.integers(0, 3))]
            d = self._new("fir.csv", kind, f"fir.csv:{col} empty", key)
            t["fir.csv"] = _mark(_set(fir, i, col, None), i, d)
        elif kind == "bad_date":
            col = "registered_at"
            ts = fir[col][i] or dt.datetime.combine(self.extract_day, dt.time(10, 0))
            bad = {
                "cas_csv": f"{ts.year}-02-30 {ts:%H:%M}:00",
                "jsonl": f"30/02/{ts.year} {ts:%H:%M}",
                "xml": f"{ts.year}-02-30T{ts:%H:%M}:00+05:30",
            }[self.fmt]
            d = self._new("fir.csv", kind, f"fir.csv:{col} '{bad}'", key)
            # Written as text in finalise(), once every other defect has been placed.
            self.bad_text[d] = (col, bad)
            t["fir.csv"] = _mark(fir, i, d)
        elif kind == "future_date":
            when = dt.datetime.combine(
                self.extract_day + dt.timedelta(days=int(self.rng.integers(2, 30))), dt.time(11, 30)
            )
            d = self._new(
                "fir.csv", kind, f"fir.csv:registered_at {when:%Y-%m-%d %H:%M} after the extract date", key
            )
            fir = _set(fir, i, "registered_at", when)
            fir = _set(fir, i, "last_modified", when)
            t["fir.csv"] = _mark(fir, i, d)
        elif kind == "occurrence_after_registration":
            reg = fir["registered_at"][i]
            when = reg + dt.timedelta(days=int(self.rng.integers(1, 4)))
            d = self._new(
                "fir.csv",
                kind,
                f"fir.csv:occurred_from {when:%Y-%m-%d %H:%M} after registered_at {reg:%Y-%m-%d %H:%M}",
                key,
            )
            fir = _set(_set(fir, i, "occurred_from", when), i, "occurred_to", None)
            t["fir.csv"] = _mark(fir, i, d)
        elif kind == "unknown_police_station":
            while True:
                bad_ps = f"9{int(self.rng.integers(0, 10000)):04d}"
                if bad_ps not in self.known_ps:
                    break
            new_key = key.split("-")
            new_key[2] = bad_ps
            d = self._new(
                "fir.csv", kind, f"ps_code {bad_ps} not in the police-station master", "-".join(new_key)
            )
            doc_rows = self._doc_rows(t, key)
            for name, rows in doc_rows.items():
                t[name] = t[name].with_columns(
                    pl.when(pl.int_range(pl.len()).is_in(rows))
                    .then(pl.lit(bad_ps))
                    .otherwise(pl.col("ps_code"))
                    .alias("ps_code")
                )
            t["fir.csv"] = _mark(t["fir.csv"], i, d)
            self.touched.add("-".join(new_key))
            for name, rows in doc_rows.items():
                self._rekey(name, rows, key, "-".join(new_key))
        elif kind == "duplicate_key":
            d = self._new("fir.csv", kind, "FIR key sent twice in the same upload", key)
            dup = fir.slice(i, 1).with_columns(pl.col("brief_facts") + " (entered again)")
            if DEFECT_COL not in fir.columns:
                fir = fir.with_columns(pl.lit(None, pl.Int64).alias(DEFECT_COL))
            dup = dup.with_columns(pl.lit(d, pl.Int64).alias(DEFECT_COL)).select(fir.columns)
            # The second copy comes later in the file, as a re-entered record does.
            t["fir.csv"] = pl.concat([fir, dup], how="vertical_relaxed")
            self._appended("fir.csv", fir.height, 1, key)
        elif kind == "orphan_child":
            if self.fmt != "cas_csv":
                return False
            child = ["person.csv", "act_section.csv"][int(self.rng.integers(0, 2))]
            rows = self._doc_rows(t, key, child).get(child)
            if not rows:
                return False
            j = rows[0]
            orphan_no = f"{9000 + int(self.rng.integers(0, 999)):04d}"
            parts = key.split("-")
            parts[4] = orphan_no
            if "-".join(parts) in self._index("fir.csv", fir)[0]:
                return False
            d = self._new(
                child, kind, f"{child} row whose FIR {'-'.join(parts)} is not in fir.csv", "-".join(parts)
            )
            # A copy of a real child row under a FIR number the upload does not carry: the real
            # FIR keeps all its rows.
            base = (
                t[child]
                if DEFECT_COL in t[child].columns
                else t[child].with_columns(pl.lit(None, pl.Int64).alias(DEFECT_COL))
            )
            extra = base.slice(j, 1).with_columns(
                pl.lit(orphan_no).alias("fir_no"), pl.lit(d, pl.Int64).alias(DEFECT_COL)
            )
            t[child] = pl.concat([base, extra], how="vertical_relaxed")
            self._appended(child, base.height, 1, "-".join(parts))
        elif kind == "invalid_code":
            options = [("fir.csv", "status", "CLOSED"), ("person.csv", "gender", "X"), ("act_section.csv", "act", "IPCC"),
                       ("final_report.csv", "report_type", "CHARGE-SHEET"), ("arrest.csv", "arrest_status", "ARRESTED")]  # fmt: skip
            rows_of = self._doc_rows(t, key, *(o[0] for o in options))
            avail = [o for o in options if rows_of.get(o[0])]
            file, col, bad = avail[int(self.rng.integers(0, len(avail)))]
            j = i if file == "fir.csv" else rows_of[file][0]
            d = self._new(file, kind, f"{file}:{col} '{bad}'", key)
            t[file] = _mark(_set(t[file], j, col, bad), j, d)
        elif kind == "non_utf8":
            rows = self._doc_rows(t, key, "person.csv").get("person.csv")
            if not rows:
                return False
            j = rows[0]
            marker = f"NONUTF8MARK{len(self.defects):04d}"
            d = self._new("person.csv", kind, "person.csv:name has bytes that are not UTF-8 (Latin-1)", key)
            self.defects[d].marker = marker
            t["person.csv"] = _mark(_set(t["person.csv"], j, "name", marker), j, d)
        else:  # pragma: no cover - a kind added to RECORD_KINDS without an implementation
            raise ValueError(kind)
        return True

    def finalise(self, t: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
        """Record numbers of the defects, and the tables without the marker column."""
        if self.bad_text:
            fir = t["fir.csv"]
            for d, (col, bad) in self.bad_text.items():
                if fir.schema[col] != pl.Utf8:
                    fir = fir.with_columns(pl.col(col).dt.strftime(_text_format(self.fmt, "ts")))
                fir = fir.with_columns(
                    pl.when(pl.col(DEFECT_COL) == d).then(pl.lit(bad)).otherwise(pl.col(col)).alias(col)
                )
            t["fir.csv"] = fir
        fir = t["fir.csv"]
        for name, df in t.items():
            if DEFECT_COL not in df.columns:
                continue
            pos = np.flatnonzero(df[DEFECT_COL].is_not_null().to_numpy())
            for p in pos:
                d = self.defects[int(df[DEFECT_COL][int(p)])]
                if self.fmt == "cas_csv" or name in spec.REGISTER_FILES:
                    d.record_no = int(p) + 1
                    d.file = name
                else:
                    # JSONL/XML: the record is the FIR document (line / <FIR> element) holding the row.
                    row = df.row(int(p), named=True)
                    fir_index = self._index("fir.csv", fir)[0]
                    k = spec.fir_key_str(
                        row["state_code"],
                        row["district_code"],
                        row["ps_code"],
                        row["fir_year"],
                        row["fir_no"],
                    )
                    hits = fir_index.get(k, [])
                    d.record_no = (
                        int(hits[-1]) + 1
                        if name == "fir.csv" and d.kind == "duplicate_key"
                        else (int(hits[0]) + 1 if len(hits) else None)
                    )
                    d.file = "firs.jsonl" if self.fmt == "jsonl" else "firs.xml"
            t[name] = df.drop(DEFECT_COL)
        return t
