"""The synthetic extract generator: spec conformance, determinism, ground truth, volumes, mixes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from core import extract_spec as spec
from core import reference
from sample_data.generate import TRUTH_DIR, generate
from sample_data.rand import Hasher
from sample_data.world import BNS_START, Reference, events, simulate_state
from tests.conftest import MIXED_STATES, make_config
from tests.support.extract_reader import read_upload

LOOKALIKE = str.maketrans({"S": "5", "Z": "2", "I": "1", "O": "0", "B": "8"})


def _truth(out: Path, name: str) -> pl.DataFrame:
    return pl.read_csv(out / TRUTH_DIR / name, infer_schema=False)


def _uploads(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.is_dir() and spec.UPLOAD_NAME_RE.match(p.name))


def _defective_uploads(out: Path) -> dict[str, str]:
    d = _truth(out, "defects.csv")
    kinds = set(d.filter(pl.col("kind").is_in(["manifest_hash_mismatch", "manifest_row_count_mismatch", "truncated_file",
                                                 "extra_column", "missing_column", "missing_file", "unlisted_file"]))["upload_id"].to_list())  # fmt: skip
    return {u: "upload" for u in kinds}


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


# --- spec conformance ---------------------------------------------------------------------


def test_one_upload_per_state_per_day_with_right_format(generated: Path) -> None:
    ups = _uploads(generated)
    firsts = [p for p in ups if p.name.endswith("_01")]
    assert len(firsts) == len(MIXED_STATES) * 10
    formats = reference.states().select("state_code", "extract_format").rows()
    expected = dict(formats)
    for p in ups:
        m = json.loads((p / "manifest.json").read_text(encoding="utf-8"))
        assert list(m) == [
            "spec_version",
            "state_code",
            "extract_date",
            "sequence",
            "source_system",
            "format",
            "generated_at",
            "files",
        ]
        assert m["spec_version"] == 1
        assert m["format"] == expected[m["state_code"]] == spec.format_for_state(m["state_code"])
        assert p.name == f"{m['state_code']}_{m['extract_date'].replace('-', '')}_{m['sequence']:02d}"
        assert dt.datetime.fromisoformat(m["generated_at"]).utcoffset() == dt.timedelta(hours=5, minutes=30)
        assert [f["name"] for f in m["files"]] == list(spec.FORMAT_FILES[m["format"]])


def test_manifests_match_files_except_injected_upload_defects(generated: Path) -> None:
    bad = _defective_uploads(generated)
    from sample_data.writers import count_records

    checked = 0
    for p in _uploads(generated):
        if p.name in bad:
            continue
        m = json.loads((p / "manifest.json").read_text(encoding="utf-8"))
        assert sorted(x.name for x in p.iterdir()) == sorted(
            ["manifest.json", *[f["name"] for f in m["files"]]]
        )
        for f in m["files"]:
            assert _sha(p / f["name"]) == f["sha256"], (p.name, f["name"])
            assert count_records(p / f["name"]) == f["rows"], (p.name, f["name"])
        checked += 1
    assert checked > 30


def test_every_value_is_in_the_spec_and_master(generated: Path) -> None:
    """Columns, codes and enumerations of every clean record are valid."""
    defects = _truth(generated, "defects.csv")
    bad_uploads = _defective_uploads(generated)
    bad_records = {(r["upload_id"], r["fir_key"]) for r in defects.iter_rows(named=True) if r["fir_key"]}
    ps_master = set(
        reference.police_stations()
        .select(pl.concat_str("state_code", "ps_code", separator="-"))
        .to_series()
        .to_list()
    )
    dist_master = set(reference.districts()["district_code"].to_list())
    acts = set(
        reference.sections().select(pl.concat_str("act", "section", separator=" ")).to_series().to_list()
    )
    bad_register_rows = {
        (r["upload_id"], r["file"], int(r["record_no"]))
        for r in defects.iter_rows(named=True)
        if r["file"] in spec.REGISTER_FILES and r["record_no"]
    }
    n_fir = 0
    for p in _uploads(generated):
        if p.name in bad_uploads:
            continue
        tables = read_upload(p)
        for name, rows in tables.items():
            enums = spec.ENUMS.get(name, {})
            for i, r in enumerate(rows, 1):
                if "fir_no" in r:
                    key = spec.fir_key_str(
                        r["state_code"], r["district_code"], r["ps_code"], r["fir_year"], r["fir_no"]
                    )
                    if (p.name, key) in bad_records:
                        continue
                elif (p.name, name, i) in bad_register_rows:
                    continue
                assert list(r) == list(spec.CAS_COLUMNS[name])
                if f"{r['state_code']}-{r['ps_code']}" not in ps_master:
                    raise AssertionError(f"{p.name}/{name}: unknown PS {r['ps_code']}")
                assert r["district_code"] in dist_master
                for col, allowed in enums.items():
                    if r[col] is not None:
                        assert r[col] in allowed, (p.name, name, col, r[col])
                if name == "act_section.csv":
                    assert f"{r['act']} {r['section']}" in acts, (p.name, r)
                if name == "fir.csv":
                    n_fir += 1
                    assert len(r["fir_no"]) == 4 and len(r["ps_code"]) == 5
                    assert (
                        r["registered_at"]
                        <= f"{dt.date.fromisoformat(p.name[3:7] + '-' + p.name[7:9] + '-' + p.name[9:11]) + dt.timedelta(days=1)}"
                    )
                    if r["occurred_from"]:
                        assert r["occurred_from"] <= r["registered_at"]
    assert n_fir > 500


def test_three_formats_carry_the_same_documents(tmp_path: Path) -> None:
    """The same State-day written in each format reads back to identical CAS tables."""
    from sample_data import writers
    from sample_data.documents import Builder
    from sample_data.generate import offender_pool_sizes

    cfg = make_config(tmp_path / "x", states=("09",), days=2, defect_rate=0.0)
    ref = Reference.load()
    h = Hasher(cfg.seed)
    world = simulate_state(cfg, ref, h, "09")
    ev = events(cfg, h, world).filter(pl.col("day") == cfg.first_day)
    tables = Builder(ref, h, cfg.seed, offender_pool_sizes(cfg, ref)).build(world, ev)
    tables = {n: df.select(spec.CAS_COLUMNS[n]) for n, df in tables.items()}
    tables |= writers.empty_tables() | {k: v for k, v in tables.items()}
    read = {}
    for fmt in spec.FORMATS:
        meta = writers.UploadMeta(
            "09",
            cfg.start,
            1,
            "test",
            fmt,
            dt.datetime(2024, 6, 27, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
        )
        folder = writers.write_upload(tmp_path / fmt, meta, tables)
        read[fmt] = read_upload(folder)
    assert len(read["cas_csv"]["fir.csv"]) > 50
    for name in spec.CAS_COLUMNS:
        base = sorted(tuple(r.values()) for r in read["cas_csv"][name])
        for fmt in ("jsonl", "xml"):
            assert sorted(tuple(r.values()) for r in read[fmt][name]) == base, (fmt, name)


# --- determinism ----------------------------------------------------------------------------


def _digest(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): _sha(p) for p in sorted(out.rglob("*")) if p.is_file()}


def test_same_seed_gives_byte_identical_output(tmp_path: Path) -> None:
    a = generate(make_config(tmp_path / "a", days=4))
    b = generate(make_config(tmp_path / "b", days=4))
    assert a.uploads == b.uploads
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    generate(make_config(tmp_path / "c", days=4, seed=12))
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_state_subset_gives_the_same_state_data(tmp_path: Path) -> None:
    """Each State has its own random stream: a subset run reproduces that State's FIRs."""
    generate(make_config(tmp_path / "all", days=3, defect_rate=0.0))
    generate(make_config(tmp_path / "one", days=3, defect_rate=0.0, states=("29",)))
    for p in _uploads(tmp_path / "one"):
        for f in p.iterdir():
            if f.name != "manifest.json":
                assert _sha(f) == _sha(tmp_path / "all" / p.name / f.name), f


