"""Mart suites: checks on a built (candidate) warehouse, against the mart contract (the dbt YAML of
the marts, read from ``core/mart_contract.json`` by :mod:`core.mart_contract`).

Each suite is a frame read from the warehouse (a mart table, or a reconciliation query over
several) and a list of :class:`~quality.suites.base.TableCheck` (one Great Expectations
expectation each). Critical failures stop publication; warnings are reported.

* ``mart.contract``: every mart of the contract exists with its columns.
* ``mart.<table>``: no negative counts; percentages within 0-100 and crime rates >= 0; the row
  identities of the disposal tables (disposed <= total for investigation or trial; trials
  completed = convicted + acquitted + discharged; disposed and pending at year end from the
  counts), and, as warnings, the NCRB formulas recomputed from the counts.
* ``mart.states``: every ``state_code`` of every mart in ``dim_state``.
* ``mart.reconcile``: per State and year, the FIRs of ``fct_firs`` = cases of
  ``mart_crime_state_year`` = the TOTAL of ``mart_crime_totals_state_year`` (= IPC_BNS + SLL) =
  ``mart_police_disposal.registered`` = the monthly and district marts summed; and every State
  and year with FIRs present in the State-year marts.
* ``mart.dim_state``: the 36 States/UTs of the reference data.

Unique keys, relationships other than to ``dim_state``, accepted values of codes and the
invariants of how a model is built (year-to-year carry of pending cases, disposal kinds summing to
disposed, one principal offence per FIR, no victim identity) are dbt tests, not checks here: each
check lives in one place (docs/quality.md, "dbt tests or the mart suite").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from core import mart_contract
from quality.config import CRITICAL, PERCENT_MAX, RATE_TOLERANCE, WARNING
from quality.suites.base import TableCheck

SCHEMA: Final = mart_contract.SCHEMA

#: The mart contract: table -> columns, from the dbt YAML of the marts (``core/mart_contract.json``).
CONTRACT: Final[dict[str, tuple[str, ...]]] = mart_contract.column_names()


@dataclass(frozen=True)
class TableRules:
    """What is checked on one mart table (columns that must exist for the check to run)."""

    #: the row identity (index of the examples; its uniqueness is a dbt test of the model)
    keys: tuple[str, ...]
    counts: tuple[str, ...] = ()
    percents: tuple[str, ...] = ()
    non_negative_rates: tuple[str, ...] = ()
    #: (larger, smaller, label): larger >= smaller on every row
    at_least: tuple[tuple[str, str, str], ...] = ()
    #: (column, SQL expression it must equal, label, severity)
    equals: tuple[tuple[str, str, str, str], ...] = ()
    #: (rate column, SQL recomputation, label): within RATE_TOLERANCE (warning)
    formulas: tuple[tuple[str, str, str], ...] = ()


def _ratio(num: str, den: str) -> str:
    return f"case when {den} > 0 then 100.0 * {num} / {den} end"


TABLES: Final[dict[str, TableRules]] = {
    "fct_firs": TableRules(
        keys=("fir_key",),
        counts=("n_sections", "n_accused", "n_victims", "n_female_victims", "n_child_victims"),
        at_least=(
            ("n_victims", "n_female_victims", "female victims <= victims"),
            ("n_victims", "n_child_victims", "child victims <= victims"),
        ),
    ),
    "mart_crime_state_year": TableRules(
        keys=("state_code", "year", "crime_head_code"),
        counts=("cases", "victims", "population", "female_population"),
        non_negative_rates=("crime_rate",),
    ),
    "mart_crime_totals_state_year": TableRules(
        keys=("state_code", "year", "total_kind"),
        counts=("cases", "population"),
        non_negative_rates=("crime_rate",),
    ),
    "mart_crime_district_month": TableRules(
        keys=("state_code", "district_code", "month_start", "crime_head_code"), counts=("cases", "victims")
    ),
    "mart_crime_state_month": TableRules(
        keys=("state_code", "month_start", "crime_head_code"), counts=("cases",)
    ),
    "mart_police_disposal": TableRules(
        keys=("state_code", "year", "crime_head_code"),
        counts=(
            "pending_from_previous_year",
            "registered",
            "reopened",
            "total_for_investigation",
            "quashed",
            "chargesheeted",
            "not_chargesheeted",
            "fr_undetected_untraced",
            "fr_abated",
            "fr_false_mistake",
            "fr_non_cognizable_civil",
            "disposed",
            "pending_at_year_end",
        ),
        percents=("chargesheeting_rate", "police_pendency_pct"),
        at_least=(
            ("total_for_investigation", "disposed", "disposed <= total for investigation"),
            (
                "total_for_investigation",
                "pending_at_year_end",
                "pending at year end <= total for investigation",
            ),
            ("disposed", "chargesheeted", "charge-sheeted <= disposed"),
        ),
        equals=(
            (
                "total_for_investigation",
                "pending_from_previous_year + registered + reopened",
                "total for investigation = pending from previous year + registered + reopened",
                WARNING,
            ),
            (
                "pending_at_year_end",
                "total_for_investigation - disposed - quashed",
                "pending at year end = total for investigation - disposed - quashed",
                CRITICAL,
            ),
        ),
        formulas=(
            ("chargesheeting_rate", _ratio("chargesheeted", "disposed"), "charge-sheeted / disposed x 100"),
            (
                "police_pendency_pct",
                _ratio("pending_at_year_end", "total_for_investigation"),
                "pending at year end / total for investigation x 100",
            ),
        ),
    ),
    "mart_court_disposal": TableRules(
        keys=("state_code", "year", "crime_head_code"),
        counts=(
            "pending_trial_from_previous_year",
            "sent_for_trial",
            "total_for_trial",
            "convicted",
            "acquitted",
            "discharged",
            "trials_completed",
            "compounded_withdrawn",
            "abated",
            "quashed",
            "disposed",
            "pending_trial_at_year_end",
        ),
        percents=("conviction_rate", "court_pendency_pct"),
        at_least=(
            ("total_for_trial", "disposed", "disposed <= total for trial"),
            ("total_for_trial", "pending_trial_at_year_end", "pending at year end <= total for trial"),
            ("trials_completed", "convicted", "convicted <= trials completed"),
        ),
        equals=(
            (
                "trials_completed",
                "convicted + acquitted + discharged",
                "trials completed = convicted + acquitted + discharged",
                CRITICAL,
            ),
            (
                "total_for_trial",
                "pending_trial_from_previous_year + sent_for_trial",
                "total for trial = pending from previous year + sent for trial",
                WARNING,
            ),
            (
                "disposed",
                "trials_completed + compounded_withdrawn + abated + quashed",
                "disposed = trials completed + compounded/withdrawn + abated + quashed",
                CRITICAL,
            ),
            (
                "pending_trial_at_year_end",
                "total_for_trial - disposed",
                "pending at year end = total for trial - disposed",
                CRITICAL,
            ),
        ),
        formulas=(
            (
                "conviction_rate",
                _ratio("convicted", "trials_completed"),
                "convicted / trials completed x 100",
            ),
            (
                "court_pendency_pct",
                _ratio("pending_trial_at_year_end", "total_for_trial"),
                "pending trial at year end / total for trial x 100",
            ),
        ),
    ),
    "mart_itsso_compliance": TableRules(
        keys=("ps_key", "month_start"),
        counts=("registered", "due", "completed_within", "completed_beyond", "overdue_open"),
        percents=("compliance_pct",),
        at_least=(("registered", "due", "due <= registered"),),
        formulas=(("compliance_pct", _ratio("completed_within", "due"), "completed within / due x 100"),),
    ),
    "mart_itsso_cases": TableRules(keys=("fir_key",)),
    "mart_ndso_registry": TableRules(keys=("offender_key",), counts=("n_cases",)),
    "mart_mo_state_month": TableRules(
        keys=("state_code", "month_start", "crime_head_code", "mo_class"), counts=("cases",)
    ),
    "mart_mo_top": TableRules(
        keys=("crime_head_code", "mo_class", "entry_method", "tools_used", "target"),
        counts=("cases",),
    ),
    "mart_mo_spread": TableRules(keys=("mo_class", "state_code"), counts=("cases",)),
    "mart_station_activity": TableRules(
        keys=("ps_key",),
        counts=("firs_last_30_days", "firs_total"),
        at_least=(("firs_total", "firs_last_30_days", "FIRs of the last 30 days <= all FIRs"),),
    ),
    "mart_state_cctns_usage": TableRules(
        keys=("state_code",),
        counts=("stations_total", "stations_connected", "stations_using", "stations_silent"),
        at_least=(
            ("stations_total", "stations_connected", "connected <= total"),
            ("stations_connected", "stations_using", "using <= connected"),
        ),
    ),
    "mart_upload_health": TableRules(
        keys=("load_id",),
        counts=(
            "rows_in",
            "rows_loaded",
            "rows_quarantined",
            "fir_docs_in",
            "fir_docs_applied",
            "errors",
            "warnings",
        ),
        at_least=(("rows_in", "rows_loaded", "rows loaded <= rows in"),),
    ),
    "mart_upload_rule_counts": TableRules(keys=("load_id", "rule_code", "severity"), counts=("rows",)),
}

PERCENT_RANGE: Final = (0.0, PERCENT_MAX)


def table_checks(table: str, rules: TableRules) -> list[TableCheck]:
    suite = f"mart.{table}"
    out: list[TableCheck] = []

    def add(
        check_id: str,
        expectation: str,
        kwargs: dict[str, object],
        severity: str,
        column: str | None,
        description: str,
    ) -> None:
        out.append(
            TableCheck(suite, f"{suite}.{check_id}", expectation, kwargs, severity, column, description)
        )

    negative = (*rules.counts, *rules.non_negative_rates)
    if negative:
        add(
            "non_negative",
            "ExpectColumnValuesToBeBetween",
            {"column": "_negative_values", "min_value": 0, "max_value": 0},
            CRITICAL,
            f"{table}.({', '.join(negative)})",
            f"{table}: no negative count or rate ({', '.join(negative)}); examples name the columns.",
        )
    if rules.percents:
        lo, hi = PERCENT_RANGE
        add(
            "percent_range",
            "ExpectColumnValuesToBeBetween",
            {"column": "_percents_out_of_range", "min_value": 0, "max_value": 0},
            CRITICAL,
            f"{table}.({', '.join(rules.percents)})",
            f"{table}: percentages ({', '.join(rules.percents)}) within {lo:g}-{hi:g} "
            "(NULL when the denominator is 0); examples name the columns.",
        )
    for big, small, label in rules.at_least:
        add(
            f"{small}_le_{big}",
            "ExpectColumnPairValuesAToBeGreaterThanB",
            {
                "column_A": big,
                "column_B": small,
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
            CRITICAL,
            f"{table}.{small}",
            f"{table}: {label}.",
        )
    for c, _expr, label, severity in rules.equals:
        add(
            f"{c}.identity",
            "ExpectColumnPairValuesToBeEqual",
            {"column_A": c, "column_B": f"_expected_{c}", "ignore_row_if": "either_value_is_missing"},
            severity,
            f"{table}.{c}",
            f"{table}: {label}.",
        )
    for c, _expr, label in rules.formulas:
        add(
            f"{c}.formula",
            "ExpectColumnValuesToBeBetween",
            {"column": f"_diff_{c}", "min_value": 0.0, "max_value": RATE_TOLERANCE},
            WARNING,
            f"{table}.{c}",
            f"{table}.{c} = {label} (within {RATE_TOLERANCE} points).",
        )
    return out


def index_columns(rules: TableRules) -> list[str]:
    """Columns naming a failing row in the results: the key, and which columns were out of range."""
    cols = list(rules.keys)
    if rules.counts or rules.non_negative_rates:
        cols.append("_negative_columns")
    if rules.percents:
        cols.append("_percent_columns")
    return cols


def _flags(columns: tuple[str, ...], bad: str) -> tuple[str, str]:
    """SQL: how many of ``columns`` satisfy ``bad`` ({c} is the column), and their names."""
    conds = [bad.format(c=f'"{c}"') for c in columns]
    count = " + ".join(f"coalesce(({cond})::int, 0)" for cond in conds)
    names = ", ".join(f"case when {cond} then '{c}' end" for c, cond in zip(columns, conds, strict=True))
    return count, f"concat_ws(',', {names})"


def table_query(table: str, rules: TableRules) -> str:
    """The frame of a table's suite: the columns checked and the derived ones (``_expected_``, ``_diff_``,
    ``_negative_values``/``_negative_columns``, ``_percents_out_of_range``/``_percent_columns``)."""
    cols = list(rules.keys)
    cols += [c for big, small, _ in rules.at_least for c in (big, small) if c not in cols]
    cols += [c for c, *_ in rules.equals if c not in cols]
    derived = [f"({expr}) as _expected_{c}" for c, expr, *_ in rules.equals]
    derived += [f"abs(({c}) - ({expr})) as _diff_{c}" for c, expr, _ in rules.formulas]
    negative = (*rules.counts, *rules.non_negative_rates)
    if negative:
        count, names = _flags(negative, "{c} < 0")
        derived += [f"{count} as _negative_values", f"{names} as _negative_columns"]
    if rules.percents:
        lo, hi = PERCENT_RANGE
        count, names = _flags(rules.percents, f"{{c}} < {lo} or {{c}} > {hi}")
        derived += [f"{count} as _percents_out_of_range", f"{names} as _percent_columns"]
    select = ", ".join([*(f'"{c}"' for c in cols), *derived])
    return f"select {select} from {SCHEMA}.{table}"


# --- reconciliation between marts --------------------------------------------------------------
RECONCILE_QUERY: Final = f"""
with firs as (select state_code, year, count(*) as firs from {SCHEMA}.fct_firs group by all),
csy as (select state_code, year, sum(cases) as cases, count(*) as n from {SCHEMA}.mart_crime_state_year group by all),
tot as (
    select state_code, year,
           sum(cases) filter (where total_kind = 'TOTAL') as total,
           sum(cases) filter (where total_kind in ('IPC_BNS', 'SLL')) as ipc_bns_sll,
           count(*) as n
    from {SCHEMA}.mart_crime_totals_state_year group by all),
