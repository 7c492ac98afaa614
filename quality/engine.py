"""The Great Expectations engine behind ``quality``: checks in, outcomes out.

The rest of the package speaks :class:`~quality.suites.base.Check` and :class:`Outcome`; only
this module knows Great Expectations, and it imports it inside :class:`GxRun` (importing GX costs
seconds and prints to the console). One ephemeral context per run: a pandas data source, one
data-frame asset, batch definition, suite and validation definition per suite, validated once
per run over a frame that holds every load (or every mart row) of the run. Results are kept in
the context's store so that :meth:`GxRun.build_docs` renders them as Data Docs.

GX's SQL datasource fails with duckdb-engine (every metric errors with "list index out of
range"), which is why frames are pandas data frames read from the lake or the warehouse.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from quality.config import SEVERITIES
from quality.suites.base import Check, TableCheck

if TYPE_CHECKING:
    import pandas as pd

DOCS_SITE = "cctns_quality"
_GX_LOGGERS = ("great_expectations", "great_expectations.core", "great_expectations.data_context")


class QualityEngineError(RuntimeError):
    """Great Expectations could not evaluate an expectation (a bug in a suite, not a data problem)."""


@dataclass
class Outcome:
    """What Great Expectations said about one expectation over one frame."""

    check_id: str
    expectation_type: str
    kwargs: dict[str, Any]
    severity: str
    success: bool
    element_count: int | None
    unexpected_count: int | None
    missing_count: int | None
    unexpected_rows: list[dict[str, Any]] = field(default_factory=list)
    observed_value: Any = None
    missing_values: list[Any] = field(default_factory=list)  # set expectations: values never seen

    @property
    def kwargs_json(self) -> str:
        return json.dumps(self.kwargs, default=str, sort_keys=True)

    def summary(self) -> str:
        """What was observed, in one line."""
        parts = []
        if self.observed_value is not None:
            parts.append(f"observed {self.observed_value}")
        if self.missing_values:
            parts.append(f"missing {self.missing_values}")
        if self.unexpected_count:
            total = f" of {self.element_count}" if self.element_count is not None else ""
            parts.append(f"{self.unexpected_count}{total} rows unexpected")
        if not parts:
            parts.append("as expected" if self.success else "failed")
        return "; ".join(parts)


@dataclass
class SuiteOutcome:
    """Per-load verdicts of one per-upload suite: the (load_id, check_id) pairs GX found failing."""

    failing: set[tuple[str, str]]
    expectations: dict[str, Outcome]  # severity -> the expectation that judged that severity


def silence_gx() -> None:
    """Keep GX's logging, progress bars and usage statistics out of our console.

    Some GX modules set their own logger to INFO at import, so every ``great_expectations.*``
    logger that exists is lowered too (call again after importing GX).
    """
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    names = {
        *_GX_LOGGERS,
        *(n for n in logging.root.manager.loggerDict if n.startswith("great_expectations")),
    }
    for name in names:
        lg = logging.getLogger(name)
        lg.setLevel(logging.ERROR)
        if name in _GX_LOGGERS:
            lg.propagate = False
            if not lg.handlers:
                lg.addHandler(logging.NullHandler())


@contextmanager
def _quiet() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _jsonable(v: Any) -> Any:
    """numpy scalars and the like -> plain Python values."""
    if hasattr(v, "item") and callable(v.item):
        try:
            return v.item()
        except (TypeError, ValueError):
            return str(v)
    return v


def stack_checks(frame: pl.DataFrame, checks: Sequence[Check]) -> pl.DataFrame:
    """(load_id, check_id, critical_upper, critical_lower, warning_upper, warning_lower) per pair."""
    parts = []
    for c in checks:
        value = pl.col(c.value).cast(pl.Float64).fill_nan(None)
        if c.direction == "min":
            upper, lower = value, pl.col(c.bound).cast(pl.Float64).fill_nan(None)
        else:
            upper = (
                pl.lit(c.limit, dtype=pl.Float64)
                if c.limit is not None
                else pl.col(c.bound).cast(pl.Float64).fill_nan(None)
            )
            lower = value
        cols = {}
        for severity in SEVERITIES:
            mine = c.severity == severity
            cols[f"{severity}_upper"] = upper if mine else pl.lit(None, dtype=pl.Float64)
            cols[f"{severity}_lower"] = lower if mine else pl.lit(None, dtype=pl.Float64)
        parts.append(
            frame.select(
                "load_id",
                pl.lit(c.check_id).alias("check_id"),
                *[expr.alias(name) for name, expr in cols.items()],
            )
        )
    schema = {"load_id": pl.Utf8, "check_id": pl.Utf8} | {
        f"{s}_{b}": pl.Float64 for s in SEVERITIES for b in ("upper", "lower")
    }
    return pl.concat(parts, how="vertical") if parts else pl.DataFrame(schema=schema)


class GxRun:
    """One Great Expectations context for one gate or mart run."""

    def __init__(self, docs_dir: Path | None = None, name: str = "cctns_quality") -> None:
        silence_gx()
        with _quiet():
            import great_expectations as gx
            from great_expectations.data_context.types.base import ProgressBarsConfig

            self._gx = gx
            silence_gx()  # the loggers GX created while importing
            self.context = gx.get_context(mode="ephemeral")
            self.context.variables.progress_bars = ProgressBarsConfig(
                globally=False, metric_calculations=False
            )
            for site in list(self.context.get_site_names()):
                self.context.delete_data_docs_site(site)  # the default writes to a temporary folder
            self.docs_dir = docs_dir
            if docs_dir is not None:
                docs_dir.mkdir(parents=True, exist_ok=True)
                self.context.add_data_docs_site(
                    DOCS_SITE,
                    {
                        "class_name": "SiteBuilder",
                        "store_backend": {
                            "class_name": "TupleFilesystemStoreBackend",
                            "base_directory": str(docs_dir),
                        },
                        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                    },
                )
            self.datasource = self.context.data_sources.add_pandas(name)
        self.validated = 0

    def _run(
        self,
        suite_name: str,
        frame: pd.DataFrame,
        expectations: list[Any],
        index_columns: Sequence[str],
        complete: bool,
    ) -> Any:
        gx = self._gx
        with _quiet():
            asset = self.datasource.add_dataframe_asset(suite_name)
            batch_def = asset.add_batch_definition_whole_dataframe(f"{suite_name}_run")
            # build the suite whole: adding expectations one by one re-saves it each time
            suite = self.context.suites.add(gx.ExpectationSuite(name=suite_name, expectations=expectations))
            vd = self.context.validation_definitions.add(
                gx.ValidationDefinition(name=suite_name, data=batch_def, suite=suite)
            )
            result_format: dict[str, Any] = {
                "result_format": "COMPLETE" if complete else "SUMMARY",
                "unexpected_index_column_names": list(index_columns),
                "return_unexpected_index_query": False,
                "partial_unexpected_count": 20,
            }
            result = vd.run(batch_parameters={"dataframe": frame}, result_format=result_format)
        self.validated += 1
        return result

    @staticmethod
    def _outcome(suite_name: str, r: Any, complete: bool) -> Outcome:
        cfg = r.expectation_config
        exc = r.exception_info or {}
        if exc.get("raised_exception"):
            raise QualityEngineError(
                f"{suite_name}/{cfg.meta.get('check_id')}: {exc.get('exception_message')}"
            )
        res = dict(r.result or {})
        rows = res.get("unexpected_index_list") if complete else res.get("partial_unexpected_index_list")
        return Outcome(
            check_id=str(cfg.meta.get("check_id")),
            expectation_type=cfg.type,
            kwargs={k: _jsonable(v) for k, v in cfg.kwargs.items() if k != "batch_id"},
            severity=str(getattr(cfg.severity, "value", cfg.severity)),
            success=bool(r.success),
            element_count=res.get("element_count"),
            unexpected_count=res.get("unexpected_count"),
            missing_count=res.get("missing_count"),
            unexpected_rows=[
                {k: _jsonable(v) for k, v in row.items()} for row in (rows or []) if isinstance(row, dict)
            ],
            observed_value=_jsonable(res.get("observed_value")),
            missing_values=[_jsonable(v) for v in res.get("partial_missing_list") or []],
        )

    def validate_checks(self, suite_name: str, frame: pl.DataFrame, checks: Sequence[Check]) -> SuiteOutcome:
        """Validate per-load ``checks`` over the suite's metrics ``frame`` (one row per load).

        Every (load, check) pair becomes a row of a long frame with ``<severity>_upper`` and
        ``<severity>_lower``; one ``ExpectColumnPairValuesAToBeGreaterThanB`` per severity judges
        them all (pairs with a missing side are not judged).
        """
        import great_expectations.expectations as gxe

        long = stack_checks(frame, checks)
        expectations = []
        for severity in SEVERITIES:
            if not any(c.severity == severity for c in checks):
                continue
            expectations.append(
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A=f"{severity}_upper",
                    column_B=f"{severity}_lower",
                    or_equal=True,
                    ignore_row_if="either_value_is_missing",
                    severity=severity,
                    description=(
                        f"{suite_name}: every {severity} check holds for every load "
                        f"(the load's measure within its bound; see docs/quality.md)"
                    ),
                    meta={
                        "check_id": f"{suite_name}.{severity}",
                        "checks": sorted(c.check_id for c in checks if c.severity == severity),
                    },
                )
            )
        result = self._run(suite_name, long.to_pandas(), expectations, ["load_id", "check_id"], complete=True)
        failing: set[tuple[str, str]] = set()
        by_severity: dict[str, Outcome] = {}
        for r in result.results:
            oc = self._outcome(suite_name, r, complete=True)
            by_severity[oc.severity] = oc
            failing |= {(row["load_id"], row["check_id"]) for row in oc.unexpected_rows}
        return SuiteOutcome(failing, by_severity)

    def validate_table(
        self, suite_name: str, frame: pd.DataFrame, checks: Sequence[TableCheck], index_columns: Sequence[str]
    ) -> list[Outcome]:
        """Validate a table with one GX expectation per check (examples of failing rows by key)."""
        import great_expectations.expectations as gxe

        expectations = [
            getattr(gxe, c.expectation)(
                **dict(c.kwargs),
                severity=c.severity,
                description=c.description,
                meta={"check_id": c.check_id, "column": c.column},
            )
            for c in checks
        ]
        result = self._run(suite_name, frame, expectations, index_columns, complete=False)
        return [self._outcome(suite_name, r, complete=False) for r in result.results]

    def build_docs(self) -> Path | None:
        """Render Data Docs of this run's suites and validation results; the site's index page."""
        if self.docs_dir is None or not self.validated:
            return None
        with _quiet():
            self.context.build_data_docs(site_names=[DOCS_SITE])
        return self.docs_dir / "index.html"
