"""Standardisation: raw text tables -> typed national tables (the lake schema of :mod:`core.schema`).

Two steps, both vectorised:

* :func:`prepare` types every raw table and derives the national columns, keeping beside them
  what the checks need (the trimmed raw text of every parsed column as ``<column>__raw``,
  lookups from the reference masters and from the FIR of a child row, in ``__``-prefixed
  columns). One prepared row per raw row, in the same order (``__i`` is the row number).
* :func:`finalise` selects the national schema, adds lineage and the warning codes the checks
  found, and computes :func:`content_hashes`.

Typing rules (a value that does not parse becomes null; the checks report it):

* timestamps ``YYYY-MM-DD HH:MM:SS`` (IST wall time) -> ``Datetime(us, Asia/Kolkata)``;
  dates ``YYYY-MM-DD`` -> ``Date``; exactly these shapes, calendar-valid;
* integers: optional sign and digits only (``"12.0"`` is not an integer); floats: any finite
  decimal; flags ``Y``/``N`` -> Boolean;
* codes and keys (FIR key, enumerations, act, section, sequence numbers, station codes) are
  trimmed only; every other text is NFC-normalised, trimmed and has inner whitespace collapsed
  (:func:`core.text.clean_text_expr`); an empty text is null.

Derived columns:

* ``fir_key`` = ``SS-DDD-PPPPP-YYYY-NNNN`` from the key columns *as sent* (trimmed); a missing
  part is left empty (``09-150--2024-0003``) so that the FIR row and its child rows still share
  one key and are quarantined together. ``register_key`` = ``SS-PPPPP-<report_no|ud_case_no>``
  the same way.
* ``district_code``: when the police station is in the State's master and the master puts it in
  another district, the master's district (rule 105: "the station's district in the master
  wins"); ``fir_key`` keeps the district as sent. Child rows share their FIR's key, hence its
  station, and take the FIR's district.
* ``offence_date`` = date of ``occurred_from``, else of ``registered_at``; ``law_code`` = IPC
  before 1 July 2024, BNS from then; ``is_tombstone`` = status EXPUNGED.
* child rows take ``record_version`` from their FIR (first copy when the FIR is duplicated).
* sections: :func:`core.text.section_canonical`, then ``crime_head_code`` and
  ``severity_rank`` from ``ref_sections`` by (act, section); unknown sections take the act's
  residual head (IPC/BNS -> OTHER_IPC_BNS; an SLL act whose master sections all share one head
  -> that head, e.g. POCSO -> POCSO, NDPS -> NDPS; otherwise OTHER_SLL) and severity_rank 0.
* names: ``name_latin``, ``name_key``, ``script`` (:mod:`core.text`); vehicles:
  ``vehicle_reg_no`` folded, ``chassis_key``/``engine_key`` with look-alikes folded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from functools import cache
from typing import Final

import numpy as np
import polars as pl
import pyarrow as pa

from core import extract_spec as spec
from core import reference, schema, text
from ingestion.schema import UploadContext

BNS_START: Final = dt.date(2024, 7, 1)
FILES: Final = tuple(schema.BY_FILE)
FIR_FILES: Final = ("fir.csv", *spec.FIR_CHILD_FILES)
ROW: Final = "__i"
#: Polars engine of every lazy query here. The default ("auto", the streaming engine in
#: Polars 2) costs ~15 ms to start per query, which dominates small uploads; the in-memory
#: engine is as fast on large ones.
ENGINE: Final = "in-memory"

_TS_SHAPE: Final = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"
_DATE_SHAPE: Final = r"^\d{4}-\d{2}-\d{2}$"
_INT_SHAPE: Final = r"^[+-]?\d{1,18}$"

#: Text columns that are codes or keys: trimmed only (no whitespace folding, no NFC).
CODE_COLUMNS: Final[frozenset[str]] = frozenset(
    {
        "state_code",
        "district_code",
        "ps_code",
        "fir_no",
        "report_no",
        "ud_case_no",
        "person_seq",
        "transferred_to_ps",
        "address_district_code",
        "court_case_no",
        "act",
        "section",
    }
    | {c for cols in spec.ENUMS.values() for c in cols}
)


def kind(file: str, column: str) -> str:
    """Value kind of an interface column: ts, date, int, float, flag, code or text."""
    k = spec.column_kind(file, column)
    if k != "text":
        return k
    return "code" if column in CODE_COLUMNS else "text"


PARSED_KINDS: Final = frozenset({"ts", "date", "int", "float", "flag"})


def raw_name(column: str) -> str:
    """Name of the prepared column holding the trimmed raw text of a parsed column."""
    return f"{column}__raw"


# --------------------------------------------------------------------------------------------
# Parsers (expressions over trimmed text)
# --------------------------------------------------------------------------------------------


def parse_ts(e: pl.Expr) -> pl.Expr:
    """``YYYY-MM-DD HH:MM:SS`` IST wall time -> Datetime(us, Asia/Kolkata); else null."""
    return (
        pl.when(e.str.contains(_TS_SHAPE))
        .then(e.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us"))
        .dt.replace_time_zone(schema.IST_TZ)
    )


def parse_date(e: pl.Expr) -> pl.Expr:
    return pl.when(e.str.contains(_DATE_SHAPE)).then(e.str.to_date("%Y-%m-%d", strict=False))


def parse_int(e: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    return pl.when(e.str.contains(_INT_SHAPE)).then(e.cast(pl.Int64, strict=False)).cast(dtype, strict=False)


def parse_float(e: pl.Expr) -> pl.Expr:
    v = e.cast(pl.Float64, strict=False)
    return pl.when(v.is_finite()).then(v)


def parse_flag(e: pl.Expr) -> pl.Expr:
    return pl.when(e == "Y").then(pl.lit(True)).when(e == "N").then(pl.lit(False))


# --------------------------------------------------------------------------------------------
# Reference lookups
# --------------------------------------------------------------------------------------------


@cache
def ps_master(state_code: str) -> pl.DataFrame:
    """Police stations of one State: ps_code -> __ps_district."""
    return (
        reference.police_stations()
        .filter(pl.col("state_code") == state_code)
        .select("ps_code", pl.col("district_code").alias("__ps_district"))
        .unique("ps_code", keep="first")
    )


@cache
def district_master(state_code: str) -> frozenset[str]:
    return frozenset(
        reference.districts().filter(pl.col("state_code") == state_code)["district_code"].to_list()
    )


@cache
def state_bbox(state_code: str) -> tuple[float, float, float, float] | None:
    """(lat_min, lat_max, lon_min, lon_max) of a State, None if unknown."""
    rows = reference.states().filter(pl.col("state_code") == state_code)
    if rows.height == 0:
        return None
    r = rows.row(0, named=True)
    return (r["lat_min"], r["lat_max"], r["lon_min"], r["lon_max"])


@cache
def section_master() -> pl.DataFrame:
    return reference.sections().select(
        "act",
        "section",
        pl.col("crime_head_code").alias("__head"),
        pl.col("severity_rank").alias("__rank"),
        pl.lit(True).alias("__known_section"),
    )


@cache
def residual_heads() -> dict[str, str]:
    """Act -> crime head of a section not in the master (see the module docstring)."""
    heads = section_master().group_by("act").agg(pl.col("__head").unique())
    out: dict[str, str] = {}
    for act in spec.ACTS:
        if act in ("IPC", "BNS"):
            out[act] = "OTHER_IPC_BNS"
            continue
        row = heads.filter(pl.col("act") == act)
        uniq = row["__head"][0].to_list() if row.height else []
        out[act] = uniq[0] if len(uniq) == 1 else "OTHER_SLL"
    return out


# --------------------------------------------------------------------------------------------
# Prepare
# --------------------------------------------------------------------------------------------


def conform(file: str, df: pl.DataFrame | None) -> pl.DataFrame:
    """The raw table with exactly its interface and lineage columns (missing ones null)."""
    want = schema.raw_schema(file)
    if df is None:
        return schema.empty_raw(file)
    cols = [(pl.col(c).cast(t) if c in df.columns else pl.lit(None, t)).alias(c) for c, t in want.items()]
    return df.select(cols).with_columns(pl.col("_bad_utf8").fill_null(False))


def _typed_plan(file: str, df: pl.DataFrame) -> tuple[pl.LazyFrame, list[str]]:
    """Lazy typing of one raw table, and its free-text columns (cleaned afterwards)."""
    national = schema.lake_columns(file)
    exprs: list[pl.Expr] = [pl.col("_file"), pl.col("_row"), pl.col("_bad_utf8")]
    texts: list[str] = []
    for c in spec.CAS_COLUMNS[file]:
        k = kind(file, c)
        if k == "text":
            texts.append(c)
            exprs.append(pl.col(c))
            exprs.append(text.may_change_expr(pl.col(c)).alias(f"__dirty_{c}"))
            continue
        trimmed = text.strip_expr(pl.col(c))
        if k in PARSED_KINDS:
            exprs.append(trimmed.alias(raw_name(c)))
        if k == "ts":
            exprs.append(parse_ts(trimmed).alias(c))
        elif k == "date":
            exprs.append(parse_date(trimmed).alias(c))
        elif k == "int":
            exprs.append(parse_int(trimmed, national.get(c, pl.Int64())).alias(c))
        elif k == "float":
            exprs.append(parse_float(trimmed).alias(c))
        elif k == "flag":
            exprs.append(parse_flag(trimmed).alias(c))
        else:
            exprs.append(trimmed.alias(c))
    return df.lazy().with_row_index(ROW).select(pl.col(ROW), *exprs), texts


def _clean_texts(df: pl.DataFrame, texts: list[str]) -> pl.DataFrame:
    """Free text cleaned where it may change (see :func:`core.text.clean_text_series`)."""
    if not texts:
        return df
    cleaned = [text.clean_text_series(df[c], df[f"__dirty_{c}"]) for c in texts]
    return df.with_columns(cleaned).drop([f"__dirty_{c}" for c in texts])


def _fir_key() -> pl.Expr:
    year = raw_name("fir_year")
    parts = [pl.col(c).fill_null("") for c in ("state_code", "district_code", "ps_code")]
    parts += [pl.col(year).fill_null(""), pl.col("fir_no").fill_null("")]
    return pl.concat_str(parts, separator="-").alias("fir_key")


def _register_key(file: str) -> pl.Expr:
    return pl.concat_str(
        [pl.col(c).fill_null("") for c in schema.BY_FILE[file].record_key], separator="-"
    ).alias("register_key")


def _station(lf: pl.LazyFrame, ps: pl.DataFrame, state: str) -> pl.LazyFrame:
    """FIR key, the station's master district, and the district as the master has it."""
    lf = lf.with_columns(_fir_key(), pl.col("district_code").alias(raw_name("district_code")))
    lf = lf.join(ps.lazy(), on="ps_code", how="left", maintain_order="left")
    same_state = pl.col("state_code") == state
    return lf.with_columns(
        pl.when(same_state & pl.col("__ps_district").is_not_null())
        .then(pl.col("__ps_district"))
        .otherwise(pl.col(raw_name("district_code")))
        .alias("district_code")
    )


