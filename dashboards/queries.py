"""Every query the dashboards run: parameterised SQL on the published marts, scoped by role.

Rules kept here, not in the pages:

* every function takes a :class:`Scope` (role + the States the user may see); the function
  checks the role's capability and adds ``state_code IN (?, ...)`` itself, so a page cannot ask
  for another State's rows (a requested State outside the scope raises :class:`ScopeError`);
* values are passed as ``?`` parameters, never formatted into SQL; the few identifiers that vary
  (a measure's column, a grouping level) come from fixed allow-lists in this module;
* only the ``marts`` schema of the published warehouse is read (``docs/warehouse.md``);
* RTI tables leave this module already suppressed (:func:`rti_table`): raw small counts never
  reach a public page.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Concatenate, Final, ParamSpec, TypeVar

import duckdb
import pandas as pd

from core import safe_text
from core import text as txt
from core.text import section_canonical
from dashboards import suppression
from dashboards.roles import Capability, Role, has

P = ParamSpec("P")
R = TypeVar("R")
Con = duckdb.DuckDBPyConnection


class ScopeError(PermissionError):
    """A query outside what the user's role or State allows."""


#: Column references that may carry the State filter.
_STATE_COLUMNS: Final = frozenset(
    {"state_code", "f.state_code", "s.state_code", "m.state_code", "r.state_code", "u.state_code"}
)


@dataclass(frozen=True)
class Scope:
    """Who is asking: the role and the States visible (None = every State, national)."""

    role: Role
    states: tuple[str, ...] | None = None
    username: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", Role(self.role))
        if self.states is not None:
            object.__setattr__(self, "states", tuple(sorted(set(self.states))))
        if self.role == Role.SCRB and (self.states is None or len(self.states) != 1):
            raise ScopeError("an SCRB scope covers exactly one State")

    @classmethod
    def for_user(cls, user: Any) -> Scope:
        """The scope of an authenticated :class:`dashboards.auth.User`."""
        states = (user.state_code,) if user.state_code else None
        return cls(role=user.role, states=states, username=user.username)

    @property
    def national(self) -> bool:
        return self.states is None

    def require(self, capability: Capability) -> None:
        if not has(self.role, capability):
            raise ScopeError(f"role {self.role.value} may not use {capability.value}")

    def allows(self, state_code: str) -> bool:
        return self.states is None or state_code in self.states

    def visible(self, requested: Sequence[str] | str | None = None) -> tuple[str, ...] | None:
        """The States a query may read: the request within the scope (None = all States)."""
        if requested is None or requested == () or requested == []:
            return self.states
        req = (requested,) if isinstance(requested, str) else tuple(requested)
        outside = [s for s in req if not self.allows(s)]
        if outside:
            raise ScopeError(f"State(s) {', '.join(outside)} are outside this user's scope")
        return tuple(sorted(set(req)))

    def where(
        self, column: str = "state_code", requested: Sequence[str] | str | None = None
    ) -> tuple[str, list[Any]]:
        """SQL predicate and parameters restricting ``column`` to the visible States."""
        if column not in _STATE_COLUMNS:
            raise ValueError(f"not an allowed State column: {column!r}")
        states = self.visible(requested)
        if states is None:
            return "TRUE", []
        if not states:
            return "FALSE", []
        return f"{column} IN ({', '.join('?' * len(states))})", list(states)


#: Every query function by name (the cached runner calls them by name).
QUERIES: dict[str, Callable[..., Any]] = {}


def query(
    capability: Capability,
) -> Callable[[Callable[Concatenate[Con, Scope, P], R]], Callable[Concatenate[Con, Scope, P], R]]:
    """Register a query function and check the scope's capability before it runs."""

    def deco(fn: Callable[Concatenate[Con, Scope, P], R]) -> Callable[Concatenate[Con, Scope, P], R]:
        @functools.wraps(fn)
        def wrapper(con: Con, scope: Scope, *args: P.args, **kwargs: P.kwargs) -> R:
            if not isinstance(scope, Scope):
                raise TypeError("the second argument of a query is its Scope")
            scope.require(capability)
            return fn(con, scope, *args, **kwargs)

        wrapper.capability = capability  # type: ignore[attr-defined]
        QUERIES[fn.__name__] = wrapper
        return wrapper

    return deco


