"""HTTP API of membership fees: schedules, the invoice run, payments, the arrears job."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from cmo_shared.http import ERROR_RESPONSES, IsoDate, Page, PageSize
from cmo_shared.identity import Actor, CorrelationId
from cmo_shared.money import PositiveAmount
from cmo_shared.numbers import JsonInt
from cmo_shared.schedule import today_in_tbilisi
from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .fee_handlers import FeesService
from .fees import Invoice, InvoiceStatus, SizeTier, gel

router = APIRouter(prefix="/fees", tags=["fees"], responses=ERROR_RESPONSES)
Year = Annotated[int, Field(ge=2000, le=2100)]
Money = PositiveAmount


def _service(request: Request) -> FeesService:
    return request.app.state.fees


Service = Annotated[FeesService, Depends(_service)]


class ScheduleWrite(BaseModel):
    """The yearly fee of each size tier, in GEL."""

    model_config = ConfigDict(extra="forbid")

    tiers: dict[SizeTier, Money] = Field(
        description="Fee per tier: micro (<10 employees), small (<50), medium (<250), large.",
        examples=[{"micro": "300.00", "small": "900.00", "medium": "2400.00", "large": "6000"}],
        json_schema_extra={"required": [tier.value for tier in SizeTier]},
    )
    due_days: JsonInt = Field(30, ge=0, le=365, description="Days from issue until due.")

    @field_validator("tiers")
    @classmethod
    def _every_tier_priced(cls, tiers: dict[SizeTier, Decimal]) -> dict[SizeTier, Decimal]:
        missing = [t.value for t in SizeTier if t not in tiers]
        if missing:
            raise ValueError(f"no fee for tiers {', '.join(missing)}")
        return tiers


class ScheduleRead(BaseModel):
    """A year's fee schedule."""

    year: int
    tiers: dict[str, str]
    due_days: int


class InvoiceRunResult(BaseModel):
    """What an invoice run did."""

    year: int
    issued: int = Field(description="Invoices issued by this run.")
    already_issued: int = Field(description="Members who had this year's invoice already.")


class PaymentWrite(BaseModel):
    """A payment received, in full or as an instalment."""

    model_config = ConfigDict(extra="forbid")

    amount: Money = Field(description="Amount in GEL, at most two decimals.")
    reference: str | None = Field(None, max_length=200, description="Bank reference.")


class PaymentRead(BaseModel):
    """A payment recorded against an invoice."""

    amount: str
    reference: str | None
    recorded_by: str


class InvoiceRead(BaseModel):
    """A member's yearly fee invoice."""

    invoice_id: str
    member_id: str
    year: int
    size_tier: str
    amount: str = Field(description="Amount invoiced in GEL (exact decimal).")
    outstanding: str = Field(description="Amount still due in GEL.")
    due_date: date
    status: InvoiceStatus
    payments: list[PaymentRead]


class InvoicePage(BaseModel):
    """A page of invoices."""

    items: list[InvoiceRead]
    total: int
    page: int
    page_size: int


class ArrearsResult(BaseModel):
    """What a run of the arrears job changed."""

    as_of: date
    entered_grace: int
    suspended: int
    reinstated: int


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
    await service.set_schedule(
        year, {t.value: a for t, a in body.tiers.items()}, body.due_days, actor=actor
    )
    return await get_schedule(year, service)


@router.get("/schedules/{year}", summary="Get a year's fee schedule")
async def get_schedule(year: Year, service: Service) -> ScheduleRead:
    """The fee per size tier in GEL."""
    schedule = await service.schedules.get(year)
    return ScheduleRead(
        year=year,
        tiers={t: gel(a) for t, a in schedule["tiers"].items()},
        due_days=schedule["due_days"],
    )


@router.post("/invoicing/run", summary="Issue the yearly invoices")
async def run_invoices(
    year: Annotated[int, Query(ge=2000, le=2100)],
    service: Service,
    correlation_id: CorrelationId,
) -> InvoiceRunResult:
    """Invoice every member in good standing for the year; running it again issues nothing."""
    issued, existing = await service.run_invoices(year, correlation_id=correlation_id)
    return InvoiceRunResult(year=year, issued=issued, already_issued=existing)


@router.get("/invoices", summary="List invoices")
async def list_invoices(
    service: Service,
    member_id: str | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    invoice_status: Annotated[InvoiceStatus | None, Query(alias="status")] = None,
    page: Page = 1,
    page_size: PageSize = 20,
) -> InvoicePage:
    """Invoices by member, year and status, earliest due first."""
    query: dict[str, object] = {}
    if member_id is not None:
        query["member_id"] = member_id
    if year is not None:
        query["year"] = year
    if invoice_status is not None:
        query["status"] = invoice_status.value
    invoices, total = await service.invoices.find(
        query, skip=(page - 1) * page_size, limit=page_size
    )
    return InvoicePage(
        items=[_read(i) for i in invoices], total=total, page=page, page_size=page_size
    )


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
    correlation_id: CorrelationId,
) -> InvoiceRead:
    """Record a full payment or an instalment (`fee.paid`); clearing arrears reinstates."""
    invoice = await service.pay(
        invoice_id, body.amount, body.reference, actor=actor, correlation_id=correlation_id
    )
    return _read(invoice)


@router.post("/overdue/run", summary="Run the arrears job now")
async def run_arrears(
    service: Service, correlation_id: CorrelationId, as_of: IsoDate | None = None
) -> ArrearsResult:
    """Overdue invoices put members in grace, then suspend them after the grace period."""
    day = as_of or today_in_tbilisi()
    report = await service.run_arrears(day, correlation_id=correlation_id)
    return ArrearsResult(as_of=day, **vars(report))
