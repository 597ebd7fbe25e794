"""Joint tenders: lots from pools, sealed tiered offers, the comparison, the award. No I/O.

`draft -> open -> evaluation -> awarded -> closed`, or `cancelled` before the award. Offers are
sealed: their prices are shown to nobody, staff included, until the deadline has passed and
evaluation started. Each offer prices a lot in volume tiers; the comparison prices every offer
at the lot's pooled volume, and the award prices each supplier at the tier its awarded
quantity reaches.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from cmo_contracts.procurement import (
    AwardFacts,
    LotAwardFacts,
    LotFacts,
    TenderAwarded,
    TenderCancelled,
    TenderClosed,
    TenderEvaluationStarted,
    TenderOfferReceived,
    TenderOpened,
)
from cmo_shared.errors import Conflict, Invalid

ZERO = Decimal(0)


class TenderStatus(StrEnum):
    """`draft -> open -> evaluation -> awarded -> closed`, or `cancelled`."""

    DRAFT = "draft"
    OPEN = "open"
    EVALUATION = "evaluation"
    AWARDED = "awarded"
    CLOSED = "closed"
    CANCELLED = "cancelled"


UNSEALED = frozenset({TenderStatus.EVALUATION, TenderStatus.AWARDED, TenderStatus.CLOSED})


class TenderStateConflict(Conflict):
    """The tender cannot do that in its status."""

    code = "tender_state_conflict"


class DeadlinePassed(Conflict):
    """Offers are no longer taken."""

    code = "deadline_passed"


class DeadlineNotPassed(Conflict):
    """Offers stay sealed until the deadline."""

    code = "deadline_not_passed"


class AwardNotCovered(Conflict):
    """An award the offers or the members' bounds do not allow."""

    code = "award_not_allowed"


@dataclass
class LotLine:
    """One member's need pooled in a lot (staff and the member itself see it; peers never).

    Lines are written once, when the tender is drafted, apart from the tender itself: the
    tender stays small however many members it pools.
    """

    lot_id: str
    need_id: str
    member_id: str
    quantity: Decimal
    min_quantity: Decimal
    max_quantity: Decimal
    baseline_unit_price: Decimal
    region: str


@dataclass
class Lot:
    """A part of a tender offered on separately: one category, maybe one delivery region."""

    lot_id: str
    title: str
    category: str
    unit: str
    pool_id: str
    quantity: Decimal
    """The pooled quantity."""
    min_total: Decimal
    """The least the members accept together."""
    max_total: Decimal
    """The most the members accept together."""
    members: int
    """Member companies in the lot."""
    region: str | None = None
    cpv: list[str] = field(default_factory=list)

    @classmethod
    def pooling(
        cls,
        lot_id: str,
        title: str,
        pool: Any,
        lines: list[LotLine],
        region: str | None,
        cpv: list[str],
    ) -> "Lot":
        """A lot with the totals of its lines."""
        return cls(
            lot_id,
            title,
            pool.category,
            pool.unit,
            pool.pool_id,
            sum((line.quantity for line in lines), ZERO),
            sum((line.min_quantity for line in lines), ZERO),
            sum((line.max_quantity for line in lines), ZERO),
            len({line.member_id for line in lines}),
            region,
            list(cpv),
        )

    def facts(self) -> LotFacts:
        """The lot in totals."""
        return LotFacts(
            lot_id=self.lot_id,
            title=self.title,
            category=self.category,
            unit=self.unit,
            region=self.region,
            quantity=str(self.quantity),
            members=self.members,
        )


@dataclass(frozen=True)
class Tier:
    """A unit price that holds from a quantity up."""

    min_quantity: Decimal
    unit_price: Decimal


@dataclass
class LotOffer:
    """A supplier's prices for one lot."""

    lot_id: str
    tiers: list[Tier]
    lead_time_days: int
    min_order_quantity: Decimal | None = None

    def tier_at(self, quantity: Decimal) -> Tier | None:
        """The tier a quantity reaches (the one with the highest minimum not above it)."""
        reached = [t for t in self.tiers if t.min_quantity <= quantity]
        return max(reached, key=lambda t: t.min_quantity) if reached else None


