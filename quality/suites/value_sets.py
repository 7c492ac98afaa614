"""Value sets: every code of a load is one the interface or the reference data knows.

Critical (zero tolerance): the interface's enumerations (``core.extract_spec.ENUMS``), the
law code, crime heads (``ref_crime_heads``), police stations (``ref_police_stations``: the
station with its district, of the load's own State) and the State itself. Ingestion already
quarantines such rows, so a hit means a defect got past it.

Warning (rate, 95% lower bound): sections outside the section master (ingestion loads them under
the act's residual crime head with warning 203) and modus-operandi codes outside the vocabulary
(``ref_mo_vocabulary``): a State whose software starts sending a new numbering shows up here.

Only code columns are read, never a name or an address.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache
from typing import Final

import polars as pl

from core import extract_spec as spec
from core import reference, schema
from quality.config import CRITICAL, WARNING, Thresholds
from quality.suites.base import Check, Row, max_count, max_rate, pct, per_load, safe_name, wilson_lower_expr
from quality.suites.batch import UploadBatch

NAME: Final = "value_sets"


@dataclass(frozen=True)
class ValueRule:
    """Values of ``value`` (an expression over the entity's rows) must lie in ``allowed()``."""

    entity: str
    name: str
    value: pl.Expr
    allowed: Callable[[], Collection[str]] | None  # None: compared with the load's own State
    needs: tuple[str, ...]
    severity: str = CRITICAL
    limit: float = 0.0
    label: str = ""

    @property
    def check_id(self) -> str:
        return f"value_sets.{self.entity}.{self.name}"


@cache
def _crime_heads() -> frozenset[str]:
    return frozenset(reference.crime_heads()["crime_head_code"].to_list())


@cache
def _station_keys() -> frozenset[str]:
    ps = reference.police_stations()
    keys = ps.select(pl.concat_str("state_code", "district_code", "ps_code", separator="-"))
    return frozenset(keys.to_series().to_list())


@cache
def _register_station_keys() -> frozenset[str]:
    ps = reference.police_stations()
    return frozenset(ps.select(pl.concat_str("state_code", "ps_code", separator="-")).to_series().to_list())


@cache
def _sections() -> frozenset[str]:
    s = reference.sections()
    return frozenset(s.select(pl.concat_str("act", "section", separator=" ")).to_series().to_list())


@cache
def _mo_codes(field: str) -> frozenset[str]:
    mo = reference.mo_vocabulary()
    return frozenset(mo.filter(pl.col("field") == field)["code"].to_list())


def _enum(file: str, column: str) -> Callable[[], Collection[str]]:
    values = spec.ENUMS[file][column]
    return lambda: values


def rules(th: Thresholds) -> list[ValueRule]:
    out: list[ValueRule] = []
    for file, cols in spec.ENUMS.items():
        entity = schema.BY_FILE[file].name
        for c in cols:
            if c in spec.FLAG_COLUMNS.get(file, ()):
                continue  # flags are booleans in the lake
            out.append(ValueRule(entity, c, pl.col(c), _enum(file, c), (c,), label="the interface's values"))
    out += [
        ValueRule(
            "fir", "law_code", pl.col("law_code"), lambda: ("IPC", "BNS"), ("law_code",), label="IPC, BNS"
        ),
        ValueRule(
            "fir", "state_code", pl.col("state_code"), None, ("state_code",), label="the upload's State"
        ),
        ValueRule(
            "fir",
            "police_station",
            pl.concat_str("state_code", "district_code", "ps_code", separator="-"),
            _station_keys,
            ("state_code", "district_code", "ps_code"),
            label="ref_police_stations",
        ),
        ValueRule(
            "act_section",
            "crime_head_code",
            pl.col("crime_head_code"),
            _crime_heads,
            ("crime_head_code",),
            label="ref_crime_heads",
        ),
        ValueRule(
            "act_section",
            "section",
            pl.concat_str("act", "section", separator=" "),
            _sections,
            ("act", "section"),
            severity=WARNING,
            limit=th.unknown_section_max_rate,
            label="ref_sections",
        ),
    ]
    for reg in schema.REGISTERS:
        out.append(
            ValueRule(
                reg,
                "police_station",
                pl.concat_str("state_code", "ps_code", separator="-"),
                _register_station_keys,
                ("state_code", "ps_code"),
                label="ref_police_stations",
            )
        )
        out.append(
            ValueRule(
                reg, "state_code", pl.col("state_code"), None, ("state_code",), label="the upload's State"
            )
        )
    for field in ("place_type", "mo_class", "entry_method", "tools_used", "target", "time_of_day"):
        out.append(
            ValueRule(
                "crime_details",
                field,
                pl.col(field),
                (lambda f=field: _mo_codes(f)),
                (field,),
                severity=WARNING,
                limit=th.mo_code_max_rate,
                label="ref_mo_vocabulary",
            )
        )
    return out


def columns(th: Thresholds) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in rules(th):
        out.setdefault(r.entity, {"load_id"}).update(r.needs)
    return out


def _names(r: ValueRule) -> tuple[str, str, str, str]:
    base = (r.entity, r.name)
    return (
        safe_name(*base, "invalid"),
        safe_name(*base, "values"),
        safe_name(*base, "invalid_rate_lb95"),
        safe_name(*base, "sample"),
    )


def checks(th: Thresholds) -> list[Check]:
    out: list[Check] = []
    for r in rules(th):
        bad, n, lb, sample = _names(r)

        def describe(row: Row, r: ValueRule = r, bad: str = bad, n: str = n, sample: str = sample) -> str:
            vals = json.loads(row[sample]) if row.get(sample) else []
            shown = f" (e.g. {', '.join(map(repr, vals))})" if vals else ""
            return f"{row[bad]} of {row[n]} values of {r.entity}.{r.name} not in {r.label}{shown}"

        desc = f"{r.entity}.{r.name} takes values of {r.label}."
        if r.limit == 0:
            out.append(
                max_count(
                    NAME,
                    r.check_id,
                    bad,
                    severity=r.severity,
                    column=f"{r.entity}.{r.name}",
                    description=desc,
                    total=n,
                    details=(sample,),
                    describe=describe,
                )
            )
        else:
            out.append(
                max_rate(
                    NAME,
                    r.check_id,
                    lb,
                    r.limit,
                    severity=r.severity,
                    column=f"{r.entity}.{r.name}",
                    description=f"{desc} At most {pct(r.limit)} outside (95% lower bound).",
                    count=bad,
                    total=n,
                    details=(sample,),
                    describe=describe,
                )
            )
    return out


def _json_list(v: pl.Series) -> str | None:
    return json.dumps(v.to_list()) if len(v) else None


def metrics(batch: UploadBatch) -> pl.DataFrame:
    """One pass per entity: every rule's value and flag as columns, one group-by for all."""
    frame = batch.targets.select("load_id")
    load_state = batch.targets.select("load_id", pl.col("state_code").alias("__load_state"))
    by_entity: dict[str, list[ValueRule]] = {}
    for r in rules(batch.thresholds):
        by_entity.setdefault(r.entity, []).append(r)
    for entity, group in by_entity.items():
        values, aggs, fill = [], [], {}
        for i, r in enumerate(group):
            bad, n, _lb, _sample = _names(r)
            v = pl.col(f"__v{i}")
            values.append(r.value.alias(f"__v{i}"))
            if r.allowed is None:
                invalid = v.is_not_null() & (v != pl.col("__load_state"))
            else:
                allowed = pl.Series(sorted(r.allowed()), dtype=pl.Utf8)
                invalid = v.is_not_null() & ~v.is_in(allowed.implode())
            aggs += [
                v.is_not_null().sum().alias(n),
                invalid.sum().alias(bad),
                v.filter(invalid).unique().sort().head(5).alias(f"__s{i}"),
            ]
            fill |= {n: 0, bad: 0}
        df = batch.table(entity).join(load_state, on="load_id", how="left")
        counts = df.select("load_id", "__load_state", *values).group_by("load_id").agg(aggs)
        counts = counts.with_columns(
            pl.col(f"__s{i}").map_elements(_json_list, return_dtype=pl.Utf8).alias(_names(r)[3])
            for i, r in enumerate(group)
        ).drop([f"__s{i}" for i in range(len(group))])
        part = per_load(batch.targets, counts, fill).with_columns(
            wilson_lower_expr(_names(r)[0], _names(r)[1]).alias(_names(r)[2]) for r in group if r.limit
        )
        frame = frame.join(part, on="load_id", how="left")
    return frame