# --- ground truth agrees with the data ---------------------------------------------------------


def test_every_defect_kind_is_injected_and_listed(generated: Path) -> None:
    from sample_data.defects import RECORD_KINDS, UPLOAD_KINDS

    kinds = Counter(_truth(generated, "defects.csv")["kind"].to_list())
    assert set(kinds) == set(RECORD_KINDS) | set(UPLOAD_KINDS), kinds


def test_record_defects_are_where_the_truth_says(generated: Path) -> None:
    defects = _truth(generated, "defects.csv")
    master_ps = set(
        reference.police_stations()
        .select(pl.concat_str("state_code", "ps_code", separator="-"))
        .to_series()
        .to_list()
    )
    checked = Counter()
    for d in defects.iter_rows(named=True):
        folder = generated / d["upload_id"]
        kind = d["kind"]
        if kind == "non_utf8":
            raw = (folder / d["file"]).read_bytes()
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8")
            checked[kind] += 1
            continue
        if kind not in ("missing_mandatory_field", "bad_date", "future_date", "occurrence_after_registration", "unknown_police_station",
                        "duplicate_key", "orphan_child", "invalid_code", "stale_version", "ipc_after_switch"):  # fmt: skip
            continue
        tables = read_upload(folder)
        no = int(d["record_no"])
        if d["file"] in ("firs.jsonl", "firs.xml"):
            fir = tables["fir.csv"][no - 1]
            key = spec.fir_key_str(
                fir["state_code"], fir["district_code"], fir["ps_code"], fir["fir_year"], fir["fir_no"]
            )
            assert key == d["fir_key"], d
            rows = {
                n: [
                    r
                    for r in t
                    if "fir_no" in r
                    and spec.fir_key_str(
                        r["state_code"], r["district_code"], r["ps_code"], r["fir_year"], r["fir_no"]
                    )
                    == key
                ]
                for n, t in tables.items()
            }
        else:
            rec = tables[d["file"]][no - 1]
            rows = {d["file"]: [rec]}
            fir = rec
            if d["file"] != "fir.csv" and d["fir_key"]:
                firs = [
                    r
                    for r in tables["fir.csv"]
                    if spec.fir_key_str(
                        r["state_code"], r["district_code"], r["ps_code"], r["fir_year"], r["fir_no"]
                    )
                    == d["fir_key"]
                ]
                fir = firs[0] if firs else rec
        extract = dt.date.fromisoformat(f"{d['upload_id'][3:7]}-{d['upload_id'][7:9]}-{d['upload_id'][9:11]}")
        if kind == "future_date":
            assert fir["registered_at"][:10] > extract.isoformat()
        elif kind == "occurrence_after_registration":
            assert fir["occurred_from"] > fir["registered_at"]
        elif kind == "unknown_police_station":
            assert f"{fir['state_code']}-{fir['ps_code']}" not in master_ps
        elif kind == "bad_date":
            with pytest.raises(ValueError):
                dt.datetime.strptime(fir["registered_at"], spec.CSV_TIMESTAMP_FORMAT)
        elif kind == "invalid_code":
            file, col, bad = (
                d["detail"].split(":")[0],
                d["detail"].split(":")[1].split(" ")[0],
                d["detail"].split("'")[1],
            )
            assert any(
                r[col] == bad for r in rows.get(file, tables[file] if file in spec.REGISTER_FILES else [])
            ), d
        elif kind == "ipc_after_switch":
            secs = rows.get("act_section.csv", [])
            assert any(r["act"] == "IPC" for r in secs) and fir["occurred_from"][:10] >= BNS_START.isoformat()
        elif kind == "duplicate_key":
            keys = [
                spec.fir_key_str(
                    r["state_code"], r["district_code"], r["ps_code"], r["fir_year"], r["fir_no"]
                )
                for r in tables["fir.csv"]
            ]
            assert keys.count(d["fir_key"]) == 2
        elif kind == "orphan_child":
            keys = {
                spec.fir_key_str(
                    r["state_code"], r["district_code"], r["ps_code"], r["fir_year"], r["fir_no"]
                )
                for r in tables["fir.csv"]
            }
            assert d["fir_key"] not in keys
        elif kind == "stale_version":
            # An earlier upload of the same State carried a higher version of this FIR.
            state = d["upload_id"][:2]
            earlier = [
                p
                for p in _uploads(generated)
                if p.name[:2] == state
                and p.name < d["upload_id"]
                and p.name not in _defective_uploads(generated)
            ]
            versions = [int(r["record_version"]) for p in earlier for r in read_upload(p)["fir.csv"]
                        if spec.fir_key_str(r["state_code"], r["district_code"], r["ps_code"], r["fir_year"], r["fir_no"]) == d["fir_key"]]  # fmt: skip
            assert versions and max(versions) > int(fir["record_version"])
        checked[kind] += 1
    assert len(checked) >= 10, checked


