"""Build the reference-data seeds of the warehouse from ``reference_data/``, deterministically.

Run as ``uv run python -m sample_data.refdata_build`` (``--seeds-dir`` / ``--calibration-dir`` to
write elsewhere, e.g. to compare with the committed files). The curated tables are reviewed data
files under ``reference_data/`` (States, districts, acts, crime heads, sections and their maximum
punishments, the IPC/BNS crosswalk, the ITSSO and NDSO lists, the modus-operandi vocabulary; under
``reference_data/synthetic/`` the simulation parameters and the inputs of the synthetic
police-station master), each described, with its source, in ``reference_data/sources.yml``. This
module reads and checks them and derives the rest by documented rules (population projection,
district codes, severity ranks, the police-station master). The only randomness is the synthetic
police-station master, drawn from ``numpy.random.default_rng(RNG_SEED)``: the same files always
give byte-identical output.

Outputs (UTF-8, header row, ``\\n`` line ends, codes as zero-padded strings):

* ``dbt_project/seeds/ref_*.csv`` (the reference seeds, see ``docs/reference_data.md``)
* ``sample_data/calibration/crime_head_params.csv`` (simulation parameters, not official data)
"""

from __future__ import annotations

import argparse
import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from core.settings import REFERENCE_DATA_DIR, REPO_ROOT, SEEDS_DIR

CALIBRATION_DIR = REPO_ROOT / "sample_data" / "calibration"
#: The description of every data file (title, key, kind, source, as_of, review, notes).
SOURCES_YML = "sources.yml"
SOURCE_FIELDS = ("title", "key", "kind", "source", "as_of", "review")
KINDS = ("real", "approximate", "synthetic")
#: The reviewed punishment table (one row per row of sections.csv): maximum punishment class,
#: maximum term in years, add-on flag, whether the value was checked against the statute, and
#: the statute it was read from.
PUNISHMENT_CSV = REFERENCE_DATA_DIR / "section_punishment.csv"

RNG_SEED = 17074
TOTAL_POLICE_STATIONS = 17_074  # CCTNS count of 1 July 2024
MIN_STATIONS_PER_DISTRICT = 3
DEFAULT_URBAN_SHARE = 0.25
#: NCRB Crime in India 2022: 58,24,946 cognizable crimes at a rate of 422.2 per lakh.
NCRB_2022_CASES = 5_824_946
NCRB_2022_RATE = 422.2
#: Share of IPC(+BNS) in all cognizable crimes, NCRB 2022: 35,61,379 of 58,24,946.
IPC_SHARE = 3_561_379 / NCRB_2022_CASES
#: Target of the projection: all-India population on 1 July 2022 (the denominator NCRB implies).
PROJECTION_TARGET_2022 = 1_379_700_000
CENSUS_DATE = date(2011, 3, 1)
PROJECTION_YEARS = range(2015, 2027)
INDIA_CENSUS_2011 = 1_210_854_977
INDIA_CENSUS_2011_FEMALE = 587_584_719

DEATH_YEARS = 99.0
LIFE_YEARS = 80.0
#: Maximum-punishment classes, most serious first. ``as_principal``: the section has no
#: punishment of its own (a liability rule or a definition such as IPC 34, 149, 107, 141; BNS
#: 3(5), 190, 45, 189); it is punished as the offence it is read with.
PUNISHMENT_CLASSES: tuple[str, ...] = ("death", "life", "years", "fine_only", "as_principal")
#: Heads that exist only in BNS: they have generator sections in BNS, none in IPC.
BNS_ONLY_HEADS = frozenset(
    {"MOB_LYNCHING", "ORGANISED_CRIME", "TERRORIST_ACT", "DECEITFUL_SEXUAL_INTERCOURSE"}
)
#: national_share of OTHER_IPC_BNS / OTHER_SLL in the calibration file: whatever makes the totals exact.
REMAINDER = "remainder"
MO_GROUPS = (
    "PROPERTY",
    "VIOLENT",
    "SEXUAL",
    "CYBER_FRAUD",
    "ECONOMIC",
    "PUBLIC_ORDER",
    "TRAFFIC",
    "SLL",
    "ANY",
)
VICTIM_PROFILES = ("NONE", "ANY", "FEMALE", "CHILD", "CHILD_FEMALE", "SCST")
PROPERTY_PROFILES = ("NONE", "VEHICLE", "MOBILE", "CASH", "JEWELLERY", "GENERAL", "DRUGS", "ARMS", "LIQUOR")

Row = dict[str, Any]


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(f"reference data inconsistent: {message}")


# =============================================================================================
# Reading the data files
# =============================================================================================


