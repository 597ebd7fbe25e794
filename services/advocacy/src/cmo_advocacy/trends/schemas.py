"""Request and response bodies of the trend radar and bulletins."""

from datetime import datetime
from typing import Annotated

from cmo_shared.http import Page
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ..vocabulary import Body, Sectors, Title
from .domain import Movement, Quadrant, Ring

Period = Annotated[str, StringConstraints(pattern=r"^\d{4}-(Q[1-4]|H[12]|(0[1-9]|1[0-2]))$")]


class EntryWrite(BaseModel):
    """A trend or technology to put on the radar."""

    model_config = ConfigDict(extra="forbid")

    name: Title
    quadrant: Quadrant
    ring: Ring
    rationale: Body
    sectors: Sectors = Field(default_factory=list, max_length=30, description="Empty: all.")


class MoveWrite(BaseModel):
    """An entry's new ring and why."""

    model_config = ConfigDict(extra="forbid")

    ring: Ring
    rationale: Body


class EntryRead(BaseModel):
    """A radar entry and how it moved since the last bulletin."""

    model_config = ConfigDict(from_attributes=True)

    entry_id: str
    name: dict[str, str]
    quadrant: Quadrant
    ring: Ring
    movement: Movement
    ring_in_last_bulletin: Ring | None
    rationale: dict[str, str]
    sectors: list[str]
    updated_at: datetime


class BulletinWrite(BaseModel):
    """A bulletin to publish from the radar as it stands."""

    model_config = ConfigDict(extra="forbid")

    period: Period = Field(description="`2026-Q4`, `2026-H2` or a month, `2026-11`.")
    title: Title


class LineRead(BaseModel):
    """A radar entry as a bulletin shows it."""

    model_config = ConfigDict(from_attributes=True)

    entry_id: str
    name: dict[str, str]
    quadrant: Quadrant
    ring: Ring
    movement: Movement
    rationale: dict[str, str]


class BulletinRead(BaseModel):
    """A published bulletin."""

    model_config = ConfigDict(from_attributes=True)

    bulletin_id: str
    period: str
    title: dict[str, str]
    lines: list[LineRead]
    ideas: list[str] = Field(description="Open project ideas it invites members to back.")
    published_at: datetime
    published_by: str


class BulletinPage(Page[BulletinRead]):
    """A page of bulletins."""