def test_repeat_offenders_appear_in_several_firs_with_varied_names(generated: Path) -> None:
    pid = _truth(generated, "person_identity.csv")
    repeat = pid.filter(pl.col("person_uid").str.starts_with("R"))
    per = repeat.group_by("person_uid").agg(
        pl.col("fir_no").n_unique().alias("firs"),
        pl.col("name").n_unique().alias("spellings"),
        pl.col("state_code").n_unique().alias("states"),
    )
    assert per.filter(pl.col("firs") >= 2).height > 20
    assert per.filter(pl.col("spellings") >= 2).height > 10
    assert per.filter(pl.col("states") >= 2).height >= 1
    # Some names are in an Indian script.
    assert pid.filter(pl.col("name_variant") == "native").height > 0


def test_vehicle_matches_point_at_the_same_vehicle(generated: Path) -> None:
    vm = _truth(generated, "vehicle_matches.csv")
    assert vm.height > 0
    props: dict[tuple[str, str], dict] = {}
    for p in _uploads(generated):
        if p.name in _defective_uploads(generated):
            continue
        for r in read_upload(p)["property.csv"]:
            key = spec.fir_key_str(
                r["state_code"], r["district_code"], r["ps_code"], r["fir_year"], r["fir_no"]
            )
            props[(key, r["property_seq"])] = r
    found = 0
    for m in vm.iter_rows(named=True):
        a, b = (
            props.get((m["found_fir_key"], m["found_property_seq"])),
            props.get((m["stolen_fir_key"], m["stolen_property_seq"])),
        )
        if a and b:
            found += 1
            assert a["chassis_no"].translate(LOOKALIKE) == b["chassis_no"].translate(LOOKALIKE)
            assert a["engine_no"].translate(LOOKALIKE) == b["engine_no"].translate(LOOKALIKE)
            assert b["nature"] == "STOLEN" and a["nature"] in ("SEIZED", "UNCLAIMED")
    assert found > 0


