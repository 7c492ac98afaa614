"""The curated data files under reference_data/: sources, keys, and the seed build from them."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import polars as pl
import pytest
import yaml

from core import reference
from core.settings import DBT_PROJECT_DIR, REFERENCE_DATA_DIR, SEEDS_DIR
from sample_data import refdata_build

SOURCES = yaml.safe_load((REFERENCE_DATA_DIR / "sources.yml").read_text(encoding="utf-8"))
CSV_FILES = sorted(name for name in SOURCES if name.endswith(".csv"))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "reference_data"
    shutil.copytree(REFERENCE_DATA_DIR, target)
    return target


# --------------------------------------------------------------------------- sources and keys


def test_every_data_file_is_described_with_its_source() -> None:
    files = {
        p.relative_to(REFERENCE_DATA_DIR).as_posix()
        for p in REFERENCE_DATA_DIR.rglob("*")
        if p.is_file() and p.suffix in {".csv", ".yml"} and p.name != "sources.yml"
    }
    assert files == set(SOURCES)
    assert len(CSV_FILES) >= 12
    for name, entry in SOURCES.items():
        for field in ("title", "source", "as_of", "review"):
            assert str(entry.get(field) or "").strip(), f"{name}: {field}"
        assert entry["kind"] in {"real", "approximate", "synthetic"}, name
        assert isinstance(entry["key"], list), name
    assert all(SOURCES[n]["kind"] == "synthetic" for n in SOURCES if n.startswith("synthetic/"))
    refdata_build.load_sources()  # the build applies the same rules


def test_per_row_sources_are_filled() -> None:
    punishments = _rows(REFERENCE_DATA_DIR / "section_punishment.csv")
    assert punishments and all(r["punishment_source"].strip() for r in punishments)
    crosswalk = _rows(REFERENCE_DATA_DIR / "ipc_bns_crosswalk.csv")
    assert {r["source"] for r in crosswalk} == {"DOMAIN_MD", "MHA_TABLE_UNVERIFIED"}


@pytest.mark.parametrize("name", CSV_FILES)
def test_csv_keys_are_present_and_unique(name: str) -> None:
    key = SOURCES[name]["key"]
    rows = _rows(REFERENCE_DATA_DIR / name)
    assert rows, name
    assert set(key) <= set(rows[0]), name
    keys = [tuple(r[c] for c in key) for r in rows]
    duplicates = {k for k in keys if keys.count(k) > 1}
    assert not duplicates, f"{name}: duplicate keys {sorted(duplicates)[:5]}"
    for r in rows:
        # The one key column allowed blank: a crosswalk row of an IPC section with no BNS successor.
        blank = [c for c in key if not r[c].strip()]
        assert blank in ([], ["bns_section"]), f"{name}: blank key in {r}"
        if blank:
            assert r["relation"] == "NONE", r


def test_data_files_are_utf8_with_unix_line_ends() -> None:
    for path in REFERENCE_DATA_DIR.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            raw.decode("utf-8")
            assert b"\r" not in raw and raw.endswith(b"\n"), path.name


# --------------------------------------------------------------------------- the build


def test_seed_build_is_reproducible(tmp_path: Path) -> None:
    """Building from reference_data/ into an empty folder gives the committed seeds, byte for byte."""
    seeds, calibration = tmp_path / "seeds", tmp_path / "calibration"
    refdata_build.main(["--seeds-dir", str(seeds), "--calibration-dir", str(calibration)])
    built = sorted(p.name for p in seeds.glob("*.csv"))
    assert built == sorted(p.name for p in SEEDS_DIR.glob("*.csv"))
    assert len(built) == 11
    for name in built:
        assert (seeds / name).read_bytes() == (SEEDS_DIR / name).read_bytes(), (
            f"{name} is stale: run `uv run python -m sample_data.refdata_build`"
        )
    committed = refdata_build.CALIBRATION_DIR / "crime_head_params.csv"
    assert (calibration / "crime_head_params.csv").read_bytes() == committed.read_bytes()


def test_an_edit_of_a_data_file_reaches_the_seed(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    path = data / "acts.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Arms Act, 1959", "Arms Act, 1959 (edited)"),
        encoding="utf-8",
    )
    tables, _ = refdata_build.build(data)
    names = {r["act"]: r["act_name"] for r in tables["ref_acts"]}
    assert names["ARMS"] == "Arms Act, 1959 (edited)"


def test_the_build_refuses_a_duplicate_key(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    path = data / "districts.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines[:2], lines[1], *lines[2:]]), encoding="utf-8")
    with pytest.raises(ValueError, match=r"districts\.csv: duplicate key"):
        refdata_build.load(data)


def test_the_build_refuses_a_file_without_source(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    sources = yaml.safe_load((data / "sources.yml").read_text(encoding="utf-8"))
    sources["acts.csv"]["source"] = " "
    (data / "sources.yml").write_text(yaml.safe_dump(sources, sort_keys=False), encoding="utf-8")
    with pytest.raises(ValueError, match=r"acts\.csv needs 'source'"):
        refdata_build.load(data)


def test_the_build_refuses_an_undescribed_file(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    (data / "extra.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"extra\.csv"):
        refdata_build.load(data)


# --------------------------------------------------------------------------- seed column types


def test_seed_column_types_are_declared_once_in_dbt_project_yml() -> None:
    declared = reference.seed_column_types()
    assert set(declared) == {p.stem for p in SEEDS_DIR.glob("*.csv")}
    for stem, columns in declared.items():
        header = (SEEDS_DIR / f"{stem}.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
        assert list(columns) == header, stem
        expected = {c: reference.DBT_TYPES[t] for c, t in columns.items() if t != "varchar"}
        assert reference.TYPED_COLUMNS[stem] == expected, stem
    assert reference.TYPED_COLUMNS["ref_states"]["census2011_population"] == pl.Int64
    assert reference.TYPED_COLUMNS["ref_acts"]["valid_from"] == pl.Date
    assert "state_code" not in reference.TYPED_COLUMNS["ref_states"]


def test_seed_column_types_follow_the_dbt_project_file(tmp_path: Path) -> None:
    text = (DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8")
    changed = tmp_path / "dbt_project.yml"
    changed.write_text(text.replace("        deadline_days: integer", "        deadline_days: double"))
    assert reference.seed_column_types(changed)["ref_itsso_sections"]["deadline_days"] == "double"
    changed.write_text(text.replace("        deadline_days: integer", "        deadline_days: hugeint"))
    with pytest.raises(ValueError, match="hugeint"):
        reference._typed(reference.seed_column_types(changed)["ref_itsso_sections"])
