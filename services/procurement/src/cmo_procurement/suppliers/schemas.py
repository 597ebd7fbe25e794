"""Request and response bodies of the suppliers API."""

from datetime import datetime
from typing import Annotated

from cmo_shared.http import Page
from cmo_shared.numbers import WHOLE_NUMBER
from cmo_shared.text import text
from cmo_shared.vocabulary import Email
from pydantic import BaseModel, ConfigDict, Field

from ..categories.schemas import CategoryCode
from .domain import SupplierStatus

Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166 alpha-2, e.g. `GE`.")]


class SupplierContactWrite(BaseModel):
    """Whom to deal with at the supplier."""

    model_config = ConfigDict(extra="forbid")

    name: text(200)
    email: Email
    phone: text(40) | None = None


class SupplierWrite(BaseModel):
    """A supplier added to the registry."""

    model_config = ConfigDict(extra="forbid")

    legal_name: text(200)
    tax_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9-]{5,20}$")]
    country: Country
    categories: list[CategoryCode] = Field(min_length=1, max_length=50)
    contacts: list[SupplierContactWrite] = Field(min_length=1, max_length=10)


class SupplierStatusWrite(BaseModel):
    """Block or reactivate a supplier, with the reason."""

    model_config = ConfigDict(extra="forbid")

    status: SupplierStatus
    reason: text(2000)


class FeedbackWrite(BaseModel):
    """Feedback on a delivery: 1 (poor) to 5 (excellent)."""

    model_config = ConfigDict(extra="forbid")

    rating: Annotated[int, Field(ge=1, le=5), WHOLE_NUMBER]
    comment: text(2000) | None = None


class SupplierRead(BaseModel):
    """A supplier of the registry."""

    supplier_id: str
    legal_name: str
    tax_id: str
    country: str
    categories: list[str]
    contacts: list[dict[str, str | None]]
    status: SupplierStatus
    ratings: int = Field(description="How many times it was rated.")
    lots_won: int = Field(description="Lots of joint tenders it was awarded.")
    score: float | None = Field(description="0-100 from feedback and awards; none before either.")
    created_at: datetime


class SupplierPage(Page[SupplierRead]):
    """A page of suppliers."""