def _df(con: Con, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    return con.execute(sql, list(params)).fetch_df()


def _in(values: Sequence[Any]) -> str:
    if not values:
        raise ValueError("an IN list needs at least one value")
    return f"({', '.join('?' * len(values))})"


# ------------------------------------------------------------------------------------------
# Meta
# ------------------------------------------------------------------------------------------


@query(Capability.META)
def build_info(con: Con, scope: Scope) -> dict[str, Any]:
    """The one ``dim_build`` row: build_id, built_at, mode, data_as_on, loads."""
    cur = con.execute(
        "SELECT build_id, built_at, mode, data_as_on, loads_in_build, loads_total FROM marts.dim_build LIMIT 1"
    )
    row = cur.fetchone()
    if row is None:
        return {}
    names = [d[0] for d in cur.description]
    return dict(zip(names, row, strict=True))


@query(Capability.META)
def states(con: Con, scope: Scope) -> pd.DataFrame:
    """States/UTs in scope, in NCRB order (States then UTs, each alphabetical)."""
    pred, params = scope.where("state_code")
    return _df(
        con,
        f"SELECT state_code, state_name, state_type, region FROM marts.dim_state WHERE {pred} "
        "ORDER BY state_type = 'UT', state_name",
        params,
    )


@query(Capability.META)
def districts(con: Con, scope: Scope, state_code: str | None = None) -> pd.DataFrame:
    pred, params = scope.where("state_code", state_code)
    return _df(
        con,
        f"SELECT district_key, state_code, district_code, district_name, is_big_city "
        f"FROM marts.dim_district WHERE {pred} ORDER BY state_code, district_name",
        params,
    )


@query(Capability.META)
def crime_heads(con: Con, scope: Scope) -> pd.DataFrame:
    return _df(
        con,
        "SELECT crime_head_code, crime_head_name, ncrb_category, law_type, is_crime_against_women, "
        "is_crime_against_children, display_order FROM marts.dim_crime_head ORDER BY display_order",
    )


@query(Capability.PARLIAMENT)
def acts(con: Con, scope: Scope) -> list[str]:
    """Acts that appear among the sections of registered FIRs."""
    rows = con.execute(
        "SELECT DISTINCT act FROM marts.fct_fir_offences WHERE act IS NOT NULL ORDER BY act"
    ).fetchall()
    return [str(r[0]) for r in rows]


@query(Capability.META)
def years(con: Con, scope: Scope) -> list[int]:
    """Years with registered crime in scope, ascending."""
    pred, params = scope.where("state_code")
    rows = con.execute(
        f"SELECT DISTINCT year FROM marts.mart_crime_totals_state_year WHERE {pred} ORDER BY year", params
    ).fetchall()
    return [int(r[0]) for r in rows]


# ------------------------------------------------------------------------------------------
# National overview
# ------------------------------------------------------------------------------------------

TOTAL_KINDS: Final = ("TOTAL", "IPC_BNS", "SLL", "AGAINST_WOMEN", "AGAINST_CHILDREN")


@query(Capability.OVERVIEW)
def headline(con: Con, scope: Scope, year: int) -> pd.DataFrame:
    """Cases and crime rate per total kind for one year over the States in scope."""
    pred, params = scope.where("state_code")
    return _df(
        con,
        "SELECT total_kind, SUM(cases) AS cases, SUM(population) AS population, "
        "CASE WHEN SUM(population) > 0 THEN SUM(cases) * 100000.0 / SUM(population) END AS crime_rate "
        f"FROM marts.mart_crime_totals_state_year WHERE year = ? AND {pred} GROUP BY total_kind",
        [year, *params],
    )


@query(Capability.OVERVIEW)
def totals_trend(con: Con, scope: Scope) -> pd.DataFrame:
    pred, params = scope.where("state_code")
    return _df(
        con,
        "SELECT year, total_kind, SUM(cases) AS cases, "
        "CASE WHEN SUM(population) > 0 THEN SUM(cases) * 100000.0 / SUM(population) END AS crime_rate "
        f"FROM marts.mart_crime_totals_state_year WHERE {pred} GROUP BY year, total_kind ORDER BY year",
        params,
    )


@query(Capability.OVERVIEW)
def head_trend(con: Con, scope: Scope, top_n: int = 8) -> pd.DataFrame:
    """Monthly cases of the ``top_n`` largest crime heads (harmonised, so unbroken across the
    IPC -> BNS switch of 1 July 2024)."""
    pred, params = scope.where("m.state_code")
    return _df(
        con,
        f"""
        WITH m AS (
            SELECT m.month_start, m.crime_head_code, SUM(m.cases) AS cases
            FROM marts.mart_crime_state_month m WHERE {pred}
            GROUP BY m.month_start, m.crime_head_code
        ), top AS (
            SELECT crime_head_code FROM m GROUP BY crime_head_code ORDER BY SUM(cases) DESC LIMIT ?
        )
        SELECT m.month_start, m.crime_head_code, h.crime_head_name, m.cases
        FROM m JOIN top USING (crime_head_code)
        JOIN marts.dim_crime_head h USING (crime_head_code)
        ORDER BY m.month_start, h.display_order
        """,
        [*params, int(top_n)],
    )


@query(Capability.OVERVIEW)
def state_comparison(con: Con, scope: Scope, year: int, total_kind: str = "TOTAL") -> pd.DataFrame:
    """Cases and crime rate by State with the State's centroid (mean of its stations' lat/lon)."""
    if total_kind not in TOTAL_KINDS:
        raise ValueError(f"unknown total kind {total_kind!r}")
    pred, params = scope.where("s.state_code")
    return _df(
        con,
        f"""
        SELECT s.state_code, s.state_name, s.state_type,
               COALESCE(t.cases, 0) AS cases, t.population, t.crime_rate, c.lat, c.lon
        FROM marts.dim_state s
        LEFT JOIN marts.mart_crime_totals_state_year t
               ON t.state_code = s.state_code AND t.year = ? AND t.total_kind = ?
        LEFT JOIN (SELECT state_code, AVG(lat) AS lat, AVG(lon) AS lon FROM marts.dim_police_station
                   WHERE lat IS NOT NULL GROUP BY state_code) c ON c.state_code = s.state_code
        WHERE {pred}
        ORDER BY s.state_type = 'UT', s.state_name
        """,
        [year, total_kind, *params],
    )


# ------------------------------------------------------------------------------------------
# Measures by State and year (parliamentary annexures and RTI tables)
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """A State x year figure: ``num`` (and ``den`` for a rate) from one mart."""

    table: str
    num: str
    den: str | None = None
    factor: float = 1.0
    by_head: bool = True  # the mart has crime_head_code


MEASURES: Final[dict[str, Measure]] = {
    "cases": Measure("mart_crime_state_year", "cases"),
    "crime_rate": Measure(
        "mart_crime_state_year",
        "cases",
        "CASE WHEN h.is_crime_against_women THEN m.female_population ELSE m.population END",
        100000.0,
    ),
    "chargesheeted": Measure("mart_police_disposal", "chargesheeted"),
    "chargesheeting_rate": Measure("mart_police_disposal", "chargesheeted", "m.disposed", 100.0),
    "police_pendency": Measure(
        "mart_police_disposal", "pending_at_year_end", "m.total_for_investigation", 100.0
    ),
    "convicted": Measure("mart_court_disposal", "convicted"),
    "conviction_rate": Measure("mart_court_disposal", "convicted", "m.trials_completed", 100.0),
    "court_pendency": Measure("mart_court_disposal", "pending_trial_at_year_end", "m.total_for_trial", 100.0),
}


def _measure_long(
    con: Con, scope: Scope, measure: str, year_list: Sequence[int], crime_head: str | None
) -> pd.DataFrame:
    """Long frame state_code, year, num, den (den NULL for counts) of a measure."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    if not year_list:
        raise ValueError("choose at least one year")
    m = MEASURES[measure]
    pred, params = scope.where("m.state_code")
    yrs = [int(y) for y in year_list]
    if crime_head is None and m.table == "mart_crime_state_year":
        # All heads: the totals mart (its population is the right denominator for TOTAL).
        den = "SUM(m.population)" if m.den else "NULL"
        sql = (
            f"SELECT m.state_code, m.year, SUM(m.cases) AS num, {den} AS den "
            f"FROM marts.mart_crime_totals_state_year m WHERE m.total_kind = 'TOTAL' "
            f"AND m.year IN {_in(yrs)} AND {pred} GROUP BY m.state_code, m.year"
        )
        return _df(con, sql, [*yrs, *params])
    head_pred, head_params = ("m.crime_head_code = ?", [crime_head]) if crime_head else ("TRUE", [])
    den = f"SUM({m.den})" if m.den else "NULL"
    sql = (
        f"SELECT m.state_code, m.year, SUM(m.{m.num}) AS num, {den} AS den "
        f"FROM marts.{m.table} m JOIN marts.dim_crime_head h ON h.crime_head_code = m.crime_head_code "
        f"WHERE m.year IN {_in(yrs)} AND {head_pred} AND {pred} GROUP BY m.state_code, m.year"
    )
    return _df(con, sql, [*yrs, *head_params, *params])


@query(Capability.PARLIAMENT)
def measure_by_state_year(
    con: Con, scope: Scope, measure: str, year_list: Sequence[int], crime_head: str | None = None
) -> pd.DataFrame:
    """state_code, year, num, den of a measure (counts or the parts of a rate)."""
    return _measure_long(con, scope, measure, year_list, crime_head)


def _section_key(section: str) -> str:
    """A section as ingestion writes it (``376a`` -> ``376A``, ``305(A)`` -> ``305(a)``)."""
    return section_canonical(section) or section.strip()


@query(Capability.PARLIAMENT)
def section_cases_by_state_year(
    con: Con, scope: Scope, act: str, section: str, year_list: Sequence[int]
) -> pd.DataFrame:
    """FIRs registered with a given Act and section among their sections, by State and year."""
    if not year_list:
        raise ValueError("choose at least one year")
    yrs = [int(y) for y in year_list]
    pred, params = scope.where("f.state_code")
    return _df(
        con,
        f"""
        SELECT f.state_code, f.year, COUNT(*) AS num, NULL AS den
        FROM marts.fct_firs f
        WHERE f.fir_key IN (SELECT o.fir_key FROM marts.fct_fir_offences o WHERE o.act = ? AND o.section = ?)
          AND f.year IN {_in(yrs)} AND {pred}
        GROUP BY f.state_code, f.year
        """,
        [act.strip().upper(), _section_key(section), *yrs, *params],
    )


@query(Capability.PARLIAMENT)
def itsso_by_state_year(con: Con, scope: Scope, year_list: Sequence[int]) -> pd.DataFrame:
    """ITSSO compliance parts by State and year of registration: completed within two months
    (num) of cases due (den)."""
    yrs = [int(y) for y in year_list]
    pred, params = scope.where("m.state_code")
    return _df(
        con,
        f"SELECT m.state_code, year(m.month_start) AS year, SUM(m.completed_within) AS num, SUM(m.due) AS den "
        f"FROM marts.mart_itsso_compliance m WHERE year(m.month_start) IN {_in(yrs)} AND {pred} "
        "GROUP BY m.state_code, year(m.month_start)",
        [*yrs, *params],
    )


@query(Capability.PARLIAMENT)
def ndso_by_state_year(con: Con, scope: Scope, year_list: Sequence[int]) -> pd.DataFrame:
    """Convicted offenders entered in the NDSO, by State and year of conviction."""
    yrs = [int(y) for y in year_list]
    pred, params = scope.where("m.state_code")
    return _df(
        con,
        f"SELECT m.state_code, year(m.convicted_on) AS year, COUNT(*) AS num, NULL AS den "
        f"FROM marts.mart_ndso_registry m WHERE m.is_convicted AND year(m.convicted_on) IN {_in(yrs)} "
        f"AND {pred} GROUP BY m.state_code, year(m.convicted_on)",
        [*yrs, *params],
    )


@query(Capability.PARLIAMENT)
def ndso_by_state_status(con: Con, scope: Scope) -> pd.DataFrame:
    """NDSO registry size by State and status (CONVICTED, CHARGESHEETED_ONLY), as on today."""
    pred, params = scope.where("m.state_code")
    return _df(
        con,
        f"SELECT m.state_code, m.registry_status AS col, COUNT(*) AS num, NULL AS den "
        f"FROM marts.mart_ndso_registry m WHERE {pred} GROUP BY m.state_code, m.registry_status",
        params,
    )


@query(Capability.PARLIAMENT)
def cctns_usage_by_state(con: Con, scope: Scope) -> pd.DataFrame:
    """Police stations total, connected to CCTNS, using it and silent, by State."""
    pred, params = scope.where("m.state_code")
    return _df(
        con,
        f"SELECT m.state_code, m.stations_total, m.stations_connected, m.stations_using, m.stations_silent, "
        f"m.as_of FROM marts.mart_state_cctns_usage m WHERE {pred}",
        params,
    )


# ------------------------------------------------------------------------------------------
# RTI: aggregate counts, suppressed before they leave this module
# ------------------------------------------------------------------------------------------

RTI_KINDS: Final[dict[str, str]] = {
    "cases": "Cases registered",
    "chargesheeted": "Cases charge-sheeted by the police",
    "convicted": "Cases convicted by the courts",
}


@dataclass(frozen=True)
class RtiTable:
    """A suppressed State/UT x year table of counts, ready to show or export."""

    title: str
    row_labels: tuple[str, ...]
    col_labels: tuple[str, ...]
    table: suppression.Suppressed

    def frame(self) -> pd.DataFrame:
        return self.table.frame(self.row_labels, self.col_labels)


@query(Capability.RTI)
def rti_table(
    con: Con,
    scope: Scope,
    kind: str,
    year_list: Sequence[int],
    crime_head: str | None = None,
    threshold: int | None = None,
) -> RtiTable:
    """Counts by State/UT and year, with primary and secondary suppression applied.

    The public role cannot lower the threshold below the configured one."""
    if kind not in RTI_KINDS:
        raise ValueError(f"unknown RTI table {kind!r}")
    floor = suppression.configured_threshold()
    t = floor if threshold is None else int(threshold)
    if t < floor and scope.role == Role.PUBLIC:
        raise ScopeError(f"the public threshold cannot go below {floor}")
    t = max(t, 2)
    yrs = sorted({int(y) for y in year_list})
    long = _measure_long(con, scope, kind, yrs, crime_head)
    st = states(con, scope)
    matrix = [[0] * len(yrs) for _ in range(len(st))]
    pos = {c: i for i, c in enumerate(st["state_code"])}
    for r in long.itertuples(index=False):
        if r.state_code in pos and int(r.year) in yrs:
            matrix[pos[r.state_code]][yrs.index(int(r.year))] = int(r.num or 0)
    head = ""
    if crime_head:
        row = con.execute(
            "SELECT crime_head_name FROM marts.dim_crime_head WHERE crime_head_code = ?", [crime_head]
        ).fetchone()
        head = f" under {row[0] if row else crime_head}"
    table = suppression.suppress(matrix, t, row_totals=len(yrs) > 1, col_totals=True)
    return RtiTable(
        title=f"{RTI_KINDS[kind]}{head}, State/UT-wise, {yrs[0]}-{yrs[-1]}"
        if len(yrs) > 1
        else f"{RTI_KINDS[kind]}{head}, State/UT-wise, {yrs[0]}",
        row_labels=tuple(st["state_name"]),
        col_labels=tuple(str(y) for y in yrs),
        table=table,
    )


# ------------------------------------------------------------------------------------------
# Crime patterns
# ------------------------------------------------------------------------------------------


@query(Capability.PATTERNS)
def district_totals(con: Con, scope: Scope, state_code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Cases by district of one State between two months (inclusive)."""
    pred, params = scope.where("m.state_code", state_code)
    return _df(
        con,
        f"""
        SELECT d.district_code, d.district_name, COALESCE(SUM(m.cases), 0) AS cases
        FROM marts.dim_district d
        LEFT JOIN marts.mart_crime_district_month m
               ON m.state_code = d.state_code AND m.district_code = d.district_code
              AND m.month_start BETWEEN ? AND ?
        WHERE d.state_code = ? AND {pred}
        GROUP BY d.district_code, d.district_name ORDER BY cases DESC, d.district_name
        """,
        [start, end, state_code, *params],
    )


@query(Capability.PATTERNS)
def month_head_matrix(
    con: Con,
    scope: Scope,
    start: dt.date,
    end: dt.date,
    state_code: str | None = None,
    district_code: str | None = None,
) -> pd.DataFrame:
    """month_start x crime head cases, for the scope, one State or one district."""
    pred, params = scope.where("m.state_code", state_code)
    dist_pred, dist_params = ("m.district_code = ?", [district_code]) if district_code else ("TRUE", [])
    return _df(
        con,
        f"""
        SELECT m.month_start, h.crime_head_name, h.display_order, SUM(m.cases) AS cases
        FROM marts.mart_crime_district_month m JOIN marts.dim_crime_head h USING (crime_head_code)
        WHERE m.month_start BETWEEN ? AND ? AND {pred} AND {dist_pred}
        GROUP BY m.month_start, h.crime_head_name, h.display_order
        ORDER BY h.display_order, m.month_start
        """,
        [start, end, *params, *dist_params],
    )


@query(Capability.PATTERNS)
def mo_by_month(con: Con, scope: Scope, state_code: str | None = None) -> pd.DataFrame:
    pred, params = scope.where("m.state_code", state_code)
    return _df(
        con,
        f"SELECT m.month_start, m.mo_class, SUM(m.cases) AS cases FROM marts.mart_mo_state_month m "
        f"WHERE {pred} GROUP BY m.month_start, m.mo_class ORDER BY m.month_start",
        params,
    )


@query(Capability.PATTERNS)
def mo_top(con: Con, scope: Scope, crime_head: str | None = None, limit: int = 25) -> pd.DataFrame:
    """The most frequent MO combinations per crime head: a national table, so national scopes
    only (a State-scoped user gets an empty frame)."""
    if not scope.national:
        return pd.DataFrame(columns=["crime_head_name", "mo_class", "entry_method", "tools_used", "target"])
    head_pred, head_params = ("t.crime_head_code = ?", [crime_head]) if crime_head else ("TRUE", [])
    return _df(
        con,
        f"SELECT h.crime_head_name, t.mo_class, t.entry_method, t.tools_used, t.target, t.cases, "
        f"t.rank_in_head FROM marts.mart_mo_top t JOIN marts.dim_crime_head h USING (crime_head_code) "
        f"WHERE {head_pred} ORDER BY t.cases DESC LIMIT ?",
        [*head_params, int(limit)],
    )


@query(Capability.PATTERNS)
def mo_spread(con: Con, scope: Scope) -> pd.DataFrame:
    """How each MO class spread across the States in scope (first seen, adoption order)."""
    pred, params = scope.where("m.state_code")
    return _df(
        con,
        f"SELECT m.mo_class, s.state_name, m.first_seen_on, m.cases, m.adoption_order "
        f"FROM marts.mart_mo_spread m JOIN marts.dim_state s ON s.state_code = m.state_code "
        f"WHERE {pred} ORDER BY m.mo_class, m.adoption_order",
        params,
    )


@query(Capability.FIR_LOCATIONS)
def fir_locations(
    con: Con,
    scope: Scope,
    state_code: str,
    start: dt.date,
    end: dt.date,
    district_code: str | None = None,
    limit: int = 5000,
) -> pd.DataFrame:
    """FIR places of occurrence (never of a sexual offence) in one State, for the point map."""
    pred, params = scope.where("f.state_code", state_code)
    dist_pred, dist_params = ("f.district_code = ?", [district_code]) if district_code else ("TRUE", [])
    return _df(
        con,
        f"""
        SELECT f.place_lat AS lat, f.place_lon AS lon, f.registered_on, h.crime_head_name, f.district_code
        FROM marts.fct_firs f JOIN marts.dim_crime_head h USING (crime_head_code)
        WHERE f.place_lat IS NOT NULL AND f.place_lon IS NOT NULL AND NOT COALESCE(f.is_sexual_offence, FALSE)
          AND f.registered_on BETWEEN ? AND ? AND f.state_code = ? AND {pred} AND {dist_pred}
        ORDER BY f.registered_on DESC LIMIT ?
        """,
        [start, end, state_code, *params, *dist_params, int(limit)],
    )


# ------------------------------------------------------------------------------------------
# ITSSO
# ------------------------------------------------------------------------------------------

#: Grouping levels of the ITSSO summary: level -> (key columns, label expression, join).
_ITSSO_LEVELS: Final[dict[str, tuple[str, str, str]]] = {
    "state": ("m.state_code", "s.state_name", "JOIN marts.dim_state s ON s.state_code = m.state_code"),
    "district": (
        "m.state_code, m.district_code",
        "d.district_name",
        "JOIN marts.dim_district d ON d.state_code = m.state_code AND d.district_code = m.district_code",
    ),
    "station": ("m.ps_key", "p.ps_name", "JOIN marts.dim_police_station p ON p.ps_key = m.ps_key"),
}


@query(Capability.ITSSO)
def itsso_summary(
    con: Con,
    scope: Scope,
    level: str = "state",
    state_code: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """ITSSO counts summed to State, district or station; compliance = within / due x 100."""
    if level not in _ITSSO_LEVELS:
        raise ValueError(f"unknown level {level!r}")
    keys, label, join = _ITSSO_LEVELS[level]
    pred, params = scope.where("m.state_code", state_code)
    start = start or dt.date(1900, 1, 1)
    end = end or dt.date(2999, 12, 31)
    return _df(
        con,
        f"""
        SELECT {keys}, {label} AS name, SUM(m.registered) AS registered, SUM(m.due) AS due,
               SUM(m.completed_within) AS completed_within, SUM(m.completed_beyond) AS completed_beyond,
               SUM(m.overdue_open) AS overdue_open,
               CASE WHEN SUM(m.due) > 0 THEN SUM(m.completed_within) * 100.0 / SUM(m.due) END AS compliance_pct
        FROM marts.mart_itsso_compliance m {join}
        WHERE m.month_start BETWEEN ? AND ? AND {pred}
        GROUP BY {keys}, {label} ORDER BY compliance_pct NULLS LAST, name
        """,
        [start, end, *params],
    )


@query(Capability.ITSSO)
def itsso_monthly(con: Con, scope: Scope, state_code: str | None = None) -> pd.DataFrame:
    pred, params = scope.where("m.state_code", state_code)
    return _df(
        con,
        f"SELECT m.month_start, SUM(m.registered) AS registered, SUM(m.due) AS due, "
        f"SUM(m.completed_within) AS completed_within, "
        f"CASE WHEN SUM(m.due) > 0 THEN SUM(m.completed_within) * 100.0 / SUM(m.due) END AS compliance_pct "
        f"FROM marts.mart_itsso_compliance m WHERE {pred} GROUP BY m.month_start ORDER BY m.month_start",
        params,
    )


@query(Capability.ITSSO_OVERDUE)
def itsso_overdue(con: Con, scope: Scope, state_code: str | None = None, limit: int = 1000) -> pd.DataFrame:
    """Investigations past their deadline and still open: case keys and days only."""
    pred, params = scope.where("m.state_code", state_code)
    return _df(
        con,
        f"SELECT m.fir_key, m.ps_key, m.registered_on, m.due_on, m.days_overdue "
        f"FROM marts.mart_itsso_cases m WHERE m.itsso_status = 'OVERDUE_OPEN' AND {pred} "
        f"ORDER BY m.days_overdue DESC, m.fir_key LIMIT ?",
        [*params, int(limit)],
    )


# ------------------------------------------------------------------------------------------
# NDSO
# ------------------------------------------------------------------------------------------

NDSO_MIN_SCORE: Final = 0.86


def _search_key(text: str) -> tuple[str, str]:
    """(name_key, lower-case Latin) of a search term, the way ingestion keys names."""
    latin = txt.romanise(text) or text
    key = txt.name_key(latin) or latin.lower()
    return key, latin.lower().strip()


@query(Capability.NDSO)
def ndso_search(
    con: Con,
    scope: Scope,
    name: str = "",
    alias: str = "",
    district_code: str | None = None,
    state_code: str | None = None,
    min_score: float = NDSO_MIN_SCORE,
    limit: int = 50,
) -> pd.DataFrame:
    """Fuzzy search of the registry by name and/or alias (Jaro-Winkler on the matching key and on
    the Latin name; aliases by their best-matching entry), optionally within a district."""
    name, alias = name.strip(), alias.strip()
    if not name and not alias and not district_code:
        raise ValueError("give a name, an alias or a district")
    if district_code and not state_code and scope.states and len(scope.states) == 1:
        state_code = scope.states[0]
    if district_code and not state_code:
        raise ValueError("a district search needs a State")
    pred, params = scope.where("m.state_code", state_code)
    alias_type = con.execute(
        "SELECT data_type FROM information_schema.columns "
        "WHERE table_schema = 'marts' AND table_name = 'mart_ndso_registry' AND column_name = 'aliases'"
    ).fetchone()
    is_list = bool(alias_type and str(alias_type[0]).endswith("[]"))
    # The aliases column as a list of strings, whichever way the mart stores it.
    alias_list = "m.aliases" if is_list else "string_split(COALESCE(m.aliases, ''), ';')"
    score_parts: list[str] = []
    score_params: list[Any] = []
    if name:
        key, latin = _search_key(name)
        score_parts.append(
            "GREATEST(COALESCE(jaro_winkler_similarity(m.name_key, ?), 0), "
            "COALESCE(jaro_winkler_similarity(lower(m.name_latin), ?), 0), "
            "CASE WHEN levenshtein(m.name_key, ?) <= 1 THEN 0.95 ELSE 0 END)"
        )
        score_params += [key, latin, key]
    if alias:
        akey, alatin = _search_key(alias)
        score_parts.append(
            f"COALESCE(list_max(list_transform({alias_list}, lambda a: GREATEST("
            "jaro_winkler_similarity(lower(trim(a)), ?), jaro_winkler_similarity(lower(trim(a)), ?)))), 0)"
        )
        score_params += [akey, alatin]
    score = f"GREATEST({', '.join(score_parts)})" if score_parts else "1.0"
    dist_pred, dist_params = ("m.district_code = ?", [district_code]) if district_code else ("TRUE", [])
    aliases_text = "array_to_string(m.aliases, '; ')" if is_list else "m.aliases"
    return _df(
        con,
        f"""
        SELECT * FROM (
            SELECT m.offender_key, m.name, m.name_latin, {aliases_text} AS aliases, m.gender, m.birth_year,
                   m.address, m.state_code, m.district_code, m.registry_status, m.offence_groups, m.n_cases,
                   m.first_fir_on, m.latest_fir_on, m.convicted_on, round({score}, 3) AS score
            FROM marts.mart_ndso_registry m
            WHERE {pred} AND {dist_pred}
        ) WHERE score >= ? ORDER BY score DESC, latest_fir_on DESC LIMIT ?
        """,
        [*score_params, *params, *dist_params, float(min_score), int(limit)],
    )


# ------------------------------------------------------------------------------------------
# SCRB data health
# ------------------------------------------------------------------------------------------


@query(Capability.DATA_HEALTH)
def upload_health(con: Con, scope: Scope, state_code: str | None = None) -> pd.DataFrame:
    pred, params = scope.where("m.state_code", state_code)
    return _df(
        con,
        f"SELECT m.load_id, m.upload_id, m.state_code, m.extract_date, m.sequence, m.format, m.outcome, "
        f"m.reject_codes, m.rows_in, m.rows_loaded, m.rows_quarantined, m.fir_docs_in, m.fir_docs_applied, "
        f"m.errors, m.warnings, m.seconds, m.gate_status, m.gate_reason "
        f"FROM marts.mart_upload_health m WHERE {pred} ORDER BY m.extract_date DESC, m.state_code, m.sequence",
        params,
    )


@query(Capability.DATA_HEALTH)
def rule_counts(con: Con, scope: Scope, state_code: str | None = None) -> pd.DataFrame:
    pred, params = scope.where("m.state_code", state_code)
    return _df(
        con,
        f"SELECT m.rule_code, m.severity, SUM(m.rows) AS rows, COUNT(DISTINCT m.load_id) AS uploads "
        f"FROM marts.mart_upload_rule_counts m WHERE {pred} GROUP BY m.rule_code, m.severity "
        f"ORDER BY rows DESC, m.rule_code",
        params,
    )


@query(Capability.DATA_HEALTH)
def silent_stations(con: Con, scope: Scope, state_code: str | None = None) -> pd.DataFrame:
    pred, params = scope.where("m.state_code", state_code)
    return _df(
        con,
        f"SELECT m.ps_key, m.ps_name, m.ps_type, m.district_code, m.last_fir_registered_on, m.last_upload_on, "
        f"m.firs_total FROM marts.mart_station_activity m WHERE m.is_silent AND {pred} "
        f"ORDER BY m.last_fir_registered_on NULLS FIRST, m.ps_key",
        params,
    )


@query(Capability.DATA_HEALTH)
def cctns_usage(con: Con, scope: Scope, state_code: str | None = None) -> pd.DataFrame:
    pred, params = scope.where("m.state_code", state_code)
    return _df(
        con,
        f"SELECT s.state_name, m.* FROM marts.mart_state_cctns_usage m "
        f"JOIN marts.dim_state s ON s.state_code = m.state_code WHERE {pred} ORDER BY s.state_name",
        params,
    )


#: Fields of a feedback row whose value may identify a person (kept for reference: a value is
#: served only when it is known to be non-identifying, :func:`core.safe_text.redact_feedback_row`).
IDENTITY_FIELDS: Final = frozenset(
    {
        "name",
        "alias",
        "relative_name",
        "address",
        "identification_marks",
        "name_latin",
        "complainant",
        "record",
    }
)
WITHHELD: Final = safe_text.WITHHELD


def feedback_file_bytes(path: Path, outbox: Path, scope: Scope) -> bytes:
    """A feedback file as served by the dashboard: every value that may identify a person is
    withheld (in ``value``, in the message and in a key that is not a key: a raw record of rule
    120, free text, a name in a code column), whatever the file holds (files written before this
    rule are checked again), and every text cell is neutralised against formula injection."""
    scope.require(Capability.DATA_HEALTH)
    path = path.resolve()
    rel = path.relative_to(outbox.resolve())  # raises ValueError outside the outbox
    scope.visible(rel.parts[0])
    text = path.read_text(encoding="utf-8", errors="replace")
    return safe_text.sanitise_feedback_csv(text).encode("utf-8")


def feedback_files(outbox: Path, scope: Scope, state_code: str) -> list[Path]:
    """The error and warning files ingestion wrote for one State (``outbox/<state>/``)."""
    scope.require(Capability.DATA_HEALTH)
    scope.visible(state_code)
    if not (len(state_code) == 2 and state_code.isdigit()):
        raise ValueError(f"not a State code: {state_code!r}")
    folder = outbox / state_code
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.is_file() and p.suffix == ".csv"), reverse=True)