def load_sources(data_dir: Path = REFERENCE_DATA_DIR) -> dict[str, dict[str, Any]]:
    """``sources.yml``, checked: one complete entry per data file of ``data_dir``, and no other."""
    catalogue = yaml.safe_load((data_dir / SOURCES_YML).read_text(encoding="utf-8"))
    _check(isinstance(catalogue, dict), f"{SOURCES_YML}: a mapping of file -> description")
    files = {
        p.relative_to(data_dir).as_posix()
        for p in data_dir.rglob("*")
        if p.is_file() and p.suffix in {".csv", ".yml", ".yaml"} and p.name != SOURCES_YML
    }
    _check(files == set(catalogue), f"{SOURCES_YML} entries = data files: {sorted(files ^ set(catalogue))}")
    for name, entry in catalogue.items():
        _check(isinstance(entry, dict), f"{SOURCES_YML}: {name}")
        for field in SOURCE_FIELDS:
            value = entry.get(field)
            ok = isinstance(value, list) if field == "key" else bool(str(value or "").strip())
            _check(ok, f"{SOURCES_YML}: {name} needs {field!r}")
        _check(entry["kind"] in KINDS, f"{SOURCES_YML}: {name} kind {entry['kind']!r}")
        _check(bool(entry["key"]) == name.endswith(".csv"), f"{SOURCES_YML}: {name} key (CSV files only)")
    return catalogue


def read_table(data_dir: Path, name: str, key: Sequence[str]) -> list[dict[str, str]]:
    """Rows of a reference CSV as text; the ``key`` columns must exist and identify each row."""
    path = data_dir / name
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        columns = reader.fieldnames or []
    _check(set(key) <= set(columns), f"{name}: key columns {list(key)} missing")
    seen: set[tuple[str, ...]] = set()
    for r in rows:
        _check(None not in r and all(v is not None for v in r.values()), f"{name}: ragged row {r}")
        k = tuple(r[c] for c in key)
        _check(k not in seen, f"{name}: duplicate key {dict(zip(key, k, strict=True))}")
        seen.add(k)
    return rows


def _yn(value: str, where: str) -> str:
    _check(value in ("Y", "N"), f"{where}: Y or N, not {value!r}")
    return value


@dataclass(frozen=True)
class State:
    code: str
    name: str
    state_type: str  # STATE | UT
    region: str
    pop2011: int
    female2011: int
    growth_pct: float  # decadal growth 2001-2011, %
    area: int  # sq km
    crime_rate_index: float
    extract_format: str
    source_system: str
    script: str
    bbox: tuple[float, float, float, float]  # lat_min, lat_max, lon_min, lon_max
    metro_city: str
    note: str
    vehicle_prefix: str


@dataclass(frozen=True)
class DistrictEntry:
    """One row of ``districts.csv`` (the code is assigned from the row order)."""

    state_code: str
    name: str
    hq: str
    lat: float
    lon: float
    big_city: bool
    all_urban: bool


@dataclass(frozen=True)
class CrimeHead:
    code: str
    name: str
    category: str
    law_type: str  # IPC_BNS | SLL
    women: str
    children: str
    ipc_era_head: str  # nearest head for offences committed before 1 Jul 2024
    severity_order: int  # 1 = most serious among equal maximum punishments
    note: str


@dataclass(frozen=True)
class Section:
    act: str
    section: str
    title: str
    head: str
    gen_weight: float
    valid_from: str  # blank = the act's
    valid_to: str  # blank = the act's
    note: str


@dataclass(frozen=True)
class Punishment:
    """One row of :data:`PUNISHMENT_CSV`."""

    max_punishment: str
    max_years: float | None
    addon: str
    verified: str
    source: str
    note: str

    @property
    def rank_years(self) -> float:
        """Years for the severity order: death 99, life 80, a term its years, otherwise 0."""
        if self.max_punishment == "death":
            return DEATH_YEARS
        if self.max_punishment == "life":
            return LIFE_YEARS
        return self.max_years or 0.0


@dataclass(frozen=True)
class StationInputs:
    """Inputs of the synthetic police-station master (``reference_data/synthetic/``)."""

    ps_weights: dict[str, int]
    urban_share: dict[str, float]
    family: dict[str, str]
    main_ps: dict[str, str]
    mahila_ps: dict[str, str]
    urban_localities: dict[str, tuple[str, ...]]
    urban_directions: tuple[str, ...]
    rural_prefixes: dict[str, tuple[str, ...]]
    rural_suffixes: dict[str, tuple[str, ...]]
    lakshadweep: tuple[tuple[str, float, float], ...]


@dataclass(frozen=True)
class ReferenceData:
    """Every curated table, read from the data files and checked row by row."""

    states: tuple[State, ...]
    districts: tuple[DistrictEntry, ...]
    acts: tuple[dict[str, str], ...]
    crime_heads: tuple[CrimeHead, ...]
    sections: tuple[Section, ...]
    punishments: dict[tuple[str, str], Punishment]
    crosswalk: tuple[dict[str, str], ...]
    itsso: tuple[dict[str, str], ...]
    ndso: tuple[dict[str, str], ...]
    mo_vocabulary: tuple[dict[str, str], ...]
    crime_head_params: tuple[dict[str, str], ...]
    stations: StationInputs