def _with_names(df: pl.DataFrame) -> pl.DataFrame:
    names = text.names_latin(df["name"])
    df = df.with_columns(names["name_latin"], names["script"])
    return df.with_columns(text.name_keys(df["name_latin"]).alias("name_key"))


def prepare(raw: Mapping[str, pl.DataFrame | None], ctx: UploadContext) -> dict[str, pl.DataFrame]:
    """Typed frames with national and helper columns, one per cas_csv table (see module doc)."""
    # (Separate collects: on this workload collect_all costs more CPU than it saves.)
    typed: dict[str, pl.DataFrame] = {}
    for f in FILES:
        plan, texts = _typed_plan(f, conform(f, raw.get(f)))
        typed[f] = _clean_texts(plan.collect(engine=ENGINE), texts)
    for f in ("person.csv", "missing_person.csv"):
        typed[f] = _with_names(typed[f])
    sec = typed["act_section.csv"]
    typed["act_section.csv"] = sec.with_columns(
        pl.col("section").alias("section_raw"), text.section_canonical_series(sec["section"]).alias("section")
    )
    state = ctx.state_code
    ps = ps_master(state)

    fir = _station(typed["fir.csv"].lazy(), ps, state).with_columns(
        pl.coalesce(pl.col("occurred_from").dt.date(), pl.col("registered_at").dt.date()).alias(
            "offence_date"
        ),
        (pl.col("status") == "EXPUNGED").fill_null(False).alias("is_tombstone"),
    )
    fir = fir.with_columns(
        pl.when(pl.col("offence_date") < BNS_START)
        .then(pl.lit("IPC"))
        .when(pl.col("offence_date").is_not_null())
        .then(pl.lit("BNS"))
        .alias("law_code")
    ).collect(engine=ENGINE)
    info = (
        fir.lazy()
        .select(
            "fir_key",
            pl.col("district_code").alias("__fir_district"),
            pl.col("record_version").alias("__fir_version"),
            pl.col("registered_at").alias("__registered_at"),
            pl.col("offence_date").alias("__offence_date"),
            pl.col("fir_year").alias("__fir_year"),
            pl.lit(True).alias("__has_fir"),
        )
        .unique("fir_key", keep="first", maintain_order=True)
    )
    lazy: dict[str, pl.LazyFrame] = {}
    for f in spec.FIR_CHILD_FILES:
        # A child row shares its FIR's key, hence its station: it takes the FIR's district.
        lf = (
            typed[f]
            .lazy()
            .with_columns(_fir_key(), pl.col("district_code").alias(raw_name("district_code")))
            .join(info, on="fir_key", how="left", maintain_order="left")
        )
        lazy[f] = lf.with_columns(
            pl.coalesce("__fir_district", raw_name("district_code")).alias("district_code"),
            pl.col("__fir_version").alias("record_version"),
            pl.col("__has_fir").fill_null(False),
            # Copy of the document the row came in: a JSONL line / <FIR> element tells two
            # copies of a duplicated key apart; in cas_csv the key is all there is.
            pl.when(pl.col("_file").str.ends_with(".csv"))
            .then(pl.lit(0, pl.Int64))
            .otherwise(pl.col("_row"))
            .alias("__inst"),
        )

    residual = residual_heads()
    lazy["act_section.csv"] = (
        lazy["act_section.csv"]
        .join(section_master().lazy(), on=["act", "section"], how="left", maintain_order="left")
        .with_columns(
            pl.col("__known_section").fill_null(False),
            pl.coalesce(
                pl.col("__head"), pl.col("act").replace_strict(residual, default=None, return_dtype=pl.Utf8)
            ).alias("crime_head_code"),
            pl.col("__rank").fill_null(0).cast(pl.Int64).alias("severity_rank"),
        )
    )
    lazy["property.csv"] = lazy["property.csv"].with_columns(
        text.vehicle_reg_expr(pl.col("vehicle_reg_no")).alias("vehicle_reg_no"),
        text.identifier_key_expr(pl.col("chassis_no")).alias("chassis_key"),
        text.identifier_key_expr(pl.col("engine_no")).alias("engine_key"),
    )
    for f in spec.REGISTER_FILES:
        lazy[f] = (
            typed[f]
            .lazy()
            .with_columns(_register_key(f))
            .join(ps.lazy(), on="ps_code", how="left", maintain_order="left")
        )
    out = {"fir.csv": fir} | dict(zip(lazy, pl.collect_all(list(lazy.values()), engine=ENGINE), strict=True))
    return {f: out[f] for f in FILES}


