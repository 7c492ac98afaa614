"""Small statistics used to turn counts into bounds (standard library and numpy only)."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np

#: Above this mean the Poisson quantiles come from the normal approximation.
_NORMAL_ABOVE = 1000.0


def wilson_lower(k: int, n: int, z: float = 1.96) -> float:
    """95% Wilson score lower bound of a proportion k/n (0 when k == 0; NaN when n == 0).

    Positive whenever ``k > 0``, so a zero-tolerance rule on the bound fails on the first row.
    """
    if n <= 0:
        return math.nan
    if k <= 0:
        return 0.0
    p = k / n
    denom = 1 + z * z / n
    centre = p + z * z / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max((centre - margin) / denom, 0.0)


def _poisson_logpmf(k: int, lam: float) -> float:
    return -lam + k * math.log(lam) - math.lgamma(k + 1)


def poisson_low_quantile(lam: float, alpha: float) -> int:
    """Smallest k with P(X <= k) >= alpha for X ~ Poisson(lam): counts below it are rarer than alpha."""
    lam = max(lam, 1e-9)
    if lam > _NORMAL_ABOVE:
        return max(math.ceil(lam + NormalDist().inv_cdf(alpha) * math.sqrt(lam) - 0.5), 0)
    cdf = 0.0
    k = 0
    while True:
        cdf += math.exp(_poisson_logpmf(k, lam))
        if cdf >= alpha:
            return k
        k += 1


def poisson_high_quantile(lam: float, alpha: float) -> int:
    """Smallest k with P(X > k) < alpha for X ~ Poisson(lam): counts above it are rarer than alpha."""
    lam = max(lam, 1e-9)
    if lam > _NORMAL_ABOVE:
        return math.floor(lam + NormalDist().inv_cdf(1 - alpha) * math.sqrt(lam) + 0.5)
    cdf = 0.0
    k = 0
    while True:
        cdf += math.exp(_poisson_logpmf(k, lam))
        if 1.0 - cdf < alpha:
            return k
        k += 1


def volume_bounds(median: float, ratio: float, alpha: float) -> tuple[float, float]:
    """(lower, upper) bounds of a night's volume around the trailing median.

    A count is out of bounds only if it is beyond ``ratio`` times the median **and** Poisson
    chance at that median makes it rarer than ``alpha`` on that side: the ratio decides for
    large States, the Poisson guard keeps a State with two FIRs a night from being held for five.
    The Poisson mean is at least 1, so a State that usually sends nothing is still caught when it
    sends many.
    """
    lam = max(median, 1.0)
    lower = min(median / ratio, float(poisson_low_quantile(lam, alpha)))
    upper = max(median * ratio, float(poisson_high_quantile(lam, alpha)))
    return lower, upper


def tvd(p: np.ndarray, q: np.ndarray) -> float:
    """Total-variation distance between two distributions (half the L1 distance)."""
    return float(0.5 * np.abs(p - q).sum())


def tvd_null_quantiles(
    history_counts: np.ndarray, n: int, quantiles: tuple[float, ...], draws: int, seed: int
) -> list[float]:
    """Quantiles of the TVD between a load of ``n`` documents and the history, under "no change".

    Parametric bootstrap: both the load and the history are redrawn from the (smoothed) history
    distribution, so the noise of both samples is in the bound.
    """
    total = int(history_counts.sum())
    smoothed = history_counts.astype(float) + 0.5
    q = smoothed / smoothed.sum()
    rng = np.random.default_rng(seed)
    p_star = rng.multinomial(n, q, size=draws) / max(n, 1)
    q_star = rng.multinomial(total, q, size=draws) / max(total, 1)
    stats = 0.5 * np.abs(p_star - q_star).sum(axis=1)
    return [float(np.quantile(stats, qu)) for qu in quantiles]
