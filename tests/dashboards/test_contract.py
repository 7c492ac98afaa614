"""The warehouse the dashboards read has every table and column of the mart contract."""

from __future__ import annotations

import re

from core.settings import REPO_ROOT, Paths
from dashboards import db


def contract() -> dict[str, list[str]]:
    """Table -> columns, parsed from the "Mart contract" section of docs/warehouse.md."""
    text = (REPO_ROOT / "docs" / "warehouse.md").read_text(encoding="utf-8")
    text = text[text.index("## Mart contract") :]
    out: dict[str, list[str]] = {}
    for m in re.finditer(r"^- `(\w+)`: (.*?)(?=^- `|^#|\Z)", text, flags=re.M | re.S):
        raw = " ".join(m.group(2).split())
        pk = raw.find("(PK")
        if pk > 0 and ". " in raw[:pk]:  # a sentence describing the table comes before its columns
            raw = raw[raw.rindex(". ", 0, pk) + 2 :]
        raw = re.sub(r"^one row:", "", raw)
        body = re.sub(r"\([^()]*(\([^()]*\)[^()]*)*\)", "", raw)
        cols = [c.strip().split()[0] for c in body.split(",") if c.strip()]
        out[m.group(1)] = [c for c in cols if re.fullmatch(r"[a-z_0-9]+", c)]
    return out


def test_contract_tables_and_columns_exist(dash_env: Paths) -> None:
    spec = contract()
    assert len(spec) >= 20 and "fct_firs" in spec and "place_lat" in spec["fct_firs"]
    con = db.get_connection(dash_env)
    try:
        rows = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'marts'"
        ).fetchall()
    finally:
        con.close()
    have: dict[str, set[str]] = {}
    for t, c in rows:
        have.setdefault(t, set()).add(c)
    missing = {t: sorted(set(cols) - have.get(t, set())) for t, cols in spec.items()}
    assert {t: c for t, c in missing.items() if c or t not in have} == {}
