"""The pipeline's stages at one scale: ingest, quality gate, warehouse build (full and nightly),
publish, the dashboards' queries; each beside its yardstick (the floor, the pandas peer,
PostgreSQL).

A scale names a dataset and how it is split: the *base* days are ingested, gated and built in
full; the day after them (when there is one) is the nightly run on top. Each stage starts from
the home the previous stage left in the cache (``$CCTNS_BENCH_CACHE/homes/<scale>/<step>``,
write-once folders hard-linked), so one part can be re-run alone.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import (
    CACHE,
    Upload,
    bar_chart,
    by_days,
    copy_home,
    csv_files,
    dataset,
    du,
    home_dir,
    inbox_of,
    ledger,
    py,
    run_measured,
    stage,
    table,
    uploads,
    write_report,
)

STEPS = ("ingested", "gated", "built")


@dataclass(frozen=True)
class Scale:
    key: str
    label: str
    days: int | None  # generated national days (None: the committed sample)
    base_days: int  # days ingested and built in full
    nightly: bool  # one more day on top, built incrementally
    peer_days: int | None  # days of cas_csv uploads the pandas peer reads (None: all base days)

    @property
    def suffix(self) -> str:
        return "" if self.key == "day" else f"-{self.key}"

    def source(self) -> Path:
        if self.days is None:
            from core.settings import SAMPLE_DIR

            return SAMPLE_DIR
        return dataset(self.days)


SCALES: dict[str, Scale] = {
    "sample": Scale(
        "sample", "committed sample: 36 States at scale 0.013, 6 days + 1 nightly", None, 6, True, 1
    ),
    "day": Scale("day", "national day at --scale 1 (36 States)", 1, 1, False, None),
    "month": Scale(
        "month", "national month at --scale 1: 30 days + 1 nightly (31-day dataset)", 31, 30, True, 3
    ),
    "year": Scale(
        "year", "national year at --scale 1: 365 days + 1 nightly (366-day dataset)", 366, 365, True, 3
    ),
}


def _drop_after(scale: Scale, step: str) -> None:
    """A re-run stage invalidates the homes built from it."""
    for s in STEPS[STEPS.index(step) :]:
        shutil.rmtree(home_dir(scale.key, s), ignore_errors=True)


def _ingest(items: list[Upload], home: Path) -> tuple[float, float]:
    """``cctns ingest`` of the uploads into ``home``: (seconds, peak RSS MB)."""
    if not items:
        return 0.0, 0.0
    inbox = inbox_of(items)
    try:
        m = run_measured(
            py("cctns.cli", "ingest", str(inbox), "--quiet"), {"CCTNS_HOME": str(home)}, what="ingest"
        )
    finally:
        shutil.rmtree(inbox, ignore_errors=True)
    return m.seconds, m.peak_rss_mb


def _in(ids: list[str]) -> str:
    return "upload_id in (" + ", ".join(f"'{i}'" for i in ids) + ")"


# --- ingest -------------------------------------------------------------------------------------


def run_ingest(scale: Scale, peer_days: int | None = None) -> dict[str, Any]:
    """Ingest the base days (cas_csv States first, then the JSONL/XML States, into one home)
    against the floor (DuckDB read_csv, sha256sum of the same CSV files) and the pandas peer."""
    data = scale.source()
    base = by_days(uploads(data), 1, scale.base_days)
    cas = [u for u in base if u.fmt == "cas_csv"]
    other = [u for u in base if u.fmt != "cas_csv"]
    _drop_after(scale, "ingested")
    home = home_dir(scale.key, "ingested")
    home.mkdir(parents=True)
    print(f"  ingest: {len(cas)} cas_csv uploads, then {len(other)} others ...", flush=True)
    cas_s, cas_rss = _ingest(cas, home)
    led_cas = ledger(home)
    other_s, other_rss = _ingest(other, home)
    led_all = ledger(home)
    _mark(home)
    r: dict[str, Any] = {
        "part": f"ingest{scale.suffix}",
        "scale": scale.label,
        "dataset": str(data),
        "days": scale.base_days,
        "all_formats_uploads": len(base),
        "all_formats_seconds": round(cas_s + other_s, 2),
        "all_formats_fir_documents": led_all.get("fir_docs_in", 0),
        "all_formats_rows_in": led_all.get("rows_in", 0),
        "all_formats_rows_quarantined": led_all.get("rows_quarantined", 0),
        "all_formats_fir_documents_per_second": round(
            led_all.get("fir_docs_in", 0) / max(cas_s + other_s, 1e-9)
        ),
        "all_formats_peak_rss_mb": max(cas_rss, other_rss),
        "cas_csv_only_uploads": len(cas),
        "cas_csv_only_seconds": cas_s,
        "cas_csv_only_fir_documents": led_cas.get("fir_docs_in", 0),
        "cas_csv_only_rows_in": led_cas.get("rows_in", 0),
        "cas_csv_only_rows_loaded": led_cas.get("rows_loaded", 0),
        "cas_csv_only_rows_quarantined": led_cas.get("rows_quarantined", 0),
        "cas_csv_only_rows_per_second": round(led_cas.get("rows_in", 0) / max(cas_s, 1e-9)),
        "cas_csv_only_fir_documents_per_second": round(led_cas.get("fir_docs_in", 0) / max(cas_s, 1e-9)),
        "cas_csv_only_peak_rss_mb": cas_rss,
        "other_formats_uploads": len(other),
        "other_formats_seconds": other_s,
    }
    files = csv_files(cas)
    all_files = [f for fs in files.values() for f in fs]
    r["cas_csv_bytes"] = sum(Path(f).stat().st_size for f in all_files)
    with tempfile.TemporaryDirectory(prefix="cctns-bench-floor-") as tmp:
        spec = Path(tmp) / "files.json"
        spec.write_text(json.dumps(files))
        print("  floor: DuckDB read_csv, sha256sum ...", flush=True)
        floor, fm = stage("floor-duckdb", None, str(spec))
        lst = Path(tmp) / "files.lst"
        lst.write_bytes(b"\0".join(f.encode() for f in all_files))
        sha = run_measured(["sh", "-c", f"xargs -0 -a '{lst}' sha256sum > /dev/null"], what="sha256sum")
    r["floor_duckdb_read_csv_seconds"] = floor["seconds"]
    r["floor_duckdb_read_csv_rows"] = floor["rows"]
    r["floor_duckdb_read_csv_peak_rss_mb"] = fm.peak_rss_mb
    r["floor_sha256sum_seconds"] = sha.seconds
    r["ratio_to_floor"] = round(cas_s / max(floor["seconds"], 1e-9), 2)
    r["ratio_to_floor_read_csv_plus_sha256"] = round(cas_s / max(floor["seconds"] + sha.seconds, 1e-9), 2)
    r.update(run_peer(scale, cas, home, cas_s, peer_days if peer_days is not None else scale.peer_days))
    rows = [
        ("ours: cas_csv", cas_s),
        ("floor: DuckDB read_csv", floor["seconds"]),
        ("floor: sha256sum", sha.seconds),
    ]
    if r.get("pandas_peer_covers_all_cas_csv"):
        rows.append(("pandas peer", r["pandas_peer_seconds"]))
    md = [f"Scale: {scale.label}. Same cas_csv files for every line.", "", bar_chart(rows, "s")]
    write_report(r, md)
    return r


def run_peer(
    scale: Scale, cas: list[Upload], home: Path, cas_s: float, peer_days: int | None
) -> dict[str, Any]:
    """The pandas peer on the cas_csv uploads of the first ``peer_days`` days, and ours on the
    same uploads (from an empty home, like the peer) when that is not all of them."""
    sub = cas if peer_days is None else by_days(cas, 1, peer_days)
    whole = len(sub) == len(cas)
    print(f"  pandas peer on {len(sub)} cas_csv uploads ...", flush=True)
    with tempfile.TemporaryDirectory(prefix="cctns-bench-peer-") as tmp:
        m = run_measured(
            py("bench.pandas_peer", *[str(u.path) for u in sub], "--out", tmp), what="pandas peer"
        )
        peer = m.json()
        out_bytes = du(Path(tmp))
    ids = [u.path.name for u in sub]
    if whole:
        ours_s = cas_s
        ours = ledger(home, _in(ids))
    else:
        sub_home = Path(tempfile.mkdtemp(prefix="cctns-bench-home-", dir=CACHE))
        try:
            print(f"  ours on the same {len(sub)} uploads ...", flush=True)
            ours_s, _ = _ingest(sub, sub_home)
            ours = ledger(sub_home)
        finally:
            shutil.rmtree(sub_home, ignore_errors=True)
    return {
        "pandas_peer_days": peer_days or scale.base_days,
        "pandas_peer_uploads": len(sub),
        "pandas_peer_covers_all_cas_csv": whole,
        "pandas_peer_seconds": m.seconds,
        "pandas_peer_peak_rss_mb": m.peak_rss_mb,
        "pandas_peer_parquet_bytes": out_bytes,
        "pandas_peer_rows_in": peer["rows_in"],
        "pandas_peer_rows_loaded": peer["rows_loaded"],
        "pandas_peer_rows_quarantined": peer["rows_quarantined"],
        "pandas_peer_fir_docs_applied": peer["fir_docs_applied"],
        "pandas_peer_rejected_uploads": peer["rejected"],
        "ours_same_uploads_seconds": ours_s,
        "ours_same_uploads_rows_in": ours.get("rows_in", 0),
        "ours_same_uploads_rows_loaded": ours.get("rows_loaded", 0),
        "ours_same_uploads_rows_quarantined": ours.get("rows_quarantined", 0),
        "ours_same_uploads_fir_docs_applied": ours.get("fir_docs_applied", 0),
        "ours_same_uploads_rejected_uploads": ours.get("rejected", 0),
        "speedup_vs_pandas": round(m.seconds / max(ours_s, 1e-9), 2),
    }


# --- gate ---------------------------------------------------------------------------------------


def _require(scale: Scale, step: str, runner: Any) -> Path:
    home = home_dir(scale.key, step)
    if not (home / ".complete").exists():
        print(f"  ({step} home for {scale.key} missing: running that stage first)", flush=True)
        runner(scale)
    return home


def _mark(home: Path) -> None:
    (home / ".complete").write_text("")


def _fresh(scale: Scale, step: str, src: Path) -> Path:
    """The home of ``step``: a copy of the previous step's home (later steps' homes dropped)."""
    _drop_after(scale, step)
    home = copy_home(src, home_dir(scale.key, step))
    (home / ".complete").unlink(missing_ok=True)
    return home


def run_gate(scale: Scale) -> dict[str, Any]:
    """``run_upload_gate(paths)`` on every ingested load (the nightly call on a fresh home)."""
    home = _fresh(scale, "gated", _require(scale, "ingested", run_ingest))
    print("  quality gate ...", flush=True)
    g, m = stage("gate", home)
    _mark(home)
    led = ledger(home)
    r = {
        "part": f"gate{scale.suffix}",
        "scale": scale.label,
        "loads": g["loads"],
        "held": g["held"],
        "warned": g["warned"],
        "rows_in": led.get("rows_in", 0),
        "gate_seconds": g["seconds"],
        "process_seconds": m.seconds,
        "rows_per_second": round(led.get("rows_in", 0) / max(g["seconds"], 1e-9)),
        "peak_rss_mb": m.peak_rss_mb,
        "timings": g["timings"],
    }
    write_report(
        r,
        ["Timings inside the gate (s):", "", bar_chart(sorted(g["timings"].items(), key=lambda kv: -kv[1]))],
    )
    return r


# --- build --------------------------------------------------------------------------------------


def run_build(scale: Scale, memory_limit: str = "6GB") -> dict[str, Any]:
    """Full build (and publish) of the gated base days; then, when the scale has one, the night
    after: ingest that day, gate it, incremental build (and publish)."""
    home = _fresh(scale, "built", _require(scale, "gated", run_gate))
    env = {"CCTNS_DUCKDB_MEMORY_LIMIT": memory_limit}
    led = ledger(home, "outcome in ('LOADED', 'LOADED_WITH_ERRORS')")
    print(f"  full build ({led.get('rows_loaded', 0):,} lake rows) ...", flush=True)
    full, mf = stage("build", home, "--mode", "full", env=env)
    r: dict[str, Any] = {
        "part": f"build{scale.suffix}",
        "scale": scale.label,
        "duckdb_memory_limit": memory_limit,
        "full_lake_rows": led.get("rows_loaded", 0),
        "full_loads": full["loads_in_build"],
        "full_seconds": full["seconds"],
        "full_process_seconds": mf.seconds,
        "full_rows_per_second": round(led.get("rows_loaded", 0) / max(full["seconds"], 1e-9)),
        "full_peak_rss_mb": mf.peak_rss_mb,
        "full_publish_seconds": full["steps"].get("publish"),
        "full_fct_firs": full["mart_rows"].get("fct_firs"),
        "full_warehouse_bytes": full["warehouse_bytes"],
        "full_steps": full["steps"],
        "full_mart_rows": full["mart_rows"],
        "full_dbt_results": full["dbt_results"],
    }
    chart = [(f"full: {k}", v) for k, v in full["steps"].items() if k != "total"]
    if scale.nightly:
        night = by_days(uploads(scale.source()), scale.base_days + 1, scale.base_days + 1)
        print(f"  nightly: ingest {len(night)} uploads, gate, incremental build ...", flush=True)
        ing_s, ing_rss = _ingest(night, home)
        new = ledger(
            home, _in([u.path.name for u in night]) + " and outcome in ('LOADED', 'LOADED_WITH_ERRORS')"
        )
        g, mg = stage("gate", home)
        inc, mi = stage("build", home, "--mode", "incremental", env=env)
        total = ing_s + g["seconds"] + inc["seconds"]
        r.update(
            {
                "nightly_uploads": len(night),
                "nightly_lake_rows": new.get("rows_loaded", 0),
                "nightly_ingest_seconds": ing_s,
                "nightly_ingest_peak_rss_mb": ing_rss,
                "nightly_gate_seconds": g["seconds"],
                "nightly_gate_peak_rss_mb": mg.peak_rss_mb,
                "nightly_build_seconds": inc["seconds"],
                "nightly_build_process_seconds": mi.seconds,
                "nightly_build_rows_per_second": round(new.get("rows_loaded", 0) / max(inc["seconds"], 1e-9)),
                "nightly_build_peak_rss_mb": mi.peak_rss_mb,
                "nightly_publish_seconds": inc["steps"].get("publish"),
                "nightly_pipeline_seconds": round(total, 2),
                "nightly_gate_share_pct": round(100 * g["seconds"] / max(total, 1e-9), 1),
                "nightly_fct_firs": inc["mart_rows"].get("fct_firs"),
                "nightly_steps": inc["steps"],
            }
        )
        chart += [
            ("nightly: ingest", ing_s),
            ("nightly: gate", g["seconds"]),
            *[(f"nightly build: {k}", v) for k, v in inc["steps"].items() if k != "total"],
        ]
    _mark(home)
    write_report(r, ["Where the time goes (s):", "", bar_chart(chart)])
    return r


# --- publish and the dashboards' queries ----------------------------------------------------------


def run_queries(scale: Scale, repeat: int = 10, with_postgres: bool = True) -> dict[str, Any]:
    """The dashboards' query set on the published warehouse, then on PostgreSQL."""
    home = _require(scale, "built", run_build)
    return _queries(f"queries{scale.suffix}", scale.label, home, repeat, with_postgres)