# --------------------------------------------------------------------------------------------
# Content hash and national tables
# --------------------------------------------------------------------------------------------

#: Columns of each table that make up a document's content: the interface's columns in their
#: standardised form. Child rows leave out the FIR key (it is the document's) and lineage,
#: derived and warning columns are never part of it, so the hash changes only when what the
#: State sent changes, not when reference data or transliteration rules do.
HASH_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "fir.csv": spec.CAS_COLUMNS["fir.csv"],
    **{f: tuple(c for c in spec.CAS_COLUMNS[f] if c not in spec.FIR_KEY) for f in spec.FIR_CHILD_FILES},
}


_SEP: Final = "\x1f"  # between the values of a row (text never holds control characters)
_TEXT_KINDS: Final = frozenset({"ts", "date", "flag"})


def _canonical_rows(df: pl.DataFrame, file: str) -> pl.Expr:
    """One text per row of a prepared table: its :data:`HASH_COLUMNS` separated by U+001F.

    Timestamps, dates and flags are the text that was checked (``YYYY-MM-DD HH:MM:SS``,
    ``YYYY-MM-DD``, ``Y``/``N``: exactly how their typed values print, since nothing else
    parses); integers and floats print their typed values (so ``05`` and ``5``, ``27.170000``
    and ``27.17`` agree); text is the cleaned text. A null is the empty text, which no value
    can be (empty values are null after trimming).
    """
    as_text = []
    for c in HASH_COLUMNS[file]:
        k = kind(file, c)
        e = pl.col(raw_name(c)) if k in _TEXT_KINDS and raw_name(c) in df.columns else pl.col(c)
        as_text.append(e.cast(pl.Utf8).fill_null(""))
    return pl.concat_str(as_text, separator=_SEP)


