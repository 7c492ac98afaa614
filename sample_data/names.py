"""Indian name pools for synthetic people, built once per seed with Faker.

Each pool pairs a name in an Indian script with its Latin (roman) spelling. Pools come from the
Faker locales that exist for India (``hi_IN``, ``mr_IN``, ``gu_IN``, ``or_IN``, ``ta_IN``,
``bn_BD`` for Bengali script, ``en_IN`` for Latin); scripts without a Faker locale (Telugu,
Kannada, Malayalam, Gurmukhi) are rendered by transliterating the Devanagari pool with
``indic_transliteration``. A roman spelling is derived from the Indic form (ITRANS with the
final schwa dropped), and a second "variant" spelling is derived from it by the substitutions
clerks actually make (sh/s, ee/i, oo/u, w/v, doubled letters, Mohammad/Mohd, ...), which is how
the same person ends up spelled differently in different FIRs.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from faker import Faker
from indic_transliteration import sanscript

from core.text import SCRIPTS, romanise_word

#: Script name (as in ref_states.script) -> (Faker locale, sanscript scheme or None for Latin).
SCRIPT_SOURCES: dict[str, tuple[str, str | None]] = {
    "Devanagari": ("hi_IN", sanscript.DEVANAGARI),
    "Marathi": ("mr_IN", sanscript.DEVANAGARI),
    "Gujarati": ("gu_IN", sanscript.GUJARATI),
    "Odia": ("or_IN", sanscript.ORIYA),
    "Tamil": ("ta_IN", sanscript.TAMIL),
    "Bengali": ("bn_BD", sanscript.BENGALI),
    "Telugu": ("hi_IN", sanscript.TELUGU),
    "Kannada": ("hi_IN", sanscript.KANNADA),
    "Malayalam": ("hi_IN", sanscript.MALAYALAM),
    "Gurmukhi": ("hi_IN", sanscript.GURMUKHI),
    "Latin": ("en_IN", None),
}

#: sanscript scheme -> script name of :data:`core.text.SCRIPTS` (the one transliteration).
_SCRIPT_OF_SCHEME: dict[str, str] = {scheme: name for name, (_, _, scheme) in SCRIPTS.items() if scheme}


def romanise(text: str, scheme: str) -> str:
    """Roman spelling of an Indic-script name, word by word, as ingestion romanises it
    (:func:`core.text.romanise_word`: IAST, final schwa dropped, diacritics removed)."""
    script = _SCRIPT_OF_SCHEME[scheme]
    return " ".join(w for w in (romanise_word(word, script) for word in text.split()) if w)


_VARIANT_RULES: list[tuple[str, str]] = [
    (r"^Mohammad", "Mohd"),
    (r"^Mohammed", "Md"),
    (r"sh", "s"),
    (r"ee", "i"),
    (r"i$", "ee"),
    (r"oo", "u"),
    (r"u", "oo"),
    (r"w", "v"),
    (r"v", "w"),
    (r"th", "t"),
    (r"dh", "d"),
    (r"ph", "f"),
    (r"([bcdfgjklmnprstvz])\1", r"\1"),
    (r"a$", "aa"),
    (r"aa", "a"),
    (r"y", "i"),
    (r"Kumar$", "Kumaar"),
    (r"ksh", "x"),
    (r"^Sri", "Shri"),
    (r"([aeiou])n([dt])", r"\1n\2"),
]


def spelling_variant(name: str, pick: int) -> str:
    """A plausible alternative roman spelling; ``pick`` rotates which rule is tried first."""
    n = len(_VARIANT_RULES)
    for i in range(n):
        pattern, repl = _VARIANT_RULES[(pick + i) % n]
        new = re.sub(pattern, repl, name, count=1)
        if new != name and new:
            return new
    return name + "a" if not name.endswith("a") else name[:-1]


@dataclass(frozen=True)
class NamePool:
    """Given names and surnames of one script: native form, roman form, roman variant."""

    script: str
    male_native: npt.NDArray[np.object_]
    male_latin: npt.NDArray[np.object_]
    male_variant: npt.NDArray[np.object_]
    female_native: npt.NDArray[np.object_]
    female_latin: npt.NDArray[np.object_]
    female_variant: npt.NDArray[np.object_]
    surname_native: npt.NDArray[np.object_]
    surname_latin: npt.NDArray[np.object_]
    surname_variant: npt.NDArray[np.object_]


def _unique(draw: callable, n: int) -> list[str]:  # type: ignore[valid-type]
    seen: dict[str, None] = {}
    for _ in range(n * 6):
        value = draw().strip()
        if value and " " not in value and "." not in value:
            seen.setdefault(value, None)
        if len(seen) >= n:
            break
    return sorted(seen)


def _pool(script: str, seed: int, size: int = 400) -> NamePool:
    locale, scheme = SCRIPT_SOURCES[script]
    fake = Faker(locale)
    fake.seed_instance(seed)
    male = _unique(fake.first_name_male, size)
    female = _unique(fake.first_name_female, size)
    surnames = _unique(fake.last_name, size)
    base_scheme = {"hi_IN": sanscript.DEVANAGARI, "mr_IN": sanscript.DEVANAGARI}.get(locale, scheme)

    def forms(names: list[str]) -> tuple[npt.NDArray[np.object_], ...]:
        if scheme is None:  # Latin pool: the Faker name is already roman.
            native = names
            latin = names
        else:
            latin = [romanise(x, base_scheme or scheme) or x for x in names]
            if base_scheme != scheme:  # Devanagari names shown in another Brahmic script.
                native = [sanscript.transliterate(x, base_scheme, scheme) for x in names]
            else:
                native = names
        variant = [spelling_variant(x, i) for i, x in enumerate(latin)]
        return (
            np.array(native, dtype=object),
            np.array(latin, dtype=object),
            np.array(variant, dtype=object),
        )

    m, f, s = forms(male), forms(female), forms(surnames)
    return NamePool(script, *m, *f, *s)


@functools.cache
def name_pools(seed: int) -> dict[str, NamePool]:
    """All pools for a seed (deterministic: Faker is pinned and seeded per pool)."""
    return {script: _pool(script, seed + i) for i, script in enumerate(SCRIPT_SOURCES)}


ALIASES = np.array(
    [
        "Pappu",
        "Guddu",
        "Raju",
        "Munna",
        "Kallu",
        "Bablu",
        "Chhotu",
        "Sonu",
        "Monu",
        "Tinku",
        "Bunty",
        "Lalla",
        "Golu",
        "Bittu",
        "Kaalia",
        "Langda",
        "Shera",
        "Bhola",
        "Pintu",
        "Dabbu",
        "Anna",
        "Bhai",
        "Tiger",
        "Kalia",
    ],
    dtype=object,
)
