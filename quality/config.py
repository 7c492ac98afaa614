"""Thresholds of the quality gate, in one place (documented in ``docs/quality.md``).

Every batch-level rule compares a per-load measure with a bound. Two guards keep small States
from raising false alarms: rates are judged by their 95% Wilson lower bound (a State with four
persons of which one has no age is not "25% missing"), and volume and crime-head mix bounds are
widened to what chance alone can produce at that volume (Poisson for counts, a parametric
bootstrap for the mix).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

#: Ledger outcomes of loads that carry data (REJECTED and DUPLICATE loads have none).
DATA_OUTCOMES: Final = ("LOADED", "LOADED_WITH_ERRORS")

CRITICAL: Final = "critical"
WARNING: Final = "warning"
SEVERITIES: Final = (CRITICAL, WARNING)

#: Gate statuses of a load (``batch_status.parquet``).
PASSED: Final = "PASSED"
WARNED: Final = "WARNED"
HELD: Final = "HELD"
RELEASED: Final = "RELEASED"
REJECTED: Final = "REJECTED"
STATUSES: Final = (PASSED, WARNED, HELD, RELEASED, REJECTED)
#: Statuses the warehouse build leaves out.
EXCLUDED_STATUSES: Final = (HELD, REJECTED)
#: Statuses set by an operator; a forced re-run records new results but keeps them.
OPERATOR_STATUSES: Final = (RELEASED, REJECTED)


@dataclass(frozen=True)
class Thresholds:
    """Bounds of the per-upload suites. The defaults are calibrated on generated data."""

    # --- volume: FIR documents of the State's night against its trailing nights -------------
    volume_history_nights: int = 14  # median over up to this many earlier nights
    volume_min_history: int = 3  # fewer earlier nights: "insufficient history", non-blocking
    volume_critical_ratio: float = 3.0  # critical below median/3 or above median*3 ...
    volume_warning_ratio: float = 2.0  # warning below median/2 or above median*2 ...
    volume_critical_alpha: float = 1e-3  # ... and only if Poisson(median) makes it this unlikely
    volume_warning_alpha: float = 1e-2

    # --- null rates (Wilson 95% lower bound of the rate) ------------------------------------
    expected_field_max_null_rate: float = 0.05  # warning for fields that are normally filled
    age_max_null_rate: float = 0.30  # person.age is legitimately unknown for some (7% here)

    # --- value sets -------------------------------------------------------------------------
    unknown_section_max_rate: float = 0.05  # sections outside the master (loaded, residual head)
    mo_code_max_rate: float = 0.05  # MO codes outside the vocabulary

    # --- date ranges --------------------------------------------------------------------------
    earliest_registration: dt.date = dt.date(1970, 1, 1)
    earliest_offence: dt.date = dt.date(1950, 1, 1)
    child_before_fir_warning_rate: float = 0.01
    child_before_fir_critical_rate: float = 0.10

    # --- referential integrity (warnings: ingestion loads these rows with a warning code) ---
    dangling_reference_max_rate: float = 0.05

    # --- crime-head mix -----------------------------------------------------------------------
    mix_history_loads: int = 14
    mix_min_history_loads: int = 3
    mix_min_docs: int = 20  # fewer documents in the load: "too few to judge", non-blocking
    mix_min_history_docs: int = 100
    mix_critical_tvd: float = 0.25  # floor of the critical bound on the total-variation distance
    mix_warning_tvd: float = 0.15
    mix_critical_quantile: float = 0.999  # bootstrap quantile of the TVD under "no change"
    mix_warning_quantile: float = 0.99
    mix_bootstrap_draws: int = 4000


DEFAULT_THRESHOLDS: Final = Thresholds()

#: Bounds of the mart suites.
PERCENT_MAX: Final = 100.0
#: Absolute tolerance when a mart's rate is recomputed from its counts (percentage points).
RATE_TOLERANCE: Final = 0.05