@dataclass
class Offer:
    """A supplier's sealed offer on some lots of a tender."""

    offer_id: str
    supplier_id: str
    supplier_name: str
    lots: list[LotOffer]
    valid_until: date
    received_at: datetime
    revision: int = 1

    def for_lot(self, lot_id: str) -> LotOffer | None:
        """Its prices for a lot, if it offered on it."""
        return next((lo for lo in self.lots if lo.lot_id == lot_id), None)


@dataclass
class Award:
    """A supplier's share of a lot, at the tier its quantity reaches."""

    lot_id: str
    supplier_id: str
    supplier_name: str
    quantity: Decimal
    unit_price: Decimal
    tier_min_quantity: Decimal
    reason: str


@dataclass(frozen=True)
class AwardChoice:
    """What staff award: a quantity of a lot to a supplier, and why."""

    lot_id: str
    supplier_id: str
    quantity: Decimal
    reason: str


@dataclass
class Tender:
    """A joint tender run by the CMO for the members whose needs its lots pool."""

    tender_id: str
    title: str
    description: str
    pool_ids: list[str]
    lots: list[Lot]
    created_at: datetime
    status: TenderStatus = TenderStatus.DRAFT
    deadline: datetime | None = None
    offers: list[Offer] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)
    allocation_method: str = "pro_rata"
    awarded_at: datetime | None = None
    awarded_suppliers: list[str] = field(default_factory=list)
    """Suppliers with at least one lot, for the registry's score."""
    history: list[dict[str, Any]] = field(default_factory=list)

    def lot(self, lot_id: str, field_name: str = "lot_id") -> Lot:
        """One lot, or 422 naming the field."""
        found = next((lot for lot in self.lots if lot.lot_id == lot_id), None)
        if found is None:
            raise Invalid(f"tender {self.tender_id} has no lot {lot_id}", field=field_name)
        return found

    def _step(self, status: TenderStatus, actor: str, at: datetime, **extra: Any) -> None:
        self.status = status
        self.history.append({"status": status.value, "actor": actor, "at": at, **extra})

    def _require(self, *statuses: TenderStatus) -> None:
        if self.status not in statuses:
            wanted = " or ".join(s.value for s in statuses)
            raise TenderStateConflict(f"the tender is {self.status}, not {wanted}")

    def open(self, deadline: datetime, *, actor: str, now: datetime) -> TenderOpened:
        """Publish the tender: offers are taken until the deadline."""
        self._require(TenderStatus.DRAFT)
        if deadline <= now:
            raise Invalid("the deadline must be in the future", field="deadline")
        self.deadline = deadline
        self._step(TenderStatus.OPEN, actor, now)
        return TenderOpened(
            tender_id=self.tender_id,
            title=self.title,
            deadline=deadline.isoformat(),
            lots=[lot.facts() for lot in self.lots],
        )

    def receive(self, offer: Offer, *, now: datetime) -> TenderOfferReceived:
        """Record a sealed offer (a supplier's new offer replaces its earlier one)."""
        self._require(TenderStatus.OPEN)
        assert self.deadline is not None
        if now >= self.deadline:
            raise DeadlinePassed(f"offers closed at {self.deadline.isoformat()}")
        seen: set[str] = set()
        for index, lot_offer in enumerate(offer.lots):
            self.lot(lot_offer.lot_id, f"lots.{index}.lot_id")
            if lot_offer.lot_id in seen:
                raise Invalid(f"lot {lot_offer.lot_id} is offered twice", field=f"lots.{index}")
            seen.add(lot_offer.lot_id)
        if offer.valid_until < self.deadline.date():
            raise Invalid("an offer must be valid at least until the deadline", field="valid_until")
        earlier = next((o for o in self.offers if o.supplier_id == offer.supplier_id), None)
        if earlier is not None:
            offer.offer_id, offer.revision = earlier.offer_id, earlier.revision + 1
            self.offers.remove(earlier)
        self.offers.append(offer)
        return TenderOfferReceived(
            tender_id=self.tender_id,
            title=self.title,
            offer_id=offer.offer_id,
            supplier_id=offer.supplier_id,
            lot_ids=[lo.lot_id for lo in offer.lots],
            revision=offer.revision,
        )

    @property
    def sealed(self) -> bool:
        """Whether offers' prices are still hidden from everyone."""
        return self.status not in UNSEALED

    def start_evaluation(self, *, actor: str, now: datetime) -> TenderEvaluationStarted:
        """After the deadline, unseal the offers for comparison."""
        self._require(TenderStatus.OPEN)
        assert self.deadline is not None
        if now < self.deadline:
            raise DeadlineNotPassed(f"offers are sealed until {self.deadline.isoformat()}")
        self._step(TenderStatus.EVALUATION, actor, now)
        return TenderEvaluationStarted(
            tender_id=self.tender_id, title=self.title, offers=len(self.offers)
        )

    def award(
        self, choices: list[AwardChoice], method: str, *, today: date, actor: str, now: datetime
    ) -> TenderAwarded:
        """Award lots (split across suppliers where staff chose so), each with a reason.

        Every supplier is priced at the tier its own awarded quantity reaches; a lot's total
        must lie within what its members accept together. Lots without an award are
        unsuccessful; a lot awarded less than its pooled quantity states the shortfall.
        """
        self._require(TenderStatus.EVALUATION)
        awards = [self._priced(i, choice, today) for i, choice in enumerate(choices)]
        lots = []
        for lot in self.lots:
            mine = [a for a in awards if a.lot_id == lot.lot_id]
            suppliers = [a.supplier_id for a in mine]
            if len(suppliers) != len(set(suppliers)):
                raise Invalid(f"a supplier is awarded lot {lot.lot_id} twice", field="awards")
            total = sum((a.quantity for a in mine), ZERO)
            if mine and not lot.min_total <= total <= lot.max_total:
                raise AwardNotCovered(
                    f"lot {lot.lot_id} awards {total} {lot.unit}; its members accept "
                    f"{lot.min_total} to {lot.max_total} together",
                    field="awards",
                )
            lots.append(
                LotAwardFacts(
                    lot_id=lot.lot_id,
                    pooled_quantity=str(lot.quantity),
                    awarded_quantity=str(total),
                    shortfall=str(max(ZERO, lot.quantity - total)),
                    awards=[_award_facts(a) for a in mine],
                )
            )
        if not awards:
            raise Invalid("award at least one lot (or cancel the tender)", field="awards")
        self.awards, self.allocation_method, self.awarded_at = awards, method, now
        self.awarded_suppliers = sorted({a.supplier_id for a in awards})
        self._step(TenderStatus.AWARDED, actor, now)
        return TenderAwarded(
            tender_id=self.tender_id,
            title=self.title,
            allocation_method=method,  # type: ignore[arg-type]
            lots=lots,
        )

    def _priced(self, index: int, choice: AwardChoice, today: date) -> Award:
        where = f"awards.{index}"
        self.lot(choice.lot_id, f"{where}.lot_id")
        offer = next((o for o in self.offers if o.supplier_id == choice.supplier_id), None)
        lot_offer = offer.for_lot(choice.lot_id) if offer else None
        if offer is None or lot_offer is None:
            raise AwardNotCovered(
                f"supplier {choice.supplier_id} made no offer on lot {choice.lot_id}",
                field=f"{where}.supplier_id",
            )
        if offer.valid_until < today:
            raise AwardNotCovered(
                f"the offer of {offer.supplier_name} expired on {offer.valid_until}",
                field=f"{where}.supplier_id",
            )
        moq = lot_offer.min_order_quantity
        tier = lot_offer.tier_at(choice.quantity)
        if tier is None or (moq is not None and choice.quantity < moq):
            least = max(moq or ZERO, min(t.min_quantity for t in lot_offer.tiers))
            raise AwardNotCovered(
                f"{offer.supplier_name} sells lot {choice.lot_id} from {least}",
                field=f"{where}.quantity",
            )
        return Award(
            choice.lot_id,
            offer.supplier_id,
            offer.supplier_name,
            choice.quantity,
            tier.unit_price,
            tier.min_quantity,
            choice.reason,
        )

    def close(self, *, actor: str, now: datetime) -> TenderClosed:
        """Close an awarded tender."""
        self._require(TenderStatus.AWARDED)
        self._step(TenderStatus.CLOSED, actor, now)
        return TenderClosed(tender_id=self.tender_id, title=self.title, actor=actor)

    def cancel(self, reason: str, *, actor: str, now: datetime) -> TenderCancelled:
        """Give the tender up before its award; its pools collect again."""
        self._require(TenderStatus.DRAFT, TenderStatus.OPEN, TenderStatus.EVALUATION)
        self._step(TenderStatus.CANCELLED, actor, now, reason=reason)
        return TenderCancelled(
            tender_id=self.tender_id, title=self.title, actor=actor, reason=reason
        )