def load_punishments(path: Path = PUNISHMENT_CSV) -> dict[tuple[str, str], Punishment]:
    """(act, section) -> Punishment, checked: known class, years iff class ``years``, Y/N flags."""
    out: dict[tuple[str, str], Punishment] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            key = (r["act"], r["section"])
            where = f"{path.name}: {r['act']} {r['section']}"
            _check(key not in out, f"{where}: duplicate")
            _check(
                r["max_punishment"] in PUNISHMENT_CLASSES, f"{where}: max_punishment {r['max_punishment']!r}"
            )
            years = float(r["max_years"]) if r["max_years"] else None
            _check(
                (years is not None) == (r["max_punishment"] == "years")
                and (years is None or 0 < years < LIFE_YEARS),
                f"{where}: max_years must be given (0 < years < 80) exactly when max_punishment is 'years'",
            )
            _check(r["is_addon"] in ("Y", "N") and r["punishment_verified"] in ("Y", "N"), f"{where}: flags")
            _check(
                (r["is_addon"] == "Y") == (r["max_punishment"] == "as_principal"),
                f"{where}: an add-on is exactly a section punished as the offence it is read with",
            )
            _check(bool(r["punishment_source"].strip()), f"{where}: punishment_source")
            out[key] = Punishment(
                r["max_punishment"],
                years,
                r["is_addon"],
                r["punishment_verified"],
                r["punishment_source"],
                r["punishment_note"],
            )
    return out


def _state(r: dict[str, str]) -> State:
    return State(
        code=r["state_code"],
        name=r["state_name"],
        state_type=r["state_type"],
        region=r["region"],
        pop2011=int(r["census2011_population"]),
        female2011=int(r["census2011_female_population"]),
        growth_pct=float(r["decadal_growth_2001_2011_pct"]),
        area=int(r["area_sq_km"]),
        crime_rate_index=float(r["crime_rate_index"]),
        extract_format=r["extract_format"],
        source_system=r["source_system"],
        script=r["script"],
        bbox=(float(r["lat_min"]), float(r["lat_max"]), float(r["lon_min"]), float(r["lon_max"])),
        metro_city=r["metro_city"],
        note=r["note"],
        vehicle_prefix=r["vehicle_reg_prefix"],
    )


def _station_inputs(data_dir: Path, keys: dict[str, list[str]], state_codes: Sequence[str]) -> StationInputs:
    name = "synthetic/police_station_states.csv"
    rows = read_table(data_dir, name, keys[name])
    _check([r["state_code"] for r in rows] == list(state_codes), f"{name}: one row per State, in State order")
    names = yaml.safe_load((data_dir / "synthetic" / "police_station_names.yml").read_text(encoding="utf-8"))
    families = set(names["main_station"])
    for part in ("mahila_station", "urban_localities", "rural_prefixes", "rural_suffixes"):
        _check(set(names[part]) == families, f"police_station_names.yml: {part} per naming family")
    _check({r["naming_family"] for r in rows} <= families, f"{name}: naming_family")
    return StationInputs(
        ps_weights={r["state_code"]: int(r["bprd_ps_weight"]) for r in rows},
        urban_share={r["state_code"]: float(r["urban_share"]) for r in rows if r["urban_share"]},
        family={r["state_code"]: r["naming_family"] for r in rows},
        main_ps=dict(names["main_station"]),
        mahila_ps=dict(names["mahila_station"]),
        urban_localities={k: tuple(v) for k, v in names["urban_localities"].items()},
        urban_directions=tuple(names["urban_directions"]),
        rural_prefixes={k: tuple(v) for k, v in names["rural_prefixes"].items()},
        rural_suffixes={k: tuple(v) for k, v in names["rural_suffixes"].items()},
        lakshadweep=tuple(
            (i["name"], float(i["lat"]), float(i["lon"])) for i in names["lakshadweep_islands"]
        ),
    )


def load(data_dir: Path = REFERENCE_DATA_DIR) -> ReferenceData:
    """Read every data file of ``data_dir`` (checked against ``sources.yml``)."""
    keys = {name: list(entry["key"]) for name, entry in load_sources(data_dir).items()}

    def table(name: str) -> list[dict[str, str]]:
        return read_table(data_dir, name, keys[name])

    states = tuple(_state(r) for r in table("states.csv"))
    districts = tuple(
        DistrictEntry(
            r["state_code"],
            r["district_name"],
            r["hq_town"] or r["district_name"],
            float(r["hq_lat"]),
            float(r["hq_lon"]),
            _yn(r["is_big_city"], f"districts.csv {r['district_name']}") == "Y",
            _yn(r["all_urban_stations"], f"districts.csv {r['district_name']}") == "Y",
        )
        for r in table("districts.csv")
    )
    order = {s.code: i for i, s in enumerate(states)}
    _check(
        all(d.state_code in order for d in districts)
        and [order[d.state_code] for d in districts] == sorted(order[d.state_code] for d in districts),
        "districts.csv: known State codes, grouped in the order of states.csv",
    )
    heads = tuple(
        CrimeHead(
            r["crime_head_code"],
            r["crime_head_name"],
            r["ncrb_category"],
            r["law_type"],
            _yn(r["is_crime_against_women"], f"crime_heads.csv {r['crime_head_code']}"),
            _yn(r["is_crime_against_children"], f"crime_heads.csv {r['crime_head_code']}"),
            r["ipc_era_head"],
            int(r["severity_order"]),
            r["note"],
        )
        for r in table("crime_heads.csv")
    )
    sections = tuple(
        Section(
            r["act"],
            r["section"],
            r["section_title"],
            r["crime_head_code"],
            float(r["gen_weight"]),
            r["valid_from"],
            r["valid_to"],
            r["note"],
        )
        for r in table("sections.csv")
    )
    table("section_punishment.csv")  # duplicate keys and ragged rows; the values are checked below
    return ReferenceData(
        states=states,
        districts=districts,
        acts=tuple(table("acts.csv")),
        crime_heads=heads,
        sections=sections,
        punishments=load_punishments(data_dir / "section_punishment.csv"),
        crosswalk=tuple(table("ipc_bns_crosswalk.csv")),
        itsso=tuple(table("itsso_sections.csv")),
        ndso=tuple(table("ndso_sections.csv")),
        mo_vocabulary=tuple(table("mo_vocabulary.csv")),
        crime_head_params=tuple(table("synthetic/crime_head_params.csv")),
        stations=_station_inputs(data_dir, keys, [s.code for s in states]),
    )


