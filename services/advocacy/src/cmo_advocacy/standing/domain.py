"""Who is in good standing and in which sectors: pure rules over the member read model."""

from collections.abc import Iterable
from dataclasses import dataclass

from cmo_contracts.members import GOOD_STANDING
from cmo_shared.errors import Forbidden, NotFound


@dataclass(frozen=True)
class MemberFacts:
    """A member as advocacy knows it from the members service's events."""

    member_id: str
    status: str
    legal_name: str
    sector: str
    employees: int


class NotInGoodStanding(Forbidden):
    """The member is suspended or gone: it cannot respond to consultations or back ideas."""

    code = "member_not_in_good_standing"


def in_sectors(sector: str, prefixes: Iterable[str]) -> bool:
    """Whether a NACE code falls under any of the prefixes (no prefixes: every sector)."""
    prefixes = list(prefixes)
    return not prefixes or any(sector.startswith(p) for p in prefixes)


def in_good_standing(member: MemberFacts | None) -> bool:
    """Whether a member is known and may take part now."""
    return member is not None and member.status in GOOD_STANDING


def admitted(member_id: str, member: MemberFacts | None) -> MemberFacts:
    """The member if it may take part now; an error naming `member_id` otherwise."""
    if member is None:
        raise NotFound(f"member {member_id} is not known to advocacy", field="member_id")
    if not in_good_standing(member):
        raise NotInGoodStanding(
            f"member {member_id} is {member.status}, not in good standing", field="member_id"
        )
    return member


def size_band(employees: int) -> str:
    """The EU SME size band of a company by head count."""
    if employees < 10:
        return "micro"
    if employees < 50:
        return "small"
    if employees < 250:
        return "medium"
    return "large"
