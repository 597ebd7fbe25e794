"""Response bodies of the usage report."""

from datetime import datetime
from decimal import Decimal

from cmo_shared.http import Page
from pydantic import BaseModel, Field


class UsageRow(BaseModel):
    """How often a member used a common service in a year."""

    member_id: str
    slug: str = Field(description="The common service used.")
    uses: int = Field(description="Distinct uses, counted from the services' events.")
    last_used_at: datetime
    value: Decimal | None = Field(
        None, description="Sum of the uses' values: GEL saved, for `joint-procurement`."
    )


class UsageTotal(BaseModel):
    """One common service's use over every member of the report."""

    slug: str
    members: int = Field(description="Members that used it.")
    uses: int
    value: Decimal | None = Field(
        description="Sum of the uses' values: the CMO's total saving, for `joint-procurement`."
    )


class UsageReport(Page[UsageRow]):
    """Members' use of the common services in a year."""

    year: int
    totals: list[UsageTotal] = Field(description="Per service, over every page.")
