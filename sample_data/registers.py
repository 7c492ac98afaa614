"""Missing-person reports and unidentified dead bodies (UIDB), some of which are the same people.

NCRB's matching aid compares missing persons with unidentified bodies on gender, age band,
height, complexion, identification marks, dates and place. Here a share of the bodies found in
a State are people reported missing there earlier and never traced; the body record carries
their attributes as a doctor and an investigating officer would estimate them (an age band,
height within a few centimetres, the same or a near complexion, the mark when it is visible).
The pairs are written to the ground truth, never into the uploads.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from sample_data import vocab
from sample_data.documents import Builder, days_to_date, frame, take, zfill
from sample_data.world import GenConfig, Reference

#: National daily volumes at --scale 1 (NCRB orders of magnitude: ~7 lakh missing-person
#: reports and ~40,000 unidentified bodies a year).
MISSING_PER_DAY = 1900.0
UIDB_PER_DAY = 110.0
UIDB_MATCH_SHARE = 0.25


def _pop_share(ref: Reference, state: str) -> float:
    pop = ref.population.filter(pl.col("year") == 2022)
    total = float(pop["population"].sum())
    return float(pop.filter(pl.col("state_code") == state)["population"].sum()) / total


def _serials(ps: np.ndarray, year: np.ndarray) -> np.ndarray:
    """Serial number within (police station, year), in input order (input sorted by time)."""
    df = pl.DataFrame({"ps": ps, "year": year}).with_columns(
        serial=pl.int_range(1, pl.len() + 1).over("ps", "year")
    )
    return df["serial"].to_numpy()


def simulate_registers(
    cfg: GenConfig, b: Builder, state: str
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(missing_person rows, unidentified_body rows, ground-truth matches) for one State.

    The row tables carry ``_day`` (upload day) and are in the cas_csv column order.
    """
    ref, h = b.ref, b.h
    rng = np.random.default_rng([cfg.seed, int(state), 3])
    days = np.arange(cfg.first_day, cfg.last_day + 1, dtype=np.int64)
    share = _pop_share(ref, state)
    st = ref.stations.filter((pl.col("state_code") == state) & (pl.col("ps_type") == "GENERAL"))
    ps_idx = st["ps_idx"].to_numpy().astype(np.int64)
    arrays = b.st_arrays

    # --- missing persons ---
    n_mp = rng.poisson(MISSING_PER_DAY * cfg.scale * share, size=len(days))
    mp_day = np.repeat(days, n_mp)
    m = len(mp_day)
    mp_ps = ps_idx[rng.integers(0, len(ps_idx), size=m)]
    mp_year = mp_day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    serial = _serials(mp_ps, mp_year)
    mp_uid = (
        int(state) * 10**13 + arrays["ps_code"][mp_ps].astype(np.int64) * 10**8 + mp_year * 10**4 + serial
    ).astype(np.uint64)
    female = h.uniform(mp_uid, "mp_f") < 0.58
    child = h.uniform(mp_uid, "mp_child") < 0.22
    age = np.where(child, h.integers(mp_uid, "mp_age_c", 5, 18), h.integers(mp_uid, "mp_age", 18, 80))
    height = np.where(
        child,
        h.integers(mp_uid, "mp_ht_c", 100, 160),
        np.where(female, h.integers(mp_uid, "mp_ht", 145, 172), h.integers(mp_uid, "mp_ht", 155, 186)),
    )
    complexion = take(vocab.COMPLEXIONS, h.integers(mp_uid, "mp_cx", 0, 1 << 20))
    marks = np.where(
        h.uniform(mp_uid, "mp_has_mk") < 0.7,
        take(vocab.MARKS, h.integers(mp_uid, "mp_mk", 0, 1 << 20)),
        None,
    )
    names = b.names(mp_uid, "missing", female, np.full(m, state, dtype=object))
    name = (names["gl"] + " " + names["sl"]).astype(object)
    last_seen = mp_day - h.integers(mp_uid, "mp_seen", 0, 6)
    place = (
        take(vocab.LOCALITIES, h.integers(mp_uid, "mp_place", 0, 1 << 20))
        + ", "
        + arrays["district_name"][mp_ps].astype(object)
    )
    traced_day = mp_day + np.round(h.lognormal(mp_uid, "mp_traced", 20, 1.2)).astype(np.int64) + 1
    traced = h.uniform(mp_uid, "mp_is_traced") < 0.65

    # --- unidentified bodies ---
    n_ub = rng.poisson(UIDB_PER_DAY * cfg.scale * share, size=len(days))
    ub_day = np.repeat(days, n_ub)
    u = len(ub_day)
    ub_ps = ps_idx[rng.integers(0, len(ps_idx), size=u)]
    ub_year = ub_day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    ub_serial = _serials(ub_ps, ub_year)
    ub_uid = (
        int(state) * 10**13
        + arrays["ps_code"][ub_ps].astype(np.int64) * 10**8
        + ub_year * 10**4
        + ub_serial
        + 5000
    ).astype(np.uint64)
    # Which bodies are of people reported missing earlier (and never traced)?
    want = h.uniform(ub_uid, "ub_match") < UIDB_MATCH_SHARE
    lo = np.searchsorted(mp_day, ub_day - 180)
    hi = np.searchsorted(mp_day, ub_day)  # reported strictly before the body was found
    span = hi - lo
    pick = lo + h.integers(ub_uid, "ub_pick", 0, np.maximum(span, 1))
    match = want & (span > 0)
    src = np.where(match, pick, -1)
    # A person can be found only once: keep the first body per missing person.
    seen: set[int] = set()
    for i in np.flatnonzero(match):
        if src[i] in seen:
            match[i] = False
            src[i] = -1
        else:
            seen.add(int(src[i]))
    traced[src[match]] = False
    sm = np.maximum(src, 0)

    def of_match(a: np.ndarray) -> np.ndarray:
        """The missing person's value for each body (a filler where there is no match).

        With no missing-person report in the window there is nothing to match (``match`` is all
        False), but ``np.where`` still evaluates both branches: fill instead of indexing into
        an empty array.
        """
        return a[sm] if len(a) else np.zeros(u, dtype=a.dtype)

    true_female = np.where(match, of_match(female), h.uniform(ub_uid, "ub_f") < 0.3)
    true_age = np.where(
        match, of_match(age) + (ub_day - of_match(mp_day)) // 365, h.integers(ub_uid, "ub_age", 15, 85)
    )
    band = 5 + 5 * h.integers(ub_uid, "ub_band", 0, 2)
    age_low = np.maximum(0, true_age - h.integers(ub_uid, "ub_lo", 0, band))
    age_high = age_low + band
    ub_height = np.where(match, of_match(height), h.integers(ub_uid, "ub_ht", 140, 186)) + h.integers(
        ub_uid, "ub_ht_err", -3, 4
    )
    ub_cx = np.where(
        match & (h.uniform(ub_uid, "ub_cx_same") < 0.8),
        of_match(complexion),
        take(vocab.COMPLEXIONS, h.integers(ub_uid, "ub_cx", 0, 1 << 20)),
    )
    ub_marks = np.where(
        match,
        np.where(h.uniform(ub_uid, "ub_mk_vis") < 0.7, of_match(marks), None),
        np.where(
            h.uniform(ub_uid, "ub_has_mk") < 0.3,
            take(vocab.MARKS, h.integers(ub_uid, "ub_mk", 0, 1 << 20)),
            None,
        ),
    )
    lat = np.round(arrays["lat"][ub_ps] + 0.04 * h.normal(ub_uid, "ub_lat"), 6)
    lon = np.round(arrays["lon"][ub_ps] + 0.04 * h.normal(ub_uid, "ub_lon"), 6)
    found_place = (
        np.array(
            [
                "Near canal",
                "Railway track",
                "Roadside",
                "River bank",
                "Abandoned building",
                "Forest area",
                "Bus stand",
            ],
            dtype=object,
        )[h.integers(ub_uid, "ub_place", 0, 7)]
        + ", "
        + take(vocab.LOCALITIES, h.integers(ub_uid, "ub_loc", 0, 1 << 20))
    )

    # Documents: new reports (v1), traced updates (v2); bodies (v1) and post-mortem revisions (v2).
    mp_base = frame(
        {
            "state_code": np.full(m, state, dtype=object),
            "district_code": arrays["district_code"][mp_ps],
            "ps_code": arrays["ps_code"][mp_ps],
            "report_no": np.char.add(
                np.char.add(zfill(serial.astype(str), 5), "/"), mp_year.astype(str)
            ).astype(object),
            "report_date": mp_day,
            "name": name,
            "gender": np.where(female, "F", "M").astype(object),
            "age": age,
            "height_cm": height,
            "complexion": complexion,
            "identification_marks": marks,
            "last_seen_on": last_seen,
            "last_seen_place": place.astype(object),
        },
        schema_overrides={"identification_marks": pl.Utf8},
    )
    upd = traced & (traced_day <= cfg.last_day)
    mp_rows = pl.concat(
        [
            mp_base.with_columns(
                status=pl.lit("MISSING"), record_version=pl.lit(1, pl.Int64), _day=pl.Series(mp_day)
            ),
            mp_base.filter(pl.Series(upd)).with_columns(
                status=pl.lit("TRACED"), record_version=pl.lit(2, pl.Int64), _day=pl.Series(traced_day[upd])
            ),
        ]
    ).with_columns(days_to_date("report_date"), days_to_date("last_seen_on"))
    ub_base = frame(
        {
            "state_code": np.full(u, state, dtype=object),
            "district_code": arrays["district_code"][ub_ps],
            "ps_code": arrays["ps_code"][ub_ps],
            "ud_case_no": np.char.add(
                np.char.add("UD/", zfill(ub_serial.astype(str), 4)), np.char.add("/", ub_year.astype(str))
            ).astype(object),
            "found_on": ub_day,
            "gender": np.where(true_female, "F", "M").astype(object),
            "age_low": age_low,
            "age_high": age_high,
            "height_cm": ub_height,
            "complexion": ub_cx,
            "identification_marks": ub_marks,
            "found_place": found_place.astype(object),
            "place_lat": lat,
            "place_lon": lon,
        },
        schema_overrides={"identification_marks": pl.Utf8},
    )
    rev_day = ub_day + h.integers(ub_uid, "ub_rev_d", 2, 15)
    rev = (h.uniform(ub_uid, "ub_rev") < 0.2) & (rev_day <= cfg.last_day)
    ub_rows = pl.concat(
        [
            ub_base.with_columns(record_version=pl.lit(1, pl.Int64), _day=pl.Series(ub_day)),
            ub_base.filter(pl.Series(rev)).with_columns(
                age_low=pl.col("age_low") + 2,
                age_high=pl.col("age_high") - 2,
                record_version=pl.lit(2, pl.Int64),
                _day=pl.Series(rev_day[rev]),
            ),
        ]
    ).with_columns(days_to_date("found_on"))
    matches = frame(
        {
            "ub_state_code": np.full(int(match.sum()), state, dtype=object),
            "ub_ps_code": arrays["ps_code"][ub_ps[match]],
            "ud_case_no": ub_base["ud_case_no"].to_numpy()[match],
            "mp_state_code": np.full(int(match.sum()), state, dtype=object),
            "mp_ps_code": arrays["ps_code"][mp_ps[sm[match]]],
            "report_no": mp_base["report_no"].to_numpy()[sm[match]],
        },
        schema={
            k: pl.Utf8
            for k in ("ub_state_code", "ub_ps_code", "ud_case_no", "mp_state_code", "mp_ps_code", "report_no")
        },
    )
    return mp_rows, ub_rows, matches
