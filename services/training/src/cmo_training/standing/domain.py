"""What training knows of members: name, sector and standing, from the members' events."""

from dataclasses import dataclass

from cmo_shared.standing import NotInGoodStanding

__all__ = ["MemberFacts", "NotInGoodStanding"]


@dataclass(frozen=True)
class MemberFacts:
    """A member as training knows it."""

    member_id: str
    status: str
    legal_name: str
    sector: str