def test_unidentified_bodies_match_missing_persons(generated: Path) -> None:
    mm = _truth(generated, "uidb_missing_matches.csv")
    assert mm.height > 0
    mp, ub = {}, {}
    for p in _uploads(generated):
        t = read_upload(p)
        for r in t["missing_person.csv"]:
            mp[(r["state_code"], r["ps_code"], r["report_no"])] = r
        for r in t["unidentified_body.csv"]:
            ub[(r["state_code"], r["ps_code"], r["ud_case_no"])] = r
    for m in mm.iter_rows(named=True):
        a, b = (
            mp.get((m["mp_state_code"], m["mp_ps_code"], m["report_no"])),
            ub.get((m["ub_state_code"], m["ub_ps_code"], m["ud_case_no"])),
        )
        if a is None or b is None:
            continue
        assert a["gender"] == b["gender"]
        assert abs(int(a["height_cm"]) - int(b["height_cm"])) <= 3
        if a["report_date"] and b["found_on"]:  # a register defect may have blanked one
            assert a["report_date"] < b["found_on"]


def test_zero_firs_are_transferred_to_a_station_of_the_state(generated: Path) -> None:
    z = _truth(generated, "zero_fir_links.csv")
    assert z.height > 0
    ps = set(reference.police_stations()["ps_code"].to_list())
    assert set(z["transferred_to_ps"].to_list()) <= ps


# --- volumes, mixes and life cycle ------------------------------------------------------------


def test_national_volume_and_state_split() -> None:
    """At --scale 1 the nation registers ~16,000 FIRs a day, split by population x crime rate."""
    ref = Reference.load()
    h = Hasher(3)
    cfg = make_config(
        Path("/nonexistent"),
        start=dt.date(2022, 3, 1),
        days=28,
        scale=1.0,
        states=tuple(ref.states["state_code"].to_list()),
        warmup_days=0,
    )
    per_state = {}
    for s in cfg.states:
        w = simulate_state(cfg, ref, h, s)
        per_state[s] = int((~w.cols["is_zero"]).sum())
    total_per_day = sum(per_state.values()) / cfg.days
    assert 14_500 < total_per_day < 17_500, total_per_day
    pop = ref.population.filter(pl.col("year") == 2022).join(
        ref.states.select("state_code", "crime_rate_index"), on="state_code"
    )
    expected = {r["state_code"]: r["population"] * r["crime_rate_index"] for r in pop.iter_rows(named=True)}
    e = np.array([expected[s] for s in cfg.states]) / sum(expected.values())
    o = np.array([per_state[s] for s in cfg.states]) / sum(per_state.values())
    assert np.abs(e - o).sum() / 2 < 0.03  # total variation distance


