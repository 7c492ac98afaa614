"""The State extract interface, version 1 (``shared/EXTRACT_SPEC.md``) as data.

This module is the single place in the code base that spells out the contract: file names,
column orders, enumerations and the field names of the JSONL and XML formats. The generator
writes uploads from it, the ingestion adapters read them with it, and the tests check one
against the other. The contract itself is external: change this module only when the spec
document changes.

Choices the spec leaves open (documented in ``docs/extract_spec_notes.md``):

* ``fir_no`` is a 4-digit zero-padded serial; district codes are 3-digit zero-padded LGD-style
  codes; police-station codes are 5 digits.
* Timestamps are generated at minute precision because the JSONL format carries
  ``DD/MM/YYYY HH:mm`` only; date-only fields are ``DD/MM/YYYY`` in JSONL and ``YYYY-MM-DD``
  in CSV and XML.
* Y/N flags are ``"Y"``/``"N"`` in CSV and XML and JSON booleans in JSONL.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

SPEC_VERSION: Final = 1
UPLOAD_NAME_RE: Final = re.compile(r"^(?P<state>\d{2})_(?P<date>\d{8})_(?P<seq>\d{2})$")

FORMATS: Final = ("cas_csv", "jsonl", "xml")
#: States on their own software (EXTRACT_SPEC.md "Three formats"); every other State is on CAS.
OWN_FORMAT_STATES: Final[dict[str, str]] = {
    "28": "jsonl",  # Andhra Pradesh
    "29": "jsonl",  # Karnataka
    "33": "jsonl",  # Tamil Nadu
    "36": "jsonl",  # Telangana
    "30": "xml",  # Goa
    "24": "xml",  # Gujarat
}


def format_for_state(state_code: str) -> str:
    return OWN_FORMAT_STATES.get(state_code, "cas_csv")


FIR_KEY: Final = ("state_code", "district_code", "ps_code", "fir_year", "fir_no")

#: cas_csv files and their columns, in order.
CAS_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "fir.csv": (
        *FIR_KEY,
        "registered_at",
        "occurred_from",
        "occurred_to",
        "info_received_at",
        "gd_entry_no",
        "info_type",
        "place_lat",
        "place_lon",
        "beat_no",
        "is_zero_fir",
        "transferred_to_ps",
        "io_name",
        "io_rank",
        "brief_facts",
        "status",
        "status_date",
        "record_version",
        "last_modified",
    ),
    "act_section.csv": (*FIR_KEY, "seq", "act", "section"),
    "crime_details.csv": (
        *FIR_KEY,
        "place_type",
        "mo_class",
        "entry_method",
        "tools_used",
        "target",
        "time_of_day",
        "mo_text",
    ),
    "person.csv": (
        *FIR_KEY,
        "person_seq",
        "role",
        "name",
        "alias",
        "relative_name",
        "gender",
        "birth_year",
        "age",
        "nationality",
        "address",
        "address_district_code",
        "height_cm",
        "complexion",
        "identification_marks",
        "occupation",
    ),
    "arrest.csv": (*FIR_KEY, "person_seq", "arrested_on", "arrest_status"),
    "property.csv": (
        *FIR_KEY,
        "property_seq",
        "nature",
        "category",
        "description",
        "value_inr",
        "vehicle_reg_no",
        "chassis_no",
        "engine_no",
        "make",
        "event_date",
    ),
    "final_report.csv": (*FIR_KEY, "report_seq", "report_date", "report_type", "is_supplementary"),
    "court_case.csv": (*FIR_KEY, "court_case_no", "court_name", "committed_on", "disposal_date", "result"),
    "hearing.csv": (*FIR_KEY, "court_case_no", "hearing_date", "adjourned", "sought_by"),
    "missing_person.csv": (
        "state_code",
        "district_code",
        "ps_code",
        "report_no",
        "report_date",
        "name",
        "gender",
        "age",
        "height_cm",
        "complexion",
        "identification_marks",
        "last_seen_on",
        "last_seen_place",
        "status",
        "record_version",
    ),
    "unidentified_body.csv": (
        "state_code",
        "district_code",
        "ps_code",
        "ud_case_no",
        "found_on",
        "gender",
        "age_low",
        "age_high",
        "height_cm",
        "complexion",
        "identification_marks",
        "found_place",
        "place_lat",
        "place_lon",
        "record_version",
    ),
}

#: The FIR document's child tables (all of cas_csv except fir.csv and the two stand-alone registers).
FIR_CHILD_FILES: Final = (
    "act_section.csv",
    "crime_details.csv",
    "person.csv",
    "arrest.csv",
    "property.csv",
    "final_report.csv",
    "court_case.csv",
    "hearing.csv",
)
REGISTER_FILES: Final = ("missing_person.csv", "unidentified_body.csv")

#: Files delivered by each format, every time (header-only or empty when there are no records).
FORMAT_FILES: Final[dict[str, tuple[str, ...]]] = {
    "cas_csv": tuple(CAS_COLUMNS),
    "jsonl": ("firs.jsonl", *REGISTER_FILES),
    "xml": ("firs.xml", *REGISTER_FILES),
}

#: Columns holding timestamps (minute precision, IST) and dates, per cas_csv file.
TIMESTAMP_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "fir.csv": ("registered_at", "occurred_from", "occurred_to", "info_received_at", "last_modified"),
}
DATE_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "fir.csv": ("status_date",),
    "arrest.csv": ("arrested_on",),
    "property.csv": ("event_date",),
    "final_report.csv": ("report_date",),
    "court_case.csv": ("committed_on", "disposal_date"),
    "hearing.csv": ("hearing_date",),
    "missing_person.csv": ("report_date", "last_seen_on"),
    "unidentified_body.csv": ("found_on",),
}
INTEGER_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "fir.csv": ("fir_year", "record_version"),
    "act_section.csv": ("fir_year", "seq"),
    "crime_details.csv": ("fir_year",),
    "person.csv": ("fir_year", "birth_year", "age", "height_cm"),
    "arrest.csv": ("fir_year",),
    "property.csv": ("fir_year", "property_seq", "value_inr"),
    "final_report.csv": ("fir_year", "report_seq"),
    "court_case.csv": ("fir_year",),
    "hearing.csv": ("fir_year",),
    "missing_person.csv": ("age", "height_cm", "record_version"),
    "unidentified_body.csv": ("age_low", "age_high", "height_cm", "record_version"),
}
FLOAT_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "fir.csv": ("place_lat", "place_lon"),
    "unidentified_body.csv": ("place_lat", "place_lon"),
}
FLAG_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "fir.csv": ("is_zero_fir",),
    "final_report.csv": ("is_supplementary",),
    "hearing.csv": ("adjourned",),
}


def column_kind(file: str, column: str) -> str:
    """Value kind of an interface column: ts, date, int, float, flag or text."""
    for kind, table in (
        ("ts", TIMESTAMP_COLUMNS),
        ("date", DATE_COLUMNS),
        ("int", INTEGER_COLUMNS),
        ("float", FLOAT_COLUMNS),
        ("flag", FLAG_COLUMNS),
    ):
        if column in table.get(file, ()):
            return kind
    return "text"


# --- enumerations -------------------------------------------------------------------------
ACTS: Final = (
    "IPC",
    "BNS",
    "POCSO",
    "NDPS",
    "ARMS",
    "IT",
    "SCST_POA",
    "DP",
    "EXCISE",
    "GAMBLING",
    "MV",
    "OTHER_SLL",
)
INFO_TYPES: Final = ("W", "O")
FIR_STATUSES: Final = (
    "UNDER_INVESTIGATION",
    "CHARGESHEETED",
    "FINAL_REPORT",
    "TRANSFERRED",
    "QUASHED",
    "EXPUNGED",
)
ROLES: Final = ("ACCUSED", "VICTIM", "COMPLAINANT")
GENDERS: Final = ("M", "F", "T", "U")
ARREST_STATUSES: Final = (
    "ARRESTED_FORWARDED",
    "POLICE_BAIL",
    "ANTICIPATORY_BAIL",
    "POLICE_CUSTODY",
    "SURRENDERED_BAILED",
    "SURRENDERED_JUDICIAL_CUSTODY",
    "SURRENDERED_POLICE_CUSTODY",
)
PROPERTY_NATURES: Final = ("STOLEN", "RECOVERED", "SEIZED", "UNCLAIMED")
PROPERTY_CATEGORIES: Final = ("VEHICLE", "MOBILE", "CASH", "JEWELLERY", "ARMS", "DRUGS", "OTHER")
REPORT_TYPES: Final = (
    "CHARGESHEET",
    "NOT_CHARGESHEETED",
    "FR_UNDETECTED",
    "FR_UNTRACED",
    "FR_ABATED",
    "FR_FALSE",
    "FR_MISTAKE_OF_FACT",
    "FR_MISTAKE_OF_LAW",
    "FR_NON_COGNIZABLE",
    "FR_CIVIL",
)
COURT_RESULTS: Final = (
    "PENDING",
    "CONVICTED",
    "ACQUITTED",
    "DISCHARGED",
    "COMPOUNDED",
    "WITHDRAWN",
    "ABATED",
)
SOUGHT_BY: Final = ("PROSECUTION", "DEFENCE", "COURT")
MISSING_STATUSES: Final = ("MISSING", "TRACED")
FLAGS: Final = ("Y", "N")

#: Enumerated columns per cas_csv file.
ENUMS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "fir.csv": {"info_type": INFO_TYPES, "is_zero_fir": FLAGS, "status": FIR_STATUSES},
    "act_section.csv": {"act": ACTS},
    "person.csv": {"role": ROLES, "gender": GENDERS},
    "arrest.csv": {"arrest_status": ARREST_STATUSES},
    "property.csv": {"nature": PROPERTY_NATURES, "category": PROPERTY_CATEGORIES},
    "final_report.csv": {"report_type": REPORT_TYPES, "is_supplementary": FLAGS},
    "court_case.csv": {"result": COURT_RESULTS},
    "hearing.csv": {"adjourned": FLAGS, "sought_by": SOUGHT_BY},
    "missing_person.csv": {"gender": GENDERS, "status": MISSING_STATUSES},
    "unidentified_body.csv": {"gender": GENDERS},
}

# --- JSONL ----------------------------------------------------------------------------------


def camel(name: str) -> str:
    """snake_case -> camelCase, the JSONL field naming rule."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def pascal(name: str) -> str:
    """snake_case -> PascalCase, the XML element naming rule."""
    return "".join(part.capitalize() for part in name.split("_"))