# =============================================================================================
# Builders
# =============================================================================================


def _in_bbox(state: State, lat: float, lon: float) -> bool:
    lat_min, lat_max, lon_min, lon_max = state.bbox
    return lat_min <= lat <= lat_max and lon_min <= lon <= lon_max


def largest_remainder(
    weights: Sequence[float], total: int, minimum: Sequence[int] | None = None
) -> list[int]:
    """Integers proportional to ``weights`` summing exactly to ``total`` (Hamilton's method).

    Entries that would fall below their ``minimum`` are fixed at the minimum and the rest is
    re-apportioned among the others.
    """
    n = len(weights)
    mins = list(minimum) if minimum is not None else [0] * n
    _check(sum(mins) <= total, "minimums exceed the total")
    fixed: dict[int, int] = {}
    while True:
        free = [i for i in range(n) if i not in fixed]
        rest = total - sum(fixed.values())
        w = np.array([weights[i] for i in free], dtype=float)
        quotas = w / w.sum() * rest
        base = np.floor(quotas).astype(int)
        order = np.argsort(-(quotas - base), kind="stable")
        base[order[: rest - int(base.sum())]] += 1
        below = [free[j] for j in range(len(free)) if base[j] < mins[free[j]]]
        if not below:
            result = dict(fixed)
            result.update({free[j]: int(base[j]) for j in range(len(free))})
            return [result[i] for i in range(n)]
        for i in below:
            fixed[i] = mins[i]


def state_rows(states: Sequence[State]) -> list[Row]:
    rows = []
    for s in states:
        lat_min, lat_max, lon_min, lon_max = s.bbox
        rows.append(
            {
                "state_code": s.code,
                "state_name": s.name,
                "state_type": s.state_type,
                "region": s.region,
                "census2011_population": s.pop2011,
                "census2011_female_population": s.female2011,
                "decadal_growth_2001_2011_pct": f"{s.growth_pct:.2f}",
                "area_sq_km": s.area,
                "crime_rate_index": f"{s.crime_rate_index:.2f}",
                "extract_format": s.extract_format,
                "source_system": s.source_system,
                "script": s.script,
                "lat_min": f"{lat_min:.2f}",
                "lat_max": f"{lat_max:.2f}",
                "lon_min": f"{lon_min:.2f}",
                "lon_max": f"{lon_max:.2f}",
                "metro_city": s.metro_city,
                "note": s.note,
                "vehicle_reg_prefix": s.vehicle_prefix,
            }
        )
    return rows


def _years_since_census(when: date) -> float:
    return (when - CENSUS_DATE).days / 365.25


def projected(state: State, k: float, when: date) -> float:
    """Damped exponential projection: P(t) = P2011 * exp(k * ln(1 + g/100) / 10 * t)."""
    rate = k * math.log1p(state.growth_pct / 100) / 10
    return state.pop2011 * math.exp(rate * _years_since_census(when))


def solve_damping_factor(
    target: float = PROJECTION_TARGET_2022, states: Sequence[State] | None = None
) -> float:
    """The single k with sum over States of P_s(1 July 2022) == target (bisection; monotone in k)."""
    states = load().states if states is None else states
    when = date(2022, 7, 1)
    lo, hi = 0.0, 2.0
    for _ in range(200):
        mid = (lo + hi) / 2
        total = sum(projected(s, mid, when) for s in states)
        lo, hi = (mid, hi) if total < target else (lo, mid)
    return (lo + hi) / 2


def population_rows(states: Sequence[State], k: float) -> list[Row]:
    rows = []
    for s in states:
        share = s.female2011 / s.pop2011
        for year in PROJECTION_YEARS:
            pop = projected(s, k, date(year, 7, 1))
            rows.append(
                {
                    "state_code": s.code,
                    "year": year,
                    "population": round(pop),
                    "female_population": round(pop * share),
                    "method": f"census2011_exp_damped_k{k:.6f}",
                }
            )
    return rows


