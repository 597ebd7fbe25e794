"""Who may use procurement's services, and which services the year's catalogue offers."""

from dataclasses import dataclass

from cmo_contracts.members import GOOD_STANDING
from cmo_shared.errors import Conflict, Forbidden, NotFound


@dataclass(frozen=True)
class MemberFacts:
    """A member as procurement knows it from the members service's events."""

    member_id: str
    status: str
    legal_name: str
    tax_id: str
    region: str


@dataclass(frozen=True)
class CatalogueFacts:
    """One entry of a year's catalogue of common services."""

    year: int
    slug: str
    title: str
    availability: str


class NotInGoodStanding(Forbidden):
    """The member is suspended or gone: it cannot state needs, join pools or ask for services."""

    code = "member_not_in_good_standing"


class ServiceNotOffered(Conflict):
    """The year's catalogue does not offer the common service asked for."""

    code = "service_not_offered"


def in_good_standing(member: MemberFacts | None) -> bool:
    """Whether a member is known and may use the services now."""
    return member is not None and member.status in GOOD_STANDING


def admitted(member_id: str, member: MemberFacts | None) -> MemberFacts:
    """The member, if it may use the services now; an error naming `member_id` otherwise."""
    if member is None:
        raise NotFound(f"member {member_id} is not known to procurement", field="member_id")
    if not in_good_standing(member):
        raise NotInGoodStanding(
            f"member {member_id} is {member.status}, not in good standing", field="member_id"
        )
    return member


def offered(entry: CatalogueFacts | None, field: str) -> None:
    """Refuse a service the year's catalogue marks not offered (an unlisted one is offered)."""
    if entry is not None and entry.availability != "offered":
        raise ServiceNotOffered(
            f"'{entry.title}' ({entry.slug}) is not offered in {entry.year}", field=field
        )
