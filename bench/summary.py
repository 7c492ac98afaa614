"""``bench/results/SUMMARY.md``: every stage's latest figures beside its yardstick and target,
and the national year extrapolated (plainly marked as such) from the day and month.

Targets (issue 8; reported, never asserted): ingest within 2x of the floor and at least 10x
faster than the pandas peer; gate under 15% of the nightly pipeline; full rebuild of a national
year within 5 minutes; nightly build within 60 seconds; peak memory within 6 GB; dashboard
queries p95 within 300 ms and at least 10x faster than PostgreSQL.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from bench.common import RESULTS, bar_chart, machine, table, today

DAYS_IN_YEAR = 365
SCALES = (
    ("sample", "-sample"),
    ("day", ""),
    ("month", "-month"),
    ("year", "-year"),
    ("year (synthetic marts)", "-synthetic-year"),
)


#: A key each stage's result has since this summary exists (older results lack it: left out).
CURRENT_KEY = {
    "ingest": "pandas_peer_seconds",
    "gate": "gate_seconds",
    "build": "full_seconds",
    "queries": "duckdb_p95_ms",
}


def _load(part: str) -> dict[str, Any] | None:
    p = RESULTS / f"{part}.json"
    if not p.is_file():
        return None
    r = json.loads(p.read_text())
    return r if CURRENT_KEY[part.split("-")[0]] in r else None


STAGES = ("ingest", "gate", "build", "queries")


def _met(ok: bool | None) -> str:
    return "n/a" if ok is None else ("yes" if ok else "**no**")


def _s(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v:,.1f} s" if v < 600 else f"{v / 60:,.1f} min"


def _pg_version(text: str) -> str:
    m = re.search(r"PostgreSQL\)?\s*([0-9][0-9.]*)", text)
    return m.group(1) if m else text


def _fit(points: list[tuple[float, float]], x: float) -> float | None:
    """Least-squares line through (rows, seconds) points, evaluated at ``x`` (None: < 2 points)."""
    if len(points) < 2:
        return None
    n = len(points)
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    sxx = sum((p[0] - mx) ** 2 for p in points)
    if sxx == 0:
        return None
    b = sum((p[0] - mx) * (p[1] - my) for p in points) / sxx
    return my + b * (x - mx)


def build_summary() -> dict[str, Any]:
    """Collect the latest results and write SUMMARY.md and summary.json."""
    rows: list[list[Any]] = []
    charts: list[tuple[str, float]] = []
    peaks: list[tuple[str, float]] = []
    dates: set[str] = set()
    machines: set[str] = set()
    data: dict[str, dict[str, Any]] = {}
    for _scale, sfx in SCALES:
        for stage in STAGES:
            r = _load(f"{stage}{sfx}")
            if r is not None:
                data[f"{stage}{sfx}"] = r
                dates.add(str(r.get("date")))
                machines.add(str(r.get("machine")))
    for scale, sfx in SCALES:
        ing, gate, bld, qry = (data.get(f"{s}{sfx}") for s in STAGES)
        if ing:
            s = ing["cas_csv_only_seconds"]
            rows.append([f"ingest cas_csv ({ing['cas_csv_only_uploads']} uploads, {ing['cas_csv_only_rows_in']:,} rows)",
                         scale, _s(s), f"{ing['cas_csv_only_rows_per_second']:,}", ing["cas_csv_only_peak_rss_mb"],
                         f"DuckDB read_csv {_s(ing['floor_duckdb_read_csv_seconds'])}; + sha256sum "
                         f"{_s(ing['floor_sha256sum_seconds'])}",
                         f"{ing['ratio_to_floor']}x the floor ({ing['ratio_to_floor_read_csv_plus_sha256']}x read+hash)",
                         "<= 2x", _met(ing["ratio_to_floor"] <= 2)])  # fmt: skip
            peer_scope = (
                "all cas_csv"
                if ing["pandas_peer_covers_all_cas_csv"]
                else f"first {ing['pandas_peer_days']} day(s)"
            )
            rows.append([f"ingest vs pandas peer ({ing['pandas_peer_uploads']} uploads, {peer_scope})", scale,
                         _s(ing["ours_same_uploads_seconds"]), "", ing["pandas_peer_peak_rss_mb"],
                         f"pandas {_s(ing['pandas_peer_seconds'])}; rows loaded ours "
                         f"{ing['ours_same_uploads_rows_loaded']:,} / peer {ing['pandas_peer_rows_loaded']:,}",
                         f"{ing['speedup_vs_pandas']}x faster", ">= 10x", _met(ing["speedup_vs_pandas"] >= 10)])  # fmt: skip
            rows.append([f"ingest all formats ({ing['all_formats_uploads']} uploads)", scale,
                         _s(ing["all_formats_seconds"]), f"{ing['all_formats_fir_documents_per_second']:,} FIR docs/s",
                         ing["all_formats_peak_rss_mb"], "", "", "", ""])  # fmt: skip
            charts.append((f"{scale}: ingest all formats", ing["all_formats_seconds"]))
            peaks.append((f"{scale}: ingest", ing["all_formats_peak_rss_mb"]))
        if gate:
            rows.append([f"quality gate, all {gate['loads']} loads at once", scale, _s(gate["gate_seconds"]),
                         f"{gate['rows_per_second']:,}", gate["peak_rss_mb"], "", "", "", ""])  # fmt: skip
            nightly = bool(bld and bld.get("nightly_pipeline_seconds"))
            if nightly:
                rows.append(["quality gate, one night: share of the nightly pipeline (ingest + gate + build)",
                             scale, _s(bld["nightly_gate_seconds"]), "", bld["nightly_gate_peak_rss_mb"],
                             f"nightly pipeline {_s(bld['nightly_pipeline_seconds'])}",
                             f"{bld['nightly_gate_share_pct']}%", "< 15%",
                             _met(bld["nightly_gate_share_pct"] < 15)])  # fmt: skip
            if ing and bld:
                backfill = ing["all_formats_seconds"] + gate["gate_seconds"] + bld["full_seconds"]
                share = round(100 * gate["gate_seconds"] / backfill, 1)
                rows.append(["quality gate: share of ingest + gate + full build", scale, "", "", "",
                             f"pipeline {_s(backfill)}", f"{share}%", "" if nightly else "< 15%",
                             "" if nightly else _met(share < 15)])  # fmt: skip
            charts.append((f"{scale}: gate", gate["gate_seconds"]))
            peaks.append((f"{scale}: gate", gate["peak_rss_mb"]))
        if bld:
            rows.append([f"full build + publish ({bld['full_lake_rows']:,} lake rows, {bld['full_fct_firs']:,} FIRs)",
                         scale, _s(bld["full_seconds"]), f"{bld['full_rows_per_second']:,}", bld["full_peak_rss_mb"],
                         f"DuckDB memory limit {bld['duckdb_memory_limit']}", "", "year <= 5 min", "see below"])  # fmt: skip
            rows.append(
                [
                    "publish (in the full build)",
                    scale,
                    _s(bld.get("full_publish_seconds")),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                ]
            )
            charts.append((f"{scale}: full build", bld["full_seconds"]))
            peaks.append((f"{scale}: full build", bld["full_peak_rss_mb"]))
            if bld.get("nightly_build_seconds") is not None:
                rows.append([f"nightly incremental build + publish (+{bld['nightly_lake_rows']:,} rows)", scale,
                             _s(bld["nightly_build_seconds"]), f"{bld['nightly_build_rows_per_second']:,}",
                             bld["nightly_build_peak_rss_mb"], f"publish {_s(bld.get('nightly_publish_seconds'))}",
                             "", "<= 60 s", _met(bld["nightly_build_seconds"] <= 60)])  # fmt: skip
                rows.append(["nightly pipeline: ingest + gate + build of one day", scale,
                             _s(bld["nightly_pipeline_seconds"]), "", "", "", "", "", ""])  # fmt: skip
                charts.append((f"{scale}: nightly build", bld["nightly_build_seconds"]))
                peaks.append((f"{scale}: nightly build", bld["nightly_build_peak_rss_mb"]))
        if qry:
            rows.append([f"dashboards' queries ({qry['queries']}, {qry['query_set']}), p95 over all runs", scale,
                         f"{qry['duckdb_p95_ms']} ms", "", qry["peak_rss_mb"],
                         f"max per-query p95 {qry['duckdb_max_query_p95_ms']} ms", "", "<= 300 ms",
                         _met(qry["duckdb_p95_ms"] <= 300)])  # fmt: skip
            if "postgres_p95_ms" in qry:
                rows.append([f"same queries on PostgreSQL {_pg_version(qry['postgres_version'])}", scale,
                             f"{qry['postgres_p95_ms']} ms", "", "",
                             f"p95 ratio {qry['ratio_postgres_to_duckdb_p95']}x; per-query geomean "
                             f"{qry['ratio_postgres_to_duckdb_geomean']}x; {qry['queries_faster_on_duckdb']}/"
                             f"{qry['queries']} faster on DuckDB",
                             f"{qry['ratio_postgres_to_duckdb_p95']}x", ">= 10x",
                             _met(qry["ratio_postgres_to_duckdb_p95"] >= 10)])  # fmt: skip
    peak = max((v for _, v in peaks), default=None)
    if peak is not None:
        rows.append(
            [
                "peak memory, any stage",
                "all",
                f"{peak:,.0f} MB",
                "",
                "",
                "",
                "",
                "<= 6 GB",
                _met(peak <= 6144),
            ]
        )

    year = extrapolate_year(data)
    summary = {"date": max(dates) if dates else today(), "machine": sorted(machines) or [machine()],
               "rows": rows, "year_extrapolation": year}  # fmt: skip
    lines = [
        "# Benchmarks: summary",
        "",
        f"Latest figures, measured {', '.join(sorted(dates)) or today()} on {'; '.join(sorted(machines)) or machine()} "
        "(shared with other work while measured: treat single figures as +/- 20%). Each stage ran in its own process; "
        "peak RSS is that process's. Targets are issue 8's, reported, never asserted.",
        "",
        *table(
            rows,
            [
                "stage",
                "scale",
                "measured",
                "rows/s",
                "peak RSS MB",
                "compared with",
                "ratio",
                "target",
                "met",
            ],
        ),
        "",
        "Wall time per stage:",
        "",
        bar_chart(charts, "s"),
        "",
        "Peak memory per stage:",
        "",
        bar_chart(peaks, "MB"),
        "",
        "## The national year: extrapolated, not measured",
        "",
        *year["lines"],
        "",
        "Detail per part: `bench/results/<part>.md` (`ingest`, `gate`, `build`, `queries`, each with `-month`, "
        "`-sample`, `-year`).",
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "SUMMARY.md").write_text("\n".join(lines) + "\n")
    (RESULTS / "summary.json").write_text(json.dumps(summary, indent=2, default=str) + "\n")
    (RESULTS / "README-section.md").write_text(readme_section(summary))
    print("\n".join(lines))
    return summary


def extrapolate_year(data: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A national year from the day and month, assuming time linear in rows (stated as such)."""
    measured = data.get("build-year")
    if measured:
        return {"measured": True, "lines": [
            f"Measured (part `build-year`, {measured.get('date')}): full build {_s(measured['full_seconds'])}, "
            f"nightly build {_s(measured.get('nightly_build_seconds'))}, peak RSS {measured['full_peak_rss_mb']} MB."
        ]}  # fmt: skip
    day_i, month_i = data.get("ingest"), data.get("ingest-month")
    day_b, month_b = data.get("build"), data.get("build-month")
    out: dict[str, Any] = {"measured": False}
    lines = [
        "No national year was run here (`python -m bench build-year` does it: ~58 lakh FIRs, ~40 GB of uploads, "
        "~90 min of ingest). The figures below are **extrapolations**, assuming every stage's time is linear in "
        "the rows it reads (a straight line through the day and month measurements, so a fixed cost per run is "
        "kept fixed), and a year = 365 x the rows of an average day of the month. Real runs can be slower "
        "(memory pressure, spilling) or faster (fixed costs amortised).",
        "",
    ]
    if month_i:
        per_day_rows = month_i["all_formats_rows_in"] / month_i["days"]
        year_rows = per_day_rows * DAYS_IN_YEAR
        out["year_rows_in"] = round(year_rows)
        pts = [(r["all_formats_rows_in"], r["all_formats_seconds"]) for r in (day_i, month_i) if r]
        ing = _fit(pts, year_rows)
        out["ingest_seconds"] = ing
        lines.append(
            f"- rows in a year: ~{year_rows / 1e6:,.0f} million (month: {month_i['all_formats_rows_in']:,})"
        )
        if ing:
            lines.append(f"- ingest, all formats: ~{_s(ing)} (extrapolated)")
    if month_b:
        per_day = month_b["full_lake_rows"] / max(month_i["days"] if month_i else 30, 1)
        year_lake = per_day * DAYS_IN_YEAR
        pts = [(r["full_lake_rows"], r["full_seconds"]) for r in (day_b, month_b) if r]
        full = _fit(pts, year_lake)
        out["full_build_seconds"] = full
        if full:
            lines.append(f"- full rebuild + publish of a year: ~{_s(full)} (extrapolated; target <= 5 min: "
                         f"{_met(full <= 300)})")  # fmt: skip
        if month_b.get("nightly_build_seconds") is not None:
            sample_b = data.get("build-sample")
            pts = [(r["full_lake_rows"], r["nightly_build_seconds"]) for r in (sample_b, month_b)
                   if r and r.get("nightly_build_seconds") is not None]  # fmt: skip
            night = _fit(pts, year_lake)
            out["nightly_build_seconds"] = night
            if night:
                lines.append(f"- nightly incremental build on a year's warehouse: ~{_s(night)} (extrapolated from "
                             f"the sample's and the month's nightly builds against the warehouse size; target "
                             f"<= 60 s: {_met(night <= 60)})")  # fmt: skip
        lines.append(f"- peak memory: bounded by the DuckDB memory limit ({month_b['duckdb_memory_limit']}) "
                     f"plus the Python process; the month's full build peaked at {month_b['full_peak_rss_mb']:,} MB")  # fmt: skip
    gate_d, gate_m = data.get("gate"), data.get("gate-month")
    if gate_m and month_i:
        pts = [(g["rows_in"], g["gate_seconds"]) for g in (gate_d, gate_m) if g]
        g = _fit(pts, out.get("year_rows_in", 0))
        if g:
            out["gate_seconds"] = g
            lines.append(
                f"- quality gate over a whole year at once: ~{_s(g)} (extrapolated; nightly it only sees one day)"
            )
    out["lines"] = lines
    return out


