"""Delegations to fairs and exhibitions: applications, selection, each member's cost. Pure.

A delegation has a stand (m²), a total cost, a co-financing share (by a donor or agency) and a
number of places. Members in good standing apply (`open`); staff score the applications;
selection (`selected`) takes the highest scores, an earlier application breaking a tie, and
shares the cost left after co-financing equally among the selected, to the tetri, the
remainder going to the first ranked so the shares sum to the cost exactly.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from cmo_contracts.training import DelegationMemberNotSelected, DelegationMemberSelected
from cmo_shared.errors import Conflict, NotFound

TETRI = Decimal("0.01")


class DelegationStatus(StrEnum):
    """`open -> selected`."""

    OPEN = "open"
    SELECTED = "selected"


class DelegationConflict(Conflict):
    """The delegation cannot do that in its status."""

    code = "delegation_state_conflict"


class AlreadyApplied(Conflict):
    """The member applied already."""

    code = "already_applied"


@dataclass
class Application:
    """A member's application to join the delegation."""

    member_id: str
    legal_name: str
    motivation: str
    applied_at: datetime
    score: Decimal | None = None
    rank: int | None = None
    selected: bool = False
    share: Decimal | None = None


@dataclass
class Delegation:
    """A member delegation to a fair or exhibition."""

    delegation_id: str
    fair: str
    city: str
    starts_on: date
    ends_on: date
    stand_area_m2: Decimal
    total_cost: Decimal
    cofinancing_share: Decimal
    cofinanced_by: str | None
    places: int
    created_at: datetime
    status: DelegationStatus = DelegationStatus.OPEN
    applications: list[Application] = field(default_factory=list)

    @property
    def members_cost(self) -> Decimal:
        """What the members pay together after co-financing."""
        return (self.total_cost * (1 - self.cofinancing_share)).quantize(TETRI)

    def apply(self, application: Application) -> None:
        """A member applies (once)."""
        self._require_open()
        if any(a.member_id == application.member_id for a in self.applications):
            raise AlreadyApplied(
                f"member {application.member_id} applied already", field="member_id"
            )
        self.applications.append(application)

    def score(self, member_id: str, score: Decimal) -> None:
        """Staff's score of an application."""
        self._require_open()
        self._application(member_id).score = score

    def select(self) -> list[DelegationMemberSelected | DelegationMemberNotSelected]:
        """Rank by score (unscored last), earlier application first; share the cost."""
        self._require_open()
        ranked = sorted(
            self.applications,
            key=lambda a: (a.score is None, -(a.score or Decimal(0)), a.applied_at, a.member_id),
        )
        chosen = ranked[: self.places]
        shares = split(self.members_cost, len(chosen))
        events: list[DelegationMemberSelected | DelegationMemberNotSelected] = []
        for rank, application in enumerate(ranked, start=1):
            application.rank = rank
            if rank <= len(chosen):
                application.selected, application.share = True, shares[rank - 1]
                events.append(
                    DelegationMemberSelected(
                        delegation_id=self.delegation_id,
                        fair=self.fair,
                        member_id=application.member_id,
                        legal_name=application.legal_name,
                        rank=rank,
                        share=str(application.share),
                        starts_on=self.starts_on.isoformat(),
                    )
                )
            else:
                events.append(
                    DelegationMemberNotSelected(
                        delegation_id=self.delegation_id,
                        fair=self.fair,
                        member_id=application.member_id,
                        rank=rank,
                    )
                )
        self.status = DelegationStatus.SELECTED
        return events

    def _application(self, member_id: str) -> Application:
        found = next((a for a in self.applications if a.member_id == member_id), None)
        if found is None:
            raise NotFound(f"member {member_id} has not applied", field="member_id")
        return found

    def _require_open(self) -> None:
        if self.status is not DelegationStatus.OPEN:
            raise DelegationConflict(f"the delegation is {self.status}")


def split(amount: Decimal, parts: int) -> list[Decimal]:
    """An amount in equal shares to the tetri; the first takes the remainder."""
    if parts == 0:
        return []
    share = (amount / parts).quantize(TETRI, rounding=ROUND_DOWN)
    return [amount - share * (parts - 1), *[share] * (parts - 1)]
