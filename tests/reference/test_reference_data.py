"""Reference data: seeds, calibration table, loader and the dbt seed build."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from core import reference
from core.extract_spec import ACTS, format_for_state
from core.settings import DBT_PROJECT_DIR
from sample_data import refdata_build

INDIA_CENSUS_2011 = 1_210_854_977
NCRB_2022_DENOMINATOR = 1_379_700_000
STATE_CODES = {f"{i:02d}" for i in (*range(1, 25), *range(27, 39))}

#: Every IPC -> BNS pair listed in shared/DOMAIN.md (copied here: shared/ may not be beside the repo).
DOMAIN_PAIRS = {
    ("34", "3(5)"), ("107", "45"), ("120B", "61(2)"), ("124A", "152"), ("141", "189"), ("147", "191(2)"),
    ("148", "191(3)"), ("149", "190"), ("201", "238"), ("279", "281"), ("302", "103(1)"), ("304", "105"),
    ("304A", "106(1)"), ("304B", "80"), ("306", "108"), ("307", "109"), ("323", "115(2)"), ("324", "118(1)"),
    ("325", "117"), ("326", "118(2)"), ("354", "74"), ("354A", "75"), ("354D", "78"), ("363", "137(2)"),
    ("364", "140"), ("366", "87"), ("370", "143"), ("376", "64"), ("376D", "70"), ("379", "303(2)"),
    ("380", "305"), ("384", "308(2)"), ("392", "309(4)"), ("395", "310(2)"), ("406", "316(2)"),
    ("409", "316(5)"), ("411", "317(2)"), ("419", "319"), ("420", "318(4)"), ("467", "338"), ("471", "340"),
    ("498A", "85"), ("506", "351"), ("509", "79"), ("228A", "72"),
}  # fmt: skip
ITSSO_EXPECTED = {
    *(("IPC", s, "OLD") for s in ("376", "376A", "376AB", "376B", "376C", "376D", "376DA", "376DB", "376E")),
    *(("BNS", s, "NEW") for s in ("64", "65", "66", "67", "68", "70", "71")),
    *(("POCSO", s, "NEW") for s in ("4", "6", "8", "10")),
}
NDSO_EXPECTED = {
    *(("IPC", s, "RAPE") for s in ("376", "376A", "376AB", "376B", "376C", "376E")),
    *(("IPC", s, "GANG_RAPE") for s in ("376D", "376DA", "376DB")),
    *(("IPC", s, "STALKING_EVE_TEASING") for s in ("354A", "354D", "509")),
    *(("BNS", s, "RAPE") for s in ("64", "65", "66", "67", "68", "71")),
    ("BNS", "70", "GANG_RAPE"),
    *(("BNS", s, "STALKING_EVE_TEASING") for s in ("75", "78", "79")),
    *(("POCSO", s, "POCSO") for s in ("4", "6", "8", "10", "12")),
}
BNS_ONLY_HEADS = {"MOB_LYNCHING", "ORGANISED_CRIME", "TERRORIST_ACT", "DECEITFUL_SEXUAL_INTERCOURSE"}


def _bbox() -> pl.DataFrame:
    return reference.states().select("state_code", "lat_min", "lat_max", "lon_min", "lon_max")


def _outside_bbox(df: pl.DataFrame, lat: str, lon: str) -> pl.DataFrame:
    return df.join(_bbox(), on="state_code").filter(
        ~pl.col(lat).is_between(pl.col("lat_min"), pl.col("lat_max"))
        | ~pl.col(lon).is_between(pl.col("lon_min"), pl.col("lon_max"))
    )


#: Maximum-punishment classes in the order of the principal-offence rule (int_fir_offences).
CLASS_RANK = {"death": 4, "life": 3, "years": 2, "fine_only": 1, "as_principal": 0}


def _principal_head(*sections: tuple[str, str]) -> str:
    """Crime head of an FIR under NCRB's principal-offence rule, as int_fir_offences applies it:
    highest maximum punishment class, then the longest term, non-add-on first, then severity_rank."""
    secs = reference.sections()
    ranked = (
        secs.filter(pl.struct("act", "section").is_in([{"act": a, "section": s} for a, s in sections]))
        .with_columns(
            pl.col("max_punishment").replace_strict(CLASS_RANK, return_dtype=pl.Int64).alias("_class"),
            pl.col("max_years").fill_null(0.0).alias("_years"),
        )
        .sort(["_class", "_years", "is_addon", "severity_rank"], descending=[True, True, False, True])
    )
    assert ranked.height == len(sections)
    return str(ranked["crime_head_code"][0])


# --------------------------------------------------------------------------- reproducibility


def test_seed_files_are_exactly_what_the_build_script_writes() -> None:
    tables, _ = refdata_build.build()
    for name, rows in tables.items():
        path = refdata_build.output_path(name)
        assert path.read_bytes() == refdata_build.render_csv(rows).encode("utf-8"), (
            f"{path.name} is stale: run `uv run python -m sample_data.refdata_build`"
        )


def test_csvs_are_utf8_with_unix_line_ends() -> None:
    for path in [
        *Path(reference.SEEDS_DIR).glob("*.csv"),
        reference.CALIBRATION_DIR / "crime_head_params.csv",
    ]:
        raw = path.read_bytes()
        raw.decode("utf-8")
        assert b"\r" not in raw and raw.endswith(b"\n"), path.name


# --------------------------------------------------------------------------- States, population


def test_states_have_the_36_current_codes() -> None:
    st = reference.states()
    assert set(st["state_code"]) == STATE_CODES
    assert st["state_code"].n_unique() == 36
    assert st["state_code"].dtype == pl.Utf8
    names = dict(zip(st["state_code"], st["state_name"], strict=True))
    assert names["28"] == "Andhra Pradesh" and names["36"] == "Telangana" and names["37"] == "Ladakh"
    assert names["38"] == "Dadra and Nagar Haveli and Daman and Diu" and names["01"] == "Jammu and Kashmir"


def test_census_2011_totals() -> None:
    st = reference.states()
    assert math.isclose(st["census2011_population"].sum(), INDIA_CENSUS_2011, rel_tol=1e-3)
    pop = dict(zip(st["state_code"], st["census2011_population"], strict=True))
    assert pop["36"] == 35_003_674 and pop["37"] == 274_289 and pop["01"] == 12_267_013
    assert pop["38"] == 243_247 + 343_709
    assert (st["census2011_female_population"] < st["census2011_population"]).all()


def test_extract_formats_follow_the_spec() -> None:
    st = reference.states()
    fmt = dict(zip(st["state_code"], st["extract_format"], strict=True))
    assert {c for c, f in fmt.items() if f == "jsonl"} == {"28", "29", "33", "36"}
    assert {c for c, f in fmt.items() if f == "xml"} == {"24", "30"}
    assert all(f == format_for_state(c) for c, f in fmt.items())
    cas = st.filter(pl.col("extract_format") == "cas_csv")
    assert (cas["source_system"] == "CAS 4.5").all()


def test_population_projection() -> None:
    pop = reference.state_population()
    assert pop.height == 36 * 12
    assert set(pop["year"]) == set(range(2015, 2027))
    india = pop.group_by("year").agg(pl.col("population").sum()).sort("year")
    assert abs(india.filter(pl.col("year") == 2022)["population"][0] / NCRB_2022_DENOMINATOR - 1) < 0.002
    assert (india["population"].diff().drop_nulls() > 0).all()
    assert (pop["female_population"] < pop["population"]).all()
    k = refdata_build.solve_damping_factor()
    assert 0.5 < k < 0.9


def test_crime_rate_index_is_population_weighted_near_one() -> None:
    pop = reference.state_population().filter(pl.col("year") == 2022)
    df = pop.join(reference.states(), on="state_code")
    weighted = (df["population"] * df["crime_rate_index"]).sum() / df["population"].sum()
    assert 0.95 < weighted < 1.05


# --------------------------------------------------------------------------- districts, stations


def test_districts() -> None:
    d = reference.districts()
    assert 700 <= d.height <= 820
    assert d["district_code"].n_unique() == d.height
    assert d["district_code"].str.contains(r"^\d{3}$").all()
    assert set(d["state_code"]) == STATE_CODES
    counts = dict(d.group_by("state_code").len().iter_rows())
    assert counts["09"] == 75 and counts["23"] == 55 and counts["27"] == 36
    assert counts["10"] == 38 and counts["33"] == 38
    assert _outside_bbox(d, "hq_lat", "hq_lon").height == 0
    # codes are assigned in State order
    assert d["district_code"].to_list() == sorted(d["district_code"].to_list())
    assert d["state_code"].to_list() == sorted(d["state_code"].to_list())


def test_police_stations() -> None:
    ps = reference.police_stations()
    assert ps.height == 17_074
    assert ps["ps_code"].str.contains(r"^\d{5}$").all()
    assert ps.select("state_code", "ps_code").is_unique().all()
    assert ps.select("district_code", "ps_name").is_unique().all()
    assert _outside_bbox(ps, "lat", "lon").height == 0
    assert ps["lat"].round(6).equals(ps["lat"])
    per_district = ps.group_by("district_code").len()
    assert per_district.height == reference.districts().height
    assert per_district["len"].min() >= 3
    # first two digits = the district's index within its State
    d = reference.districts().with_columns((pl.int_range(pl.len()).over("state_code") + 1).alias("idx"))
    joined = ps.join(d, on=["state_code", "district_code"], how="left")
    assert joined["idx"].null_count() == 0
    assert (joined["ps_code"].str.slice(0, 2).cast(pl.Int64) == joined["idx"]).all()
    for ps_type in ("MAHILA", "CYBER"):
        assert set(ps.filter(pl.col("ps_type") == ps_type)["state_code"]) == STATE_CODES
    assert set(ps["ps_type"]) <= {"GENERAL", "MAHILA", "CYBER", "GRP", "TRAFFIC"}
    assert set(ps["is_urban"]) == {"Y", "N"}


def test_police_stations_proportional_to_state_size() -> None:
    counts = reference.police_stations().group_by("state_code").len()
    df = counts.join(reference.states(), on="state_code").sort("len", descending=True)
    assert "09" in df["state_code"].head(3).to_list()
    rank_ps = df["len"].rank()
    rank_pop = df["census2011_population"].rank()
    assert np.corrcoef(rank_ps.to_numpy(), rank_pop.to_numpy())[0, 1] > 0.85


# --------------------------------------------------------------------------- law


def test_acts_match_the_spec() -> None:
    a = reference.acts()
    assert tuple(a["act"]) == ACTS
    dates = {r["act"]: r for r in a.iter_rows(named=True)}
    assert str(dates["IPC"]["valid_to"]) == "2024-06-30"
    assert str(dates["BNS"]["valid_from"]) == "2024-07-01"


def test_sections_reference_heads_and_acts() -> None:
    s = reference.sections()
    assert s.select("act", "section").is_unique().all()
    assert set(s["crime_head_code"]) <= set(reference.crime_heads()["crime_head_code"])
    assert set(s["act"]) <= set(ACTS)
    assert (s["gen_weight"] >= 0).all()
    assert s["section"].dtype == pl.Utf8
    assert {"302", "376DA", "303(2)", "3(5)", "3/181", "3(1)(r)", "8(c)", "66D"} <= set(s["section"])
    assert 45 <= reference.crime_heads().height <= 60


def test_every_ipc_bns_head_has_generator_sections_in_both_codes() -> None:
    heads = reference.crime_heads()
    weighted = reference.sections().filter(pl.col("gen_weight") > 0)
    for h in heads.iter_rows(named=True):
        acts = set(weighted.filter(pl.col("crime_head_code") == h["crime_head_code"])["act"])
        if h["law_type"] == "IPC_BNS":
            assert "BNS" in acts, h["crime_head_code"]
            assert ("IPC" in acts) != (h["crime_head_code"] in BNS_ONLY_HEADS), h["crime_head_code"]
        else:
            assert len(acts) == 1 and not acts & {"IPC", "BNS"}, h["crime_head_code"]
    era = dict(zip(heads["crime_head_code"], heads["ipc_era_head"], strict=True))
    assert era["MOB_LYNCHING"] == "MURDER" and era["DECEITFUL_SEXUAL_INTERCOURSE"] == "RAPE"


def test_principal_offence_rule() -> None:
    s = reference.sections()
    murder = s.filter(pl.col("crime_head_code") == "MURDER")["severity_rank"].min()
    rape = s.filter(pl.col("crime_head_code").is_in(["RAPE", "GANG_RAPE", "POCSO"]))["severity_rank"].max()
    assert murder > rape
    assert _principal_head(("IPC", "376"), ("IPC", "302")) == "MURDER"
    assert _principal_head(("IPC", "376A"), ("IPC", "302")) == "MURDER"  # both punishable with death
    assert _principal_head(("BNS", "64(1)"), ("BNS", "103(1)"), ("BNS", "3(5)")) == "MURDER"
    assert _principal_head(("IPC", "457"), ("IPC", "380")) == "HOUSE_BREAKING"  # 14 years > 7 years
    assert _principal_head(("IPC", "376"), ("POCSO", "4")) == "POCSO"  # both life: POCSO by tie-break
    assert _principal_head(("IPC", "302"), ("IPC", "34"), ("IPC", "120B")) == "MURDER"
    assert _principal_head(("IPC", "324"), ("IPC", "147")) == "HURT"  # 3 years > 2 years
    assert _principal_head(("BNS", "118(1)"), ("BNS", "191(2)")) == "HURT"  # 3 years > 2 years
    assert _principal_head(("IPC", "353"), ("IPC", "143")) == "ASSAULT_PUBLIC_SERVANT"  # 2 years > 6 months
    assert _principal_head(("BNS", "292"), ("BNS", "79")) == "INSULT_MODESTY"  # 3 years > fine only
    assert _principal_head(("IPC", "120B"), ("IPC", "420")) == "CHEATING"  # 7 years > 6 months
    assert _principal_head(("IPC", "34"), ("IPC", "149")) == "UNLAWFUL_ASSEMBLY"  # add-ons only
    death = s.filter(pl.col("max_punishment") == "death")["severity_rank"].min()
    life = s.filter(pl.col("max_punishment") == "life")["severity_rank"].max()
    assert death > life


#: Real offences often charged beside another (issue 12): never add-ons.
REAL_OFFENCES = {
    ("IPC", "323"), ("IPC", "324"), ("IPC", "353"), ("IPC", "411"), ("IPC", "419"), ("IPC", "468"),
    ("IPC", "471"), ("IPC", "504"), ("IPC", "506"), ("IPC", "120B"), ("IPC", "201"), ("IPC", "380"),
    ("BNS", "71"), ("BNS", "115(2)"), ("BNS", "118(1)"), ("BNS", "61(2)"), ("BNS", "351(2)"),
    ("BNS", "317(2)"), ("BNS", "319(2)"), ("BNS", "336(3)"), ("ARMS", "27"), ("IT", "66D"), ("DP", "4"),
}  # fmt: skip
#: Sections that are never an offence by themselves (a liability rule or a definition).
ADDONS = {
    ("IPC", "34"), ("IPC", "107"), ("IPC", "109"), ("IPC", "141"), ("IPC", "149"),
    ("BNS", "3(5)"), ("BNS", "45"), ("BNS", "49"), ("BNS", "189"), ("BNS", "190"), ("NDPS", "8(c)"),
}  # fmt: skip
#: Hand-checked maxima (first conviction) read from the statutes: (act, section) -> (class, years).
STATUTE_MAXIMA = {
    ("IPC", "302"): ("death", None),  # death or imprisonment for life
    ("IPC", "324"): ("years", 3.0),
    ("IPC", "147"): ("years", 2.0),
    ("IPC", "323"): ("years", 1.0),
    ("IPC", "341"): ("years", 1 / 12),  # simple imprisonment up to one month
    ("IPC", "379"): ("years", 3.0),
    ("IPC", "290"): ("fine_only", None),  # fine up to 200 rupees
    ("IPC", "376"): ("life", None),
    ("IPC", "376AB"): ("death", None),
    ("IPC", "498A"): ("years", 3.0),
    ("IPC", "306"): ("years", 10.0),
    ("IPC", "457"): ("years", 14.0),  # when the offence intended is theft
    ("BNS", "103(1)"): ("death", None),
    ("BNS", "115(2)"): ("years", 1.0),
    ("BNS", "118(1)"): ("years", 3.0),
    ("BNS", "71"): ("death", None),
    ("BNS", "106(1)"): ("years", 5.0),
    ("BNS", "303(2)"): ("years", 3.0),
    ("BNS", "316(2)"): ("years", 5.0),
    ("BNS", "292"): ("fine_only", None),  # fine up to 1,000 rupees
    ("POCSO", "6"): ("death", None),  # since the 2019 amendment
    ("POCSO", "4"): ("life", None),
    ("NDPS", "20"): ("years", 20.0),  # commercial quantity
    ("IT", "66"): ("years", 3.0),
    ("DP", "3"): ("years", 5.0),
    ("MV", "185"): ("years", 0.5),
}


def test_section_punishments_come_from_the_reviewed_table_with_a_source() -> None:
    s = reference.sections()
    table = refdata_build.load_punishments()
    assert set(zip(s["act"], s["section"], strict=True)) == set(table)
    assert set(s["max_punishment"]) <= set(CLASS_RANK)
    assert s["punishment_source"].str.len_chars().min() > 0
    assert (s.filter(pl.col("max_punishment") == "years")["max_years"] > 0).all()
    assert (
        s.filter(pl.col("max_punishment") != "years")["max_years"].null_count()
        == s.filter(pl.col("max_punishment") != "years").height
    )
    by_key = {(r["act"], r["section"]): r for r in s.iter_rows(named=True)}
    for key, (cls, years) in STATUTE_MAXIMA.items():
        row = by_key[key]
        assert row["max_punishment"] == cls, key
        assert (row["max_years"] is None) == (years is None), key
        if years is not None:
            assert row["max_years"] == pytest.approx(years, abs=1e-3), key
        assert row["punishment_source"].endswith(f" s.{key[1]}"), key
    # Anything not checked against the statute says so.
    unverified = set(s.filter(pl.col("punishment_verified") == "N").select("act", "section").iter_rows())
    assert ("OTHER_SLL", "OTHER") in unverified and ("EXCISE", "34") in unverified
    assert unverified.isdisjoint(STATUTE_MAXIMA)


def test_add_on_only_for_sections_that_are_never_an_offence_by_themselves() -> None:
    s = reference.sections()
    addons = set(s.filter(pl.col("is_addon") == "Y").select("act", "section").iter_rows())
    assert addons == ADDONS
    assert addons.isdisjoint(REAL_OFFENCES)
    assert (
        set(s.filter(pl.col("max_punishment") == "as_principal").select("act", "section").iter_rows())
        == addons
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("IPC,302,Death,,N,Y,IPC 1860 s.302,", "max_punishment"),
        ("IPC,302,years,,N,Y,IPC 1860 s.302,", "max_years"),
        ("IPC,302,death,99,N,Y,IPC 1860 s.302,", "max_years"),
        ("IPC,302,death,,Y,Y,IPC 1860 s.302,", "add-on"),
        ("IPC,302,death,,N,maybe,IPC 1860 s.302,", "flags"),
        ("IPC,302,death,,N,Y,,", "punishment_source"),
    ],
)
def test_punishment_table_rejects_bad_rows(tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "section_punishment.csv"
    header = refdata_build.PUNISHMENT_CSV.read_text(encoding="utf-8").splitlines()[0]
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        refdata_build.load_punishments(path)


def test_crosswalk_contains_every_domain_pair() -> None:
    cw = reference.crosswalk()
    pairs = {(r["ipc_section"], r["bns_section"]): r for r in cw.iter_rows(named=True)}
    assert set(pairs) >= DOMAIN_PAIRS
    assert {p for p, r in pairs.items() if r["source"] == "DOMAIN_MD"} == DOMAIN_PAIRS
    assert pairs[("124A", "152")]["relation"] == "REPLACEMENT"
    assert set(cw["source"]) == {"DOMAIN_MD", "MHA_TABLE_UNVERIFIED"}
    keys = set(zip(reference.sections()["act"], reference.sections()["section"], strict=True))
    for ipc, bns in pairs:
        assert ("IPC", ipc) in keys
        assert bns is None or ("BNS", bns) in keys


def test_itsso_and_ndso_lists_are_exact() -> None:
    itsso = reference.itsso_sections()
    assert set(itsso.select("act", "section", "law_era").iter_rows()) == ITSSO_EXPECTED
    assert itsso.height == len(ITSSO_EXPECTED)
    assert (itsso["deadline_days"] == 60).all()
    rules = dict(zip(itsso["act"], itsso["deadline_rule"], strict=False))
    assert (
        rules["IPC"] == "CrPC 173(1A)" and rules["BNS"] == "BNSS 193(2)" and rules["POCSO"] == "BNSS 193(2)"
    )
    ndso = reference.ndso_sections()
    assert set(ndso.select("act", "section", "offence_group").iter_rows()) == NDSO_EXPECTED
    assert ndso.height == len(NDSO_EXPECTED)
    # the matching rule: root of an extract section
    roots = {("BNS", "64"), ("IPC", "376DA")}
    assert ("BNS", reference.section_root("64(2)")) in roots
    assert ("IPC", reference.section_root("376DA")) in roots
    assert reference.section_root("3(1)(r)") == "3"
    df = pl.DataFrame({"section": ["70(2)", "376", "303(2)"]}).select(reference.section_root_expr())
    assert df["section"].to_list() == ["70", "376", "303"]


def test_mo_vocabulary() -> None:
    mo = reference.mo_vocabulary()
    assert 60 <= mo.height <= 110
    assert mo.select("field", "code").is_unique().all()
    assert set(mo["field"]) == {
        "place_type",
        "mo_class",
        "entry_method",
        "tools_used",
        "target",
        "time_of_day",
    }
    assert mo["code"].str.contains(r"^[A-Z][A-Z0-9_]*$").all()
    classes = mo.filter(pl.col("field") == "mo_class")
    for code in ("HOUSE_BREAKING_NIGHT", "OTP_FRAUD", "DIGITAL_ARREST_SCAM", "CHAIN_SNATCHING_BIKE"):
        assert code in set(classes["code"])
    # every crime head's MO group has mo_class codes of its own
    groups = set(classes["mo_group"])
    assert set(reference.crime_head_params()["mo_group"]) <= groups


# --------------------------------------------------------------------------- calibration


def test_crime_head_params() -> None:
    p = reference.crime_head_params()
    heads = reference.crime_heads()
    assert set(p["crime_head_code"]) == set(heads["crime_head_code"])
    assert abs(p["national_share"].sum() - 1.0) < 1e-9
    df = p.join(heads.select("crime_head_code", "law_type"), on="crime_head_code")
    for law_type, share, cs_low, cs_high in (("IPC_BNS", 0.611, 0.68, 0.74), ("SLL", 0.389, 0.90, 1.0)):
        g = df.filter(pl.col("law_type") == law_type)
        assert abs(g["national_share"].sum() - share) < 0.005
        cs = (g["national_share"] * g["chargesheet_prob"]).sum() / g["national_share"].sum()
        assert cs_low <= cs <= cs_high, (law_type, cs)
    ipc = df.filter(pl.col("law_type") == "IPC_BNS")
    trials = ipc["national_share"] * ipc["chargesheet_prob"]
    assert 0.50 <= (trials * ipc["conviction_prob"]).sum() / trials.sum() <= 0.58
    conv = dict(zip(p["crime_head_code"], p["conviction_prob"], strict=True))
    assert conv["RAPE"] == pytest.approx(0.27) and conv["MURDER"] == pytest.approx(0.43)
    assert min(conv["GAMBLING"], conv["EXCISE_PROHIBITION"], conv["MV_ACT"]) >= 0.85
    for col in ("unknown_accused_prob", "arrest_prob", "chargesheet_prob", "conviction_prob"):
        assert p[col].is_between(0, 1).all(), col
    assert p["peak_month"].is_between(1, 12).all()


# --------------------------------------------------------------------------- dbt


@pytest.mark.integration
def test_dbt_seed_build_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dbt.cli.main import dbtRunner

    home = tmp_path / "home"
    (home / "warehouse").mkdir(parents=True)
    monkeypatch.setenv("CCTNS_HOME", str(home))
    monkeypatch.delenv("CCTNS_DBT_DUCKDB_PATH", raising=False)
    monkeypatch.setenv("DBT_PROFILES_DIR", str(DBT_PROJECT_DIR))
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    result = dbtRunner().invoke(
        [
            "build",
            "--select",
            "resource_type:seed",
            "--indirect-selection",  # only tests whose every parent is a seed
            "cautious",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
            "--quiet",
        ]
    )
    assert result.exception is None, result.exception
    assert result.success
    statuses = {str(r.status) for r in result.result}
    assert statuses <= {"success", "pass"}, statuses
    n_seeds = sum(1 for r in result.result if r.node.resource_type == "seed")
    assert n_seeds == 11
    assert (home / "warehouse" / "build.duckdb").exists()