def _award_facts(award: Award) -> AwardFacts:
    return AwardFacts(
        supplier_id=award.supplier_id,
        supplier_name=award.supplier_name,
        quantity=str(award.quantity),
        unit_price=str(award.unit_price),
        tier_min_quantity=str(award.tier_min_quantity),
        reason=award.reason,
    )


def lots_from_pools(
    pools: list[tuple[Any, list[Any], list[str]]], *, by_region: bool
) -> tuple[list[Lot], list[LotLine]]:
    """One lot per pool, or per pool and delivery region, and its lines from the pools' needs.

    Each item is (pool, its needs, the category's CPV codes).
    """
    lots: list[Lot] = []
    all_lines: list[LotLine] = []
    for pool, needs, cpv in pools:
        groups: dict[str | None, list[Any]] = {}
        for need in needs:
            groups.setdefault(need.region if by_region else None, []).append(need)
        for region in sorted(groups, key=lambda r: r or ""):
            lot_id = f"L{len(lots) + 1}"
            lines = [
                LotLine(
                    lot_id,
                    n.need_id,
                    n.member_id,
                    n.quantity,
                    n.min_quantity,
                    n.max_quantity,
                    n.baseline_unit_price,
                    n.region,
                )
                for n in groups[region]
            ]
            title = pool.category + (f", {region}" if region else "")
            lots.append(Lot.pooling(lot_id, title, pool, lines, region, cpv))
            all_lines += lines
    return lots, all_lines


