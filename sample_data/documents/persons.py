"""person.csv: the accused (A1..), victims (V1..) and the complainant (C1) of each document.

The persons are built in steps: who is in the document (:class:`Roster`), who each of them is
(sex, age and names, a repeat offender's from the offender pool: :class:`Identity`), how the
name is written in this FIR (the variants record linkage must undo), then the particulars.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from sample_data import vocab
from sample_data.documents.columns import U, frame, take, zfill
from sample_data.documents.context import Docs
from sample_data.documents.lookups import NATIVE_SHARE, Lookups
from sample_data.names import ALIASES
from sample_data.rand import Hasher
from sample_data.world import NONE

#: Share of the accused drawn from the repeat-offender pool, by MO group (0.06 otherwise).
REPEAT_SHARE = {"PROPERTY": 0.22, "SLL": 0.15, "VIOLENT": 0.1}
#: The labels of the ``name_variant`` draw (the hidden ``_variant`` column, for the truth files).
VARIANTS = ("exact", "spelling", "initial", "native", "patronymic")


def persons_table(lk: Lookups, d: Docs) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The person rows of the documents, and (``_doc``, ``person_seq``) of their accused."""
    h = lk.h
    r = Roster.of(lk, d)
    p = Identity.of(lk, d, r)
    name, native, variant = _written_names(h, r, p)
    particulars = _particulars(lk, d, r, p, native)
    marks = _description(h, r, p)
    df = frame(
        {
            "_doc": r.doc,
            "person_seq": r.seq,
            "role": r.role,
            "name": name,
            "alias": marks["alias"],
            "relative_name": particulars["relative_name"],
            "gender": particulars["gender"],
            "birth_year": particulars["birth_year"],
            "age": particulars["age"],
            "nationality": particulars["nationality"],
            "address": particulars["address"],
            "address_district_code": particulars["address_district_code"],
            "height_cm": marks["height_cm"],
            "complexion": marks["complexion"],
            "identification_marks": marks["identification_marks"],
            "occupation": particulars["occupation"],
            "_person_uid": p.person_uid,
            "_variant": np.where(native, "native", np.array(VARIANTS, dtype=object)[variant]),
        },
        schema_overrides={
            "birth_year": pl.Int64,
            "age": pl.Int64,
            "height_cm": pl.Int64,
            "alias": pl.Utf8,
            "complexion": pl.Utf8,
            "identification_marks": pl.Utf8,
        },
    )
    persons = d.attach(df)
    accused = persons.filter(pl.col("role") == "ACCUSED").select("_doc", "person_seq")
    return persons, accused


@dataclass
class Roster:
    """One row per person of the documents: accused once known, victims (none for State cases),
    one complainant. ``pid``: the person's id within the simulated world (what draws key on)."""

    doc: npt.NDArray[np.int64]
    role: npt.NDArray[np.object_]
    seq: npt.NDArray[np.object_]
    pid: npt.NDArray[np.uint64]
    vprof: npt.NDArray[np.object_]  # the victim profile of the person's crime head

    @classmethod
    def of(cls, lk: Lookups, d: Docs) -> Roster:
        n, day, g = d.n, d.day, d.g
        vp = lk.head_meta["victim_profile"][g["head"]]
        # Accused, once known.
        acc_known = (g["acc_known_day"] != NONE) & (day >= g["acc_known_day"])
        n_acc = np.where(acc_known, g["n_acc"], 0)
        a_doc = np.repeat(np.arange(n), n_acc)
        a_k = np.arange(len(a_doc)) - np.repeat(np.cumsum(n_acc) - n_acc, n_acc)
        a_seq = np.char.add("A", (a_k + 1).astype(str)).astype(object)
        # Victims.
        n_vic = np.where(vp == "NONE", 0, 1 + (lk.h.uniform(d.uid, "n_vic") < 0.1))
        v_doc = np.repeat(np.arange(n), n_vic)
        v_k = np.arange(len(v_doc)) - np.repeat(np.cumsum(n_vic) - n_vic, n_vic)
        v_seq = np.char.add("V", (v_k + 1).astype(str)).astype(object)
        c_doc = np.arange(n)

        doc = np.concatenate([a_doc, v_doc, c_doc])
        role = np.concatenate(
            [np.full(len(a_doc), "ACCUSED"), np.full(len(v_doc), "VICTIM"), np.full(n, "COMPLAINANT")]
        ).astype(object)
        seq = np.concatenate([a_seq, v_seq, np.full(n, "C1", dtype=object)])
        k = np.concatenate([a_k, 100 + v_k, np.full(n, 200)])
        pid = d.uid[doc] * U(1000) + k.astype(U)
        return cls(doc, role, seq, pid, vp[doc])

    @property
    def is_acc(self) -> npt.NDArray[np.bool_]:
        return self.role == "ACCUSED"

    @property
    def is_com(self) -> npt.NDArray[np.bool_]:
        return self.role == "COMPLAINANT"

    @property
    def police(self) -> npt.NDArray[np.bool_]:
        """The complainant of a State case (no victim): a police officer."""
        return self.is_com & (self.vprof == "NONE")


