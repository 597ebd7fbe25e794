"""Request and response bodies of the collaboration board's API."""

from datetime import date, datetime
from typing import Annotated, Literal

from cmo_shared.http import IsoDate, Page
from cmo_shared.nace import NaceCode
from cmo_shared.text import text
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .domain import Category, PostKind

Tag = text(80, lower=True)
Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Text = text(4000)


class PostWrite(BaseModel):
    """A member's request or offer for collaboration."""

    model_config = ConfigDict(extra="forbid")

    member_id: str
    kind: PostKind
    category: Category
    title: text(200)
    description: Text
    tags: list[Tag] = Field(default_factory=list, max_length=20)
    sectors: list[NaceCode] = Field(
        default_factory=list, max_length=20, description="NACE code prefixes, e.g. `10.5`."
    )
    markets: list[Country] = Field(
        default_factory=list, max_length=50, description="Target markets, for joint export."
    )
    expires_on: IsoDate | None = Field(
        None, description="Last day the post is open; a day already past is refused (409)."
    )


class MatchRead(BaseModel):
    """A member the post was matched with, the answering post if any, and why."""

    member_id: str
    post_id: str | None
    reasons: list[str]


class PostRead(BaseModel):
    """A post on the board, with its matches."""

    model_config = ConfigDict(extra="ignore")

    post_id: str
    member_id: str
    kind: PostKind
    category: Category
    title: str
    description: str
    tags: list[str]
    sectors: list[str]
    markets: list[str]
    expires_on: date | None
    status: Literal["open", "closed"]
    posted_at: datetime
    closed_by: str | None
    close_reason: str | None
    matches: list[MatchRead]


class InterestWrite(BaseModel):
    """A member's interest in a post."""

    model_config = ConfigDict(extra="forbid")

    member_id: str
    message: text(2000, min_length=0) | None = None


class InterestRead(BaseModel):
    """A member interested in a post."""

    post_id: str
    member_id: str
    message: str | None
    expressed_at: datetime


class CloseWrite(BaseModel):
    """Why a post is closed."""

    model_config = ConfigDict(extra="forbid")

    reason: text(500, min_length=0) | None = None


class PostPage(Page[PostRead]):
    """A page of posts."""