def test_weekly_and_seasonal_patterns_and_crime_mix() -> None:
    ref = Reference.load()
    cfg = make_config(
        Path("/nonexistent"), start=dt.date(2023, 1, 1), days=365, scale=0.3, states=("09",), warmup_days=0
    )
    w = simulate_state(cfg, ref, Hasher(5), "09")
    day = w.cols["reg_day"][~w.cols["is_zero"]]
    dates = day.astype("datetime64[D]")
    dow = (day + 3) % 7
    per_dow = np.bincount(dow, minlength=7) / 52
    assert per_dow[6] < per_dow[:5].mean() * 0.95  # fewer FIRs on Sundays
    month = dates.astype("datetime64[M]").astype(int) % 12
    per_month = np.bincount(month, minlength=12)
    assert per_month[4:6].mean() > per_month[[0, 11]].mean()  # summer above winter
    mix = np.bincount(w.cols["head"], minlength=ref.heads.height) / len(w.cols["head"])
    target = ref.head_array("national_share").astype(float)
    assert np.abs(mix - target / target.sum()).sum() / 2 < 0.15


def test_life_cycle_reaches_every_stage(generated: Path) -> None:
    versions, statuses, results, adjourned, reports, itsso_days = (
        Counter(),
        Counter(),
        Counter(),
        Counter(),
        Counter(),
        [],
    )
    ipc_after, bns_after, ipc_before = 0, 0, 0
    itsso = reference.itsso_sections()
    itsso_keys = set(zip(itsso["act"].to_list(), itsso["section"].to_list(), strict=True))
    for p in _uploads(generated):
        if p.name in _defective_uploads(generated):
            continue
        t = read_upload(p)
        firs = {
            spec.fir_key_str(r["state_code"], r["district_code"], r["ps_code"], r["fir_year"], r["fir_no"]): r
            for r in t["fir.csv"]
        }
        for r in t["fir.csv"]:
            versions[min(int(r["record_version"]), 5)] += 1
            statuses[r["status"]] += 1
        for r in t["court_case.csv"]:
            results[r["result"]] += 1
        for r in t["hearing.csv"]:
            adjourned[r["adjourned"]] += 1
        for r in t["final_report.csv"]:
            reports[r["report_type"]] += 1
        for r in t["act_section.csv"]:
            key = spec.fir_key_str(
                r["state_code"], r["district_code"], r["ps_code"], r["fir_year"], r["fir_no"]
            )
            f = firs.get(key)
            if not f or not f["occurred_from"] or not f["registered_at"] or not r["section"] or not r["act"]:
                continue
            after = f["occurred_from"][:10] >= BNS_START.isoformat()
            if r["act"] == "IPC":
                ipc_after += after and f["registered_at"][:10] >= BNS_START.isoformat()
                ipc_before += not after and f["registered_at"][:10] >= BNS_START.isoformat()
            bns_after += r["act"] == "BNS" and after
            if (r["act"], r["section"].split("(")[0]) in itsso_keys:
                for fr in t["final_report.csv"]:
                    if (
                        spec.fir_key_str(
                            fr["state_code"], fr["district_code"], fr["ps_code"], fr["fir_year"], fr["fir_no"]
                        )
                        == key
                    ):
                        itsso_days.append(
                            (
                                dt.date.fromisoformat(fr["report_date"])
                                - dt.date.fromisoformat(f["registered_at"][:10])
                            ).days
                        )
    assert versions[1] > 0 and sum(v for k, v in versions.items() if k >= 2) > 0
    assert {"UNDER_INVESTIGATION", "CHARGESHEETED", "FINAL_REPORT"} <= set(statuses)
    assert {"PENDING", "CONVICTED", "ACQUITTED"} <= set(results)
    assert adjourned["Y"] > 0 and adjourned["N"] > 0
    assert reports["CHARGESHEET"] > 0 and reports["FR_UNDETECTED"] > 0
    assert bns_after > 0
    assert ipc_before > 0, "FIRs registered after 1 July 2024 for offences before it carry IPC sections"
    assert any(d <= 60 for d in itsso_days) and any(d > 60 for d in itsso_days)


