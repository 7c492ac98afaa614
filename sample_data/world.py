"""The simulated world: every FIR registered in every chosen State, and what happens to it later.

Time is kept as integer minutes (and days) since 1970-01-01 in India Standard Time, so the
whole simulation is NumPy arithmetic. The world starts ``warmup_days`` before the first extract
date: FIRs registered during the warm-up are never uploaded as new, but their later life
(charge-sheet, committal, hearings, judgment) falls inside the extract window and is re-sent,
exactly as a warehouse that starts mid-stream sees a State's data.

Each State has its own NumPy random stream (``[seed, state]``), so generating a subset of
States gives the same data for those States as a national run. Per-FIR attributes are drawn
from the counter-based :class:`~sample_data.rand.Hasher` keyed by the FIR's id, so a document
re-sent months later is rebuilt identically.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl

from core import extract_spec as spec
from core import reference
from sample_data.rand import Hasher

EPOCH = dt.date(1970, 1, 1)
MIN_PER_DAY = 1440
NONE = -1
#: NCRB Crime in India 2022: total cognizable crimes (IPC + SLL) in the year.
NCRB_2022_TOTAL = 5_824_946
BNS_START = dt.date(2024, 7, 1)
BNS_START_DAY = (BNS_START - EPOCH).days

WEEKLY = np.array([1.05, 1.04, 1.03, 1.01, 1.00, 0.97, 0.90])  # Monday..Sunday
WEEKLY = WEEKLY / WEEKLY.mean()
#: Share of registrations per hour of the day (police stations register round the clock,
#: most between late morning and evening).
HOURLY = np.array([2, 1.5, 1, 1, 1, 1.5, 2.5, 4, 5, 6, 7, 7, 7, 6.5, 6.5, 6.5, 6, 6, 5.5, 5, 4.5, 4, 3, 2.5])
HOURLY = HOURLY / HOURLY.sum()

# Station types and the crime groups they take (relative affinity).
PS_TYPES = ("GENERAL", "MAHILA", "CYBER", "GRP", "TRAFFIC")
GROUPS = ("WOMEN", "CYBER", "TRAFFIC", "PROPERTY", "OTHER")
AFFINITY = np.array(
    [
        # WOMEN CYBER TRAFFIC PROPERTY OTHER
        [1.0, 0.3, 1.0, 1.0, 1.0],  # GENERAL
        [8.0, 0.02, 0.01, 0.01, 0.02],  # MAHILA
        [0.02, 25.0, 0.01, 0.02, 0.02],  # CYBER
        [0.2, 0.05, 0.1, 1.0, 0.3],  # GRP
        [0.02, 0.01, 4.0, 0.02, 0.05],  # TRAFFIC
    ]
)

REPORT_TYPES = spec.REPORT_TYPES
RT = {name: i for i, name in enumerate(REPORT_TYPES)}
RESULTS = spec.COURT_RESULTS
RS = {name: i for i, name in enumerate(RESULTS)}


def to_day(d: dt.date) -> int:
    return (d - EPOCH).days


def from_day(day: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(day))


@dataclass(frozen=True)
class GenConfig:
    """Parameters of one ``cctns generate`` run."""

    start: dt.date
    days: int
    scale: float
    states: tuple[str, ...]
    seed: int
    defect_rate: float
    out: Path
    warmup_days: int = 730

    @property
    def first_day(self) -> int:
        return to_day(self.start)

    @property
    def last_day(self) -> int:
        """Last extract day (inclusive)."""
        return self.first_day + self.days - 1

    @property
    def world_start(self) -> int:
        return self.first_day - self.warmup_days


@dataclass
class Reference:
    """Reference data and calibration, as arrays the simulation indexes into."""

    states: pl.DataFrame
    population: pl.DataFrame
    districts: pl.DataFrame
    stations: pl.DataFrame
    heads: pl.DataFrame
    sections: pl.DataFrame
    mo: pl.DataFrame
    acts: pl.DataFrame
    crosswalk: pl.DataFrame

    @classmethod
    def load(cls) -> Reference:
        params = reference.crime_head_params()
        heads = (
            reference.crime_heads()
            .join(params, on="crime_head_code", how="inner")
            .sort("display_order", "crime_head_code")
        )
        stations = reference.police_stations().sort("state_code", "district_code", "ps_code")
        stations = stations.with_row_index("ps_idx")
        return cls(
            states=reference.states().sort("state_code"),
            population=reference.state_population(),
            districts=reference.districts(),
            stations=stations,
            heads=heads.with_row_index("head_idx"),
            sections=reference.sections(),
            mo=reference.mo_vocabulary(),
            acts=reference.acts(),
            crosswalk=reference.crosswalk(),
        )

    @cached_property
    def head_codes(self) -> list[str]:
        return self.heads["crime_head_code"].to_list()

    def head_array(self, column: str) -> npt.NDArray:
        return self.heads[column].to_numpy()

    @cached_property
    def head_group(self) -> npt.NDArray[np.int64]:
        """Station-affinity group of each crime head (index into GROUPS)."""
        out = []
        for row in self.heads.iter_rows(named=True):
            code, cat = row["crime_head_code"], row["ncrb_category"]
            if cat == "CYBER":
                out.append(1)
            elif row["is_crime_against_women"] == "Y":
                out.append(0)
            elif code in ("MV_ACT", "DEATH_NEGLIGENCE", "RASH_DRIVING") or row["mo_group"] == "TRAFFIC":
                out.append(2)
            elif cat == "PROPERTY":
                out.append(3)
            else:
                out.append(4)
        return np.array(out, dtype=np.int64)

    @cached_property
    def head_slow(self) -> npt.NDArray[np.bool_]:
        """Heads typically reported long after the offence (fraud, cruelty, cyber)."""
        slow_words = ("CHEAT", "FORGERY", "BREACH", "CRUELTY", "DOWRY", "CYBER", "IMPERSON", "EXTORTION")
        return np.array(
            [
                row["ncrb_category"] in ("ECONOMIC", "CYBER")
                or any(w in row["crime_head_code"] for w in slow_words)
                for row in self.heads.iter_rows(named=True)
            ]
        )

    @cached_property
    def head_itsso(self) -> npt.NDArray[np.bool_]:
        """Heads whose principal sections fall under the ITSSO two-month rule."""
        itsso = reference.itsso_sections()
        keys = set(zip(itsso["act"].to_list(), itsso["section"].to_list(), strict=True))
        secs = self.sections.with_columns(pl.col("section").str.replace(r"\(.*$", "").alias("root"))
        heads_hit = {
            r["crime_head_code"]
            for r in secs.iter_rows(named=True)
            if (r["act"], r["root"]) in keys and float(r["gen_weight"]) > 0
        }
        return np.array([c in heads_hit for c in self.head_codes])


@dataclass
class StateWorld:
    """All FIRs of one State in the simulated period (NumPy columns, one row per FIR)."""

    state_code: str
    cols: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.cols["reg"]) if self.cols else 0


def _population_share(ref: Reference, years: npt.NDArray[np.int64]) -> dict[str, npt.NDArray[np.float64]]:
    """Each State's expected share of national daily FIRs, per calendar year in ``years``."""
    pop = ref.population
    ymin, ymax = int(pop["year"].min()), int(pop["year"].max())
    cri = dict(zip(ref.states["state_code"].to_list(), ref.states["crime_rate_index"].to_list(), strict=True))
    base = pop.filter(pl.col("year") == 2022)
    denom = sum(p * cri[s] for s, p in zip(base["state_code"], base["population"], strict=True))
    by_state: dict[str, dict[int, float]] = {}
    for s, y, p in pop.select("state_code", "year", "population").iter_rows():
        by_state.setdefault(s, {})[y] = float(p)
    out = {}
    for s, series in by_state.items():
        growth = series[ymax] / series[ymax - 1]
        vals = []
        for y in years:
            if y < ymin:
                v = series[ymin]
            elif y > ymax:
                v = series[ymax] * growth ** (y - ymax)
            else:
                v = series[int(y)]
            vals.append(v * cri[s] / denom)
        out[s] = np.array(vals)
    return out


