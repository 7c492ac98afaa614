"""Counter-based randomness: every attribute of a simulated record is a pure function of its id.

A FIR document is re-sent with a higher ``record_version`` months after it was first written;
its persons, sections and places must come out the same every time. Rather than keep the whole
simulated world in memory, each attribute is drawn as ``hash(seed, id, stream)``: splitmix64,
vectorised with NumPy (unsigned 64-bit arithmetic wraps modulo 2**64 by design).
"""

from __future__ import annotations

import zlib

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_INV53 = 1.0 / float(1 << 53)


def mix64(x: U64) -> U64:
    """splitmix64 finaliser over an array of uint64."""
    with np.errstate(over="ignore"):
        z = x + _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * _M1
        z = (z ^ (z >> np.uint64(27))) * _M2
        return z ^ (z >> np.uint64(31))


def stream_id(name: str) -> int:
    """A stable 32-bit number for a named random stream (crc32, not Python's salted hash)."""
    return zlib.crc32(name.encode())


class Hasher:
    """Deterministic per-record random draws for one generator seed."""

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)
        self._seed_mix = mix64(np.array([self.seed], dtype=np.uint64))[0]

    def bits(self, ids: npt.ArrayLike, stream: str, k: npt.ArrayLike | int = 0) -> U64:
        """64 random bits per id for the named stream (and optional sub-index ``k``)."""
        ids_u = np.asarray(ids).astype(np.uint64, copy=False)
        k_u = np.asarray(k).astype(np.uint64, copy=False)
        s = np.uint64(stream_id(stream))
        with np.errstate(over="ignore"):
            x = mix64(ids_u ^ self._seed_mix) + s * _GOLDEN + k_u * _M1
        return mix64(x)

    def uniform(self, ids: npt.ArrayLike, stream: str, k: npt.ArrayLike | int = 0) -> F64:
        """Uniform [0, 1) per id."""
        return (self.bits(ids, stream, k) >> np.uint64(11)).astype(np.float64) * _INV53

    def integers(
        self, ids: npt.ArrayLike, stream: str, low: int, high: npt.ArrayLike, k: npt.ArrayLike | int = 0
    ) -> I64:
        """Integers in [low, high) per id (``high`` may be an array)."""
        span = np.asarray(high, dtype=np.int64) - low
        return low + np.floor(self.uniform(ids, stream, k) * span).astype(np.int64)

    def normal(self, ids: npt.ArrayLike, stream: str, k: npt.ArrayLike | int = 0) -> F64:
        """Standard normal per id (Box-Muller on two independent uniforms)."""
        u1 = self.uniform(ids, stream + ":n1", k)
        u2 = self.uniform(ids, stream + ":n2", k)
        return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)

    def lognormal(
        self, ids: npt.ArrayLike, stream: str, median: npt.ArrayLike, sigma: float, k: npt.ArrayLike | int = 0
    ) -> F64:
        return np.asarray(median, dtype=np.float64) * np.exp(sigma * self.normal(ids, stream, k))

    def choice(self, ids: npt.ArrayLike, stream: str, p: npt.ArrayLike, k: npt.ArrayLike | int = 0) -> I64:
        """Index into the probability vector ``p`` per id (inverse CDF)."""
        cum = np.cumsum(np.asarray(p, dtype=np.float64))
        cum /= cum[-1]
        idx = np.searchsorted(cum, self.uniform(ids, stream, k), side="right")
        return np.minimum(idx, len(cum) - 1).astype(np.int64)

    def choice_rows(self, ids: npt.ArrayLike, stream: str, cum_rows: F64, row: npt.ArrayLike) -> I64:
        """Inverse-CDF choice where each id has its own probability row ``cum_rows[row]``.

        ``cum_rows`` holds normalised cumulative probabilities, one row per distribution.
        """
        u = self.uniform(ids, stream)
        rows = np.asarray(row, dtype=np.int64)
        out = (cum_rows[rows] <= u[:, None]).sum(axis=1)
        return np.minimum(out, cum_rows.shape[1] - 1).astype(np.int64)
