"""Expectation suites as code.

Per upload (one row per load of the run, see :mod:`quality.suites.base`): :mod:`volume`,
:mod:`nulls`, :mod:`value_sets`, :mod:`dates`, :mod:`integrity`, :mod:`crime_mix`. Each module
has ``NAME``, ``checks(thresholds)`` (the expectations), ``metrics(batch)`` (the frame they
validate) and ``columns(thresholds)`` (the lake columns it reads). On the marts:
:mod:`quality.suites.marts`.

Nothing here imports Great Expectations: :mod:`quality.engine` turns checks into expectations.
"""

from __future__ import annotations

from types import ModuleType
from typing import Final

from quality.config import Thresholds
from quality.suites import crime_mix, dates, integrity, nulls, value_sets, volume

UPLOAD_SUITES: Final[tuple[ModuleType, ...]] = (volume, nulls, value_sets, dates, integrity, crime_mix)


def read_columns(th: Thresholds) -> dict[str, list[str]]:
    """Lake columns read per entity: the union over the suites (always with the load id)."""
    out: dict[str, set[str]] = {}
    for suite in UPLOAD_SUITES:
        for entity, cols in suite.columns(th).items():
            out.setdefault(entity, {"load_id"}).update(cols)
    return {e: sorted(c) for e, c in sorted(out.items())}
