"""Allocation of an awarded lot among its members, and each member's savings. Pure, exact.

Each need gets an allocation within its own minimum and maximum that together make up the
awarded quantity: pro rata to the quantities asked (`pro_rata`, the default), or with the
difference spread evenly (`even`: every need gets the same amount more, or less, than it
asked). Either is solved exactly with fractions, then rounded to thousandths so that the
allocations still sum to the award exactly. Where a lot is split across suppliers, every
member gets the same share of each supplier's quantity (nobody is given the dearer supplier).
Savings are `(baseline - awarded unit price) x quantity` per supplier line, to the tetri.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from cmo_contracts.procurement import SavingsLine, SavingsRealized
from cmo_shared.errors import Conflict

from ..tenders.domain import Award, Lot, LotLine, Tender

STEP = 1000
"""Allocations are in thousandths of a unit."""
TETRI = Decimal("0.01")
PRICE = Decimal("0.0001")
METHODS = ("pro_rata", "even")


class CannotSplit(Conflict):
    """An allocation too small to share among the lot's suppliers in thousandths."""

    code = "cannot_split"


def _solve(
    bases: Sequence[Fraction],
    slopes: Sequence[Fraction],
    lows: Sequence[Fraction],
    highs: Sequence[Fraction],
    total: Fraction,
) -> list[Fraction]:
    """Exact values `clamp(base + slope·t, low, high)` with one `t` making them sum to total.

    The sum is piecewise linear and non-decreasing in `t`; its breakpoints are swept in
    order until the segment holding `total`, which is then solved exactly.
    """
    events: dict[Fraction, Fraction] = {}
    for base, slope, low, high in zip(bases, slopes, lows, highs, strict=True):
        events[(low - base) / slope] = events.get((low - base) / slope, Fraction(0)) + slope
        events[(high - base) / slope] = events.get((high - base) / slope, Fraction(0)) - slope
    points = sorted(events)
    value, rate, at = sum(lows, Fraction(0)), Fraction(0), points[0]
    t = points[-1]
    for point in points:
        reached = value + rate * (point - at)
        if reached >= total and rate > 0:
            t = at + (total - value) / rate
            break
        value, at = reached, point
        rate += events[point]
        if value >= total:
            t = point
            break
    return [
        min(high, max(low, base + slope * t))
        for base, slope, low, high in zip(bases, slopes, lows, highs, strict=True)
    ]


def _round_to_total(
    keys: Sequence[str], exact: Sequence[Fraction], total_steps: int
) -> dict[str, int]:
    """Thousandths that sum to the total: floors, plus one for the largest remainders."""
    floors = [math.floor(x * STEP) for x in exact]
    missing = total_steps - sum(floors)
    order = sorted(range(len(keys)), key=lambda i: (-(exact[i] * STEP - floors[i]), keys[i]))
    for i in order[:missing]:
        floors[i] += 1
    return dict(zip(keys, floors, strict=True))


def allocate(lines: Sequence[LotLine], total: Decimal, method: str) -> dict[str, Decimal]:
    """Each need's allocation of the lot's awarded total, within its bounds, summing exactly."""
    if not lines:
        return {}
    wanted = [Fraction(line.quantity) for line in lines]
    if method == "even":
        bases, slopes = wanted, [Fraction(1)] * len(lines)
    else:
        bases, slopes = [Fraction(0)] * len(lines), wanted
    exact = _solve(
        bases,
        slopes,
        [Fraction(line.min_quantity) for line in lines],
        [Fraction(line.max_quantity) for line in lines],
        Fraction(total),
    )
    steps = _round_to_total([line.need_id for line in lines], exact, int(total * STEP))
    return {key: Decimal(value) / STEP for key, value in steps.items()}


def split(allocations: dict[str, Decimal], awards: Sequence[Award]) -> dict[str, list[Decimal]]:
    """Each need's part from each supplier (in the awards' order), in proportion to the awards.

    Every supplier's column sums to its awarded quantity and every need's row to its
    allocation: columns but the largest are rounded by largest remainders, the largest takes
    what is left of each row.
    """
    total = sum((a.quantity for a in awards), Decimal(0))
    keys = sorted(allocations)
    largest = max(range(len(awards)), key=lambda i: (awards[i].quantity, -i))
    parts: dict[str, list[Decimal]] = {k: [Decimal(0)] * len(awards) for k in keys}
    for index, award in enumerate(awards):
        if index == largest:
            continue
        share = Fraction(award.quantity) / Fraction(total)
        exact = [Fraction(allocations[k]) * share for k in keys]
        column = _round_to_total(keys, exact, int(award.quantity * STEP))
        for key in keys:
            parts[key][index] = Decimal(column[key]) / STEP
    for key in keys:
        rest = allocations[key] - sum(parts[key], Decimal(0))
        if rest < 0:
            raise CannotSplit(f"need {key}'s allocation is too small to split", field="awards")
        parts[key][largest] = rest
    return parts


@dataclass
class AllocationLine:
    """What one supplier delivers to the member in the lot, and what that saves."""

    supplier_id: str
    supplier_name: str
    quantity: Decimal
    unit_price: Decimal
    savings: Decimal