@dataclass(frozen=True)
class Cell:
    """One supplier's offer on one lot, priced at the lot's pooled volume."""

    supplier_id: str
    supplier_name: str
    lot_id: str
    quantity: Decimal
    tier_min_quantity: Decimal | None
    unit_price: Decimal | None
    total: Decimal | None
    lead_time_days: int
    min_order_quantity: Decimal | None
    feasible: bool
    remark: str | None
    best_total: bool = False
    fastest: bool = False


def comparison(tender: Tender, today: date) -> list[Cell]:
    """The comparison matrix (suppliers x lots) at each lot's pooled volume, best marked.

    A cell is feasible when the pooled volume reaches a tier and the minimum order and the
    offer is still valid; the lowest feasible total and the shortest feasible lead time of each
    lot are marked.
    """
    if tender.sealed:
        raise TenderStateConflict("offers are sealed until evaluation starts")
    cells: list[Cell] = []
    for lot in tender.lots:
        quantity = lot.quantity
        row = []
        for offer in tender.offers:
            lot_offer = offer.for_lot(lot.lot_id)
            if lot_offer is None:
                continue
            tier = lot_offer.tier_at(quantity)
            moq = lot_offer.min_order_quantity
            remark = None
            if tier is None:
                remark = "the pooled volume is below the first tier"
            elif moq is not None and quantity < moq:
                remark = f"below the minimum order of {moq}"
            elif offer.valid_until < today:
                remark = f"expired on {offer.valid_until}"
            row.append(
                Cell(
                    offer.supplier_id,
                    offer.supplier_name,
                    lot.lot_id,
                    quantity,
                    tier.min_quantity if tier else None,
                    tier.unit_price if tier else None,
                    tier.unit_price * quantity if tier else None,
                    lot_offer.lead_time_days,
                    moq,
                    remark is None,
                    remark,
                )
            )
        feasible = [c for c in row if c.feasible]
        best = min((c.total for c in feasible if c.total is not None), default=None)
        fastest = min((c.lead_time_days for c in feasible), default=None)
        cells += [
            Cell(
                **{
                    **vars(c),
                    "best_total": c.feasible and c.total == best,
                    "fastest": c.feasible and c.lead_time_days == fastest,
                }
            )
            for c in row
        ]
    return cells


def best_unit_prices(tender: Tender, today: date) -> dict[str, Decimal | None]:
    """Each lot's unit price of its lowest feasible total, once unsealed (the plan)."""
    best: dict[str, Decimal | None] = {lot.lot_id: None for lot in tender.lots}
    for cell in comparison(tender, today):
        if cell.best_total and best[cell.lot_id] is None:
            best[cell.lot_id] = cell.unit_price
    return best