def _buffers(texts: pl.Series) -> tuple[list[int], memoryview]:
    """Offsets and bytes of a text column (Arrow large_string, zero-copy where possible)."""
    arr = texts.cast(pl.Utf8).to_arrow()
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    if not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.large_string())
    _, offsets_buf, data_buf = arr.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1]
    return offsets.tolist(), memoryview(data_buf) if data_buf is not None else memoryview(b"")


def content_hashes(prepared: Mapping[str, pl.DataFrame]) -> pl.Series:
    """sha256 (hex) of every FIR row's whole standardised document, in fir row order.

    ``prepared``: the frames of :func:`prepare`. The canonical text of a document is its FIR
    row (:func:`_canonical_rows`), a line feed, then its child rows, each written as its
    table's position in :data:`core.extract_spec.FIR_CHILD_FILES`, U+001E, the row and a
    line feed, sorted as text; so equal documents hash equal whatever the format and the order
    of their child rows. Child rows belong to the FIR rows of their key (both copies of a
    duplicated key get them). The child rows of all documents are sorted into one Arrow buffer
    and every document is hashed from its FIR row and its slice of that buffer: no Python
    strings are built.
    """
    fir = prepared["fir.csv"]
    n = fir.height
    docs = fir.with_row_index("__pos").select(
        "fir_key",
        pl.col("__pos").first().over("fir_key").cast(pl.Int64).alias("__doc"),
        _canonical_rows(fir, "fir.csv").alias("__text"),
    )
    doc_of_key = docs.lazy().select("fir_key", "__doc").unique("fir_key")
    rows = [
        prepared[f]
        .lazy()
        .select(
            "fir_key",
            pl.concat_str([pl.lit(f"{i}\x1e"), _canonical_rows(prepared[f], f), pl.lit("\n")]).alias("__row"),
        )
        .join(doc_of_key, on="fir_key", how="inner")
        .select("__doc", "__row")
        for i, f in enumerate(spec.FIR_CHILD_FILES, 1)
        if prepared[f].height
    ]
    if rows:
        children = pl.concat(rows).sort("__doc", "__row").collect(engine=ENGINE)
    else:
        children = pl.DataFrame(schema={"__doc": pl.Int64, "__row": pl.Utf8})
    # The child rows of document d are children[first[d]:last[d]], contiguous once sorted.
    child_doc = children["__doc"].to_numpy()
    first = np.searchsorted(child_doc, np.arange(n), side="left").tolist()
    last = np.searchsorted(child_doc, np.arange(n), side="right").tolist()
    c_off, c_data = _buffers(children["__row"])
    f_off, f_data = _buffers(docs["__text"])
    doc = docs["__doc"].to_list()
    sha = hashlib.sha256
    out = []
    for i in range(n):
        h = sha(f_data[f_off[i] : f_off[i + 1]])
        h.update(b"\n")
        d = doc[i]
        if first[d] < last[d]:
            h.update(c_data[c_off[first[d]] : c_off[last[d]]])
        out.append(h.hexdigest())
    return pl.Series("content_hash", out, dtype=pl.Utf8)


