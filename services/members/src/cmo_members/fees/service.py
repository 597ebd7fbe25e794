"""Fee use cases: schedules, the yearly invoice run, payments and the arrears job."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from cmo_shared.schedule import today_in_tbilisi

from ..membership.domain import MemberStatus
from ..membership.repository import MemberRepository
from ..membership.service import MembershipService
from .domain import Invoice, InvoiceStatus, Payment, Schedule, new_invoice, to_tetri
from .repository import InvoiceRepository, ScheduleRepository

FEES_ACTOR = "system:fees"


@dataclass
class ArrearsReport:
    """What one run of the arrears job changed."""

    entered_grace: int = 0
    suspended: int = 0
    reinstated: int = 0


@dataclass
class FeesService:
    """Fee schedules, invoices and payments, and their effect on membership status."""

    members: MemberRepository
    membership: MembershipService
    invoices: InvoiceRepository
    schedules: ScheduleRepository
    grace_days: int

    async def set_schedule(
        self, year: int, tiers: dict[str, Decimal], due_days: int, *, actor: str
    ) -> Schedule:
        """Set the fee of each size tier for a year."""
        schedule = Schedule(
            year=year,
            tiers={tier: to_tetri(amount) for tier, amount in tiers.items()},
            due_days=due_days,
            set_by=actor,
            set_at=datetime.now(UTC),
        )
        await self.schedules.put(schedule)
        return schedule

    async def run_invoices(self, year: int) -> tuple[int, int]:
        """Invoice every member in good standing for the year; return (issued, already issued).

        Invoice ids are `<year>:<member id>`, so running twice issues nothing new.
        """
        schedule = await self.schedules.get(year)
        members, _ = await self.members.list(statuses=[MemberStatus.ACTIVE, MemberStatus.GRACE])
        issued_on = today_in_tbilisi()
        drafts = [
            new_invoice(
                m.member_id, m.employees, year, schedule.tiers, issued_on, schedule.due_days
            )
            for m in members
        ]
        created = await self.invoices.add_new([(i, [i.issued()]) for i in drafts])
        return created, len(drafts) - created

    async def pay(
        self, invoice_id: str, amount: Decimal, reference: str | None, *, actor: str
    ) -> Invoice:
        """Record a payment; clearing the arrears reinstates a member suspended for them."""
        async with self.invoices.changing(invoice_id) as change:
            payment = Payment(to_tetri(amount), reference, datetime.now(UTC), actor)
            change.record(change.item.pay(payment))
        invoice = change.item
        if invoice.status is InvoiceStatus.PAID:
            await self._reinstate_if_clear(invoice.member_id)
        return invoice

    async def run_arrears(self, today: date) -> ArrearsReport:
        """Move members with overdue invoices into grace, then suspension; heal the rest."""
        report = ArrearsReport()
        for invoice in await self.invoices.unpaid():
            if not invoice.is_past_due(today):
                continue
            if invoice.status is InvoiceStatus.OPEN:
                async with self.invoices.changing(invoice.invoice_id) as change:
                    change.record(change.item.overdue(self.grace_days))
            if await self._start_grace(invoice):
                report.entered_grace += 1
            if today > invoice.suspension_date(self.grace_days) and await self._suspend(invoice):
                report.suspended += 1
        in_arrears, _ = await self.members.list(
            statuses=[MemberStatus.GRACE, MemberStatus.SUSPENDED]
        )
        for member in in_arrears:
            if await self._reinstate_if_clear(member.member_id):
                report.reinstated += 1
        return report

    async def _start_grace(self, invoice: Invoice) -> bool:
        async with self.members.changing(invoice.member_id) as change:
            if change.item.status is not MemberStatus.ACTIVE:
                return False
            reason = f"invoice {invoice.invoice_id} overdue"
            change.record(change.item.start_grace(actor=FEES_ACTOR, reason=reason))
        return True

    async def _suspend(self, invoice: Invoice) -> bool:
        member = await self.members.get(invoice.member_id)
        if member.status is not MemberStatus.GRACE:
            return False
        await self.membership.transition(
            member.member_id,
            "suspend",
            actor=FEES_ACTOR,
            reason=f"invoice {invoice.invoice_id} unpaid {self.grace_days} days after due",
        )
        return True

    async def _reinstate_if_clear(self, member_id: str) -> bool:
        """Reinstate a member whom the fees job moved, once nothing overdue is left."""
        member = await self.members.get(member_id)
        moved_by_fees = member.history and member.history[-1].actor == FEES_ACTOR
        if member.status not in (MemberStatus.GRACE, MemberStatus.SUSPENDED) or not moved_by_fees:
            return False
        if any(i.status is InvoiceStatus.OVERDUE for i in await self.invoices.unpaid(member_id)):
            return False
        await self.membership.transition(
            member_id, "reinstate", actor=FEES_ACTOR, reason="arrears paid"
        )
        return True

    async def run_arrears_today(self) -> ArrearsReport:
        """The scheduled arrears job's run for today's date in Georgia."""
        return await self.run_arrears(today_in_tbilisi())
