"""Response bodies of the usage report."""

from datetime import datetime

from cmo_shared.http import Page
from pydantic import BaseModel, Field


class UsageRow(BaseModel):
    """How often a member used a common service in a year."""

    member_id: str
    slug: str = Field(description="The common service used.")
    uses: int = Field(description="Distinct uses, counted from the services' events.")
    last_used_at: datetime


class UsageReport(Page[UsageRow]):
    """Members' use of the common services in a year."""

    year: int
