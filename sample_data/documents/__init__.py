"""Build FIR documents (the eleven cas_csv tables) for FIRs as of a given day.

Input: rows of a :class:`~sample_data.world.StateWorld` with the day of the upload and the
document's ``record_version``. Everything a document holds is derived from the FIR's
``content_uid`` with the counter-based hasher, filtered by what had happened by that day
(arrests, final reports, trial, hearings), so re-sends are consistent with earlier versions.

:class:`Builder` (``builder.py``) holds the run's prepared reference arrays (:class:`Lookups`,
``lookups.py``) and writes each part of the document with one module, in the order of a FIR's
life, all sharing the documents of the build (:class:`~sample_data.documents.context.Docs`):

- ``registration.py``: fir.csv (registration, status as of the upload day, version);
- ``offences.py``: act_section.csv and crime_details.csv (sections, modus operandi);
- ``persons.py``: person.csv (accused, victims, complainant; repeat offenders, name variants);
- ``investigation.py``: arrest.csv and final_report.csv;
- ``property.py`` (with ``vehicles.py``): property.csv;
- ``court.py``: court_case.csv and hearing.csv.

``columns.py`` holds the NumPy-to-Polars helpers the parts (and ``sample_data.registers``) share.
"""

from sample_data.documents.builder import Builder
from sample_data.documents.columns import days_to_date, frame, minutes_to_datetime, series, take, zfill
from sample_data.documents.context import Docs
from sample_data.documents.lookups import Lookups

__all__ = [
    "Builder",
    "Docs",
    "Lookups",
    "days_to_date",
    "frame",
    "minutes_to_datetime",
    "series",
    "take",
    "zfill",
]
