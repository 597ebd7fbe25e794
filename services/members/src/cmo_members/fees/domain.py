"""Membership fees: size tiers, yearly invoices, instalments and arrears. Pure rules, no I/O.

Amounts are kept as integer tetri (1 GEL = 100 tetri) and shown as exact decimal strings.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from cmo_contracts.members import FeeInvoiced, FeeOverdue, FeePaid
from cmo_shared.errors import Conflict, DomainError, Invalid


class SizeTier(StrEnum):
    """Company size tiers by employees (the EU SME definition)."""

    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class InvoiceStatus(StrEnum):
    """Where an invoice stands."""

    OPEN = "open"
    OVERDUE = "overdue"
    PAID = "paid"


class Overpayment(Invalid):
    """A payment larger than what is still due."""

    code = "overpayment"


class InvoiceSettled(Conflict):
    """The invoice is already paid in full."""

    code = "invoice_settled"


def size_tier(employees: int) -> SizeTier:
    """The fee tier of a company with this many employees."""
    if employees < 10:
        return SizeTier.MICRO
    if employees < 50:
        return SizeTier.SMALL
    if employees < 250:
        return SizeTier.MEDIUM
    return SizeTier.LARGE


def to_tetri(amount: Decimal) -> int:
    """Exact conversion of a GEL amount with at most two decimals to tetri."""
    tetri = amount * 100
    if tetri != tetri.to_integral_value():
        raise DomainError("amounts have at most two decimals", field="amount")
    return int(tetri)


def gel(tetri: int) -> str:
    """A tetri amount as an exact GEL decimal string, e.g. `1200.00`."""
    return str((Decimal(tetri) / 100).quantize(Decimal("0.01")))


@dataclass(frozen=True)
class Payment:
    """One payment (full or instalment) against an invoice."""

    amount_tetri: int
    reference: str | None
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True)
class Schedule:
    """A year's fee per size tier (in tetri) and the days from issue until due."""

    year: int
    tiers: dict[str, int]
    due_days: int
    set_by: str
    set_at: datetime


@dataclass
class Invoice:
    """A member's yearly fee invoice."""

    invoice_id: str
    member_id: str
    year: int
    size_tier: SizeTier
    amount_tetri: int
    due_date: date
    status: InvoiceStatus = InvoiceStatus.OPEN
    payments: list[Payment] = field(default_factory=list)

    @property
    def outstanding_tetri(self) -> int:
        """What is still due."""
        return self.amount_tetri - sum(p.amount_tetri for p in self.payments)

    def issued(self) -> FeeInvoiced:
        """The event of this invoice's issue."""
        return FeeInvoiced(
            invoice_id=self.invoice_id,
            member_id=self.member_id,
            year=self.year,
            size_tier=self.size_tier.value,
            amount=gel(self.amount_tetri),
            due_date=self.due_date.isoformat(),
        )

    def pay(self, payment: Payment) -> FeePaid:
        """Record a payment; the invoice is paid when nothing is outstanding."""
        if self.status is InvoiceStatus.PAID:
            raise InvoiceSettled(f"invoice {self.invoice_id} is already paid", field="invoice_id")
        if payment.amount_tetri > self.outstanding_tetri:
            raise Overpayment(
                f"payment exceeds the outstanding {gel(self.outstanding_tetri)} GEL",
                field="amount",
            )
        self.payments.append(payment)
        if self.outstanding_tetri == 0:
            self.status = InvoiceStatus.PAID
        return FeePaid(
            invoice_id=self.invoice_id,
            member_id=self.member_id,
            amount=gel(payment.amount_tetri),
            outstanding=gel(self.outstanding_tetri),
            settled=self.status is InvoiceStatus.PAID,
        )

    def is_past_due(self, today: date) -> bool:
        """Whether it is unpaid after its due date."""
        return self.status is not InvoiceStatus.PAID and today > self.due_date

    def suspension_date(self, grace_days: int) -> date:
        """The day after which an unpaid invoice suspends its member."""
        return self.due_date + timedelta(days=grace_days)

    def overdue(self, grace_days: int) -> FeeOverdue:
        """Mark the invoice overdue; the event also moves its member into grace."""
        self.status = InvoiceStatus.OVERDUE
        return FeeOverdue(
            invoice_id=self.invoice_id,
            member_id=self.member_id,
            outstanding=gel(self.outstanding_tetri),
            due_date=self.due_date.isoformat(),
            suspension_date=self.suspension_date(grace_days).isoformat(),
        )


def new_invoice(
    member_id: str,
    employees: int,
    year: int,
    tiers: dict[str, int],
    issued_on: date,
    due_days: int,
) -> Invoice:
    """The yearly invoice of a member, priced by its size tier."""
    tier = size_tier(employees)
    return Invoice(
        invoice_id=f"{year}:{member_id}",
        member_id=member_id,
        year=year,
        size_tier=tier,
        amount_tetri=tiers[tier.value],
        due_date=issued_on + timedelta(days=due_days),
    )
