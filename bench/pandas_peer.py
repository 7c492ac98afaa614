"""The naive peer: the same ingestion of cas_csv uploads, written in plain pandas.

What a State IT cell would write to do our job with the usual tools: read every CSV of an upload
with ``pandas.read_csv`` (all text), check it, standardise it, write Parquet. Vectorised pandas
where pandas offers it (string methods, ``to_datetime``, ``isin``, ``merge``, ``duplicated``),
a Python function per value where it does not (section canonicalisation, ``Series.map``). One
upload at a time, like ours. It is the benchmark's yardstick, not a second implementation to
maintain: it covers the rules that decide what is loaded and what is quarantined, so the two
load comparable row counts (the benchmark reports both), and skips what only produces warnings.

Per upload:

1. **verify**: manifest present and for this upload, ``cas_csv``, the file set, each file's
   sha256 and record count, the columns; a failure rejects the upload (every row quarantined);
2. **read** each CSV (``dtype=str``), trim every value, empty = missing;
3. **validate** (errors only; a FIR document with an error anywhere is quarantined whole, like
   ours): key shapes, State, district and police station against the masters of
   ``core.reference``, mandatory fields, date/time parsing and dates after the extract,
   occurrence after registration, code lists of ``core.extract_spec``, duplicate FIRs,
   ``record_version``, text that was not UTF-8, FIRs without sections, empty act/section, IPC
   after / BNS before 1 July 2024, orphan child rows; register rows (missing persons,
   unidentified bodies) checked row by row the same way; versions against the FIRs and register
   records this peer loaded before (stale and conflicting versions quarantined, the same
   content again "unchanged");
4. **standardise**: typed columns, the FIR key, canonical sections and their crime head
   (section master, with the same fall-back heads as ours), Y/N flags as booleans, a simple name
   key;
5. **write** the loaded rows to ``<out>/state_code=SS/load_id=L/<table>.parquet`` and the
   quarantined rows to ``<out>/quarantine/...``.

``python -m bench.pandas_peer --out DIR UPLOAD_OR_FOLDER ...`` prints a JSON summary.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

import pandas as pd

from core import extract_spec as spec
from core import reference, schema

IST: Final = ZoneInfo("Asia/Kolkata")
BNS_START: Final = pd.Timestamp("2024-07-01")
TS_FORMAT: Final = "%Y-%m-%d %H:%M:%S"
DATE_FORMAT: Final = "%Y-%m-%d"
KEY_SHAPES: Final = {
    "state_code": r"\d{2}",
    "district_code": r"\d{3}",
    "ps_code": r"\d{5}",
    "fir_year": r"\d{4}",
    "fir_no": r"\d{4}",
}
#: Mandatory fields, register numbers, and the enumerations where an empty value is an error
#: (elsewhere empty means "not recorded"): the schema registry's (``core.schema``).
FIR_MANDATORY: Final = schema.FIR.mandatory
REGISTER_MANDATORY: Final = {e.file: e.mandatory for e in schema.ENTITIES if e.is_register}
REGISTER_NUMBER: Final = {e.file: e.register_number for e in schema.ENTITIES if e.is_register}
REQUIRED_CODES: Final = {
    e.file: e.mandatory for e in schema.ENTITIES if e.part == "fir_child" and e.mandatory
}
#: Integer columns whose value must parse (others only warn in ours).
STRICT_INTS: Final = {
    "act_section.csv": ("seq",),
    "property.csv": ("property_seq",),
    "final_report.csv": ("report_seq",),
    "missing_person.csv": ("age", "height_cm", "record_version"),
    "unidentified_body.csv": ("age_low", "age_high", "height_cm", "record_version"),
}
_SECTION_PREFIX: Final = re.compile(r"(?i)^(?:u\s*/\s*s\.?|u\.\s*s\.|section|sec\.?|s\.)\s*")
_CLAUSE: Final = re.compile(r"\(([A-Z]+)\)")
_SPACES: Final = re.compile(r"\s+")


def canonical_section(value: str) -> str:
    """``u/s 303 (2)`` -> ``303(2)``, ``376 da`` -> ``376DA``, ``3(1)(R)`` -> ``3(1)(r)``."""
    out = _SPACES.sub("", _SECTION_PREFIX.sub("", value.strip())).upper()
    return _CLAUSE.sub(lambda m: "(" + m.group(1).lower() + ")", out)


@dataclass
class Counts:
    """What the peer did, in the units of our ledger."""

    uploads: int = 0
    rejected: int = 0
    rows_in: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    fir_docs_in: int = 0
    fir_docs_applied: int = 0
    fir_docs_quarantined: int = 0
    seconds: float = 0.0
    per_upload: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, upload_id: str, c: dict[str, int]) -> None:
        self.uploads += 1
        self.rejected += c["rejected"]
        for k in ("rows_in", "rows_loaded", "rows_quarantined", "fir_docs_in", "fir_docs_applied"):
            setattr(self, k, getattr(self, k) + c[k])
        self.fir_docs_quarantined += c["fir_docs_quarantined"]
        self.per_upload[upload_id] = c


class Rejected(Exception):
    """The upload fails its manifest checks: nothing is loaded."""


class PandasIngest:
    """Ingests cas_csv uploads into ``out`` with pandas; remembers versions across uploads."""

    def __init__(self, out: Path) -> None:
        self.out = out
        ps = reference.police_stations().to_pandas()
        dist = reference.districts().to_pandas()
        self.districts = {s: set(g["district_code"]) for s, g in dist.groupby("state_code")}
        self.stations = {s: set(g["ps_code"]) for s, g in ps.groupby("state_code")}
        sec = reference.sections().to_pandas()
        self.sections = sec[["act", "section", "crime_head_code", "severity_rank"]].drop_duplicates(
            ["act", "section"]
        )
        heads = sec.groupby("act")["crime_head_code"].unique()
        self.fallback_head = {
            a: "OTHER_IPC_BNS"
            if a in ("IPC", "BNS")
            else (heads[a][0] if a in heads and len(heads[a]) == 1 else "OTHER_SLL")
            for a in spec.ACTS
        }
        self.fir_versions: dict[str, tuple[int, int]] = {}  # fir_key -> (version, content hash)
        self.register_versions: dict[tuple[str, str], int] = {}

    # --- reading ------------------------------------------------------------------------
    @staticmethod
    def _read(path: Path) -> pd.DataFrame:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding_errors="replace")
        for c in df.columns:
            df[c] = df[c].str.strip()
        return df

    def _verify(self, folder: Path) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
        man_path = folder / spec.MANIFEST_FILE
        if not man_path.is_file():
            raise Rejected("manifest missing")
        try:
            man = json.loads(man_path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise Rejected(f"manifest invalid: {exc}") from exc
        m = spec.UPLOAD_NAME_RE.match(folder.name)
        if m is None or man.get("state_code") != m["state"] or man.get("format") != "cas_csv":
            raise Rejected("manifest does not match the upload")
        if man.get("extract_date", "").replace("-", "") != m["date"]:
            raise Rejected("extract date does not match the upload name")
        listed = {f["name"]: f for f in man.get("files", [])}
        delivered = {p.name for p in folder.iterdir() if p.is_file() and p.name != spec.MANIFEST_FILE}
        if set(listed) != set(spec.CAS_COLUMNS) or delivered != set(spec.CAS_COLUMNS):
            raise Rejected("file set")
        frames: dict[str, pd.DataFrame] = {}
        for name, entry in listed.items():
            path = folder / name
            if hashlib.sha256(path.read_bytes()).hexdigest() != entry["sha256"]:
                raise Rejected(f"{name}: sha256 mismatch")
            try:
                df = self._read(path)
            except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
                raise Rejected(f"{name}: unreadable: {exc}") from exc
            if len(df) != int(entry["rows"]):
                raise Rejected(f"{name}: {len(df)} rows, manifest says {entry['rows']}")
            if list(df.columns) != list(spec.CAS_COLUMNS[name]):
                raise Rejected(f"{name}: columns differ from the interface")
            frames[name] = df
        return man, frames

    @staticmethod
    def _count_rows(folder: Path) -> int:
        n = 0
        for name in spec.CAS_COLUMNS:
            path = folder / name
            if path.is_file():
                try:
                    n += len(pd.read_csv(path, dtype=str, keep_default_na=False, encoding_errors="replace"))
                except (pd.errors.ParserError, pd.errors.EmptyDataError):
                    n += max(0, path.read_bytes().count(b"\n") - 1)
        return n

    # --- checks -------------------------------------------------------------------------
    @staticmethod
    def _key(df: pd.DataFrame) -> pd.Series:
        return (
            df["state_code"]
            + "-"
            + df["district_code"]
            + "-"
            + df["ps_code"]
            + "-"
            + df["fir_year"]
            + "-"
            + df["fir_no"]
        )

    @staticmethod
    def _bad_dates(df: pd.DataFrame, file: str, gen: pd.Timestamp) -> tuple[pd.Series, dict[str, pd.Series]]:
        """Rows with a date/time that does not parse or is after the extract; the parsed columns."""
        bad = pd.Series(False, index=df.index)
        parsed: dict[str, pd.Series] = {}
        for c in spec.TIMESTAMP_COLUMNS.get(file, ()):
            v = pd.to_datetime(df[c], format=TS_FORMAT, errors="coerce")
            bad |= ((df[c] != "") & v.isna()) | (v > gen)
            parsed[c] = v
        for c in spec.DATE_COLUMNS.get(file, ()):
            v = pd.to_datetime(df[c], format=DATE_FORMAT, errors="coerce")
            bad |= ((df[c] != "") & v.isna()) | (v > gen.normalize())
            parsed[c] = v
        return bad, parsed

    @staticmethod
    def _bad_codes(df: pd.DataFrame, file: str) -> pd.Series:
        bad = pd.Series(False, index=df.index)
        required = REQUIRED_CODES.get(file, ())
        for c, allowed in spec.ENUMS.get(file, {}).items():
            wrong = ~df[c].isin(allowed)
            bad |= wrong if c in required else (wrong & (df[c] != ""))
        return bad

    @staticmethod
    def _bad_ints(df: pd.DataFrame, file: str) -> pd.Series:
        bad = pd.Series(False, index=df.index)
        for c in STRICT_INTS.get(file, ()):
            bad |= (df[c] != "") & pd.to_numeric(df[c], errors="coerce").isna()
        return bad

    @staticmethod
    def _row_hashes(df: pd.DataFrame) -> pd.Series:
        h = pd.util.hash_pandas_object(df.drop(columns=["fir_key"]), index=False).astype("int64")
        return pd.Series(h.to_numpy(), index=df["fir_key"].to_numpy())

    @staticmethod
    def _not_utf8(df: pd.DataFrame) -> pd.Series:
        bad = pd.Series(False, index=df.index)
        for c in df.columns:
            bad |= df[c].str.contains("\ufffd", regex=False)
        return bad

    def _fir_errors(
        self, fir: pd.DataFrame, state: str, gen: pd.Timestamp
    ) -> tuple[pd.Series, dict[str, Any]]:
        bad = pd.Series(False, index=fir.index)
        for c, shape in KEY_SHAPES.items():
            bad |= ~fir[c].str.fullmatch(shape)
        bad |= fir["state_code"] != state
        bad |= ~fir["district_code"].isin(self.districts.get(state, set()))
        bad |= ~fir["ps_code"].isin(self.stations.get(state, set()))
        for c in FIR_MANDATORY:
            bad |= fir[c] == ""
        bad_dates, parsed = self._bad_dates(fir, "fir.csv", gen)
        bad |= bad_dates
        bad |= (parsed["occurred_from"] > parsed["registered_at"]).fillna(False)
        bad |= self._bad_codes(fir, "fir.csv")
        bad |= fir["fir_key"].duplicated(keep=False)
        version = pd.to_numeric(fir["record_version"], errors="coerce")
        bad |= (fir["record_version"] != "") & (version.isna() | (version < 1))
        bad |= self._not_utf8(fir)
        return bad, {**parsed, "record_version": version}

    def _child_errors(self, df: pd.DataFrame, file: str, gen: pd.Timestamp) -> pd.Series:
        bad, _ = self._bad_dates(df, file, gen)
        bad |= self._bad_codes(df, file) | self._bad_ints(df, file) | self._not_utf8(df)
        return bad

    # --- one upload ---------------------------------------------------------------------
    def ingest_upload(self, folder: Path) -> dict[str, int]:
        upload_id = folder.name
        try:
            man, frames = self._verify(folder)
        except Rejected:
            n = self._count_rows(folder)
            return {
                "rejected": 1,
                "rows_in": n,
                "rows_loaded": 0,
                "rows_quarantined": n,
                "fir_docs_in": 0,
                "fir_docs_applied": 0,
                "fir_docs_quarantined": 0,
            }
        state = man["state_code"]
        gen = pd.Timestamp(
            dt.datetime.fromisoformat(man["generated_at"]).astimezone(IST).replace(tzinfo=None)
        )
        load_id = f"{upload_id}-{hashlib.sha256(folder.name.encode()).hexdigest()[:8]}"
        rows_in = sum(len(df) for df in frames.values())

        # FIR document: the FIR row and its children share the key; an error anywhere
        # quarantines the whole document.
        fir = frames["fir.csv"]
        fir["fir_key"] = self._key(fir)
        fir_bad, parsed = self._fir_errors(fir, state, gen)
        bad_keys = set(fir.loc[fir_bad, "fir_key"])
        fir_keys = set(fir["fir_key"])
        children: dict[str, pd.DataFrame] = {}
        orphan_rows: dict[str, pd.Series] = {}
        for name in spec.FIR_CHILD_FILES:
            df = frames[name]
            df["fir_key"] = self._key(df)
            orphan = ~df["fir_key"].isin(fir_keys)
            bad = self._child_errors(df, name, gen) & ~orphan
            bad_keys |= set(df.loc[bad, "fir_key"])
            orphan_rows[name] = orphan
            children[name] = df
        sec = children["act_section.csv"]
        bad_keys |= fir_keys - set(sec["fir_key"])  # FIR without sections
        empty = (
            (sec["act"] == "") | (sec["section"] == "") | (~sec["act"].isin(spec.ACTS) & (sec["act"] != ""))
        )
        bad_keys |= set(sec.loc[empty, "fir_key"])
        offence = parsed["occurred_from"].dt.normalize().fillna(parsed["registered_at"].dt.normalize())
        off_by_key = pd.Series(offence.values, index=fir["fir_key"]).groupby(level=0).first()
        sec_off = pd.Series(off_by_key.reindex(sec["fir_key"]).to_numpy(), index=sec.index)
        wrong_law = ((sec["act"] == "IPC") & (sec_off >= BNS_START)) | (
            (sec["act"] == "BNS") & (sec_off < BNS_START)
        )
        bad_keys |= set(sec.loc[wrong_law.fillna(False), "fir_key"])

        # Versions: against what this peer loaded before.
        parts = [self._row_hashes(fir)] + [self._row_hashes(df) for df in children.values()]
        doc_hash = pd.concat(parts).groupby(level=0).sum()  # order-free digest of each document
        ok_fir = fir[~fir["fir_key"].isin(bad_keys)]
        applied: list[str] = []
        unchanged: list[str] = []
        for key, version in zip(ok_fir["fir_key"], parsed["record_version"][ok_fir.index], strict=True):
            h = int(doc_hash[key])
            stored = self.fir_versions.get(key)
            if stored is None or version > stored[0]:
                applied.append(key)
                self.fir_versions[key] = (int(version), h)
            elif version < stored[0] or h != stored[1]:
                bad_keys.add(key)  # stale, or the same version with other content
            else:
                unchanged.append(key)
        apply_set, unchanged_set = set(applied), set(unchanged)

        # Standardise and split.
        loaded_rows = 0
        out_tables: dict[str, pd.DataFrame] = {}
        quarantine: list[pd.DataFrame] = []
        fir_std = fir.assign(
            **{c: parsed[c] for c in spec.TIMESTAMP_COLUMNS["fir.csv"] + spec.DATE_COLUMNS["fir.csv"]},
            record_version=parsed["record_version"].astype("Int32"),
            fir_year=pd.to_numeric(fir["fir_year"], errors="coerce").astype("Int32"),
            place_lat=pd.to_numeric(fir["place_lat"], errors="coerce"),
            place_lon=pd.to_numeric(fir["place_lon"], errors="coerce"),
            is_zero_fir=fir["is_zero_fir"].map({"Y": True, "N": False}),
            offence_date=offence,
            law_code=offence.map(lambda d: None if pd.isna(d) else ("IPC" if d < BNS_START else "BNS")),
            is_tombstone=fir["status"] == "EXPUNGED",
        )
        for name, df in [("fir.csv", fir_std), *children.items()]:
            keep = df["fir_key"].isin(apply_set)
            same = df["fir_key"].isin(unchanged_set)
            loaded_rows += int(keep.sum() + same.sum())
            q = df[~keep & ~same]
            if len(q):
                quarantine.append(q.astype(str).assign(table=name, load_id=load_id))
            out_tables[name] = self._standardise(name, df[keep].copy(), gen)
        for name in spec.REGISTER_FILES:
            df = frames[name]
            keep, same = self._register(df, name, state, gen)
            loaded_rows += int(keep.sum() + same.sum())
            q = df[~keep & ~same]
            if len(q):
                quarantine.append(q.astype(str).assign(table=name, load_id=load_id))
            out_tables[name] = self._standardise(name, df[keep].copy(), gen)

        dest = self.out / f"state_code={state}" / f"load_id={load_id}"
        dest.mkdir(parents=True, exist_ok=True)
        for name, df in out_tables.items():
            df.assign(load_id=load_id).to_parquet(
                dest / f"{name[:-4]}.parquet", index=False, compression="zstd"
            )
        if quarantine:
            qdir = self.out / "quarantine" / f"state_code={state}"
            qdir.mkdir(parents=True, exist_ok=True)
            pd.concat(quarantine, ignore_index=True).to_parquet(qdir / f"{load_id}.parquet", index=False)
        quarantined_rows = rows_in - loaded_rows
        fir_docs_in = len(fir)
        return {
            "rejected": 0,
            "rows_in": rows_in,
            "rows_loaded": loaded_rows,
            "rows_quarantined": quarantined_rows,
            "fir_docs_in": fir_docs_in,
            "fir_docs_applied": len(applied),
            "fir_docs_quarantined": len(bad_keys & fir_keys),
        }

    def _register(
        self, df: pd.DataFrame, file: str, state: str, gen: pd.Timestamp
    ) -> tuple[pd.Series, pd.Series]:
        """(applied, unchanged) masks of a register's rows, checked row by row."""
        number = REGISTER_NUMBER[file]
        bad = ~df["state_code"].str.fullmatch(r"\d{2}") | ~df["ps_code"].str.fullmatch(r"\d{5}")
        bad |= (df[number] == "") | (df["state_code"] != state)
        for c in REGISTER_MANDATORY[file]:
            bad |= df[c] == ""
        bad_dates, _ = self._bad_dates(df, file, gen)
        bad |= bad_dates | self._bad_codes(df, file) | self._bad_ints(df, file) | self._not_utf8(df)
        bad |= ~df["ps_code"].isin(self.stations.get(state, set()))
        key = df["state_code"] + "-" + df["ps_code"] + "-" + df[number]
        bad |= key.duplicated(keep=False)
        version = pd.to_numeric(df["record_version"], errors="coerce")
        applied = pd.Series(False, index=df.index)
        unchanged = pd.Series(False, index=df.index)
        for i, k, v in zip(df.index, key, version, strict=True):
            if bad[i]:
                continue
            stored = self.register_versions.get((file, k))
            if stored is None or v > stored:
                applied[i] = True
                self.register_versions[(file, k)] = int(v)
            elif v == stored:
                unchanged[i] = True
        return applied, unchanged

    def _standardise(self, name: str, df: pd.DataFrame, gen: pd.Timestamp) -> pd.DataFrame:
        """Typed national columns of one table's loaded rows."""
        if name != "fir.csv":
            for c in spec.TIMESTAMP_COLUMNS.get(name, ()):
                df[c] = pd.to_datetime(df[c], format=TS_FORMAT, errors="coerce")
            for c in spec.DATE_COLUMNS.get(name, ()):
                df[c] = pd.to_datetime(df[c], format=DATE_FORMAT, errors="coerce").dt.date
            for c in spec.INTEGER_COLUMNS.get(name, ()):
                df[c] = pd.to_numeric(df[c], errors="coerce").astype("Int64")
            for c in spec.FLOAT_COLUMNS.get(name, ()):
                df[c] = pd.to_numeric(df[c], errors="coerce")
            for c in spec.FLAG_COLUMNS.get(name, ()):
                df[c] = df[c].map({"Y": True, "N": False})
        if name == "act_section.csv":
            df["section_raw"] = df["section"]
            df["section"] = df["section"].map(canonical_section)
            df = df.merge(self.sections, on=["act", "section"], how="left")
            df["crime_head_code"] = df["crime_head_code"].fillna(df["act"].map(self.fallback_head))
        if name in ("person.csv", "missing_person.csv"):
            df["name_key"] = df["name"].str.lower().str.replace(r"[^a-z]", "", regex=True)
        for c in df.columns:  # empty text is missing
            if pd.api.types.is_string_dtype(df[c]):
                df[c] = df[c].replace("", None)
        return df

    # --- many uploads -------------------------------------------------------------------
    def run(self, uploads: list[Path]) -> Counts:
        counts = Counts()
        t0 = time.perf_counter()
        for folder in uploads:
            counts.add(folder.name, self.ingest_upload(folder))
        counts.seconds = round(time.perf_counter() - t0, 3)
        return counts