#: FIR-level JSONL fields named by the spec itself; every other column follows ``camel``.
JSONL_FIR_FIELDS: Final[dict[str, str]] = {
    "registered_at": "registeredOn",
    "info_received_at": "infoReceivedOn",
    "record_version": "version",
    "last_modified": "updatedOn",
}
JSONL_TIMESTAMP_FORMAT: Final = "%d/%m/%Y %H:%M"
JSONL_DATE_FORMAT: Final = "%d/%m/%Y"
CSV_TIMESTAMP_FORMAT: Final = "%Y-%m-%d %H:%M:%S"
CSV_DATE_FORMAT: Final = "%Y-%m-%d"
XML_TIMESTAMP_FORMAT: Final = "%Y-%m-%dT%H:%M:%S+05:30"
IST_OFFSET: Final = "+05:30"

#: JSONL arrays of the FIR document and the cas_csv file each mirrors.
JSONL_ARRAYS: Final[dict[str, str]] = {
    "sections": "act_section.csv",
    "accused": "person.csv",
    "victims": "person.csv",
    "arrests": "arrest.csv",
    "properties": "property.csv",
    "finalReports": "final_report.csv",
    "courtCases": "court_case.csv",
}


def fir_key_str(state: str, district: str, ps: str, year: int, no: str) -> str:
    """Human-readable FIR key used in ground truth, feedback files and logs."""
    return f"{state}-{district}-{ps}-{year}-{no}"


