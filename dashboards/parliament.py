"""Parliament question templates and the annexure of a parliamentary reply.

An answer is laid out as NCRB lays out the annexure of a reply: S.No., State/UT, one column per
year (or per category), a Total row, then the source and "data as on" lines. Totals of rates are
recomputed from the summed parts (never an average of State rates).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import pandas as pd

from dashboards import queries as q
from dashboards import suppression
from dashboards.queries import Con, Scope

SOURCE: Final = "Source: NCRB, CCTNS warehouse"
Kind = Literal["count", "rate"]


@dataclass(frozen=True)
class Template:
    key: str
    title: str
    question: str  # {head} and {years} are filled in
    kind: Kind
    needs_head: bool = False
    needs_years: bool = True
    needs_section: bool = False
    unit: str = ""


TEMPLATES: Final[dict[str, Template]] = {
    t.key: t
    for t in (
        Template(
            "cases",
            "Cases registered",
            "the number of cases registered{head} during {years}, State/UT-wise",
            "count",
            needs_head=True,
            unit="cases",
        ),
        Template(
            "section_cases",
            "Cases registered under a section",
            "the number of cases registered under {section} during {years}, State/UT-wise",
            "count",
            needs_section=True,
            unit="cases",
        ),
        Template(
            "chargesheeted",
            "Cases charge-sheeted",
            "the number of cases charge-sheeted by the police{head} during {years}, State/UT-wise",
            "count",
            needs_head=True,
            unit="cases",
        ),
        Template(
            "convicted",
            "Cases convicted",
            "the number of cases in which the accused were convicted{head} during {years}, State/UT-wise",
            "count",
            needs_head=True,
            unit="cases",
        ),
        Template(
            "crime_rate",
            "Crime rate",
            "the crime rate (cases per lakh population){head} during {years}, State/UT-wise",
            "rate",
            needs_head=True,
            unit="per lakh population",
        ),
        Template(
            "chargesheeting_rate",
            "Charge-sheeting rate",
            "the charge-sheeting rate of the police{head} during {years}, State/UT-wise",
            "rate",
            needs_head=True,
            unit="% of cases disposed of by the police",
        ),
        Template(
            "conviction_rate",
            "Conviction rate",
            "the conviction rate{head} during {years}, State/UT-wise",
            "rate",
            needs_head=True,
            unit="% of trials completed",
        ),
        Template(
            "police_pendency",
            "Pendency of investigation",
            "the pendency percentage of cases under investigation{head} at the end of {years}, State/UT-wise",
            "rate",
            needs_head=True,
            unit="% of cases for investigation",
        ),
        Template(
            "court_pendency",
            "Pendency of trial",
            "the pendency percentage of cases in courts{head} at the end of {years}, State/UT-wise",
            "rate",
            needs_head=True,
            unit="% of cases for trial",
        ),
        Template(
            "itsso",
            "ITSSO compliance",
            "the percentage of rape investigations completed within two months (ITSSO) during {years}, "
            "State/UT-wise",
            "rate",
            unit="% of investigations due",
        ),
        Template(
            "ndso_convicted",
            "NDSO: convicted offenders added",
            "the number of convicted sexual offenders added to the National Database of Sexual Offenders "
            "during {years}, State/UT-wise",
            "count",
            unit="offenders",
        ),
        Template(
            "ndso_registry",
            "NDSO: registry size",
            "the number of sexual offenders in the National Database of Sexual Offenders, State/UT-wise",
            "count",
            needs_years=False,
            unit="offenders",
        ),
        Template(
            "cctns_stations",
            "Police stations on CCTNS",
            "the number of police stations connected to CCTNS and using it, State/UT-wise",
            "count",
            needs_years=False,
            unit="police stations",
        ),
    )
}

_MEASURE_OF: Final[dict[str, str]] = {
    "cases": "cases",
    "chargesheeted": "chargesheeted",
    "convicted": "convicted",
    "crime_rate": "crime_rate",
    "chargesheeting_rate": "chargesheeting_rate",
    "conviction_rate": "conviction_rate",
    "police_pendency": "police_pendency",
    "court_pendency": "court_pendency",
}
_FACTOR: Final[dict[str, float]] = {k: q.MEASURES[v].factor for k, v in _MEASURE_OF.items()} | {
    "itsso": 100.0
}

Cell = int | float | None


@dataclass
class Annexure:
    """The table of a parliamentary reply (or of an RTI response), as values."""

    title: str
    question: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]]
    total: list[Cell]
    kind: Kind
    unit: str = ""
    data_as_on: dt.date | None = None
    row_header: str = "State/UT"
    total_label: str = "Total"
    source: str = SOURCE
    notes: list[str] = field(default_factory=list)

    @staticmethod
    def fmt(value: Any, kind: Kind) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "-"
        if isinstance(value, str):
            return value
        if kind == "rate":
            return f"{float(value):.2f}"
        return f"{int(value)}"

    @property
    def header(self) -> list[str]:
        return ["S.No.", self.row_header, *self.columns]

    def body(self) -> list[list[str]]:
        """Rows as text, the Total row last."""
        out = [
            [str(i), name, *[self.fmt(v, self.kind) for v in values]]
            for i, (name, values) in enumerate(self.rows, start=1)
        ]
        out.append(["", self.total_label, *[self.fmt(v, self.kind) for v in self.total]])
        return out

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.body(), columns=self.header)

    @property
    def as_on_line(self) -> str:
        return f"Data as on {self.data_as_on:%d.%m.%Y}" if self.data_as_on else "Data as on: not recorded"

    @property
    def footer(self) -> list[str]:
        unit = [f"Figures: {self.unit}."] if self.unit else []
        return [*unit, *self.notes, self.source, self.as_on_line]


def _ratio(num: float, den: float | None, factor: float) -> float | None:
    if den is None or (isinstance(den, float) and math.isnan(den)) or den == 0:
        return None
    return float(num) * factor / float(den)


def _pivot(
    states: pd.DataFrame,
    long: pd.DataFrame,
    col_key: str,
    cols: Sequence[Any],
    kind: Kind,
    factor: float,
) -> tuple[list[tuple[str, list[Cell]]], list[Cell]]:
    """States x columns from a long frame of num/den; totals from the summed parts."""
    num: dict[tuple[str, Any], float] = {}
    den: dict[tuple[str, Any], float | None] = {}
    for r in long.to_dict("records"):
        k = (r["state_code"], r[col_key])
        num[k] = float(r["num"] or 0)
        d = r.get("den")
        den[k] = None if d is None or (isinstance(d, float) and math.isnan(d)) else float(d)
    rows: list[tuple[str, list[Cell]]] = []
    for s in states.to_dict("records"):
        vals: list[Cell] = []
        for c in cols:
            k = (s["state_code"], c)
            if kind == "count":
                vals.append(int(num.get(k, 0)))
            else:
                vals.append(_ratio(num.get(k, 0.0), den.get(k), factor))
        rows.append((s["state_name"], vals))
    total: list[Cell] = []
    visible = set(states["state_code"])
    for c in cols:
        n = sum(v for (sc, cc), v in num.items() if cc == c and sc in visible)
        if kind == "count":
            total.append(int(n))
        else:
            d = sum((v or 0.0) for (sc, cc), v in den.items() if cc == c and sc in visible)
            total.append(_ratio(n, d, factor))
    return rows, total


def _year_text(year_list: Sequence[int]) -> str:
    ys = sorted(year_list)
    if len(ys) == 1:
        return str(ys[0])
    if ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]} to {ys[-1]}"
    return ", ".join(map(str, ys[:-1])) + f" and {ys[-1]}"


def build_annexure(
    con: Con,
    scope: Scope,
    key: str,
    year_list: Sequence[int] = (),
    crime_head: str | None = None,
    act: str | None = None,
    section: str | None = None,
) -> Annexure:
    """Run a template and lay its answer out as an annexure."""
    if key not in TEMPLATES:
        raise ValueError(f"unknown template {key!r}")
    t = TEMPLATES[key]
    yrs = sorted({int(y) for y in year_list})
    if t.needs_years and not yrs:
        raise ValueError("choose at least one year")
    states = q.states(con, scope)
    info = q.build_info(con, scope)
    head_text = ""
    if t.needs_head and crime_head:
        heads = q.crime_heads(con, scope)
        match = heads.loc[heads["crime_head_code"] == crime_head, "crime_head_name"]
        if match.empty:
            raise ValueError(f"unknown crime head {crime_head!r}")
        head_text = f" under {match.iloc[0]}"
    elif t.needs_head:
        head_text = " (all cognizable crime)"
    cols: list[Any] = yrs
    labels = [str(y) for y in yrs]
    col_key = "year"
    factor = _FACTOR.get(key, 1.0)
    if key in _MEASURE_OF:
        long = q.measure_by_state_year(con, scope, _MEASURE_OF[key], yrs, crime_head)
    elif key == "section_cases":
        if not act or not section:
            raise ValueError("give the Act and the section")
        long = q.section_cases_by_state_year(con, scope, act, section, yrs)
    elif key == "itsso":
        long = q.itsso_by_state_year(con, scope, yrs)
    elif key == "ndso_convicted":
        long = q.ndso_by_state_year(con, scope, yrs)
    elif key == "ndso_registry":
        long = q.ndso_by_state_status(con, scope)
        cols, labels, col_key = (
            ["CONVICTED", "CHARGESHEETED_ONLY"],
            ["Convicted", "Charge-sheeted only"],
            "col",
        )
    else:  # cctns_stations
        usage = q.cctns_usage_by_state(con, scope)
        parts = ("stations_total", "stations_connected", "stations_using")
        long = pd.DataFrame(
            [
                {"state_code": r["state_code"], "col": c, "num": r[c], "den": None}
                for r in usage.to_dict("records")
                for c in parts
            ],
            columns=["state_code", "col", "num", "den"],
        )
        cols, labels, col_key = list(parts), ["Police stations", "Connected to CCTNS", "Using CCTNS"], "col"
    if col_key == "year" and not long.empty:
        long = long.assign(year=long["year"].astype(int))
    rows, total = _pivot(states, long, col_key, cols, t.kind, factor)
    question = t.question.format(
        head=head_text,
        years=_year_text(yrs) if yrs else "",
        section=f"{act} section {section}" if t.needs_section else "",
    )
    as_on = info.get("data_as_on")
    if isinstance(as_on, dt.datetime):
        as_on = as_on.date()
    return Annexure(
        title=f"{t.title}{head_text}" + (f", {_year_text(yrs)}" if t.needs_years else ""),
        question=question[0].upper() + question[1:] + ".",
        columns=labels,
        rows=rows,
        total=total,
        kind=t.kind,
        unit=t.unit,
        data_as_on=as_on,
        total_label="Total (All India)" if scope.national else "Total",
    )


def rti_annexure(table: q.RtiTable, data_as_on: dt.date | None) -> Annexure:
    """An RTI table (already suppressed) as an annexure: hidden cells print as ``*``."""
    s = table.table
    rows: list[tuple[str, list[Any]]] = []
    total_col = s.row_totals
    for i, label in enumerate(table.row_labels):
        vals = [s.cell(i, j) for j in range(s.n_cols + (1 if total_col else 0))]
        rows.append((label, [suppression.MARKER if v is None else v for v in vals]))
    total = [s.cell(s.n_rows, j) for j in range(s.n_cols + (1 if total_col else 0))]
    return Annexure(
        title=table.title,
        question=table.title,
        columns=[*table.col_labels, *(["Total"] if total_col else [])],
        rows=rows,
        total=[suppression.MARKER if v is None else v for v in total],
        kind="count",
        unit="cases",
        data_as_on=data_as_on,
        notes=[suppression.NOTE.format(t=s.threshold)],
    )