@dataclass(frozen=True)
class District:
    state_code: str
    index: int  # 1-based within the State
    code: str
    name: str
    hq: str
    lat: float
    lon: float
    big_city: bool
    all_urban: bool


def districts(ref: ReferenceData) -> list[District]:
    """Districts with their codes: 001.. in file order, index 1.. within the State."""
    out: list[District] = []
    by_code = {s.code: s for s in ref.states}
    within: dict[str, int] = {}
    for number, e in enumerate(ref.districts, start=1):
        within[e.state_code] = within.get(e.state_code, 0) + 1
        d = District(
            e.state_code,
            within[e.state_code],
            f"{number:03d}",
            e.name,
            e.hq,
            e.lat,
            e.lon,
            e.big_city,
            e.all_urban,
        )
        state = by_code[e.state_code]
        _check(_in_bbox(state, d.lat, d.lon), f"district HQ {d.name} outside the bbox of {state.name}")
        out.append(d)
    return out


def district_rows(ds: Iterable[District]) -> list[Row]:
    return [
        {
            "state_code": d.state_code,
            "district_code": d.code,
            "district_name": d.name,
            "hq_lat": f"{d.lat:.4f}",
            "hq_lon": f"{d.lon:.4f}",
            "hq_town": d.hq,
            "is_big_city": "Y" if d.big_city else "N",
        }
        for d in ds
    ]


def state_station_counts(
    states: Sequence[State], ds: Sequence[District], inputs: StationInputs
) -> dict[str, int]:
    n_districts = {s.code: sum(1 for d in ds if d.state_code == s.code) for s in states}
    counts = largest_remainder(
        [inputs.ps_weights[s.code] for s in states],
        TOTAL_POLICE_STATIONS,
        [MIN_STATIONS_PER_DISTRICT * n_districts[s.code] for s in states],
    )
    return {s.code: c for s, c in zip(states, counts, strict=True)}


class _NameMaker:
    """Unique, plausible station names within one district."""

    def __init__(self, family: str, inputs: StationInputs, rng: np.random.Generator) -> None:
        self.family = family
        self.inputs = inputs
        self.rng = rng
        self.used: set[str] = set()

    def take(self, name: str) -> str:
        candidate, n = name, 1
        while candidate in self.used:
            n += 1
            candidate = f"{name} {n}"
        self.used.add(candidate)
        return candidate

    def urban(self, pool: list[str], hq: str) -> str:
        """Next unused locality; then localities with a direction ("Anna Nagar East"); then numbered."""
        while pool:
            name = pool.pop()
            if name not in self.used:
                return self.take(name)
        directions = self.inputs.urban_directions
        localities = [
            loc
            for loc in self.inputs.urban_localities[self.family]
            if loc.split()[-1] not in {*directions, "Town"} and not any(ch.isdigit() for ch in loc)
        ]
        for _ in range(50):
            base = localities[int(self.rng.integers(len(localities)))]
            name = f"{base} {directions[int(self.rng.integers(len(directions)))]}"
            if name not in self.used:
                return self.take(name)
        return self.take(f"{hq} Urban")

    def rural(self) -> str:
        prefixes = self.inputs.rural_prefixes[self.family]
        suffixes = self.inputs.rural_suffixes[self.family]
        for _ in range(50):
            name = (
                prefixes[int(self.rng.integers(len(prefixes)))]
                + suffixes[int(self.rng.integers(len(suffixes)))]
            )
            if name not in self.used:
                return self.take(name)
        return self.take(prefixes[0] + suffixes[0])


