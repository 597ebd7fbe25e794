"""Whether a member is eligible for a funding call, and why: pure rules.

Every criterion that restricts is checked; the assessment lists the criteria that held (shown
to the member with the match) and those that failed (shown to staff).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from cmo_contracts.members import GOOD_STANDING


@dataclass(frozen=True)
class MemberFacts:
    """What the funding service knows of a member, from the members service's events."""

    member_id: str
    status: str
    sector: str
    employees: int
    region: str
    turnover_band: str | None = None
    certifications: Sequence[str] = ()
    founded_year: int | None = None


@dataclass(frozen=True)
class Criteria:
    """Who a call is for; an empty or None criterion does not restrict."""

    sectors: tuple[str, ...] = ()
    min_employees: int | None = None
    max_employees: int | None = None
    turnover_bands: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    certifications: tuple[str, ...] = ()
    min_years_in_operation: int | None = None
    fees_paid_up: bool = False

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> "Criteria":
        """Criteria from stored or submitted values (lists become tuples)."""
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})


@dataclass
class Assessment:
    """The criteria that held and those that failed for one member."""

    held: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        """Eligible when no criterion failed."""
        return not self.failed

    def check(self, holds: bool, reason: str, failure: str) -> None:
        """Record one criterion's outcome."""
        (self.held if holds else self.failed).append(reason if holds else failure)


def _standing(criteria: Criteria, member: MemberFacts, result: Assessment) -> None:
    admitted = {"active"} if criteria.fees_paid_up else GOOD_STANDING
    result.check(
        member.status in admitted,
        "membership in good standing" + (" with fees paid" if criteria.fees_paid_up else ""),
        f"membership is {member.status}",
    )


def _size(criteria: Criteria, member: MemberFacts, result: Assessment) -> None:
    low, high = criteria.min_employees, criteria.max_employees
    if low is None and high is None:
        return
    within = (low is None or member.employees >= low) and (high is None or member.employees <= high)
    bounds = f"{low if low is not None else 0}-{high if high is not None else '∞'}"
    result.check(
        within,
        f"{member.employees} employees (within {bounds})",
        f"{member.employees} employees (outside {bounds})",
    )


def _certifications(criteria: Criteria, member: MemberFacts, result: Assessment) -> None:
    held = {c.casefold() for c in member.certifications}
    for required in criteria.certifications:
        result.check(required.casefold() in held, f"holds {required}", f"does not hold {required}")


def _age(criteria: Criteria, member: MemberFacts, today: date, result: Assessment) -> None:
    needed = criteria.min_years_in_operation
    if needed is None:
        return
    if member.founded_year is None:
        result.check(False, "", "years in operation unknown")
        return
    years = today.year - member.founded_year
    result.check(
        years >= needed,
        f"{years} years in operation (at least {needed})",
        f"{years} years in operation (fewer than {needed})",
    )


def assess(criteria: Criteria, member: MemberFacts, today: date) -> Assessment:
    """Check a member against every criterion of a call."""
    result = Assessment()
    _standing(criteria, member, result)
    if criteria.sectors:
        prefix = next((p for p in criteria.sectors if member.sector.startswith(p)), None)
        result.check(
            prefix is not None,
            f"sector {member.sector} is within {prefix}",
            f"sector {member.sector} is not among {', '.join(criteria.sectors)}",
        )
    _size(criteria, member, result)
    if criteria.turnover_bands:
        result.check(
            member.turnover_band in criteria.turnover_bands,
            f"turnover {member.turnover_band}",
            f"turnover {member.turnover_band or 'unknown'} is not admitted",
        )
    if criteria.regions:
        result.check(
            member.region in criteria.regions,
            f"operates in {member.region}",
            f"region {member.region} is not admitted",
        )
    _certifications(criteria, member, result)
    _age(criteria, member, today, result)
    return result


def member_facts(payload: Any, status: str) -> MemberFacts:
    """A member's facts from a profile-carrying event."""
    return MemberFacts(
        member_id=payload.member_id,
        status=status,
        sector=payload.sector,
        employees=payload.employees,
        region=payload.region,
        turnover_band=payload.turnover_band,
        certifications=list(payload.certifications),
        founded_year=payload.founded_year,
    )


def match_id(call_id: str, member_id: str) -> str:
    """The id of a member's match to a call: one per call and member, ever."""
    return f"{call_id}:{member_id}"


@dataclass(frozen=True)
class Match:
    """A member found eligible for a call, and the criteria that held."""

    call_id: str
    member_id: str
    reasons: list[str]
    matched_at: datetime

    @property
    def match_id(self) -> str:
        """`<call id>:<member id>`: one match per call and member, ever."""
        return match_id(self.call_id, self.member_id)
