"""The document builder: one generator run's :class:`Lookups` and the parts of a FIR document."""

from __future__ import annotations

import polars as pl

from core import extract_spec as spec
from sample_data.documents.context import Docs
from sample_data.documents.court import court_tables
from sample_data.documents.investigation import arrests, final_reports
from sample_data.documents.lookups import Lookups
from sample_data.documents.offences import act_sections, crime_details
from sample_data.documents.persons import persons_table
from sample_data.documents.property import property_table
from sample_data.documents.registration import fir_table
from sample_data.world import StateWorld

#: Child-row columns a table is sorted by after the FIR key (those it has).
_CHILD_ORDER = ("seq", "person_seq", "property_seq", "report_seq", "court_case_no", "hearing_date")


class Builder(Lookups):
    """Document builder for one generator run (reference arrays prepared once)."""

    def build(self, world: StateWorld, ev: pl.DataFrame) -> dict[str, pl.DataFrame]:
        """CAS tables for documents ``ev`` (columns row, day, version) of one State.

        Every table carries the hidden column ``_day`` (the upload day) so the caller can split
        a multi-day build into uploads; callers drop it before writing.
        """
        d = Docs.of(self, world, ev)
        tables: dict[str, pl.DataFrame] = {"fir.csv": fir_table(self, d)}
        tables["act_section.csv"] = act_sections(self, d)
        tables["crime_details.csv"] = crime_details(self, d)
        persons, accused = persons_table(self, d)
        tables["person.csv"] = persons
        tables["arrest.csv"] = arrests(self, d, accused)
        tables["property.csv"] = property_table(self, d)
        tables["final_report.csv"] = final_reports(d)
        tables["court_case.csv"], tables["hearing.csv"] = court_tables(self, d)
        return {name: _in_order(name, df) for name, df in tables.items()}


def _in_order(name: str, df: pl.DataFrame) -> pl.DataFrame:
    """The table's CAS columns, ``_day`` and its other hidden columns, sorted by upload day, FIR
    key and child key (ties keep the order the rows were built in)."""
    hidden = [c for c in df.columns if c.startswith("_") and c not in ("_doc", "_day")]
    cols = [*spec.CAS_COLUMNS[name], "_day", *hidden]
    sort = [*spec.FIR_KEY] + [c for c in _CHILD_ORDER if c in df.columns]
    return df.select(cols).sort(["_day", *sort], maintain_order=True)
