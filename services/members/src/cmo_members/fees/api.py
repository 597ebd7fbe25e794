"""HTTP API of membership fees: schedules, the invoice run, payments, the arrears job."""

from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, IsoDate, PageNumber, PageSize
from cmo_shared.identity import Actor
from cmo_shared.schedule import today_in_tbilisi
from fastapi import APIRouter, Query, status

from .domain import Invoice, InvoiceStatus, Schedule, gel
from .schemas import (
    ArrearsResult,
    InvoicePage,
    InvoiceRead,
    InvoiceRunResult,
    PaymentRead,
    PaymentWrite,
    ScheduleRead,
    ScheduleWrite,
    Year,
)
from .service import FeesService

router = APIRouter(prefix="/fees", tags=["fees"], responses=ERROR_RESPONSES)
Service = Annotated[FeesService, provided(FeesService)]


def _read(invoice: Invoice) -> InvoiceRead:
    return InvoiceRead(
        invoice_id=invoice.invoice_id,
        member_id=invoice.member_id,
        year=invoice.year,
        size_tier=invoice.size_tier.value,
        amount=gel(invoice.amount_tetri),
        outstanding=gel(invoice.outstanding_tetri),
        due_date=invoice.due_date,
        status=invoice.status,
        payments=[
            PaymentRead(
                amount=gel(p.amount_tetri), reference=p.reference, recorded_by=p.recorded_by
            )
            for p in invoice.payments
        ],
    )


@router.put("/schedules/{year}", summary="Set a year's fee schedule")
async def put_schedule(
    year: Year, body: ScheduleWrite, service: Service, actor: Actor
) -> ScheduleRead:
    """Set the fee per size tier; every tier must be priced."""
    schedule = await service.set_schedule(
        year, {t.value: a for t, a in body.tiers.items()}, body.due_days, actor=actor
    )
    return _schedule(schedule)


def _schedule(schedule: Schedule) -> ScheduleRead:
    return ScheduleRead(
        year=schedule.year,
        tiers={t: gel(a) for t, a in schedule.tiers.items()},
        due_days=schedule.due_days,
    )


@router.get("/schedules/{year}", summary="Get a year's fee schedule")
async def get_schedule(year: Year, service: Service) -> ScheduleRead:
    """The fee per size tier in GEL."""
    return _schedule(await service.schedules.get(year))


@router.post("/invoicing/run", summary="Issue the yearly invoices")
async def run_invoices(
    year: Annotated[int, Query(ge=2000, le=2100)],
    service: Service,
) -> InvoiceRunResult:
    """Invoice every member in good standing for the year; running it again issues nothing."""
    issued, existing = await service.run_invoices(year)
    return InvoiceRunResult(year=year, issued=issued, already_issued=existing)


@router.get("/invoices", summary="List invoices")
async def list_invoices(
    service: Service,
    member_id: str | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    invoice_status: Annotated[InvoiceStatus | None, Query(alias="status")] = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> InvoicePage:
    """Invoices by member, year and status, earliest due first."""
    invoices, total = await service.invoices.search(
        member_id=member_id, year=year, status=invoice_status, page=page, page_size=page_size
    )
    return InvoicePage.of([_read(i) for i in invoices], total, page, page_size)


@router.get("/invoices/{invoice_id}", summary="Get an invoice")
async def get_invoice(invoice_id: str, service: Service) -> InvoiceRead:
    """One invoice with its payments."""
    return _read(await service.invoices.get(invoice_id))


@router.post(
    "/invoices/{invoice_id}/payments",
    status_code=status.HTTP_201_CREATED,
    summary="Record a payment",
)
async def record_payment(
    invoice_id: str,
    body: PaymentWrite,
    service: Service,
    actor: Actor,
) -> InvoiceRead:
    """Record a full payment or an instalment (`fee.paid`); clearing arrears reinstates."""
    return _read(await service.pay(invoice_id, body.amount, body.reference, actor=actor))


@router.post("/overdue/run", summary="Run the arrears job now")
async def run_arrears(service: Service, as_of: IsoDate | None = None) -> ArrearsResult:
    """Overdue invoices put members in grace, then suspend them after the grace period."""
    day = as_of or today_in_tbilisi()
    report = await service.run_arrears(day)
    return ArrearsResult(as_of=day, **vars(report))
