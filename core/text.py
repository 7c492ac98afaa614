"""Text helpers of ingestion: cleaning, script detection, romanisation, matching keys.

Everything that works on a whole column is a Polars expression (vectorised); the only per-value
Python is the transliteration of names written in an Indian script, done once per distinct
word and cached for the life of the process (:func:`romanise_word`).

Names
-----
``name_latin``
    Names in an Indic script (Devanagari, Bengali, Gurmukhi, Gujarati, Odia, Tamil, Telugu,
    Kannada, Malayalam; the script is detected from the Unicode blocks of the letters, the
    most frequent block wins) are transliterated to IAST with ``indic_transliteration``, the
    final schwa of a word is dropped (``rameśa`` -> ``rameś``), IAST letters are spelled the
    way Indian clerks spell them (``ś``/``ṣ`` -> ``sh``, ``c`` -> ``ch``, ``ṛ`` -> ``ri``,
    ...), diacritics are stripped and every word is capitalised: ``रमेश शर्मा`` ->
    ``Ramesh Sharma``, ``முருகன்`` -> ``Murugan``. This is the rule the synthetic generator
    uses (``sample_data/names.py``), re-implemented here so ingestion does not depend on the
    generator (known limit, shared with it: Bengali-script ``ব`` comes out as ``v``, where
    Bengali and Assamese say ``b``). Latin names are only cleaned (NFC, trimmed, inner whitespace collapsed); names
    in a script with no transliteration scheme (Perso-Arabic Urdu, ``script`` = ``Arabic``;
    anything else, ``Other``) get a null ``name_latin`` and ``name_key``.

``name_key`` (:func:`name_key_expr`)
    A matching key that puts the usual spelling variants of one name on one value. From
    ``name_latin``:

    1. decompose (NFKD), drop combining marks, lower-case; every run of characters that are
       not ``a``-``z`` becomes one space (initials' dots, hyphens, digits, apostrophes);
    2. whole words ``mohammad``, ``mohammed``, ``muhammad``, ``muhammed``, ``mohamad``,
       ``mohamed``, ``mohammod``, ``mohmad``, ``mohd``, ``md`` -> ``md``;
    3. one left-to-right pass of letter-group folds, longest group first:
       ``chh``/``ch`` -> ``c``; aspirates ``kh gh jh th dh bh`` -> ``k g j t d b``;
       ``ph`` -> ``f``; ``sh`` -> ``s``; ``ee`` -> ``i`` (``eee`` -> ``ei``, the long i being the
       last pair); ``oo`` -> ``u``; ``w`` -> ``v``;
       ``y`` -> ``i``; ``q`` -> ``k``; ``z`` -> ``j``; ``x`` -> ``ks``
       (so ``Shri``/``Sri``/``Shree``, ``Lakshmi``/``Laxmi``, ``Rafeeq``/``Rafiq``,
       ``Arun``/``Aroon``, ``Vijay``/``Vijai``, ``Wasim``/``Vasim`` agree);
    4. doubled letters become one (``Bhatt``/``Bhat``, ``Kumaar``/``Kumar``, ``aa`` -> ``a``);
    5. a final ``a`` of a word of three letters or more is dropped (``Rajaa``/``Raja``/``Raj``,
       ``Ramesha``/``Ramesh``, the schwa that transliterations keep or drop);
    6. single spaces, trimmed; an empty key is null.

    So ``Mohammad Rafiq`` and ``Mohd Rafeeq`` both give ``md rafik``. The key is for blocking
    and matching, never for display: it is deliberately lossy.

Vehicle identifiers
-------------------
``vehicle_reg_no`` is upper-cased without spaces, dashes or dots (``up 32 ab-1234`` ->
``UP32AB1234``). ``chassis_key``/``engine_key`` also fold the look-alike characters that
clerks confuse (DOMAIN.md): ``S`` -> ``5``, ``Z`` -> ``2``, ``I`` -> ``1``, ``O`` -> ``0``,
``B`` -> ``8``.

Sections
--------
:func:`section_canonical`: trimmed, a leading ``u/s``, ``u.s.``, ``sec.``, ``sec``,
``section`` or ``s.`` dropped, all whitespace removed, letters upper-cased (``303 (2)`` ->
``303(2)``, ``376 da`` -> ``376DA``, ``u/s 379`` -> ``379``) except lettered clauses in
brackets, which the section master writes in lower case (``3(1)(R)`` -> ``3(1)(r)``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

import polars as pl
from indic_transliteration import sanscript

# --------------------------------------------------------------------------------------------
# Free text
# --------------------------------------------------------------------------------------------


def clean_text_expr(e: pl.Expr) -> pl.Expr:
    """NFC-normalised, trimmed, whitespace and control-character runs collapsed to one space;
    empty -> null."""
    out = e.str.normalize("NFC").str.replace_all(r"[\s\p{Cc}]+", " ").str.strip_chars()
    return pl.when(out.str.len_bytes() > 0).then(out)


#: Values that :func:`clean_text_expr` may change: anything but printable ASCII, an empty
#: value, leading, trailing or doubled spaces. Everything else is already clean.
_MAY_CHANGE: Final = r"[^ -~]|^$|^ | $|  "


def may_change_expr(e: pl.Expr) -> pl.Expr:
    """True where :func:`clean_text_expr` may change the value (false for null)."""
    return e.str.contains(_MAY_CHANGE).fill_null(False)


def clean_text_series(values: pl.Series, dirty: pl.Series | None = None) -> pl.Series:
    """:func:`clean_text_expr` over a column, computed only where it can change a value.

    Most text in an extract is plain ASCII with single spaces, for which normalisation is the
    identity; those values are kept and only the others (``dirty``, by default
    :func:`may_change_expr`) are cleaned and scattered back.
    """
    values = values.cast(pl.Utf8)
    if dirty is None:
        dirty = values.to_frame("v").select(may_change_expr(pl.col("v"))).to_series()
    idx = dirty.arg_true()
    if idx.len() == 0:
        return values
    name = values.name
    fixed = values.gather(idx).to_frame(name).select(clean_text_expr(pl.col(name))).to_series()
    return values.clone().scatter(idx, fixed)


def strip_expr(e: pl.Expr) -> pl.Expr:
    """Trimmed text; empty -> null (codes and keys: no other change)."""
    return e.str.strip_chars().replace("", None)


def clean_text(value: str | None) -> str | None:
    """Python twin of :func:`clean_text_expr` (tests, single values)."""
    if value is None:
        return None
    out = " ".join(unicodedata.normalize("NFC", value).split())
    return out or None


# --------------------------------------------------------------------------------------------
# Scripts and romanisation
# --------------------------------------------------------------------------------------------

#: Script name -> (first code point, last code point, sanscript scheme or None).
SCRIPTS: Final[dict[str, tuple[int, int, str | None]]] = {
    "Devanagari": (0x0900, 0x097F, sanscript.DEVANAGARI),
    "Bengali": (0x0980, 0x09FF, sanscript.BENGALI),
    "Gurmukhi": (0x0A00, 0x0A7F, sanscript.GURMUKHI),
    "Gujarati": (0x0A80, 0x0AFF, sanscript.GUJARATI),
    "Odia": (0x0B00, 0x0B7F, sanscript.ORIYA),
    "Tamil": (0x0B80, 0x0BFF, sanscript.TAMIL),
    "Telugu": (0x0C00, 0x0C7F, sanscript.TELUGU),
    "Kannada": (0x0C80, 0x0CFF, sanscript.KANNADA),
    "Malayalam": (0x0D00, 0x0D7F, sanscript.MALAYALAM),
    "Arabic": (0x0600, 0x06FF, None),
}
LATIN: Final = "Latin"
OTHER: Final = "Other"

_IAST_TO_ROMAN: Final = (
    ("ch", "chh"),
    ("c", "ch"),
    ("ś", "sh"),
    ("ṣ", "sh"),
    ("ṛ", "ri"),
    ("ṝ", "ri"),
    ("ḷ", "l"),
    ("ṃ", "n"),
    ("ṁ", "n"),
    ("ḥ", ""),
    ("ṉ", "n"),
    ("ṟ", "r"),
    ("ḻ", "l"),
)
_CONSONANT_END: Final = re.compile(r"[^aeiouāīūēōṛ]a$")
_NOT_LETTER: Final = re.compile(r"[^a-z]")


def detect_script(text: str | None) -> str | None:
    """Script of a text: the Indic/Arabic block holding most of its letters, else Latin.

    A text whose non-ASCII letters belong to none of :data:`SCRIPTS` and to no Latin block
    is ``Other``; null in, null out.
    """
    if text is None:
        return None
    counts: dict[str, int] = {}
    other = 0
    for ch in text:
        cp = ord(ch)
        if cp < 0x80:
            continue
        for name, (lo, hi, _) in SCRIPTS.items():
            if lo <= cp <= hi:
                counts[name] = counts.get(name, 0) + 1
                break
        else:
            if ch.isalpha() and "LATIN" not in unicodedata.name(ch, ""):
                other += 1
    if counts:
        return max(counts.items(), key=lambda kv: kv[1])[0]
    return OTHER if other else LATIN


@lru_cache(maxsize=200_000)
def romanise_word(word: str, script: str) -> str:
    """Roman spelling of one word of an Indic script (see the module docstring); cached."""
    scheme = SCRIPTS[script][2]
    if scheme is None:
        return ""
    iast = sanscript.transliterate(word, scheme, sanscript.IAST).lower()
    if len(iast) > 3 and _CONSONANT_END.search(iast):  # final schwa: "rameśa" -> "rameś"
        iast = iast[:-1]
    for src, dst in _IAST_TO_ROMAN:
        iast = iast.replace(src, dst)
    if script == "Tamil":  # Tamil script marks neither voicing nor aspiration
        iast = iast.replace("gh", "g").replace("dh", "d").replace("bh", "b")
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", iast) if not unicodedata.combining(ch))
    return _NOT_LETTER.sub("", plain).capitalize()


def romanise(text: str | None, script: str | None = None) -> str | None:
    """``name_latin`` of one name: Indic scripts romanised, Latin cleaned, others null."""
    if text is None:
        return None
    script = script or detect_script(text)
    if script == LATIN:
        return clean_text(text)
    if script not in SCRIPTS or SCRIPTS[script][2] is None:
        return None
    words = [romanise_word(w, script) for w in text.split()]
    return " ".join(w for w in words if w) or None


def names_latin(names: pl.Series) -> pl.DataFrame:
    """``name_latin`` and ``script`` for a column of (cleaned) names, in the same order.

    ASCII names are Latin and kept as they are (vectorised); the distinct non-ASCII names
    go through :func:`detect_script` / :func:`romanise` once each.
    """
    names = names.cast(pl.Utf8).rename("name")
    frame = names.to_frame()
    ascii_mask = names.str.contains(r"^[\x00-\x7F]*$")
    todo = names.filter(ascii_mask.not_().fill_null(False)).unique()
    if todo.len():
        values = todo.to_list()
        scripts = [detect_script(v) for v in values]
        latin = [romanise(v, s) for v, s in zip(values, scripts, strict=True)]
        lookup = pl.DataFrame(
            {"name": values, "__latin": latin, "__script": scripts},
            schema={"name": pl.Utf8, "__latin": pl.Utf8, "__script": pl.Utf8},
        )
        frame = frame.join(lookup, on="name", how="left", maintain_order="left")
    else:
        frame = frame.with_columns(
            pl.lit(None, pl.Utf8).alias("__latin"), pl.lit(None, pl.Utf8).alias("__script")
        )
    is_ascii = pl.col("name").str.contains(r"^[\x00-\x7F]*$")
    return frame.select(
        pl.when(is_ascii).then(pl.col("name")).otherwise(pl.col("__latin")).alias("name_latin"),
        pl.when(pl.col("name").is_null())
        .then(pl.lit(None, pl.Utf8))
        .when(is_ascii)
        .then(pl.lit(LATIN))
        .otherwise(pl.col("__script"))
        .alias("script"),
    )


# --------------------------------------------------------------------------------------------
# Name matching key
# --------------------------------------------------------------------------------------------

_MOHAMMAD: Final = (
    r"(?-u:\b)(?:mohammad|mohammed|muhammad|muhammed|mohamad|mohamed|mohammod|mohmad|mohd|md)(?-u:\b)"
)
#: Letter-group folds of step 3, longest first (one leftmost pass).
_FOLDS: Final[dict[str, str]] = {
    "chh": "c",
    "ch": "c",
    "kh": "k",
    "gh": "g",
    "jh": "j",
    "th": "t",
    "dh": "d",
    "bh": "b",
    "ph": "f",
    "sh": "s",
    "eee": "ei",
    "ee": "i",
    "oo": "u",
    "w": "v",
    "y": "i",
    "q": "k",
    "z": "j",
    "x": "ks",
}
_DOUBLES: Final[dict[str, str]] = {c * 2: c for c in "abcdefghijklmnopqrstuvwxyz"}


def name_key_expr(e: pl.Expr) -> pl.Expr:
    """Matching key of a (Latin) name column; see the module docstring for the folding."""
    out = (
        e.str.normalize("NFKD")
        .str.replace_all(r"\p{M}+", "")
        .str.to_lowercase()
        .str.replace_all(r"[^a-z]+", " ")
        .str.replace_all(_MOHAMMAD, "md")
        .str.replace_many(list(_FOLDS), list(_FOLDS.values()), leftmost=True)
        .str.replace_many(list(_DOUBLES), list(_DOUBLES.values()), leftmost=True)
        .str.replace_all(r"([a-z][a-z])a( |$)", "${1}${2}")
        .str.replace_all(r" +", " ")
        .str.strip_chars()
    )
    return pl.when(out.str.len_bytes() > 0).then(out)


def name_keys(names: pl.Series) -> pl.Series:
    """:func:`name_key_expr` over a column, computed once per distinct value."""
    names = names.cast(pl.Utf8).rename("name")
    uniq = names.drop_nulls().unique().to_frame()
    keys = uniq.with_columns(name_key_expr(pl.col("name")).alias("name_key"))
    return names.to_frame().join(keys, on="name", how="left", maintain_order="left")["name_key"]


def name_key(name: str | None) -> str | None:
    """:func:`name_key_expr` of one value (of a Latin name; romanise Indic names first)."""
    return pl.select(name_key_expr(pl.lit(name, pl.Utf8))).item()


# --------------------------------------------------------------------------------------------
# Vehicles and sections
# --------------------------------------------------------------------------------------------

_LOOKALIKE: Final[dict[str, str]] = {"S": "5", "Z": "2", "I": "1", "O": "0", "B": "8"}


def vehicle_reg_expr(e: pl.Expr) -> pl.Expr:
    """Registration number: upper-case, no spaces, dashes or dots; empty -> null."""
    out = e.str.to_uppercase().str.replace_all(r"[\s\-.]+", "")
    return pl.when(out.str.len_bytes() > 0).then(out)


def identifier_key_expr(e: pl.Expr) -> pl.Expr:
    """Chassis/engine matching key: upper-case, no separators, look-alike characters folded."""
    return vehicle_reg_expr(e).str.replace_many(list(_LOOKALIKE), list(_LOOKALIKE.values()))


_SECTION_PREFIX: Final = re.compile(r"(?i)^(?:u\s*/\s*s\.?|u\.\s*s\.|section|sec\.?|s\.)\s*")
_CLAUSE: Final = re.compile(r"\(([A-Z]+)\)")


@lru_cache(maxsize=100_000)
def section_canonical(value: str | None) -> str | None:
    """Canonical section text: ``303 (2)`` -> ``303(2)``, ``376 da`` -> ``376DA``.

    Trimmed; a leading ``u/s``, ``u.s.``, ``section``, ``sec.`` or ``s.`` dropped; whitespace
    removed; letters upper-cased except a lettered clause in brackets, which the section master
    writes in lower case (``3(1)(r)``, ``8(c)``, ``125(a)``).
    """
    if value is None:
        return None
    out = re.sub(r"\s+", "", _SECTION_PREFIX.sub("", value.strip())).upper()
    out = _CLAUSE.sub(lambda m: "(" + m.group(1).lower() + ")", out)
    return out or None


def section_canonical_series(values: pl.Series) -> pl.Series:
    """:func:`section_canonical` over a column, computed once per distinct value."""
    uniq = values.unique().drop_nulls().to_list()
    mapping = {v: section_canonical(v) for v in uniq}
    return values.replace_strict(mapping, default=None, return_dtype=pl.Utf8)
