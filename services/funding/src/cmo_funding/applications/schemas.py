"""Request and response bodies of the applications API."""

from datetime import date, datetime
from typing import Literal

from cmo_shared.http import Page
from cmo_shared.money import amount
from cmo_shared.text import text
from pydantic import BaseModel, ConfigDict, Field

from ..calls.domain import CallStatus
from .domain import ApplicationStatus

Text = text(200)
Amount = amount(digits=12)


class InterestWrite(BaseModel):
    """A matched member's interest in applying."""

    model_config = ConfigDict(extra="forbid")

    member_id: str


class _Move(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: text(2000, min_length=0) | None = None
    documents: list[Text] = Field(default_factory=list, max_length=50)


class StepMove(_Move):
    """A step that is not an award: no amount."""

    status: Literal[
        ApplicationStatus.INTERESTED,
        ApplicationStatus.PREPARING,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.REJECTED,
    ]


class AwardMove(_Move):
    """An award, with the amount awarded."""

    status: Literal[ApplicationStatus.AWARDED]
    amount_awarded: Amount


ApplicationMove = StepMove | AwardMove
"""The next step of an application, with a note and the documents' names."""


class HistoryRead(BaseModel):
    """One step of an application."""

    status: ApplicationStatus
    actor: str
    at: datetime
    note: str | None


class ApplicationRead(BaseModel):
    """A member's application to a call, followed by staff."""

    application_id: str
    call_id: str
    member_id: str
    status: ApplicationStatus
    amount_awarded: str | None
    currency: str
    documents: list[str]
    notes: list[str]
    history: list[HistoryRead]
    created_at: datetime


class ApplicationPage(Page[ApplicationRead]):
    """A page of applications."""


class CallSummary(BaseModel):
    """How a call went for the members."""

    call_id: str
    status: CallStatus
    matched: int
    interested: int
    submitted: int = Field(description="Submitted, including those since decided.")
    awarded: int
    rejected: int
    total_awarded: str = Field(description="Sum awarded to members, exact decimal.")
    currency: str


class DeadlineReportRead(BaseModel):
    """What a run of the deadline job did."""

    as_of: date
    closed: int
    reminded: int