def simulate_state(cfg: GenConfig, ref: Reference, hasher: Hasher, state_code: str) -> StateWorld:
    """Registrations of one State from the world start to the last extract day."""
    rng = np.random.default_rng([cfg.seed, int(state_code), 1])
    days = np.arange(cfg.world_start, cfg.last_day + 1, dtype=np.int64)
    dates = days.astype("datetime64[D]")
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    doy = (dates - dates.astype("datetime64[Y]")).astype(np.int64)
    month = (dates.astype("datetime64[M]").astype(np.int64) % 12).astype(np.int64)
    dow = (days + 3) % 7  # 1970-01-01 was a Thursday

    uniq_years = np.unique(years)
    share = _population_share(ref, uniq_years)[state_code]
    share_by_day = share[np.searchsorted(uniq_years, years)]
    seasonal = 1.0 + 0.07 * np.cos(2 * np.pi * (doy - 140) / 365.25)
    noise = rng.gamma(400.0, 1.0 / 400.0, size=len(days))
    lam = NCRB_2022_TOTAL / 365.0 * cfg.scale * share_by_day * WEEKLY[dow] * seasonal * noise
    counts = rng.poisson(lam)
    n = int(counts.sum())
    reg_day = np.repeat(days, counts)
    fir_month = np.repeat(month, counts)

    # Crime-head mix: national shares, a stable per-State tilt, and per-head seasonality.
    shares = ref.head_array("national_share").astype(np.float64)
    amp = ref.head_array("seasonal_amplitude").astype(np.float64)
    tilt = np.exp(0.35 * np.random.default_rng([cfg.seed, int(state_code), 2]).standard_normal(len(shares)))
    mid_doy = np.array([15 + 30.4 * m for m in range(12)])
    peak_doy = 15 + 30.4 * (ref.head_array("peak_month").astype(np.float64) - 1)
    season = 1.0 + amp[None, :] * np.cos(2 * np.pi * (mid_doy[:, None] - peak_doy[None, :]) / 365.25)
    p = shares[None, :] * tilt[None, :] * season
    cum = np.cumsum(p / p.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(n)
    head = np.empty(n, dtype=np.int64)
    for m in range(12):
        sel = fir_month == m
        head[sel] = np.minimum(np.searchsorted(cum[m], u[sel], side="right"), len(shares) - 1)

    # Police station, by the station type's affinity for the crime group.
    st = ref.stations.filter(pl.col("state_code") == state_code)
    ps_idx_all = st["ps_idx"].to_numpy().astype(np.int64)
    ps_type = np.array([PS_TYPES.index(t) if t in PS_TYPES else 0 for t in st["ps_type"].to_list()])
    urban = (st["is_urban"] == "Y").to_numpy()
    w_base = np.exp(0.5 * hasher.normal(ps_idx_all, "ps_weight")) * np.where(urban, 1.6, 1.0)
    group = ref.head_group[head]
    ps = np.empty(n, dtype=np.int64)
    u = rng.random(n)
    for g in range(len(GROUPS)):
        sel = group == g
        if not sel.any():
            continue
        w = w_base * AFFINITY[ps_type, g]
        cw = np.cumsum(w) / w.sum()
        ps[sel] = ps_idx_all[np.minimum(np.searchsorted(cw, u[sel], side="right"), len(cw) - 1)]

    # Registration time, offence time and information time (minutes).
    hour = rng.choice(24, size=n, p=HOURLY)
    reg = reg_day * MIN_PER_DAY + hour * 60 + rng.integers(0, 60, size=n)
    slow = ref.head_slow[head]
    delay = np.where(
        slow,
        np.exp(np.log(7 * MIN_PER_DAY) + 1.3 * rng.standard_normal(n)),
        np.exp(np.log(240.0) + 1.2 * rng.standard_normal(n)),
    )
    old = rng.random(n) < np.where(slow, 0.04, 0.008)  # offences reported years later
    delay = np.where(old, rng.uniform(365, 1460, size=n) * MIN_PER_DAY, delay)
    delay = np.maximum(delay, 15).astype(np.int64)
    occ_to = reg - delay
    duration = np.where(slow, rng.integers(0, 30 * MIN_PER_DAY, size=n), rng.integers(0, 180, size=n))
    occ_from = occ_to - duration
    occ_to = np.where(rng.random(n) < 0.15, NONE, occ_to)
    info = reg - rng.integers(0, 90, size=n)
    info = np.maximum(info, np.where(occ_to == NONE, occ_from, occ_to))

    # Zero FIRs: registered at another station first, then transferred to the one with jurisdiction.
    p_zero = np.where(group == 0, 0.015, 0.004)
    twin = np.flatnonzero((rng.random(n) < p_zero) & (reg_day > cfg.world_start + 10))
    general = ps_idx_all[ps_type == 0]
    zps = general[rng.integers(0, len(general), size=len(twin))]
    zps = np.where(zps == ps[twin], general[(np.searchsorted(general, zps) + 1) % len(general)], zps)
    zreg = (
        reg[twin] - rng.integers(1, 10, size=len(twin)) * MIN_PER_DAY - rng.integers(0, 600, size=len(twin))
    )
    occ_to[twin] = np.where(occ_to[twin] == NONE, NONE, np.minimum(occ_to[twin], zreg - 30))
    occ_from[twin] = np.minimum(occ_from[twin], zreg - 60)
    info[twin] = np.maximum(info[twin], occ_from[twin])

    cols = {
        "ps_idx": np.concatenate([ps, zps]),
        "head": np.concatenate([head, head[twin]]),
        "reg": np.concatenate([reg, zreg]),
        "occ_from": np.concatenate([occ_from, occ_from[twin]]),
        "occ_to": np.concatenate([occ_to, occ_to[twin]]),
        "info": np.concatenate([info, np.minimum(zreg - rng.integers(0, 60, size=len(twin)), zreg)]),
        "is_zero": np.concatenate([np.zeros(n, dtype=bool), np.ones(len(twin), dtype=bool)]),
        # For a zero FIR: row of its jurisdiction twin; -1 otherwise (rewritten after sorting).
        "twin_row": np.concatenate([np.full(n, NONE, dtype=np.int64), twin]),
    }
    cols["info"] = np.minimum(cols["info"], cols["reg"])
    keep = cols["reg"] >= cfg.world_start * MIN_PER_DAY
    order = np.lexsort((cols["reg"],))
    order = order[keep[order]]
    remap = np.full(len(keep), NONE, dtype=np.int64)
    remap[order] = np.arange(len(order))
    cols = {k: v[order] for k, v in cols.items()}
    cols["twin_row"] = np.where(cols["twin_row"] == NONE, NONE, remap[np.maximum(cols["twin_row"], 0)])

    # FIR number: serial within police station and calendar year, in registration order.
    year = (cols["reg"] // MIN_PER_DAY).astype("datetime64[D]").astype("datetime64[Y]").astype(
        np.int64
    ) + 1970
    key_order = np.lexsort((cols["reg"], year, cols["ps_idx"]))
    ps_s, yr_s = cols["ps_idx"][key_order], year[key_order]
    new_group = np.ones(len(key_order), dtype=bool)
    new_group[1:] = (ps_s[1:] != ps_s[:-1]) | (yr_s[1:] != yr_s[:-1])
    group_start = np.maximum.accumulate(np.where(new_group, np.arange(len(key_order)), 0))
    serial = np.empty(len(key_order), dtype=np.int64)
    serial[key_order] = np.arange(len(key_order)) - group_start + 1
    if len(serial) and serial.max() > 9999:
        raise ValueError(
            f"State {state_code}: a police station registered {serial.max()} FIRs in one year; "
            "fir_no is 4 digits (EXTRACT_SPEC.md). Lower --scale."
        )
    ps_code = ref.stations["ps_code"].to_numpy()[cols["ps_idx"]].astype(np.int64)
    cols["year"] = year
    cols["fir_no"] = serial
    cols["uid"] = int(state_code) * 10**13 + ps_code * 10**8 + year * 10**4 + serial
    # Content (persons, sections, facts) of a zero FIR is that of its twin.
    cols["content_uid"] = np.where(cols["is_zero"], cols["uid"][np.maximum(cols["twin_row"], 0)], cols["uid"])
    world = StateWorld(state_code, cols)
    add_lifecycle(cfg, ref, hasher, world)
    return world


def add_lifecycle(cfg: GenConfig, ref: Reference, h: Hasher, world: StateWorld) -> None:
    """Schedule what happens to each FIR: arrests, final report, trial, judgment, tombstones."""
    c = world.cols
    uid = c["content_uid"].astype(np.uint64)
    head = c["head"]
    n = len(head)
    reg_day = c["reg"] // MIN_PER_DAY
    hp = {
        name: ref.head_array(name).astype(np.float64)
        for name in (
            "unknown_accused_prob",
            "accused_mean",
            "arrest_prob",
            "median_investigation_days",
            "chargesheet_prob",
            "conviction_prob",
            "median_trial_days",
        )
    }
    p_unknown = hp["unknown_accused_prob"][head]
    unknown = h.uniform(uid, "unknown") < p_unknown
    mean_acc = np.maximum(hp["accused_mean"][head], 1.0)
    n_acc = 1 + np.minimum(
        np.floor(-np.log1p(-h.uniform(uid, "n_acc")) * (mean_acc - 1.0 + 1e-9)).astype(np.int64), 8
    )
    # Investigation: ITSSO offences split between within and beyond two months.
    inv = h.lognormal(uid, "inv_days", hp["median_investigation_days"][head], 0.9)
    itsso = ref.head_itsso[head]
    within = h.uniform(uid, "itsso_within") < 0.55
    inv = np.where(
        itsso,
        np.where(within, 10 + 50 * h.uniform(uid, "itsso_d"), 61 + h.lognormal(uid, "itsso_l", 60, 0.8)),
        inv,
    )
    fr_day = reg_day + np.maximum(np.round(inv), 1).astype(np.int64)
    # Charge-sheet probability given whether the accused were known at registration.
    cs = hp["chargesheet_prob"][head]
    cs_known = np.minimum(cs * (1 - 0.35 * p_unknown) / np.maximum(1 - p_unknown, 1e-6), 0.98)
    p_cs = np.where(unknown, 0.35 * cs, cs_known)
    is_cs = h.uniform(uid, "cs") < p_cs
    fr_unknown = np.array([RT["FR_UNDETECTED"], RT["FR_UNTRACED"], RT["NOT_CHARGESHEETED"]])
    fr_known = np.array(
        [
            RT["FR_FALSE"],
            RT["FR_MISTAKE_OF_FACT"],
            RT["NOT_CHARGESHEETED"],
            RT["FR_CIVIL"],
            RT["FR_MISTAKE_OF_LAW"],
            RT["FR_NON_COGNIZABLE"],
            RT["FR_ABATED"],
        ]
    )
    fr_type = np.where(
        is_cs,
        RT["CHARGESHEET"],
        np.where(
            unknown,
            fr_unknown[h.choice(uid, "fr_u", [0.7, 0.25, 0.05])],
            fr_known[h.choice(uid, "fr_k", [0.3, 0.2, 0.2, 0.1, 0.05, 0.1, 0.05])],
        ),
    )
    # Accused identified later for unknown-accused cases that end in a charge-sheet.
    identified = ~unknown | is_cs
    arrested = identified & (h.uniform(uid, "arrested") < hp["arrest_prob"][head])
    arr_delay = np.where(h.uniform(uid, "arr_same") < 0.4, 0, np.round(h.lognormal(uid, "arr_d", 5, 1.0)))
    arrest_day = np.where(arrested, np.minimum(reg_day + arr_delay.astype(np.int64), fr_day), NONE)
    acc_known_day = np.where(unknown, np.where(arrested, arrest_day, fr_day), reg_day)
    # Supplementary charge-sheet; reopened final reports with a second report.
    supp_day = np.where(
        is_cs & (h.uniform(uid, "supp") < 0.05), fr_day + h.integers(uid, "supp_d", 30, 200), NONE
    )
    reopen = ~is_cs & (h.uniform(uid, "reopen") < 0.02)
    reopen_day = np.where(reopen, fr_day + h.integers(uid, "reopen_d", 30, 365), NONE)
    fr2_day = np.where(
        reopen, reopen_day + np.round(h.lognormal(uid, "fr2_d", 60, 0.6)).astype(np.int64), NONE
    )
    fr2_cs = reopen & (h.uniform(uid, "fr2_cs") < 0.5)
    fr2_type = np.where(reopen, np.where(fr2_cs, RT["CHARGESHEET"], RT["FR_FALSE"]), NONE)
    cs_day = np.where(is_cs, fr_day, np.where(fr2_cs, fr2_day, NONE))
    # Trial.
    commit_day = np.where(cs_day != NONE, cs_day + h.integers(uid, "commit_d", 7, 120), NONE)
    trial_days = np.maximum(
        np.round(h.lognormal(uid, "trial_d", hp["median_trial_days"][head], 0.6)), 30
    ).astype(np.int64)
    disp_day = np.where(commit_day != NONE, commit_day + trial_days, NONE)
    non_trial = h.uniform(uid, "non_trial") < 0.08
    convicted = h.uniform(uid, "convict") < hp["conviction_prob"][head]
    result = np.where(
        non_trial,
        np.array([RS["COMPOUNDED"], RS["WITHDRAWN"], RS["ABATED"]])[
            h.choice(uid, "nt_kind", [0.6, 0.25, 0.15])
        ],
        np.where(
            convicted,
            RS["CONVICTED"],
            np.where(h.uniform(uid, "acq") < 0.85, RS["ACQUITTED"], RS["DISCHARGED"]),
        ),
    )
    n_hear = np.where(commit_day != NONE, np.maximum(1, np.round(trial_days / 45)).astype(np.int64), 0)
    # Tombstones and High Court quashing (terminal).
    exp_day = np.where(h.uniform(uid, "expunge") < 0.0015, reg_day + h.integers(uid, "exp_d", 5, 180), NONE)
    quash = is_cs & (h.uniform(uid, "quash") < 0.003)
    quash_day = np.where(quash, fr_day + h.integers(uid, "quash_d", 3, 60), NONE)
    commit_day = np.where(quash & (commit_day >= quash_day), NONE, commit_day)
    disp_day = np.where(commit_day == NONE, NONE, disp_day)
    n_hear = np.where(commit_day == NONE, 0, n_hear)

    # A zero FIR has no life of its own: it is transferred when its twin is registered.
    zero = c["is_zero"]
    twin = np.maximum(c["twin_row"], 0)
    transfer_day = np.where(zero, reg_day[twin], NONE)
    blank = zero
    for arr in (arrest_day, supp_day, reopen_day, fr2_day, commit_day, disp_day, exp_day, quash_day, fr_day):
        arr[blank] = NONE
    n_hear[blank] = 0

    c.update(
        reg_day=reg_day,
        unknown=unknown,
        n_acc=n_acc,
        acc_known_day=np.where(blank, NONE, acc_known_day),
        arrest_day=arrest_day,
        fr_day=fr_day,
        fr_type=np.where(blank, NONE, fr_type),
        supp_day=supp_day,
        reopen_day=reopen_day,
        fr2_day=fr2_day,
        fr2_type=np.where(blank, NONE, fr2_type),
        commit_day=commit_day,
        disp_day=disp_day,
        result=result,
        n_hear=n_hear,
        exp_day=exp_day,
        quash_day=quash_day,
        transfer_day=transfer_day,
    )
    terminal = np.full(n, np.iinfo(np.int64).max)
    for arr in (exp_day, quash_day, transfer_day):
        terminal = np.where(arr != NONE, np.minimum(terminal, arr), terminal)
    c["terminal_day"] = terminal


def hearing_days(
    h: Hasher, content_uid: npt.NDArray, commit_day: npt.NDArray, disp_day: npt.NDArray, k: npt.NDArray
) -> npt.NDArray[np.int64]:
    """Date of hearing ``k`` (0-based) of each trial: evenly spread with a few days' jitter."""
    n_hear = np.maximum(1, np.round((disp_day - commit_day) / 45)).astype(np.int64)
    span = disp_day - commit_day
    base = commit_day + np.round((k + 1) * span / (n_hear + 1)).astype(np.int64)
    jitter = h.integers(content_uid.astype(np.uint64), "hear_j", -5, 6, k)
    return np.clip(base + jitter, commit_day + 1, disp_day - 1)


HEARING_RESEND_EVERY = 8


def events(cfg: GenConfig, h: Hasher, world: StateWorld) -> pl.DataFrame:
    """Every day on which an FIR document changes, with its version, up to the last extract day.

    Returns rows (row, day, version) for the days inside the extract window only; versions count
    the changes before the window too, so a warm-up FIR first seen at version 4 is consistent.
    """
    c = world.cols
    horizon = cfg.last_day
    n = len(world)
    rows = np.arange(n, dtype=np.int64)
    last_event = np.maximum.reduce(
        [
            c["reg_day"],
            c["fr_day"],
            c["fr2_day"],
            c["disp_day"],
            c["transfer_day"],
            c["exp_day"],
            c["quash_day"],
            c["supp_day"],
        ]
    )
    # FIRs whose whole life ended before the window never appear in an upload.
    live = np.flatnonzero(np.minimum(last_event, c["terminal_day"]) >= cfg.first_day)
    parts = []
    for name in (
        "reg_day",
        "arrest_day",
        "fr_day",
        "supp_day",
        "reopen_day",
        "fr2_day",
        "commit_day",
        "disp_day",
        "exp_day",
        "quash_day",
        "transfer_day",
    ):
        d = c[name][live]
        ok = d != NONE
        parts.append((rows[live][ok], d[ok]))
    # Mid-trial re-sends: every few hearings the accumulated hearings are sent.
    trial = live[(c["commit_day"][live] != NONE) & (c["n_hear"][live] >= HEARING_RESEND_EVERY)]
    if len(trial):
        reps = c["n_hear"][trial] // HEARING_RESEND_EVERY
        tr = np.repeat(trial, reps)
        k = (np.arange(len(tr)) - np.repeat(np.cumsum(reps) - reps, reps) + 1) * HEARING_RESEND_EVERY - 1
        hd = hearing_days(h, c["content_uid"][tr], c["commit_day"][tr], c["disp_day"][tr], k)
        parts.append((tr, hd))
    r = np.concatenate([p[0] for p in parts])
    d = np.concatenate([p[1] for p in parts])
    keep = (d >= c["reg_day"][r]) & (d <= np.minimum(c["terminal_day"][r], horizon))
    ev = (
        pl.DataFrame({"row": r[keep], "day": d[keep]})
        .unique()
        .sort("row", "day")
        .with_columns(version=pl.col("day").rank("ordinal").over("row").cast(pl.Int64))
        .filter(pl.col("day") >= cfg.first_day)
    )
    return ev