def police_station_rows(
    states: Sequence[State], ds: Sequence[District], inputs: StationInputs, rng: np.random.Generator
) -> list[Row]:
    """The synthetic police-station master (docs/reference_data.md, "ref_police_stations")."""
    state_by_code = {s.code: s for s in states}
    per_state = state_station_counts(states, ds, inputs)
    island_xy = {name: (lat, lon) for name, lat, lon in inputs.lakshadweep}
    rows: list[Row] = []
    for s in states:
        family = inputs.family[s.code]
        sds = [d for d in ds if d.state_code == s.code]
        weights = [float(np.exp(rng.normal(0.0, 0.3))) * (2.0 if d.big_city else 1.0) for d in sds]
        counts = largest_remainder(weights, per_state[s.code], [MIN_STATIONS_PER_DISTRICT] * len(sds))
        primary = max(range(len(sds)), key=lambda i: (counts[i], -i))
        spread = min(max(math.sqrt(s.area / len(sds)) / 111 * 0.35, 0.01), 0.25)
        all_urban_state = inputs.urban_share.get(s.code) == 1.0
        for i, (d, n) in enumerate(zip(sds, counts, strict=True)):
            big = d.big_city
            names = _NameMaker(family, inputs, rng)
            plan: list[tuple[str, str, str]] = []  # name, ps_type, is_urban
            main = d.hq if s.code == "31" else inputs.main_ps[family].format(hq=d.hq, district=d.name)
            plan.append((names.take(main), "GENERAL", "Y"))
            if i == primary or n >= 5:
                plan.append(
                    (names.take(inputs.mahila_ps[family].format(hq=d.hq, district=d.name)), "MAHILA", "Y")
                )
            if i == primary or n >= 10:
                plan.append((names.take(f"Cyber Crime PS {d.name}"), "CYBER", "Y"))
            if big and n >= 20:
                plan.append((names.take(f"Traffic PS {d.hq}"), "TRAFFIC", "Y"))
            if n >= 14 and (big or rng.random() < 0.5):
                plan.append((names.take(f"GRP {d.hq}"), "GRP", "Y"))
            _check(len(plan) <= n, f"too few stations for the fixed ones in {d.name}")
            remaining = n - len(plan)
            if s.code == "31":
                islands = [name for name, _, _ in inputs.lakshadweep if name != d.hq]
                plan += [(names.take(islands[j % len(islands)]), "GENERAL", "N") for j in range(remaining)]
            else:
                if all_urban_state or d.all_urban:
                    share = 1.0
                elif big:
                    share = 0.75
                else:
                    share = inputs.urban_share.get(s.code, DEFAULT_URBAN_SHARE)
                n_urban = round(remaining * share)
                pool = list(inputs.urban_localities[family])
                pool = [pool[j] for j in rng.permutation(len(pool))]
                plan += [(names.urban(pool, d.hq), "GENERAL", "Y") for _ in range(n_urban)]
                plan += [(names.rural(), "GENERAL", "N") for _ in range(remaining - n_urban)]
            for j, (name, ps_type, urban) in enumerate(plan, start=1):
                if s.code == "31" and name in island_xy:
                    lat, lon = island_xy[name]
                else:
                    sd = spread * (0.6 if all_urban_state else 0.25) if urban == "Y" else spread
                    if s.code == "31":
                        sd = 0.004
                    lat = d.lat + rng.normal(0.0, sd)
                    lon = d.lon + rng.normal(0.0, sd)
                lat_min, lat_max, lon_min, lon_max = state_by_code[s.code].bbox
                lat = min(max(lat, lat_min + 1e-4), lat_max - 1e-4)
                lon = min(max(lon, lon_min + 1e-4), lon_max - 1e-4)
                rows.append(
                    {
                        "state_code": s.code,
                        "district_code": d.code,
                        "ps_code": f"{d.index:02d}{j:03d}",
                        "ps_name": name,
                        "ps_type": ps_type,
                        "is_urban": urban,
                        "lat": f"{lat:.6f}",
                        "lon": f"{lon:.6f}",
                    }
                )
    return rows


def _tiebreak(head: CrimeHead) -> int:
    return 100 - head.severity_order


def severity_rank(max_years: float, head: CrimeHead) -> int:
    """Whole months of the maximum punishment * 100 + the head's tie-break (0..99).

    Death = 99 years, life = 80 years, fine only or "as for the principal offence" = 0, so the
    order is: death > life > longer terms > shorter terms > fine; equal maxima are ordered by
    the heads' ``severity_order`` (murder first).
    """
    return round(max_years * 12) * 100 + _tiebreak(head)


def crime_head_rows(heads: Sequence[CrimeHead]) -> list[Row]:
    return [
        {
            "crime_head_code": h.code,
            "crime_head_name": h.name,
            "ncrb_category": h.category,
            "law_type": h.law_type,
            "is_crime_against_women": h.women,
            "is_crime_against_children": h.children,
            "display_order": i,
            "ipc_era_head": h.ipc_era_head,
            "severity_tiebreak": _tiebreak(h),
            "note": h.note,
        }
        for i, h in enumerate(heads, start=1)
    ]


def _years_text(years: float | None) -> str:
    return "" if years is None else f"{years:.4f}".rstrip("0").rstrip(".")


def section_rows(ref: ReferenceData) -> list[Row]:
    acts = {a["act"]: a for a in ref.acts}
    heads = {h.code: h for h in ref.crime_heads}
    pun = ref.punishments
    keys = [(s.act, s.section) for s in ref.sections]
    _check(set(keys) == set(pun), f"{PUNISHMENT_CSV.name} rows = sections.csv rows: {set(keys) ^ set(pun)}")
    rows = []
    for s in ref.sections:
        _check(s.act in acts and s.head in heads, f"section {s.act} {s.section}: act and crime head")
        p = pun[(s.act, s.section)]
        rows.append(
            {
                "act": s.act,
                "section": s.section,
                "section_title": s.title,
                "crime_head_code": s.head,
                "max_punishment": p.max_punishment,
                "max_years": _years_text(p.max_years),
                "max_punishment_years": _years_text(p.rank_years),
                "severity_rank": severity_rank(p.rank_years, heads[s.head]),
                "is_addon": p.addon,
                "punishment_verified": p.verified,
                "punishment_source": p.source,
                "punishment_note": p.note,
                "gen_weight": f"{s.gen_weight:g}",
                "valid_from": s.valid_from or acts[s.act]["valid_from"],
                "valid_to": s.valid_to or acts[s.act]["valid_to"],
                "note": s.note,
            }
        )
    return rows


