"""Request and response bodies of the ideas API."""

from datetime import datetime

from cmo_shared.http import Page
from cmo_shared.text import text
from pydantic import BaseModel, ConfigDict, Field

from ..vocabulary import Body, Sectors, Title
from .domain import IdeaStatus, PromotedTo


class IdeaWrite(BaseModel):
    """An idea for an innovative project."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    description: Body
    sectors: Sectors = Field(default_factory=list, max_length=30, description="Empty: all.")
    topic_id: text(100) | None = Field(None, description="The advocacy topic it came from.")


class BackingWrite(BaseModel):
    """A company's interest in an idea."""

    model_config = ConfigDict(extra="forbid")

    member_id: text(100)
    note: text(1000) | None = Field(None, description="What the company would bring.")


class PromoteWrite(BaseModel):
    """What an idea becomes."""

    model_config = ConfigDict(extra="forbid")

    to: PromotedTo


class BackingRead(BaseModel):
    """One company's interest."""

    model_config = ConfigDict(from_attributes=True)

    member_id: str
    note: str | None
    at: datetime


class IdeaRead(BaseModel):
    """An idea and its backers."""

    model_config = ConfigDict(from_attributes=True)

    idea_id: str
    title: dict[str, str]
    description: dict[str, str]
    sectors: list[str]
    topic_id: str | None
    status: IdeaStatus
    backers: list[BackingRead]
    promoted_to: PromotedTo | None
    created_at: datetime


class IdeaPage(Page[IdeaRead]):
    """A page of ideas."""
