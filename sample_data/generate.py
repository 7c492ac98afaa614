"""``cctns generate``: one upload per State per day, exactly as EXTRACT_SPEC.md says.

Output layout under ``--out``::

    <SS>_<YYYYMMDD>_<NN>/         one upload (folder) per State per day, plus re-sends (_02)
    <SS>_<YYYYMMDD>_<NN>.zip      the same upload sent twice (network retry), when injected
    _truth/                       ground truth, never part of an upload:
        generation.json           parameters and counts
        uploads.csv               every upload written, with its format and counts
        defects.csv               every injected defect: upload, file, record, FIR key, kind
        person_identity.csv       accused rows -> the human behind them (repeat offenders)
        vehicle_matches.csv       stolen vehicle <-> the same vehicle found in another FIR
        uidb_missing_matches.csv  unidentified body <-> missing-person report of the same person
        zero_fir_links.csv        zero FIR <-> the FIR registered by the station with jurisdiction
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import shutil
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import polars as pl

from core import extract_spec as spec
from sample_data import writers
from sample_data.defects import (
    NON_UTF8_BYTES,
    RECORD_KINDS,
    REJECTING_KINDS,
    UPLOAD_KINDS,
    Defect,
    Injector,
    Rotation,
)
from sample_data.documents import Builder
from sample_data.rand import Hasher
from sample_data.registers import simulate_registers
from sample_data.world import (
    NCRB_2022_TOTAL,
    GenConfig,
    Reference,
    _population_share,
    events,
    from_day,
    simulate_state,
)

IST = dt.timezone(dt.timedelta(hours=5, minutes=30), "IST")
TRUTH_DIR = "_truth"
CHUNK_DAYS = 31
#: States whose exports start with a UTF-8 BOM, and ones that end lines with CRLF (fixed, so
#: every run and every State's files look the same way each night, as real exporters do).
BOM_STATES = frozenset({"09", "10", "27", "28"})
CRLF_STATES = frozenset({"19", "23", "29"})


@dataclass
class GenerateResult:
    uploads: int
    fir_documents: int
    new_firs: int
    defects: int
    seconds: float
    bytes_written: int
    out: str


def offender_pool_sizes(cfg: GenConfig, ref: Reference) -> dict[str, int]:
    """Repeat-offender pool per State: sized so a habitual offender appears in a few FIRs."""
    share = _population_share(ref, np.array([cfg.start.year]))
    return {
        s: max(10, round(0.25 * NCRB_2022_TOTAL / 365 * cfg.scale * float(v[0]) * cfg.days))
        for s, v in share.items()
    }


def _empty(name: str) -> pl.DataFrame:
    return writers.empty_tables()[name]


def _split(tables: dict[str, pl.DataFrame]) -> dict[int, dict[str, pl.DataFrame]]:
    out: dict[int, dict[str, pl.DataFrame]] = defaultdict(dict)
    for name, df in tables.items():
        for (day,), part in df.partition_by("_day", as_dict=True, maintain_order=True).items():
            out[int(day)][name] = part
    return out


def _cas_only(df: pl.DataFrame, name: str) -> pl.DataFrame:
    keep = [c for c in df.columns if c in spec.CAS_COLUMNS[name] or c == "_defect"]
    return df.select(keep)


def _rewrite_csv(path: Path, edit: Callable[[list[list[str]]], list[list[str]]]) -> None:
    """Rewrite a CSV file through ``edit`` (keeping its BOM and line ending)."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    crlf = "\r\n" in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n" if crlf else "\n").writerows(edit(rows))
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8"))