def crime_head_param_rows(ref: ReferenceData) -> list[Row]:
    law_type = {h.code: h.law_type for h in ref.crime_heads}
    params = {r["crime_head_code"]: r for r in ref.crime_head_params}
    _check(set(params) == set(law_type), "calibration rows = crime heads")
    fixed = {"IPC_BNS": 0.0, "SLL": 0.0}
    for code, r in params.items():
        if r["national_share"] != REMAINDER:
            fixed[law_type[code]] += float(r["national_share"])
    _check(
        {c for c, r in params.items() if r["national_share"] == REMAINDER} == {"OTHER_IPC_BNS", "OTHER_SLL"},
        f"national_share {REMAINDER!r} exactly for OTHER_IPC_BNS and OTHER_SLL",
    )
    remainder = {"OTHER_IPC_BNS": round(IPC_SHARE - fixed["IPC_BNS"], 6)}
    remainder["OTHER_SLL"] = round(1.0 - fixed["IPC_BNS"] - fixed["SLL"] - remainder["OTHER_IPC_BNS"], 6)
    rows = []
    for h in ref.crime_heads:
        r = params[h.code]
        share = remainder[h.code] if r["national_share"] == REMAINDER else float(r["national_share"])
        rows.append(
            {
                "crime_head_code": h.code,
                "national_share": f"{share:.6f}",
                "victim_profile": r["victim_profile"],
                "property_profile": r["property_profile"],
                "mo_group": r["mo_group"],
                "accused_mean": f"{float(r['accused_mean']):.2f}",
                "unknown_accused_prob": f"{float(r['unknown_accused_prob']):.2f}",
                "arrest_prob": f"{float(r['arrest_prob']):.2f}",
                "median_investigation_days": int(r["median_investigation_days"]),
                "chargesheet_prob": f"{float(r['chargesheet_prob']):.2f}",
                "conviction_prob": f"{float(r['conviction_prob']):.2f}",
                "median_trial_days": int(r["median_trial_days"]),
                "seasonal_amplitude": f"{float(r['seasonal_amplitude']):.2f}",
                "peak_month": int(r["peak_month"]),
            }
        )
    return rows


# =============================================================================================
# Validation and output
# =============================================================================================


def validate(ref: ReferenceData, tables: dict[str, list[Row]]) -> None:
    """Cross-table consistency; raises ValueError on the first problem."""
    states = tables["ref_states"]
    codes = [r["state_code"] for r in states]
    _check(len(codes) == 36 and len(set(codes)) == 36, "36 distinct States/UTs")
    _check(sum(s.pop2011 for s in ref.states) == INDIA_CENSUS_2011, "Census 2011 total")
    _check(sum(s.female2011 for s in ref.states) == INDIA_CENSUS_2011_FEMALE, "Census 2011 female total")
    heads = {r["crime_head_code"] for r in tables["ref_crime_heads"]}
    _check(
        sorted(h.severity_order for h in ref.crime_heads) == list(range(1, len(heads) + 1)),
        "crime_heads.csv severity_order: a permutation of 1..n",
    )
    acts = {r["act"] for r in tables["ref_acts"]}
    keys = [(r["act"], r["section"]) for r in tables["ref_sections"]]
    _check(len(keys) == len(set(keys)), "unique (act, section)")
    section_keys = set(keys)
    for r in tables["ref_sections"]:
        _check(r["act"] in acts and r["crime_head_code"] in heads, f"section {r['act']} {r['section']}")
    for r in tables["ref_ipc_bns_crosswalk"]:
        _check(("IPC", r["ipc_section"]) in section_keys, f"crosswalk IPC {r['ipc_section']}")
        _check(
            not r["bns_section"] or ("BNS", r["bns_section"]) in section_keys,
            f"crosswalk BNS {r['bns_section']}",
        )
    for name in ("ref_itsso_sections", "ref_ndso_sections"):
        for r in tables[name]:
            _check((r["act"], r["section"]) in section_keys, f"{name} {r['act']} {r['section']}")
    for h in ref.crime_heads:
        acts_with_weight = {s.act for s in ref.sections if s.head == h.code and s.gen_weight > 0}
        if h.law_type == "IPC_BNS":
            expected = {"BNS"} if h.code in BNS_ONLY_HEADS else {"IPC", "BNS"}
            _check(acts_with_weight == expected, f"generator sections of {h.code}: {acts_with_weight}")
        else:
            _check(len(acts_with_weight) == 1, f"generator sections of {h.code}")
    stations = tables["ref_police_stations"]
    _check(len(stations) == TOTAL_POLICE_STATIONS, "17,074 police stations")
    ps_keys = [(r["state_code"], r["ps_code"]) for r in stations]
    _check(len(set(ps_keys)) == len(ps_keys), "ps_code unique within State")
    for code in codes:
        types = {r["ps_type"] for r in stations if r["state_code"] == code}
        _check({"MAHILA", "CYBER"} <= types, f"MAHILA and CYBER stations in {code}")
    mo_groups = {r["mo_group"] for r in tables["ref_mo_vocabulary"]}
    for r in tables["crime_head_params"]:
        _check(
            r["mo_group"] in mo_groups and r["mo_group"] in MO_GROUPS, f"mo_group of {r['crime_head_code']}"
        )
        _check(
            r["victim_profile"] in VICTIM_PROFILES and r["property_profile"] in PROPERTY_PROFILES,
            f"profiles of {r['crime_head_code']}",
        )
    total_share = sum(float(r["national_share"]) for r in tables["crime_head_params"])
    _check(abs(total_share - 1.0) < 1e-9, f"national_share sums to {total_share}")


