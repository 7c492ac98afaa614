"""Roles, capabilities and which page each role may open: the one table both the query layer and
the app read, so a page hidden in the navigation is also refused by the queries behind it."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Role(StrEnum):
    NCRB_ADMIN = "ncrb_admin"
    NCRB_STATISTICIAN = "ncrb_statistician"
    SENIOR_OFFICER = "senior_officer"
    SCRB = "scrb"
    PUBLIC = "public"


ROLE_LABELS: Final[dict[Role, str]] = {
    Role.NCRB_ADMIN: "NCRB administrator",
    Role.NCRB_STATISTICIAN: "NCRB statistician",
    Role.SENIOR_OFFICER: "Senior police officer",
    Role.SCRB: "State Crime Records Bureau",
    Role.PUBLIC: "Public (RTI outputs)",
}


class Capability(StrEnum):
    """What a query or a page section needs."""

    META = "meta"  # build date, State names, crime head names
    OVERVIEW = "overview"
    PARLIAMENT = "parliament"
    RTI = "rti"
    PATTERNS = "patterns"
    FIR_LOCATIONS = "fir_locations"  # point locations of FIRs
    ITSSO = "itsso"
    ITSSO_OVERDUE = "itsso_overdue"  # case-level overdue list
    NDSO = "ndso"  # offender registry search
    DATA_HEALTH = "data_health"


ROLE_CAPABILITIES: Final[dict[Role, frozenset[Capability]]] = {
    Role.NCRB_ADMIN: frozenset(Capability),
    Role.NCRB_STATISTICIAN: frozenset(
        {
            Capability.META,
            Capability.OVERVIEW,
            Capability.PARLIAMENT,
            Capability.RTI,
            Capability.PATTERNS,
            Capability.ITSSO,
            Capability.DATA_HEALTH,
        }
    ),
    Role.SENIOR_OFFICER: frozenset(
        {
            Capability.META,
            Capability.OVERVIEW,
            Capability.RTI,
            Capability.PATTERNS,
            Capability.FIR_LOCATIONS,
            Capability.ITSSO,
            Capability.ITSSO_OVERDUE,
            Capability.NDSO,
        }
    ),
    Role.SCRB: frozenset(
        {
            Capability.META,
            Capability.RTI,
            Capability.PATTERNS,
            Capability.FIR_LOCATIONS,
            Capability.ITSSO,
            Capability.ITSSO_OVERDUE,
            Capability.DATA_HEALTH,
        }
    ),
    Role.PUBLIC: frozenset({Capability.META, Capability.RTI}),
}

#: Roles whose users belong to exactly one State (``SCRB``) or may (``SENIOR_OFFICER``).
STATE_REQUIRED: Final = frozenset({Role.SCRB})
STATE_ALLOWED: Final = frozenset({Role.SCRB, Role.SENIOR_OFFICER})


def capabilities(role: Role) -> frozenset[Capability]:
    return ROLE_CAPABILITIES[Role(role)]


def has(role: Role, capability: Capability) -> bool:
    return Capability(capability) in ROLE_CAPABILITIES[Role(role)]
