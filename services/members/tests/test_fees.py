from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from cmo_members.fees.domain import (
    InvoiceSettled,
    InvoiceStatus,
    Overpayment,
    Payment,
    SizeTier,
    gel,
    new_invoice,
    size_tier,
    to_tetri,
)
from cmo_shared.errors import DomainError

TIERS = {"micro": 30_000, "small": 90_050, "medium": 240_000, "large": 600_000}


@pytest.mark.parametrize(
    ("employees", "tier"),
    [
        (0, SizeTier.MICRO),
        (9, SizeTier.MICRO),
        (10, SizeTier.SMALL),
        (49, SizeTier.SMALL),
        (50, SizeTier.MEDIUM),
        (249, SizeTier.MEDIUM),
        (250, SizeTier.LARGE),
    ],
)
def test_size_tiers_follow_the_sme_employee_bounds(employees: int, tier: SizeTier) -> None:
    assert size_tier(employees) is tier


def test_money_is_exact() -> None:
    assert to_tetri(Decimal("900.50")) == 90_050
    assert gel(90_050) == "900.50" and gel(1) == "0.01"
    with pytest.raises(DomainError):
        to_tetri(Decimal("0.005"))


def _payment(tetri: int) -> Payment:
    return Payment(tetri, None, datetime.now(UTC), "staff")


def test_instalments_settle_the_invoice_and_overpayment_is_refused() -> None:
    invoice = new_invoice("m", 20, 2031, TIERS, date(2031, 1, 10), 30)
    assert invoice.invoice_id == "2031:m" and invoice.due_date == date(2031, 2, 9)
    first = invoice.pay(_payment(50_000))
    assert (first.outstanding, first.settled) == ("400.50", False)
    with pytest.raises(Overpayment):
        invoice.pay(_payment(40_051))
    last = invoice.pay(_payment(40_050))
    assert last.settled and invoice.status is InvoiceStatus.PAID
    with pytest.raises(InvoiceSettled):
        invoice.pay(_payment(1))


def test_overdue_after_due_date_and_suspension_after_grace() -> None:
    invoice = new_invoice("m", 3, 2031, TIERS, date(2031, 1, 1), 30)
    assert not invoice.is_past_due(date(2031, 1, 31))
    assert invoice.is_past_due(date(2031, 2, 1))
    overdue = invoice.overdue(grace_days=30)
    assert invoice.status is InvoiceStatus.OVERDUE
    assert (overdue.due_date, overdue.suspension_date) == ("2031-01-31", "2031-03-02")