pol as (select state_code, year, sum(registered) as registered, count(*) as n
        from {SCHEMA}.mart_police_disposal group by all),
csm as (select state_code, year, sum(cases) as cases from {SCHEMA}.mart_crime_state_month group by all),
cdm as (select state_code, year, sum(cases) as cases from {SCHEMA}.mart_crime_district_month group by all),
keys as (
    select state_code, year from firs union select state_code, year from csy union
    select state_code, year from tot union select state_code, year from pol union
    select state_code, year from csm union select state_code, year from cdm)
select k.state_code, k.year::bigint as year,
       coalesce(firs.firs, 0)::bigint as fct_firs,
       coalesce(csy.cases, 0)::bigint as crime_state_year_cases,
       coalesce(tot.total, 0)::bigint as totals_total,
       coalesce(tot.ipc_bns_sll, 0)::bigint as totals_ipc_bns_plus_sll,
       coalesce(pol.registered, 0)::bigint as police_registered,
       coalesce(csm.cases, 0)::bigint as crime_state_month_cases,
       coalesce(cdm.cases, 0)::bigint as crime_district_month_cases,
       (case when firs.firs > 0 then coalesce(csy.n, 0) end)::bigint as rows_in_crime_state_year,
       (case when firs.firs > 0 then coalesce(tot.n, 0) end)::bigint as rows_in_crime_totals,
       (case when firs.firs > 0 then coalesce(pol.n, 0) end)::bigint as rows_in_police_disposal