@dataclass
class Identity:
    """Who each person of a :class:`Roster` is: sex, age, names (``nm``) and their relative's
    names (``rel``), as drawn by :meth:`Lookups.names`; for a repeat offender (``repeat``) the
    ones of his entry ``off_key`` in a State's offender pool. ``person_uid``: the truth key."""

    female: npt.NDArray[np.bool_]
    age: npt.NDArray[np.int64]
    nm: dict[str, npt.NDArray[np.object_]]
    rel: dict[str, npt.NDArray[np.object_]]
    repeat: npt.NDArray[np.bool_]
    off_key: npt.NDArray[np.uint64]
    person_uid: npt.NDArray[np.object_]

    @classmethod
    def of(cls, lk: Lookups, d: Docs, r: Roster) -> Identity:
        female, age, name_key = _sex_and_age(lk.h, d, r)
        m = len(r.doc)
        states = np.full(m, d.state, dtype=object)
        nm = lk.names(name_key, "person", female, states)
        rel = lk.names(name_key, "relative", np.zeros(m, dtype=bool), states)
        repeat, rep_state, off_key, person_uid = _repeat_offenders(lk, d, r)
        if repeat.any():
            # A repeat offender is the pool's person: his names, sex and year of birth.
            h = lk.h
            i = np.flatnonzero(repeat)
            ofem = h.uniform(off_key[i], "off_f") < 0.06
            onm = lk.names(off_key[i], "offender", ofem, rep_state[i])
            orel = lk.names(off_key[i], "off_rel", np.zeros(len(i), dtype=bool), rep_state[i])
            for kk in ("gn", "gl", "gv", "sn", "sl", "sv", "script"):
                nm[kk][i] = onm[kk]
                rel[kk][i] = orel[kk]
            female[i] = ofem
            birth = 1955 + h.integers(off_key[i], "off_by", 0, 50)
            age[i] = np.clip(d.g["year"][r.doc[i]] - birth, 18, 90)
        return cls(female, age, nm, rel, repeat, off_key, person_uid)


def _sex_and_age(
    h: Hasher, d: Docs, r: Roster
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64], npt.NDArray[np.uint64]]:
    """Sex and age by role and the crime's victim profile, and the id a person's name is drawn
    for: the complainant is often the victim (same person, same draw); for a child, a parent;
    for State cases (no victim), a police officer."""
    pid, vprof, is_acc = r.pid, r.vprof, r.is_acc
    female = np.where(
        is_acc,
        h.uniform(pid, "acc_f") < 0.08,
        np.where(np.isin(vprof, ["FEMALE", "CHILD_FEMALE"]), True, h.uniform(pid, "vic_f") < 0.4),
    )
    child = (r.role == "VICTIM") & np.isin(vprof, ["CHILD", "CHILD_FEMALE"])
    age = np.where(
        child,
        h.integers(pid, "age_c", 3, 18),
        np.where(is_acc, h.integers(pid, "age_a", 18, 62), h.integers(pid, "age_o", 18, 75)),
    )
    com_is_vic = (
        r.is_com
        & (vprof != "NONE")
        & ~np.isin(vprof, ["CHILD", "CHILD_FEMALE"])
        & (h.uniform(d.uid[r.doc], "com_vic") < 0.6)
    )
    # Names: the victim-complainant shares the victim's draw.
    name_key = np.where(com_is_vic, d.uid[r.doc] * U(1000) + U(100), pid)
    female = np.where(
        com_is_vic,
        np.isin(vprof, ["FEMALE", "CHILD_FEMALE"]) | (h.uniform(name_key, "vic_f") < 0.4),
        female,
    )
    age = np.where(com_is_vic, h.integers(name_key, "age_o", 18, 75), age)
    return female, age, name_key


def _repeat_offenders(
    lk: Lookups, d: Docs, r: Roster
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.object_], npt.NDArray[np.uint64], npt.NDArray[np.object_]]:
    """Some accused are drawn from the State's (or another State's) pool of repeat offenders:
    (whether, the pool's State, the offender's key, the person's truth key)."""
    h, pid, state = lk.h, r.pid, d.state
    pool_size = lk.offender_pool_size
    grp = lk.head_meta["mo_group"][d.g["head"]]
    p_rep = np.array([REPEAT_SHARE.get(x, 0.06) for x in grp[r.doc]])
    repeat = r.is_acc & (h.uniform(pid, "repeat") < p_rep)
    other_state = h.uniform(pid, "rep_other") < 0.1
    states_all = np.array(sorted(pool_size), dtype=object)
    rep_state = np.where(other_state, take(states_all, h.integers(pid, "rep_state", 0, 1 << 20)), state)
    sizes = np.array([pool_size.get(s, 1) for s in rep_state])
    rep_idx = h.integers(pid, "rep_idx", 0, sizes)
    person_uid = np.where(
        repeat,
        np.char.add(np.char.add("R", rep_state.astype(str)), zfill(rep_idx.astype(str), 7)),
        np.char.add("P", pid.astype(str)),
    ).astype(object)
    off_key = (np.array([int(s) for s in rep_state], dtype=np.int64) * 10**8 + rep_idx).astype(U)
    return repeat, rep_state, off_key, person_uid