SYNTHETIC_FIRS = 5_800_000


def run_queries_synthetic(
    repeat: int = 10, with_postgres: bool = True, firs: int = SYNTHETIC_FIRS
) -> dict[str, Any]:
    """The same comparison on a national year's worth of marts: the dashboards' synthetic
    warehouse (``bench.dashboards.build``: 58 lakh FIRs over the 17,074 stations, the marts
    derived by the dashboards' test SQL, not by dbt), built once and cached."""
    home = home_dir("synthetic-year", "built")
    if not (home / ".complete").exists():
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        print(f"  building the synthetic national year ({firs:,} FIRs; cached) ...", flush=True)
        code = f"from pathlib import Path; from bench.dashboards import build; build(Path({str(home)!r}), {int(firs)})"
        run_measured([sys.executable, "-c", code], {"CCTNS_HOME": str(home)}, what="synthetic year")
        _mark(home)
    label = f"synthetic national year: {firs:,} FIRs in the mart contract (bench.dashboards; marts not built by dbt)"
    return _queries("queries-synthetic-year", label, home, repeat, with_postgres)


def _queries(part: str, label: str, home: Path, repeat: int, with_postgres: bool) -> dict[str, Any]:
    print(f"  dashboards' queries x{repeat}{' and PostgreSQL' if with_postgres else ''} ...", flush=True)
    args = ["--repeat", str(repeat)] + ([] if with_postgres else ["--no-postgres"])
    q, m = stage("queries", home, *args)
    duck, pg = q["duckdb"], q.get("postgres", {})
    r: dict[str, Any] = {
        "part": part,
        "scale": label,
        "query_set": q["query_set"],
        "queries": q["queries"],
        "repeat": repeat,
        "params": q["params"],
        "fct_firs": q["fct_firs"],
        "warehouse_bytes": q["warehouse_bytes"],
        "duckdb_p50_ms": duck["all_p50_ms"],
        "duckdb_p95_ms": duck["all_p95_ms"],
        "duckdb_max_query_p95_ms": duck["max_query_p95_ms"],
        "duckdb_total_ms_per_pass": duck["total_ms_per_pass"],
        "duckdb_errors": len(duck["errors"]),
        "peak_rss_mb": m.peak_rss_mb,
    }
    ratios: dict[str, float] = {}
    if "queries" in pg:
        for k, v in duck["queries"].items():
            if k in pg["queries"]:
                ratios[k] = round(pg["queries"][k]["p95_ms"] / max(v["p95_ms"], 1e-9), 2)
        geo = 1.0
        for v in ratios.values():
            geo *= v
        r.update(
            {
                "postgres_version": pg["version"],
                "postgres_load_seconds": pg["load"]["total_seconds"],
                "postgres_p50_ms": pg["all_p50_ms"],
                "postgres_p95_ms": pg["all_p95_ms"],
                "postgres_max_query_p95_ms": pg["max_query_p95_ms"],
                "postgres_total_ms_per_pass": pg["total_ms_per_pass"],
                "postgres_errors": len(pg["errors"]),
                "ratio_postgres_to_duckdb_p95": round(pg["all_p95_ms"] / max(duck["all_p95_ms"], 1e-9), 2),
                "ratio_postgres_to_duckdb_total": round(
                    pg["total_ms_per_pass"] / max(duck["total_ms_per_pass"], 1e-9), 2
                ),
                "ratio_postgres_to_duckdb_geomean": round(geo ** (1 / len(ratios)), 2) if ratios else None,
                "queries_faster_on_duckdb": sum(1 for v in ratios.values() if v > 1),
                "answers_differ": sorted(
                    k for k, n in duck["result_rows"].items() if pg["result_rows"].get(k, n) != n
                ),
                "postgres_settings": pg["settings"],
            }
        )
    elif pg:
        r["postgres_skipped"] = pg.get("skipped")
    rows = []
    for k, v in duck["queries"].items():
        p = pg.get("queries", {}).get(k, {})
        rows.append(
            (k, v["p50_ms"], v["p95_ms"], p.get("p50_ms", "-"), p.get("p95_ms", "-"), ratios.get(k, "-"))
        )
    md = [
        f"Scale: {label}; {q['fct_firs']:,} FIRs in `fct_firs`; each query run {repeat} times after a warm-up; "
        f"parameters {q['params']}.",
        "",
        *table(
            rows,
            [
                "query",
                "DuckDB p50 ms",
                "DuckDB p95 ms",
                "PostgreSQL p50 ms",
                "PostgreSQL p95 ms",
                "PG/DuckDB p95",
            ],
        ),
        "",
        "p95 per query, DuckDB (ms):",
        "",
        bar_chart([(k, v["p95_ms"]) for k, v in duck["queries"].items()], "ms"),
    ]
    if pg.get("errors") or duck["errors"]:
        md += ["", "Errors:", "", *[f"- DuckDB {k}: {v}" for k, v in duck["errors"].items()]]
        md += [f"- PostgreSQL {k}: {v}" for k, v in pg.get("errors", {}).items()]
    write_report(r, md)
    (Path(__file__).parent / "results" / f"{part}.raw.json").write_text(json.dumps(q, indent=2, default=str))
    return r