# --- serialisation details the spec leaves open (docs/extract_spec_notes.md) -----------------
MANIFEST_FILE: Final = "manifest.json"
#: Keys of manifest.json, in the order EXTRACT_SPEC.md lists them.
MANIFEST_KEYS: Final = (
    "spec_version",
    "state_code",
    "extract_date",
    "sequence",
    "source_system",
    "format",
    "generated_at",
    "files",
)
#: Decimals of floats (place_lat/place_lon) in cas_csv and XML; JSONL writes the shortest number.
CSV_FLOAT_DECIMALS: Final = 6
XML_DATE_FORMAT: Final = "%Y-%m-%d"
XML_ROOT: Final = "FirExport"
XML_FIR: Final = "FIR"

#: Child files nested inside another child rather than directly in the FIR document:
#: file -> (parent file, column joining it to its parent in addition to the FIR key).
NESTED_CHILDREN: Final[dict[str, tuple[str, str]]] = {"hearing.csv": ("court_case.csv", "court_case_no")}

#: Order of the child parts of a JSONL FIR document (after the FIR fields).
JSONL_DOCUMENT_PARTS: Final = (
    "sections",
    "crimeDetails",
    "accused",
    "victims",
    "complainant",
    "arrests",
    "properties",
    "finalReports",
    "courtCases",
)
#: JSONL parts that are a single object (the first matching row) rather than an array.
JSONL_OBJECTS: Final[dict[str, str]] = {"crimeDetails": "crime_details.csv", "complainant": "person.csv"}
#: JSONL person parts and the person.csv role each holds.
JSONL_PERSON_ROLES: Final[dict[str, str]] = {
    "accused": "ACCUSED",
    "victims": "VICTIM",
    "complainant": "COMPLAINANT",
}
#: Array of a court case holding its hearings.
JSONL_NESTED_ARRAYS: Final[dict[str, str]] = {"hearings": "hearing.csv"}
#: Child columns (besides the FIR key and NESTED_CHILDREN join columns) not written in JSONL:
#: a section's seq is its 1-based position in ``sections``; a person's role is the array.
JSONL_CHILD_OMIT: Final[dict[str, tuple[str, ...]]] = {"act_section.csv": ("seq",), "person.csv": ("role",)}