def render_csv(rows: Sequence[Row]) -> str:
    """CSV text of ``rows``: header from the first row's keys, RFC 4180 quoting, ``\n`` line ends."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def output_path(name: str, seeds_dir: Path = SEEDS_DIR, calibration_dir: Path = CALIBRATION_DIR) -> Path:
    """Where table ``name`` is written: the calibration folder or the dbt seeds."""
    return (calibration_dir if name == "crime_head_params" else seeds_dir) / f"{name}.csv"


def write_csv(path: Path, rows: Sequence[Row]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_csv(rows).encode("utf-8"))


def build(data_dir: Path = REFERENCE_DATA_DIR) -> tuple[dict[str, list[Row]], float]:
    """All tables, keyed by file stem, and the damping factor k."""
    return build_from(load(data_dir))


def build_from(ref: ReferenceData) -> tuple[dict[str, list[Row]], float]:
    """All tables of already loaded reference data, validated, and the damping factor k."""
    rng = np.random.default_rng(RNG_SEED)
    k = solve_damping_factor(states=ref.states)
    ds = districts(ref)
    tables: dict[str, list[Row]] = {
        "ref_states": state_rows(ref.states),
        "ref_state_population": population_rows(ref.states, k),
        "ref_districts": district_rows(ds),
        "ref_police_stations": police_station_rows(ref.states, ds, ref.stations, rng),
        "ref_acts": [dict(r) for r in ref.acts],
        "ref_crime_heads": crime_head_rows(ref.crime_heads),
        "ref_sections": section_rows(ref),
        "ref_ipc_bns_crosswalk": [dict(r) for r in ref.crosswalk],
        "ref_itsso_sections": [dict(r) for r in ref.itsso],
        "ref_ndso_sections": [dict(r) for r in ref.ndso],
        "ref_mo_vocabulary": [dict(r) for r in ref.mo_vocabulary],
        "crime_head_params": crime_head_param_rows(ref),
    }
    validate(ref, tables)
    return tables, k


def calibration_summary(params: Sequence[Row], heads: Sequence[CrimeHead]) -> dict[str, float]:
    """National rates implied by the calibration table (registrations ~ disposals ~ trials)."""
    law_type = {h.code: h.law_type for h in heads}
    out: dict[str, float] = {}
    for lt in ("IPC_BNS", "SLL"):
        rows = [r for r in params if law_type[r["crime_head_code"]] == lt]
        share = sum(float(r["national_share"]) for r in rows)
        cs = sum(float(r["national_share"]) * float(r["chargesheet_prob"]) for r in rows)
        conv = sum(
            float(r["national_share"]) * float(r["chargesheet_prob"]) * float(r["conviction_prob"])
            for r in rows
        )
        out[f"{lt}_share"] = share
        out[f"{lt}_chargesheet_rate"] = cs / share
        out[f"{lt}_conviction_rate"] = conv / cs
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m sample_data.refdata_build", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--data-dir", type=Path, default=REFERENCE_DATA_DIR, help="the curated data files")
    parser.add_argument("--seeds-dir", type=Path, default=SEEDS_DIR, help="where the ref_*.csv seeds go")
    parser.add_argument("--calibration-dir", type=Path, default=CALIBRATION_DIR, help="crime_head_params.csv")
    args = parser.parse_args(argv)
    ref = load(args.data_dir)
    tables, k = build_from(ref)
    for name, rows in tables.items():
        path = output_path(name, args.seeds_dir, args.calibration_dir)
        write_csv(path, rows)
        print(f"{name:28s} {len(rows):6d} rows -> {path}")
    pop_2022 = sum(r["population"] for r in tables["ref_state_population"] if r["year"] == 2022)
    print(
        f"damping factor k = {k:.6f}; India 1 Jul 2022 = {pop_2022:,} "
        f"(NCRB-implied {NCRB_2022_CASES / NCRB_2022_RATE * 1e5:,.0f})"
    )
    states = ref.states
    weighted = sum(s.crime_rate_index * projected(s, k, date(2022, 7, 1)) for s in states) / sum(
        projected(s, k, date(2022, 7, 1)) for s in states
    )
    print(f"population-weighted crime_rate_index = {weighted:.3f}")
    for key, value in calibration_summary(tables["crime_head_params"], ref.crime_heads).items():
        print(f"{key:28s} {value:.3f}")


if __name__ == "__main__":
    main()
