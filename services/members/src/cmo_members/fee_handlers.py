"""Fee use cases: schedules, the yearly invoice run, payments and the arrears job."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from cmo_shared.locks import DocumentLocks
from cmo_shared.outbox import OutboxRelay
from cmo_shared.schedule import today_in_tbilisi

from .domain import MemberStatus
from .fee_repository import INVOICES, InvoiceRepository, ScheduleRepository
from .fees import Invoice, InvoiceStatus, Payment, new_invoice, to_tetri
from .handlers import MembersService, members_event
from .repository import MemberRepository

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
    membership: MembersService
    invoices: InvoiceRepository
    schedules: ScheduleRepository
    relay: OutboxRelay
    grace_days: int
    locks: DocumentLocks

    async def set_schedule(
        self, year: int, tiers: dict[str, Decimal], due_days: int, *, actor: str
    ) -> None:
        """Set the fee of each size tier for a year."""
        await self.schedules.put(
            year, {tier: to_tetri(amount) for tier, amount in tiers.items()}, due_days, actor
        )

    async def run_invoices(self, year: int, *, correlation_id: str) -> tuple[int, int]:
        """Invoice every member in good standing for the year; return (issued, already issued).

        Invoice ids are `<year>:<member id>`, so running twice issues nothing new.
        """
        schedule = await self.schedules.get(year)
        members, _ = await self.members.list(
            statuses=[MemberStatus.ACTIVE, MemberStatus.GRACE], sector=None, page=1, page_size=0
        )
        issued_on = today_in_tbilisi()
        drafts = [
            new_invoice(
                m.member_id, m.employees, year, schedule["tiers"], issued_on, schedule["due_days"]
            )
            for m in members
        ]
        created = await self.invoices.add_new(
            [
                (
                    i,
                    members_event(
                        i.issued(), subject_id=i.member_id, correlation_id=correlation_id
                    ),
                )
                for i in drafts
            ]
        )
        self.relay.wake()
        return created, len(drafts) - created

    async def pay(
        self,
        invoice_id: str,
        amount: Decimal,
        reference: str | None,
        *,
        actor: str,
        correlation_id: str,
    ) -> Invoice:
        """Record a payment; clearing the arrears reinstates a member suspended for them."""
        async with self.locks(INVOICES, invoice_id):
            invoice = await self.invoices.get(invoice_id)
            payment = Payment(to_tetri(amount), reference, datetime.now(UTC), actor)
            paid = invoice.pay(payment)
            await self.invoices.save(
                invoice,
                [members_event(paid, subject_id=invoice.member_id, correlation_id=correlation_id)],
            )
        self.relay.wake()
        if invoice.status is InvoiceStatus.PAID:
            await self._reinstate_if_clear(invoice.member_id, correlation_id)
        return invoice

    async def run_arrears(self, today: date, *, correlation_id: str) -> ArrearsReport:
        """Move members with overdue invoices into grace, then suspension; heal the rest."""
        report = ArrearsReport()
        unpaid, _ = await self.invoices.find({"status": {"$ne": InvoiceStatus.PAID.value}})
        for invoice in unpaid:
            if not invoice.is_past_due(today):
                continue
            if invoice.status is InvoiceStatus.OPEN:
                async with self.locks(INVOICES, invoice.invoice_id):
                    overdue = invoice.overdue(self.grace_days)
                    event = members_event(
                        overdue, subject_id=invoice.member_id, correlation_id=correlation_id
                    )
                    await self.invoices.save(invoice, [event])
            if await self._start_grace(invoice, correlation_id):
                report.entered_grace += 1
            if today > invoice.suspension_date(self.grace_days) and await self._suspend(
                invoice, correlation_id
            ):
                report.suspended += 1
        in_arrears, _ = await self.members.list(
            statuses=[MemberStatus.GRACE, MemberStatus.SUSPENDED],
            sector=None,
            page=1,
            page_size=0,
        )
        for member in in_arrears:
            if await self._reinstate_if_clear(member.member_id, correlation_id):
                report.reinstated += 1
        self.relay.wake()
        return report

    async def _start_grace(self, invoice: Invoice, correlation_id: str) -> bool:
        async with self.membership.lock(invoice.member_id):
            member = await self.members.get(invoice.member_id)
            if member.status is not MemberStatus.ACTIVE:
                return False
            started = member.start_grace(
                actor=FEES_ACTOR, reason=f"invoice {invoice.invoice_id} overdue"
            )
            event = members_event(
                started, subject_id=member.member_id, correlation_id=correlation_id
            )
            await self.members.save(member, [event])
            return True

    async def _suspend(self, invoice: Invoice, correlation_id: str) -> bool:
        member = await self.members.get(invoice.member_id)
        if member.status is not MemberStatus.GRACE:
            return False
        await self.membership.transition(
            member.member_id,
            "suspend",
            actor=FEES_ACTOR,
            reason=f"invoice {invoice.invoice_id} unpaid {self.grace_days} days after due",
            correlation_id=correlation_id,
        )
        return True

    async def _reinstate_if_clear(self, member_id: str, correlation_id: str) -> bool:
        """Reinstate a member whom the fees job moved, once nothing overdue is left."""
        member = await self.members.get(member_id)
        moved_by_fees = member.history and member.history[-1].actor == FEES_ACTOR
        if member.status not in (MemberStatus.GRACE, MemberStatus.SUSPENDED) or not moved_by_fees:
            return False
        if any(i.status is InvoiceStatus.OVERDUE for i in await self.invoices.unpaid_of(member_id)):
            return False
        await self.membership.transition(
            member_id,
            "reinstate",
            actor=FEES_ACTOR,
            reason="arrears paid",
            correlation_id=correlation_id,
        )
        return True

    async def run_arrears_today(self) -> "ArrearsReport":
        """The scheduled arrears job's run for today's date in Georgia."""
        return await self.run_arrears(today_in_tbilisi(), correlation_id="job:arrears")
