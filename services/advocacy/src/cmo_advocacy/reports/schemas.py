"""Request and response bodies of the reports API."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from cmo_shared.http import Page
from pydantic import BaseModel, ConfigDict, Field

from ..vocabulary import Title
from .domain import ReportStatus

Period = Annotated[
    str, Field(pattern=r"^\d{4}-(Q[1-4]|H[12])$", description="`2026-Q3` or `2026-H1`.")
]


class ReportWrite(BaseModel):
    """A report to draft from the period's surveys."""

    model_config = ConfigDict(extra="forbid")

    period: Period
    title: Title


class CellRead(BaseModel):
    """A published cell; a suppressed one carries no figures. `*` is a total."""

    sector: str = Field(description="NACE division, or `*` for all.")
    size_band: str = Field(description="micro | small | medium | large, or `*` for all.")
    suppressed: bool
    companies: int | None
    employees: int | None
    investment: Decimal | None = Field(description="GEL.")
    export_share: float | None = Field(description="Mean export share of its companies, %.")


class ReportRead(BaseModel):
    """A report and its published table."""

    report_id: str
    period: str
    title: dict[str, str]
    status: ReportStatus
    companies: int
    cells: list[CellRead]
    created_at: datetime
    created_by: str
    reviewed_by: str | None
    published_at: datetime | None
    news_id: str | None


class ReportPage(Page[ReportRead]):
    """A page of reports."""


class SuppressionRead(BaseModel):
    """Why a cell is hidden (staff only, never published)."""

    sector: str
    size_band: str
    companies: int
    reasons: list[str]


class PositionRead(BaseModel):
    """A company's own figures against the published cells it falls in."""

    member_id: str
    sector: str
    size_band: str
    employees: int
    investment: Decimal
    export_share: float
    cells: list[CellRead] = Field(
        description="Its cell, its sector's and its band's totals and the grand total, "
        "those that are published."
    )