def readme_section(summary: dict[str, Any] | None = None) -> str:
    """The README's "Benchmarks" section for the latest figures (to paste; the README is never
    written here): national scales only, the stages with a target."""
    s = summary or json.loads((RESULTS / "summary.json").read_text())
    keep = ("ingest all formats", "nightly pipeline", "quality gate, all")
    rows = [
        [r[0], r[1], r[2], r[6], r[7], r[8]]
        for r in s["rows"]
        if r[1] != "sample" and (r[7] or str(r[0]).startswith(keep))
    ]
    year = [ln for ln in s["year_extrapolation"]["lines"] if ln]
    lines = [
        "## Benchmarks",
        "",
        f"Measured {s['date']} on {'; '.join(s['machine'])}, shared with other work while measured "
        "(treat single figures as +/- 20%). `make bench` runs the national day and month and the queries on a "
        "national year's worth of marts (about 30 minutes here); `uv run python -m bench --quick` the committed "
        "sample end to end and a national day's ingest (about 5 minutes); `uv run python -m bench PART` one part. "
        "Every table and chart: `bench/results/SUMMARY.md`. Targets are reported, never asserted.",
        "",
        *table(rows, ["stage", "scale", "measured", "ratio", "target", "met"]),
        "",
        year[0],
        "",
        *year[1:],
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    build_summary()


if __name__ == "__main__":
    main()
    print(Path(RESULTS / "SUMMARY.md"))
