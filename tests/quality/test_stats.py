"""The statistics behind the bounds: small counts must not raise alarms, large deviations must."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quality.stats import tvd, tvd_null_quantiles, volume_bounds, wilson_lower


def test_wilson_lower_bound() -> None:
    assert wilson_lower(0, 50) == 0.0
    assert math.isnan(wilson_lower(0, 0))
    assert 0 < wilson_lower(1, 100_000) < 1e-4  # any null fails a zero-tolerance rule
    assert wilson_lower(1, 4) < 0.05 < 0.25  # one of four is not "25% missing"
    assert 0.46 < wilson_lower(500, 1000) < 0.5


@pytest.mark.parametrize("median", [13, 45, 120, 5000])
def test_a_tenth_and_ten_times_are_out_of_the_critical_band(median: float) -> None:
    lo, hi = volume_bounds(median, 3.0, 1e-3)
    assert lo <= median / 3 and hi >= 3 * median
    assert median / 10 < lo and 10 * median > hi
    assert lo <= 0.8 * median <= 1.25 * median <= hi  # ordinary nights pass


def test_small_states_are_judged_on_what_chance_allows() -> None:
    lo, hi = volume_bounds(2, 3.0, 1e-3)
    assert lo == 0 and 5 <= hi < 12  # five FIRs instead of two is chance; twelve is not
    lo, hi = volume_bounds(0, 3.0, 1e-3)  # a State that usually sends nothing
    assert hi < 10


def test_tvd_bound_shrinks_with_the_size_of_the_load() -> None:
    history = np.array([300, 200, 150, 100, 50, 50, 30, 20, 10, 10])
    small = tvd_null_quantiles(history, 30, (0.999,), 4000, seed=1)[0]
    large = tvd_null_quantiles(history, 3000, (0.999,), 4000, seed=1)[0]
    assert large < 0.1 < small < 0.6
    assert tvd_null_quantiles(history, 30, (0.999,), 4000, seed=1) == [small]  # seeded: reproducible
    p = history / history.sum()
    assert tvd(p, p) == 0.0 and tvd(np.array([1.0, 0.0]), np.array([0.0, 1.0])) == 1.0