def finalise(
    prepared: Mapping[str, pl.DataFrame], warnings: Mapping[str, pl.Series]
) -> dict[str, pl.DataFrame]:
    """National tables (``schema.national_schema``) from prepared frames and warning codes.

    ``warnings[file]`` is a ``List(Utf8)`` series aligned with the table's rows.
    """
    out: dict[str, pl.DataFrame] = {}
    for f in FILES:
        df = prepared[f]
        w = warnings.get(f)
        if w is not None:
            df = df.with_columns(w.alias("__warnings"))
        target = schema.national_schema(f)
        cols: list[pl.Expr] = []
        for c, dtype in target.items():
            if c in ("load_id", "upload_id"):
                cols.append(pl.lit(None, dtype).alias(c))
            elif c == "source_file":
                cols.append(pl.col("_file").alias(c))
            elif c == "source_row":
                cols.append(pl.col("_row").cast(dtype).alias(c))
            elif c == "warning_codes":
                if w is None:
                    cols.append(pl.lit([], dtype).alias(c))
                else:
                    cols.append(pl.col("__warnings").cast(dtype).alias(c))
            elif c == "content_hash":
                cols.append(pl.lit(None, dtype).alias(c))
            else:
                cols.append(pl.col(c).cast(dtype).alias(c))
        out[f] = df.select(cols)
    out["fir.csv"] = out["fir.csv"].with_columns(content_hashes(prepared))
    return out