def discover(paths: list[Path]) -> list[Path]:
    """cas_csv upload folders under ``paths`` (an upload, or a folder of uploads), by name."""
    found: list[Path] = []
    for p in paths:
        cands = [p] if (p / spec.MANIFEST_FILE).is_file() else sorted(p.iterdir())
        for c in cands:
            man = c / spec.MANIFEST_FILE
            if c.is_dir() and spec.UPLOAD_NAME_RE.match(c.name) and man.is_file():
                try:
                    fmt = json.loads(man.read_text(encoding="utf-8")).get("format")
                except ValueError:
                    fmt = "cas_csv" if (c / "fir.csv").is_file() else None
                if fmt == "cas_csv":
                    found.append(c)
    return sorted(found, key=lambda c: (c.name[3:11], c.name))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.pandas_peer", description=__doc__.splitlines()[0])
    ap.add_argument("uploads", nargs="+", type=Path, help="cas_csv upload folders, or folders of them")
    ap.add_argument("--out", type=Path, required=True, help="output folder (Parquet)")
    ap.add_argument("--per-upload", action="store_true", help="include per-upload counts")
    args = ap.parse_args(argv)
    uploads = discover(args.uploads)
    if not uploads:
        sys.exit(f"no cas_csv uploads under {', '.join(map(str, args.uploads))}")
    counts = PandasIngest(args.out).run(uploads)
    out = asdict(counts)
    if not args.per_upload:
        out.pop("per_upload")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
