"""The rule catalogue: every check ingestion makes, numbered like NIBRS error codes.

Kept as data in one place; ``docs/rules.md`` is generated from it (``python -m ingestion.catalogue``)
and a test keeps the two in step. Families follow NIBRS and DOMAIN.md: 0xx upload and file
structure, 1xx FIR (IIF-I, administrative), 2xx offence (acts and sections), 3xx property
(IIF-IV), 4xx person (victim, accused, complainant), 5xx arrest (IIF-III), 6xx final report
(IIF-V), 7xx court (IIF-VI), 8xx missing-person and unidentified-body registers, 9xx linkage
between files.

Severities:
  reject   the whole upload is refused; nothing of it is loaded (0xx)
  error    the record is quarantined: for an FIR, the whole FIR document with all its child rows
  warning  the record is loaded, flagged with the code, and listed in the State's warnings file
  info     reported only (a duplicate upload)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

SEVERITIES: Final = ("reject", "error", "warning", "info")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    entity: str  # upload, file, fir.csv, act_section.csv, ... (the cas_csv table it applies to)
    message: str  # one line for the feedback file; {placeholders} filled by the check
    description: str


def _r(code: str, name: str, severity: str, entity: str, message: str, description: str) -> Rule:
    assert severity in SEVERITIES, severity
    return Rule(code, name, severity, entity, message, description)


RULES: Final[tuple[Rule, ...]] = (
    # --- 0xx upload and file structure -----------------------------------------------------
    _r(
        "001",
        "MANIFEST_MISSING",
        "reject",
        "upload",
        "manifest.json is missing",
        "Every upload must carry manifest.json.",
    ),
    _r(
        "002",
        "MANIFEST_INVALID",
        "reject",
        "upload",
        "manifest.json is not valid: {detail}",
        "The manifest must be UTF-8 JSON with spec_version, state_code, extract_date, sequence, source_system, format, generated_at and files[{name, rows, sha256}].",
    ),
    _r(
        "003",
        "SPEC_VERSION_UNKNOWN",
        "reject",
        "upload",
        "spec_version {value} is not supported (known: 1)",
        "Only interface version 1 is defined.",
    ),
    _r(
        "004",
        "NAME_MISMATCH",
        "reject",
        "upload",
        "manifest {field} {value} does not match the upload name {upload}",
        "The folder or zip name <SS>_<YYYYMMDD>_<NN> must agree with state_code, extract_date and sequence in the manifest.",
    ),
    _r(
        "005",
        "FORMAT_UNKNOWN",
        "reject",
        "upload",
        "format {value} is not one of cas_csv, jsonl, xml",
        "Three formats are defined by the interface.",
    ),
    _r(
        "006",
        "FORMAT_NOT_REGISTERED",
        "reject",
        "upload",
        "State {state} sends {expected}, this upload says {value}",
        "Each State's format is fixed (CAS States cas_csv; 28, 29, 33, 36 jsonl; 24, 30 xml).",
    ),
    _r(
        "007",
        "FILE_MISSING",
        "reject",
        "file",
        "{file} is listed in the manifest but was not delivered",
        "Every listed file must be present.",
    ),
    _r(
        "008",
        "FILE_UNLISTED",
        "reject",
        "file",
        "{file} was delivered but is not listed in the manifest",
        "Every delivered file must be listed.",
    ),
    _r(
        "009",
        "FILE_SET_WRONG",
        "reject",
        "file",
        "{file} is missing from the manifest (every file of the format is delivered every time)",
        "The manifest lists exactly the files of the upload's format.",
    ),
    _r(
        "010",
        "HASH_MISMATCH",
        "reject",
        "file",
        "sha256 of {file} does not match the manifest",
        "The file changed in transit or the manifest is wrong.",
    ),
    _r(
        "011",
        "ROW_COUNT_MISMATCH",
        "reject",
        "file",
        "{file} holds {value} records, the manifest says {expected}",
        "rows counts data records: CSV rows without header, JSON lines, <FIR> elements.",
    ),
    _r(
        "012",
        "FILE_TRUNCATED",
        "reject",
        "file",
        "{file} ends in the middle of a record ({value} bytes); it was cut in transit",
        "Hash and row count differ and the file does not end at a record boundary.",
    ),
    _r(
        "013",
        "COLUMNS_EXTRA",
        "reject",
        "file",
        "{file} has columns not in the interface: {value}",
        "CSV headers must be exactly the interface's columns, in order.",
    ),
    _r(
        "014",
        "COLUMNS_MISSING",
        "reject",
        "file",
        "{file} lacks columns: {value}",
        "CSV headers must be exactly the interface's columns, in order.",
    ),
    _r(
        "015",
        "FILE_UNREADABLE",
        "reject",
        "file",
        "{file} cannot be read: {detail}",
        "Malformed CSV quoting, XML that is not well-formed, or a file that is not text.",
    ),
    _r(
        "016",
        "ZIP_UNSAFE_PATH",
        "reject",
        "upload",
        "zip member {value} escapes the upload folder",
        "Absolute paths, '..' components and links are refused (path traversal).",
    ),
    _r(
        "017",
        "ZIP_BOMB",
        "reject",
        "upload",
        "zip expands to {value} bytes (ratio {detail}); refused",
        "Uncompressed size and compression ratio are capped.",
    ),
    _r(
        "018",
        "ZIP_CORRUPT",
        "reject",
        "upload",
        "the zip cannot be opened: {detail}",
        "The zip archive is damaged.",
    ),
    _r(
        "019",
        "EMPTY_UPLOAD",
        "reject",
        "upload",
        "the upload holds no files",
        "An upload always holds its manifest and the format's files.",
    ),
    _r(
        "020",
        "DUPLICATE_UPLOAD",
        "info",
        "upload",
        "identical to upload {value} already loaded; nothing changed",
        "A network retry: the same bytes again change nothing.",
    ),
    _r(
        "021",
        "NAME_INVALID",
        "reject",
        "upload",
        "{upload} is not named <SS>_<YYYYMMDD>_<NN>",
        "Uploads are named by State code, extract date and sequence.",
    ),
    _r(
        "022",
        "SEQUENCE_REUSED",
        "reject",
        "upload",
        "upload {upload} was already loaded with different content",
        "A corrected extract must be sent as the next sequence number.",
    ),
    _r(
        "023",
        "NOT_A_REGULAR_FILE",
        "reject",
        "upload",
        "{value} is {detail}; an upload holds regular files only and links are never followed",
        "Symbolic links, FIFOs, devices, sockets and sub-folders inside an upload (or a zip member that is one), or an upload that is itself a link, are refused unread and never landed.",
    ),
    _r(
        "024",
        "INGEST_FAILED",
        "reject",
        "upload",
        "the upload could not be processed ({detail}); it is set aside, the operator has been told",
        "Catch-all: an unexpected failure while ingesting this upload. It is recorded as rejected (so a rerun does not retry it forever) and the run carries on with the other uploads.",
    ),
    _r(
        "025",
        "CHANNEL_MISMATCH",
        "reject",
        "upload",
        "{field} names State {value} but the upload arrived on the channel of State {expected}",
        "Each State delivers through its own channel (inbox/<SS>/, writable only by its SCRB); an upload naming another State is refused (it cannot act for that State).",
    ),
    _r(
        "026",
        "NO_CHANNEL",
        "reject",
        "upload",
        "{upload} did not arrive through a State channel inbox/<SS>/ ({detail})",
        "Uploads are bound to their sender by the channel folder they arrive in; an upload in the inbox root or in a folder that is not a State channel is refused.",
    ),
    _r(
        "027",
        "FILE_NOT_IN_FORMAT",
        "reject",
        "file",
        "{file} is listed in the manifest but is not a file of format {value}",
        "The manifest lists exactly the files of the upload's format (EXTRACT_SPEC.md); other files are not silently ignored.",
    ),
    _r(
        "028",
        "CHANNEL_INSECURE",
        "reject",
        "upload",
        "{value} is writable by every user (mode {detail}); a channel anyone can write binds nothing",
        "The channel folder and the upload must not be writable by others (o+w; a sticky bit does not help, anyone could still create an upload); see docs/ingestion.md for the permissions.",
    ),
    _r(
        "029",
        "XML_STATE_MISMATCH",
        "reject",
        "file",
        "firs.xml names State {value} (<FirExport state>), but the manifest's state_code is {expected}",
        "The state attribute of <FirExport> must be the manifest's state_code: an XML file that names another State is not read.",
    ),
    _r(
        "030",
        "CHANNEL_UNREADABLE",
        "reject",
        "upload",
        "{value} cannot be read by the ingestion service ({detail}); its uploads were not looked at",
        "A channel folder (or an entry in it) the service cannot list or stat is reported and left out; the other channels are ingested as usual, and it is tried again at the next run. See docs/ingestion.md for the permissions.",
    ),
    # --- 1xx FIR ---------------------------------------------------------------------------
    _r(
        "101",
        "FIR_KEY_INVALID",
        "error",
        "fir.csv",
        "FIR key field {field} is missing or malformed ({value})",
        "state_code (2 digits), district_code (3), ps_code (5), fir_year (4), fir_no (4 digits) are all required.",
    ),
    _r(
        "102",
        "STATE_MISMATCH",
        "error",
        "fir.csv",
        "state_code {value} differs from the upload's State {expected}",
        "A State uploads its own records only.",
    ),
    _r(
        "103",
        "DISTRICT_UNKNOWN",
        "error",
        "fir.csv",
        "district_code {value} is not a district of State {state}",
        "Codes must be in the district master.",
    ),
    _r(
        "104",
        "PS_UNKNOWN",
        "error",
        "fir.csv",
        "ps_code {value} is not in the police-station master of State {state}",
        "Codes must be in the 17,074-station master.",
    ),
    _r(
        "105",
        "PS_NOT_IN_DISTRICT",
        "warning",
        "fir.csv",
        "police station {value} belongs to district {expected}, not {detail}",
        "The station's district in the master wins.",
    ),
    _r(
        "106",
        "MANDATORY_MISSING",
        "error",
        "fir.csv",
        "mandatory field {field} is empty",
        "registered_at, occurred_from, status, record_version and last_modified are required.",
    ),
    _r(
        "107",
        "DATE_INVALID",
        "error",
        "fir.csv",
        "{field} '{value}' is not a valid date/time",
        "Dates and timestamps in the format's notation (cas_csv YYYY-MM-DD HH:MM:SS, jsonl DD/MM/YYYY HH:mm, xml ISO 8601 +05:30). Applies to every date of the document.",
    ),
    _r(
        "108",
        "DATE_IN_FUTURE",
        "error",
        "fir.csv",
        "{field} {value} is after the extract was generated",
        "No event can postdate the extract.",
    ),
    _r(
        "109",
        "OCCURRED_AFTER_REGISTERED",
        "error",
        "fir.csv",
        "occurred_from {value} is after registered_at {expected}",
        "An offence cannot be registered before it happens.",
    ),
    _r(
        "110",
        "CODE_INVALID",
        "error",
        "fir.csv",
        "{field} '{value}' is not an allowed value",
        "status, info_type and is_zero_fir take the interface's values.",
    ),
    _r(
        "111",
        "DUPLICATE_FIR",
        "error",
        "fir.csv",
        "FIR {fir_key} appears {value} times in this upload",
        "An upload carries each FIR document once; all copies are quarantined.",
    ),
    _r(
        "112",
        "VERSION_INVALID",
        "error",
        "fir.csv",
        "record_version '{value}' is not a positive integer",
        "Versions start at 1 and only grow.",
    ),
    _r(
        "113",
        "STALE_VERSION",
        "error",
        "fir.csv",
        "record_version {value} is lower than version {expected} already loaded; not applied",
        "A lower version never overwrites newer data.",
    ),
    _r(
        "114",
        "VERSION_CONFLICT",
        "error",
        "fir.csv",
        "record_version {value} was already loaded with different content",
        "The same version must carry the same document.",
    ),
    _r(
        "115",
        "TEXT_NOT_UTF8",
        "error",
        "fir.csv",
        "{field} contains bytes that are not UTF-8",
        "Text is UTF-8; the record cannot be read faithfully.",
    ),
    _r(
        "116",
        "FIR_YEAR_MISMATCH",
        "warning",
        "fir.csv",
        "fir_year {value} differs from the year of registered_at {expected}",
        "FIR numbers restart every calendar year.",
    ),
    _r(
        "117",
        "LOCATION_OUTSIDE_STATE",
        "warning",
        "fir.csv",
        "place {value} lies outside State {state}",
        "Coordinates must fall in the State's bounding box.",
    ),
    _r(
        "118",
        "ZERO_FIR_TARGET_UNKNOWN",
        "warning",
        "fir.csv",
        "transferred_to_ps {value} is not in the police-station master",
        "A zero FIR is transferred to a known station.",
    ),
    _r(
        "119",
        "OCCURRED_TO_BEFORE_FROM",
        "warning",
        "fir.csv",
        "occurred_to {value} is before occurred_from {expected}",
        "The offence period must be ordered.",
    ),
    _r(
        "120",
        "RECORD_UNPARSEABLE",
        "error",
        "fir.csv",
        "record cannot be parsed: {detail}",
        "A JSON line that is not JSON, or an <FIR> element that cannot be read.",
    ),
    _r(
        "121",
        "CHILD_KEY_MISSING",
        "error",
        "child",
        "{file} key field {field} is empty or malformed ({value})",
        "Every child record is identified within its FIR: property property_seq, final report report_seq, court case court_case_no, hearing court_case_no and hearing_date, arrest person_seq. JSONL/XML records without a seq are numbered by position.",
    ),
    _r(
        "122",
        "CHILD_KEY_DUPLICATE",
        "error",
        "child",
        "{file} key {field} = {value} appears {detail} times on FIR {fir_key}",
        "A child record's key is unique within its FIR document (crime details once per FIR); all copies are quarantined with the document.",
    ),
    _r(
        "123",
        "DATE_TOO_EARLY",
        "error",
        "fir.csv",
        "{field} {value} is before {expected}, the earliest date the warehouse accepts",
        "No date of an FIR document is before 1 January 1860 (the IPC's enactment): a year such as 0001 is a typing or conversion error. Applies to every date of the document and to fir_year (before 1860).",
    ),
    # --- 2xx offence ----------------------------------------------------------------------
    _r(
        "201",
        "SECTIONS_MISSING",
        "error",
        "act_section.csv",
        "FIR {fir_key} has no act and section",
        "Every FIR invokes at least one section.",
    ),
    _r(
        "202",
        "ACT_INVALID",
        "error",
        "act_section.csv",
        "act '{value}' is not an allowed act",
        "IPC, BNS, POCSO, NDPS, ARMS, IT, SCST_POA, DP, EXCISE, GAMBLING, MV, OTHER_SLL.",
    ),
    _r(
        "203",
        "SECTION_UNKNOWN",
        "warning",
        "act_section.csv",
        "section {value} of {field} is not in the section master",
        "Loaded under the act's residual crime head.",
    ),
    _r(
        "204",
        "IPC_AFTER_SWITCH",
        "error",
        "act_section.csv",
        "IPC {value} invoked for an offence of {expected}, after 1 July 2024",
        "From 1 July 2024 the BNS applies; the code follows the offence date.",
    ),
    _r(
        "205",
        "BNS_BEFORE_SWITCH",
        "error",
        "act_section.csv",
        "BNS {value} invoked for an offence of {expected}, before 1 July 2024",
        "Before 1 July 2024 the IPC applies; the code follows the offence date.",
    ),
    _r(
        "206",
        "SECTION_MISSING",
        "error",
        "act_section.csv",
        "{field} is empty",
        "act, section and seq are all required (JSONL and XML sections without a seq are numbered by position).",
    ),
    _r(
        "207",
        "SECTION_SEQ_INVALID",
        "error",
        "act_section.csv",
        "section seq '{value}' is not a positive integer",
        "A section's seq numbers it within its FIR: 1, 2, ...",
    ),
    _r(
        "208",
        "SECTION_SEQ_DUPLICATE",
        "error",
        "act_section.csv",
        "section seq {value} appears {detail} times on FIR {fir_key}",
        "Section numbers are unique within an FIR; all copies are quarantined with the document.",
    ),
    # --- 3xx property --------------------------------------------------------------------
    _r(
        "301",
        "PROPERTY_CODE_INVALID",
        "error",
        "property.csv",
        "{field} '{value}' is not an allowed value",
        "nature and category take the interface's values.",
    ),
    _r(
        "302",
        "PROPERTY_VALUE_INVALID",
        "warning",
        "property.csv",
        "value_inr '{value}' is not a non-negative amount",
        "Values are whole rupees.",
    ),
    _r(
        "303",
        "VEHICLE_IDS_MISSING",
        "warning",
        "property.csv",
        "vehicle without registration, chassis or engine number",
        "Stolen/recovered vehicle matching needs at least one identifier.",
    ),
    # --- 4xx person ----------------------------------------------------------------------
    _r(
        "401",
        "PERSON_CODE_INVALID",
        "error",
        "person.csv",
        "{field} '{value}' is not an allowed value",
        "role and gender take the interface's values.",
    ),
    _r(
        "402",
        "PERSON_SEQ_INVALID",
        "warning",
        "person.csv",
        "person_seq '{value}' does not fit role {expected}",
        "Accused A1..A9, B1..; victims V1..; complainant C1.",
    ),
    _r(
        "403",
        "AGE_INVALID",
        "warning",
        "person.csv",
        "{field} '{value}' is out of range",
        "Age 0-120; birth year within 120 years of the FIR.",
    ),
    _r(
        "404",
        "AGE_BIRTH_YEAR_INCONSISTENT",
        "warning",
        "person.csv",
        "age {value} does not agree with birth_year {expected}",
        "Age and birth year disagree by more than a year.",
    ),
    _r(
        "405",
        "PERSON_SEQ_DUPLICATE",
        "error",
        "person.csv",
        "person_seq {value} appears twice on FIR {fir_key}",
        "Person numbers are unique within an FIR (they are its key); the document is quarantined.",
    ),
    _r(
        "406",
        "PERSON_SEQ_MISSING",
        "error",
        "person.csv",
        "person_seq is empty",
        "Every person on an FIR has a person_seq (its key). JSONL/XML persons without one are numbered by position within their role (A1.., V1.., C1).",
    ),
    # --- 5xx arrest ----------------------------------------------------------------------
    _r(
        "501",
        "ARREST_CODE_INVALID",
        "error",
        "arrest.csv",
        "arrest_status '{value}' is not an allowed value",
        "The interface's arrest and surrender statuses.",
    ),
    _r(
        "502",
        "ARREST_PERSON_UNKNOWN",
        "warning",
        "arrest.csv",
        "arrest of {value}, who is not an accused on FIR {fir_key}",
        "Arrests refer to accused persons of the same FIR.",
    ),
    _r(
        "503",
        "ARREST_BEFORE_REGISTRATION",
        "warning",
        "arrest.csv",
        "arrested_on {value} is before the FIR was registered ({expected})",
        "An arrest memo follows the FIR.",
    ),
    # --- 6xx final report ----------------------------------------------------------------
    _r(
        "601",
        "REPORT_CODE_INVALID",
        "error",
        "final_report.csv",
        "{field} '{value}' is not an allowed value",
        "report_type and is_supplementary take the interface's values.",
    ),
    _r(
        "602",
        "REPORT_BEFORE_REGISTRATION",
        "warning",
        "final_report.csv",
        "report_date {value} is before registration ({expected})",
        "A final report follows the FIR.",
    ),
    # --- 7xx court -----------------------------------------------------------------------
    _r(
        "701",
        "COURT_CODE_INVALID",
        "error",
        "court_case.csv",
        "{field} '{value}' is not an allowed value",
        "result takes the interface's values.",
    ),
    _r(
        "702",
        "DISPOSAL_BEFORE_COMMITTAL",
        "warning",
        "court_case.csv",
        "disposal_date {value} is before committed_on {expected}",
        "A trial ends after it starts.",
    ),
    _r(
        "703",
        "HEARING_CASE_UNKNOWN",
        "warning",
        "hearing.csv",
        "hearing of court case {value}, which is not on FIR {fir_key}",
        "Hearings refer to a court case of the same FIR.",
    ),
    _r(
        "704",
        "HEARING_CODE_INVALID",
        "error",
        "hearing.csv",
        "{field} '{value}' is not an allowed value",
        "adjourned Y/N; sought_by PROSECUTION, DEFENCE, COURT.",
    ),
    # --- 8xx registers -------------------------------------------------------------------
    _r(
        "801",
        "REGISTER_KEY_INVALID",
        "error",
        "register",
        "{field} is missing or malformed ({value})",
        "state_code, district_code, ps_code and report_no / ud_case_no identify a register record.",
    ),
    _r(
        "802",
        "REGISTER_MANDATORY_MISSING",
        "error",
        "register",
        "mandatory field {field} is empty",
        "report_date / found_on, gender and record_version are required.",
    ),
    _r(
        "803",
        "REGISTER_DATE_INVALID",
        "error",
        "register",
        "{field} '{value}' is not a valid date",
        "Dates are YYYY-MM-DD, not before 1 January 1860.",
    ),
    _r(
        "804",
        "REGISTER_CODE_INVALID",
        "error",
        "register",
        "{field} '{value}' is not an allowed value",
        "gender and status take the interface's values.",
    ),
    _r(
        "805",
        "REGISTER_PS_UNKNOWN",
        "error",
        "register",
        "police station {value} is not in the master of State {state}",
        "Codes must be in the station master.",
    ),
    _r(
        "806",
        "REGISTER_STALE_VERSION",
        "error",
        "register",
        "record_version {value} is lower than version {expected} already loaded; not applied",
        "A lower version never overwrites newer data.",
    ),
    _r(
        "807",
        "UIDB_AGE_RANGE_INVALID",
        "warning",
        "register",
        "age_low {value} is above age_high {expected}",
        "The estimated age band must be ordered.",
    ),
    _r(
        "808",
        "REGISTER_DATE_IN_FUTURE",
        "error",
        "register",
        "{field} {value} is after the extract was generated",
        "No event can postdate the extract.",
    ),
    _r(
        "809",
        "REGISTER_DUPLICATE",
        "error",
        "register",
        "{value} appears twice in this upload",
        "A register record is sent once per upload.",
    ),
    # --- 9xx linkage ---------------------------------------------------------------------
    _r(
        "901",
        "ORPHAN_CHILD",
        "error",
        "child",
        "{file} row refers to FIR {fir_key}, which is not in fir.csv of this upload",
        "Child rows travel with their FIR document.",
    ),
)

BY_CODE: Final[dict[str, Rule]] = {r.code: r for r in RULES}

#: The rule(s) that must catch each defect kind the generator injects (sample_data/defects.py).
GENERATOR_DEFECT_RULES: Final[dict[str, frozenset[str]]] = {
    "missing_mandatory_field": frozenset({"106", "206", "802"}),
    "bad_date": frozenset({"107"}),
    "future_date": frozenset({"108"}),
    "occurrence_after_registration": frozenset({"109"}),
    "unknown_police_station": frozenset({"104"}),
    "duplicate_key": frozenset({"111"}),
    "orphan_child": frozenset({"901"}),
    "invalid_code": frozenset({"110", "202", "301", "401", "501", "601", "701", "704", "804"}),
    "stale_version": frozenset({"113"}),
    "non_utf8": frozenset({"115"}),
    "ipc_after_switch": frozenset({"204"}),
    "duplicate_upload": frozenset({"020"}),
    "manifest_hash_mismatch": frozenset({"010"}),
    "manifest_row_count_mismatch": frozenset({"011"}),
    "truncated_file": frozenset({"012"}),
    "extra_column": frozenset({"013"}),
    "missing_column": frozenset({"014"}),
    "missing_file": frozenset({"007"}),
    "unlisted_file": frozenset({"008"}),
}


def rule(code: str) -> Rule:
    return BY_CODE[code]


def render_markdown() -> str:
    """The catalogue as the table in docs/rules.md."""
    lines = [
        "# Ingestion rule catalogue",
        "",
        "Generated from `ingestion/catalogue.py` (`python -m ingestion.catalogue > docs/rules.md`).",
        "Severity: **reject** refuses the whole upload; **error** quarantines the record (an FIR with",
        "its whole document); **warning** loads the record with the code; **info** is reported only.",
        "",
        "| code | name | severity | applies to | message | description |",
        "|---|---|---|---|---|---|",
    ]
    for r in RULES:
        lines.append(f"| {r.code} | {r.name} | {r.severity} | {r.entity} | {r.message} | {r.description} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(render_markdown(), end="")
