"""Request and response bodies of the topics API."""

from datetime import date, datetime

from cmo_shared.http import IsoDate, Page
from cmo_shared.text import text
from pydantic import BaseModel, ConfigDict, Field

from ..vocabulary import SECTORS, Body, Sectors, Title
from .domain import ActivityStatus, Priority, TopicStatus


class TopicWrite(BaseModel):
    """A topic found by screening the industry."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    summary: Body
    sectors: Sectors = SECTORS
    priority: Priority = Priority.MEDIUM
    source: text(500) = Field(description="Where it was found: a study, a member, the press.")


class PrioritiseWrite(BaseModel):
    """Making a watched topic active, optionally at another priority."""

    model_config = ConfigDict(extra="forbid")

    priority: Priority | None = None


class CloseWrite(BaseModel):
    """Ending work on a topic."""

    model_config = ConfigDict(extra="forbid")

    outcome: text(2000) = Field(description="What came of it.")


class ActivityWrite(BaseModel):
    """One activity of a topic's strategy."""

    model_config = ConfigDict(extra="forbid")

    what: text(500)
    owner: text(200) = Field(description="Who carries it out.")
    due: IsoDate


class ActivityStatusWrite(BaseModel):
    """Where an activity stands now."""

    model_config = ConfigDict(extra="forbid")

    status: ActivityStatus


class ActivityRead(BaseModel):
    """One activity of a strategy."""

    model_config = ConfigDict(from_attributes=True)

    activity_id: str
    what: str
    owner: str
    due: date
    status: ActivityStatus


class TopicRead(BaseModel):
    """A topic and its strategy."""

    model_config = ConfigDict(from_attributes=True)

    topic_id: str
    title: dict[str, str]
    summary: dict[str, str]
    sectors: list[str]
    priority: Priority
    source: str
    status: TopicStatus
    activities: list[ActivityRead]
    next_due: date | None = Field(description="Earliest due date of the open activities.")
    outcome: str | None
    created_at: datetime
    prioritised_at: datetime | None
    closed_at: datetime | None


class TopicPage(Page[TopicRead]):
    """A page of topics."""
