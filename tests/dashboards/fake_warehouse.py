"""A small published warehouse with exactly the mart contract (:mod:`core.mart_contract`).

Used by the dashboard tests until the real ``sample_warehouse`` fixture (ingest + dbt build +
publish of the committed sample) is available. Five States of very different sizes (so that
small cells and secondary suppression occur), three districts each, FIRs from January 2024 to
November 2026 across the IPC -> BNS switch; the aggregate marts are computed from ``fct_firs`` by
SQL, so they agree with each other. NDSO names are accused persons of the committed sample.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import duckdb
import pandas as pd

from bench import synthetic_marts as synthetic
from core import reference
from core.settings import Paths

STATES = {"09": 900, "29": 500, "07": 300, "30": 60, "35": 12}
AS_ON = dt.date(2026, 11, 7)
START = dt.date(2024, 1, 1)
HEADS = {
    "THEFT": 30,
    "HURT": 14,
    "MV_ACT": 10,
    "CHEATING": 8,
    "CRUELTY_HUSBAND": 7,
    "CRIMINAL_INTIMIDATION": 6,
    "NDPS": 5,
    "KIDNAPPING_ABDUCTION": 4,
    "ASSAULT_OUTRAGE_MODESTY": 4,
    "ROBBERY": 3,
    "RAPE": 4,
    "POCSO": 3,
    "MURDER": 2,
}
SEXUAL = {"RAPE", "POCSO", "ASSAULT_OUTRAGE_MODESTY"}
ITSSO = {"RAPE", "POCSO"}
SECTIONS = {  # head -> (IPC-era act, section), (BNS-era act, section)
    "THEFT": (("IPC", "379"), ("BNS", "303(2)")),
    "HURT": (("IPC", "323"), ("BNS", "115(2)")),
    "MV_ACT": (("MV", "185"), ("MV", "185")),
    "CHEATING": (("IPC", "420"), ("BNS", "318(4)")),
    "CRUELTY_HUSBAND": (("IPC", "498A"), ("BNS", "85")),
    "CRIMINAL_INTIMIDATION": (("IPC", "506"), ("BNS", "351")),
    "NDPS": (("NDPS", "20"), ("NDPS", "20")),
    "KIDNAPPING_ABDUCTION": (("IPC", "363"), ("BNS", "137(2)")),
    "ASSAULT_OUTRAGE_MODESTY": (("IPC", "354"), ("BNS", "74")),
    "ROBBERY": (("IPC", "392"), ("BNS", "309(4)")),
    "RAPE": (("IPC", "376"), ("BNS", "64")),
    "POCSO": (("POCSO", "4"), ("POCSO", "4")),
    "MURDER": (("IPC", "302"), ("BNS", "103(1)")),
}
MO_CLASSES = ("HOUSE_BREAK_NIGHT", "CHAIN_SNATCH_BIKE", "ONLINE_OTP_FRAUD", "VEHICLE_LIFT", "PICKPOCKET")


def _ndso_names(sample_dir: Path, n: int) -> list[tuple[str, str | None, str | None]]:
    """(name, alias, address) of accused persons of a few committed sample uploads."""
    from tests.support.extract_reader import read_upload

    out: list[tuple[str, str | None, str | None]] = []
    for folder in sorted(p for p in sample_dir.iterdir() if p.is_dir() and p.name[:2] in STATES):
        try:
            tables = read_upload(folder)
        except Exception:
            continue
        for r in tables.get("person.csv", []):
            if r.get("role") == "ACCUSED" and r.get("name") and r["name"].isascii():
                out.append((r["name"], r.get("alias"), r.get("address")))
        if len(out) >= n * 4:
            break
    rng = random.Random(5)
    rng.shuffle(out)
    return out[:n]


def build_fake_warehouse(home: Path, sample_dir: Path | None = None) -> Path:
    """Write the fake warehouse as a candidate and publish it (``warehouse.publish``); returns
    ``home``."""
    from warehouse import publish

    rng = random.Random(20261107)
    paths = Paths(home).ensure()
    db_path = publish.new_candidate(paths, copy_current=False)
    states = reference.states().to_pandas()
    states = states[states["state_code"].isin(list(STATES))]
    pop = reference.state_population().to_pandas()
    pop = pop[pop["state_code"].isin(list(STATES))]
    districts = reference.districts().to_pandas()
    stations = reference.police_stations().to_pandas()
    heads = reference.crime_heads().to_pandas()

    dist_rows, ps_rows = [], []
    for sc in STATES:
        ds = districts[districts["state_code"] == sc].head(3)
        for d in ds.to_dict("records"):
            dist_rows.append(d)
            ps = stations[
                (stations["state_code"] == sc) & (stations["district_code"] == d["district_code"])
            ].head(2)
            ps_rows.extend(ps.to_dict("records"))
    dist_df = pd.DataFrame(dist_rows)
    ps_df = pd.DataFrame(ps_rows)
    ps_df["ps_key"] = ps_df["state_code"] + "-" + ps_df["district_code"] + "-" + ps_df["ps_code"]

    # --- FIRs ---------------------------------------------------------------------------
    head_codes, weights = list(HEADS), list(HEADS.values())
    days = (AS_ON - START).days
    firs, offences = [], []
    serial: dict[tuple[str, int], int] = {}
    for sc, n in STATES.items():
        st_ps = ps_df[ps_df["state_code"] == sc].to_dict("records")
        for _ in range(n):
            ps = rng.choice(st_ps)
            reg = START + dt.timedelta(days=rng.randrange(days + 1))
            head = rng.choices(head_codes, weights)[0]
            key_ps = (ps["ps_key"], reg.year)
            serial[key_ps] = serial.get(key_ps, 0) + 1
            fir_key = f"{ps['ps_key']}-{reg.year}-{serial[key_ps]:04d}"
            offence = reg - dt.timedelta(days=rng.randrange(3))
            act, section = SECTIONS[head][offence >= dt.date(2024, 7, 1)]
            sexual = head in SEXUAL
            lat = None if sexual else round(float(ps["lat"]) + rng.uniform(-0.05, 0.05), 6)
            lon = None if sexual else round(float(ps["lon"]) + rng.uniform(-0.05, 0.05), 6)
            n_victims = rng.choice([1, 1, 1, 2])
            firs.append(
                {
                    "fir_key": fir_key,
                    "state_code": sc,
                    "district_code": ps["district_code"],
                    "ps_code": ps["ps_code"],
                    "ps_key": ps["ps_key"],
                    "fir_year": reg.year,
                    "fir_no": serial[key_ps],
                    "registered_on": reg,
                    "registered_at": dt.datetime.combine(reg, dt.time(rng.randrange(24), rng.randrange(60))),
                    "offence_date": offence,
                    "law_code": "BNS" if offence >= dt.date(2024, 7, 1) else "IPC",
                    "year": reg.year,
                    "month_start": reg.replace(day=1),
                    "crime_head_code": head,
                    "legal_crime_head_code": head,
                    "principal_act": act,
                    "principal_section": section,
                    "is_crime_against_women": bool(
                        heads.loc[heads.crime_head_code == head, "is_crime_against_women"].iloc[0] == "Y"
                    ),
                    "is_sexual_offence": sexual,
                    "is_itsso": head in ITSSO,
                    "n_sections": 1,
                    "n_accused": rng.choice([1, 1, 2]),
                    "n_victims": n_victims,
                    "n_female_victims": n_victims if head in SEXUAL | {"CRUELTY_HUSBAND"} else 0,
                    "n_child_victims": n_victims if head == "POCSO" else 0,
                    "status": rng.choice(["UNDER_INVESTIGATION", "CHARGESHEETED", "FINAL_REPORT"]),
                    "status_date": reg + dt.timedelta(days=rng.randrange(120)),
                    "is_zero_fir": False,
                    "place_lat": lat,
                    "place_lon": lon,
                    "record_version": rng.randrange(1, 5),
                }
            )
            offences.append(
                {
                    "fir_key": fir_key,
                    "seq": 1,
                    "act": act,
                    "section": section,
                    "crime_head_code": head,
                    "severity_rank": 100,
                    "is_principal": True,
                }
            )
    fir_df = pd.DataFrame(firs)
    off_df = pd.DataFrame(offences)

    # --- NDSO ---------------------------------------------------------------------------
    names = _ndso_names(sample_dir, 40) if sample_dir is not None else []
    if not names:
        names = [(f"Offender {i}", None, f"H.No. {i}, Test Road") for i in range(40)]
    ndso = []
    for i, (name, alias, address) in enumerate(names):
        sc = list(STATES)[i % len(STATES)]
        ds = dist_df[dist_df["state_code"] == sc]
        d = ds.iloc[i % len(ds)]
        convicted = i % 3 != 0
        first = START + dt.timedelta(days=rng.randrange(days - 200))
        ndso.append(
            {
                "offender_key": f"NDSO-{i:05d}",
                "registry_status": "CONVICTED" if convicted else "CHARGESHEETED_ONLY",
                "is_convicted": convicted,
                "name": name,
                "name_latin": name,
                "name_key": None,
                "aliases": [alias] if alias else ([f"{name.split()[0]} Dada"] if i % 4 == 0 else []),
                "gender": "M",
                "birth_year": 1970 + i,
                "address": address,
                "address_district_code": d["district_code"],
                "state_code": sc,
                "district_code": d["district_code"],
                "offence_groups": ["RAPE"] if i % 2 else ["POCSO"],
                "fir_keys": [f"{sc}-{d['district_code']}-X-{i}"],
                "n_cases": 1 + i % 2,
                "first_fir_on": first,
                "latest_fir_on": first + dt.timedelta(days=30),
                "convicted_on": first + dt.timedelta(days=180) if convicted else None,
            }
        )
    ndso_df = pd.DataFrame(ndso)
    import polars as pl

    from core.text import name_keys

    ndso_df["name_key"] = name_keys(pl.Series(ndso_df["name_latin"].tolist())).to_list()

    con = duckdb.connect(str(db_path))
    try:
        con.register("states_src", states)
        con.register("pop_src", pop)
        con.register("dist_src", dist_df)
        con.register("ps_src", ps_df)
        con.register("heads_src", heads)
        con.register("fir_src", fir_df)
        con.register("off_src", off_df)
        con.register("ndso_src", ndso_df)
        synthetic.build(con, AS_ON, MO_CLASSES)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    publish.publish(
        paths, db_path, {"build_id": "fake-build", "mode": "full"}, required_tables=["marts.dim_build"]
    )
    _write_outbox(home)
    return home


def _write_outbox(home: Path) -> None:
    """Feedback files like ingestion's, one row of which echoes a person's name."""
    header = (
        "upload_id,load_id,file,row,fir_key,register_key,rule_code,rule_name,severity,field,value,message\n"
    )
    for sc in ("09", "29"):
        out = home / "outbox" / sc
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{sc}_20261103_01-abc_errors.csv").write_text(
            header
            + f"{sc}_20261103_01,{sc}_20261103_01-abc,fir.csv,10,{sc}-001-00001-2026-0001,,111,DUPLICATE_FIR,"
            f"error,fir_key,2,FIR appears 2 times in this upload\n"
            + f"{sc}_20261103_01,{sc}_20261103_01-abc,person.csv,19,{sc}-001-00001-2026-0002,,115,TEXT_NOT_UTF8,"
            f"error,name,Zebulon Quartermaine,name Zebulon Quartermaine contains bytes that are not UTF-8\n",
            encoding="utf-8",
        )
