"""Who may use procurement's services, and which services the year's catalogue offers."""

from dataclasses import dataclass

from cmo_shared.errors import Conflict
from cmo_shared.standing import NotInGoodStanding, in_good_standing

__all__ = [
    "CatalogueFacts",
    "MemberFacts",
    "NotInGoodStanding",
    "ServiceNotOffered",
    "in_good_standing",
    "offered",
]


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


class ServiceNotOffered(Conflict):
    """The year's catalogue does not offer the common service asked for."""

    code = "service_not_offered"


def offered(entry: CatalogueFacts | None, field: str) -> None:
    """Refuse a service the year's catalogue marks not offered (an unlisted one is offered)."""
    if entry is not None and entry.availability != "offered":
        raise ServiceNotOffered(
            f"'{entry.title}' ({entry.slug}) is not offered in {entry.year}", field=field
        )
