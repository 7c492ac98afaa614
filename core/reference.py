"""Reference data of the warehouse as Polars data frames.

The dbt seeds under ``dbt_project/seeds/`` (built from ``reference_data/`` by
``sample_data.refdata_build``) and the generator's calibration table
``sample_data/calibration/crime_head_params.csv``, read with every column as text first so that
codes keep their leading zeros (state ``01``, district ``001``, police station ``01001``,
sections ``302`` / ``376DA`` / ``303(2)``), then with the numeric and date columns cast. The
seeds' column types are those ``dbt_project/dbt_project.yml`` declares (``+column_types``), read
from that file, so dbt and these loaders cannot disagree. Each loader reads its file once per
process (``functools.cache``); the frames are shared, so transform them into new frames rather
than mutating them.

Meaning of every column: ``dbt_project/seeds/_seeds.yml`` and ``docs/reference_data.md``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Final

import polars as pl
import yaml
from polars.datatypes import DataType

from core.settings import DBT_PROJECT_DIR, REPO_ROOT, SEEDS_DIR

CALIBRATION_DIR: Final = REPO_ROOT / "sample_data" / "calibration"

#: Polars type of each dbt seed column type used in ``dbt_project.yml`` (varchar stays text).
DBT_TYPES: Final[dict[str, type[DataType] | DataType | None]] = {
    "varchar": None,
    "integer": pl.Int64,
    "bigint": pl.Int64,
    "double": pl.Float64,
    "date": pl.Date,
}


def seed_column_types(project_file: Path = DBT_PROJECT_DIR / "dbt_project.yml") -> dict[str, dict[str, str]]:
    """Seed -> column -> dbt type, as declared under ``seeds: cctns: <seed>: +column_types``.

    ``dbt_project.yml`` is the one place seed column types are written; this loader and dbt both
    follow it.
    """
    project = yaml.safe_load(project_file.read_text(encoding="utf-8"))
    seeds = project["seeds"][project["name"]]
    return {
        name: {col: str(t).lower() for col, t in cfg["+column_types"].items()}
        for name, cfg in seeds.items()
        if isinstance(cfg, dict) and "+column_types" in cfg
    }


def _typed(columns: Mapping[str, str]) -> dict[str, type[DataType] | DataType]:
    unknown = set(columns.values()) - set(DBT_TYPES)
    if unknown:
        raise ValueError(f"dbt column types without a Polars type in reference.DBT_TYPES: {sorted(unknown)}")
    return {col: dtype for col, t in columns.items() if (dtype := DBT_TYPES[t]) is not None}


#: Columns that are not text, per file (file stem -> column -> dtype). Everything else is pl.Utf8.
#: The seeds' types are read from ``dbt_project.yml``; the calibration table is not a seed.
TYPED_COLUMNS: Final[dict[str, dict[str, type[DataType] | DataType]]] = {
    **{name: _typed(cols) for name, cols in seed_column_types().items()},
    "crime_head_params": {
        "national_share": pl.Float64,
        "accused_mean": pl.Float64,
        "unknown_accused_prob": pl.Float64,
        "arrest_prob": pl.Float64,
        "median_investigation_days": pl.Int64,
        "chargesheet_prob": pl.Float64,
        "conviction_prob": pl.Float64,
        "median_trial_days": pl.Int64,
        "seasonal_amplitude": pl.Float64,
        "peak_month": pl.Int64,
    },
}

_ROOT_RE: Final = re.compile(r"\(.*$")


def read_typed_csv(path: Path, types: Mapping[str, type[DataType] | DataType]) -> pl.DataFrame:
    """Read a reference CSV: all columns as text, then cast the listed ones (dates are ISO)."""
    df = pl.read_csv(path, infer_schema=False, encoding="utf8")
    missing = set(types) - set(df.columns)
    if missing:
        raise ValueError(f"{path.name}: missing columns {sorted(missing)}")
    casts = [
        pl.col(col).str.to_date("%Y-%m-%d") if dtype == pl.Date else pl.col(col).cast(dtype)
        for col, dtype in types.items()
    ]
    return df.with_columns(casts) if casts else df


def _seed(stem: str) -> pl.DataFrame:
    return read_typed_csv(SEEDS_DIR / f"{stem}.csv", TYPED_COLUMNS[stem])


@cache
def states() -> pl.DataFrame:
    """The 36 States/UTs (``ref_states``): codes, Census 2011, format, geography."""
    return _seed("ref_states")


@cache
def state_population() -> pl.DataFrame:
    """Mid-year population projections 2015-2026 per State (``ref_state_population``)."""
    return _seed("ref_state_population")


@cache
def districts() -> pl.DataFrame:
    """Districts with nationally unique 3-digit codes and HQ coordinates (``ref_districts``)."""
    return _seed("ref_districts")


@cache
def police_stations() -> pl.DataFrame:
    """The 17,074 police stations (``ref_police_stations``); ps_code unique within a State."""
    return _seed("ref_police_stations")


@cache
def acts() -> pl.DataFrame:
    """Act codes of the extract spec with validity dates (``ref_acts``)."""
    return _seed("ref_acts")


@cache
def crime_heads() -> pl.DataFrame:
    """Crime heads (``ref_crime_heads``)."""
    return _seed("ref_crime_heads")


@cache
def sections() -> pl.DataFrame:
    """Sections with crime head, punishment, severity rank and generator weight (``ref_sections``)."""
    return _seed("ref_sections")


@cache
def crosswalk() -> pl.DataFrame:
    """IPC -> BNS correspondence (``ref_ipc_bns_crosswalk``); bns_section null for relation NONE."""
    return _seed("ref_ipc_bns_crosswalk")


@cache
def itsso_sections() -> pl.DataFrame:
    """Sections under the two-month investigation rule (``ref_itsso_sections``); match by root."""
    return _seed("ref_itsso_sections")


@cache
def ndso_sections() -> pl.DataFrame:
    """Sections whose convicts belong in the sexual-offender database (``ref_ndso_sections``)."""
    return _seed("ref_ndso_sections")


@cache
def mo_vocabulary() -> pl.DataFrame:
    """Allowed modus-operandi codes per crime-details field (``ref_mo_vocabulary``)."""
    return _seed("ref_mo_vocabulary")


@cache
def crime_head_params() -> pl.DataFrame:
    """Simulation parameters per crime head (``sample_data/calibration``; not official data)."""
    return read_typed_csv(CALIBRATION_DIR / "crime_head_params.csv", TYPED_COLUMNS["crime_head_params"])


def section_root(section: str) -> str:
    """The section number an ITSSO/NDSO list refers to: the text before the first '('.

    ``64(2)`` -> ``64``; ``376DA`` -> ``376DA``; ``3(1)(r)`` -> ``3``.
    """
    return _ROOT_RE.sub("", section.strip())


def section_root_expr(column: str = "section") -> pl.Expr:
    """Polars expression of :func:`section_root` over a text column."""
    return pl.col(column).str.strip_chars().str.replace(r"\(.*$", "")
