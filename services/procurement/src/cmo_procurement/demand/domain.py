"""Members' procurement needs and the demand pools they fill: pure rules, no I/O.

A need states what one member wants: quantity within its own minimum and maximum (it accepts
any allocation in between) and its current baseline unit price, against which its savings are
counted. Confirmed needs of one category and unit collect in one open pool; the pool's fill is
the sum of its needs, and crossing the threshold staff set is announced once.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from cmo_contracts.procurement import (
    NeedStated,
    NeedWithdrawn,
    PoolCancelled,
    PoolThresholdReached,
)
from cmo_shared.errors import Conflict, Invalid


class NeedStatus(StrEnum):
    """`draft` (from a needs assessment) `-> confirmed -> withdrawn`."""

    DRAFT = "draft"
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"


class PoolStatus(StrEnum):
    """`collecting -> threshold_reached -> tendered`, or `cancelled`."""

    COLLECTING = "collecting"
    THRESHOLD_REACHED = "threshold_reached"
    TENDERED = "tendered"
    CANCELLED = "cancelled"


OPEN_POOL = frozenset({PoolStatus.COLLECTING, PoolStatus.THRESHOLD_REACHED})
NEED_KINDS = frozenset({"procurement", "technology", "advisory"})
"""Kinds of `need.identified` that become draft procurement needs."""


class NeedStateConflict(Conflict):
    """The need cannot do that in its status (or its pool's)."""

    code = "need_state_conflict"


class PoolStateConflict(Conflict):
    """The pool cannot do that in its status."""

    code = "pool_state_conflict"


class WantedByPassed(Conflict):
    """A need cannot be wanted by a day that has passed."""

    code = "wanted_by_passed"


@dataclass(frozen=True)
class NeedTerms:
    """What a member states about a need (or confirms of a draft)."""

    category: str
    unit: str
    quantity: Decimal
    min_quantity: Decimal
    max_quantity: Decimal
    baseline_unit_price: Decimal
    baseline_source: str
    baseline_date: date
    wanted_by: date
    region: str

    def check(self, today: date) -> None:
        """Refuse quantities outside their own bounds and dates that cannot be."""
        if not self.min_quantity <= self.quantity <= self.max_quantity:
            field_name = "min_quantity" if self.min_quantity > self.quantity else "max_quantity"
            raise Invalid(
                f"quantity {self.quantity} must lie within min_quantity {self.min_quantity} "
                f"and max_quantity {self.max_quantity}",
                field=field_name,
            )
        if self.baseline_date > today:
            raise Invalid("the baseline price cannot be from the future", field="baseline_date")
        if self.wanted_by < today:
            raise WantedByPassed(f"wanted_by {self.wanted_by} has passed", field="wanted_by")


@dataclass
class Need:
    """One member's need for something the CMO can buy jointly."""

    need_id: str
    member_id: str
    status: NeedStatus
    created_at: datetime
    category: str | None = None
    unit: str | None = None
    quantity: Decimal | None = None
    min_quantity: Decimal | None = None
    max_quantity: Decimal | None = None
    baseline_unit_price: Decimal | None = None
    baseline_source: str | None = None
    baseline_date: date | None = None
    wanted_by: date | None = None
    region: str | None = None
    pool_id: str | None = None
    origin: dict[str, Any] | None = None
    """The needs-assessment answer a draft came from (assessment, period, question, text)."""
    history: list[dict[str, Any]] = field(default_factory=list)

    def confirm(self, terms: NeedTerms, pool_id: str, *, actor: str, at: datetime) -> NeedStated:
        """Take the terms (a new need's, or a draft's) and join the pool."""
        if self.status is not NeedStatus.DRAFT:
            raise NeedStateConflict(f"the need is {self.status}, not a draft", field="need_id")
        for name, value in vars(terms).items():
            setattr(self, name, value)
        self.status = NeedStatus.CONFIRMED
        self.pool_id = pool_id
        self.history.append({"status": self.status.value, "actor": actor, "at": at})
        return NeedStated(**self.facts())

    def withdraw(self, pool: "Pool", *, actor: str, at: datetime) -> NeedWithdrawn:
        """Leave the pool, while it is not tendered."""
        if self.status is not NeedStatus.CONFIRMED:
            raise NeedStateConflict(f"the need is {self.status}", field="need_id")
        if pool.status is PoolStatus.TENDERED:
            raise NeedStateConflict(
                "its pool is tendered: the need is bound by the tender", field="need_id"
            )
        self.status = NeedStatus.WITHDRAWN
        self.history.append({"status": self.status.value, "actor": actor, "at": at})
        return NeedWithdrawn(**self.facts(), actor=actor)

    def move_to(self, pool_id: str, *, actor: str, at: datetime) -> NeedStated:
        """Join another pool of the same category and unit (its old one was merged into it)."""
        self.pool_id = pool_id
        self.history.append(
            {"status": self.status.value, "actor": actor, "at": at, "pool": pool_id}
        )
        return NeedStated(**self.facts())

    def facts(self) -> dict[str, Any]:
        """The need as its events describe it (never the baseline)."""
        return {
            "need_id": self.need_id,
            "member_id": self.member_id,
            "category": self.category,
            "unit": self.unit,
            "quantity": str(self.quantity),
            "min_quantity": str(self.min_quantity),
            "max_quantity": str(self.max_quantity),
            "region": self.region,
            "wanted_by": str(self.wanted_by),
            "pool_id": self.pool_id,
        }


def _thousandths(number: float) -> Decimal:
    """A stated number as an exact quantity in thousandths, without trailing zeros (`2500`)."""
    exact = Decimal(str(number)).quantize(Decimal("0.001")).normalize()
    return Decimal(format(exact, "f"))


def draft_from_assessment(payload: Any, *, at: datetime) -> Need | None:
    """The draft need a `need.identified` answer becomes, if it is of a kind procurement buys.

    Its id comes from the answer (member, assessment, period, question), so a corrected or
    redelivered answer is the same draft.
    """
    if payload.kind not in NEED_KINDS:
        return None
    need_id = ":".join(
        (
            "assessment",
            payload.member_id,
            payload.assessment_id,
            payload.period,
            payload.question_id,
        )
    )
    quantity = None if payload.quantity is None else _thousandths(payload.quantity)
    return Need(
        need_id=need_id,
        member_id=payload.member_id,
        status=NeedStatus.DRAFT,
        created_at=at,
        unit=payload.unit,
        quantity=quantity,
        origin={
            "assessment_id": payload.assessment_id,
            "period": payload.period,
            "question_id": payload.question_id,
            "kind": payload.kind,
            "stated": payload.category,
        },
        history=[{"status": "draft", "actor": "system:assessment", "at": at}],
    )


@dataclass(frozen=True)
class Fill:
    """A pool's needs in totals."""

    quantity: Decimal = Decimal(0)
    min_quantity: Decimal = Decimal(0)
    max_quantity: Decimal = Decimal(0)
    members: int = 0
    needs: int = 0


def fill_of(needs: list[Need]) -> Fill:
    """The totals of a pool's confirmed needs."""
    confirmed = [n for n in needs if n.status is NeedStatus.CONFIRMED]
    return Fill(
        quantity=sum((n.quantity or Decimal(0) for n in confirmed), Decimal(0)),
        min_quantity=sum((n.min_quantity or Decimal(0) for n in confirmed), Decimal(0)),
        max_quantity=sum((n.max_quantity or Decimal(0) for n in confirmed), Decimal(0)),
        members=len({n.member_id for n in confirmed}),
        needs=len(confirmed),
    )


@dataclass
class Pool:
    """The confirmed needs of one category and unit, collected towards a joint tender."""

    pool_id: str
    category: str
    unit: str
    created_at: datetime
    status: PoolStatus = PoolStatus.COLLECTING
    threshold_quantity: Decimal | None = None
    threshold_members: int | None = None
    fill: Fill = field(default_factory=Fill)
    tender_id: str | None = None
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def open_key(self) -> str:
        """Unique among pools: `<category>|<unit>` while open, so only one can be open."""
        return f"{self.category}|{self.unit}" if self.status in OPEN_POOL else self.pool_id

    @property
    def threshold_met(self) -> bool:
        """Whether the fill meets every part of a threshold that was set."""
        if self.threshold_quantity is None and self.threshold_members is None:
            return False
        quantity_met = (
            self.threshold_quantity is None or self.fill.quantity >= self.threshold_quantity
        )
        members_met = self.threshold_members is None or self.fill.members >= self.threshold_members
        return quantity_met and members_met

    def refill(self, fill: Fill, *, at: datetime) -> PoolThresholdReached | None:
        """Take the current fill; announce the threshold the first time it is crossed.

        A pool whose fill falls back below its threshold stays ready (staff were told once).
        """
        self.fill = fill
        return self._check_threshold(at)

    def set_threshold(
        self, quantity: Decimal | None, members: int | None, *, actor: str, at: datetime
    ) -> PoolThresholdReached | None:
        """Set the threshold (total quantity and/or members); it may be met at once."""
        if self.status not in OPEN_POOL:
            raise PoolStateConflict(f"the pool is {self.status}", field="pool_id")
        if quantity is None and members is None:
            raise Invalid("give threshold_quantity, threshold_members or both", field="threshold")
        self.threshold_quantity, self.threshold_members = quantity, members
        self.history.append({"action": "threshold_set", "actor": actor, "at": at})
        return self._check_threshold(at)

    def _check_threshold(self, at: datetime) -> PoolThresholdReached | None:
        if self.status is not PoolStatus.COLLECTING or not self.threshold_met:
            return None
        self.status = PoolStatus.THRESHOLD_REACHED
        self.history.append({"action": "threshold_reached", "actor": "system", "at": at})
        return PoolThresholdReached(**self.facts())

    def tender(self, tender_id: str, *, actor: str, at: datetime) -> None:
        """Bind the pool to a joint tender (from threshold_reached only)."""
        if self.status is not PoolStatus.THRESHOLD_REACHED:
            raise PoolStateConflict(
                f"pool {self.pool_id} is {self.status}; a tender is opened from a pool that "
                "reached its threshold",
                field="pool_ids",
            )
        if self.fill.needs == 0:
            raise PoolStateConflict(f"pool {self.pool_id} has no needs", field="pool_ids")
        self.status, self.tender_id = PoolStatus.TENDERED, tender_id
        self.history.append({"action": "tendered", "actor": actor, "at": at, "tender": tender_id})

    def release(self, *, actor: str, at: datetime) -> None:
        """The tender was cancelled: the pool collects again, ready as its fill says."""
        if self.status is not PoolStatus.TENDERED:
            raise PoolStateConflict(f"the pool is {self.status}", field="pool_id")
        ready = self.threshold_met
        self.status = PoolStatus.THRESHOLD_REACHED if ready else PoolStatus.COLLECTING
        self.tender_id = None
        self.history.append({"action": "released", "actor": actor, "at": at})

    def merge_into(self, pool_id: str, *, actor: str, at: datetime) -> PoolCancelled:
        """Its tender was cancelled while a newer pool collects the same: it ends there."""
        reason = f"tender cancelled; its needs continue in pool {pool_id}"
        self.status, self.tender_id = PoolStatus.CANCELLED, None
        self.history.append({"action": "merged", "actor": actor, "at": at, "into": pool_id})
        return PoolCancelled(**self.facts(), reason=reason)

    def cancel(self, reason: str, *, actor: str, at: datetime) -> PoolCancelled:
        """Give the pool up while it is open."""
        if self.status not in OPEN_POOL:
            raise PoolStateConflict(f"the pool is {self.status}", field="pool_id")
        self.status = PoolStatus.CANCELLED
        self.history.append({"action": "cancelled", "actor": actor, "at": at, "reason": reason})
        return PoolCancelled(**self.facts(), reason=reason)

    def facts(self) -> dict[str, Any]:
        """The pool as its events describe it: totals only."""
        return {
            "pool_id": self.pool_id,
            "category": self.category,
            "unit": self.unit,
            "quantity": str(self.fill.quantity),
            "members": self.fill.members,
            "threshold_quantity": (
                None if self.threshold_quantity is None else str(self.threshold_quantity)
            ),
            "threshold_members": self.threshold_members,
        }
