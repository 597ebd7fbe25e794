"""Fee use cases on fakes: invoicing, instalments, grace, suspension, reinstatement."""

from datetime import timedelta
from decimal import Decimal

import pytest
from cmo_members.app import features
from cmo_members.fees.domain import InvoiceSettled, InvoiceStatus, Overpayment
from cmo_members.fees.service import FEES_ACTOR, FeesService
from cmo_members.membership.domain import MemberStatus
from cmo_members.membership.schemas import MemberCreate
from cmo_members.membership.service import MembershipService
from cmo_members.settings import MembersSettings

from tests.fakes import FakeInvoices, FakeMembers, member_repositories
from tests.helpers import applicant

YEAR = 2031
TIERS = {"micro": Decimal("300"), "small": Decimal("900.50"), "medium": Decimal("2400")}
TIERS["large"] = Decimal("6000")


class World:
    """The members service's use cases on fakes, and helpers to set the scene."""

    def __init__(self) -> None:
        self.repos = member_repositories()
        services = {
            type(s): s
            for f in features(self.repos, MembersSettings(fee_grace_days=30))
            for s in f.services
        }
        self.membership: MembershipService = services[MembershipService]  # type: ignore[assignment]
        self.fees: FeesService = services[FeesService]  # type: ignore[assignment]

    @property
    def members(self) -> FakeMembers:
        return self.repos.members  # type: ignore[return-value]

    @property
    def invoices(self) -> FakeInvoices:
        return self.repos.invoices  # type: ignore[return-value]

    async def member(self, employees: int = 20, *, approve: bool = True) -> str:
        body = applicant(("Fee Payer", "fees@x.example", "en"), employees=employees)
        member = await self.membership.register(MemberCreate.model_validate(body), actor="staff")
        if approve:
            await self.membership.transition(
                member.member_id, "approve", actor="staff", reason=None
            )
        return member.member_id

    async def status(self, member_id: str) -> MemberStatus:
        return (await self.membership.get(member_id)).status

    def events_of(self, member_id: str) -> list[str]:
        found = [*self.members.events, *self.invoices.events]
        return [e.event_type_name for e in found if e.member_id == member_id]  # type: ignore[union-attr]


@pytest.fixture
async def world() -> World:
    world = World()
    await world.fees.set_schedule(YEAR, TIERS, 30, actor="staff")
    return world


async def test_the_invoice_run_bills_members_in_good_standing_by_tier_once(world: World) -> None:
    small, large = await world.member(20), await world.member(300)
    await world.member(3, approve=False)

    assert await world.fees.run_invoices(YEAR) == (2, 0)
    assert await world.fees.run_invoices(YEAR) == (0, 2)

    invoices, total = await world.invoices.search(year=YEAR)
    assert total == 2
    amounts = {i.member_id: (i.size_tier.value, i.amount_tetri) for i in invoices}
    assert amounts == {small: ("small", 90_050), large: ("large", 600_000)}
    assert world.invoices.event_types() == ["fee.invoiced", "fee.invoiced"]


async def test_instalments_settle_an_invoice_and_no_more_is_taken(world: World) -> None:
    member = await world.member(20)
    await world.fees.run_invoices(YEAR)
    invoice_id = f"{YEAR}:{member}"

    with pytest.raises(Overpayment):
        await world.fees.pay(invoice_id, Decimal("1000"), None, actor="staff")
    half = await world.fees.pay(invoice_id, Decimal("450.25"), "1", actor="staff")
    assert (half.status, half.outstanding_tetri) == (InvoiceStatus.OPEN, 45_025)
    paid = await world.fees.pay(invoice_id, Decimal("450.25"), "2", actor="staff")
    assert (paid.status, paid.outstanding_tetri) == (InvoiceStatus.PAID, 0)
    with pytest.raises(InvoiceSettled):
        await world.fees.pay(invoice_id, Decimal("1"), None, actor="staff")
    assert world.events_of(member).count("fee.paid") == 2


async def test_arrears_move_a_member_to_grace_then_suspension_and_payment_reinstates(
    world: World,
) -> None:
    member = await world.member(20)
    await world.fees.run_invoices(YEAR)
    invoice = await world.invoices.get(f"{YEAR}:{member}")
    due = invoice.due_date

    assert (await world.fees.run_arrears(due)).entered_grace == 0
    grace = await world.fees.run_arrears(due + timedelta(days=1))
    assert (grace.entered_grace, grace.suspended) == (1, 0)
    assert await world.status(member) is MemberStatus.GRACE
    assert (await world.fees.run_arrears(due + timedelta(days=2))).entered_grace == 0
    suspended = await world.fees.run_arrears(due + timedelta(days=31))
    assert (suspended.entered_grace, suspended.suspended) == (0, 1)
    assert await world.status(member) is MemberStatus.SUSPENDED

    await world.fees.pay(invoice.invoice_id, Decimal("900.50"), None, actor="staff")
    reinstated = await world.membership.get(member)
    assert reinstated.status is MemberStatus.ACTIVE
    assert (reinstated.history[-1].actor, reinstated.history[-1].reason) == (
        FEES_ACTOR,
        "arrears paid",
    )
    assert world.events_of(member) == [
        "member.applied",
        "member.joined",
        "member.grace_started",
        "member.suspended",
        "member.reinstated",
        "fee.invoiced",
        "fee.overdue",
        "fee.paid",
    ]


async def test_a_member_suspended_by_staff_stays_suspended_through_its_arrears(
    world: World,
) -> None:
    member = await world.member(20)
    await world.fees.run_invoices(YEAR)
    await world.membership.transition(member, "suspend", actor="staff", reason="misconduct")
    invoice = await world.invoices.get(f"{YEAR}:{member}")

    report = await world.fees.run_arrears(invoice.due_date + timedelta(days=31))
    await world.fees.pay(invoice.invoice_id, Decimal("900.50"), None, actor="staff")

    assert (report.entered_grace, report.suspended, report.reinstated) == (0, 0, 0)
    assert await world.status(member) is MemberStatus.SUSPENDED
    assert "member.grace_started" not in world.events_of(member)
    assert "fee.overdue" in world.events_of(member)
