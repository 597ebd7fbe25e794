"""HTTP API of the supplier registry."""

from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from cmo_shared.identity import Actor
from fastapi import APIRouter, Query, status

from .domain import Supplier, SupplierStatus, score
from .schemas import (
    FeedbackWrite,
    SupplierPage,
    SupplierRead,
    SupplierStatusWrite,
    SupplierWrite,
)
from .service import SupplierService

router = APIRouter(tags=["procurement"], responses=ERROR_RESPONSES)
Service = Annotated[SupplierService, provided(SupplierService)]


async def _read(service: SupplierService, supplier: Supplier) -> SupplierRead:
    won = await service.lots_won(supplier.supplier_id)
    return SupplierRead(
        supplier_id=supplier.supplier_id,
        legal_name=supplier.legal_name,
        tax_id=supplier.tax_id,
        country=supplier.country,
        categories=supplier.categories,
        contacts=supplier.contacts,
        status=supplier.status,
        ratings=len(supplier.ratings),
        lots_won=won,
        score=score(supplier.ratings, won),
        created_at=supplier.created_at,
    )


@router.post("/suppliers", status_code=status.HTTP_201_CREATED, summary="Register a supplier")
async def register_supplier(body: SupplierWrite, service: Service) -> SupplierRead:
    """Add a supplier to the registry; emits `supplier.registered`."""
    return await _read(service, await service.register(body.model_dump()))


@router.get("/suppliers", summary="List suppliers")
async def list_suppliers(
    service: Service,
    category: str | None = None,
    supplier_status: Annotated[SupplierStatus | None, Query(alias="status")] = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> SupplierPage:
    """Suppliers by name, of a category or status."""
    items, total = await service.search(
        category=category, status=supplier_status, page=page, page_size=page_size
    )
    return SupplierPage.of([await _read(service, s) for s in items], total, page, page_size)


@router.get("/suppliers/{supplier_id}", summary="Get a supplier")
async def get_supplier(supplier_id: str, service: Service) -> SupplierRead:
    """One supplier with its score."""
    return await _read(service, await service.get(supplier_id))


@router.post("/suppliers/{supplier_id}/status", summary="Block or reactivate a supplier")
async def set_supplier_status(
    supplier_id: str, body: SupplierStatusWrite, service: Service, actor: Actor
) -> SupplierRead:
    """Blocked suppliers cannot offer; emits `supplier.status_changed`."""
    supplier = await service.set_status(supplier_id, body.status, body.reason, actor=actor)
    return await _read(service, supplier)


@router.post("/suppliers/{supplier_id}/feedback", summary="Rate a supplier's delivery")
async def rate_supplier(
    supplier_id: str, body: FeedbackWrite, service: Service, actor: Actor
) -> SupplierRead:
    """Staff feedback feeds the supplier's score."""
    supplier = await service.rate(supplier_id, body.rating, body.comment, actor=actor)
    return await _read(service, supplier)
