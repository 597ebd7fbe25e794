"""Response bodies of the matching API."""

from datetime import datetime

from cmo_shared.http import Page
from pydantic import BaseModel


class MatchRead(BaseModel):
    """A member matched with a call, and why."""

    call_id: str
    member_id: str
    reasons: list[str]
    matched_at: datetime


class MatchPage(Page[MatchRead]):
    """A page of matches."""