@dataclass
class Allocation:
    """A member's allocation in one awarded lot (one contract per member and lot)."""

    allocation_id: str
    tender_id: str
    tender_title: str
    lot_id: str
    member_id: str
    category: str
    unit: str
    need_ids: list[str]
    requested_quantity: Decimal
    allocated_quantity: Decimal
    baseline_unit_price: Decimal
    unit_price: Decimal
    lines: list[AllocationLine]
    savings: Decimal
    planned_savings: Decimal | None
    """What the requested quantity would have saved at the comparison's best price."""
    year: int
    awarded_at: datetime

    def realized(self) -> SavingsRealized:
        """The event telling the member its allocation, price and saving."""
        return SavingsRealized(
            tender_id=self.tender_id,
            tender_title=self.tender_title,
            lot_id=self.lot_id,
            member_id=self.member_id,
            need_ids=self.need_ids,
            category=self.category,
            unit=self.unit,
            requested_quantity=str(self.requested_quantity),
            allocated_quantity=str(self.allocated_quantity),
            baseline_unit_price=str(self.baseline_unit_price),
            unit_price=str(self.unit_price),
            lines=[
                SavingsLine(
                    supplier_id=line.supplier_id,
                    supplier_name=line.supplier_name,
                    quantity=str(line.quantity),
                    unit_price=str(line.unit_price),
                    savings=str(line.savings),
                )
                for line in self.lines
            ],
            savings=str(self.savings),
            currency="GEL",
            year=self.year,
        )


def lot_allocations(
    tender: Tender,
    lot: Lot,
    lines: Sequence[LotLine],
    *,
    year: int,
    planned_price: Decimal | None,
) -> list[Allocation]:
    """Every member's allocation and saving in one awarded lot (none if it was not awarded)."""
    awards = [a for a in tender.awards if a.lot_id == lot.lot_id]
    if not awards or tender.awarded_at is None:
        return []
    total = sum((a.quantity for a in awards), Decimal(0))
    per_need = allocate(lines, total, tender.allocation_method)
    parts = split(per_need, awards)
    by_member: dict[str, list[LotLine]] = {}
    for line in lines:
        by_member.setdefault(line.member_id, []).append(line)
    allocations = []
    for member_id, needs in sorted(by_member.items()):
        lines = []
        for index, award in enumerate(awards):
            quantity = sum((parts[n.need_id][index] for n in needs), Decimal(0))
            saved = sum(
                (
                    (n.baseline_unit_price - award.unit_price) * parts[n.need_id][index]
                    for n in needs
                ),
                Decimal(0),
            )
            lines.append(
                AllocationLine(
                    award.supplier_id,
                    award.supplier_name,
                    quantity,
                    award.unit_price,
                    saved.quantize(TETRI, ROUND_HALF_UP),
                )
            )
        allocated = sum((per_need[n.need_id] for n in needs), Decimal(0))
        requested = sum((n.quantity for n in needs), Decimal(0))
        baseline = sum((n.baseline_unit_price * per_need[n.need_id] for n in needs), Decimal(0))
        paid = sum((line.unit_price * line.quantity for line in lines), Decimal(0))
        planned = None
        if planned_price is not None:
            planned = sum(
                ((n.baseline_unit_price - planned_price) * n.quantity for n in needs), Decimal(0)
            ).quantize(TETRI, ROUND_HALF_UP)
        allocations.append(
            Allocation(
                allocation_id=f"{tender.tender_id}:{lot.lot_id}:{member_id}",
                tender_id=tender.tender_id,
                tender_title=tender.title,
                lot_id=lot.lot_id,
                member_id=member_id,
                category=lot.category,
                unit=lot.unit,
                need_ids=[n.need_id for n in needs],
                requested_quantity=requested,
                allocated_quantity=allocated,
                baseline_unit_price=(baseline / allocated).quantize(PRICE, ROUND_HALF_UP),
                unit_price=(paid / allocated).quantize(PRICE, ROUND_HALF_UP),
                lines=[line for line in lines if line.quantity > 0],
                savings=sum((line.savings for line in lines), Decimal(0)),
                planned_savings=planned,
                year=year,
                awarded_at=tender.awarded_at,
            )
        )
    return allocations


@dataclass(frozen=True)
class ReportRow:
    """Savings summed over some allocations."""

    key: str
    allocations: int
    quantity: Decimal
    planned_savings: Decimal
    savings: Decimal


GROUPINGS = ("member", "category", "supplier", "year")


def report(allocations: Sequence[Allocation], group_by: str) -> list[ReportRow]:
    """Savings planned and realised per member, category, supplier or year, largest first.

    By supplier, each supplier line counts (a split lot counts towards every supplier).
    """
    rows: dict[str, list[Decimal]] = {}
    counts: dict[str, int] = {}
    for allocation in allocations:
        if group_by == "supplier":
            parts = [(line.supplier_id, line.quantity, line.savings) for line in allocation.lines]
            planned = [Decimal(0)] * len(parts)
        else:
            key = {
                "member": allocation.member_id,
                "category": allocation.category,
                "year": str(allocation.year),
            }[group_by]
            parts = [(key, allocation.allocated_quantity, allocation.savings)]
            planned = [allocation.planned_savings or Decimal(0)]
        for (key, quantity, saved), plan in zip(parts, planned, strict=True):
            row = rows.setdefault(key, [Decimal(0), Decimal(0), Decimal(0)])
            row[0] += quantity
            row[1] += plan
            row[2] += saved
            counts[key] = counts.get(key, 0) + 1
    return sorted(
        (ReportRow(k, counts[k], v[0], v[1], v[2]) for k, v in rows.items()),
        key=lambda r: (-r.savings, r.key),
    )
