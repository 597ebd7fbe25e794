"""Who is in good standing and in which sectors: pure rules over the member read model."""

from collections.abc import Iterable
from dataclasses import dataclass

from cmo_shared.standing import NotInGoodStanding


@dataclass(frozen=True)
class MemberFacts:
    """A member as advocacy knows it from the members service's events."""

    member_id: str
    status: str
    legal_name: str
    sector: str
    employees: int


__all__ = ["MemberFacts", "NotInGoodStanding", "in_sectors", "size_band"]


def in_sectors(sector: str, prefixes: Iterable[str]) -> bool:
    """Whether a NACE code falls under any of the prefixes (no prefixes: every sector)."""
    prefixes = list(prefixes)
    return not prefixes or any(sector.startswith(p) for p in prefixes)


def size_band(employees: int) -> str:
    """The EU SME size band of a company by head count."""
    if employees < 10:
        return "micro"
    if employees < 50:
        return "small"
    if employees < 250:
        return "medium"
    return "large"