@pytest.mark.integration
def test_committed_sample_is_what_make_sample_generates(tmp_path: Path) -> None:
    """The sample in the repository is reproducible, byte for byte, from the Makefile's arguments."""
    import re
    import shlex

    from core.settings import REPO_ROOT, SAMPLE_DIR

    makefile = (REPO_ROOT / "Makefile").read_text()
    args = shlex.split(re.search(r"^SAMPLE_ARGS := (.+)$", makefile, re.M).group(1))
    opts = dict(zip(args[::2], args[1::2], strict=True))
    cfg = make_config(
        tmp_path / "sample",
        start=dt.date.fromisoformat(opts["--start"]),
        days=int(opts["--days"]),
        scale=float(opts["--scale"]),
        seed=int(opts["--seed"]),
        defect_rate=float(opts["--defect-rate"]),
        warmup_days=int(opts["--warmup-days"]),
        states=tuple(sorted(reference.states()["state_code"].to_list())),
    )
    generate(cfg)
    assert _digest(tmp_path / "sample") == _digest(SAMPLE_DIR)
    assert sum(p.stat().st_size for p in SAMPLE_DIR.rglob("*") if p.is_file()) < 15_000_000
    assert len(_uploads(SAMPLE_DIR)) >= 36 * 7


# --- empty populations (issue 12, item 11) ----------------------------------------------------


def test_generate_command_with_bodies_but_no_missing_persons_in_a_window(tmp_path: Path) -> None:
    """The exact command of issue 12 item 11: a small State has unidentified bodies but no
    missing-person report in the window (it crashed with IndexError in ``registers.py``)."""
    from typer.testing import CliRunner

    from cctns.cli import app

    out = tmp_path / "inbox"
    args = ["generate", "--start", "2026-11-01", "--days", "2", "--scale", "0.02", "--seed", "11"]
    result = CliRunner().invoke(app, [*args, "--defect-rate", "0", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    # `cctns generate` delivers into the State channels out/<SS>/ (one per State, two days each)
    channels = sorted(p for p in out.iterdir() if p.is_dir() and p.name != "_truth")
    assert len(channels) == 36 and all(len(c.name) == 2 and c.name.isdigit() for c in channels)
    assert all(u.name.startswith(c.name + "_") for c in channels for u in _uploads(c))
    assert sum(len(_uploads(c)) for c in channels) == 36 * 2
    bodies = _truth(out, "uidb_missing_matches.csv")
    assert bodies.columns[:3] == ["ub_state_code", "ub_ps_code", "ud_case_no"]


@pytest.mark.parametrize(("missing", "bodies"), [(0.0, 110.0), (1900.0, 0.0), (0.0, 0.0)])
def test_registers_with_an_empty_population(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, missing: float, bodies: float
) -> None:
    """No missing persons, no bodies, or neither: empty tables with the CAS columns, no match."""
    from sample_data import registers
    from sample_data.documents import Builder
    from sample_data.generate import offender_pool_sizes

    monkeypatch.setattr(registers, "MISSING_PER_DAY", missing)
    monkeypatch.setattr(registers, "UIDB_PER_DAY", bodies)
    cfg = make_config(tmp_path / "x", states=("29",), days=30, scale=0.5, defect_rate=0.0)
    ref = Reference.load()
    b = Builder(ref, Hasher(cfg.seed), cfg.seed, offender_pool_sizes(cfg, ref))
    mp, ub, matches = registers.simulate_registers(cfg, b, "29")
    assert (mp.height == 0) == (missing == 0)
    assert (ub.height == 0) == (bodies == 0)
    assert matches.height == 0
    assert set(spec.CAS_COLUMNS["missing_person.csv"]) <= set(mp.columns)
    assert set(spec.CAS_COLUMNS["unidentified_body.csv"]) <= set(ub.columns)
    if bodies:
        # Every body is then an unmatched one, with attributes drawn for it alone.
        assert ub["gender"].is_in(["F", "M"]).all()
        assert (ub["age_high"] > ub["age_low"]).all()
        assert ub["height_cm"].is_between(137, 189).all()