def _written_names(
    h: Hasher, r: Roster, p: Identity
) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
    """How each name is written in this FIR (native script or a Latin variant; variants are what
    record linkage must undo): (name, written in the native script, variant drawn)."""
    pid, nm, rel = r.pid, p.nm, p.rel
    script = nm["script"]
    native_share = np.array([NATIVE_SHARE.get(s, 0.15) for s in script])
    variant = h.choice(pid, "name_variant", [0.5, 0.2, 0.1, 0.1, 0.1])
    native = (h.uniform(pid, "native") < native_share) | (p.repeat & (variant == 3) & (native_share > 0))
    latin_full = (nm["gl"] + " " + nm["sl"]).astype(object)
    name = np.where(
        native,
        nm["gn"] + " " + nm["sn"],
        np.select(
            [variant == 1, variant == 2, variant == 4],
            [
                nm["gv"] + " " + nm["sv"],
                np.array([x[:1] for x in nm["gl"]], dtype=object) + ". " + nm["sl"],
                nm["gl"] + " " + rel["gl"],
            ],
            latin_full,
        ),
    ).astype(object)
    name = np.where(r.police, "SI " + name, name)
    return name, native, variant


def _particulars(
    lk: Lookups, d: Docs, r: Roster, p: Identity, native: npt.NDArray[np.bool_]
) -> dict[str, npt.NDArray]:
    """Relative's name, gender, birth year and age (either may be missing), nationality, address
    and its district, occupation."""
    h, pid, rel, female, age = lk.h, r.pid, p.rel, p.female, p.age
    relative = np.where(
        native & (h.uniform(pid, "rel_native") < 0.7),
        rel["gn"] + " " + rel["sn"],
        rel["gl"] + " " + rel["sl"],
    )
    birth_year = d.g["year"][r.doc] - age
    has_age = h.uniform(pid, "has_age") < 0.9
    has_by = h.uniform(pid, "has_by") < 0.75
    dist_codes = lk.district_codes[d.state]
    home = np.where(
        h.uniform(pid, "home_other") < 0.2,
        take(dist_codes, h.integers(pid, "home_d", 0, 1 << 20)),
        np.asarray(d.key["district_code"].to_numpy(), dtype=object)[r.doc],
    )
    address = (
        "H.No. "
        + (1 + h.integers(pid, "hno", 0, 900)).astype(str).astype(object)
        + ", "
        + take(vocab.LOCALITIES, h.integers(pid, "loc", 0, 1 << 20))
    )
    occupation = np.where(
        r.police,
        "POLICE",
        np.where(
            female,
            take(vocab.OCCUPATIONS_F, h.integers(pid, "occ", 0, 1 << 20)),
            take(vocab.OCCUPATIONS_M, h.integers(pid, "occ", 0, 1 << 20)),
        ),
    )
    nationality = np.where(
        h.uniform(pid, "nat") < 0.004,
        np.where(h.uniform(pid, "nat2") < 0.5, "NEPALI", "BANGLADESHI"),
        "INDIAN",
    )
    return {
        "relative_name": relative.astype(object),
        "gender": np.where(female, "F", np.where(h.uniform(pid, "tg") < 0.002, "T", "M")).astype(object),
        "birth_year": np.where(has_by, birth_year, None),
        "age": np.where(has_age | ~has_by, age, None),
        "nationality": nationality.astype(object),
        "address": address.astype(object),
        "address_district_code": home,
        "occupation": occupation.astype(object),
    }


def _description(h: Hasher, r: Roster, p: Identity) -> dict[str, npt.NDArray]:
    """Alias, height, complexion and identification marks: mostly of the accused (a repeat
    offender's alias, complexion and marks are his own, drawn for his pool key)."""
    pid, is_acc = r.pid, r.is_acc
    own = np.where(p.repeat, p.off_key, pid)
    height = np.where(p.female, h.integers(pid, "ht", 145, 172), h.integers(pid, "ht", 155, 188))
    return {
        "alias": np.where(
            is_acc & (h.uniform(pid, "alias") < 0.25),
            take(ALIASES, h.integers(own, "alias_i", 0, 1 << 20)),
            None,
        ),
        "height_cm": np.where(
            is_acc & (h.uniform(pid, "has_ht") < 0.8) | (h.uniform(pid, "has_ht2") < 0.1),
            height,
            None,
        ),
        "complexion": np.where(
            is_acc | (h.uniform(pid, "has_cx") < 0.2),
            take(vocab.COMPLEXIONS, h.integers(own, "cx", 0, 1 << 20)),
            None,
        ),
        "identification_marks": np.where(
            is_acc & (h.uniform(pid, "has_mk") < 0.5),
            take(vocab.MARKS, h.integers(own, "mk", 0, 1 << 20)),
            None,
        ),
    }