#: XML child records per cas_csv file, in document order:
#: file -> (container element or None, record element, ((attribute, column), ...), text column or None).
#: Every other non-key column is a child element in PascalCase, in CAS column order.
XML_CHILDREN: Final[dict[str, tuple[str | None, str, tuple[tuple[str, str], ...], str | None]]] = {
    "act_section.csv": ("Sections", "Section", (("act", "act"), ("seq", "seq")), "section"),
    "crime_details.csv": (None, "CrimeDetails", (), None),
    "person.csv": ("Persons", "Person", (("role", "role"), ("seq", "person_seq")), None),
    "arrest.csv": ("Arrests", "Arrest", (("personSeq", "person_seq"),), None),
    "property.csv": ("Properties", "Property", (("seq", "property_seq"),), None),
    "final_report.csv": ("FinalReports", "FinalReport", (("seq", "report_seq"),), None),
    "court_case.csv": ("CourtCases", "CourtCase", (("no", "court_case_no"),), None),
    "hearing.csv": ("Hearings", "Hearing", (), None),
}


# --- counting records: what the manifest's ``rows`` counts --------------------------------
UTF8_BOM: Final = b"\xef\xbb\xbf"
_FIR_ELEMENT_RE: Final = re.compile(rb"<" + XML_FIR.encode() + rb"[\s/>]")


def _count_csv_bytes(data: bytes) -> int:
    """Data records of an RFC 4180 text: records outside quotes, minus the header.

    Line breaks inside quoted fields do not end a record; empty lines (or a lone CR) are not
    records. An unterminated quote runs to the end of the file.
    """
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    if b'"' in data:
        # Even pieces are outside quotes; each quoted run (incl. "" escapes) becomes one "x".
        data = b"x".join(data.split(b'"')[0::2])
    lines = data.split(b"\n")
    records = len(lines) - lines.count(b"") - lines.count(b"\r")
    return max(records - 1, 0)


COUNTED_SUFFIXES: Final = (".csv", ".jsonl", ".xml")


def count_record_bytes(name: str, data: bytes) -> int:
    if name.endswith(".csv"):
        return _count_csv_bytes(data)
    if name.endswith(".jsonl"):
        if data.startswith(UTF8_BOM):
            data = data[len(UTF8_BOM) :]
        lines = data.split(b"\n")
        return len(lines) - lines.count(b"") - lines.count(b"\r")
    if name.endswith(".xml"):
        return len(_FIR_ELEMENT_RE.findall(data))
    raise ValueError(f"cannot count records of {name!r} (expected .csv, .jsonl or .xml)")


def count_records(path: Path) -> int:
    """Data records in one upload file, as the manifest's ``rows`` counts them.

    ``.csv``: RFC 4180 records without the header (quoted newlines/commas/quotes aware, UTF8_BOM
    and CRLF tolerated; empty lines, or lines holding only CR, are not records). ``.jsonl``:
    lines that are not empty (nor only CR). ``.xml``: ``<FIR>`` elements (start tags).
    """
    path = Path(path)
    if not path.name.endswith(COUNTED_SUFFIXES):
        raise ValueError(f"cannot count records of {path.name!r} (expected .csv, .jsonl or .xml)")
    return count_record_bytes(path.name, path.read_bytes())