from keys k
left join firs using (state_code, year) left join csy using (state_code, year)
left join tot using (state_code, year) left join pol using (state_code, year)
left join csm using (state_code, year) left join cdm using (state_code, year)
order by 1, 2
"""
RECONCILE_TABLES: Final = (
    "fct_firs",
    "mart_crime_state_year",
    "mart_crime_totals_state_year",
    "mart_police_disposal",
    "mart_crime_state_month",
    "mart_crime_district_month",
)


def reconcile_checks() -> list[TableCheck]:
    suite = "mart.reconcile"
    out = []
    for col, label in (
        ("crime_state_year_cases", "mart_crime_state_year.cases summed"),
        ("totals_total", "mart_crime_totals_state_year TOTAL"),
        ("police_registered", "mart_police_disposal.registered summed"),
        ("crime_state_month_cases", "mart_crime_state_month.cases summed"),
        ("crime_district_month_cases", "mart_crime_district_month.cases summed"),
    ):
        out.append(
            TableCheck(
                suite,
                f"{suite}.{col}",
                "ExpectColumnPairValuesToBeEqual",
                {"column_A": "fct_firs", "column_B": col},
                CRITICAL,
                f"reconcile.{col}",
                f"Per State and year, {label} = the FIRs of fct_firs (the same incidence).",
            )
        )
    out.append(
        TableCheck(
            suite,
            f"{suite}.totals_parts",
            "ExpectColumnPairValuesToBeEqual",
            {"column_A": "totals_total", "column_B": "totals_ipc_bns_plus_sll"},
            CRITICAL,
            "reconcile.totals_total",
            "Per State and year, TOTAL = IPC_BNS + SLL in mart_crime_totals_state_year.",
        )
    )
    for col, table in (
        ("rows_in_crime_state_year", "mart_crime_state_year"),
        ("rows_in_crime_totals", "mart_crime_totals_state_year"),
        ("rows_in_police_disposal", "mart_police_disposal"),
    ):
        out.append(
            TableCheck(
                suite,
                f"{suite}.{col}",
                "ExpectColumnValuesToBeBetween",
                {"column": col, "min_value": 1},
                CRITICAL,
                f"{table}.year",
                f"Every State and year with FIRs is present in {table}.",
            )
        )
    return out


def states_query(tables: list[str]) -> str:
    """Every (mart, State) pair: the frame of ``mart.states``."""
    parts = [f"select distinct '{t}' as table_name, state_code from {SCHEMA}.{t}" for t in tables]
    return " union all ".join(parts) + " order by 1, 2"


def state_tables() -> list[str]:
    """Marts (and dimensions other than dim_state) that carry a ``state_code``."""
    return [t for t, cols in CONTRACT.items() if "state_code" in cols and t != "dim_state"]


def states_checks(dim_states: list[str]) -> list[TableCheck]:
    suite = "mart.states"
    return [
        TableCheck(
            suite,
            f"{suite}.in_dim_state",
            "ExpectColumnValuesToBeInSet",
            {"column": "state_code", "value_set": dim_states},
            CRITICAL,
            "*.state_code",
            "Every State in every mart is in dim_state (examples name the mart).",
        )
    ]


def dim_state_checks(reference_states: list[str]) -> list[TableCheck]:
    suite = "mart.dim_state"
    return [
        TableCheck(
            suite,
            f"{suite}.all_states",
            "ExpectColumnDistinctValuesToEqualSet",
            {"column": "state_code", "value_set": reference_states},
            CRITICAL,
            "dim_state.state_code",
            "dim_state holds exactly the States/UTs of the reference data.",
        ),
    ]


def contract_checks() -> list[TableCheck]:
    suite = "mart.contract"
    return [
        TableCheck(
            suite,
            f"{suite}.tables",
            "ExpectColumnValuesToBeBetween",
            {"column": "present", "min_value": 1, "max_value": 1},
            CRITICAL,
            None,
            "Every mart of the contract (the dbt YAML of the marts) exists in schema marts.",
        ),
        TableCheck(
            suite,
            f"{suite}.columns",
            "ExpectColumnValuesToBeBetween",
            {"column": "missing_columns", "min_value": 0, "max_value": 0},
            CRITICAL,
            None,
            "Every mart has the columns of the contract.",
        ),
    ]