def apply_upload_defect(
    folder: Path, meta: writers.UploadMeta, kind: str, rng: np.random.Generator
) -> Defect:
    """Break a written upload in one of the ways of UPLOAD_KINDS; return the ground-truth row."""
    fmt_files = list(spec.FORMAT_FILES[meta.fmt])
    csv_files = [f for f in fmt_files if f.endswith(".csv")]
    uid = meta.upload_id
    if kind == "duplicate_upload":
        z = writers.zip_upload(folder)
        return Defect(uid, z.name, kind, f"{z.name} is the same upload as folder {uid}")
    if kind == "manifest_hash_mismatch":
        f = fmt_files[int(rng.integers(0, len(fmt_files)))]
        wrong = hashlib.sha256(f"not {f}".encode()).hexdigest()
        writers.write_manifest(folder, meta, overrides={f: {"sha256": wrong}})
        return Defect(uid, f, kind, "manifest sha256 does not match the file")
    if kind == "manifest_row_count_mismatch":
        f = fmt_files[int(rng.integers(0, len(fmt_files)))]
        rows = writers.count_records(folder / f)
        writers.write_manifest(folder, meta, overrides={f: {"rows": rows + 1 + int(rng.integers(0, 3))}})
        return Defect(uid, f, kind, f"manifest rows differ from the {rows} records in the file")
    if kind == "truncated_file":
        sizes = {f: (folder / f).stat().st_size for f in fmt_files}
        f = max(sizes, key=lambda k: (sizes[k], k))
        data = (folder / f).read_bytes()
        cut = max(1, int(len(data) * (0.4 + 0.4 * rng.random())))
        while cut < len(data) - 1 and data[cut - 1 : cut] in (b"\n", b"\r"):
            cut += 1
        (folder / f).write_bytes(data[:cut])  # the manifest keeps the full file's hash and rows
        return Defect(uid, f, kind, f"file cut at byte {cut} of {len(data)}")
    if kind == "extra_column":
        f = "fir.csv" if meta.fmt == "cas_csv" else csv_files[0]
        _rewrite_csv(
            folder / f, lambda rows: [[*r, "remarks" if i == 0 else "NA"] for i, r in enumerate(rows)]
        )
        writers.write_manifest(folder, meta)
        return Defect(uid, f, kind, "extra column 'remarks' after the last spec column")
    if kind == "missing_column":
        f = "person.csv" if meta.fmt == "cas_csv" else csv_files[-1]
        col = spec.CAS_COLUMNS[f][-2]
        idx = spec.CAS_COLUMNS[f].index(col)
        _rewrite_csv(folder / f, lambda rows: [[v for j, v in enumerate(r) if j != idx] for r in rows])
        writers.write_manifest(folder, meta)
        return Defect(uid, f, kind, f"column '{col}' missing")
    if kind == "missing_file":
        f = fmt_files[-1]
        (folder / f).unlink()
        return Defect(uid, f, kind, "file listed in the manifest but not delivered")
    if kind == "unlisted_file":
        f = "fir_backup.csv" if meta.fmt == "cas_csv" else "firs_old.bak"
        (folder / f).write_bytes(b"stale export\n")
        return Defect(uid, f, kind, "file present but not listed in the manifest")
    raise ValueError(kind)


class Generator:
    """One generation run (see :func:`generate`)."""

    def __init__(self, cfg: GenConfig, on_progress: Callable[[int], None] | None = None) -> None:
        self.cfg = cfg
        self.ref = Reference.load()
        known = set(self.ref.states["state_code"].to_list())
        bad = [s for s in cfg.states if s not in known]
        if bad:
            raise ValueError(f"unknown State codes {bad}; known: {sorted(known)}")
        self.h = Hasher(cfg.seed)
        self.builder = Builder(self.ref, self.h, cfg.seed, offender_pool_sizes(cfg, self.ref))
        self.on_progress = on_progress or (lambda n: None)
        self.rotation = Rotation()
        self.truth: dict[str, list[pl.DataFrame]] = defaultdict(list)
        self.defects: list[Defect] = []
        self.stolen_vehicle_keys: set[str] = set()
        self.uploads: list[dict[str, object]] = []
        self.fir_docs = 0
        self.new_firs = 0
        self.bytes = 0
        cw = self.ref.crosswalk
        # First IPC source of each BNS section (a few BNS sections have several).
        self.bns_to_ipc: dict[str, str] = {}
        for ipc, bns in (
            cw.filter(pl.col("bns_section").is_not_null()).select("ipc_section", "bns_section").iter_rows()
        ):
            self.bns_to_ipc.setdefault(bns, ipc)
        st = self.ref.states
        self.formats = dict(zip(st["state_code"].to_list(), st["extract_format"].to_list(), strict=True))
        self.upload_defects = self._schedule_upload_defects()
        self.systems = dict(zip(st["state_code"].to_list(), st["source_system"].to_list(), strict=True))

    def _schedule_upload_defects(self) -> dict[tuple[str, int], str]:
        """Which State-days get an upload-level defect, and of which kind.

        About ``3 x defect_rate`` of uploads, and at least one of every kind when there are
        four uploads or more per kind, so that small runs still exercise every kind.
        """
        cfg = self.cfg
        if cfg.defect_rate <= 0:
            return {}
        slots = [(s, d) for s in sorted(cfg.states) for d in range(cfg.first_day, cfg.last_day + 1)]
        n = round(min(0.5, 3 * cfg.defect_rate) * len(slots))
        if len(slots) >= 4 * len(UPLOAD_KINDS):
            n = max(n, len(UPLOAD_KINDS))
        rng = np.random.default_rng([cfg.seed, 99])
        chosen = sorted(rng.choice(len(slots), size=n, replace=False).tolist())
        kinds = [UPLOAD_KINDS[i % len(UPLOAD_KINDS)] for i in range(n)]
        kinds = [kinds[i] for i in rng.permutation(n)]
        return {slots[i]: k for i, k in zip(chosen, kinds, strict=True)}

    def run(self) -> GenerateResult:
        t0 = time.perf_counter()
        out = self.cfg.out
        out.mkdir(parents=True, exist_ok=True)
        for state in sorted(self.cfg.states):
            self._state(state)
        self._write_truth()
        for p in out.rglob("*"):
            if p.is_file() and TRUTH_DIR not in p.parts:
                self.bytes += p.stat().st_size
        return GenerateResult(
            len(self.uploads),
            self.fir_docs,
            self.new_firs,
            len(self.defects),
            time.perf_counter() - t0,
            self.bytes,
            str(out),
        )

    def _state(self, state: str) -> None:
        cfg = self.cfg
        world = simulate_state(cfg, self.ref, self.h, state)
        ev = events(cfg, self.h, world)
        mp, ub, matches = simulate_registers(cfg, self.builder, state)
        self.truth["uidb_missing_matches"].append(matches)
        mp_by_day = _split({"missing_person.csv": mp, "unidentified_body.csv": ub})
        known_ps = set(self.ref.stations.filter(pl.col("state_code") == state)["ps_code"].to_list())
        sent: dict[int, list[tuple[int, int]]] = defaultdict(list)  # world row -> [(day, version)]
        fmt = self.formats[state]
        c = world.cols
        for chunk_start in range(cfg.first_day, cfg.last_day + 1, CHUNK_DAYS):
            chunk_end = min(chunk_start + CHUNK_DAYS - 1, cfg.last_day)
            ev_chunk = ev.filter(pl.col("day").is_between(chunk_start, chunk_end))
            by_day = _split(self.builder.build(world, ev_chunk)) if ev_chunk.height else {}
            ev_days = ev_chunk.partition_by("day", as_dict=True, maintain_order=True)
            for day in range(chunk_start, chunk_end + 1):
                tables = {name: by_day.get(day, {}).get(name) for name in spec.CAS_COLUMNS}
                for name in spec.REGISTER_FILES:
                    tables[name] = mp_by_day.get(day, {}).get(name)
                tables = {n: (t if t is not None else _empty(n)) for n, t in tables.items()}
                self._collect_truth(world, tables)
                rng = np.random.default_rng([cfg.seed, int(state), day, 4])
                day_ev = ev_days.get((day,))
                stale = self._stale_candidate(world, sent, day_ev, day, rng)
                self._upload(state, fmt, day, tables, rng, stale, known_ps)
                if day_ev is not None:
                    for r, v in day_ev.select("row", "version").iter_rows():
                        sent[r].append((day, v))
                    self.fir_docs += day_ev.height
                    self.new_firs += int((c["reg_day"][day_ev["row"].to_numpy()] == day).sum())
                self.on_progress(1)

    def _stale_candidate(self, world, sent, day_ev, day, rng) -> dict[str, pl.DataFrame] | None:
        """An earlier version of a FIR already sent at a higher version (for stale_version)."""
        if self.cfg.defect_rate <= 0:
            return None
        today = set(day_ev["row"].to_list()) if day_ev is not None else set()
        cands = sorted(r for r, hist in sent.items() if len(hist) >= 2 and r not in today)
        if not cands:
            return None
        r = cands[int(rng.integers(0, len(cands)))]
        old_day, old_version = sent[r][-2]
        ev = pl.DataFrame(
            {"row": [r], "day": [old_day], "version": [old_version]},
            schema={"row": pl.Int64, "day": pl.Int64, "version": pl.Int64},
        )
        doc = self.builder.build(world, ev)
        return {
            n: _cas_only(df, n).with_columns(pl.lit(day, pl.Int64).alias("_day")) for n, df in doc.items()
        }

    def _upload(self, state: str, fmt: str, day: int, tables: dict[str, pl.DataFrame], rng: np.random.Generator,
                stale: dict[str, pl.DataFrame] | None, known_ps: set[str]) -> None:  # fmt: skip
        cfg = self.cfg
        date = from_day(day)
        gen_at = dt.datetime.combine(date + dt.timedelta(days=1), dt.time(0, 30), IST) + dt.timedelta(
            minutes=int(state) % 60
        )
        meta = writers.UploadMeta(
            state_code=state, extract_date=date, sequence=1, source_system=self.systems[state], fmt=fmt,
            generated_at=gen_at, bom=state in BOM_STATES and fmt == "cas_csv", crlf=state in CRLF_STATES,
        )  # fmt: skip
        tables = {n: _cas_only(df, n) for n, df in tables.items()}
        up_kind = self.upload_defects.get((state, day))
        clean = {n: df.clone() for n, df in tables.items()}
        inj = Injector(fmt, meta.upload_id, date, rng, self.rotation, known_ps, self.bns_to_ipc)
        if cfg.defect_rate > 0 and up_kind in (None, "duplicate_upload"):
            n_records = sum(df.height for n, df in tables.items() if n in ("fir.csv", *spec.REGISTER_FILES))
            for _ in range(int(rng.binomial(n_records, cfg.defect_rate))):
                kinds = [k for k in RECORD_KINDS if not (k == "orphan_child" and fmt != "cas_csv")]
                for _attempt in range(len(kinds)):
                    kind = self.rotation.pick(kinds, rng)
                    if inj.apply(tables, kind, stale if kind == "stale_version" else None):
                        if kind == "stale_version":
                            stale = None
                        break
                    self.rotation.used[kind] -= 1
                    kinds = [k for k in kinds if k != kind]
                    if not kinds:
                        break
        tables = inj.finalise(tables)
        folder = writers.write_upload(cfg.out, meta, tables, overwrite=True)
        markers = [d for d in inj.defects if d.marker]
        if markers:
            for f in spec.FORMAT_FILES[fmt]:
                p = folder / f
                data = p.read_bytes()
                new = data
                for d in markers:
                    new = new.replace(d.marker.encode(), NON_UTF8_BYTES)
                if new != data:
                    p.write_bytes(new)
            writers.write_manifest(folder, meta)
        self.defects.extend(inj.defects)
        n_fir = tables["fir.csv"].height
        row = {"upload_id": meta.upload_id, "state_code": state, "extract_date": date.isoformat(), "sequence": 1, "format": fmt,
               "fir_records": n_fir, "missing_person_records": tables["missing_person.csv"].height,
               "unidentified_body_records": tables["unidentified_body.csv"].height, "record_defects": len(inj.defects),
               "upload_defect": up_kind or "", "expected_outcome": "rejected" if up_kind in REJECTING_KINDS else "accepted"}  # fmt: skip
        self.uploads.append(row)
        if up_kind:
            d = apply_upload_defect(folder, meta, up_kind, rng)
            self.defects.append(d)
            if up_kind == "duplicate_upload":
                self.uploads.append(
                    {
                        **row,
                        "upload_id": meta.upload_id + ".zip",
                        "expected_outcome": "duplicate",
                        "record_defects": 0,
                    }
                )
            if up_kind in REJECTING_KINDS:
                # The SCRB fixes the export and sends the same content again as the next sequence.
                meta2 = writers.UploadMeta(
                    **{**asdict(meta), "sequence": 2, "generated_at": gen_at + dt.timedelta(hours=3)}
                )
                writers.write_upload(cfg.out, meta2, clean, overwrite=True)
                self.uploads.append(
                    {
                        **row,
                        "upload_id": meta2.upload_id,
                        "sequence": 2,
                        "record_defects": 0,
                        "upload_defect": "",
                        "expected_outcome": "accepted",
                    }
                )

    def _collect_truth(self, world, tables: dict[str, pl.DataFrame]) -> None:
        c = world.cols
        key = [*spec.FIR_KEY]
        persons = tables["person.csv"]
        if persons.height and "_person_uid" in persons.columns:
            self.truth["person_identity"].append(
                persons.filter(pl.col("role") == "ACCUSED").select(
                    *key,
                    "person_seq",
                    pl.col("_person_uid").alias("person_uid"),
                    pl.col("_variant").alias("name_variant"),
                    "name",
                )
            )
        prop = tables["property.csv"]
        if prop.height:
            stolen = prop.filter((pl.col("nature") == "STOLEN") & (pl.col("category") == "VEHICLE"))
            self.stolen_vehicle_keys.update(
                stolen.select(pl.concat_str([pl.col(k).cast(pl.Utf8) for k in key], separator="-"))
                .to_series()
                .to_list()
            )
        if prop.height and "_src_row" in prop.columns:
            hosts = prop.filter(pl.col("_src_row") >= 0)
            if hosts.height:
                src = hosts["_src_row"].to_numpy()
                ps = self.builder.st_arrays["ps_code"][c["ps_idx"][src]]
                dist = self.builder.st_arrays["district_code"][c["ps_idx"][src]]
                self.truth["vehicle_matches"].append(
                    hosts.select(
                        pl.concat_str([pl.col(k).cast(pl.Utf8) for k in key], separator="-").alias(
                            "found_fir_key"
                        ),
                        pl.col("property_seq").alias("found_property_seq"),
                        pl.col("nature").alias("found_nature"),
                    ).with_columns(
                        stolen_fir_key=pl.Series(
                            [
                                spec.fir_key_str(world.state_code, d, p, int(y), f"{int(n):04d}")
                                for d, p, y, n in zip(dist, ps, c["year"][src], c["fir_no"][src], strict=True)
                            ],
                            dtype=pl.Utf8,
                        ),
                        stolen_property_seq=pl.lit(1, pl.Int64),
                    )
                )
        fir = tables["fir.csv"]
        zero = fir.filter(pl.col("is_zero_fir") == "Y") if fir.height else fir
        if zero.height:
            self.truth["zero_fir_links"].append(
                zero.select(
                    pl.concat_str([pl.col(k).cast(pl.Utf8) for k in key], separator="-").alias(
                        "zero_fir_key"
                    ),
                    pl.col("transferred_to_ps"),
                )
            )

    def _write_truth(self) -> None:
        cfg = self.cfg
        tdir = cfg.out / TRUTH_DIR
        tdir.mkdir(parents=True, exist_ok=True)
        pl.DataFrame(
            [
                {
                    "upload_id": d.upload_id,
                    "file": d.file,
                    "record_no": d.record_no,
                    "fir_key": d.fir_key,
                    "kind": d.kind,
                    "detail": d.detail,
                }
                for d in self.defects
            ],
            schema={
                "upload_id": pl.Utf8,
                "file": pl.Utf8,
                "record_no": pl.Int64,
                "fir_key": pl.Utf8,
                "kind": pl.Utf8,
                "detail": pl.Utf8,
            },
        ).write_csv(tdir / "defects.csv")
        pl.DataFrame(self.uploads).write_csv(tdir / "uploads.csv")
        key = [*spec.FIR_KEY]
        schemas = {
            "person_identity": [*key, "person_seq", "person_uid", "name_variant", "name"],
            "vehicle_matches": [
                "found_fir_key",
                "found_property_seq",
                "found_nature",
                "stolen_fir_key",
                "stolen_property_seq",
            ],
            "zero_fir_links": ["zero_fir_key", "transferred_to_ps"],
            "uidb_missing_matches": [
                "ub_state_code",
                "ub_ps_code",
                "ud_case_no",
                "mp_state_code",
                "mp_ps_code",
                "report_no",
            ],
        }
        for name, cols in schemas.items():
            frames = self.truth.get(name, [])
            df = (
                pl.concat(frames, how="vertical_relaxed")
                if frames
                else pl.DataFrame(schema={c: pl.Utf8 for c in cols})
            )
            if name == "vehicle_matches" and df.height:
                # Only pairs whose stolen vehicle was itself reported in an upload can be matched.
                df = df.filter(pl.col("stolen_fir_key").is_in(sorted(self.stolen_vehicle_keys)))
            if name == "person_identity" and df.height:
                # One row per person record (the FIR's later versions repeat it); keep the first spelling.
                df = df.unique([*key, "person_seq"], keep="first", maintain_order=True)
            df.unique(maintain_order=True).write_csv(tdir / f"{name}.csv")
        meta = {
            "generator": "cctns-warehouse sample_data",
            "spec_version": spec.SPEC_VERSION,
            "params": {
                "start": cfg.start.isoformat(),
                "days": cfg.days,
                "scale": cfg.scale,
                "states": list(cfg.states),
                "seed": cfg.seed,
                "defect_rate": cfg.defect_rate,
                "warmup_days": cfg.warmup_days,
            },
            "counts": {
                "uploads": len(self.uploads),
                "fir_documents": self.fir_docs,
                "new_firs": self.new_firs,
                "defects": len(self.defects),
            },
        }
        (tdir / "generation.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def generate(
    cfg: GenConfig, on_progress: Callable[[int], None] | None = None, overwrite: bool = False
) -> GenerateResult:
    """Generate uploads for ``cfg`` into ``cfg.out``."""
    out = cfg.out
    if out.exists() and any(out.iterdir()):
        if not overwrite:
            raise FileExistsError(f"{out} is not empty (use --overwrite to replace it)")
        shutil.rmtree(out)
    return Generator(cfg, on_progress).run()
